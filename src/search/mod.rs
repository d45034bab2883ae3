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
//! Bundle layout under `<site>/search/`:
//! - `meta.json`: `{"docs": N, "shards": S, "chunk": C}`;
//! - `terms/<k>.json`: the terms whose FNV-1a hash is `k` modulo `S`, each mapped to a
//!   flat list `[doc, weight, doc, weight, …]` in ascending document order;
//! - `docs/<k>.json`: documents `k·C … k·C+C-1` as `[url, title, text]`, the url
//!   relative to the site's home.

use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::base::files::OutputFile;

/// The folder of a site's search bundle.
pub const BUNDLE: &str = "search";

/// Documents per `docs/` file: a result list fetches a few small files.
const CHUNK: usize = 16;

/// About this many postings per term shard.
const SHARD_POSTINGS: usize = 12_000;

/// Weight of one occurrence in the title, against 1 in the text.
const TITLE_WEIGHT: u32 = 8;

/// Text kept per document for excerpts.
const MAX_TEXT: usize = 12_000;

/// One site to index: the files under `prefix` (`public/`, `public/2025.1/`,
/// `internal/`), without those under `exclude` (the release folders, when indexing the
/// root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSpec {
    pub prefix: String,
    pub exclude: Vec<String>,
}

impl SiteSpec {
    fn indexes(&self, path: &str) -> bool {
        path.strip_prefix(self.prefix.as_str()).is_some_and(|rel| {
            rel.ends_with(".html")
                && rel != "404.html"
                && !rel.starts_with("print/")
                && !self.exclude.iter().any(|e| rel.starts_with(e.as_str()))
        })
    }

    /// A fingerprint of the pages this site's index would hold.
    pub fn pages_key(&self, files: &[OutputFile]) -> u64 {
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
pub struct Doc {
    pub title: String,
    pub text: String,
}

/// A page's text and its terms (ids in the collector's dictionary) with their weights.
type Analysed = (Doc, Postings);

/// A document's terms and weights, packed: by ascending term id, each as the gap from
/// the previous id and the weight, both as LEB128 varints (about 2.5 bytes a posting
/// instead of 8, which is most of what the index holds while pages render).
#[derive(Debug, Default)]
struct Postings {
    bytes: Vec<u8>,
    /// How many postings `bytes` holds.
    len: usize,
}

impl Postings {
    fn pack(mut terms: Vec<(u32, u16)>) -> Postings {
        let len = terms.len();
        terms.sort_unstable_by_key(|&(id, _)| id);
        let mut bytes = Vec::with_capacity(terms.len() * 3);
        let mut prev = 0;
        for (id, w) in terms {
            push_varint(&mut bytes, id - prev);
            push_varint(&mut bytes, u32::from(w));
            prev = id;
        }
        bytes.shrink_to_fit();
        Postings { bytes, len }
    }

    fn iter(&self) -> impl Iterator<Item = (u32, u16)> + '_ {
        let mut at = 0;
        let mut id = 0;
        std::iter::from_fn(move || {
            if at >= self.bytes.len() {
                return None;
            }
            id += read_varint(&self.bytes, &mut at);
            let w = read_varint(&self.bytes, &mut at);
            Some((id, w as u16))
        })
    }
}

fn push_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        n |= u32::from(b & 0x7F) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    n
}

/// Every term a collector has seen, by id, and the id of each: characters and pairs
/// of characters by code (see [`Counter`]), words by [`Term`].
#[derive(Default)]
struct Interned {
    codes: FxHashMap<u64, u32>,
    words: FxHashMap<Term, u32>,
    terms: Vec<Term>,
}

impl Interned {
    fn id(terms: &mut Vec<Term>, term: impl FnOnce() -> Term) -> u32 {
        terms.push(term());
        terms.len() as u32 - 1
    }

    /// The ids and weights of a counted document, adding the terms not seen before.
    fn intern(&mut self, counter: Counter) -> Vec<(u32, u16)> {
        let Interned { codes, words, terms } = self;
        let weight = |w: u32| w.min(u32::from(u16::MAX)) as u16;
        let mut out = Vec::with_capacity(counter.chars.len() + counter.words.len());
        for (code, w) in counter.chars {
            out.push((*codes.entry(code).or_insert_with(|| Self::id(terms, || code_term(code))), weight(w)));
        }
        for (word, w) in counter.words {
            out.push((*words.entry(word).or_insert_with(|| Self::id(terms, || word)), weight(w)));
        }
        out
    }
}

