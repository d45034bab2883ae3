//! A bundle read back as `search.js` reads it: `meta.json`, the shard of each query
//! term, the document group of each result shown. For the tests (what the browser
//! ranks, whether a bundle is whole) and for measuring what one query downloads. Reads
//! through the function it is given, never files itself.

use std::collections::BTreeMap;

use super::codec::{decode_shard, inflate};
use super::rank::{query_terms, rank};

/// A bundle's `meta.json`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Meta {
    /// Documents in the index.
    pub docs: u32,
    /// The sizes of the `docs/` groups in runs: `(count, size)`, `count` groups of
    /// `size` documents each.
    pub groups: Vec<(u32, u32)>,
    /// The key starting each shard after the first.
    pub splits: Vec<String>,
}

impl Meta {
    pub fn parse(bytes: &[u8]) -> Option<Meta> {
        serde_json::from_slice(bytes).ok()
    }

    /// Shards in the bundle.
    pub fn shards(&self) -> usize {
        self.splits.len() + 1
    }

    /// The shard that holds `term` if any does: the number of keys at or before it
    /// (byte order, which is code point order, as `search.js` compares).
    pub fn shard_of(&self, term: &str) -> usize {
        self.splits.partition_point(|key| key.as_str() <= term)
    }

    /// Document groups in the bundle.
    pub fn groups(&self) -> usize {
        self.groups.iter().map(|&(count, _)| count as usize).sum()
    }

    /// The size of each group, in order.
    pub fn sizes(&self) -> impl Iterator<Item = u32> + '_ {
        self.groups.iter().flat_map(|&(count, size)| std::iter::repeat_n(size, count as usize))
    }

    /// The group holding document `doc` and its place there (past the last group when
    /// no group holds it), as `search.js` finds them.
    pub fn group_of(&self, doc: u32) -> (usize, u32) {
        let (mut group, mut first) = (0usize, 0u32);
        for &(count, size) in &self.groups {
            let span = count.saturating_mul(size);
            if doc < first.saturating_add(span) {
                let k = (doc - first) / size.max(1);
                return (group + k as usize, doc - first - k * size);
            }
            group += count as usize;
            first = first.saturating_add(span);
        }
        (group, 0)
    }
}

/// The path of shard `k`, relative to the bundle.
pub fn shard_path(k: usize) -> String {
    format!("terms/{k}.gz")
}

/// The path of document group `k`, relative to the bundle.
pub fn group_path(k: usize) -> String {
    format!("docs/{k}.gz")
}

/// The files one query downloads, in the order `search.js` asks for them, each with its
/// size as stored (what crosses the network when the server adds no compression).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub files: Vec<(String, usize)>,
    /// Results the query finds.
    pub results: usize,
}

impl Download {
    /// The bytes of every file downloaded.
    pub fn bytes(&self) -> usize {
        self.files.iter().map(|(_, n)| n).sum()
    }
}

/// What `search.js` downloads to show the first `shown` results of `query`, reading the
/// bundle's files (paths relative to the bundle) through `read`: `meta.json`, the
/// shard of each of the query's terms and the group of each result shown, each file
/// once. `None` when a file is missing or damaged.
pub fn query_download(read: &dyn Fn(&str) -> Option<Vec<u8>>, query: &str, shown: usize) -> Option<Download> {
    let terms = query_terms(query);
    let mut download = Download { files: Vec::new(), results: 0 };
    if terms.is_empty() {
        return Some(download);
    }
    let mut fetch = |path: String| -> Option<Option<Vec<u8>>> {
        if download.files.iter().any(|(p, _)| *p == path) {
            return Some(None);
        }
        let bytes = read(&path)?;
        download.files.push((path, bytes.len()));
        Some(Some(bytes))
    };
    let meta = Meta::parse(&fetch("meta.json".into())??)?;
    let mut shards: BTreeMap<usize, Vec<(String, Vec<u32>)>> = BTreeMap::new();
    for term in &terms {
        let k = meta.shard_of(term);
        if let Some(bytes) = fetch(shard_path(k))? {
            shards.insert(k, decode_shard(&inflate(&bytes)?)?);
        }
    }
    let postings: Vec<Vec<u32>> = terms
        .iter()
        .map(|term| {
            let shard = &shards[&meta.shard_of(term)];
            shard.iter().find(|(t, _)| t == term).map(|(_, p)| p.clone()).unwrap_or_default()
        })
        .collect();
    let ranked = rank(&postings);
    for hit in ranked.iter().take(shown) {
        fetch(group_path(meta.group_of(hit.doc).0))?;
    }
    download.results = ranked.len();
    Some(download)
}

/// A whole bundle as read back: every term's postings (`[doc, score, …]`) and every
/// document as `(url, title, text)`, in document order.
#[derive(Debug, Clone, Default)]
pub struct ReadBundle {
    pub terms: BTreeMap<String, Vec<u32>>,
    pub docs: Vec<(String, String, String)>,
}

/// Reads every file of a bundle through `read`, checking that it is whole: every shard
/// and group present and readable, each term in the shard `meta.json` sends a reader
/// to, terms in order, as many documents as `meta.json` says.
pub fn read_bundle(read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Result<ReadBundle, String> {
    let file = |path: &str| -> Result<Vec<u8>, String> {
        let bytes = read(path).ok_or_else(|| format!("{path}: missing"))?;
        inflate(&bytes).ok_or_else(|| format!("{path}: damaged gzip"))
    };
    let meta = Meta::parse(&file("meta.json")?).ok_or("meta.json: not a bundle's meta")?;
    let mut out = ReadBundle::default();
    let mut last: Option<String> = None;
    for k in 0..meta.shards() {
        let path = shard_path(k);
        let shard = decode_shard(&file(&path)?).ok_or_else(|| format!("{path}: not a shard"))?;
        for (term, postings) in shard {
            if meta.shard_of(&term) != k || last.as_ref().is_some_and(|l| *l >= term) {
                return Err(format!("{path}: `{term}` is out of place"));
            }
            last = Some(term.clone());
            out.terms.insert(term, postings);
        }
    }
    for (k, size) in meta.sizes().enumerate() {
        let path = group_path(k);
        let group: Vec<(String, String, String)> =
            serde_json::from_slice(&file(&path)?).map_err(|e| format!("{path}: {e}"))?;
        if group.len() != size as usize {
            return Err(format!("{path}: {} documents, meta.json says {size}", group.len()));
        }
        out.docs.extend(group);
    }
    if out.docs.len() != meta.docs as usize {
        return Err(format!("meta.json says {} documents, the groups hold {}", meta.docs, out.docs.len()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_found_in_its_group_by_adding_up_the_runs() {
        let meta = Meta { docs: 11, groups: vec![(2, 4), (1, 1), (1, 2)], splits: Vec::new() };
        assert_eq!(meta.groups(), 4);
        assert_eq!(meta.sizes().collect::<Vec<_>>(), [4, 4, 1, 2]);
        let places: Vec<(usize, u32)> = (0..12).map(|d| meta.group_of(d)).collect();
        assert_eq!(
            places,
            [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (1, 2), (1, 3), (2, 0), (3, 0), (3, 1), (4, 0)]
        );
    }
}
