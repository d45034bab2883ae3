//! Full-text search: one static index per site — the internal site, the current public
//! release at the root and every release in its folder — built from the rendered pages
//! in memory and queried in the browser by the theme's `search.js`.
//!
//! Owns which pages of a site are indexed (only those under that site's folder, never
//! another version's or audience's), the text a page contributes (its `<main>`, without
//! navigation, tables of contents, page metadata or charts), how text becomes terms and
//! the bundle's file format. Chinese (and any script written without spaces) is indexed
//! as overlapping character pairs plus single characters, so `投诉` finds every page that
//! contains it with no dictionary; other text as lower-cased words. `search.js` splits a
//! query the same way. Everything is served from the site itself; pages stay usable
//! without JavaScript (the search box is simply not there). Must not read or write files.
//!
//! Why not Pagefind: it indexed about 200 pages a second here (HTML parsing, CJK
//! dictionary segmentation, per-page gzip), 50 s for a 10,000-page handbook; this index
//! is built in a pass over text the build already holds (see BENCHMARKS.md).
//!
//! Bundle layout under `<site>/search/` (every `.gz` file gzipped with a fixed level
//! and header, inflated in the browser with `DecompressionStream`):
//! - `meta.json`: `{"docs": N, "groups": [[count, size], …], "splits": [key, …]}`;
//! - `terms/<k>.gz`: a range of terms in byte (code point) order, shard `k` holding the
//!   terms from `splits[k-1]` (inclusive) to `splits[k]`, each shard about the same
//!   number of bytes; each term as its UTF-8 length and bytes, its document count and
//!   per document the gap from the previous document and its score (the term's BM25 in
//!   that page weighted by the page's kind, `rank`) as the zigzagged difference from
//!   the previous document's, all LEB128 varints;
//! - `docs/<k>.gz`: the `k`-th group of documents, in document order, as JSON
//!   `[[url, title, text], …]`, the url relative to the site's home and the text the
//!   excerpts are cut from (the page's text after its title). `groups` gives the
//!   groups' sizes in runs (`count` groups of `size` documents, then the next run), so
//!   a reader finds a document's group by adding them up. Groups hold about 12 KB of
//!   text (a result fetches about 5 KB); a site's groups follow those of the sites
//!   less private than it where it holds the same pages (`groups`), so that a group in
//!   the public and the internal site is compressed once and written to both.
//!
//! Here: which pages each index holds ([`SiteSpec`]; never a changelog or comparison
//! page in a public one) and the [`Collector`] that gathers them; `extract` reads a
//! page's text, `terms` splits text into terms and holds them as ids, `rank` scores
//! postings and ranks a query (as `search.js` does), `groups` plans which documents
//! share a group file, `bundle` writes the files, `codec` their bytes, and `read` reads a bundle back as `search.js` does (for tests and for
//! measuring what one query downloads).

mod bundle;
mod codec;
mod extract;
mod groups;
mod rank;
mod read;
mod terms;

pub use self::codec::{decode_shard, inflate};
pub use self::rank::{query_terms, rank, Hit};
pub use self::read::{query_download, read_bundle, Download, Meta, ReadBundle};

pub(crate) use self::extract::{extract, extract_with};
pub(crate) use self::terms::Term;

use rustc_hash::FxHashMap;
use std::sync::Mutex;

use rayon::prelude::*;

pub(crate) use self::bundle::Work;
use self::bundle::{bundles, Dict, Entry, SiteDocs};
use self::terms::{count, Interned, Postings};
use crate::base::files::{OutputFile, PageText};

/// The folder of a site's search bundle.
pub(crate) const BUNDLE: &str = "search";

/// Whether a file of a site's `search/` folder is part of its index (the results page
/// `index.html` is not).
pub(crate) fn is_index_file(path: &str) -> bool {
    path.ends_with(".json") || path.ends_with(".gz")
}

/// One site to index: the files under `prefix` (`public/`, `public/2025.1/`,
/// `internal/`), without those under `exclude` (the release folders, when indexing the
/// root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SiteSpec {
    pub(crate) prefix: String,
    pub(crate) exclude: Vec<String>,
}

impl SiteSpec {
    fn indexes(&self, path: &str) -> bool {
        path.strip_prefix(self.prefix.as_str()).is_some_and(|rel| {
            rel.ends_with(".html")
                && rel != "404.html"
                && !rel.starts_with("search/")
                && !rel.starts_with("print/")
                && !self.exclude.iter().any(|e| rel.starts_with(e.as_str()))
        })
    }

