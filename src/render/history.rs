//! A page's history line: when it was last updated and, where the site allows, a link
//! to edit its source. Pure: it is handed the git history (`load::history`), the view
//! and the config, and reads nothing.
//!
//! Rules (README "Page history and edit links"):
//! - a working-copy page shows the day of the last commit touching its source file;
//! - a page of a release shows the last commit touching the same path in `content/` on
//!   or before the release's date (the page as it was frozen), else the last commit of
//!   its frozen copy under `versions/`;
//! - without a date from git (no repository, shallow clone, uncommitted new file) it
//!   shows its `effective` date, or nothing;
//! - the edit link is `edit_url` + the source's path in the repository, on working-copy
//!   pages only (a frozen release is not edited), in the internal site, and in the
//!   public site only with `edit_url_public: true`. Internal pages never reach the
//!   public site's views, so neither do their links.

use serde::Serialize;

use super::{Inputs, View};
use crate::load::content::Page;

/// What `page-history.html` shows.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(super) struct PageHistory {
    /// `YYYY-MM-DD`.
    pub(super) updated: Option<String>,
    pub(super) edit_url: Option<String>,
}

pub(super) fn page_history(view: &View, inputs: &Inputs, page: &Page) -> PageHistory {
    let history = inputs.history;
    let release = view.versioning.as_ref().map(|v| (&v.names[v.this], v.dates[v.this]));
    let from_git = match release {
        None => history.last_commit(&page.source, None),
        Some((name, date)) => history
            .last_commit(&page.source, Some(date))
            .or_else(|| history.last_commit(&format!("versions/{name}/{}", page.source), None)),
    };
    let config = inputs.config;
    let shown_here = !view.audience.is_public() || config.edit_url_public;
    // A file git does not know (not committed yet) cannot be edited in the repository;
    // without a repository, the site root is taken as the repository's top level.
    let editable = history.fallback.is_some() || history.last_commit(&page.source, None).is_some();
    let edit_url = (!config.edit_url.is_empty() && shown_here && release.is_none() && editable)
        .then(|| format!("{}{}", config.edit_url, encode_path(&history.repo_path(&page.source))));
    PageHistory { updated: from_git.or(page.effective).map(|d| d.to_string()), edit_url }
}

/// `path` percent-encoded for a URL: every byte but unreserved ASCII and `/` (spaces,
/// `#`, `?`, `%` and the UTF-8 bytes of non-ASCII names) becomes `%XX`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_path;

    #[test]
    fn paths_are_percent_encoded_segment_by_segment() {
        assert_eq!(encode_path("docs/content/a-b_c.md"), "docs/content/a-b_c.md");
        assert_eq!(encode_path("content/服务 标准#1.md"), "content/%E6%9C%8D%E5%8A%A1%20%E6%A0%87%E5%87%86%231.md");
    }
}