/// Builds the search index of each of `sites`; returns each one's bundle files. A page
/// whose content appears in several sites (a standard, publicly and internally) is
/// analysed once.
pub fn index(files: &[OutputFile], sites: &[SiteSpec]) -> Vec<Vec<OutputFile>> {
    let collector = Collector::default();
    collector.set_sites(sites.to_vec());
    files.par_iter().for_each(|f| collector.add(f));
    let mut bundles = vec![Vec::new(); sites.len()];
    collector.finish(|site, files| bundles[site].extend(files));
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
pub struct Collector {
    sites: std::sync::OnceLock<Vec<SiteSpec>>,
    /// Analysis slot of each distinct `<main>`, by hash.
    slots: Mutex<FxHashMap<u64, usize>>,
    analysed: Mutex<Vec<Option<Analysed>>>,
    /// Every term seen, by id: a page's terms are held as ids.
    dict: Mutex<Interned>,
    /// Every indexed page's path and slot.
    pages: Mutex<Vec<(String, usize)>>,
}

impl Collector {
    /// The sites to index; pages handed over before this are ignored.
    pub fn set_sites(&self, sites: Vec<SiteSpec>) {
        let _ = self.sites.set(sites);
    }

    /// Analyses `file` if one of the sites indexes it.
    pub fn add(&self, file: &OutputFile) {
        let Some(sites) = self.sites.get() else { return };
        if !sites.iter().any(|s| s.indexes(&file.path)) {
            return;
        }
        let key = main_key(&file.bytes);
        let known = lock(&self.slots).get(&key).copied();
        let slot = match known {
            Some(slot) => slot,
            None => {
                let analysed = main_of(&file.bytes).and_then(extract).map(|doc| {
                    let ids = lock(&self.dict).intern(count(&doc));
                    (doc, Postings::pack(ids))
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

    /// Hands each site's bundle to `each` with the site's position among the sites
    /// given, site after site and a few files at a time, as they are made (so that a
    /// bundle is never in memory whole).
    pub fn finish(self, mut each: impl FnMut(usize, Vec<OutputFile>)) {
        let sites = self.sites.into_inner().unwrap_or_default();
        let analysed = self.analysed.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut pages = self.pages.into_inner().unwrap_or_else(|e| e.into_inner());
        pages.sort_unstable();
        let terms = self.dict.into_inner().unwrap_or_else(|e| e.into_inner()).terms;
        let hashes: Vec<u32> = terms.par_iter().map(Term::shard_hash).collect();
        let dict = Dict { terms: &terms, hashes: &hashes };
        for (n, site) in sites.iter().enumerate() {
            let docs: Vec<(&str, &Analysed)> = pages
                .iter()
                .filter(|(path, _)| site.indexes(path))
                .filter_map(|(path, slot)| {
                    let a = analysed[*slot].as_ref()?;
                    Some((path[site.prefix.len()..].trim_end_matches("index.html"), a))
                })
                .collect();
            bundle(&site.prefix, &docs, &dict, &mut |files| each(n, files));
        }
    }
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

/// The terms of a collector by id, with their shard hashes.
struct Dict<'a> {
    terms: &'a [Term],
    hashes: &'a [u32],
}

/// Shard or document files made and handed over at a time.
const FILES_AT_A_TIME: usize = 64;

/// The bundle of one site from its documents, in path order, handed to `put` a few
/// files at a time.
fn bundle(site: &str, docs: &[(&str, &Analysed)], dict: &Dict, put: &mut dyn FnMut(Vec<OutputFile>)) {
    if docs.is_empty() {
        return;
    }
    let postings: usize = docs.iter().map(|d| d.1 .1.len).sum();
    let shards = (postings / SHARD_POSTINGS).clamp(1, 4096).next_power_of_two();
    let mask = shards as u32 - 1;
    // Every posting into its shard, documents numbered in path order; then each shard's
    // JSON, in parallel, each shard's postings dropped once written out.
    let mut by_shard: Vec<Vec<(u32, u32, u16)>> = vec![Vec::new(); shards];
    for (n, (_, (_, terms))) in docs.iter().enumerate() {
        for (id, w) in terms.iter() {
            by_shard[(dict.hashes[id as usize] & mask) as usize].push((id, n as u32, w));
        }
    }
    let base = format!("{site}{BUNDLE}/");
    for (g, group) in by_shard.chunks_mut(FILES_AT_A_TIME).enumerate() {
        let files = group
            .par_iter_mut()
            .enumerate()
            .filter(|(_, postings)| !postings.is_empty())
            .map(|(k, postings)| {
                let json = shard_json(&std::mem::take(postings), dict.terms);
                OutputFile { path: format!("{base}terms/{}.json", g * FILES_AT_A_TIME + k), bytes: json.into_bytes() }
            })
            .collect();
        put(files);
    }
    drop(by_shard);
    for (g, group) in docs.chunks(CHUNK * FILES_AT_A_TIME).enumerate() {
        let files = group
            .par_chunks(CHUNK)
            .enumerate()
            .map(|(k, chunk)| {
                let mut json = String::with_capacity(
                    chunk.iter().map(|(url, (doc, _))| url.len() + doc.title.len() + doc.text.len() + 8).sum::<usize>()
                        + 2,
                );
                json.push('[');
                for (i, (url, (doc, _))) in chunk.iter().enumerate() {
                    if i > 0 {
                        json.push(',');
                    }
                    json.push('[');
                    push_json_str(&mut json, url);
                    json.push(',');
                    push_json_str(&mut json, &doc.title);
                    json.push(',');
                    push_json_str(&mut json, &doc.text);
                    json.push(']');
                }
                json.push(']');
                OutputFile { path: format!("{base}docs/{}.json", g * FILES_AT_A_TIME + k), bytes: json.into_bytes() }
            })
            .collect();
        put(files);
    }
    put(vec![OutputFile {
        path: format!("{base}meta.json"),
        bytes: format!("{{\"docs\":{},\"shards\":{shards},\"chunk\":{CHUNK}}}", docs.len()).into_bytes(),
    }]);
}

/// A shard's JSON from its postings (term id, document, weight) in document order:
/// terms sorted, each with its documents in order.
fn shard_json(postings: &[(u32, u32, u16)], dict: &[Term]) -> String {
    let mut by_term: FxHashMap<u32, Vec<(u32, u16)>> = FxHashMap::default();
    for &(id, doc, w) in postings {
        by_term.entry(id).or_default().push((doc, w));
    }
    let mut terms: Vec<(Term, Vec<(u32, u16)>)> =
        by_term.into_iter().map(|(id, docs)| (dict[id as usize], docs)).collect();
    terms.sort_unstable_by_key(|(t, _)| *t);
    let mut json = String::with_capacity(postings.len() * 8);
    json.push('{');
    for (n, (t, docs)) in terms.iter().enumerate() {
        if n > 0 {
            json.push(',');
        }
        push_json_str(&mut json, t.as_str());
        json.push_str(":[");
        for (i, &(doc, w)) in docs.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            push_u32(&mut json, doc);
            json.push(',');
            push_u32(&mut json, u32::from(w));
        }
        json.push(']');
    }
    json.push('}');
    json
}

fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        // Only these bytes can start something to escape; the rest is copied in runs.
        if !(b < 0x20 || b == b'"' || b == b'\\' || b == b'<' || b == 0xE2) {
            continue;
        }
        let escaped: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            // Never end a `<script>`-embedded copy early, and keep U+2028/9 valid.
            b'<' => "\\u003c",
            0xE2 if bytes[i..].starts_with("\u{2028}".as_bytes()) => "\\u2028",
            0xE2 if bytes[i..].starts_with("\u{2029}".as_bytes()) => "\\u2029",
            0xE2 => continue,
            _ => "",
        };
        out.push_str(&s[plain..i]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
            plain = i + 1;
        } else {
            out.push_str(escaped);
            plain = i + if b == 0xE2 { 3 } else { 1 };
        }
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

/// Appends `n` in decimal.
fn push_u32(out: &mut String, mut n: u32) {
    let mut buf = [0u8; 10];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[at..].iter().map(|&d| char::from(d)));
}

/// One index term: a lower-cased word, or one or two characters of a script written
/// without spaces, held as its UTF-8 bytes (at most [`TERM_BYTES`]; longer words are cut
/// at a character boundary, as `search.js` cuts them) with the length in the last byte,
/// so that building an index allocates nothing per term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Term([u8; 16]);

impl Ord for Term {
    fn cmp(&self, other: &Term) -> std::cmp::Ordering {
        // The same order as comparing the bytes, in one comparison.
        u128::from_be_bytes(self.0).cmp(&u128::from_be_bytes(other.0))
    }
}

impl PartialOrd for Term {
    fn partial_cmp(&self, other: &Term) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The longest term, in bytes.
pub const TERM_BYTES: usize = 15;

impl Term {
    pub fn new(text: &str) -> Term {
        let mut end = text.len().min(TERM_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0u8; 16];
        bytes[..end].copy_from_slice(&text.as_bytes()[..end]);
        bytes[15] = end as u8;
        Term(bytes)
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0[..self.0[15] as usize]).unwrap_or_default()
    }

    fn shard_hash(&self) -> u32 {
        fnv1a(&self.0[..self.0[15] as usize])
    }
}

/// 32-bit FNV-1a, the shard hash `search.js` computes on a term's UTF-8 bytes.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Whether `c` belongs to a script written without spaces between words (Han, kana,
/// Hangul), indexed by characters. Must match `isCjk` in `search.js`.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// Splits `text` into terms, calling `emit` for each occurrence: every character of a
/// run of [`is_cjk`] characters and every pair of neighbours in it; every other run of
/// letters and digits as one lower-cased word.
pub fn terms(text: &str, mut emit: impl FnMut(Term)) {
    let mut word = String::new();
    let mut prev: Option<char> = None;
    let mut buf = [0u8; 8];
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut emit);
            emit(Term::new(c.encode_utf8(&mut buf)));
            if let Some(p) = prev {
                let n = p.encode_utf8(&mut buf).len();
                let m = c.encode_utf8(&mut buf[n..]).len();
                emit(Term::new(std::str::from_utf8(&buf[..n + m]).unwrap_or_default()));
            }
            prev = Some(c);
            continue;
        }
        prev = None;
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            flush_word(&mut word, &mut emit);
        }
    }
    flush_word(&mut word, &mut emit);
}

