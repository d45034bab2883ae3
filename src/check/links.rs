//! Links and the files they lead to: every link and image of every page resolved,
//! whatever its form (`faq.md`, `/standards/faq/`, `faq.html`, `../faq/`, `img/a.png`,
//! with or without an anchor), to the relative URL of what it names, or reported at
//! its file, line and column with what was looked for; and the files that are not
//! pages, checked against each other and published by the audience of the section
//! they sit in.
//!
//! Pure functions over the loaded pages, outlines and file list; they report into
//! [`Diagnostics`]. Nothing here reads files or renders.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::base::diagnostics::{did_you_mean, par_map_with, Diagnostics, Pos, Positions};
use crate::check::validate::Index;
use crate::load::content::{parent_dir, Audience, Page, Status};
use crate::load::files::{Asset, Origin};
use crate::markdown::links::{self, Dest, Want};
use crate::markdown::Outline;

/// Lookups of the files that are not pages: by address in the site, and a static
/// file by its path under `static/`.
#[derive(Debug, Default)]
pub(crate) struct FileIndex {
    by_url: BTreeMap<String, usize>,
    by_static: BTreeMap<String, usize>,
}

/// Indexes `files` and reports those that would be written over one another: two
/// files with one address in a site (`content/x.png` and `static/x.png`). Of such a
/// pair the first in path order is kept.
pub(crate) fn files(files: &[Asset], diags: &mut Diagnostics) -> FileIndex {
    let mut index = FileIndex::default();
    for (i, f) in files.iter().enumerate() {
        if let Some(s) = f.static_path() {
            index.by_static.insert(s.to_string(), i);
        }
        match index.by_url.get(&f.url) {
            // A file of static/internal/ and one of a public section or of static/
            // may not share an address either: the internal site publishes both.
            Some(&first) => {
                diags.error(
                    &f.source,
                    Pos::FILE,
                    "file-collision",
                    format!("{} and {} would both be published at `{}`", files[first].source, f.source, f.url),
                );
                diags.with_help("rename or move one of them");
            }
            None => {
                index.by_url.insert(f.url.clone(), i);
            }
        }
    }
    index
}

/// Whether `file` is published in the site for `audience`: a file beside pages as
/// its section is (the section's index page), a file of `static/` in every site and
/// one of `static/internal/` in every site behind sign-in.
pub(crate) fn file_published_in(file: &Asset, pages: &[Page], index: &Index, audience: Audience) -> bool {
    file_tier(file, pages, index).is_some_and(|t| audience.reads(t))
}

/// The lowest tier whose site publishes `file` (`None`: no site does).
fn file_tier(file: &Asset, pages: &[Page], index: &Index) -> Option<Audience> {
    match &file.origin {
        Origin::Static => Some(Audience::PUBLIC),
        Origin::StaticInternal => Some(Audience::INTERNAL),
        Origin::Content { section } => {
            let i = index.section(pages, section)?;
            (pages[i].status != Status::Draft).then_some(pages[i].audience)
        }
    }
}

/// Everything a link may lead to: the pages with their outlines (for anchors), the
/// files, and their indexes.
pub(crate) struct Linkable<'a> {
    pub(crate) pages: &'a [Page],
    pub(crate) outlines: &'a [Outline],
    pub(crate) index: &'a Index,
    pub(crate) files: &'a [Asset],
    pub(crate) file_index: &'a FileIndex,
    /// A release frozen in `versions/`: a link of a form that was not checked before
    /// (a site path, `.html`, a folder URL, a file) that names nothing is left as
    /// written, so that a release that built keeps building. Links that would show
    /// internal names publicly stay errors.
    pub(crate) frozen: bool,
}

/// What a local link names once found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    Page(usize),
    File(usize),
}

