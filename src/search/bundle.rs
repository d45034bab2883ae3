//! The bundle file format: a site's documents and their postings written as
//! `meta.json`, term shards `terms/<k>.gz` (binary postings, terms in byte order, each
//! shard a range of terms bounded in bytes) and document groups `docs/<k>.gz` (a few
//! documents' address, title and excerpt text as gzipped JSON), a few files at a time.
//! Must not choose which pages are indexed or how text becomes terms.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::codec::{encode_term, encoded_len, gzip, split_key, Level};
use super::rank::{shipped, Corpus, Posting};
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

/// The bundle of one site from its documents, in path order, handed to `put` a few
/// files at a time.
pub(super) fn bundle(site: &str, docs: &[(&str, &Analysed)], dict: &Dict, put: &mut dyn FnMut(Vec<OutputFile>)) {
    if docs.is_empty() {
        return;
    }
    let base = format!("{site}{BUNDLE}/");
    let splits = write_terms(&base, docs, dict, put);
    let group = group_size(docs);
    for (g, chunk) in docs.chunks(group * FILES_AT_A_TIME).enumerate() {
        let files = chunk
            .par_chunks(group)
            .enumerate()
            .map(|(k, members)| OutputFile {
                path: format!("{base}docs/{}.gz", g * FILES_AT_A_TIME + k),
                bytes: gzip(docs_json(members).as_bytes(), Level::Text),
            })
            .collect();
        put(files);
    }
    let mut meta = format!("{{\"docs\":{},\"chunk\":{group},\"splits\":[", docs.len());
    for (i, key) in splits.iter().enumerate() {
        if i > 0 {
            meta.push(',');
        }
        push_json_str(&mut meta, key);
    }
    meta.push_str("]}");
    put(vec![OutputFile { path: format!("{base}meta.json"), bytes: meta.into_bytes() }]);
}

/// Documents per group: [`GROUP_BYTES`] over the average document's bytes, from 1 to
/// [`MAX_GROUP`].
fn group_size(docs: &[(&str, &Analysed)]) -> usize {
    let bytes: usize = docs.iter().map(|(url, a)| url.len() + a.doc.title.len() + excerpt_text(a).len()).sum();
    let average = (bytes / docs.len()).max(1);
    ((GROUP_BYTES + average / 2) / average).clamp(1, MAX_GROUP)
}

/// The text excerpts are cut from: the page's text without its title, which leads it
/// (the title is stored and shown on its own).
fn excerpt_text(a: &Analysed) -> &str {
    let text = a.doc.text.as_str();
    text.strip_prefix(a.doc.title.as_str()).and_then(|rest| rest.strip_prefix('\n')).unwrap_or(text)
}

/// A group's JSON: `[[url, title, text], …]`.
fn docs_json(members: &[(&str, &Analysed)]) -> String {
    let mut json = String::with_capacity(
        members.iter().map(|(url, a)| url.len() + a.doc.title.len() + a.doc.text.len() + 8).sum::<usize>() + 2,
    );
    json.push('[');
    for (i, (url, a)) in members.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push('[');
        push_json_str(&mut json, url);
        json.push(',');
        push_json_str(&mut json, &a.doc.title);
        json.push(',');
        push_json_str(&mut json, excerpt_text(a));
        json.push(']');
    }
    json.push(']');
    json
}

/// Every posting of the site scored and grouped by term in byte order (a counting sort:
/// documents stay in ascending order within a term), then cut into shards of about
/// [`shard_target`] bytes, each written gzipped; returns the keys that start shards
/// 1, 2, … (see [`split_key`]).
fn write_terms(
    base: &str,
    docs: &[(&str, &Analysed)],
    dict: &Dict,
    put: &mut dyn FnMut(Vec<OutputFile>),
) -> Vec<String> {
    // This site's statistics: each term's document frequency, the average length.
    let mut df = vec![0u32; dict.terms.len()];
    for (_, a) in docs {
        for (id, _) in a.postings.iter() {
            df[id as usize] += 1;
        }
    }
    let total_len: u64 = docs.iter().map(|(_, a)| u64::from(a.len)).sum();
    let corpus = Corpus { docs: docs.len() as u32, avg_len: total_len as f64 / docs.len() as f64 };
    // Where each term's postings start, terms in byte order.
    let mut start = vec![0usize; dict.terms.len() + 1];
    for (rank, &id) in dict.sorted.iter().enumerate() {
        start[rank + 1] = start[rank] + df[id as usize] as usize;
    }
    let mut postings = vec![(0u32, 0u32); start[dict.terms.len()]];
    let mut next = start.clone();
    for (n, (_, a)) in docs.iter().enumerate() {
        for (id, tf) in a.postings.iter() {
            let p = Posting { tf: u32::from(tf), df: df[id as usize], len: a.len, kind: a.doc.kind };
            let at = &mut next[dict.order[id as usize] as usize];
            postings[*at] = (n as u32, shipped(corpus, p));
            *at += 1;
        }
    }
    drop(next);
    let held: Vec<usize> = (0..dict.terms.len()).filter(|&r| start[r] < start[r + 1]).collect();
    let term = |r: usize| dict.terms[dict.sorted[r] as usize].as_str();
    let lists = |r: usize| &postings[start[r]..start[r + 1]];
    let sizes: Vec<usize> = held.par_iter().map(|&r| encoded_len(term(r), lists(r))).collect();
    let shards = plan_shards(&sizes, shard_target(sizes.iter().sum()));
    let splits: Vec<String> =
        shards[1..].iter().map(|&s| split_key(term(held[s - 1]), term(held[s])).to_string()).collect();
    let ranges: Vec<(usize, usize)> =
        shards.iter().zip(shards.iter().skip(1).chain(std::iter::once(&held.len()))).map(|(&a, &b)| (a, b)).collect();
    for (g, group) in ranges.chunks(FILES_AT_A_TIME).enumerate() {
        let files = group
            .par_iter()
            .enumerate()
            .map(|(k, &(from, to))| {
                let mut raw = Vec::with_capacity(sizes[from..to].iter().sum());
                for &r in &held[from..to] {
                    encode_term(&mut raw, term(r), lists(r));
                }
                OutputFile {
                    path: format!("{base}terms/{}.gz", g * FILES_AT_A_TIME + k),
                    bytes: gzip(&raw, Level::Postings),
                }
            })
            .collect();
        put(files);
    }
    splits
}

/// The raw bytes a shard aims at for a site whose postings take `total` bytes: the
/// square root of 16 × `total` (at least [`MIN_SHARD`]), which keeps both the list of
/// shard keys in `meta.json` and what one term's shard adds to a query small — about
/// 17 KB each at 10,000 standards.
fn shard_target(total: usize) -> usize {
    ((total as f64 * 16.0).sqrt() as usize).max(MIN_SHARD)
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
        // 18 MB of postings (10,000 standards): shards of about 17 KB.
        assert_eq!(shard_target(18_000_000), 16_970);
        assert_eq!(shard_target(1000), MIN_SHARD);
    }
}
