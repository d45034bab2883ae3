//! Counts the bytes of a built site's search bundles and what one query downloads:
//! for each site's bundle (`public/search`, `internal/search`), its files and bytes,
//! and for each query the files and bytes `search.js` fetches to show the first 20
//! results (`charter::search::query_download`: `meta.json`, the shard of each query
//! term, the document group of each result).
//!
//!     cargo run --release --example bench -- --pages 10000 --out /dev/shm/b/site
//!     cargo run --release --example search-bytes -- /dev/shm/b/site 投诉 complaint

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((site, queries)) = args.split_first() else {
        eprintln!("usage: search-bytes SITE_OUTPUT [QUERY…]");
        std::process::exit(2);
    };
    let mut everything = (0usize, 0usize);
    for entry in walkdir::WalkDir::new(site).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        everything.0 += 1;
        everything.1 += entry.metadata().map_or(0, |m| m.len() as usize);
    }
    println!("whole output: {} files, {} bytes", everything.0, everything.1);
    for audience in ["public", "internal"] {
        let dir = Path::new(site).join(audience).join("search");
        let (mut files, mut bytes) = (0, 0);
        for entry in walkdir::WalkDir::new(&dir).into_iter().filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && (name.ends_with(".gz") || name.ends_with(".json")) {
                files += 1;
                bytes += entry.metadata().map_or(0, |m| m.len() as usize);
            }
        }
        println!("{audience}/search: {files} files, {bytes} bytes");
        let read = |path: &str| std::fs::read(dir.join(path)).ok();
        for query in queries {
            match charter::search::query_download(&read, query, 20) {
                Some(d) => println!(
                    "  {query}: {} results; first 20 shown: {} files, {} bytes ({} in term shards, {} in documents)",
                    d.results,
                    d.files.len(),
                    d.bytes(),
                    d.files.iter().filter(|(p, _)| p.starts_with("terms/")).map(|(_, n)| n).sum::<usize>(),
                    d.files.iter().filter(|(p, _)| p.starts_with("docs/")).map(|(_, n)| n).sum::<usize>(),
                ),
                None => println!("  {query}: the bundle is incomplete or damaged"),
            }
        }
    }
}
