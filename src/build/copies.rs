//! The prepared copies as the sites see them: each language's copy of the working
//! copy and of every release, with what a view needs of the other languages
//! ([`Copies`]), and the snapshots that changelogs and redlines compare (what the
//! readers of a tier see of a copy, [`snapshot`]).
//!
//! Pure functions of prepared copies; nothing here renders or writes.

use std::collections::BTreeSet;

use super::prepare::Prepared;
use crate::check::validate;
use crate::compute::blocks::{Block, Kind as BlockKind};
use crate::compute::changelog;
use crate::load::content::{self, Audience};
use crate::markdown::shortcodes;
use crate::render::{self, View};

/// What the newest release and the working copy show the readers of the highest tier,
/// when a release exists: the redlines compare them, each site behind sign-in those of
/// its own pages.
pub(super) type Pending<'a> = (changelog::Snapshot<'a>, changelog::Snapshot<'a>);

/// The snapshots of the newest release and the working copy as `highest` (the highest
/// tier) reads them, when a release exists.
pub(super) fn pending<'a>(
    working: &'a Prepared,
    newest: Option<&'a Prepared>,
    highest: Audience,
) -> Option<Pending<'a>> {
    newest.map(|newest| (snapshot(newest, highest), snapshot(working, highest)))
}

/// The working copy and the releases in one language (`k` in `languages:`), with what
/// each view needs of the other languages: its folder and, for the language switcher
/// and `hreflang`, which pages each language has.
pub(super) struct Copies<'p> {
    /// The working copy in the default language (its `translations` hold the others).
    all_working: &'p Prepared,
    all_frozen: &'p [Prepared],
    /// The releases in this language, oldest first.
    pub(super) frozen: Vec<&'p Prepared>,
    k: usize,
}

impl<'p> Copies<'p> {
    pub(super) fn of(working: &'p Prepared, frozen: &'p [Prepared], k: usize) -> Self {
        Copies {
            all_working: working,
            all_frozen: frozen,
            frozen: frozen.iter().map(|f| f.in_language(k)).collect(),
            k,
        }
    }

    pub(super) fn working(&self) -> &'p Prepared {
        self.all_working.in_language(self.k)
    }

    /// Puts `view` of the working copy (`release: None`) or of a release in its folder
    /// (`folder`: a release's or `""`, then the language's: `2025.1/en/`, `en/`) and
    /// tells it what the other languages have. A release's languages sit inside its
    /// folder so that links from a translation to a page left out of it
    /// (`fallback: omit`, `../x/`) reach the release's own page in the default language.
    pub(super) fn place(&self, view: &mut View, release: Option<usize>, folder: &str) {
        let source = release.map_or(self.all_working, |i| &self.all_frozen[i]);
        if source.translations.is_empty() {
            // A site of one language: no folder, no switcher.
            view.prefix = folder.to_string();
            return;
        }
        let languages: Vec<(crate::load::config::Language, &[content::Page])> = (0..source.translations.len() + 1)
            .map(|j| (source.in_language(j).language, source.in_language(j).content.pages.as_slice()))
            .collect();
        let alternates = render::Alternates::new(&languages, view.audience, (self.k, folder));
        view.prefix = format!("{folder}{}", alternates.folder(self.k));
        view.alternates = Some(alternates);
    }

    /// In a language after the first, what each release showed customers in the
    /// default language (which decides what a release changed).
    pub(super) fn original_snapshots(&self) -> Option<Vec<changelog::Snapshot<'p>>> {
        (self.k > 0).then(|| self.all_frozen.iter().map(|f| snapshot(f, Audience::PUBLIC)).collect())
    }

    /// The folder of this language in every site (`""`, `en/`).
    pub(super) fn language_folder(&self) -> String {
        if self.k == 0 {
            String::new()
        } else {
            self.working().language.folder()
        }
    }
}

/// Whether a standard as shown `now` differs from what the newest release shows.
pub(super) fn changed_since(now: Option<&Vec<Block>>, then: Option<&Vec<Block>>) -> bool {
    now.is_some() && now != then
}

/// What the readers of `audience` see of a prepared source, for changelogs and
/// redlines: its published standards (every published page, internally) with their
/// rendered text as blocks, the pages they can open, and the parameters its pages
/// show. Each copy is read as its own readers read it: a release with the values in
/// force on its date, the working copy with today's.
pub(super) fn snapshot(p: &Prepared, audience: Audience) -> changelog::Snapshot<'_> {
    let mut snap = changelog::Snapshot { data: Some(&p.data), ..changelog::Snapshot::default() };
    snap.urls.extend(
        p.data.kpis.values().filter(|k| k.public || audience == Audience::INTERNAL).map(|k| shortcodes::kpi_url(&k.id)),
    );
    for ((page, uses), body) in p.content.pages.iter().zip(&p.uses).zip(&p.bodies) {
        if !validate::published_in(page, audience) || page.generated {
            continue;
        }
        snap.urls.insert(page.url.clone());
        for u in uses {
            match u {
                shortcodes::Use::Param(id) => {
                    snap.public_params.insert(id.clone());
                }
                shortcodes::Use::ParamsTable(ids) => snap.public_params.extend(ids.iter().cloned()),
                _ => {}
            }
        }
        let Some(blocks) = shown_blocks(page, audience, body) else { continue };
        snap.standards.insert(
            page.id.value.clone(),
            changelog::StandardSnap {
                id: page.id.value.clone(),
                title: page.title.clone(),
                url: page.url.clone(),
                retired: page.status == content::Status::Retired,
                blocks,
                own_words: !matches!(page.lang, crate::load::translations::PageLang::Fallback { .. }),
            },
        );
    }
    snap
}

/// A page as the changelog and redlines of `audience` compare it — its title, its
/// summary and the blocks of its rendered `body` — `None` for pages they leave out
/// (drafts, indexes, public pages that are not standards).
pub(super) fn shown_blocks(page: &content::Page, audience: Audience, body: &str) -> Option<Vec<Block>> {
    let left_out = !validate::published_in(page, audience)
        || page.generated
        || audience == Audience::PUBLIC && page.kind != content::PageKind::Standard
        || page.is_index();
    if left_out {
        return None;
    }
    let mut blocks = vec![Block::text(BlockKind::Heading(1), &page.title)];
    blocks.extend(page.summary.iter().map(|s| Block::text(BlockKind::Paragraph, s)));
    blocks.extend(crate::markdown::blocks(body));
    Some(blocks)
}

/// The URLs a release publishes (pages and KPI pages), for the version switcher.
pub(super) fn public_urls(p: &Prepared) -> BTreeSet<String> {
    let mut urls: BTreeSet<String> = p
        .content
        .pages
        .iter()
        .filter(|pg| validate::published_in(pg, Audience::PUBLIC))
        .map(|pg| pg.url.clone())
        .collect();
    let kpis: Vec<&String> = p.data.kpis.values().filter(|k| k.public).map(|k| &k.id).collect();
    if !kpis.is_empty() {
        urls.insert("kpis/".into());
        urls.extend(kpis.into_iter().map(|id| shortcodes::kpi_url(id)));
    }
    urls
}
