//! The edit loop's fast path. [`Live`] is what `charter serve` keeps of its last good
//! build; [`Live::patch`] re-renders edited pages without rebuilding the site, so an
//! edit reloads in milliseconds whatever the site's size.
//!
//! A patch is only taken when the edit cannot change any other page: same front
//! matter, same heading anchors, links to the same pages, the same data shown, no
//! errors, and the set of "changed since the release" pages not going from empty to
//! non-empty. Anything else (a new, removed or non-markdown file, a template, data) is
//! refused with the reason, and serve rebuilds everything. Pages that merely contain
//! the edited text (the print edition, the search index, redlines) are brought up to
//! date by the full rebuild serve runs after every patch. Reads the edited files;
//! writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::copies::{changed_since, shown_blocks, Pending};
use super::prepare::{keeps_raw, Markdown, Prepared, Ui};
use super::sites::{public_view, Marks};
use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::base::files::OutputFile;
use crate::check::validate;
use crate::compute::blocks::Block;
use crate::load::audience::Family;
use crate::load::config::Config;
use crate::load::content::{self, Page};
use crate::load::history::History;
use crate::markdown::{self, Outline};
use crate::render::theme;
use crate::render::{self, Inputs};

/// What `charter serve` keeps of its last good build to re-render an edited page alone.
pub struct Live {
    /// The site root, canonical (as the file watcher reports paths).
    pub(super) root: PathBuf,
    pub(super) config: Config,
    pub(super) theme: theme::Theme,
    pub(super) ui: &'static Ui,
    pub(super) today: Date,
    pub(super) history: History,
    pub(super) working: Prepared,
    pub(super) marks: Marks,
    /// What each standard of the newest release (by id) shows internal readers, as
    /// blocks, when a release exists.
    pub(super) released: Option<BTreeMap<String, Vec<Block>>>,
    /// `Some(has_performance)` when the public site is the working copy (no release yet).
    pub(super) public: Option<bool>,
}

/// What each standard of the newest release (by id) shows internal readers, from the
/// build's pending snapshots, when a release exists.
pub(super) fn released_texts(pending: Option<Pending>) -> Option<BTreeMap<String, Vec<Block>>> {
    pending.map(|(r, _)| r.standards.into_iter().map(|(id, s)| (id, s.blocks)).collect())
}

/// The outcome of [`Live::patch`].
#[derive(Debug)]
pub enum Patch {
    /// The edited pages, re-rendered in every site that shows them, and their warnings.
    Pages { files: Vec<OutputFile>, warnings: Vec<Diagnostic> },
    /// The edit may change other pages, or has problems: rebuild the site. Says why.
    Rebuild(String),
}

/// An edited page, checked, before it replaces the old one.
struct Edit {
    i: usize,
    page: Page,
    outline: Outline,
    html: markdown::Body,
}

