//! The bytes of a bundle's files: gzip with a fixed level and header (no time stamp, no
//! operating system), term shards as binary postings, and the shortest key that
//! separates two neighbouring shards. `search.js` decodes the same bytes; the reader in
//! `read` decodes them for tests and measurements. Must not choose which terms or
//! documents a file holds.

use std::io::Read as _;

/// How a kind of bundle file is compressed: fixed for each kind of file, so the bytes
/// depend on the content alone. Chosen by measurement (`examples/search-bytes.rs
/// --levels`, BENCHMARKS.md "Search bundle cost").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// Documents (text): level 2, which on the bench's 10,000 standards gives files 3%
    /// larger than level 6 (zlib's default) in 70% of its time, and 25% smaller than
    /// level 1.
    Text,
    /// Term shards (varints, where repeated strings are rare): Huffman codes alone, no
    /// string matching. A fifth smaller than level 1 (whose fixed codes fit varints
    /// badly) and faster; within 5% of level 6.
    Postings,
}

/// `bytes` gzipped at `level`, with modification time 0 and operating system 255
/// (unknown) in the header, so that the same input gives the same bytes on every
/// machine.
pub(crate) fn gzip(bytes: &[u8], level: Level) -> Vec<u8> {
    use zlib_rs::{DeflateConfig, Strategy};
    let config = match level {
        Level::Text => DeflateConfig { level: 2, window_bits: -15, ..DeflateConfig::default() },
        Level::Postings => {
            DeflateConfig { level: 1, window_bits: -15, strategy: Strategy::HuffmanOnly, ..DeflateConfig::default() }
        }
    };
    // Header: magic, deflate, no flags, time 0, no extra flags, operating system unknown.
    let mut out = vec![0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255];
    out.resize(10 + zlib_rs::compress_bound(bytes.len()), 0);
    let (deflated, rc) = zlib_rs::compress_slice(&mut out[10..], bytes, config);
    assert_eq!(rc, zlib_rs::ReturnCode::Ok, "deflate into a buffer of its bound size");
    let len = deflated.len();
    out.truncate(10 + len);
    out.extend_from_slice(&zlib_rs::crc32::crc32(0, bytes).to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

/// The content of a bundle file: inflated when it starts with gzip's magic bytes, as it
/// is when a server serves it as it lies; as it is otherwise (a server that added
/// `Content-Encoding: gzip` has the browser inflate it already). `None` when the gzip
/// stream is damaged.
pub fn inflate(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0x1F, 0x8B]) {
        return Some(bytes.to_vec());
    }
    let mut out = Vec::with_capacity(bytes.len() * 3);
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).ok()?;
    Some(out)
}

/// Appends one term of a shard: the term's UTF-8 length and bytes, how many documents
/// hold it, then for each (in ascending order) the gap from the previous document (the
/// first: its number) and the difference of its score from the previous one's (the
/// first: from 0) zigzagged (0, -1, 1, -2 … as 0, 1, 2, 3 …), every number a LEB128
/// varint. A term's scores differ little from page to page, so most differences take
/// one byte where most scores take two.
pub(super) fn encode_term(out: &mut Vec<u8>, term: &str, postings: &[(u32, u32)]) {
    push_varint(out, term.len() as u32);
    out.extend_from_slice(term.as_bytes());
    push_varint(out, postings.len() as u32);
    let (mut prev, mut last) = (0, 0);
    for &(doc, score) in postings {
        push_varint(out, doc - prev);
        push_varint(out, zigzag(score, last));
        prev = doc;
        last = score;
    }
}

/// `score - last` zigzagged: 0, -1, 1, -2, 2 … as 0, 1, 2, 3, 4 ….
fn zigzag(score: u32, last: u32) -> u32 {
    if score >= last {
        (score - last) << 1
    } else {
        ((last - score) << 1) - 1
    }
}

/// The score whose difference from `last` zigzags to `code`; `None` when it would be
/// negative or overflow.
fn unzigzag(code: u32, last: u32) -> Option<u32> {
    if code & 1 == 0 {
        last.checked_add(code >> 1)
    } else {
        last.checked_sub((code >> 1) + 1)
    }
}

/// The terms of an inflated shard with their postings as `[doc, score, doc, score, …]`,
/// in the shard's order; `None` when the bytes are not a shard.
pub fn decode_shard(bytes: &[u8]) -> Option<Vec<(String, Vec<u32>)>> {
    let mut at = 0;
    let mut out = Vec::new();
    while at < bytes.len() {
        let len = read_varint(bytes, &mut at)? as usize;
        let term = std::str::from_utf8(bytes.get(at..at + len)?).ok()?.to_string();
        at += len;
        let count = read_varint(bytes, &mut at)?;
        let mut postings = Vec::with_capacity(count as usize * 2);
        let (mut doc, mut score) = (0u32, 0u32);
        for _ in 0..count {
            doc = doc.checked_add(read_varint(bytes, &mut at)?)?;
            score = unzigzag(read_varint(bytes, &mut at)?, score)?;
            postings.push(doc);
            postings.push(score);
        }
        out.push((term, postings));
    }
    Some(out)
}

