//! Pages about releases: the public versions list, the changelog (all releases and
//! one page per release), a redline page per changed standard, the Atom feed of
//! releases, and — internally — the working copy's unreleased changes with their
//! redlines.
//!
//! Built from [`Snapshot`]s, which hold only what a site's readers may see, so the
//! public pages cannot mention anything internal. Renders through `changelog.html`
//! and `redline.html`; produces files in memory and never writes.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::compute::changelog::{self, Kind, Snapshot};
use crate::compute::diff::{Redline, Side};
use crate::load::versions::Release;
use crate::markdown::links::{normalize, relative_url};
use crate::render::words::Say;
use crate::render::{generated_context, home_crumb, Inputs, Link, View};

#[derive(Serialize)]
struct Item {
    text: String,
    url: Option<String>,
    redline_url: Option<String>,
}

#[derive(Serialize)]
struct Group {
    heading: String,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct ReleaseBlock {
    name: String,
    /// The id of its heading: the name without whitespace (an id holds none; the
    /// working copy's name, "Next (working copy)", has some).
    id: String,
    date: String,
    notes: String,
    url: Option<String>,
    home_url: Option<String>,
    groups: Vec<Group>,
}

/// The id of a release's heading, `release-NAME` with any whitespace as `-`.
fn heading_id(name: &str) -> String {
    format!("release-{}", name.split_whitespace().collect::<Vec<_>>().join("-"))
}

/// Where release `i` of `n` is published: the root for the newest, else its folder.
/// Where the internal site shows a standard's redline against the newest release.
pub(crate) fn redline_url(id: &str) -> String {
    format!("changes/{id}/")
}

fn folder(releases: &[Release], i: usize, root: &str) -> String {
    if i + 1 == releases.len() {
        String::new()
    } else {
        // From a language's root (`en/`) to the release's copy in it (`2025.1/en/`).
        relative_url(root, &format!("{}/{root}", releases[i].version))
    }
}

/// The folder of the view's language, which its release pages are the root of.
fn root_of<'v>(view: &'v View) -> &'v str {
    view.versioning.as_ref().map_or("", |v| v.root.as_str())
}

struct Pages<'a> {
    view: &'a View<'a>,
    inputs: &'a Inputs<'a>,
}

impl Pages<'_> {
    fn render(
        &self,
        url: &str,
        template: &str,
        title: &str,
        summary: Option<&str>,
        fill: impl FnOnce(&mut tera::Context),
    ) -> Result<OutputFile, Diagnostics> {
        let ui = self.inputs.env.ui;
        let mut crumbs = home_crumb(self.view, self.inputs, url);
        if url.matches('/').count() > 1 {
            let top = &url[..url.find('/').map_or(0, |i| i + 1)];
            let title = if top == "changes/" { ui.pending_changes } else { ui.changelog };
            crumbs.push(Link { title: title.to_string(), url: relative_url(url, top) });
        }
        let mut ctx = generated_context(self.view, self.inputs, url, title, summary, &crumbs);
        // These pages are about all versions: no switcher or banner (they are only at
        // the site root, so their canonical address is their own).
        ctx.insert("version", &None::<String>);
        fill(&mut ctx);
        let html = self.inputs.theme.render(template, &ctx)?;
        Ok(OutputFile {
            path: format!("{}/{}{url}index.html", self.view.audience.as_str(), self.view.prefix),
            bytes: html,
        })
    }
}

/// The releases as one language's changelog shows them.
struct Log<'a> {
    releases: &'a [Release],
    /// The folder of the view's language (`""`, `en/`).
    root: &'a str,
    /// (release, standard) whose redline is the default language's: a side of it is
    /// not written in this language.
    elsewhere: BTreeSet<(usize, String)>,
}

