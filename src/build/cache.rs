//! What a long-running process (`charter serve`) keeps between builds so that an edit
//! redoes only the work it affects. A [`Memo`] holds one value with the fingerprint of
//! the inputs it was computed from, and [`Replayed`] the diagnostics computing it gave,
//! reported again on every reuse; [`Cache`] is a few memos.
//!
//! This module decides what may be reused, never what is built: the pipeline asks a
//! memo for a value and says how to compute it. It reads file metadata (for
//! fingerprints) and nothing else; it renders and writes nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::live::Live;
use super::output::OutputFile;
use super::prepare::Prepared;
use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::config::Config;
use crate::load::measure::Measurements;
use crate::load::{data, versions};
use crate::render::theme;
use versions::Release;

/// A value kept with the fingerprint (key) of the inputs it was computed from.
pub(crate) struct Memo<T> {
    kept: Option<(u64, T)>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo { kept: None }
    }
}

impl<T> Memo<T> {
    /// The value kept for `key`, if it is the one kept.
    pub(crate) fn get(&self, key: u64) -> Option<&T> {
        self.kept.as_ref().filter(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The value for `key`: the kept one, or else `compute`d now and kept instead of
    /// whatever was kept before (which is dropped first).
    pub(crate) fn get_or(&mut self, key: u64, compute: impl FnOnce() -> T) -> &T {
        if self.get(key).is_none() {
            self.kept = None;
            self.kept = Some((key, compute()));
        }
        &self.kept.as_ref().expect("a value is kept").1
    }

    /// Keeps `value` for `key`, dropping what was kept before.
    pub(crate) fn keep(&mut self, key: u64, value: T) {
        self.kept = Some((key, value));
    }

    /// The value kept, whatever its key.
    pub(crate) fn into_value(self) -> Option<T> {
        self.kept.map(|(_, v)| v)
    }
}

/// A computed value and the diagnostics computing it gave, sorted.
pub(crate) struct Replayed<T> {
    value: T,
    diagnostics: Vec<Diagnostic>,
}

impl<T> Memo<Replayed<T>> {
    /// [`Memo::get_or`] for work that reports problems: `compute` reports into its own
    /// diagnostics, which are kept with the value and added to `diags` on every call,
    /// reused or not, so a reused value reports what computing it reported.
    pub(crate) fn get_or_replay(
        &mut self,
        key: u64,
        diags: &mut Diagnostics,
        compute: impl FnOnce(&mut Diagnostics) -> T,
    ) -> &T {
        let kept = self.get_or(key, || {
            let mut own = Diagnostics::new();
            let value = compute(&mut own);
            Replayed { value, diagnostics: own.into_sorted() }
        });
        kept.diagnostics.iter().cloned().for_each(|d| diags.push(d));
        &kept.value
    }
}

/// What a long-running process (`charter serve`) keeps between builds so that an edit
/// redoes only the work it affects: the frozen releases and the measurements are
/// reused while none of their files changed.
#[derive(Default)]
pub struct Cache {
    /// The releases of `versions/`, while none of its files, the config or the date
    /// changed.
    pub(super) releases: Memo<Vec<Release>>,
    /// Every release prepared as it was frozen, and its errors, under the same key.
    pub(super) frozen: Memo<Replayed<Vec<Prepared>>>,
    /// The measurements and their problems, while `data/`, the config, the date and
    /// the roles are unchanged.
    pub(super) measurements: Memo<Replayed<Measurements>>,
    /// The rendered public site, while releases, theme, config and data are unchanged.
    pub(super) public: Memo<Vec<OutputFile>>,
    /// Each site's search index (by its prefix), while its pages are unchanged.
    search: BTreeMap<String, Memo<Vec<OutputFile>>>,
    /// Whether to keep search indexes (and the rendered public site) for the next
    /// call: a one-shot build does not, and so holds each index once.
    pub(super) keep_search: bool,
    /// What re-renders an edited page on its own, from the last good build (kept only
    /// by a long-running process).
    pub(super) live: Option<Live>,
}

impl Cache {
    /// The cache of a long-running process, which keeps everything reusable.
    pub fn long_running() -> Cache {
        Cache { keep_search: true, ..Cache::default() }
    }

    /// Takes what the last good build left to re-render edited pages (see [`Live`]).
    pub fn take_live(&mut self) -> Option<Live> {
        self.live.take()
    }
}

/// The key of the releases and of every release prepared: `versions/`, the config
/// and the build date.
pub(super) fn releases_key(root: &Path, today: Date, config: &Config) -> u64 {
    fingerprint(root, &[versions::VERSIONS_DIR], &format!("{today}{}", config.text))
}

/// The key of the measurements: `data/`, the config, the build date and the role pages.
pub(super) fn measurements_key(root: &Path, today: Date, config: &Config, roles: &BTreeSet<String>) -> u64 {
    fingerprint(root, &[data::DATA_DIR], &format!("{today}{}{:?}", config.text, roles))
}

/// The key of the rendered public site: the templates, and the releases' and the
/// measurements' keys.
pub(super) fn public_key(root: &Path, releases_key: u64, measurements_key: u64) -> u64 {
    fingerprint(root, &[theme::TEMPLATES_DIR], &format!("{releases_key}{measurements_key}"))
}

/// A hash of a value, to fold into a key.
pub(super) fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A fingerprint of files (path, size, modification time) under `paths`, plus `extra`.
fn fingerprint(root: &Path, paths: &[&str], extra: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    extra.hash(&mut h);
    for p in paths {
        for entry in walkdir::WalkDir::new(root.join(p)).sort_by_file_name().into_iter().flatten() {
            if let Ok(meta) = entry.metadata() {
                entry.path().hash(&mut h);
                meta.len().hash(&mut h);
                meta.modified().ok().hash(&mut h);
            }
        }
    }
    h.finish()
}

/// The search indexes of every site of a build: each site behind sign-in (`staff`), the public root
/// (the current release, without the release folders) and each release folder. A
/// site whose pages did not change reuses its index from `cache`.
pub fn search_indexes(
    files: &[OutputFile],
    folders: &crate::base::files::Folders,
    cache: &mut Cache,
) -> Vec<OutputFile> {
    let sites = super::sites::search_sites(folders);
    let keys: Vec<u64> = sites.iter().map(|s| s.pages_key(files)).collect();
    let stale: Vec<crate::search::SiteSpec> = sites
        .iter()
        .zip(&keys)
        .filter(|(s, k)| cache.search.get(&s.prefix).and_then(|memo| memo.get(**k)).is_none())
        .map(|(s, _)| s.clone())
        .collect();
    for (site, index) in stale.iter().zip(crate::search::index(files, &stale)) {
        let key = keys[sites.iter().position(|s| s == site).unwrap_or_default()];
        cache.search.entry(site.prefix.clone()).or_default().keep(key, index);
    }
    let mut out = Vec::new();
    for (site, key) in sites.iter().zip(&keys) {
        if cache.keep_search {
            out.extend(cache.search.get(&site.prefix).and_then(|m| m.get(*key)).into_iter().flatten().cloned());
        } else {
            out.extend(cache.search.remove(&site.prefix).and_then(Memo::into_value).into_iter().flatten());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostics::Pos;

    #[test]
    fn a_memo_computes_once_per_key() {
        let mut memo = Memo::default();
        let mut runs = 0;
        assert_eq!(
            *memo.get_or(1, || {
                runs += 1;
                "one"
            }),
            "one"
        );
        assert_eq!(
            *memo.get_or(1, || {
                runs += 1;
                "again"
            }),
            "one"
        );
        assert_eq!(runs, 1);
        assert_eq!(
            *memo.get_or(2, || {
                runs += 1;
                "two"
            }),
            "two"
        );
        assert_eq!(runs, 2);
        assert_eq!(memo.get(1), None);
        assert_eq!(memo.get(2), Some(&"two"));
        memo.keep(3, "three");
        assert_eq!(memo.get(3), Some(&"three"));
        assert_eq!(memo.into_value(), Some("three"));
    }

    #[test]
    fn a_reused_value_reports_its_diagnostics_again() {
        let mut memo = Memo::default();
        let compute = |own: &mut Diagnostics| {
            own.warning("data/x.yaml", Pos::new(1, 1), "w", "careful");
            7
        };
        let mut first = Diagnostics::new();
        assert_eq!(*memo.get_or_replay(9, &mut first, compute), 7);
        let mut second = Diagnostics::new();
        assert_eq!(*memo.get_or_replay(9, &mut second, |_| unreachable!("reused")), 7);
        assert_eq!(first.into_sorted(), second.into_sorted());
    }
}
