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
    /// `#anchor` within the same page (percent-decoded; empty for a bare `#` or `?x`).
    SamePage(String),
    /// Something of this site: the first of `wants` that exists, with an optional anchor.
    Local { wants: Vec<Want>, anchor: Option<String> },
}

/// A target a local link may name, as the build looks it up.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Want {
    /// A page by its source path under `content/` (`standards/faq.md`).
    Page(String),
    /// A page by its address in the site (`standards/faq/`; `""` is the home page).
    Address(String),
    /// A file by its address in the site (`standards/img/map.png`): a file beside a
    /// page, or one of `static/`.
    File(String),
    /// A file of `static/` by its path under it (`img/logo.png`, `internal/a.pdf`), from
    /// a relative link that climbs out of `content/` into `static/` as an editor sees it.
    Static(String),
}

impl Want {
    /// What was looked for, for a diagnostic: `page content/a.md`, `page /a/`.
    pub fn describe(&self) -> String {
        match self {
            Want::Page(rel) => format!("page content/{rel}"),
            Want::Address(a) => format!("page at `/{a}`"),
            Want::File(a) => format!("file `{a}` in content/ or static/"),
            Want::Static(s) => format!("file static/{s}"),
        }
    }
}

/// Classifies `dest` as written in the page at `from_rel` (path under `content/`),
/// whose address is `from_url`. Errors when a relative path climbs out of the site.
///
/// Where a relative link is read from: one that ends in `/` is an address of the
/// built site, read from the page's own address as a browser reads it (`../faq/` from
/// `standards/refunds/` is `standards/faq/`); every other one is read from the folder
/// of the markdown file, as GitHub, mdBook and Docusaurus read it (`faq.md`,
/// `faq.html`, `faq`, `img/map.png` beside `standards/refunds.md` are in `standards/`).
/// A path from the site root (`/standards/faq/`) is the same in both. What each form
/// may name:
///
/// | form | looks for |
/// |---|---|
/// | `x.md` | the page `x.md` |
/// | `x.html`, `x/index.html` | the page at `x/` |
/// | `x/` | the page at `x/` |
/// | `x` (no extension) | the page at `x/`, else a file `x` |
/// | `x.png`, `x.pdf`, … | a file beside the pages or in `static/` |
/// | `../../static/x.png` | the file `static/x.png` |
pub fn classify(dest: &str, from_rel: &str, from_url: &str) -> Result<Dest, String> {
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
    if path.is_empty() {
        return Ok(Dest::SamePage(anchor.unwrap_or_default()));
    }
    let path = percent_decode(path);
    let outside = || format!("link `{dest}` points outside content/ and static/");
    let anchor = anchor.filter(|a| !a.is_empty());
    let folder_url = path.ends_with('/');
    // Read in the frame of the site folder, so that a link climbing out of `content/`
    // into `static/` (as it reads in an editor) is understood.
    let base = if path.starts_with('/') {
        String::from("content")
    } else if folder_url {
        format!("content/{from_url}")
    } else {
        format!("content/{}", crate::load::content::parent_dir(from_rel))
    };
    let full = normalize(&base, &path).ok_or_else(outside)?;
    if let Some(s) = full.strip_prefix("static/") {
        return Ok(Dest::Local { wants: vec![Want::Static(s.to_string())], anchor });
    }
    let p = match full.strip_prefix("content/") {
        Some(p) => p.to_string(),
        None if full == "content" => String::new(),
        None => return Err(outside()),
    };
    let last = p.rsplit('/').next().unwrap_or(&p);
    let folder = |p: &str| if p.is_empty() { String::new() } else { format!("{p}/") };
    let wants = if folder_url || p.is_empty() {
        vec![Want::Address(folder(&p))]
    } else if p.ends_with(".md") {
        vec![Want::Page(p)]
    } else if let Some(stem) =
        p.strip_suffix(".html").filter(|_| !last.trim_end_matches(".html").chars().all(|c| c == '.'))
    {
        let stem = if last == "index.html" { parent_of(stem) } else { stem };
        vec![Want::Address(folder(stem))]
    } else if !last.contains('.') {
        vec![Want::Address(folder(&p)), Want::File(p)]
    } else {
        vec![Want::File(p)]
    };
    Ok(Dest::Local { wants, anchor })
}

