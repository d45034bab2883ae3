//! What a reader downloads to search, counted in bytes: one query on a generated
//! handbook of a few hundred standards fetches `meta.json`, one small shard per term
//! and one small group of documents per result shown, a sliver of the whole bundle;
//! the bundle's files are gzipped, the same bytes whatever the thread count.

use std::path::Path;

use crate::common::*;

/// Standards generated on top of the handbook fixture.
const STANDARDS: usize = 400;

/// Chinese words of service prose and English words, picked by a fixed generator.
const ZH: &[&str] = &[
    "客户", "服务", "门店", "处理", "记录", "回访", "时限", "流程", "质量", "培训", "退货", "换货", "电话", "在线",
    "主管", "确认", "说明", "检查", "标准", "结果", "原因", "改进", "反馈", "预约", "会员", "订单", "库存", "价格",
];
const EN: &[&str] =
    &["store", "record", "follow-up", "customer", "handling", "limit", "service", "refund", "review", "team"];

/// Writes the generated standards into `root`'s content: each about 1,500 characters
/// of mixed prose in four sections; every third one about complaints (投诉), every
/// one mentioning a complaint somewhere.
fn generate(root: &Path) {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let dir = root.join("content/standards/generated");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..STANDARDS {
        let mut body = String::new();
        for section in 0..4 {
            body.push_str(&format!("\n## 第{section}节 Section {section}\n\n"));
            for _ in 0..60 {
                if next(5) == 0 {
                    body.push_str(EN[next(EN.len())]);
                    body.push(' ');
                } else {
                    body.push_str(ZH[next(ZH.len())]);
                }
                if i % 3 == 0 && next(40) == 0 {
                    body.push_str("投诉");
                }
            }
            body.push_str(if section == 2 { "。complaint\n" } else { "。\n" });
        }
        std::fs::write(
            dir.join(format!("g{i:04}.md")),
            format!("---\ntitle: 标准 {i} Standard\naudience: public\nowner: front-desk\n---\n{body}"),
        )
        .unwrap();
    }
}

fn built(threads: &str) -> tempfile::TempDir {
    let site = site_with(&["valid/handbook"]);
    generate(site.path());
    let o = charter_env(&["build", "--root", site.path().to_str().unwrap()], &[("RAYON_NUM_THREADS", threads)]);
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

/// Every file under `dir` as it lies on disk (gzipped files not inflated).
fn raw_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn one_query_downloads_a_few_small_files_and_the_bundle_is_compressed() {
    let site = built("2");
    let bundle = site.path().join("site/public/search");
    let read = |path: &str| std::fs::read(bundle.join(path)).ok();
    let files = raw_files(&bundle);
    let total: usize =
        files.iter().filter(|(p, _)| p.ends_with(".gz") || p.ends_with(".json")).map(|(_, b)| b.len()).sum();
    let meta = charter::search::Meta::parse(&read("meta.json").unwrap()).unwrap();
    assert!(meta.docs as usize > STANDARDS, "{meta:?}");
    // Pages of about 1.5 KB of text: several to a group, so that a group is small.
    assert!(meta.sizes().all(|n| (1..=16).contains(&n)), "{meta:?}");
    assert!((4..=16).contains(&meta.groups[0].1), "{meta:?}");
    for (path, bytes) in &files {
        if path.starts_with("docs/") {
            // Each group gzipped, a few KB: what one result costs.
            assert_eq!(bytes[..2], [0x1F, 0x8B], "{path}");
            assert!(bytes.len() < 8 * 1024, "{path}: {} bytes", bytes.len());
        }
        if path.starts_with("terms/") {
            let terms = charter::search::decode_shard(&charter::search::inflate(bytes).unwrap()).unwrap();
            assert!(bytes.len() < 8 * 1024 || terms.len() == 1, "{path}: {} bytes, {} terms", bytes.len(), terms.len());
        }
    }
    let whole = read_bundle(&bundle);
    for query in ["投诉", "complaint", "服务流程"] {
        let download = charter::search::query_download(&read, query, 20).unwrap();
        let report: Vec<String> = download.files.iter().map(|(p, n)| format!("{p} {n}")).collect();
        // What the browser ranks with: every page holding the query.
        assert_eq!(download.results, ranked(&whole, query).len(), "{query}");
        assert!(download.results >= 20, "{query}: {} results", download.results);
        // meta.json, one shard per term, at most one group per result shown.
        let shards = download.files.iter().filter(|(p, _)| p.starts_with("terms/")).count();
        let groups = download.files.iter().filter(|(p, _)| p.starts_with("docs/")).count();
        assert_eq!(download.files[0].0, "meta.json");
        assert!(shards <= charter::search::query_terms(query).len() && groups <= 20, "{report:#?}");
        // A page of 20 results downloads under 80 KB (the documents of the 20 results,
        // about 3 KB a result, and the postings), whatever the bundle's size.
        assert!(download.bytes() < 80 * 1024, "{query}: {} of {total} bytes\n{report:#?}", download.bytes());
    }
    // A query that matches nothing fetches meta.json and its shard alone.
    let none = charter::search::query_download(&read, "zzzzqqq", 20).unwrap();
    assert_eq!((none.results, none.files.len()), (0, 2), "{:?}", none.files);

    // The internal site holds every public standard: their groups are the public
    // site's, the same bytes (compressed once), bar a few around internal pages.
    let internal = raw_files(&site.path().join("site/internal/search"));
    let public_groups: std::collections::BTreeSet<&Vec<u8>> =
        files.iter().filter(|(p, _)| p.starts_with("docs/")).map(|(_, b)| b).collect();
    let internal_groups: Vec<&Vec<u8>> =
        internal.iter().filter(|(p, _)| p.starts_with("docs/")).map(|(_, b)| b).collect();
    let shared = internal_groups.iter().filter(|b| public_groups.contains(*b)).count();
    assert!(
        shared * 10 >= public_groups.len() * 9 && shared * 10 >= internal_groups.len() * 8,
        "{shared} of {} internal groups are public ones ({} public groups)",
        internal_groups.len(),
        public_groups.len()
    );

    // The same bytes, gzip included, whatever the thread count.
    let again = built("1");
    for audience in ["public", "internal"] {
        let dir = |s: &tempfile::TempDir| s.path().join("site").join(audience).join("search");
        assert!(raw_files(&dir(&site)) == raw_files(&dir(&again)), "{audience}/search differs between 1 and 2 threads");
    }
}
