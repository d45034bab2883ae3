//! Which pages one audience's site holds and how they relate: the [`View`] built from
//! the pages published for its audience only (the leak guard by construction), with
//! navigation, sections, owners and role lists looked up through it, and the
//! [`Inputs`] rendering needs. It builds no HTML.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::validate::published_in;
use crate::formats::yaml::Spanned;
use crate::load::config::Config;
use crate::load::content::{Audience, Page, PageKind};
use crate::load::data::{Data, Kpi, Scorecard};
use crate::load::sections;
use crate::markdown::Outline;
use crate::render::theme::Theme;

/// Everything rendering needs, computed by the earlier build steps.
pub(crate) struct Inputs<'a> {
    pub(crate) config: &'a Config,
    pub(crate) pages: &'a [Page],
    pub(crate) outlines: &'a [Outline],
    /// Rendered markdown body of each page (same order as `pages`).
    pub(crate) bodies: &'a [String],
    pub(crate) theme: &'a Theme,
    /// Service data, build month and UI strings, as shortcodes use them.
    pub(crate) env: &'a crate::markdown::shortcodes::Env<'a>,
    /// KPI id → pages citing it.
    pub(crate) citations: &'a BTreeMap<String, Vec<usize>>,
    /// When each source file was last committed (page history, edit links).
    pub(crate) history: &'a crate::load::history::History,
}

/// The pages of one audience's site and their relations, all restricted to that site.
pub(crate) struct View<'a> {
    pub(crate) audience: Audience,
    /// Indices into `Inputs::pages` of the published pages, in source order.
    pub(super) pages: Vec<usize>,
    pub(super) all: &'a [Page],
    pub(super) by_id: BTreeMap<&'a str, usize>,
    /// Section folder → regular pages in it, in section order ([`sections::order`]).
    pub(super) children: BTreeMap<&'a str, Vec<usize>>,
    /// Page → its position among its section's `children` (for previous / next).
    pub(super) sibling_pos: std::collections::HashMap<usize, usize>,
    /// Section folder → index pages of its direct subsections, ordered.
    pub(super) subsections: BTreeMap<String, Vec<usize>>,
    /// Role id → pages it owns; role id → roles reporting to it.
    pub(super) owned: BTreeMap<&'a str, Vec<usize>>,
    pub(super) reports: BTreeMap<&'a str, Vec<usize>>,
    pub(super) sections: BTreeMap<&'a str, usize>,
    /// KPIs and scorecards this audience may see (public ones only in `public/`).
    pub(super) kpis: Vec<&'a Kpi>,
    pub(super) scorecards: Vec<&'a Scorecard>,
    /// Whether this site has report pages (`reports/`, internal) or the public
    /// performance page (`performance/`); set by the pipeline before rendering.
    pub(crate) has_reports: bool,
    pub(crate) has_performance: bool,
    /// The public site's changelog and versions pages exist (a release was made).
    pub(crate) has_changelog: bool,
    /// Internal site: the working copy has changes not yet released.
    pub(crate) has_pending_changes: bool,
    /// Folder inside the audience's site this view is written to: `""` or `2025.1/`.
    pub(crate) prefix: String,
    /// Which release this view shows, with the others, for the version switcher.
    pub(crate) versioning: Option<Versioning>,
    /// Internal site: page index → URL of its redline against the newest release.
    pub(crate) changed: BTreeMap<usize, String>,
    /// Internal site: the newest release's name, for the "changed since" banner.
    pub(crate) newest_release: Option<String>,
    /// What the site's other languages have, in a site of several (see `languages.rs`).
    pub(crate) alternates: Option<super::Alternates>,
    /// What its pages share, worked out once for the view (see `shared.rs`).
    pub(crate) shared: super::shared::Shared,
}

/// The releases of the public handbook as a view sees them.
#[derive(Debug, Clone)]
pub(crate) struct Versioning {
    /// The folder of the view's language at the site root and in each release folder
    /// (`""`, `en/`).
    pub(crate) root: String,
    /// Oldest first.
    pub(crate) names: Vec<String>,
    pub(crate) dates: Vec<crate::base::date::Date>,
    /// The release this view shows.
    pub(crate) this: usize,
    /// Whether this view is the copy at the site root (the newest release).
    pub(crate) at_root: bool,
    /// The page URLs each release publishes, so the switcher can find "the same page".
    pub(crate) urls: Vec<std::collections::BTreeSet<String>>,
}

impl Versioning {
    pub(super) fn newest(&self) -> usize {
        self.names.len() - 1
    }

    /// Where release `j` is published: the root for the newest, else its folder.
    pub(super) fn folder(&self, j: usize) -> String {
        if j == self.newest() {
            self.root.clone()
        } else {
            format!("{}/{}", self.names[j], self.root)
        }
    }

    /// The full URL of `url` (or of the home page when release `j` lacks it) in release `j`.
    pub(super) fn target(&self, j: usize, url: &str) -> String {
        let page = if self.urls[j].contains(url) { url } else { "" };
        format!("{}{page}", self.folder(j))
    }
}

