//! The body of one standard as the print edition holds it: links rewritten for where
//! the edition is (its own site's address, another volume of the edition, or relative
//! to the volume's page), link targets printed readably, heading ids prefixed with the
//! standard's id and headings one level down. Pure string work, no I/O.

use std::collections::BTreeMap;

use crate::markdown::links::{normalize, percent_decode, relative_url};

/// A standard printed in the edition: its id (its anchor is `print-id`) and the
/// volume that holds it (an index into [`Links::volumes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Printed {
    pub(super) id: String,
    pub(super) volume: usize,
}

/// Where the links of one standard's body go in the print edition.
pub(super) struct Links<'a> {
    /// The standard's URL within its view.
    pub(super) page_url: &'a str,
    /// The URL within its view of the page that prints it (`print/`, or its volume's
    /// `print/3/`).
    pub(super) print_url: &'a str,
    /// The absolute address of the view (site URL + release folder), or empty when the
    /// site's address is not known (the internal site without `internal_url`).
    pub(super) base: &'a str,
    /// The standard's id: in-page anchors and heading ids get `id-`.
    pub(super) prefix: &'a str,
    /// Without `base`: the printed standards by URL, whose links stay in the edition
    /// (in their volume), and the label printed before other targets' paths ("内部版").
    pub(super) in_edition: &'a BTreeMap<String, Printed>,
    /// The URL of each volume's page (just `print/` for an edition in one volume).
    pub(super) volumes: &'a [String],
    pub(super) site_label: &'a str,
}

