//! Rendering the two sites from prepared copies: the internal site from the working
//! copy, its unreleased changes marked; the public site from the releases (the newest
//! at the root, each also in its own folder, with changelog and version switcher) or,
//! before the first release, from the working copy; and the snapshots that changelogs
//! and redlines compare.
//!
//! Files go to the build's [`output::Sink`] as they render. This module checks nothing
//! (sources are valid by the time it runs) and writes nothing itself; the only state
//! it touches is the public site's memo, which the pipeline hands it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use super::cache::Memo;
use super::copies::{changed_since, public_urls, snapshot, Copies, Pending};
use super::output::{self, OutputFile};
use super::prepare::{Prepared, Ui};
use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostics, Pos};
use crate::check::validate;
use crate::compute::changelog;
use crate::load::audience::Family;
use crate::load::config::Config;
use crate::load::content::Audience;
use crate::load::history::History;
use crate::load::measure;
use crate::load::versions::Release;
use crate::markdown::shortcodes;
use crate::render::{self, Inputs, View};
use crate::render::{release_pages, reports, theme};

/// The folder of each release in the public site (`2025.1/`).
pub(super) fn release_folders(names: &[String]) -> Vec<String> {
    names.iter().map(|r| format!("{r}/")).collect()
}

/// The sites of a build, each with its own search index: each site behind sign-in
/// (`staff`, by tier name), the public root (the current release, without the release
/// folders) and each release folder; in the default language (without the language
/// folders) and in each further language (its folder in each: `en/`, `2025.1/en/`).
pub(super) fn search_sites(folders: &crate::base::files::Folders) -> Vec<crate::search::SiteSpec> {
    use crate::search::SiteSpec;
    let releases = release_folders(&folders.releases);
    let languages: Vec<String> = folders.languages.iter().map(|l| format!("{l}/")).collect();
    let mut sites = Vec::new();
    for lang in std::iter::once(String::new()).chain(languages.iter().cloned()) {
        let others = if lang.is_empty() { languages.clone() } else { Vec::new() };
        sites.extend(folders.staff.iter().map(|t| SiteSpec { prefix: format!("{t}/{lang}"), exclude: others.clone() }));
        let exclude = releases.iter().chain(&others).cloned().collect();
        sites.push(SiteSpec { prefix: format!("public/{lang}"), exclude });
        let exclude = if lang.is_empty() { &languages } else { &Vec::new() };
        sites.extend(
            releases.iter().map(|f| SiteSpec { prefix: format!("public/{f}{lang}"), exclude: exclude.clone() }),
        );
    }
    sites
}

/// The rendered public site of a long-running process, reused while its inputs
/// (`key`) are unchanged; `keep` is false for a one-shot build, which keeps nothing.
pub(super) struct PublicCache<'c> {
    pub(super) memo: &'c mut Memo<Vec<OutputFile>>,
    pub(super) key: u64,
    pub(super) keep: bool,
}

/// Output path → the `hreflang` alternates (language, address) the page states.
type Alternates = BTreeMap<String, Vec<(String, String)>>;

/// Forwards files to the build's sink, remembering their paths (for the sitemap and
/// the page counts) and, when asked, a copy of the public ones.
struct Recorder<'s> {
    sink: &'s dyn output::Sink,
    paths: Mutex<Vec<String>>,
    /// The day each public page says it last changed (path → `YYYY-MM-DD`), for the
    /// sitemap; read from the pages, so a reused public site keeps its dates.
    modified: Mutex<BTreeMap<String, String>>,
    /// The `hreflang` alternates each public page states (path → language, address),
    /// read only in a site of several languages.
    alternates: Option<Mutex<Alternates>>,
    public: Option<Mutex<Vec<OutputFile>>>,
}

