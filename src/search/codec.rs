//! The bytes of a bundle's files: gzip with a fixed level and header (no time stamp, no
//! operating system), term shards as binary postings, and the shortest key that
//! separates two neighbouring shards. `search.js` decodes the same bytes; the reader in
//! `read` decodes them for tests and measurements. Must not choose which terms or
//! documents a file holds.

use std::io::{Read as _, Write as _};

/// The compression level of a bundle file: fixed for each kind of file, so the bytes
/// depend on the content alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// Documents (text): level 2, which on the bench's 10,000 standards gives files 3%
    /// larger than level 6 (zlib's default) in 70% of its time, and 25% smaller than
    /// level 1.
    Text,
    /// Term shards (varints, which deflate halves at best): level 1, three times level
    /// 2's speed for files a third larger.
    Postings,
}

/// `bytes` gzipped at `level`, with modification time 0 and operating system 255
/// (unknown) in the header, so that the same input gives the same bytes on every
/// machine.
pub(crate) fn gzip(bytes: &[u8], level: Level) -> Vec<u8> {
    let out = Vec::with_capacity(bytes.len() / 2 + 32);
    let level = flate2::Compression::new(match level {
        Level::Text => 2,
        Level::Postings => 1,
    });
    let mut encoder = flate2::GzBuilder::new().mtime(0).operating_system(255).write(out, level);
    // Writing into a `Vec` cannot fail.
    encoder.write_all(bytes).and_then(|()| encoder.finish()).unwrap_or_default()
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
/// first: its number) and its score, every number a LEB128 varint.
pub(super) fn encode_term(out: &mut Vec<u8>, term: &str, postings: &[(u32, u32)]) {
    push_varint(out, term.len() as u32);
    out.extend_from_slice(term.as_bytes());
    push_varint(out, postings.len() as u32);
    let mut prev = 0;
    for &(doc, score) in postings {
        push_varint(out, doc - prev);
        push_varint(out, score);
        prev = doc;
    }
}

/// The bytes [`encode_term`] appends, without appending them.
pub(super) fn encoded_len(term: &str, postings: &[(u32, u32)]) -> usize {
    let mut prev = 0;
    let mut len = varint_len(term.len() as u32) + term.len() + varint_len(postings.len() as u32);
    for &(doc, score) in postings {
        len += varint_len(doc - prev) + varint_len(score);
        prev = doc;
    }
    len
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
        let mut doc = 0u32;
        for _ in 0..count {
            doc = doc.checked_add(read_varint(bytes, &mut at)?)?;
            postings.push(doc);
            postings.push(read_varint(bytes, &mut at)?);
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

fn varint_len(n: u32) -> usize {
    (32 - n.leading_zeros() as usize).max(1).div_ceil(7)
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
        // Magic, deflate, no flags, time stamp 0, no extra flag for level 2, OS unknown.
        assert_eq!(packed[..10], [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 255]);
        assert!(packed.len() < text.len() / 5, "{} of {}", packed.len(), text.len());
        assert_eq!(gzip(text.as_bytes(), Level::Text), packed, "the same bytes every time");
        // Level 1: the "fastest" extra flag.
        let fast = gzip(text.as_bytes(), Level::Postings);
        assert_eq!(fast[..10], [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 4, 255]);
        assert_eq!(inflate(&fast).unwrap(), text.as_bytes());
        assert_eq!(inflate(&packed).unwrap(), text.as_bytes());
        // Served already inflated: used as it is; a damaged stream is refused.
        assert_eq!(inflate(b"[1,2]").unwrap(), b"[1,2]");
        assert!(inflate(&packed[..packed.len() / 2]).is_none());
    }

    #[test]
    fn a_shard_encodes_gaps_and_scores_as_varints_and_decodes_back() {
        let mut out = Vec::new();
        encode_term(&mut out, "投诉", &[(3, 35), (200, 1)]);
        encode_term(&mut out, "nps", &[(0, 300)]);
        // 投诉: length 6, its bytes, 2 documents: 3 → [3], 35 → [35]; gap 197 →
        // [0xC5, 0x01], 1 → [1]. nps: 3, its bytes, 1 document: 0, 300 → [0xAC, 0x02].
        let mut expected = vec![6];
        expected.extend_from_slice("投诉".as_bytes());
        expected.extend_from_slice(&[2, 3, 35, 0xC5, 0x01, 1, 3, b'n', b'p', b's', 1, 0, 0xAC, 0x02]);
        assert_eq!(out, expected);
        assert_eq!(encoded_len("投诉", &[(3, 35), (200, 1)]) + encoded_len("nps", &[(0, 300)]), out.len());
        let decoded = decode_shard(&out).unwrap();
        assert_eq!(decoded, [("投诉".to_string(), vec![3, 35, 200, 1]), ("nps".to_string(), vec![0, 300])]);
        assert!(decode_shard(&out[..out.len() - 1]).is_none(), "a cut shard is refused");
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
        assert_eq!(varint_len(0), 1);
        assert_eq!(varint_len(127), 1);
        assert_eq!(varint_len(128), 2);
        assert_eq!(varint_len(u32::MAX), 5);
    }
}