fn flush_word(word: &mut String, emit: &mut impl FnMut(Term)) {
    if !word.is_empty() {
        emit(Term::new(word));
        word.clear();
    }
}

/// The terms of a document with their weights (occurrences, title ones counting
/// [`TITLE_WEIGHT`] times): the same terms as [`terms`] gives, counted faster, since
/// characters and pairs of characters are counted by code point.
fn count(doc: &Doc) -> Counter {
    let mut counter = Counter::default();
    counter.add(&doc.title, TITLE_WEIGHT);
    counter.add(&doc.text, 1);
    counter
}

/// The term of a character or pair code of [`Counter`].
fn code_term(code: u64) -> Term {
    let mut buf = [0u8; 8];
    let char_at = |shift: u32| char::from_u32((code >> shift & 0x1F_FFFF) as u32).unwrap_or_default();
    let len = if code >> 63 == 1 {
        let first = char_at(21).encode_utf8(&mut buf).len();
        first + char_at(0).encode_utf8(&mut buf[first..]).len()
    } else {
        char_at(0).encode_utf8(&mut buf).len()
    };
    Term::new(std::str::from_utf8(&buf[..len]).unwrap_or_default())
}

/// Term occurrences of a text, by code point for [`is_cjk`] characters and their pairs,
/// by [`Term`] for words.
#[derive(Default)]
struct Counter {
    /// A character as its code point; a pair as `1 << 63 | first << 21 | second`.
    chars: FxHashMap<u64, u32>,
    words: FxHashMap<Term, u32>,
    word: String,
}