/// The groups of one release's changelog, with links relative to `from`, in the
/// interface strings `ui` and the language `say`.
fn groups(
    (ui, say): (&crate::base::i18n::Ui, Say),
    log: &Log,
    i: usize,
    changes: &changelog::Changes,
    from: &str,
) -> Vec<Group> {
    let (releases, root) = (log.releases, log.root);
    let mut out = Vec::new();
    for (kind, key) in [
        (Kind::Added, ui.change_added),
        (Kind::Changed, ui.change_changed),
        (Kind::Retired, ui.change_retired),
        (Kind::Removed, ui.change_removed),
    ] {
        let items: Vec<Item> = changes
            .standards
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| {
                // A removed standard lives on in the release before.
                let at = if kind == Kind::Removed { i - 1 } else { i };
                let redline = format!("changelog/{}/{}/", releases[i].version, c.id);
                // A redline of the default language lies above this language's folder.
                let original = format!("{}{redline}", "../".repeat(root.matches('/').count()));
                let elsewhere = log.elsewhere.contains(&(i, c.id.clone()));
                Item {
                    text: c.title.clone(),
                    url: Some(relative_url(from, &format!("{}{}", folder(releases, at, root), c.url))),
                    redline_url: c.redline.then(|| relative_url(from, if elsewhere { &original } else { &redline })),
                }
            })
            .collect();
        if !items.is_empty() {
            out.push(Group { heading: key.to_string(), items });
        }
    }
    for (list, key) in [(&changes.params, ui.param_changes), (&changes.targets, ui.target_changes)] {
        if !list.is_empty() {
            out.push(Group {
                heading: key.to_string(),
                items: list
                    .iter()
                    .map(|v| {
                        let label = v.since.as_ref().map_or_else(|| v.label.clone(), |s| say.remark(&v.label, s));
                        Item {
                            text: say.labelled(&label, &format!("{} → {}", v.old, v.new)),
                            url: None,
                            redline_url: None,
                        }
                    })
                    .collect(),
            });
        }
    }
    out
}

