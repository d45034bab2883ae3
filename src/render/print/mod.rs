//! The printed handbook: per site (and per release of the public site) every page in
//! force of every section the site publishes, in site order (sections opt out with
//! `print: false`), ready for a front desk's binder — stamped with the version, each
//! standard's effective date and "uncontrolled when printed", with page breaks between
//! standards and link targets printed. An edition of up to
//! [`volumes::MAX_STANDARDS`] standards is one page at `print/`; a larger one is split
//! into volumes at section boundaries (`print/1/`, `print/2/` …, see `volumes.rs`),
//! each with its own title page and running header, and `print/` lists them.
//!
//! Also `sitemap.xml` (with each page's `lastmod`) and `robots.txt`. Works on rendered
//! page bodies (`body.rs`): links stay in the edition's own site — absolute by its
//! address (`base_url`, or `internal_url` for the internal edition) so printed targets
//! mean something, else to the printed standard in the edition (in its volume) or
//! relative to the print page; the internal edition never links to the public site —
//! and carry a readable printed target (`data-print`); heading ids are prefixed with
//! the page id (so one page can hold many standards). The template's `it.content` is a
//! marker that the standard's body replaces after rendering, so the engine never copies
//! the whole handbook; templates output it as it is (`| safe`). Hands each page of an
//! edition to the sink as soon as it is made (one volume in memory at a time); reads
//! and writes no file.

mod body;
mod volumes;

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::diagnostics::Diagnostics;
use crate::base::files::{OutputFile, Sink};
use crate::load::content::Status;
use crate::markdown::links::{percent_decode, relative_url};
use crate::render::{generated_context, home_crumb, Inputs, Link, View};
use body::{demote_headings, print_body, Links, Printed};

#[derive(Serialize)]
struct PrintItem {
    id: String,
    title: String,
    section: String,
    owner: Option<String>,
    effective: Option<String>,
    review_by: Option<String>,
    url: String,
    /// The online address as printed: the decoded URL, or — when the site's address is
    /// not known — the site's name and the page's path in it.
    url_text: String,
    /// The first standard of its section (the section's title heads its page).
    new_section: bool,
    content: String,
    is_internal: bool,
}

/// One volume as the contents page lists it.
#[derive(Serialize)]
struct VolumeEntry {
    /// "第 2 册" / "Volume 2".
    label: String,
    /// Relative to the contents page (`2/`).
    url: String,
    /// The titles of the sections it holds, in order.
    sections: Vec<String>,
    first: String,
    last: String,
    /// "共 200 篇" / "200 pages".
    count: String,
}

/// The volume a page prints, for its title page and running header.
#[derive(Serialize)]
struct VolumeInfo {
    label: String,
    sections: Vec<String>,
    /// The contents page, relative to the volume's page.
    contents_url: String,
}

/// What every page of one edition shares.
struct Edition<'a> {
    view: &'a View<'a>,
    inputs: &'a Inputs<'a>,
    version: &'a str,
    version_date: Option<String>,
    /// See [`Links::base`].
    base: String,
    site_label: &'static str,
    title: &'static str,
    /// The printed standards (indices into the inputs' pages), in site order.
    order: Vec<usize>,
    in_edition: BTreeMap<String, Printed>,
    /// The URL of each volume's page.
    urls: Vec<String>,
}