impl Linkable<'_> {
    /// Resolves every link of every page to its output URL, reporting broken links,
    /// missing anchors and links a reader of that page could not follow (public →
    /// internal, anything → draft). Returns, per page, one entry per link or image:
    /// `Some(url)` to rewrite.
    pub(crate) fn links(&self, diags: &mut Diagnostics) -> Vec<Vec<Option<String>>> {
        // Each page on its own, its diagnostics merged in page order.
        par_map_with(self.pages.par_iter().zip(self.outlines), diags, |(p, o), own| self.page_links(p, o, own))
    }

    /// [`Linkable::links`] for one page `p` with outline `o` (which may be a new
    /// version of one of the pages, as `charter serve` checks an edited page against
    /// the rest of the site).
    pub(crate) fn page_links(&self, p: &Page, o: &Outline, diags: &mut Diagnostics) -> Vec<Option<String>> {
        let mut at = Positions::new(&p.body, p.body_line);
        o.links.iter().map(|l| self.resolve(p, o, (&l.dest, at.at(l.offset)), diags)).collect()
    }

    /// What a page's links and images lead to (pages and files), in order; links that
    /// lead nowhere are left out.
    pub(crate) fn targets(&self, p: &Page, o: &Outline) -> Vec<Target> {
        let found = o.links.iter().filter_map(|l| match links::classify(&l.dest, &p.rel, &p.url) {
            Ok(Dest::Local { wants, .. }) => wants.iter().find_map(|w| self.find(w)),
            _ => None,
        });
        found.collect()
    }

    /// The page that moved away from `address` (one of its `aliases:`).
    fn moved(&self, address: &str) -> Option<&usize> {
        self.index.by_alias.get(address)
    }

    fn find(&self, want: &Want) -> Option<Target> {
        match want {
            Want::Page(rel) => {
                self.index.by_rel.get(rel).or_else(|| self.moved(&page_address(rel))).map(|&i| Target::Page(i))
            }
            Want::Address(a) => self.index.by_url.get(a).or_else(|| self.moved(a)).map(|&i| Target::Page(i)),
            Want::File(a) => self.file_index.by_url.get(a).map(|&i| Target::File(i)),
            Want::Static(s) => self.file_index.by_static.get(s).map(|&i| Target::File(i)),
        }
    }

    /// Resolves link `dest` (at `pos`) of page `p`, whose outline is `own`.
    fn resolve(&self, p: &Page, own: &Outline, (dest, pos): (&str, Pos), diags: &mut Diagnostics) -> Option<String> {
        let (wants, anchor) = match links::classify(dest, &p.rel, &p.url) {
            Ok(Dest::External) => return None,
            Ok(Dest::SamePage(anchor)) => {
                if anchor.is_empty() {
                    return None;
                }
                return match own.anchor(&anchor) {
                    Some(a) if a == anchor => None,
                    Some(a) => Some(format!("#{a}")),
                    None => {
                        missing_anchor(&p.source, pos, &anchor, "this page", own, diags);
                        None
                    }
                };
            }
            Ok(Dest::Local { wants, anchor }) => (wants, anchor),
            Err(msg) => {
                // Only `.md` links were checked when a release could have been made
                // with such a link (see `frozen`).
                let path = dest.split(['#', '?']).next().unwrap_or(dest);
                if self.frozen && !path.ends_with(".md") {
                    diags.warning(&p.source, pos, "broken-link", msg);
                } else {
                    diags.error(&p.source, pos, "broken-link", msg);
                }
                return None;
            }
        };
        match wants.iter().find_map(|w| self.find(w)) {
            Some(Target::Page(ti)) => self.to_page(p, ti, anchor, pos, diags),
            Some(Target::File(fi)) => self.to_file(p, fi, anchor, pos, diags),
            None if self.frozen && !wants.iter().any(|w| matches!(w, Want::Page(_))) => {
                // Charter did not check this form when the release was made: the
                // release keeps building, with the link as it was.
                diags.warning(&p.source, pos, "broken-link", format!("broken link in a release: `{dest}`"));
                None
            }
            None => {
                self.broken(p, &wants, pos, diags);
                None
            }
        }
    }

    /// A link of `p` to page `ti`: checked (draft, audience, anchor) and rewritten.
    fn to_page(
        &self,
        p: &Page,
        ti: usize,
        anchor: Option<String>,
        pos: Pos,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let t = &self.pages[ti];
        let reach = Reach { lowest: (t.status != Status::Draft).then_some(t.audience) };
        let why = Why {
            unpublished: "which is a draft and never published",
            unpublished_help: None,
            internal: "public page links to internal page {}: customers could not follow it",
            help: "remove the link, or make the target `audience: public` if customers may read it",
            higher: "{from} page links to {to} page {}: readers of the {from} site could not follow it",
            higher_help: "remove the link, or make the target `audience: {from}` if those readers may read it",
        };
        reach.check(p, (&t.source, pos), why, diags);
        let url = links::relative_url(&p.url, &t.url);
        let Some(a) = anchor else { return Some(url) };
        let found = self.outlines[ti].anchor(&a);
        if found.is_none() {
            missing_anchor(&p.source, pos, &a, &t.source, &self.outlines[ti], diags);
        }
        Some(with_anchor(url, Some(found.unwrap_or(&a))))
    }

    /// A link or image of `p` to file `fi`: checked (published where `p` is) and
    /// rewritten; an anchor (`#page=2`) is kept as written.
    fn to_file(
        &self,
        p: &Page,
        fi: usize,
        anchor: Option<String>,
        pos: Pos,
        diags: &mut Diagnostics,
    ) -> Option<String> {
        let f = &self.files[fi];
        let reach = Reach { lowest: file_tier(f, self.pages, self.index) };
        let why = Why {
            unpublished: "which is in a section that is never published",
            unpublished_help: Some("move the file into a published section"),
            internal: "public page links to {}, which only the internal site publishes",
            help: "move the file into a public section or static/ if customers may see it",
            higher: "{from} page links to {}, which only the {to} site publishes",
            higher_help: "move the file into a section the {from} site publishes if its readers may see it",
        };
        // Even in a frozen release: the link would name an internal file publicly.
        reach.check(p, (&f.source, pos), why, diags);
        Some(with_anchor(links::relative_url(&p.url, &f.url), anchor.as_deref()))
    }

    /// Reports a link that names nothing, with what was looked for and, when one is
    /// near, the page or file meant.
    fn broken(&self, p: &Page, wants: &[Want], pos: Pos, diags: &mut Diagnostics) {
        let looked: Vec<String> = wants.iter().map(Want::describe).collect();
        diags.error(&p.source, pos, "broken-link", format!("broken link: there is no {}", looked.join(" or ")));
        let Some(first) = wants.first() else { return };
        match first {
            Want::Page(rel) => diags.suggest(rel, self.index.by_rel.keys().map(String::as_str)),
            Want::Address(a) => {
                let near = did_you_mean(a, self.index.by_url.keys().map(String::as_str));
                let near = near.or_else(|| {
                    wants.get(1).and_then(|_| did_you_mean(a, self.file_index.by_url.keys().map(String::as_str)))
                });
                if let Some(m) = near {
                    diags.with_help(format!("did you mean `/{m}`?"));
                }
                near.is_some()
            }
            Want::File(a) => {
                // Near names in the same folder: whole paths share their folders, which
                // would make every file of a folder look near.
                let (folder, name) = (parent_dir(a), a.rsplit('/').next().unwrap_or(a));
                let here = self.file_index.by_url.keys().filter(|u| parent_dir(u) == folder);
                let near = did_you_mean(name, here.map(|u| u.rsplit('/').next().unwrap_or(u)));
                if let Some(m) = near {
                    let folder = if folder.is_empty() { String::new() } else { format!("{folder}/") };
                    diags.with_help(format!("did you mean `{folder}{m}`?"));
                }
                near.is_some()
            }
            Want::Static(s) => diags.suggest(s, self.file_index.by_static.keys().map(String::as_str)),
        };
    }
}