impl Recorder<'_> {
    fn record(&self, files: &[&OutputFile]) {
        // Redirects of moved pages are not pages: not counted, not in the sitemap.
        let pages = files.iter().copied().filter(|f| !render::redirects::is_redirect(&f.bytes));
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).extend(pages.clone().map(|f| f.path.clone()));
        let public = pages.filter(|f| f.path.starts_with("public/") && f.path.ends_with(".html"));
        let dated = public.clone().filter_map(|f| render::meta::modified(&f.bytes).map(|d| (f.path.clone(), d)));
        self.modified.lock().unwrap_or_else(|e| e.into_inner()).extend(dated);
        if let Some(found) = &self.alternates {
            let alternates =
                public.map(|f| (f.path.clone(), render::meta::alternates(&f.bytes))).filter(|(_, a)| !a.is_empty());
            found.lock().unwrap_or_else(|e| e.into_inner()).extend(alternates);
        }
        if let Some(public) = &self.public {
            let mine = files.iter().filter(|f| f.path.starts_with("public/")).map(|f| (*f).clone());
            public.lock().unwrap_or_else(|e| e.into_inner()).extend(mine);
        }
    }
}

impl output::Sink for Recorder<'_> {
    fn put(&self, files: Vec<OutputFile>) {
        self.record(&files.iter().collect::<Vec<_>>());
        self.sink.put(files);
    }

    /// Pages go on with their bodies' search text.
    fn put_pages(&self, pages: Vec<(OutputFile, Option<crate::base::files::PageText>)>) {
        self.record(&pages.iter().map(|(f, _)| f).collect::<Vec<_>>());
        self.sink.put_pages(pages);
    }

    fn copy(&self, files: Vec<output::CopiedFile>) -> Result<(), String> {
        if self.public.is_some() && files.iter().any(|f| f.path.starts_with("public/")) {
            // The public site is kept in memory for the next build: read the files.
            let read: Result<Vec<OutputFile>, String> = files.iter().map(output::CopiedFile::read).collect();
            output::Sink::put(self, read?);
            return Ok(());
        }
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).extend(files.iter().map(|f| f.path.clone()));
        self.sink.copy(files)
    }
}

/// Copies the files `p` publishes in the site of `view` (beside its pages and from
/// `static/`), at their addresses under the view's prefix.
fn copy_files(view: &View, p: &Prepared, sink: &dyn output::Sink) -> Result<(), Diagnostics> {
    let site = view.audience.as_str();
    let files: Vec<output::CopiedFile> = p
        .files
        .iter()
        .filter(|f| p.file_published_in(f, view.audience))
        .map(|f| output::CopiedFile { path: format!("{site}/{}{}", view.prefix, f.url), from: f.path.clone() })
        .collect();
    sink.copy(files).map_err(|e| {
        let mut d = Diagnostics::new();
        let source = p.files.iter().find(|f| e.contains(&f.path.display().to_string())).map(|f| f.source.as_str());
        d.error(source.unwrap_or(crate::load::files::STATIC_DIR), Pos::FILE, "io", e);
        d
    })
}

/// Paths of the built sites that two files would be written to (a file of `static/`
/// named like a page, the style sheet or the sitemap), each an error at the copied
/// file when one of `prepared` makes it.
fn collisions<'p>(paths: &[String], prepared: impl Iterator<Item = &'p Prepared> + Clone) -> Diagnostics {
    let mut d = Diagnostics::new();
    let mut reported = BTreeSet::new();
    for w in paths.windows(2).filter(|w| w[0] == w[1]) {
        let path = &w[0];
        let mut files = prepared.clone().flat_map(|p| &p.files);
        let source = files.find(|f| path.ends_with(&format!("/{}", f.url))).map(|f| f.source.as_str());
        let source = source.unwrap_or(crate::load::files::STATIC_DIR);
        // One error per file, however many sites and releases publish it.
        if reported.insert(source) {
            let message = format!("two files of the built site would be written at `{path}`");
            d.error(source, Pos::FILE, "file-collision", message);
            d.with_help("rename the file: the build writes a file of its own there");
        }
    }
    d
}

/// Renders the pages of `view` into `sink` and, alongside, its print edition (`version`
/// as stamped on it); returns the site's other files, the redirects of its pages'
/// aliases among them.
fn site_and_print(
    view: &View,
    inputs: &Inputs,
    sink: &dyn output::Sink,
    version: &str,
    version_date: Option<String>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let stamp = crate::render::print::Stamp { version, version_date };
    let (pages, print) =
        rayon::join(|| render::site(view, inputs, sink), || crate::render::print::pages(view, inputs, stamp, sink));
    let mut pages = pages?;
    print?;
    pages.extend(render::redirects::redirects(view, inputs));
    Ok(pages)
}

