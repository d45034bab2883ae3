//! Full-text search with Pagefind: one index per site — the internal site, the current
//! public release at the root and every release in its folder — built from the
//! rendered pages in memory, with Pagefind's CJK segmentation so Chinese queries find
//! Chinese pages.
//!
//! Owns which pages of a site are indexed (only those under that site's folder, never
//! another version's or audience's) and turning Pagefind's bundle into output files
//! under `<site>/pagefind/`. Everything it produces is served from the site itself: no
//! other host, and pages stay usable without JavaScript (the search box is simply not
//! there).

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::output::OutputFile;

/// The folder of a site's search bundle.
pub const BUNDLE: &str = "pagefind";

/// A fingerprint of the pages a site's index would hold.
pub fn pages_key(files: &[OutputFile], site: &str, exclude: &[String]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in files.iter().filter(|f| indexed(&f.path, site, exclude)) {
        f.path.hash(&mut h);
        f.bytes.hash(&mut h);
    }
    h.finish()
}

fn indexed(path: &str, site: &str, exclude: &[String]) -> bool {
    path.strip_prefix(site).is_some_and(|rel| {
        rel.ends_with(".html") && rel != "404.html" && !exclude.iter().any(|e| rel.starts_with(e.as_str()))
    })
}

/// Builds the search index of the site whose files start with `site` (`public/`,
/// `public/2025.1/`, `internal/`), skipping pages under `exclude` (the release folders,
/// when indexing the root). Returns the bundle's files.
pub fn index(files: &[OutputFile], site: &str, exclude: &[String]) -> Result<Vec<OutputFile>, String> {
    let pages: Vec<(String, String)> = files
        .iter()
        .filter(|f| indexed(&f.path, site, exclude))
        .map(|f| {
            (
                format!("/{}", f.path[site.len()..].trim_end_matches("index.html")),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    if pages.is_empty() {
        return Ok(Vec::new());
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .root_selector("main".to_string())
            .exclude_selectors(vec![
                ".toc".to_string(),
                ".prev-next".to_string(),
                ".page-meta".to_string(),
                "figure svg".to_string(),
            ])
            .keep_index_url(false)
            .write_playground(false)
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| format!("search index: {e}"))?;
        for (url, html) in pages {
            index
                .add_html_file(None, Some(url.clone()), html)
                .await
                .map_err(|e| format!("search index: {url}: {e}"))?;
        }
        index.build_indexes().await.map_err(|e| format!("search index: {e}"))?;
        let bundle = index.get_files().await.map_err(|e| format!("search index: {e}"))?;
        let mut out: Vec<OutputFile> = bundle
            .into_iter()
            .map(|f| OutputFile {
                path: format!("{site}{BUNDLE}/{}", f.filename.to_string_lossy().replace('\\', "/")),
                bytes: f.contents,
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    })
}
