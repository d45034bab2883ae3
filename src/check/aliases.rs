//! Aliases against everything else a site has: an alias may not be the URL of a page
//! (drafts included: publishing one would silently replace its redirect), another
//! alias, or a path the build generates (reports, search, changelog, the print edition,
//! release folders …). Each collision is one error at the alias.
//!
//! Pure: reads pages and names, writes diagnostics. Must not render.

use std::collections::BTreeMap;

use crate::base::diagnostics::Diagnostics;
use crate::load::content::Page;

/// The top-level files and folders a build writes besides content pages, in either
/// site (a test builds a full site and checks that this list names all of them).
pub(crate) const GENERATED: &[&str] = &[
    "404.html",
    "changelog",
    "changes",
    "favicon.svg",
    "feed.xml",
    "governance",
    "kpis",
    "opensearch.xml",
    "performance",
    "print",
    "reports",
    "robots.txt",
    "search",
    "search.js",
    "sitemap.xml",
    "style.css",
    "versions",
];

/// `name` without the content hash of a fingerprinted theme asset (`style.0123456789.css`
/// → `style.css`), so that those names are refused as the plain ones are.
fn without_fingerprint(name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    let hex = |s: &str| s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    match parts.len() {
        n if n >= 3 && hex(parts[n - 2]) => [&parts[..n - 2], &parts[n - 1..]].concat().join("."),
        _ => name.to_string(),
    }
}

/// Reports every alias of `pages` that collides with a page's URL, an earlier alias, a
/// generated path or a release folder (`releases`: the release names).
pub(crate) fn check(pages: &[Page], releases: &[String], diags: &mut Diagnostics) {
    let urls: BTreeMap<&str, &Page> = pages.iter().map(|p| (p.url.as_str(), p)).collect();
    let mut seen: BTreeMap<&str, &Page> = BTreeMap::new();
    for page in pages {
        for alias in &page.aliases {
            let first = alias.path.split('/').next().unwrap_or("");
            let clash = if let Some(other) = urls.get(alias.path.as_str()) {
                if std::ptr::eq(*other, page) {
                    "is this page's own URL".to_string()
                } else {
                    format!("is the URL of {}", other.source)
                }
            } else if let Some(other) = seen.get(alias.path.as_str()) {
                format!("is already an alias of {}", other.source)
            } else if GENERATED.contains(&first) || GENERATED.contains(&without_fingerprint(first).as_str()) {
                format!("is inside `{first}`, which the build generates")
            } else if releases.iter().any(|r| r == first) {
                format!("is inside the folder of release {first}")
            } else {
                seen.insert(&alias.path, page);
                continue;
            };
            diags.error(&page.source, alias.pos, "alias-collision", format!("alias `/{}` {clash}", alias.path));
            diags.with_help(
                "an alias names an old path that no page or generated page uses; remove it or pick that old path",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprinted_asset_names_are_read_as_their_plain_names() {
        assert_eq!(without_fingerprint("style.5fb4eaaa8e.css"), "style.css");
        assert_eq!(without_fingerprint("style.css"), "style.css");
        assert_eq!(without_fingerprint("a.b.c"), "a.b.c");
    }
}