impl Counter {
    fn add(&mut self, text: &str, weight: u32) {
        self.chars.reserve(1024);
        let mut prev: Option<u64> = None;
        for c in text.chars() {
            if is_cjk(c) {
                self.flush_word(weight);
                let code = u64::from(c as u32);
                *self.chars.entry(code).or_default() += weight;
                if let Some(p) = prev {
                    *self.chars.entry(1 << 63 | p << 21 | code).or_default() += weight;
                }
                prev = Some(code);
                continue;
            }
            prev = None;
            if c.is_ascii_alphanumeric() {
                self.word.push(c.to_ascii_lowercase());
            } else if c.is_alphanumeric() {
                self.word.extend(c.to_lowercase());
            } else {
                self.flush_word(weight);
            }
        }
        self.flush_word(weight);
    }

    fn flush_word(&mut self, weight: u32) {
        if !self.word.is_empty() {
            *self.words.entry(Term::new(&self.word)).or_default() += weight;
            self.word.clear();
        }
    }
}

/// Elements whose text is not part of a page's content.
const SKIPPED_TAGS: &[&str] = &["script", "style", "svg", "nav", "template", "noscript", "button"];
/// Classes of elements whose text is not part of a page's content.
const SKIPPED_CLASSES: &[&str] = &["toc", "prev-next", "page-meta"];
/// Elements inside a line of text; every other tag separates words.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small", "span", "strong", "sub",
    "sup", "time", "u",
];