/// The public release pages. `snaps[i]` is what release `i` showed customers in the
/// view's language; in a language after the first, `originals[i]` what it showed in
/// the default language, which decides what changed (a translation appearing is not
/// a change): titles are this language's, and a redline compares this language's
/// words only where both sides are written in it, else it is the default language's.
pub(crate) fn public(
    view: &View,
    inputs: &Inputs,
    releases: &[Release],
    (snaps, originals): (&[Snapshot], Option<&[Snapshot]>),
) -> Result<Vec<OutputFile>, Diagnostics> {
    let (ui, say) = (inputs.env.ui, Say(inputs.env.language));
    let p = Pages { view, inputs };
    let root = root_of(view);
    let reading = changelog::Reading { from_label: ui.from_month, language: say.0 };
    let basis = originals.unwrap_or(snaps);
    let mut changes: Vec<changelog::Changes> = (0..releases.len())
        .map(|i| changelog::compare(i.checked_sub(1).map(|j| &basis[j]), &basis[i], reading))
        .collect();
    let mut log = Log { releases, root, elsewhere: BTreeSet::new() };
    if originals.is_some() {
        for (i, c) in changes.iter_mut().enumerate().flat_map(|(i, ch)| ch.standards.iter_mut().map(move |c| (i, c))) {
            let side = if c.kind == changelog::Kind::Removed { i.saturating_sub(1) } else { i };
            if let Some(mine) = snaps[side].standards.get(&c.id) {
                c.title = mine.title.clone();
            }
            let own = |j: usize| snaps[j].standards.get(&c.id).is_some_and(|s| s.own_words);
            if c.redline && !(i > 0 && own(i - 1) && own(i)) {
                log.elsewhere.insert((i, c.id.clone()));
            }
        }
    }
    let log = log;
    let mut files = Vec::new();
    let block = |i: usize, from: &str, with_url: bool| ReleaseBlock {
        name: releases[i].version.clone(),
        id: heading_id(&releases[i].version),
        date: releases[i].date.to_string(),
        notes: releases[i].notes_in(inputs.env.language, inputs.config.languages[0]).to_string(),
        url: with_url.then(|| relative_url(from, &format!("changelog/{}/", releases[i].version))),
        home_url: Some(relative_url(from, &folder(releases, i, root))),
        groups: groups((ui, say), &log, i, &changes[i], from),
    };
    // The changelog: every release, newest first.
    let url = "changelog/";
    let all: Vec<ReleaseBlock> = (0..releases.len()).rev().map(|i| block(i, url, true)).collect();
    files.push(p.render(url, "changelog.html", ui.changelog, Some(ui.changelog_intro), |ctx| {
        ctx.insert("releases", &all);
        ctx.insert("feed_url", &relative_url(url, "feed.xml"));
    })?);
    // The versions list: dates and notes, without the detail.
    let url = "versions/";
    let list: Vec<ReleaseBlock> =
        (0..releases.len()).rev().map(|i| ReleaseBlock { groups: Vec::new(), ..block(i, url, true) }).collect();
    files.push(p.render(url, "changelog.html", ui.versions, Some(ui.versions_intro), |ctx| {
        ctx.insert("releases", &list);
        ctx.insert("feed_url", &relative_url(url, "feed.xml"));
    })?);
    for (i, r) in releases.iter().enumerate() {
        let url = format!("changelog/{}/", r.version);
        let one = vec![block(i, &url, false)];
        files.push(p.render(
            &url,
            "changelog.html",
            &format!("{} · {} {}", ui.changelog, ui.version, r.version),
            None,
            |ctx| {
                ctx.insert("releases", &one);
                ctx.insert("feed_url", &None::<String>);
            },
        )?);
        // A redline for every standard whose text changed since the release before.
        for c in changes[i].standards.iter().filter(|c| c.redline && !log.elsewhere.contains(&(i, c.id.clone()))) {
            let (Some(old), Some(new)) =
                (i.checked_sub(1).and_then(|j| snaps[j].standards.get(&c.id)), snaps[i].standards.get(&c.id))
            else {
                continue;
            };
            let url = format!("changelog/{}/{}/", r.version, c.id);
            let title = ui
                .redline_of
                .replace("{title}", &c.title)
                .replace("{old}", &releases[i - 1].version)
                .replace("{new}", &r.version);
            // Each side's links and images lead into its own release's folder, where
            // the pages it linked to are published.
            let (was, now) = (folder(releases, i - 1, root), folder(releases, i, root));
            let at = |side: Side, href: &str| match side {
                Side::Old => Some(rebase(href, &old.url, &was, &url).url),
                Side::New => Some(rebase(href, &new.url, &now, &url).url),
            };
            let r = Redline { folded_label: ui.folded_lines, link: &at, image: &at };
            let html = crate::compute::redline::redline(&old.blocks, &new.blocks, &r);
            let page_url = relative_url(&url, &format!("{}{}", folder(releases, i, root), c.url));
            files.push(p.render(&url, "redline.html", &title, None, |ctx| {
                ctx.insert("redline", &html);
                ctx.insert("page_url", &page_url);
            })?);
        }
    }
    // The Atom feed, for customers who subscribe to changes.
    let base = &format!("{}{}", inputs.config.base_url, if inputs.config.base_url.is_empty() { "" } else { root });
    let entries: Vec<changelog::FeedEntry> = (0..releases.len())
        .rev()
        .map(|i| {
            let r = &releases[i];
            let summary: Vec<String> = groups((ui, say), &log, i, &changes[i], "")
                .iter()
                .map(|g| {
                    let items: Vec<&str> = g.items.iter().map(|it| it.text.as_str()).collect();
                    say.labelled(&g.heading, &items.join(ui.list_sep))
                })
                .collect();
            let notes = r.notes_in(inputs.env.language, inputs.config.languages[0]);
            let summary =
                if notes.is_empty() { summary.join("\n") } else { format!("{notes}\n{}", summary.join("\n")) };
            changelog::FeedEntry {
                date: r.date,
                title: format!("{} {}", ui.version, r.version),
                summary,
                url: format!("{base}changelog/{}/", r.version),
            }
        })
        .collect();
    files.push(OutputFile {
        path: format!("public/{}feed.xml", view.prefix),
        bytes: changelog::atom(&inputs.config.title, inputs.config.feed_author(), base, &entries).into_bytes(),
    });
    Ok(files)
}

/// A link or image address as the page at `page_url` wrote it, for the page at `from`
/// when that page is published under `folder`: `path` is the site path it leads to
/// (without `#…` or `?…`; `None` for an address off the site or one no page can
/// mean), `url` the address from `from`.
struct Rebased {
    path: Option<String>,
    url: String,
}

fn rebase(href: &str, page_url: &str, folder: &str, from: &str) -> Rebased {
    let scheme = href.find(':').is_some_and(|c| !href[..c].contains(['/', '?', '#']));
    if scheme || href.starts_with('/') {
        return Rebased { path: None, url: href.to_string() };
    }
    let cut = href.find(['#', '?']).unwrap_or(href.len());
    let (path, rest) = href.split_at(cut);
    let folder_like =
        path.is_empty() || path.ends_with('/') || path.rsplit('/').next().is_some_and(|s| s == "." || s == "..");
    let Some(target) =
        (if path.is_empty() { Some(page_url.trim_end_matches('/').to_string()) } else { normalize(page_url, path) })
    else {
        return Rebased { path: None, url: href.to_string() };
    };
    let target = if folder_like && !target.is_empty() { format!("{target}/") } else { target };
    Rebased { url: format!("{}{rest}", relative_url(from, &format!("{folder}{target}"))), path: Some(target) }
}