    /// A fingerprint of the pages this site's index would hold.
    pub(crate) fn pages_key(&self, files: &[OutputFile]) -> u64 {
        use std::hash::{Hash, Hasher};
        let each: Vec<u64> = files
            .par_iter()
            .filter(|f| self.indexes(&f.path))
            .map(|f| {
                let mut h = rustc_hash::FxHasher::default();
                f.path.hash(&mut h);
                f.bytes.hash(&mut h);
                h.finish()
            })
            .collect();
        let mut h = rustc_hash::FxHasher::default();
        each.hash(&mut h);
        h.finish()
    }
}

/// What a page contributes to the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    pub(crate) title: String,
    /// The sub-headings, a line each.
    pub(crate) headings: String,
    /// The last segment of the page's address (`complaint-handling`).
    pub(crate) slug: String,
    pub(crate) text: String,
    pub(crate) kind: rank::Kind,
}

/// A page's text, its terms (ids in the collector's dictionary) with their weights and
/// its length (term occurrences of its text).
struct Analysed {
    doc: Doc,
    postings: Postings,
    len: u32,
}

/// Builds the search index of each of `sites`; returns each one's bundle files. A page
/// whose content appears in several sites (a standard, publicly and internally) is
/// analysed once.
pub(crate) fn index(files: &[OutputFile], sites: &[SiteSpec]) -> Vec<Vec<OutputFile>> {
    let collector = Collector::default();
    collector.set_sites(sites.to_vec());
    files.par_iter().for_each(|f| collector.add(f));
    let bundles = Mutex::new(vec![Vec::new(); sites.len()]);
    collector.finish(|site, files| lock(&bundles)[site].extend(files));
    let mut bundles = bundles.into_inner().unwrap_or_else(|e| e.into_inner());
    for bundle in &mut bundles {
        bundle.sort_by(|a, b| a.path.cmp(&b.path));
    }
    bundles
}

/// Builds the indexes of a set of sites from pages handed over one by one, from any
/// thread and in any order, so that a build can drop each page once it is written. Only
/// a page's analysis is kept; a `<main>` seen before (the same standard in another
/// site) is not analysed again.
#[derive(Default)]
pub(crate) struct Collector {
    sites: std::sync::OnceLock<Vec<SiteSpec>>,
    /// Analysis slot of each distinct `<main>`, by hash.
    slots: Mutex<FxHashMap<u64, usize>>,
    analysed: Mutex<Vec<Option<Analysed>>>,
    /// Every term seen, by id: a page's terms are held as ids.
    dict: Mutex<Interned>,
    /// Every indexed page's path and slot.
    pages: Mutex<Vec<(String, usize)>>,
    #[cfg(test)]
    counts: Reads,
}

/// How the distinct pages analysed were read: from their HTML, with their body's text
/// from the markdown pass, or from their HTML though a text came (the body did not
/// read the same where the theme put it).
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct Reads {
    pub(crate) from_html: std::sync::atomic::AtomicUsize,
    pub(crate) from_pass: std::sync::atomic::AtomicUsize,
    pub(crate) fell_back: std::sync::atomic::AtomicUsize,
}

impl Collector {
    /// The sites to index; pages handed over before this are ignored.
    pub(crate) fn set_sites(&self, sites: Vec<SiteSpec>) {
        let _ = self.sites.set(sites);
    }

    /// Analyses `file` if one of the sites indexes it.
    pub(crate) fn add(&self, file: &OutputFile) {
        self.add_page(file, None);
    }

