//! Counts the bytes of a built site's search bundles and what one query downloads:
//! for each site's bundle (`public/search`, `internal/search`), its files and bytes,
//! and for each query the files and bytes `search.js` fetches to show the first 20
//! results (`charter::search::query_download`: `meta.json`, the shard of each query
//! term, the document group of each result).
//!
//!     cargo run --release --example bench -- --pages 10000 --out /dev/shm/b/site
//!     cargo run --release --example search-bytes -- /dev/shm/b/site 投诉 complaint
//!
//! With `--levels` first, it also gzips every index file's content again at levels 1,
//! 2, 4, 6 and 9 and with Huffman codes alone (one thread, zlib-rs as the bundle uses
//! it) and prints, per kind of file, the bytes and the CPU time each takes: what
//! `codec::Level` is chosen by.
//!
//!     cargo run --release --example search-bytes -- --levels /dev/shm/b/site

use std::path::Path;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let levels = args.first().is_some_and(|a| a == "--levels");
    if levels {
        args.remove(0);
    }
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
        if levels {
            compare_levels(&dir);
        }
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

/// Every `docs/` and `terms/` file of a bundle inflated, then gzipped again at each level
/// on this thread: bytes and CPU time per kind of file.
fn compare_levels(dir: &Path) {
    for kind in ["docs", "terms"] {
        let contents: Vec<Vec<u8>> = walkdir::WalkDir::new(dir.join(kind))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| charter::search::inflate(&std::fs::read(e.path()).ok()?))
            .collect();
        let raw: usize = contents.iter().map(Vec::len).sum();
        println!("  {kind}: {} files, {raw} bytes inflated", contents.len());
        for (name, level, strategy) in [
            ("level 1", 1, zlib_rs::Strategy::Default),
            ("level 2", 2, zlib_rs::Strategy::Default),
            ("level 4", 4, zlib_rs::Strategy::Default),
            ("level 6", 6, zlib_rs::Strategy::Default),
            ("level 9", 9, zlib_rs::Strategy::Default),
            ("Huffman only", 1, zlib_rs::Strategy::HuffmanOnly),
        ] {
            let config = zlib_rs::DeflateConfig { level, window_bits: -15, strategy, ..Default::default() };
            let start = thread_cpu();
            let mut bytes = 0;
            let mut out = Vec::new();
            for content in &contents {
                out.resize(zlib_rs::compress_bound(content.len()), 0);
                // Header and trailer: 18 bytes, as the bundle writes them.
                bytes += zlib_rs::compress_slice(&mut out, content, config).0.len() + 18;
                std::hint::black_box(zlib_rs::crc32::crc32(0, content));
            }
            let cpu = thread_cpu() - start;
            println!(
                "    {name}: {bytes} bytes ({:.1} % of raw), {:.0} ms CPU, {:.0} MB/s",
                bytes as f64 * 100.0 / raw as f64,
                cpu * 1000.0,
                raw as f64 / cpu / 1e6
            );
        }
    }
}

/// CPU seconds this thread has used.
fn thread_cpu() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}
