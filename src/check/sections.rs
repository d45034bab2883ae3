//! Checks of sections: a section's `_index.md` publishes the pages inside it (one
//! error per section that does not, however many pages it holds), the entries of its
//! `pages:` list name its pages or sub-sections, and the public site is not empty.
//!
//! Pure functions over the loaded pages, reporting into [`Diagnostics`]. Generated
//! sections (folders without `_index.md`) never block a page: loading publishes them
//! wherever a page inside them is published (`load::sections::settle_generated`).

use std::collections::{BTreeMap, BTreeSet};

use super::validate::{published_in, Index};
use crate::base::diagnostics::{Diagnostics, Pos, Unknown};
use crate::load::config::CONFIG_FILE;
use crate::load::content::{Audience, Page, Status};
use crate::load::sections;

/// How many pages a section-audience error names before "and N more".
const NAMED: usize = 3;

/// Runs every section check.
pub(crate) fn check(pages: &[Page], index: &Index, diags: &mut Diagnostics) {
    blocked(pages, index, diags);
    listed(pages, diags);
    empty_public_site(pages, diags);
}

/// A published page must sit in sections published in the same sites, or it would have
/// no way in (breadcrumbs, section lists) without leaking the section. Each section
/// that holds such pages is one error, at its `_index.md`, naming the pages.
fn blocked(pages: &[Page], index: &Index, diags: &mut Diagnostics) {
    // (section index, audience it does not publish to) → the pages it holds back.
    let mut held: BTreeMap<(usize, Audience), Vec<&Page>> = BTreeMap::new();
    for p in pages.iter().filter(|p| !p.generated) {
        if let Some(key) = blocker(pages, index, p) {
            held.entry(key).or_default().push(p);
        }
    }
    for ((si, audience), inside) in held {
        let s = &pages[si];
        let name = if s.section.is_empty() { "home" } else { &s.section };
        let list: Vec<&str> = inside.iter().take(NAMED).map(|p| p.source.as_str()).collect();
        let more = inside.len().saturating_sub(NAMED);
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        let n = inside.len();
        let (what, pos, fix) = if s.status == Status::Draft {
            let what = if n == 1 { "1 published page".to_string() } else { format!("{n} published pages") };
            let fix = "publish the section (remove `status: draft`), or make those pages drafts";
            (format!("is a draft, but it holds {what}"), s.section_keys.status_pos, fix.to_string())
        } else {
            let default = if s.section_keys.audience_pos.is_none() { " (the default audience)" } else { "" };
            let kind = audience.as_str();
            let what = if n == 1 { format!("1 {kind} page") } else { format!("{n} {kind} pages") };
            let fix = if s.section_keys.audience_pos.is_some() {
                format!("set `audience: {kind}` here, or make those pages {}", s.audience.as_str())
            } else {
                format!(
                    "add `audience: {kind}` to this section's front matter, or make those pages {}",
                    s.audience.as_str()
                )
            };
            (format!("is {}{default}, but it holds {what}", s.audience.as_str()), s.section_keys.audience_pos, fix)
        };
        diags.error(
            &s.source,
            pos.unwrap_or(Pos::new(1, 1)),
            "section-audience",
            format!("section `{name}` {what}: {}{more}", list.join(", ")),
        );
        diags.with_help(fix);
    }
}

/// The nearest section above `p` that is not published where `p` is, with that audience.
fn blocker(pages: &[Page], index: &Index, p: &Page) -> Option<(usize, Audience)> {
    let mut section = p.parent_section();
    while let Some(dir) = section {
        let si = index.section(pages, &dir)?;
        let s = &pages[si];
        // The lowest site `p` is published in, when `s` is not published there.
        if p.status != Status::Draft && !published_in(s, p.audience) {
            return Some((si, p.audience));
        }
        section = s.parent_section();
    }
    None
}

/// Every entry of a section's `pages:` names one of its pages (file stem or id) or
/// sub-sections (folder name), once.
fn listed(pages: &[Page], diags: &mut Diagnostics) {
    let mut members: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for p in pages.iter().filter(|p| p.kind != crate::load::content::PageKind::Home) {
        let section = if p.is_index() { crate::load::content::parent_dir(&p.section) } else { &p.section };
        members.entry(section).or_default().push(p);
    }
    for s in pages.iter().filter(|p| p.is_index() && !p.section_keys.pages.is_empty()) {
        let inside = members.get(s.section.as_str()).map(Vec::as_slice).unwrap_or_default();
        let mut seen = BTreeSet::new();
        let folder = if s.section.is_empty() { "content/".to_string() } else { format!("content/{}/", s.section) };
        for entry in &s.section_keys.pages {
            if !inside.iter().any(|p| sections::names(&entry.value, p)) {
                let why = format!("no page or section in {folder} has that file name or id");
                let u = Unknown {
                    code: "unknown-page",
                    what: "page",
                    id: &entry.value,
                    field: Some("pages"),
                    why: Some(&why),
                };
                if !diags.unknown(&s.source, entry.pos, u, inside.iter().flat_map(|p| sections::entry_names(p))) {
                    let names: BTreeSet<&str> = inside.iter().map(|p| sections::entry_names(p)[0]).collect();
                    if !names.is_empty() {
                        diags.with_help(format!(
                            "in this section: {}",
                            names.into_iter().collect::<Vec<_>>().join(", ")
                        ));
                    }
                }
            } else if !seen.insert(entry.value.as_str()) {
                diags.error(&s.source, entry.pos, "duplicate-entry", format!("`pages` lists `{}` twice", entry.value));
            }
        }
    }
}

/// A site where no page is public builds a public site with no home page: say so.
fn empty_public_site(pages: &[Page], diags: &mut Diagnostics) {
    if pages.is_empty() || pages.iter().any(|p| published_in(p, Audience::PUBLIC)) {
        return;
    }
    diags.warning(
        CONFIG_FILE,
        Pos::FILE,
        "empty-public-site",
        "no page is public, so a public site built from this content has no pages (only the theme's files, a 404 page, robots.txt and an empty sitemap)",
    );
    diags.with_help(
        "set `audience: public` in the front matter of the pages customers may read (their folders follow), \
         or `default_audience: public` here; if the handbook is internal only, deploy site/internal/ alone",
    );
}