/// The print pages of a view, at `print/` inside it: one page holding every standard,
/// or the contents page and one page per volume; none for a view without a home page
/// (a public site where no page is public). Each page goes to `sink` as soon as it is
/// made, so an edition of a 10,000-standard site (about 50 MB) is never held whole:
/// one volume (about 1 MB) at a time.
pub(crate) fn pages(view: &View, inputs: &Inputs, stamp: Stamp, sink: &dyn Sink) -> Result<(), Diagnostics> {
    if !view.has_home() {
        return Ok(());
    }
    let Stamp { version, version_date } = stamp;
    let ui = inputs.env.ui;
    let internal = !view.audience.is_public();
    // Each edition stays in its own site: the internal one links to the internal site
    // (`internal_url`), never to the public `base_url`.
    let site_url = if internal { &inputs.config.internal_url } else { &inputs.config.base_url };
    let base = if site_url.contains("://") { format!("{site_url}{}", view.prefix) } else { String::new() };
    // The pages in force of every section this view publishes, in site order (as the
    // navigation and section lists show them), without the sections that opt out
    // (`print: false`, with the sections inside them).
    let order: Vec<usize> = view
        .site_order(|index| index.section_keys.print)
        .into_iter()
        .filter(|&i| inputs.pages[i].status == Status::Active)
        .collect();
    let sections: Vec<&str> = order.iter().map(|&i| inputs.pages[i].section.as_str()).collect();
    let parts = volumes::split(&sections, volumes::MAX_STANDARDS);
    let urls: Vec<String> = match parts.len() {
        1 => vec![CONTENTS_URL.to_string()],
        n => (1..=n).map(|v| format!("{CONTENTS_URL}{v}/")).collect(),
    };
    let in_edition: BTreeMap<String, Printed> = parts
        .iter()
        .enumerate()
        .flat_map(|(volume, range)| {
            order[range.clone()]
                .iter()
                .map(move |&i| (inputs.pages[i].url.clone(), Printed { id: inputs.pages[i].id.value.clone(), volume }))
        })
        .collect();
    let edition = Edition {
        view,
        inputs,
        version,
        version_date,
        base,
        site_label: if internal { ui.site_internal } else { ui.site_public },
        title: if internal { ui.print_internal } else { ui.print_public },
        order,
        in_edition,
        urls,
    };
    if parts.len() == 1 {
        sink.put(vec![edition.volume(0, 0..edition.order.len(), None)?]);
        return Ok(());
    }
    sink.put(vec![edition.contents(&parts)?]);
    for (v, range) in parts.iter().enumerate() {
        let info = VolumeInfo {
            label: ui.print_volume.replace("{n}", &(v + 1).to_string()),
            sections: edition.section_titles(range.clone()),
            contents_url: relative_url(&edition.urls[v], CONTENTS_URL),
        };
        sink.put(vec![edition.volume(v, range.clone(), Some(info))?]);
    }
    Ok(())
}

/// The version an edition is stamped with: its name (a release's, or the working
/// copy's label) and the release's date.
pub(crate) struct Stamp<'a> {
    pub(crate) version: &'a str,
    pub(crate) version_date: Option<String>,
}

/// Where a view's edition starts: its only page, or the contents page of its volumes.
const CONTENTS_URL: &str = "print/";

impl Edition<'_> {
    /// The output path of the page at `url` (within the view).
    fn path(&self, url: &str) -> String {
        format!("{}/{}{url}index.html", self.view.audience.as_str(), self.view.prefix)
    }

    /// The titles of the sections of the standards `range` of the order, in order.
    fn section_titles(&self, range: Range<usize>) -> Vec<String> {
        let mut titles: Vec<String> = Vec::new();
        let mut last: Option<&str> = None;
        for &i in &self.order[range] {
            let section = self.inputs.pages[i].section.as_str();
            if last != Some(section) {
                last = Some(section);
                titles.push(self.view.section_title(section).unwrap_or_default());
            }
        }
        titles.dedup();
        titles
    }

    /// The contents page of an edition in volumes: the title page that lists them.
    fn contents(&self, parts: &[Range<usize>]) -> Result<OutputFile, Diagnostics> {
        let ui = self.inputs.env.ui;
        let title = |n: usize| self.inputs.pages[self.order[n]].title.clone();
        let entries: Vec<VolumeEntry> = parts
            .iter()
            .enumerate()
            .map(|(v, range)| VolumeEntry {
                label: ui.print_volume.replace("{n}", &(v + 1).to_string()),
                url: relative_url(CONTENTS_URL, &self.urls[v]),
                sections: self.section_titles(range.clone()),
                first: title(range.start),
                last: title(range.end - 1),
                count: ui.pages_count.replace("{n}", &range.len().to_string()),
            })
            .collect();
        let mut ctx = generated_context(self.view, self.inputs, CONTENTS_URL, self.title, None, &[]);
        self.stamp(&mut ctx);
        ctx.insert("items", &Vec::<PrintItem>::new());
        ctx.insert("volume", &None::<VolumeInfo>);
        ctx.insert("volumes", &entries);
        ctx.insert("volumes_intro", &ui.print_volumes_intro.replace("{n}", &parts.len().to_string()));
        let html = self.inputs.theme.render("print.html", &ctx)?;
        Ok(OutputFile { path: self.path(CONTENTS_URL), bytes: html })
    }

    /// The version stamps every page of the edition carries.
    fn stamp(&self, ctx: &mut tera::Context) {
        ctx.insert("print_version", self.version);
        ctx.insert("print_version_date", &self.version_date);
    }

    /// The page of volume `v` (of the whole edition when `info` is none), holding the
    /// standards `range` of the order.
    fn volume(&self, v: usize, range: Range<usize>, info: Option<VolumeInfo>) -> Result<OutputFile, Diagnostics> {
        let (view, inputs) = (self.view, self.inputs);
        let url = self.urls[v].as_str();
        let order = &self.order[range.clone()];
        let items: Vec<PrintItem> = order
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                let p = &inputs.pages[i];
                let (url, url_text) = if self.base.is_empty() {
                    (relative_url(url, &p.url), format!("{} {}", self.site_label, percent_decode(&p.url)))
                } else {
                    let full = format!("{}{}", self.base, p.url);
                    (full.clone(), percent_decode(&full))
                };
                PrintItem {
                    id: p.id.value.clone(),
                    title: p.title.clone(),
                    section: view.section_title(&p.section).unwrap_or_default(),
                    owner: p.owner.as_ref().and_then(|o| view.role_title(&o.value)),
                    effective: p.effective.map(|d| d.to_string()),
                    review_by: p.review_by.map(|d| d.to_string()),
                    url,
                    url_text,
                    new_section: n == 0 || inputs.pages[order[n - 1]].section != p.section,
                    content: format!("{MARK}{n}{MARK}"),
                    is_internal: !view.audience.is_public() && !p.audience.is_public(),
                }
            })
            .collect();
        let (title, crumbs) = match &info {
            None => (self.title.to_string(), Vec::new()),
            Some(info) => {
                let mut crumbs = home_crumb(view, inputs, url);
                crumbs.push(Link { title: self.title.to_string(), url: info.contents_url.clone() });
                (format!("{} · {}", self.title, info.label), crumbs)
            }
        };
        let mut ctx = generated_context(view, inputs, url, &title, None, &crumbs);
        self.stamp(&mut ctx);
        ctx.insert("items", &items);
        ctx.insert("volume", &info);
        ctx.insert("volumes", &Vec::<VolumeEntry>::new());
        let frame = inputs.theme.render("print.html", &ctx)?;
        let body = |n: usize| {
            let i = order[n];
            let p = &inputs.pages[i];
            let links = Links {
                page_url: &p.url,
                print_url: url,
                base: &self.base,
                prefix: &p.id.value,
                in_edition: &self.in_edition,
                volumes: &self.urls,
                site_label: self.site_label,
            };
            demote_headings(&print_body(&inputs.bodies[i], &links))
        };
        Ok(OutputFile { path: self.path(url), bytes: splice(&frame, order.len(), body) })
    }
}