/// `a/b` → `a`, `index` → `""` (the folder a trailing `index` stands for).
fn parent_of(stem: &str) -> &str {
    stem.rfind('/').map_or("", |i| &stem[..i])
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

/// `url` written into an `href` attribute as an IRI: ASCII escaped exactly as
/// pulldown-cmark's writer escapes it (unsafe bytes as `%XX`, `&` and `'` as
/// entities), other characters kept as UTF-8 (`#第1节` rather than `#%E7%AC%AC1%E8%8A%82`,
/// a third of the bytes; HTML takes any valid URL string) except those the URL
/// standard's URL code points leave out: C1 controls and noncharacters, as `%XX`.
pub(crate) fn escape_href(out: &mut String, url: &str) {
    let mut ascii_from = 0;
    for (at, c) in url.char_indices() {
        if c.is_ascii() {
            continue;
        }
        pulldown_cmark_escape::escape_href(&mut *out, &url[ascii_from..at]).expect("writing to a string");
        ascii_from = at + c.len_utf8();
        if is_url_code_point(c) {
            out.push(c);
        } else {
            for b in c.encode_utf8(&mut [0; 4]).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    pulldown_cmark_escape::escape_href(&mut *out, &url[ascii_from..]).expect("writing to a string");
}

/// Whether a non-ASCII `c` is a URL code point (U+00A0 to U+10FFFD, no surrogate or
/// noncharacter), which a valid URL string may hold as it is.
fn is_url_code_point(c: char) -> bool {
    let n = u32::from(c);
    n >= 0xA0 && !(0xFDD0..=0xFDEF).contains(&n) && n & 0xFFFE != 0xFFFE
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

    fn local(wants: &[Want], anchor: Option<&str>) -> Result<Dest, String> {
        Ok(Dest::Local { wants: wants.to_vec(), anchor: anchor.map(str::to_string) })
    }

    fn page(rel: &str) -> Want {
        Want::Page(rel.to_string())
    }

    fn at(address: &str) -> Want {
        Want::Address(address.to_string())
    }

    fn file(address: &str) -> Want {
        Want::File(address.to_string())
    }

    #[test]
    fn classifies_links() {
        let from = ("standards/a.md", "standards/a/");
        let c = |dest: &str| classify(dest, from.0, from.1);
        assert_eq!(classify("https://example.com/a.md", "a.md", "a/"), Ok(Dest::External));
        assert_eq!(classify("mailto:kf@example.com", "a.md", "a/"), Ok(Dest::External));
        assert_eq!(classify("//cdn.example.com/x", "a.md", "a/"), Ok(Dest::External));
        assert_eq!(classify("#%E8%81%8C%E8%B4%A3", "a.md", "a/"), Ok(Dest::SamePage("职责".into())));
        assert_eq!(c("?print=1#x"), Ok(Dest::SamePage("x".into())));
        assert_eq!(c("../roles/front-desk.md#职责"), local(&[page("roles/front-desk.md")], Some("职责")));
        assert_eq!(c("b.md"), local(&[page("standards/b.md")], None));
        assert_eq!(c("./b.md#"), local(&[page("standards/b.md")], None));
        assert_eq!(
            classify("/roles/x.md", "standards/deep/a.md", "standards/deep/a/"),
            local(&[page("roles/x.md")], None)
        );
        assert_eq!(classify("%E6%8A%95%E8%AF%89.md", "a.md", "a/"), local(&[page("投诉.md")], None));
        assert!(c("../../etc/passwd.md").is_err());
        assert!(c("../../../x.png").is_err());
    }

    #[test]
    fn every_form_of_a_page_address_is_understood() {
        let c = |dest: &str| classify(dest, "standards/refunds.md", "standards/refunds/");
        // Site paths, from the root.
        assert_eq!(c("/standards/faq/#refunds"), local(&[at("standards/faq/")], Some("refunds")));
        assert_eq!(c("/"), local(&[at("")], None));
        // Folder URLs are read from the page's own address, as a browser does.
        assert_eq!(c("../faq/"), local(&[at("standards/faq/")], None));
        assert_eq!(c("./"), local(&[at("standards/refunds/")], None));
        // `.html` and bare names are read from the markdown file's folder.
        assert_eq!(c("faq.html"), local(&[at("standards/faq/")], None));
        assert_eq!(c("faq/index.html"), local(&[at("standards/faq/")], None));
        assert_eq!(c("../index.html"), local(&[at("")], None));
        // A file named only by its extension is a file, not the folder above.
        assert_eq!(c("..html"), local(&[file("standards/..html")], None));
        // Found by the links property test: a name of dots is a file, never a folder up.
        assert_eq!(c("...html"), local(&[file("standards/...html")], None));
        assert_eq!(c("faq"), local(&[at("standards/faq/"), file("standards/faq")], None));
        assert_eq!(
            classify("standards/faq", "_index.md", ""),
            local(&[at("standards/faq/"), file("standards/faq")], None)
        );
    }

    #[test]
    fn files_are_read_from_the_page_folder_or_static() {
        let c = |dest: &str| classify(dest, "standards/refunds.md", "standards/refunds/");
        assert_eq!(c("img/desk.png"), local(&[file("standards/img/desk.png")], None));
        assert_eq!(c("../forms/refund%20form.pdf#page=2"), local(&[file("forms/refund form.pdf")], Some("page=2")));
        assert_eq!(c("/logo.svg"), local(&[file("logo.svg")], None));
        assert_eq!(c("../../static/img/logo.png"), local(&[Want::Static("img/logo.png".into())], None));
        assert_eq!(
            classify("../static/internal/plan.pdf", "_index.md", ""),
            local(&[Want::Static("internal/plan.pdf".into())], None)
        );
        assert!(c("../../data/kpis.yaml").is_err());
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
    fn hrefs_keep_chinese_and_escape_what_a_url_may_not_hold() {
        let escaped = |url: &str| {
            let mut out = String::new();
            escape_href(&mut out, url);
            out
        };
        assert_eq!(escaped("../s998/#第1节-section-1"), "../s998/#第1节-section-1");
        assert_eq!(escaped("../服务 标准/?a=1&b='2'"), "../服务%20标准/?a=1&amp;b=&#x27;2&#x27;");
        assert_eq!(escaped("#a\"<b>`"), "#a%22%3Cb%3E%60");
        // C1 controls and noncharacters are escaped; U+00A0 and astral letters are not.
        assert_eq!(escaped("#\u{85}\u{FDD0}\u{FFFE}\u{10FFFF}"), "#%C2%85%EF%B7%90%EF%BF%BE%F4%8F%BF%BF");
        assert_eq!(escaped("#\u{A0}𠀀é"), "#\u{A0}𠀀é");
        // What is already escaped stays as written.
        assert_eq!(escaped("a%20b%E7%AC%AC"), "a%20b%E7%AC%AC");
    }

    #[test]
    fn percent_decoding_is_lenient() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