/// `url#anchor`, or `url` without one.
fn with_anchor(url: String, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) => format!("{url}#{a}"),
        None => url,
    }
}

/// Which sites publish what a link names: the lowest tier's and every one above it
/// (`None`: no site does).
struct Reach {
    lowest: Option<Audience>,
}

/// The address a page at source path `rel` would have (`a/b.md` → `a/b/`, `a/_index.md`
/// → `a/`), for links to a page that has since moved.
fn page_address(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    match stem.strip_suffix("_index") {
        Some(folder) => folder.to_string(),
        None => format!("{stem}/"),
    }
}

/// What to say when a reader cannot follow a link: the target is never published
/// (`unpublished`, after "link to X, ", and what to do), or only internally (`internal`,
/// `{}` for X, and `help`).
struct Why {
    unpublished: &'static str,
    unpublished_help: Option<&'static str>,
    internal: &'static str,
    help: &'static str,
    /// The same for a link from a tier behind sign-in to a higher one (`{from}`, `{to}`).
    higher: &'static str,
    higher_help: &'static str,
}

impl Reach {
    /// Reports a link of published page `p` (to `source`, at `pos`) that its readers
    /// could not follow; a draft may link to anything.
    fn check(&self, p: &Page, (source, pos): (&str, Pos), why: Why, diags: &mut Diagnostics) {
        if p.status == Status::Draft {
            return;
        }
        match self.lowest {
            None => {
                diags.error(&p.source, pos, "link-to-draft", format!("link to {source}, {}", why.unpublished));
                if let Some(help) = why.unpublished_help {
                    diags.with_help(help);
                }
            }
            Some(to) if p.audience.reads(to) => {}
            Some(_) if p.audience.is_public() => {
                diags.error(&p.source, pos, "public-links-internal", why.internal.replace("{}", source));
                diags.with_help(why.help);
            }
            Some(to) => {
                let fill = |t: &str| t.replace("{from}", p.audience.as_str()).replace("{to}", to.as_str());
                diags.error(&p.source, pos, "links-higher-tier", fill(why.higher).replace("{}", source));
                diags.with_help(fill(why.higher_help));
            }
        }
    }
}

