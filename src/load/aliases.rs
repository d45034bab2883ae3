//! Aliases: the old paths of a moved page (`aliases: [...]` in its front matter, or the
//! `slug`/`url`/`path` another tool gave it), each of which gets a redirect page.
//!
//! Owns how an alias as written becomes the output path of its redirect, relative to
//! the site root: a folder URL ending in `/` (its `index.html` redirects), or a file
//! ending in `.html`. Pure; collisions with pages and generated pages are `check`'s,
//! writing the redirects is `render`'s.

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::formats::yaml::Spanned;

/// One old path of a page, normalised, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alias {
    /// `standards/old-name/` (a folder) or `guide/old.html` (a file).
    pub(crate) path: String,
    pub(crate) pos: Pos,
}

impl Alias {
    /// The file that holds the redirect, relative to the site root.
    pub(crate) fn file(&self) -> String {
        if self.path.ends_with('/') {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }
}

/// The output path of an alias written as a site path (`/standards/old-name/`,
/// `standards/old-name`, `guide/old.html`) or a content path (`standards/old-name.md`).
/// All are from the site root; a leading `/` is optional. A content path and a folder
/// path name the same page folder; `index.html` or `_index.md` at the end names its
/// folder. Refuses full URLs, queries and anchors, `.`/`..` and any segment that could
/// not name a file of the site.
pub(crate) fn normalise(written: &str) -> Result<String, String> {
    let t = written.trim();
    if t.contains("://") || t.starts_with("//") {
        return Err("an alias is a path of this site (`/standards/old-name/`), not a URL".into());
    }
    if let Some(c) = t.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(format!("an alias is a path without `{c}`: a query or anchor cannot be redirected"));
    }
    let path = t.trim_start_matches('/');
    let (folder, file) = match path.rsplit_once('/') {
        Some((dir, "")) => (dir.to_string(), None),
        Some((dir, name)) => (dir.to_string(), Some(name)),
        None => (String::new(), (!path.is_empty()).then_some(path)),
    };
    let (dir, file) = match file {
        None => (folder, None),
        Some("_index.md" | "index.html" | "index.htm") => (folder, None),
        Some(name) if name.ends_with(".html") || name.ends_with(".htm") => (folder, Some(name)),
        Some(name) => {
            let stem = name.strip_suffix(".md").unwrap_or(name);
            (if folder.is_empty() { stem.to_string() } else { format!("{folder}/{stem}") }, None)
        }
    };
    if dir.is_empty() && file.is_none() {
        return Err("`/` is the home page; an alias names an old path of this page".into());
    }
    for segment in dir.split('/').filter(|_| !dir.is_empty()).chain(file) {
        crate::base::paths::check_segment(segment).map_err(|why| format!("alias `{t}`: {why}"))?;
    }
    Ok(match file {
        Some(f) if dir.is_empty() => f.to_string(),
        Some(f) => format!("{dir}/{f}"),
        None => format!("{dir}/"),
    })
}

/// The aliases of a page at `url`: those written in `aliases:`, each normalised (an
/// error at it when it cannot be), and the URL another tool gave it (`old_url`, from
/// `slug`, `url`, `path` or `permalink`), which is dropped when it is the page's own
/// URL and only warned about when it cannot be an alias (Docusaurus' `slug: /`): a
/// migrated site keeps building.
pub(crate) fn of_page(
    written: Vec<Spanned<String>>,
    old_url: Option<Spanned<String>>,
    url: &str,
    (source, diags): (&str, &mut Diagnostics),
) -> Vec<Alias> {
    let mut aliases = Vec::new();
    let written = written.into_iter().map(|a| (a, false));
    for (a, from_other_tool) in written.chain(old_url.map(|a| (a, true))) {
        match normalise(&a.value) {
            Ok(path) if from_other_tool && path == url => {}
            Ok(path) => aliases.push(Alias { path, pos: a.pos }),
            Err(e) if from_other_tool => {
                diags.warning(source, a.pos, "bad-alias", format!("the page's old URL cannot redirect to it: {e}"))
            }
            Err(e) => diags.error(source, a.pos, "bad-alias", e),
        }
    }
    aliases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_and_content_paths_name_the_same_folder() {
        for written in ["/standards/old-name/", "standards/old-name", "standards/old-name.md", " /standards/old-name "]
        {
            assert_eq!(normalise(written).unwrap(), "standards/old-name/", "{written}");
        }
        assert_eq!(normalise("guide/old.html").unwrap(), "guide/old.html");
        assert_eq!(normalise("/old.htm").unwrap(), "old.htm");
        assert_eq!(normalise("/guide/index.html").unwrap(), "guide/");
        assert_eq!(normalise("guide/_index.md").unwrap(), "guide/");
        assert_eq!(normalise("旧/投诉").unwrap(), "旧/投诉/");
        let alias = Alias { path: "a/b/".into(), pos: Pos::new(1, 1) };
        assert_eq!(alias.file(), "a/b/index.html");
    }

    #[test]
    fn paths_that_cannot_be_redirected_are_refused() {
        let err = |s: &str| normalise(s).unwrap_err();
        assert!(err("https://old.example/faq/").contains("not a URL"));
        assert!(err("//old.example/faq/").contains("not a URL"));
        assert!(err("faq/#top").contains("without `#`"));
        assert!(err("faq?x=1").contains("without `?`"));
        assert_eq!(err("/"), "`/` is the home page; an alias names an old path of this page");
        assert_eq!(err("a/../b/"), "alias `a/../b/`: `..` would leave its folder");
        assert!(err("a//b/").contains("an empty name"), "{}", err("a//b/"));
        assert!(err("%2e%2e/x").contains("`%`"));
    }
}