    /// Analyses `file` if one of the sites indexes it, with its body's text from the
    /// markdown pass when `text` is given (the body's HTML is then not read).
    pub(crate) fn add_page(&self, file: &OutputFile, text: Option<&PageText>) {
        let Some(sites) = self.sites.get() else { return };
        let Some(site) = sites.iter().find(|s| s.indexes(&file.path)) else { return };
        let key = main_key(&file.bytes);
        let known = lock(&self.slots).get(&key).copied();
        let slot = match known {
            Some(slot) => slot,
            None => {
                let from_pass = text.and_then(|t| extract_with(&file.bytes, t));
                #[cfg(test)]
                {
                    let c = &self.counts;
                    let counter = match (&from_pass, text) {
                        (Some(_), _) => &c.from_pass,
                        (None, Some(_)) => &c.fell_back,
                        (None, None) => &c.from_html,
                    };
                    counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                let read = from_pass.or_else(|| main_of(&file.bytes).and_then(extract));
                let analysed = read.map(|mut doc| {
                    doc.slug = slug(&file.path[site.prefix.len()..]).to_string();
                    let counted = count(&doc);
                    let len = counted.len;
                    let ids = lock(&self.dict).intern(counted);
                    Analysed { doc, postings: Postings::pack(ids), len }
                });
                let mut slots = lock(&self.slots);
                // Another thread may have analysed the same content meanwhile.
                *slots.entry(key).or_insert_with(|| {
                    let mut all = lock(&self.analysed);
                    all.push(analysed);
                    all.len() - 1
                })
            }
        };
        lock(&self.pages).push((file.path.clone(), slot));
    }

    /// How the texts of the distinct pages analysed so far were read.
    #[cfg(test)]
    pub(crate) fn reads(&self) -> &Reads {
        &self.counts
    }

    /// Hands each site's bundle to `each` with the site's position among the sites
    /// given, a few files at a time, as they are made, from any thread (so that a
    /// bundle is never in memory whole); returns the work done. A document group held
    /// by several sites is compressed once.
    pub(crate) fn finish(self, each: impl Fn(usize, Vec<OutputFile>) + Sync) -> Work {
        let sites = self.sites.into_inner().unwrap_or_default();
        let analysed = self.analysed.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut pages = self.pages.into_inner().unwrap_or_else(|e| e.into_inner());
        pages.par_sort_unstable();
        let terms = self.dict.into_inner().unwrap_or_else(|e| e.into_inner()).terms;
        let mut sorted: Vec<u32> = (0..terms.len() as u32).collect();
        sorted.par_sort_unstable_by_key(|&id| terms[id as usize]);
        let mut order = vec![0u32; terms.len()];
        for (rank, &id) in sorted.iter().enumerate() {
            order[id as usize] = rank as u32;
        }
        let dict = Dict { terms: &terms, order: &order, sorted: &sorted };
        let sites: Vec<SiteDocs> = sites
            .iter()
            .map(|site| {
                let public = site.prefix.starts_with("public/");
                let docs = pages
                    .iter()
                    .filter(|(path, _)| site.indexes(path))
                    .filter_map(|(path, slot)| {
                        let analysed = analysed[*slot].as_ref()?;
                        let url = path[site.prefix.len()..].trim_end_matches("index.html");
                        (!(public && analysed.doc.kind == rank::Kind::Changes)).then_some(Entry {
                            url,
                            slot: *slot,
                            analysed,
                        })
                    })
                    .collect();
                SiteDocs { prefix: &site.prefix, public, docs }
            })
            .collect();
        bundles(&sites, &dict, &each)
    }
}

/// The last folder name of a page's path in its site (`standards/complaint-handling/index.html`
/// → `complaint-handling`; the home page has none).
fn slug(path: &str) -> &str {
    let dir = path.trim_end_matches("index.html").trim_end_matches('/');
    dir.rsplit('/').next().unwrap_or_default()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The `<main>` element of a page and what follows it, as text (validating only that).
fn main_of(html: &[u8]) -> Option<&str> {
    let start = find_bytes(html, b"<main")?;
    let end = find_bytes(&html[start..], b"</main>").map_or(html.len(), |e| start + e);
    std::str::from_utf8(&html[start..end]).ok()
}

/// A hash of the `<main>` element of a page (of the whole page when it has none).
fn main_key(html: &[u8]) -> u64 {
    use std::hash::Hasher;
    let start = find_bytes(html, b"<main").unwrap_or(0);
    let end = find_bytes(&html[start..], b"</main>").map_or(html.len(), |e| start + e);
    let mut h = rustc_hash::FxHasher::default();
    h.write(&html[start..end]);
    h.finish()
}

fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_in_two_sites_is_compressed_once_and_written_to_both() {
        let page = |path: &str, body: &str| OutputFile {
            path: path.into(),
            bytes: format!("<main><h1>{body}</h1><p>{body} 投诉</p></main>").into_bytes(),
        };
        // Five standards in both sites; the internal site has a report of its own.
        let mut files: Vec<OutputFile> = Vec::new();
        for name in ["a", "b", "c", "d", "e"] {
            files.push(page(&format!("public/s/{name}/index.html"), &format!("standard {name}")));
            files.push(page(&format!("internal/s/{name}/index.html"), &format!("standard {name}")));
        }
        files.push(page("internal/reports/q/index.html", "secret report"));
        let collector = Collector::default();
        let spec = |prefix: &str| SiteSpec { prefix: prefix.into(), exclude: Vec::new() };
        collector.set_sites(vec![spec("internal/"), spec("public/")]);
        files.iter().for_each(|f| collector.add(f));
        let out = Mutex::new(vec![Vec::new(); 2]);
        let work = collector.finish(|site, files| lock(&out)[site].extend(files));
        let out: Vec<Vec<OutputFile>> = out.into_inner().unwrap();
        // Public: one group of the five (pages this short: 16 to a group). Internal:
        // the report alone, then the public group, compressed once for both.
        assert_eq!(work, Work { group_files: 3, groups_compressed: 2 });
        let file = |site: usize, path: &str| &out[site].iter().find(|f| f.path == path).unwrap().bytes;
        assert_eq!(file(0, "internal/search/docs/1.gz"), file(1, "public/search/docs/0.gz"));
        let meta = |site: usize, path: &str| String::from_utf8(file(site, path).clone()).unwrap();
        assert_eq!(meta(1, "public/search/meta.json").split(",\"splits").next(), Some(r#"{"docs":5,"groups":[[1,5]]"#));
        assert_eq!(
            meta(0, "internal/search/meta.json").split(",\"splits").next(),
            Some(r#"{"docs":6,"groups":[[1,1],[1,5]]"#)
        );
        // Nothing of the internal report in any public file.
        for f in &out[1] {
            let text = String::from_utf8_lossy(&inflate(&f.bytes).unwrap()).into_owned();
            assert!(!text.contains("secret") && !text.contains("report"), "{}: {text}", f.path);
        }
    }

    #[test]
    fn a_site_bundle_by_hand() {
        let page = |path: &str, title: &str, body: &str| OutputFile {
            path: path.into(),
            bytes: format!("<main><h1>{title}</h1><p>{body}</p></main>").into_bytes(),
        };
        let files = vec![
            page("public/a/index.html", "投诉", "处理"),
            page("public/b/index.html", "B", "投诉 Policy"),
            page("public/print/index.html", "打印", "投诉"),
            page("internal/a/index.html", "内部", "秘密"),
        ];
        let spec = SiteSpec { prefix: "public/".into(), exclude: Vec::new() };
        let bundle = index(&files, &[spec]).remove(0);
        let paths: Vec<&str> = bundle.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["public/search/docs/0.gz", "public/search/meta.json", "public/search/terms/0.gz"]);
        let inflated = |i: usize| inflate(&bundle[i].bytes).unwrap();
        // The print page is not indexed; documents in path order, 16 to a group (pages
        // this short), one shard; each text without the title that leads it.
        assert_eq!(String::from_utf8(inflated(1)).unwrap(), r#"{"docs":2,"groups":[[1,2]],"splits":[]}"#);
        assert_eq!(String::from_utf8(inflated(0)).unwrap(), r#"[["a/","投诉","处理"],["b/","B","投诉 Policy"]]"#);
        let terms: std::collections::BTreeMap<String, Vec<u32>> =
            decode_shard(&inflated(2)).unwrap().into_iter().collect();
        // BM25 in hundredths (k1 1.2, b 0.4), 2 documents of 6 and 5 term occurrences
        // (average 5.5). 投诉 in both: idf ln(1 + 0.5/2.5) = 0.18232; in page a 9 times
        // (title 8, text 1), norm 0.6 + 0.4·6/5.5 = 1.03636: 0.18232·9·2.2/(9 + 1.24364)
        // = 0.3524; in page b once, norm 0.96364: 0.18232·2.2/2.15636 = 0.1860.
        assert_eq!(terms["投诉"], [0, 35, 1, 19]);
        // `policy` in page b only: idf ln 2; 0.69315·1.02024 = 0.7072.
        assert_eq!(terms["policy"], [1, 71]);
        // `b`: title 8, text 1 and the address `b/` 3 = 12: 0.69315·26.4/13.15636 = 1.3909.
        assert_eq!(terms["b"], [1, 139]);
        assert!(!terms.contains_key("秘密"), "another site's page is never indexed");
        // What serve swaps when a new index is ready: the index files, not the results page.
        assert!(bundle.iter().all(|f| is_index_file(&f.path)));
        assert!(!is_index_file("public/search/index.html"));
    }
}
