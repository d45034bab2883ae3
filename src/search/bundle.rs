//! The bundle file format: a site's documents and their postings written as `meta.json`,
//! term shards `terms/<k>.json` and document chunks `docs/<k>.json`, a few files at a
//! time. Must not choose which pages are indexed or how text becomes terms.

use rustc_hash::FxHashMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use super::rank::{shipped, Corpus, Posting};
use super::{Analysed, Term, BUNDLE};
use crate::base::files::OutputFile;

/// Documents per `docs/` file: a result list fetches a few small files.
const CHUNK: usize = 16;

/// About this many postings per term shard.
const SHARD_POSTINGS: usize = 12_000;

/// The terms of a collector by id, with their shard hashes.
pub(super) struct Dict<'a> {
    pub(super) terms: &'a [Term],
    pub(super) hashes: &'a [u32],
}

/// Shard or document files made and handed over at a time.
const FILES_AT_A_TIME: usize = 64;

/// The bundle of one site from its documents, in path order, handed to `put` a few
/// files at a time.
pub(super) fn bundle(site: &str, docs: &[(&str, &Analysed)], dict: &Dict, put: &mut dyn FnMut(Vec<OutputFile>)) {
    if docs.is_empty() {
        return;
    }
    let postings: usize = docs.iter().map(|d| d.1.postings.len).sum();
    let shards = (postings / SHARD_POSTINGS).clamp(1, 4096).next_power_of_two();
    let mask = shards as u32 - 1;
    // This site's statistics: each term's document frequency, the average length.
    let mut df: FxHashMap<u32, u32> = FxHashMap::default();
    for (_, a) in docs {
        for (id, _) in a.postings.iter() {
            *df.entry(id).or_default() += 1;
        }
    }
    let total_len: u64 = docs.iter().map(|(_, a)| u64::from(a.len)).sum();
    let corpus = Corpus { docs: docs.len() as u32, avg_len: total_len as f64 / docs.len() as f64 };
    // Every posting, scored, into its shard, documents numbered in path order; then each
    // shard's JSON, in parallel, each shard's postings dropped once written out.
    let mut by_shard: Vec<Vec<(u32, u32, u32)>> = vec![Vec::new(); shards];
    for (n, (_, a)) in docs.iter().enumerate() {
        for (id, tf) in a.postings.iter() {
            let p = Posting { tf: u32::from(tf), df: df[&id], len: a.len, kind: a.doc.kind };
            by_shard[(dict.hashes[id as usize] & mask) as usize].push((id, n as u32, shipped(corpus, p)));
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
                    chunk.iter().map(|(url, a)| url.len() + a.doc.title.len() + a.doc.text.len() + 8).sum::<usize>()
                        + 2,
                );
                json.push('[');
                for (i, (url, Analysed { doc, .. })) in chunk.iter().enumerate() {
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

/// A shard's JSON from its postings (term id, document, score) in document order:
/// terms sorted, each with its documents in order.
fn shard_json(postings: &[(u32, u32, u32)], dict: &[Term]) -> String {
    let mut by_term: FxHashMap<u32, Vec<(u32, u32)>> = FxHashMap::default();
    for &(id, doc, w) in postings {
        by_term.entry(id).or_default().push((doc, w));
    }
    let mut terms: Vec<(Term, Vec<(u32, u32)>)> =
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
            push_u32(&mut json, w);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        push_json_str(&mut s, "a\"b\\c\n</script>\u{1}—\u{2028}x\u{2029}投");
        assert_eq!(s, r#""a\"b\\c\n\u003c/script>\u0001—\u2028x\u2029投""#);
    }
}
