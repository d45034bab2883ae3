//! The bundle file format: a site's documents and their postings written as
//! `meta.json`, term shards `terms/<k>.gz` (binary postings, terms in byte order, each
//! shard a range of terms bounded in bytes) and document groups `docs/<k>.gz` (a few
//! documents' address, title and excerpt text as gzipped JSON; a group shared by
//! several sites, as `groups` plans them, encoded and compressed once), a few files at
//! a time. Must not choose which pages are indexed or how text becomes terms.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::codec::{encode_term, gzip, split_key, Level};
use super::groups::{self, Member, Plan};
use super::rank::{Corpus, Scorer};
use super::{Analysed, Term, BUNDLE};
use crate::base::files::OutputFile;

/// Raw bytes of text a document group aims at: a result fetches its group, about 5 KB
/// gzipped, whatever the pages' length (one document per group when pages are longer).
const GROUP_BYTES: usize = 12 * 1024;
/// The most documents in a group.
const MAX_GROUP: usize = 16;

/// The smallest shard target, in raw bytes; larger sites get larger shards (see
/// [`shard_target`]).
const MIN_SHARD: usize = 8 * 1024;

/// Shard or document files made and handed over at a time.
const FILES_AT_A_TIME: usize = 64;

/// The terms of a collector by id, and their ids in term (byte) order.
pub(super) struct Dict<'a> {
    pub(super) terms: &'a [Term],
    /// Each term's place in byte order, by id.
    pub(super) order: &'a [u32],
    /// The ids in byte order.
    pub(super) sorted: &'a [u32],
}

/// One document of a site's index.
#[derive(Clone, Copy)]
pub(super) struct Entry<'a> {
    /// Its address relative to the site's home.
    pub(super) url: &'a str,
    /// Its analysis slot in the collector: the same in every site holding the page.
    pub(super) slot: usize,
    pub(super) analysed: &'a Analysed,
}

impl Member for Entry<'_> {
    fn key(&self) -> (&str, usize) {
        (self.url, self.slot)
    }
}

/// One site to write: its folder (`public/`) and its documents in path order.
pub(super) struct SiteDocs<'a> {
    pub(super) prefix: &'a str,
    /// Whether it is public: public sites are planned first (see [`groups::plan`]).
    pub(super) public: bool,
    pub(super) docs: Vec<Entry<'a>>,
}

/// The work of writing bundles, counted: what a reader would notice as time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Work {
    /// Document group files written, over all sites.
    pub(crate) group_files: usize,
    /// Document groups encoded and compressed: a group in several sites counts once.
    pub(crate) groups_compressed: usize,
}

/// The bundles of `sites`, handed to `put` with the site's position a few files at a
/// time, as they are made: document groups (each distinct group compressed once)
/// beside the term shards of one site after another.
pub(super) fn bundles(sites: &[SiteDocs], dict: &Dict, put: &(dyn Fn(usize, Vec<OutputFile>) + Sync)) -> Work {
    let mut order: Vec<usize> = (0..sites.len()).filter(|&s| sites[s].public).collect();
    order.extend((0..sites.len()).filter(|&s| !sites[s].public));
    let size = order.iter().find(|&&s| !sites[s].docs.is_empty()).map_or(1, |&s| group_size(&sites[s].docs));
    let lists: Vec<&[Entry]> = sites.iter().map(|s| s.docs.as_slice()).collect();
    let plan = groups::plan(&lists, &order, size);
    rayon::join(
        || write_groups(sites, &plan, put),
        || {
            for (n, site) in sites.iter().enumerate().filter(|(_, s)| !s.docs.is_empty()) {
                let base = format!("{}{BUNDLE}/", site.prefix);
                let splits = write_terms(&base, &site.docs, dict, &mut |files| put(n, files));
                put(n, vec![meta(&base, site.docs.len(), plan.sizes(n), &splits)]);
            }
        },
    );
    Work { group_files: plan.sites.iter().map(Vec::len).sum(), groups_compressed: plan.distinct.len() }
}

/// Every distinct group of `plan` encoded and gzipped once, a few at a time, and its
/// bytes sent as `docs/<k>.gz` of each site holding it (`k` its place there).
fn write_groups(sites: &[SiteDocs], plan: &Plan, put: &(dyn Fn(usize, Vec<OutputFile>) + Sync)) {
    let mut uses: Vec<Vec<(usize, usize)>> = vec![Vec::new(); plan.distinct.len()];
    for (s, ids) in plan.sites.iter().enumerate() {
        for (k, &g) in ids.iter().enumerate() {
            uses[g].push((s, k));
        }
    }
    let bases: Vec<String> = sites.iter().map(|s| format!("{}{BUNDLE}/", s.prefix)).collect();
    for (b, batch) in plan.distinct.chunks(FILES_AT_A_TIME).enumerate() {
        let packed: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|g| gzip(docs_json(&sites[g.site].docs[g.first..g.first + g.len]).as_bytes(), Level::Text))
            .collect();
        let mut files: Vec<Vec<OutputFile>> = vec![Vec::new(); sites.len()];
        for (i, bytes) in packed.into_iter().enumerate() {
            // Every group is used by the site it was cut from, at least.
            let Some((&(last, k), others)) = uses[b * FILES_AT_A_TIME + i].split_last() else { continue };
            for &(s, k) in others {
                files[s].push(OutputFile { path: format!("{}docs/{k}.gz", bases[s]), bytes: bytes.clone() });
            }
            files[last].push(OutputFile { path: format!("{}docs/{k}.gz", bases[last]), bytes });
        }
        for (s, files) in files.into_iter().enumerate().filter(|(_, f)| !f.is_empty()) {
            put(s, files);
        }
    }
}

