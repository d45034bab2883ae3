//! Link resolution between pages: pure functions from a link as written
//! (`../roles/front-desk.md#职责`) to what it points at, and from two page URLs to the
//! relative URL between them.
//!
//! Links are written to the markdown source so that they work in an editor and on a
//! code host; the build rewrites them to output URLs. Relative output URLs keep every
//! built site relocatable (any base path, a version folder, or `file://`). This module
//! must not look at files or know about audiences.

/// What a link destination refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// Has a scheme (`https:`, `mailto:`) or is protocol-relative: left as written.
    External,
    /// `#anchor` within the same page (percent-decoded).
    SamePage(String),
    /// Another page, by its path under `content/`, with an optional anchor.
    Page { rel: String, anchor: Option<String> },
    /// A relative link to something that is not a page (an image, a download): left
    /// as written.
    Other,
}

/// Classifies `dest` as written in the page at `from_rel` (path under `content/`).
/// Errors when a relative path climbs out of `content/`.
pub fn classify(dest: &str, from_rel: &str) -> Result<Dest, String> {
    if dest.starts_with("//") || has_scheme(dest) {
        return Ok(Dest::External);
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Ok(Dest::SamePage(percent_decode(anchor)));
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(percent_decode(a))),
        None => (dest, None),
    };
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = percent_decode(path);
    if !path.ends_with(".md") {
        return Ok(Dest::Other);
    }
    let base = if path.starts_with('/') { "" } else { crate::load::content::parent_dir(from_rel) };
    let rel = normalize(base, &path).ok_or_else(|| format!("link `{dest}` points outside content/"))?;
    Ok(Dest::Page { rel, anchor: anchor.filter(|a| !a.is_empty()) })
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) if i > 0 => {
            let scheme = &dest[..i];
            scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        _ => false,
    }
}

/// Joins `path` onto folder `base` (both under `content/`), resolving `.` and `..`.
/// `None` if the result would leave `content/`.
pub(crate) fn normalize(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes (UTF-8); malformed escapes are kept as written.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The relative URL from the page at `from_url` to `to_url` (both relative to the site
/// root; pages are folders ending in `/`, `""` is the home page; a target without a
/// trailing `/` is a file such as `style.css`). The shared leading folders are skipped,
/// so links between pages of one version read the same wherever that version is
/// published (`/` or `/2026.1/`).
pub fn relative_url(from_url: &str, to_url: &str) -> String {
    let from: Vec<&str> = from_url.split('/').filter(|s| !s.is_empty()).collect();
    let (to_dirs, file) = match to_url.rfind('/') {
        Some(i) => (&to_url[..i], &to_url[i + 1..]),
        None => ("", to_url),
    };
    let to: Vec<&str> = to_dirs.split('/').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut url = "../".repeat(from.len() - common);
    for seg in &to[common..] {
        url.push_str(seg);
        url.push('/');
    }
    url.push_str(file);
    if url.is_empty() {
        "./".to_string()
    } else {
        url
    }
}

/// The prefix leading from the page at `from_url` back to the site root.
pub(crate) fn root_prefix(from_url: &str) -> String {
    relative_url(from_url, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_links() {
        assert_eq!(classify("https://example.com/a.md", "a.md"), Ok(Dest::External));
        assert_eq!(classify("mailto:kf@example.com", "a.md"), Ok(Dest::External));
        assert_eq!(classify("//cdn.example.com/x", "a.md"), Ok(Dest::External));
        assert_eq!(classify("#%E8%81%8C%E8%B4%A3", "a.md"), Ok(Dest::SamePage("职责".into())));
        assert_eq!(classify("../static/map.png", "standards/a.md"), Ok(Dest::Other));
        assert_eq!(
            classify("../roles/front-desk.md#职责", "standards/a.md"),
            Ok(Dest::Page { rel: "roles/front-desk.md".into(), anchor: Some("职责".into()) })
        );
        assert_eq!(classify("b.md", "standards/a.md"), Ok(Dest::Page { rel: "standards/b.md".into(), anchor: None }));
        assert_eq!(
            classify("./b.md#", "standards/a.md"),
            Ok(Dest::Page { rel: "standards/b.md".into(), anchor: None })
        );
        assert_eq!(
            classify("/roles/x.md", "standards/deep/a.md"),
            Ok(Dest::Page { rel: "roles/x.md".into(), anchor: None })
        );
        assert_eq!(classify("%E6%8A%95%E8%AF%89.md", "a.md"), Ok(Dest::Page { rel: "投诉.md".into(), anchor: None }));
        assert!(classify("../../etc/passwd.md", "standards/a.md").is_err());
    }

    #[test]
    fn relative_urls_skip_shared_folders() {
        assert_eq!(relative_url("standards/a/", "roles/b/"), "../../roles/b/");
        assert_eq!(relative_url("standards/a/", "standards/b/"), "../b/");
        assert_eq!(relative_url("standards/a/", "standards/"), "../");
        assert_eq!(relative_url("standards/", "standards/a/"), "a/");
        assert_eq!(relative_url("standards/a/", "standards/a/"), "./");
        assert_eq!(relative_url("", "roles/b/"), "roles/b/");
        assert_eq!(relative_url("standards/", ""), "../");
        assert_eq!(relative_url("", ""), "./");
        assert_eq!(relative_url("2026.1/standards/a/", "style.css"), "../../../style.css");
        assert_eq!(relative_url("2026.1/standards/a/", "2026.1/kpis/x/"), "../../kpis/x/");
        assert_eq!(root_prefix("standards/a/"), "../../");
    }

    #[test]
    fn percent_decoding_is_lenient() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