/// How the sites behind sign-in mark the working copy: whether it has report pages,
/// and which pages changed since the newest release (page index → its redline's URL),
/// every tier's pages; each site marks those it publishes.
#[derive(Debug, Clone, Default)]
pub(super) struct Marks {
    has_reports: bool,
    pub(super) changed: BTreeMap<usize, String>,
    newest_release: Option<String>,
}

impl Marks {
    /// The view of the working copy of the site behind sign-in for `tier`, whose
    /// reports overview is shown there when `overview` is.
    pub(super) fn view<'p>(&self, working: &'p Prepared, tier: Audience, overview: bool) -> View<'p> {
        let mut view = View::new(&working.content.pages, &working.data, tier);
        view.has_reports = self.has_reports && overview;
        view.changed = self.changed_in(working, tier);
        view.has_pending_changes = !view.changed.is_empty();
        view.newest_release = self.newest_release.clone();
        view
    }

    /// The changed pages the site of `tier` publishes.
    pub(super) fn changed_in(&self, working: &Prepared, tier: Audience) -> BTreeMap<usize, String> {
        let pages = &working.content.pages;
        self.changed
            .iter()
            .filter(|(i, _)| validate::published_in(&pages[**i], tier))
            .map(|(i, u)| (*i, u.clone()))
            .collect()
    }
}

/// The public site's view of the working copy (before the first release).
pub(super) fn public_view(working: &Prepared, has_performance: bool) -> View<'_> {
    let mut view = View::new(&working.content.pages, &working.data, Audience::PUBLIC);
    view.has_performance = has_performance;
    view
}

/// Whether the public site has its performance page: reports exist and some KPI is public.
pub(super) fn has_performance(working: &Prepared, computed: &crate::compute::computed::Computed) -> bool {
    computed.latest().is_some() && !reports::public_kpis(&working.data, computed).is_empty()
}

/// Everything rendering needs that does not depend on the source being rendered.
pub(super) struct Sites<'a> {
    pub(super) setting: Setting<'a>,
    pub(super) releases: &'a [Release],
    /// The releases' names, oldest first.
    pub(super) names: &'a [String],
    pub(super) reports: Reports<'a>,
    /// Whether the public site has its performance page (see [`has_performance`]).
    pub(super) has_performance: bool,
}

/// What every page of a run shares: the config, theme, interface strings and build date.
#[derive(Clone, Copy)]
pub(super) struct Setting<'a> {
    pub(super) config: &'a Config,
    pub(super) theme: &'a theme::Theme,
    pub(super) ui: &'a Ui,
    pub(super) today: Date,
    pub(super) history: &'a History,
}

/// What the report pages show: the figures, the measurements they came from, and the
/// governance review.
#[derive(Clone, Copy)]
pub(super) struct Reports<'a> {
    pub(super) computed: &'a crate::compute::computed::Computed,
    pub(super) measurements: &'a measure::Measurements,
    pub(super) governance: &'a crate::check::governance::Review,
    /// Whether report charts are drawn (not when the pages are discarded).
    pub(super) charts: crate::render::charts::Charts,
}

impl Reports<'_> {
    /// The public performance page as `view` shows it, from the working copy's data.
    fn performance(&self, view: &View, inputs: &Inputs, working: &Prepared) -> Result<Vec<OutputFile>, Diagnostics> {
        reports::public_performance(view, inputs, (&working.data, self.computed), self.charts)
    }
}

impl<'a> Sites<'a> {
    /// What rendering needs of a run without errors. Whether the public site has its
    /// performance page is decided here, from the working copy and the reports.
    pub(super) fn new(
        setting: Setting<'a>,
        releases: &'a [Release],
        names: &'a [String],
        working: &Prepared,
        reports: Reports<'a>,
    ) -> Self {
        let has_performance = has_performance(working, reports.computed);
        Sites { setting, releases, names, reports, has_performance }
    }
}

