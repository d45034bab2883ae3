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
    /// Documents per `docs/` group.
    pub chunk: u32,
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
        self.docs.div_ceil(self.chunk.max(1)) as usize
    }

    /// The group holding document `doc`.
    pub fn group_of(&self, doc: u32) -> usize {
        (doc / self.chunk.max(1)) as usize
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
        fetch(group_path(meta.group_of(hit.doc)))?;
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
    for k in 0..meta.groups() {
        let path = group_path(k);
        let group: Vec<(String, String, String)> =
            serde_json::from_slice(&file(&path)?).map_err(|e| format!("{path}: {e}"))?;
        out.docs.extend(group);
    }
    if out.docs.len() != meta.docs as usize {
        return Err(format!("meta.json says {} documents, the groups hold {}", meta.docs, out.docs.len()));
    }
    Ok(out)
}