impl<'a> View<'a> {
    pub(crate) fn new(all: &'a [Page], data: &'a Data, audience: Audience) -> View<'a> {
        let shown = |p: &Page| !matches!(p.lang, crate::load::translations::PageLang::Elsewhere { .. });
        let pages: Vec<usize> = (0..all.len()).filter(|&i| published_in(&all[i], audience) && shown(&all[i])).collect();
        let open = |public: bool| !audience.is_public() || public;
        let mut v = View {
            audience,
            pages: pages.clone(),
            all,
            by_id: BTreeMap::new(),
            children: BTreeMap::new(),
            sibling_pos: std::collections::HashMap::new(),
            subsections: BTreeMap::new(),
            owned: BTreeMap::new(),
            reports: BTreeMap::new(),
            sections: BTreeMap::new(),
            kpis: data.kpis.values().filter(|k| open(k.public)).collect(),
            scorecards: data.scorecards.iter().filter(|s| open(s.public)).collect(),
            has_reports: false,
            has_performance: false,
            has_changelog: false,
            has_pending_changes: false,
            prefix: String::new(),
            versioning: None,
            changed: BTreeMap::new(),
            newest_release: None,
            alternates: None,
            shared: super::shared::Shared::default(),
        };
        for &i in &pages {
            let p = &all[i];
            v.by_id.entry(p.id.value.as_str()).or_insert(i);
            if p.is_index() {
                v.sections.insert(p.section.as_str(), i);
                if let Some(parent) = p.parent_section() {
                    v.subsections.entry(parent).or_default().push(i);
                }
            } else {
                v.children.entry(p.section.as_str()).or_default().push(i);
            }
        }
        for &i in &pages {
            let p = &all[i];
            if let Some(o) = &p.owner {
                if v.role(&o.value).is_some() {
                    v.owned.entry(o.value.as_str()).or_default().push(i);
                }
            }
            if let Some(b) = &p.reports_to {
                if v.role(&b.value).is_some() {
                    v.reports.entry(b.value.as_str()).or_default().push(i);
                }
            }
        }
        // Inside a section, the order its `_index.md` lists (`pages:`), then the default
        // order; role lists by the default order.
        let listed: BTreeMap<&str, &[Spanned<String>]> = all
            .iter()
            .filter(|p| p.is_index())
            .map(|p| (p.section.as_str(), p.section_keys.pages.as_slice()))
            .collect();
        let in_section = |section: &str, list: &mut Vec<usize>| {
            let listed = listed.get(section).copied().unwrap_or_default();
            list.sort_by(|&a, &b| sections::order(listed, &all[a], &all[b]));
        };
        for (section, list) in v.children.iter_mut() {
            in_section(section, list);
        }
        for (section, list) in v.subsections.iter_mut() {
            in_section(section, list);
        }
        for list in v.owned.values_mut().chain(v.reports.values_mut()) {
            list.sort_by(|&a, &b| sections::order(&[], &all[a], &all[b]));
        }
        v.sibling_pos = v.children.values().flat_map(|list| list.iter().enumerate().map(|(n, &i)| (i, n))).collect();
        v
    }

    /// Whether this view publishes a home page (not so for a public site where no page
    /// is public).
    /// The addresses of the pages this site publishes.
    pub(crate) fn urls(&self) -> std::collections::BTreeSet<&'a str> {
        self.pages.iter().map(|&i| self.all[i].url.as_str()).collect()
    }

    pub(crate) fn has_home(&self) -> bool {
        self.sections.contains_key("")
    }

    /// The regular pages of this view in site order: the home folder's pages, then each
    /// section depth first, in the order the navigation and section lists show them.
    /// Sections for which `keep` is false are skipped with the sections inside them.
    pub(crate) fn site_order(&self, keep: impl Fn(&Page) -> bool) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<&str> = self.sections.get("").map(|_| "").into_iter().collect();
        while let Some(section) = stack.pop() {
            let index = &self.all[self.sections[section]];
            if !keep(index) {
                continue;
            }
            out.extend(self.children.get(section).into_iter().flatten().copied());
            let subs = self.subsections.get(section).into_iter().flatten();
            stack.extend(subs.rev().map(|&s| self.all[s].section.as_str()));
        }
        out
    }

    /// The title of a published section's index page.
    pub(crate) fn section_title(&self, section: &str) -> Option<String> {
        self.sections.get(section).map(|&i| self.all[i].title.clone())
    }

    /// The title of a published role page.
    pub(crate) fn role_title(&self, id: &str) -> Option<String> {
        self.role(id).map(|p| p.title.clone())
    }

    /// A published role page by id.
    pub(super) fn role(&self, id: &str) -> Option<&'a Page> {
        self.by_id.get(id).map(|&i| &self.all[i]).filter(|p| p.kind == PageKind::Role)
    }
}

#[derive(Serialize)]
pub(crate) struct Link {
    pub(crate) title: String,
    pub(crate) url: String,
}

#[derive(Serialize)]
pub(crate) struct NavItem {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) current: bool,
}