fn missing_anchor(source: &str, pos: Pos, anchor: &str, target: &str, outline: &Outline, diags: &mut Diagnostics) {
    diags.error(
        source,
        pos,
        "missing-anchor",
        format!("missing anchor `#{anchor}`: no heading in {target} has that anchor"),
    );
    match did_you_mean(anchor, outline.headings.iter().map(|h| h.anchor.as_str())) {
        Some(m) => diags.with_help(format!("did you mean `#{m}`?")),
        None if !outline.headings.is_empty() => {
            let list = outline.headings.iter().map(|h| format!("#{}", h.anchor)).collect::<Vec<_>>().join(", ");
            diags.with_help(format!("anchors there: {list}"))
        }
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::{parse_page, Tiers};

    fn asset(source: &str, url: &str, origin: Origin) -> Asset {
        Asset { source: source.into(), path: source.into(), url: url.into(), origin }
    }

    fn section(rel: &str, audience: &str) -> Page {
        let text = format!("---\ntitle: t\naudience: {audience}\n---\n");
        parse_page(rel, &text, &Tiers::default(), &mut Diagnostics::new()).unwrap()
    }

    #[test]
    fn files_follow_their_section_and_static_internal_stays_internal() {
        let pages = vec![section("_index.md", "public"), section("team/_index.md", "internal")];
        let index = crate::check::validate::pages(&pages, &mut Diagnostics::new());
        let content = |s: &str| Origin::Content { section: s.into() };
        let cases = [
            (asset("content/a.png", "a.png", content("")), true, true),
            (asset("content/team/b.png", "team/b.png", content("team")), false, true),
            (asset("static/c.svg", "c.svg", Origin::Static), true, true),
            (asset("static/internal/d.pdf", "d.pdf", Origin::StaticInternal), false, true),
            // A section that no page makes (never published).
            (asset("content/gone/e.png", "gone/e.png", content("gone")), false, false),
        ];
        for (f, public, internal) in cases {
            assert_eq!(file_published_in(&f, &pages, &index, Audience::PUBLIC), public, "{}", f.source);
            assert_eq!(file_published_in(&f, &pages, &index, Audience::INTERNAL), internal, "{}", f.source);
        }
    }

    #[test]
    fn two_files_at_one_address_are_one_error_at_the_second() {
        let files = [
            asset("content/logo.png", "logo.png", Origin::Content { section: String::new() }),
            asset("static/internal/logo.png", "logo.png", Origin::StaticInternal),
            asset("static/logo.svg", "logo.svg", Origin::Static),
        ];
        let mut d = Diagnostics::new();
        let index = super::files(&files, &mut d);
        let got: Vec<(String, String)> = d.iter().map(|d| (d.path.clone(), d.message.clone())).collect();
        assert_eq!(
            got,
            [(
                "static/internal/logo.png".to_string(),
                "content/logo.png and static/internal/logo.png would both be published at `logo.png`".to_string()
            )]
        );
        assert_eq!(index.by_url.get("logo.png"), Some(&0));
        assert_eq!(index.by_static.get("internal/logo.png"), Some(&1));
    }
}