/// Stands for a standard's body in the rendered print template: a noncharacter, never
/// part of text, around the item's number. The bodies are spliced in afterwards, so the
/// template engine never copies the whole handbook (tens of megabytes at 10,000
/// standards) into its context.
const MARK: char = '\u{FDD0}';

/// `frame` with each `MARK n MARK` (`n` below `count`) replaced by `body(n)`; bodies are
/// made in parallel, a batch at a time.
fn splice(frame: &[u8], count: usize, body: impl Fn(usize) -> String + Sync) -> Vec<u8> {
    let mut mark = [0u8; 4];
    let mark = MARK.encode_utf8(&mut mark).as_bytes();
    // Each marker's span and item number, in the order they appear.
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(start) = memchr::memmem::find(&frame[from..], mark).map(|s| from + s) {
        let digits = start + mark.len();
        let Some(len) = memchr::memmem::find(&frame[digits..], mark) else { break };
        let n = std::str::from_utf8(&frame[digits..digits + len]).ok().and_then(|d| d.parse::<usize>().ok());
        from = digits + len + mark.len();
        match n {
            Some(n) if n < count => spans.push((start, from, n)),
            _ => from = digits,
        }
    }
    let mut out = Vec::with_capacity(frame.len() + count * 4096);
    let mut copied = 0;
    for batch in spans.chunks(256) {
        let bodies: Vec<String> = batch.par_iter().map(|&(_, _, n)| body(n)).collect();
        for (&(start, end, _), b) in batch.iter().zip(bodies) {
            out.extend_from_slice(&frame[copied..start]);
            out.extend_from_slice(b.as_bytes());
            copied = end;
        }
    }
    out.extend_from_slice(&frame[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_spliced_where_the_template_put_them_in_any_order() {
        let m = MARK;
        let frame = format!("<a>{m}1{m}</a><b>{m}0{m}</b>{m}7{m}<c>{m}x{m}</c>");
        let out = splice(frame.as_bytes(), 2, |n| format!("正文{n}"));
        // Numbers out of range and markers that are not numbers stay as they were.
        assert_eq!(String::from_utf8(out).unwrap(), format!("<a>正文1</a><b>正文0</b>{m}7{m}<c>{m}x{m}</c>"));
    }
}