/// Rewrites a page body for the combined print page: links leave the edition only for
/// their own site — absolute (`base` + path) when the site's address is known, else to
/// the printed standard in this edition (in its volume) or relative to the print page — and carry their
/// target in readable form (`data-print`, percent-decoded) for the printed page; image
/// sources are relative to the print page; in-page anchors and heading ids get
/// `prefix-`.
pub(super) fn print_body(html: &str, links: &Links) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    // One pass over the attributes (`name="`): `href` and `src` values rewritten, `id`
    // values prefixed.
    let mut copied = 0;
    let mut from = 0;
    while let Some(eq) = memchr::memmem::find(&html.as_bytes()[from..], b"=\"").map(|e| from + e) {
        let start = eq + 2;
        let Some(len) = html[start..].find('"') else { break };
        from = start + len;
        let before = &html[..eq];
        let is_href = before.ends_with("href");
        let is_src = before.ends_with(" src");
        // A table's region is labelled by its section's heading (`aria-labelledby`),
        // whose id gets the prefix too.
        let is_label = before.ends_with(" aria-labelledby");
        if !is_href && !is_src && !is_label && !before.ends_with(" id") {
            continue;
        }
        let value = &html[start..start + len];
        out.push_str(&html[copied..start]);
        copied = start + len;
        if is_href {
            let (href, printed) = link(value, links);
            match printed.map(|text| escape(&text.replace("&amp;", "&"))) {
                None => out.push_str(&href),
                Some(shown) => {
                    // A target whose only encoded characters are non-ASCII ones reads
                    // as it is once they are written out (an IRI, valid in `href`):
                    // `data-print` without a value says "print the href".
                    let iri = readable_iri(&href);
                    if iri == shown {
                        out.push_str(&iri);
                        out.push_str("\" data-print=\"");
                    } else {
                        out.push_str(&href);
                        out.push_str("\" data-print=\"");
                        out.push_str(&shown);
                    }
                }
            }
        } else if is_src {
            // Images load from where the print page is, whatever the site's address.
            out.push_str(&resolve(value, links.page_url, links.print_url, ""));
        } else {
            for (n, id) in value.split(' ').enumerate() {
                if n > 0 {
                    out.push(' ');
                }
                out.push_str(links.prefix);
                out.push('-');
                out.push_str(id);
            }
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// A page's headings one level down (`<h1>` → `<h2>` … `<h5>` → `<h6>`; `<h6>` stays),
/// so that in the print edition each standard's title (`<h2>`) heads its own headings
/// and the edition's title is the page's only `<h1>`.
pub(super) fn demote_headings(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (i, _) in html.match_indices('<') {
        let name = if bytes.get(i + 1) == Some(&b'/') { i + 2 } else { i + 1 };
        let is_heading = bytes.get(name) == Some(&b'h')
            && matches!(bytes.get(name + 1), Some(b'1'..=b'5'))
            && matches!(bytes.get(name + 2), Some(b' ' | b'>'));
        if is_heading {
            out.push_str(&html[copied..name + 1]);
            out.push((bytes[name + 1] + 1) as char);
            copied = name + 2;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Where `href` goes from the print page, and the target a printed page shows after
/// the link's text (none for a place inside this edition).
fn link(href: &str, links: &Links) -> (String, Option<String>) {
    let prefix = links.prefix;
    if let Some(anchor) = href.strip_prefix('#') {
        return (format!("#{prefix}-{anchor}"), None);
    }
    if has_scheme(href) || href.starts_with('/') {
        return (href.to_string(), Some(percent_decode(href)));
    }
    if links.base.is_empty() {
        let (resolved, anchor) = site_path(href, links.page_url);
        if let Some(printed) = links.in_edition.get(&resolved) {
            // A standard in another volume: that volume's page, at the same anchor.
            let volume = links.volumes.get(printed.volume).map_or(links.print_url, String::as_str);
            let page = if volume == links.print_url { String::new() } else { relative_url(links.print_url, volume) };
            let id = &printed.id;
            return match anchor {
                Some(a) if !a.is_empty() => (format!("{page}#{id}-{}", percent_decode(a)), None),
                _ => (format!("{page}#print-{id}"), None),
            };
        }
        let shown = format!("{} {}", links.site_label, percent_decode(href_tail(&resolved, anchor).as_str()));
        return (resolve(href, links.page_url, links.print_url, ""), Some(shown));
    }
    let url = resolve(href, links.page_url, links.print_url, links.base);
    let printed = percent_decode(&url);
    (url, Some(printed))
}

/// The path within the site of the relative `href` of the page at `page_url`, and its
/// anchor. A link out of the edition's folder (from a language's folder to the page in
/// the default language, `fallback: omit`) keeps its leading `../`.
fn site_path<'h>(href: &'h str, page_url: &str) -> (String, Option<&'h str>) {
    let (path, anchor) = href.split_once('#').map_or((href, None), |(p, a)| (p, Some(a)));
    let depth = page_url.split('/').filter(|s| !s.is_empty()).count();
    let ups = path.split('/').take_while(|s| *s == "..").count();
    let resolved = match ups.checked_sub(depth).filter(|&n| n > 0) {
        Some(out) => {
            let rest = path.split('/').skip(ups).collect::<Vec<_>>().join("/");
            format!("{}{}", "../".repeat(out), rest.trim_end_matches('/'))
        }
        None => normalize(page_url, path).unwrap_or_default(),
    };
    let resolved = if path.ends_with('/') && !resolved.is_empty() { format!("{resolved}/") } else { resolved };
    (resolved, anchor)
}

fn href_tail(path: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) => format!("{path}#{a}"),
        None => path.to_string(),
    }
}

fn has_scheme(href: &str) -> bool {
    href.split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
}

/// `href` of the page at `page_url` made absolute (`base` + path) or, without a base,
/// relative to the print page.
fn resolve(href: &str, page_url: &str, print_url: &str, base: &str) -> String {
    if href.starts_with('#') || has_scheme(href) || href.starts_with('/') {
        return href.to_string();
    }
    let (resolved, anchor) = site_path(href, page_url);
    let url = if base.contains("://") { absolute(base, &resolved) } else { relative_url(print_url, &resolved) };
    href_tail(&url, anchor)
}

/// `path` (perhaps leading out of `base`'s folder with `../`) from `base`.
fn absolute(base: &str, path: &str) -> String {
    let mut base = base.trim_end_matches('/');
    let mut path = path;
    while let Some(rest) = path.strip_prefix("../") {
        let Some(cut) = base.rfind('/').filter(|&i| !base[..i].ends_with('/')) else { break };
        base = &base[..cut];
        path = rest;
    }
    format!("{base}/{path}")
}

/// `url` with each percent-encoded run of non-ASCII UTF-8 written out (`%E5%A4%84` →
/// `处`); encoded ASCII (`%20`, `%23` …) stays as it is, as does a run that is not UTF-8.
fn readable_iri(url: &str) -> String {
    let bytes = url.as_bytes();
    let hex = |i: usize| {
        bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    let mut out = String::with_capacity(url.len());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let mut run = Vec::new();
        while bytes[i..].starts_with(b"%") {
            match hex(i) {
                Some(b) if b >= 0x80 => run.push(b),
                _ => break,
            }
            i += 3;
        }
        if run.is_empty() {
            let next = memchr::memchr(b'%', &bytes[i + 1..]).map_or(url.len(), |n| i + 1 + n);
            out.push_str(&url[i..next]);
            i = next;
            continue;
        }
        match String::from_utf8(run) {
            Ok(text) => out.push_str(&text),
            Err(_) => out.push_str(&url[start..i]),
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_VOLUME: &[String] = &[];

    fn links<'a>(base: &'a str, in_edition: &'a BTreeMap<String, Printed>) -> Links<'a> {
        Links {
            page_url: "standards/limits/",
            print_url: "print/",
            base,
            prefix: "limits",
            in_edition,
            volumes: ONE_VOLUME,
            site_label: "内部版",
        }
    }

    fn printed(url: &str, id: &str, volume: usize) -> (String, Printed) {
        (url.to_string(), Printed { id: id.to_string(), volume })
    }

    #[test]
    fn bodies_get_absolute_links_and_prefixed_ids() {
        let none = BTreeMap::new();
        let html = r##"<h2 id="处理时限">处理时限</h2><p>见<a href="../complaints/#%E5%A4%84%E7%90%86">投诉</a>、<a href="#处理时限">上文</a>与<a href="https://x.org/a%20b?x=1&amp;y=2">外部</a>。</p>"##;
        let out = print_body(html, &links("https://hb.example/", &none));
        // Printed targets are readable: percent-encoding decoded, `&amp;` once; an
        // href that reads as it is once its Chinese is written out is printed itself.
        assert_eq!(
            out,
            r##"<h2 id="limits-处理时限">处理时限</h2><p>见<a href="https://hb.example/standards/complaints/#处理" data-print="">投诉</a>、<a href="#limits-处理时限">上文</a>与<a href="https://x.org/a%20b?x=1&amp;y=2" data-print="https://x.org/a b?x=1&amp;y=2">外部</a>。</p>"##
        );
        // A table's region stays labelled by its heading, whose id got the prefix.
        let table = r#"<h2 id="时限">时限</h2><div class="table-wrap" role="region" tabindex="0" aria-labelledby="时限"><table></table></div>"#;
        assert_eq!(
            print_body(table, &links("https://hb.example/", &none)),
            r#"<h2 id="limits-时限">时限</h2><div class="table-wrap" role="region" tabindex="0" aria-labelledby="limits-时限"><table></table></div>"#
        );
        // Without a site address, links are made relative to the print page and print
        // the page's path in the site.
        let local = print_body(r#"<a href="../../roles/a/">A</a>"#, &links("", &none));
        assert_eq!(local, r#"<a href="../roles/a/" data-print="内部版 roles/a/">A</a>"#);
        // A link out of a language's folder (to a page left out of it, in the default
        // language) still leaves it, from the print page or from the site's address.
        let out_of = r#"<a href="../../../roles/a/">A</a>"#;
        assert_eq!(
            print_body(out_of, &links("", &none)),
            r#"<a href="../../roles/a/" data-print="内部版 ../roles/a/">A</a>"#
        );
        assert_eq!(
            print_body(out_of, &links("https://hb.example/en/", &none)),
            r#"<a href="https://hb.example/roles/a/" data-print="">A</a>"#
        );
        // Images beside the page, and files of static/, load from the print page even
        // with a site address.
        let img = r#"<img src="../img/desk.png" alt="前台" /><img src="../../logo.svg" alt="" />"#;
        let local = print_body(img, &links("https://hb.example/", &none));
        assert_eq!(local, r#"<img src="../standards/img/desk.png" alt="前台" /><img src="../logo.svg" alt="" />"#);
    }

    #[test]
    fn without_a_site_address_links_to_printed_standards_stay_in_the_edition() {
        let printed: BTreeMap<String, Printed> = [printed("standards/complaints/", "complaints", 0)].into();
        let html = r#"<a href="../complaints/">投诉</a><a href="../complaints/#%E6%97%B6%E9%99%90">时限</a><a href="../../kpis/nps/">NPS</a>"#;
        assert_eq!(
            print_body(html, &links("", &printed)),
            r##"<a href="#print-complaints">投诉</a><a href="#complaints-时限">时限</a><a href="../kpis/nps/" data-print="内部版 kpis/nps/">NPS</a>"##
        );
    }

    #[test]
    fn links_to_a_standard_in_another_volume_lead_to_that_volumes_anchor() {
        let volumes = ["print/1/".to_string(), "print/2/".to_string()];
        let in_edition: BTreeMap<String, Printed> =
            [printed("standards/limits/", "limits", 0), printed("standards/complaints/", "complaints", 1)].into();
        let links = Links { print_url: "print/1/", volumes: &volumes, ..links("", &in_edition) };
        let html = r##"<a href="../complaints/">投诉</a><a href="../complaints/#%E6%97%B6%E9%99%90">时限</a><a href="./">本篇</a><a href="#上文">上文</a><a href="../../kpis/nps/">NPS</a>"##;
        assert_eq!(
            print_body(html, &links),
            r##"<a href="../2/#print-complaints">投诉</a><a href="../2/#complaints-时限">时限</a><a href="#print-limits">本篇</a><a href="#limits-上文">上文</a><a href="../../kpis/nps/" data-print="内部版 kpis/nps/">NPS</a>"##
        );
    }

    #[test]
    fn only_encoded_non_ascii_is_written_out() {
        assert_eq!(readable_iri("https://a.example/s/#%E5%A4%84%E7%90%86-1"), "https://a.example/s/#处理-1");
        assert_eq!(readable_iri("/a%20b/%E5%A4%84%3F?q=%e5%a4%84"), "/a%20b/处%3F?q=处");
        // Not UTF-8, cut short or not hex: left as it is.
        assert_eq!(readable_iri("x%E5%A4y%FF%E5"), "x%E5%A4y%FF%E5");
        assert_eq!(readable_iri("50%"), "50%");
        assert_eq!(readable_iri("%zz%"), "%zz%");
    }

    #[test]
    fn headings_go_one_level_down_under_the_standards_title() {
        assert_eq!(
            demote_headings("<h1 id=\"a\">A</h1><h2>B <hr></h2><h5>C</h5><h6>D</h6><p>x &lt;h2> <header></header></p>"),
            "<h2 id=\"a\">A</h2><h3>B <hr></h3><h6>C</h6><h6>D</h6><p>x &lt;h2> <header></header></p>"
        );
    }
}