impl Sites<'_> {
    /// Renders both sites: the internal one from the working copy; the public one from
    /// the releases (the newest at the root, each also in its folder) or, before the
    /// first release, from the working copy. Returns the paths of every file, sorted.
    pub(super) fn render(
        &self,
        working: &Prepared,
        frozen: &[Prepared],
        (marks, pending): (&Marks, Option<&Pending>),
        public_cache: PublicCache,
        sink: &dyn output::Sink,
    ) -> Result<Vec<String>, Diagnostics> {
        let reuse = public_cache.memo.get(public_cache.key).filter(|_| !frozen.is_empty()).cloned();
        let sink = Recorder {
            sink,
            paths: Mutex::new(Vec::new()),
            modified: Mutex::new(BTreeMap::new()),
            alternates: (self.setting.config.languages.len() > 1).then(|| Mutex::new(BTreeMap::new())),
            public: (public_cache.keep && reuse.is_none() && !frozen.is_empty()).then(|| Mutex::new(Vec::new())),
        };
        // Pages stream into `sink` as they render; other files gather here. Each
        // language's sites, the default's first; the others in their folders.
        let all = Copies::of(working, frozen, 0);
        let mut files = self.all_sites(&all, (marks, pending), reuse.is_some(), &sink)?;
        let config = self.setting.config;
        for (k, &language) in config.languages.iter().enumerate().skip(1) {
            let config = Config { language, ..config.clone() };
            let ui = crate::base::i18n::strings(language);
            let sites = Sites { setting: Setting { config: &config, ui, ..self.setting }, ..*self };
            let copies = Copies::of(working, frozen, k);
            let newest = copies.frozen.last().copied();
            let pending = pending.and(super::copies::pending(copies.working(), newest, config.audiences.highest()));
            let marks = sites.marks(copies.working(), pending.as_ref());
            files.extend(sites.all_sites(&copies, (&marks, pending.as_ref()), reuse.is_some(), &sink)?);
        }
        if let Some(cached) = reuse {
            output::Sink::put(&sink, cached);
        }
        files.retain(|f| !f.path.ends_with("robots.txt") && !f.path.ends_with("sitemap.xml"));
        output::Sink::put(&sink, files);
        if let Some(public) = sink.public {
            public_cache.memo.keep(public_cache.key, public.into_inner().unwrap_or_else(|e| e.into_inner()));
        }
        let mut paths = sink.paths.into_inner().unwrap_or_else(|e| e.into_inner());
        let folders = release_folders(self.names);
        let modified = sink.modified.into_inner().unwrap_or_else(|e| e.into_inner());
        let alternates = sink.alternates.map(|a| a.into_inner().unwrap_or_else(|e| e.into_inner())).unwrap_or_default();
        let config = self.setting.config;
        let languages: Vec<String> = config.languages[1..].iter().map(|l| l.folder()).collect();
        let staff: Vec<&str> = config.audiences.staff().iter().map(|t| t.as_str()).collect();
        let crawl = render::sitemap::Crawl {
            base_url: &config.base_url,
            release_folders: &folders,
            languages: &languages,
            modified: &modified,
            alternates: &alternates,
            staff: &staff,
        };
        let crawl = render::sitemap::crawl_files(paths.iter().map(String::as_str), &crawl);
        paths.extend(crawl.iter().map(|f| f.path.clone()));
        sink.sink.put(crawl);
        paths.sort_unstable();
        let clashes = collisions(&paths, std::iter::once(working).chain(frozen));
        if clashes.has_errors() {
            return Err(clashes);
        }
        Ok(paths)
    }

    /// Every site in one language: each site behind sign-in, then the public one —
    /// before the first release, the working copy; once releases exist it depends only
    /// on them, the theme, config and data, so an edit of the working copy reuses the
    /// last render (`reused`).
    fn all_sites(
        &self,
        copies: &Copies,
        (marks, pending): (&Marks, Option<&Pending>),
        reused: bool,
        sink: &dyn output::Sink,
    ) -> Result<Vec<OutputFile>, Diagnostics> {
        let working = copies.working();
        let env = working.env(self.setting.today, self.setting.ui);
        let mut files = Vec::new();
        for &tier in self.setting.config.audiences.staff() {
            files.extend(self.staff(tier, copies, &env, (marks, pending), sink)?);
        }
        if reused {
            return Ok(files);
        }
        if copies.frozen.is_empty() {
            let inputs = self.inputs(working, &env);
            let mut public = public_view(working, self.has_performance);
            copies.place(&mut public, None, "");
            files.extend(site_and_print(&public, &inputs, sink, self.setting.ui.working_copy_label, None)?);
            copy_files(&public, working, sink)?;
            files.extend(self.reports.performance(&public, &inputs, working)?);
        } else {
            files.extend(self.releases(copies, sink)?);
        }
        Ok(files)
    }

    /// The site behind sign-in of `tier` (the internal one, or a tier above it): the
    /// working copy, with its unreleased changes marked, and the report families
    /// published to that tier.
    fn staff(
        &self,
        tier: Audience,
        copies: &Copies,
        env: &shortcodes::Env,
        (marks, pending): (&Marks, Option<&Pending>),
        sink: &dyn output::Sink,
    ) -> Result<Vec<OutputFile>, Diagnostics> {
        let working = copies.working();
        let mut files = Vec::new();
        let mut inputs = self.inputs(working, env);
        inputs.bodies = working.internal_bodies();
        let reports = &self.setting.config.reports;
        let mut internal = marks.view(working, tier, reports.shown(Family::Overview, tier));
        copies.place(&mut internal, None, "");
        files.extend(site_and_print(&internal, &inputs, sink, self.setting.ui.working_copy_label, None)?);
        copy_files(&internal, working, sink)?;
        // Report pages stream into the sink as they render (a page per person).
        let measured = (&working.data, self.reports.measurements, self.reports.computed);
        reports::internal(&internal, &inputs, measured, (sink, self.reports.charts))?;
        if reports.shown(Family::Governance, tier) {
            files.extend(reports::governance_page(&internal, &inputs, self.reports.governance)?);
        }
        if let (Some((released, current)), Some(newest), true) =
            (pending, self.releases.last(), internal.has_pending_changes)
        {
            files.extend(release_pages::internal(&internal, &inputs, newest, released, current)?);
        }
        Ok(files)
    }

    /// The public site once releases exist: each release in its folder, the newest
    /// also at the root with the performance page and the changelog.
    fn releases(&self, copies: &Copies, sink: &dyn output::Sink) -> Result<Vec<OutputFile>, Diagnostics> {
        let (working, frozen) = (copies.working(), copies.frozen.as_slice());
        let mut files = Vec::new();
        let urls: Vec<BTreeSet<String>> = frozen.iter().map(|f| public_urls(f)).collect();
        let newest = frozen.len() - 1;
        for (i, release) in frozen.iter().enumerate() {
            let env = release.env(self.setting.today, self.setting.ui);
            let inputs = self.inputs(release, &env);
            let versioning = |at_root: bool| render::Versioning {
                root: copies.language_folder(),
                names: self.names.to_vec(),
                dates: self.releases.iter().map(|r| r.date).collect(),
                this: i,
                at_root,
                urls: urls.clone(),
            };
            let mut in_folder = View::new(&release.content.pages, &release.data, Audience::PUBLIC);
            copies.place(&mut in_folder, Some(i), &format!("{}/", self.releases[i].version));
            in_folder.versioning = Some(versioning(false));
            in_folder.has_changelog = true;
            let (name, date) = (&self.releases[i].version, Some(self.releases[i].date.to_string()));
            files.extend(site_and_print(&in_folder, &inputs, sink, name, date.clone())?);
            copy_files(&in_folder, release, sink)?;
            if i == newest {
                let mut at_root = View::new(&release.content.pages, &release.data, Audience::PUBLIC);
                copies.place(&mut at_root, Some(i), "");
                at_root.versioning = Some(versioning(true));
                at_root.has_changelog = true;
                at_root.has_performance = self.has_performance;
                files.extend(site_and_print(&at_root, &inputs, sink, name, date)?);
                copy_files(&at_root, release, sink)?;
                files.extend(self.reports.performance(&at_root, &inputs, working)?);
                let snaps: Vec<changelog::Snapshot> = frozen.iter().map(|f| snapshot(f, Audience::PUBLIC)).collect();
                // What changed is what changed in the original words (a translation
                // appearing is not a change of the standard).
                let originals = copies.original_snapshots();
                files.extend(release_pages::public(&at_root, &inputs, self.releases, (&snaps, originals.as_deref()))?);
            }
        }
        Ok(files)
    }

    /// The working copy's changes since the newest release, as the internal site marks them.
    pub(super) fn marks(&self, working: &Prepared, pending: Option<&Pending>) -> Marks {
        let mut marks = Marks { has_reports: self.reports.computed.latest().is_some(), ..Marks::default() };
        if let Some((released, current)) = pending {
            for (i, page) in working.content.pages.iter().enumerate() {
                let now = current.standards.get(&page.id.value).map(|n| &n.blocks);
                if changed_since(now, released.standards.get(&page.id.value).map(|t| &t.blocks)) {
                    marks.changed.insert(i, release_pages::redline_url(&page.id.value));
                }
            }
            marks.newest_release = self.releases.last().map(|r| r.version.clone());
        }
        marks
    }

    fn inputs<'d>(&'d self, p: &'d Prepared, env: &'d shortcodes::Env<'d>) -> Inputs<'d> {
        Inputs {
            config: self.setting.config,
            pages: &p.content.pages,
            outlines: &p.outlines,
            bodies: &p.bodies,
            theme: self.setting.theme,
            env,
            citations: &p.citations,
            history: self.setting.history,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{build_steps, BuildOptions, Cache, Mode, Steps};
    use super::*;

    /// Notes, for every hand-over that holds a page of a print edition, how many files
    /// it holds and how many bytes.
    #[derive(Default)]
    struct Handovers(Mutex<Vec<(usize, usize)>>);

    impl output::Sink for Handovers {
        fn put(&self, files: Vec<OutputFile>) {
            if files.iter().any(|f| f.path.contains("/print/")) {
                let bytes = files.iter().map(|f| f.bytes.len()).sum();
                self.0.lock().unwrap().push((files.len(), bytes));
            }
        }

        fn copy(&self, _: Vec<output::CopiedFile>) -> Result<(), String> {
            Ok(())
        }
    }

    #[test]
    fn a_print_edition_in_volumes_is_handed_over_a_page_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        for entry in walkdir::WalkDir::new(&fixture).into_iter().flatten().filter(|e| e.file_type().is_file()) {
            let to = dir.path().join(entry.path().strip_prefix(&fixture).unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), to).unwrap();
        }
        // 250 public standards besides the fixture's: two volumes in each site.
        for i in 0..250 {
            let text = format!("---\ntitle: 标准 {i}\naudience: public\n---\n\n## 第一节\n\n正文 {i}。\n");
            std::fs::write(dir.path().join(format!("content/standards/g{i:03}.md")), text).unwrap();
        }
        let opts = BuildOptions { today: Date::parse("2026-01-01").ok(), ..BuildOptions::new(dir.path(), Mode::Build) };
        let (steps, sink) = (Steps::new(&opts), Handovers::default());
        build_steps(&opts, &mut Cache::default(), &steps, (&sink, crate::render::charts::Charts::Draw)).unwrap();
        steps.finish();
        let handovers = sink.0.into_inner().unwrap();
        // Each site: the contents page, two volumes of standards and one of roles, each
        // handed over on its own as soon as it is made (never the whole edition at once).
        assert_eq!(handovers.len(), 8, "{handovers:?}");
        assert!(handovers.iter().all(|&(files, _)| files == 1), "{handovers:?}");
        let largest = handovers.iter().map(|&(_, bytes)| bytes).max().unwrap();
        let edition: usize = handovers.iter().map(|&(_, bytes)| bytes).sum::<usize>() / 2;
        assert!(largest * 2 < edition + 10_000, "largest hand-over {largest} B of an edition of {edition} B");
    }
}