impl Live {
    /// What serve keeps of a good build rooted at `root` (kept canonical): the run's
    /// config, theme, strings and date, the working copy and its marks, the newest
    /// release's texts (see [`released_texts`]) and, when the public site is the
    /// working copy, whether it has its performance page.
    pub(super) fn new(
        root: &Path,
        (config, theme, ui, today, history): (Config, theme::Theme, &'static Ui, Date, History),
        working: Prepared,
        marks: Marks,
        released: Option<BTreeMap<String, Vec<Block>>>,
        public: Option<bool>,
    ) -> Live {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Live { root, config, theme, ui, today, history, working, marks, released, public }
    }

    /// Re-renders the pages whose files are `changed` (absolute paths, as the watcher
    /// reports them) if nothing else can have changed; see the module docs. A refused
    /// edit updates nothing, except when a template fails on the edited page: the
    /// page's new text is then kept, as it is on disk, for the rebuild to report.
    pub fn patch(&mut self, changed: &[PathBuf]) -> Patch {
        let mut paths: Vec<&PathBuf> = changed.iter().collect();
        paths.sort();
        paths.dedup();
        let mut diags = Diagnostics::new();
        let mut edits = Vec::new();
        for path in paths {
            match self.check(path, &mut diags) {
                Ok(Some(edit)) => edits.push(edit),
                Ok(None) => {}
                Err(why) => return Patch::Rebuild(why),
            }
        }
        if diags.has_errors() {
            return Patch::Rebuild("the edit has errors".into());
        }
        let marks = self.marks_after(&edits);
        // Each site behind sign-in lists its own unreleased changes (its menu links them).
        let starts_or_ends = self.config.audiences.staff().iter().any(|&tier| {
            marks.changed_in(&self.working, tier).is_empty() != self.marks.changed_in(&self.working, tier).is_empty()
        });
        if starts_or_ends {
            return Patch::Rebuild("the site's unreleased changes start or end".into());
        }
        self.marks = marks;
        let mut edited = Vec::with_capacity(edits.len());
        for mut e in edits {
            let w = &mut self.working;
            w.content.pages[e.i] = e.page;
            e.outline.text = e.html.text.take().map(std::sync::Arc::new);
            w.outlines[e.i] = e.outline;
            let trusted = e.html.trusted.unwrap_or_else(|| e.html.html.clone());
            w.bodies[e.i] = e.html.html;
            if let Some(t) = w.trusted_bodies.as_mut() {
                t[e.i] = trusted;
            } else if trusted != w.bodies[e.i] {
                let mut all = w.bodies.clone();
                all[e.i] = trusted;
                w.trusted_bodies = Some(all);
            }
            edited.push(e.i);
        }
        match self.render(&edited) {
            Ok(files) => Patch::Pages { files, warnings: diags.into_sorted() },
            Err(_) => Patch::Rebuild("a template failed on the edited page".into()),
        }
    }

    /// The site root (canonical).
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Checks one changed path: an edited page is loaded and compared with the page it
    /// replaces. `Ok(None)` for what the site does not read and cannot have changed:
    /// a folder that still exists (its files are reported on their own), a hidden
    /// file, or a file that came and went (an editor's temporary copy).
    fn check(&self, path: &Path, diags: &mut Diagnostics) -> Result<Option<Edit>, String> {
        let w = &self.working;
        let shown = path.display();
        let rel = path
            .strip_prefix(self.root.join(content::CONTENT_DIR))
            .map_err(|_| format!("{shown} is not a page"))?
            .to_string_lossy()
            .replace('\\', "/");
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        let known = w.index.by_rel.get(&rel).copied().filter(|_| rel.ends_with(".md"));
        let Some(i) = known else {
            let folder = format!("{rel}/");
            let held_pages = w.index.by_rel.range(folder.clone()..).next().is_some_and(|(r, _)| r.starts_with(&folder));
            return match (path.exists(), path.is_dir()) {
                (_, true) => Ok(None),
                _ if hidden => Ok(None),
                (false, false) if !held_pages => Ok(None),
                (false, false) => Err(format!("{shown} was removed")),
                (true, false) if !rel.ends_with(".md") => Err(format!("{shown} is a file beside the pages")),
                (true, false) => Err(format!("{shown} is a new file")),
            };
        };
        if !path.is_file() {
            return Err(format!("{shown} was removed"));
        }
        let old = &w.content.pages[i];
        if old.generated {
            return Err(format!("{shown} replaces a generated section index"));
        }
        let mut own = Diagnostics::new();
        let page = content::read_page(&rel, &old.source, path, &self.config.audiences, &mut own)
            .filter(|_| !own.has_errors())
            .ok_or_else(|| format!("{shown} has errors"))?;
        diags.extend(own);
        if (Page { body: old.body.clone(), ..page.clone() }) != *old {
            return Err(format!("the front matter of {shown} changed"));
        }
        let md = self.markdown();
        let (outline, pending) = md.page(&page);
        let old_outline = &w.outlines[i];
        let anchors = |o: &Outline| o.headings.iter().map(|h| h.anchor.clone()).collect::<Vec<_>>();
        if anchors(&outline) != anchors(old_outline) {
            return Err(format!("the headings of {shown} have new anchors"));
        }
        let site = w.linkable();
        let linked = |p, o| site.targets(p, o).into_iter().collect::<std::collections::BTreeSet<_>>();
        if linked(&page, &outline) != linked(old, old_outline) {
            return Err(format!("{shown} links to other pages or files than before"));
        }
        let resolved = site.page_links(&page, &outline, diags);
        if validate::page_data_refs(&page, &outline, &w.data, diags) != w.uses[i] {
            return Err(format!("{shown} shows other data than before"));
        }
        let html = md.body(&page, &outline, pending, &resolved);
        Ok(Some(Edit { i, page, outline, html }))
    }

    /// The marks of the sites behind sign-in once `edits` are in.
    fn marks_after(&self, edits: &[Edit]) -> Marks {
        let mut marks = self.marks.clone();
        if let Some(released) = &self.released {
            for e in edits {
                let now = shown_blocks(&e.page, self.config.audiences.highest(), &e.html.html);
                if changed_since(now.as_ref(), released.get(&e.page.id.value)) {
                    marks.changed.insert(e.i, crate::render::release_pages::redline_url(&e.page.id.value));
                } else {
                    marks.changed.remove(&e.i);
                }
            }
        }
        marks
    }

    /// Pages `edited` (indices) in each site that publishes them.
    fn render(&self, edited: &[usize]) -> Result<Vec<OutputFile>, Diagnostics> {
        let w = &self.working;
        let env = w.env(self.today, self.ui);
        let mut inputs = Inputs {
            config: &self.config,
            pages: &w.content.pages,
            outlines: &w.outlines,
            bodies: &w.bodies,
            theme: &self.theme,
            env: &env,
            citations: &w.citations,
            history: &self.history,
        };
        let reports = &self.config.reports;
        let mut views: Vec<render::View> = (self.config.audiences.staff().iter())
            .map(|&tier| self.marks.view(w, tier, reports.shown(Family::Overview, tier)))
            .collect();
        views.extend(self.public.map(|has_performance| public_view(w, has_performance)));
        let mut files = Vec::new();
        for view in &views {
            inputs.bodies = if view.audience.is_public() { &w.bodies } else { w.internal_bodies() };
            for &i in edited.iter().filter(|&&i| validate::published_in(&w.content.pages[i], view.audience)) {
                files.push(render::page(view, &inputs, i)?);
            }
        }
        Ok(files)
    }

    /// How the working copy's markdown becomes HTML, as `prepare` made it.
    fn markdown(&self) -> Markdown<'_> {
        Markdown::new(self.working.env(self.today, self.ui), keeps_raw(&self.config, false))
    }
}