/// The key that starts a shard whose first term is `first`, after a shard whose last
/// term is `last` (`last < first`): the shortest prefix of `first` (whole characters)
/// that sorts after `last`. Every term of the earlier shard sorts before it and every
/// term of this one at or after it, so a reader finds a term's shard by comparing.
pub(super) fn split_key<'a>(last: &str, first: &'a str) -> &'a str {
    first.char_indices().map(|(i, c)| &first[..i + c.len_utf8()]).find(|p| *p > last).unwrap_or(first)
}

pub(super) fn push_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The varint at `at`, moving past it; `None` when the bytes end inside one or it has
/// more than five bytes.
pub(super) fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut n = 0u32;
    for shift in [0, 7, 14, 21, 28] {
        let b = *bytes.get(*at)?;
        *at += 1;
        n |= u32::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_bytes_are_fixed_and_inflate_back() {
        let text = "投诉处理 complaint handling ".repeat(20);
        let packed = gzip(text.as_bytes(), Level::Text);
        // Magic, deflate, no flags, time stamp 0, no extra flags, OS unknown.
        assert_eq!(packed[..10], [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]);
        assert!(packed.len() < text.len() / 5, "{} of {}", packed.len(), text.len());
        assert_eq!(gzip(text.as_bytes(), Level::Text), packed, "the same bytes every time");
        // Huffman codes alone: the repeats are not found, the codes still shorten it.
        let fast = gzip(text.as_bytes(), Level::Postings);
        assert_eq!(fast[..10], packed[..10]);
        assert!(fast.len() > text.len() / 2 && fast.len() < text.len() * 9 / 10, "{}", fast.len());
        // The trailer: CRC-32 and length, as any gzip reader checks them.
        assert_eq!(fast[fast.len() - 4..], (text.len() as u32).to_le_bytes());
        assert_eq!(inflate(&fast).unwrap(), text.as_bytes());
        assert_eq!(inflate(&packed).unwrap(), text.as_bytes());
        // Served already inflated: used as it is; a damaged stream is refused.
        assert_eq!(inflate(b"[1,2]").unwrap(), b"[1,2]");
        assert!(inflate(&packed[..packed.len() / 2]).is_none());
    }

    #[test]
    fn a_shard_encodes_gaps_and_scores_as_varints_and_decodes_back() {
        let mut out = Vec::new();
        encode_term(&mut out, "投诉", &[(3, 35), (200, 1), (201, 300)]);
        encode_term(&mut out, "nps", &[(0, 300)]);
        // 投诉: length 6, its bytes, 3 documents: gap 3 → [3], score 35 (+35 → 70) →
        // [70]; gap 197 → [0xC5, 0x01], score 1 (−34 → 67) → [67]; gap 1 → [1], score
        // 300 (+299 → 598) → [0xD6, 0x04]. nps: 3, its bytes, 1 document: 0, +300 →
        // 600 → [0xD8, 0x04].
        let mut expected = vec![6];
        expected.extend_from_slice("投诉".as_bytes());
        expected.extend_from_slice(&[3, 3, 70, 0xC5, 0x01, 67, 1, 0xD6, 0x04]);
        expected.extend_from_slice(&[3, b'n', b'p', b's', 1, 0, 0xD8, 0x04]);
        assert_eq!(out, expected);
        let decoded = decode_shard(&out).unwrap();
        assert_eq!(decoded, [("投诉".to_string(), vec![3, 35, 200, 1, 201, 300]), ("nps".to_string(), vec![0, 300])]);
        assert!(decode_shard(&out[..out.len() - 1]).is_none(), "a cut shard is refused");
        // A score below 0 is refused, not wrapped.
        assert!(decode_shard(&[1, b'a', 1, 0, 3]).is_none());
        for (score, last) in [(0, 0), (5, 9), (9, 5), (u32::MAX / 2, 0), (0, u32::MAX / 2)] {
            assert_eq!(unzigzag(zigzag(score, last), last), Some(score), "{score} after {last}");
        }
    }

    #[test]
    fn split_keys_are_the_shortest_separating_prefixes() {
        assert_eq!(split_key("complain", "complaint"), "complaint");
        assert_eq!(split_key("apple", "banana"), "b");
        assert_eq!(split_key("投", "投诉"), "投诉");
        assert_eq!(split_key("投诉", "指标"), "指");
        for (last, first) in [("ab", "abc"), ("a", "b"), ("投诉", "投诉率")] {
            let key = split_key(last, first);
            assert!(last < key && key <= first, "{last} < {key} <= {first}");
        }
    }
}