/// The title and text of a rendered page: the first `<h1>` and the text of `<main>`,
/// without scripts, styles, navigation, charts, tables of contents, page metadata or
/// anything marked `data-search-ignore`. `None` when the page has no `<main>`.
pub fn extract(html: &str) -> Option<Doc> {
    let start = html.find("<main")?;
    let end = html[start..].find("</main>").map_or(html.len(), |e| start + e);
    let main = &html[start..end];
    let mut text = String::with_capacity(main.len() / 2);
    let mut title = String::new();
    let mut in_title = false;
    let mut title_done = false;
    // Where each open `<bdi>` started in `text` and in `title`.
    let (mut bdi_text, mut bdi_title) = (Vec::new(), Vec::new());
    // While skipping: the tag being skipped and how deep inside it we are.
    let mut skip: Option<(&str, usize)> = None;
    let mut rest = main;
    while let Some(lt) = rest.find('<') {
        let chunk = &rest[..lt];
        if skip.is_none() && !chunk.is_empty() {
            push_text(&mut text, chunk);
            if in_title {
                push_text(&mut title, chunk);
            }
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else { break };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_end = body.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(body.len());
        let name = &body[..name_end];
        let self_closing = tag.ends_with('/');
        if let Some((skipped, depth)) = skip.as_mut() {
            if name.eq_ignore_ascii_case(skipped) && !self_closing {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing && !self_closing && !is_void(name) && skipped(name, &body[name_end..]) {
            skip = Some((name, 1));
            continue;
        }
        if name.eq_ignore_ascii_case("h1") && !title_done {
            in_title = !closing;
            title_done = closing;
        }
        // A name the page isolates in `<bdi>` stays isolated in titles and excerpts
        // when its direction could matter (see `bdi_isolate`).
        if name.eq_ignore_ascii_case("bdi") && !self_closing {
            bdi_isolate(&mut text, &mut bdi_text, closing);
            if in_title {
                bdi_isolate(&mut title, &mut bdi_title, closing);
            }
        }
        if !INLINE_TAGS.iter().any(|t| name.eq_ignore_ascii_case(t)) && !text.ends_with('\n') {
            text.push('\n');
        }
    }
    let text = text.trim().to_string();
    let title = title.trim().to_string();
    if text.is_empty() && title.is_empty() {
        return None;
    }
    let mut cut = text.len().min(MAX_TEXT);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    Some(Doc { title, text: text[..cut].to_string() })
}

/// At `<bdi>` (`open`: where it starts) and `</bdi>`: when the text in between holds a
/// direction-changing character or right-to-left letters, it is put between U+2068
/// FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, as the page shows it;
/// other names, numbers and words need no isolates in the index.
fn bdi_isolate(out: &mut String, open: &mut Vec<usize>, closing: bool) {
    if !closing {
        open.push(out.len());
        return;
    }
    let Some(at) = open.pop() else { return };
    if crate::base::text_safety::needs_isolate(&out[at..]) {
        out.insert(at, crate::base::text_safety::FSI);
        out.push(crate::base::text_safety::PDI);
    }
}

fn is_void(name: &str) -> bool {
    ["br", "hr", "img", "input", "meta", "link", "wbr", "col", "source", "area", "base", "embed", "track"]
        .iter()
        .any(|v| name.eq_ignore_ascii_case(v))
}

fn skipped(name: &str, attrs: &str) -> bool {
    if SKIPPED_TAGS.iter().any(|t| name.eq_ignore_ascii_case(t)) || attrs.contains("data-search-ignore") {
        return true;
    }
    class_attr(attrs).is_some_and(|classes| classes.split_ascii_whitespace().any(|c| SKIPPED_CLASSES.contains(&c)))
}

fn class_attr(attrs: &str) -> Option<&str> {
    let at = attrs.find("class=")?;
    let value = &attrs[at + 6..];
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &value[1..];
    value.find(quote).map(|end| &value[..end])
}

/// Appends text from between tags, decoding character references and folding runs of
/// white space into one space.
fn push_text(out: &mut String, raw: &str) {
    let mut rest = raw;
    while !rest.is_empty() {
        let amp = rest.find('&').unwrap_or(rest.len());
        push_folded(out, &rest[..amp]);
        rest = &rest[amp..];
        if rest.is_empty() {
            break;
        }
        // Byte search: `rest` may hold multi-byte characters right after the `&`.
        let semi = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';');
        let decoded = semi.and_then(|s| decode_entity(&rest[1..s]).map(|c| (c, s + 1)));
        match decoded {
            Some((c, len)) => {
                let mut buf = [0u8; 4];
                push_folded(out, c.encode_utf8(&mut buf));
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
}

fn push_folded(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn all_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, |t| out.push(t.as_str().to_string()));
        out
    }

    #[test]
    fn an_ampersand_before_chinese_text_decodes_without_splitting_a_character() {
        let mut out = String::new();
        push_text(&mut out, "&amp;时记为“预警” A&B 服务 &#39;x&quot;");
        assert_eq!(out, "&时记为“预警” A&B 服务 'x\"");
    }

    #[test]
    fn chinese_becomes_characters_and_pairs_and_latin_becomes_words() {
        assert_eq!(all_terms("投诉处理"), ["投", "诉", "投诉", "处", "诉处", "理", "处理"]);
        // Pairs never cross punctuation, spaces or Latin words.
        assert_eq!(all_terms("满意，NPS 推荐"), ["满", "意", "满意", "nps", "推", "荐", "推荐"]);
        assert_eq!(all_terms("Follow-up 24h"), ["follow", "up", "24h"]);
    }

    #[test]
    fn weighing_counts_the_same_terms_as_splitting() {
        let doc = Doc {
            title: "投诉处理 SLA".into(),
            text: "客户投诉在 24 小时内回复。Complaints: answered within 24h; ÉTÉ été 投诉投诉".into(),
        };
        let mut expected: BTreeMap<String, u32> = BTreeMap::new();
        terms(&doc.title, |t| *expected.entry(t.as_str().to_string()).or_default() += TITLE_WEIGHT);
        terms(&doc.text, |t| *expected.entry(t.as_str().to_string()).or_default() += 1);
        let counter = count(&doc);
        let chars = counter.chars.into_iter().map(|(code, w)| (code_term(code), w));
        let got: BTreeMap<String, u32> = chars.chain(counter.words).map(|(t, w)| (t.as_str().to_string(), w)).collect();
        assert_eq!(got, expected);
        // Hand-counted: 投诉 three times in the text and once in the title.
        assert_eq!(got["投诉"], 3 + TITLE_WEIGHT);
        assert_eq!(got["été"], 2);
    }

    #[test]
    fn long_words_are_cut_at_a_character_boundary() {
        let t = Term::new("satisfactionsurvey");
        assert_eq!(t.as_str(), "satisfactionsur");
        // 15 bytes would split the sixth `é` (2 bytes each): cut before it.
        assert_eq!(Term::new("éééééééé").as_str(), "ééééééé");
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a(b""), 0x811C_9DC5);
        assert_eq!(fnv1a(b"a"), 0xE40C_292C);
        assert_eq!(fnv1a(b"foobar"), 0xBF9C_F968);
    }

    #[test]
    fn extract_keeps_the_content_and_drops_navigation_charts_and_metadata() {
        let html = r#"<html><head><title>T · Site</title></head><body><nav>菜单</nav>
<main id="main"><article><h1>投诉 &amp; 建议</h1><dl class="page-meta"><dt>负责</dt></dl>
<nav class="toc">目录</nav><p>顾客<strong>投诉</strong>须在<a href="x">24 小时</a>内处理。</p>
<figure><svg><title>图</title><g><text>99</text></g></svg><figcaption>说明</figcaption></figure>
<table><tr><td>甲</td><td>乙</td></tr></table><div data-search-ignore>隐藏</div></article></main>
<footer>页脚</footer></body></html>"#;
        let doc = extract(html).unwrap();
        assert_eq!(doc.title, "投诉 & 建议");
        assert_eq!(doc.text, "投诉 & 建议\n顾客投诉须在24 小时内处理。\n说明\n甲\n乙");
        assert!(extract("<p>no main</p>").is_none());
    }

    #[test]
    fn names_isolated_in_the_page_stay_isolated_in_the_index() {
        let html = "<main><h1><bdi dir=\"auto\">张\u{202E}敏</bdi></h1><p>成员 <a href=\"x\"><bdi>李强</bdi></a>、\
                    <bdi>محمد</bdi> <bdi>100</bdi></p></main>";
        let doc = extract(html).unwrap();
        assert_eq!(doc.title, "\u{2068}张\u{202E}敏\u{2069}");
        // Inline: no line breaks around names; isolates only where direction matters.
        assert_eq!(doc.text, "\u{2068}张\u{202E}敏\u{2069}\n成员 李强、\u{2068}محمد\u{2069} 100");
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
        assert_eq!(paths, ["public/search/docs/0.json", "public/search/meta.json", "public/search/terms/0.json"]);
        let text = |i: usize| String::from_utf8(bundle[i].bytes.clone()).unwrap();
        // The print page is not indexed; documents in path order.
        assert_eq!(text(1), r#"{"docs":2,"shards":1,"chunk":16}"#);
        assert_eq!(text(0), "[[\"a/\",\"投诉\",\"投诉\\n处理\"],[\"b/\",\"B\",\"B\\n投诉 Policy\"]]");
        let terms: serde_json::Value = serde_json::from_str(&text(2)).unwrap();
        // Page a: 投诉 in the title (8) and in the text (1); page b: once in the text.
        assert_eq!(terms["投诉"], serde_json::json!([0, 9, 1, 1]));
        assert_eq!(terms["policy"], serde_json::json!([1, 1]));
        assert_eq!(terms["b"], serde_json::json!([1, 9]));
        assert!(terms.get("秘密").is_none(), "another site's page is never indexed");
    }

    #[test]
    fn postings_pack_to_gaps_and_weights_and_unpack_in_id_order() {
        let packed = Postings::pack(vec![(300, 1), (5, u16::MAX), (70_000, 9)]);
        // 5 → [5], 65535 → [0xFF,0xFF,0x03]; gap 295 → [0xA7,0x02], 1 → [1];
        // gap 69700 → [0xC4,0xA0,0x04], 9 → [9].
        assert_eq!(packed.len, 3);
        assert_eq!(packed.bytes, [5, 0xFF, 0xFF, 0x03, 0xA7, 0x02, 1, 0xC4, 0xA0, 0x04, 9]);
        assert_eq!(packed.iter().collect::<Vec<_>>(), [(5, u16::MAX), (300, 1), (70_000, 9)]);
        assert_eq!(Postings::pack(Vec::new()).iter().count(), 0);
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        push_json_str(&mut s, "a\"b\\c\n</script>\u{1}—\u{2028}x\u{2029}投");
        assert_eq!(s, r#""a\"b\\c\n\u003c/script>\u0001—\u2028x\u2029投""#);
    }
}