/// A site's `meta.json`: `{"docs": N, "groups": [[count, size], …], "splits": [key, …]}`,
/// the groups' sizes in runs of equal ones.
fn meta(base: &str, docs: usize, sizes: impl Iterator<Item = usize>, splits: &[String]) -> OutputFile {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for size in sizes {
        match runs.last_mut() {
            Some((count, last)) if *last == size => *count += 1,
            _ => runs.push((1, size)),
        }
    }
    let mut meta = format!("{{\"docs\":{docs},\"groups\":[");
    for (i, (count, size)) in runs.iter().enumerate() {
        let _ = write!(meta, "{}[{count},{size}]", if i > 0 { "," } else { "" });
    }
    meta.push_str("],\"splits\":[");
    for (i, key) in splits.iter().enumerate() {
        if i > 0 {
            meta.push(',');
        }
        push_json_str(&mut meta, key);
    }
    meta.push_str("]}");
    OutputFile { path: format!("{base}meta.json"), bytes: meta.into_bytes() }
}

/// Documents per group: [`GROUP_BYTES`] over the average document's bytes, from 1 to
/// [`MAX_GROUP`].
fn group_size(docs: &[Entry]) -> usize {
    let bytes: usize =
        docs.iter().map(|e| e.url.len() + e.analysed.doc.title.len() + excerpt_text(e.analysed).len()).sum();
    let average = (bytes / docs.len().max(1)).max(1);
    ((GROUP_BYTES + average / 2) / average).clamp(1, MAX_GROUP)
}

/// The text excerpts are cut from: the page's text without its title, which leads it
/// (the title is stored and shown on its own).
fn excerpt_text(a: &Analysed) -> &str {
    let text = a.doc.text.as_str();
    text.strip_prefix(a.doc.title.as_str()).and_then(|rest| rest.strip_prefix('\n')).unwrap_or(text)
}

/// A group's JSON: `[[url, title, text], …]`.
fn docs_json(members: &[Entry]) -> String {
    let mut json = String::with_capacity(
        members.iter().map(|e| e.url.len() + e.analysed.doc.title.len() + e.analysed.doc.text.len() + 8).sum::<usize>()
            + 2,
    );
    json.push('[');
    for (i, e) in members.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('[');
        push_json_str(&mut json, e.url);
        json.push(',');
        push_json_str(&mut json, &e.analysed.doc.title);
        json.push(',');
        push_json_str(&mut json, excerpt_text(e.analysed));
        json.push(']');
    }
    json.push(']');
    json
}