/// Internal pages for the working copy's unreleased changes against the newest
/// release (`changed`: page id → URL of its redline page, as the view links them).
pub(crate) fn internal(
    view: &View,
    inputs: &Inputs,
    newest: &Release,
    released: &Snapshot,
    working: &Snapshot,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let (ui, say) = (inputs.env.ui, Say(inputs.env.language));
    let p = Pages { view, inputs };
    let mut files = Vec::new();
    let mut items = Vec::new();
    // The snapshots hold every tier's pages: each site shows the changes of its own,
    // and its redlines link only to what it publishes (its pages; every KPI page, as
    // every site behind sign-in has them all).
    let published = view.urls();
    let urls: std::collections::BTreeSet<&String> =
        working.urls.iter().filter(|u| published.contains(u.as_str()) || u.starts_with("kpis/")).collect();
    for (id, w) in working.standards.iter().filter(|(_, w)| published.contains(w.url.as_str())) {
        let old = released.standards.get(id);
        if old.is_some_and(|o| o.blocks == w.blocks) {
            continue;
        }
        let url = redline_url(id);
        let title = ui
            .redline_of
            .replace("{title}", &w.title)
            .replace("{old}", &newest.version)
            .replace("{new}", ui.working_copy);
        // The released copy is not published in the internal site: its links lead to
        // the working copy's page at the same address, where there is one (else they
        // show as text), and its images show as their alternative text.
        let link = |side: Side, href: &str| match side {
            Side::Old => {
                let to = rebase(href, old.map_or(&w.url, |o| &o.url), "", &url);
                to.path.is_none_or(|p| urls.contains(&p)).then_some(to.url)
            }
            Side::New => Some(rebase(href, &w.url, "", &url).url),
        };
        let image = |side: Side, href: &str| (side == Side::New).then(|| rebase(href, &w.url, "", &url).url);
        let r = Redline { folded_label: ui.folded_lines, link: &link, image: &image };
        let html = crate::compute::redline::redline(old.map_or(&[][..], |o| &o.blocks), &w.blocks, &r);
        let page_url = relative_url(&url, &w.url);
        files.push(p.render(&url, "redline.html", &title, None, |ctx| {
            ctx.insert("redline", &html);
            ctx.insert("page_url", &page_url);
        })?);
        let text = if old.is_none() { say.remark(&w.title, ui.new_page) } else { w.title.clone() };
        items.push(Item {
            text,
            url: Some(relative_url("changes/", &w.url)),
            redline_url: Some(relative_url("changes/", &url)),
        });
    }
    let block = ReleaseBlock {
        name: ui.working_copy.to_string(),
        id: heading_id(ui.working_copy),
        date: inputs.env.today.to_string(),
        notes: String::new(),
        url: None,
        home_url: None,
        groups: if items.is_empty() {
            Vec::new()
        } else {
            vec![Group { heading: ui.change_changed.to_string(), items }]
        },
    };
    files.push(p.render("changes/", "changelog.html", ui.pending_changes, Some(ui.pending_intro), |ctx| {
        ctx.insert("releases", &vec![block]);
        ctx.insert("feed_url", &None::<String>);
    })?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::rebase;

    #[test]
    fn addresses_are_rebased_into_the_folder_their_version_is_published_in() {
        let at = |href: &str, folder: &str| {
            let r = rebase(href, "standards/refunds/", folder, "changelog/2026.2/refunds/");
            (r.path, r.url)
        };
        assert_eq!(
            at("../counter/", "2026.1/"),
            (Some("standards/counter/".into()), "../../../2026.1/standards/counter/".into())
        );
        assert_eq!(at("../img/a.png", ""), (Some("standards/img/a.png".into()), "../../../standards/img/a.png".into()));
        assert_eq!(at("#scope", ""), (Some("standards/refunds/".into()), "../../../standards/refunds/#scope".into()));
        assert_eq!(
            at("../../kpis/nps/#t", "2026.1/"),
            (Some("kpis/nps/".into()), "../../../2026.1/kpis/nps/#t".into())
        );
        assert_eq!(at("../../", ""), (Some(String::new()), "../../../".into()));
        assert_eq!(at("https://x.example/a", "2026.1/"), (None, "https://x.example/a".into()));
        assert_eq!(at("mailto:a@x.example", ""), (None, "mailto:a@x.example".into()));
    }
}