/// Every posting of the site scored and grouped by term in byte order (a counting sort:
/// documents stay in ascending order within a term), then cut into shards of about
/// [`shard_target`] bytes, each written gzipped; returns the keys that start shards
/// 1, 2, … (see [`split_key`]).
fn write_terms(base: &str, docs: &[Entry], dict: &Dict, put: &mut dyn FnMut(Vec<OutputFile>)) -> Vec<String> {
    // This site's statistics: each term's document frequency, the average length.
    let df = doc_frequencies(docs, dict.terms.len());
    let total_len: u64 = docs.iter().map(|e| u64::from(e.analysed.len)).sum();
    let corpus = Corpus { docs: docs.len() as u32, avg_len: total_len as f64 / docs.len() as f64 };
    let scorer = Scorer::new(corpus);
    // Where each term's postings start, terms in byte order.
    let mut start = vec![0usize; dict.terms.len() + 1];
    for (rank, &id) in dict.sorted.iter().enumerate() {
        start[rank + 1] = start[rank] + df[id as usize] as usize;
    }
    let mut postings = vec![(0u32, 0u32); start[dict.terms.len()]];
    // Where each term's next posting goes (fewer than 2³² postings in a site).
    let mut next: Vec<u32> = start.iter().map(|&s| s as u32).collect();
    // Each term's place and document frequency side by side: one memory access a posting.
    let by_id: Vec<(u32, u32)> = dict.order.iter().zip(&df).map(|(&rank, &df)| (rank, df)).collect();
    drop(df);
    for (n, e) in docs.iter().enumerate() {
        let (norm, kind) = (scorer.norm(e.analysed.len), e.analysed.doc.kind);
        for (id, tf) in e.analysed.postings.iter() {
            let (rank, df) = by_id[id as usize];
            let at = &mut next[rank as usize];
            postings[*at as usize] = (n as u32, Scorer::score(scorer.idf(df), u32::from(tf), norm, kind));
            *at += 1;
        }
    }
    drop((next, by_id));
    let held: Vec<usize> = (0..dict.terms.len()).filter(|&r| start[r] < start[r + 1]).collect();
    let term = |r: usize| dict.terms[dict.sorted[r] as usize].as_str();
    let lists = |r: usize| &postings[start[r]..start[r + 1]];
    // Every held term encoded once, in order, a run of terms at a time in parallel; the
    // postings are dropped before the shards are compressed.
    let runs: Vec<(Vec<u8>, Vec<usize>)> = held
        .par_chunks(4096)
        .map(|ranks| {
            let mut raw = Vec::new();
            let ends = ranks
                .iter()
                .map(|&r| {
                    encode_term(&mut raw, term(r), lists(r));
                    raw.len()
                })
                .collect();
            (raw, ends)
        })
        .collect();
    drop(postings);
    let mut raw = Vec::with_capacity(runs.iter().map(|(r, _)| r.len()).sum());
    let mut ends = Vec::with_capacity(held.len() + 1);
    ends.push(0);
    for (bytes, run_ends) in runs {
        let base = raw.len();
        ends.extend(run_ends.into_iter().map(|e| base + e));
        raw.extend_from_slice(&bytes);
    }
    let sizes: Vec<usize> = ends.windows(2).map(|w| w[1] - w[0]).collect();
    let shards = plan_shards(&sizes, shard_target(raw.len()));
    let splits: Vec<String> =
        shards[1..].iter().map(|&s| split_key(term(held[s - 1]), term(held[s])).to_string()).collect();
    let ranges: Vec<(usize, usize)> =
        shards.iter().zip(shards.iter().skip(1).chain(std::iter::once(&held.len()))).map(|(&a, &b)| (a, b)).collect();
    for (g, group) in ranges.chunks(FILES_AT_A_TIME).enumerate() {
        let files = group
            .par_iter()
            .enumerate()
            .map(|(k, &(from, to))| OutputFile {
                path: format!("{base}terms/{}.gz", g * FILES_AT_A_TIME + k),
                bytes: gzip(&raw[ends[from]..ends[to]], Level::Postings),
            })
            .collect();
        put(files);
    }
    splits
}

/// How many of `docs` hold each term, by term id: counted in parallel, a slice of the
/// documents at a time.
fn doc_frequencies(docs: &[Entry], terms: usize) -> Vec<u32> {
    let count = |slice: &[Entry]| {
        let mut df = vec![0u32; terms];
        for e in slice {
            for (id, _) in e.analysed.postings.iter() {
                df[id as usize] += 1;
            }
        }
        df
    };
    let slices = rayon::current_num_threads().clamp(1, 4);
    let mut counts: Vec<Vec<u32>> = docs.par_chunks(docs.len().div_ceil(slices).max(1)).map(count).collect();
    let mut df = counts.pop().unwrap_or_else(|| vec![0; terms]);
    for other in counts {
        df.iter_mut().zip(other).for_each(|(a, b)| *a += b);
    }
    df
}

/// The raw bytes a shard aims at for a site whose postings take `total` bytes: the
/// square root of 64 × `total` (at least [`MIN_SHARD`]), which keeps both the list of
/// shard keys in `meta.json` (which every query fetches) and what one term's shard adds
/// to a query small — about 31 KB raw, 19 KB gzipped, each at 10,000 standards, in
/// about 500 files per site.
fn shard_target(total: usize) -> usize {
    ((total as f64 * 64.0).sqrt() as usize).max(MIN_SHARD)
}

/// Where each shard starts, as indexes into `sizes` (the encoded bytes of each term, in
/// order): a shard takes terms while it stays within `target`, and a term larger than
/// `target` has a shard of its own.
fn plan_shards(sizes: &[usize], target: usize) -> Vec<usize> {
    let mut starts = vec![0];
    let mut bytes = 0;
    for (i, &size) in sizes.iter().enumerate() {
        if bytes > 0 && bytes + size > target {
            starts.push(i);
            bytes = 0;
        }
        bytes += size;
    }
    starts
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        push_json_str(&mut s, "a\"b\\c\n</script>\u{1}—\u{2028}x\u{2029}投");
        assert_eq!(s, r#""a\"b\\c\n\u003c/script>\u0001—\u2028x\u2029投""#);
    }

    #[test]
    fn shards_fill_up_to_their_target_and_a_large_term_stands_alone() {
        assert_eq!(plan_shards(&[4, 4, 4, 4, 4], 8), [0, 2, 4]);
        assert_eq!(plan_shards(&[3, 20, 3, 3], 8), [0, 1, 2]);
        assert_eq!(plan_shards(&[20], 8), [0]);
        // 15 MB of postings (10,000 standards): shards of about 31 KB.
        assert_eq!(shard_target(15_000_000), 30_983);
        assert_eq!(shard_target(1000), MIN_SHARD);
    }
}
