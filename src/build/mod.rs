//! The build pipeline. [`build`] reads top to bottom as named steps — load config,
//! theme and versions; prepare the working copy and every release (load, validate,
//! outline and check links and data, render markdown); load measurements; compute
//! reports; render pages, reports and charts; write — each timed in verbose mode.
//!
//! This module orchestrates; the work lives in the step modules. It collects every
//! diagnostic of a run and stops before rendering when there are errors. Rendered pages
//! go to an `output::Sink` in batches: `charter build` writes each into the new site's
//! temporary folder and analyses it for search, then drops it, so a large site is never
//! held in memory whole; the output is replaced only when everything succeeded. Only
//! `output` writes.

pub mod output;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod live;
pub use live::{Live, Patch};

use rayon::prelude::*;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use crate::base::date::{Date, YearMonth};
use crate::base::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::check::validate;
use crate::compute::changelog;
use crate::load::config::Config;
use crate::load::content::Audience;
use crate::load::versions::{self, Release};
use crate::load::{config, content, data, measure};
use crate::markdown::shortcodes;
use crate::markdown::{self, Outline};
use crate::render::{self, Inputs, View};
use crate::render::{release_pages, report_pages, theme};

/// What to do with a successful run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Render and write the sites.
    Build,
    /// Everything a build does except writing.
    Check,
}

/// Options of one run.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `<root>/site` when `None`.
    pub out: Option<PathBuf>,
    pub mode: Mode,
    /// Print each step with its duration to stderr.
    pub verbose: bool,
    /// The build date ("today") for targets in force; see [`build_date`].
    pub today: Option<Date>,
    /// Treat every warning as an error (and write nothing).
    pub strict: bool,
    /// Show a progress bar on stderr (the caller decides: a terminal, not CI, not quiet).
    pub progress: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>, mode: Mode) -> Self {
        BuildOptions { root: root.into(), out: None, mode, verbose: false, today: None, strict: false, progress: false }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("site"))
    }
}

/// A successful run: its warnings and what it produced.
#[derive(Debug)]
pub struct BuildReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Names of the releases published, oldest first (their folders hold search indexes).
    pub releases: Vec<String>,
    pub public_pages: usize,
    pub internal_pages: usize,
    pub elapsed: Duration,
}

/// Why a run failed.
#[derive(Debug)]
pub enum BuildError {
    /// The content has errors (exit code 1); all diagnostics of the run, warnings too.
    Content(Vec<Diagnostic>),
    /// The output could not be written or the arguments are unusable (exit code 2).
    Io(String),
}

/// Times the named steps of a run; prints them when verbose.
struct Steps {
    verbose: bool,
    start: Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Steps {
    fn new(opts: &BuildOptions) -> Steps {
        let bar = (opts.progress && !opts.verbose).then(|| {
            let bar = indicatif::ProgressBar::new(0);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} [{elapsed}] {bar:30} {pos} steps · {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Steps { verbose: opts.verbose, start: Instant::now(), bar }
    }

    /// Announces how many steps the run has, once it is known.
    fn expect(&self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
        }
    }

    fn run<T>(&self, name: &str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_string());
        }
        let r = f();
        if self.verbose {
            let peak = peak_mib().map(|m| format!("   peak {m} MiB")).unwrap_or_default();
            eprintln!("  {name:<28} {:>8.1} ms{peak}", t.elapsed().as_secs_f64() * 1000.0);
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        r
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The process's peak resident memory so far, where the system tells (Linux).
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// What a long-running process (`charter serve`) keeps between builds so that an edit
/// redoes only the work it affects: the frozen releases and the measurements are
/// reused while none of their files changed.
#[derive(Default)]
pub struct Cache {
    releases: Option<CachedReleases>,
    /// The rendered public site, while releases, theme, config and data are unchanged.
    public: Option<(u64, Vec<output::OutputFile>)>,
    /// Each site's search index, while its pages are unchanged.
    search: BTreeMap<String, (u64, Vec<output::OutputFile>)>,
    measurements: Option<(u64, measure::Measurements, Vec<Diagnostic>)>,
    /// Whether to keep search indexes for the next call (a one-shot build does not, and
    /// so holds each index once).
    keep_search: bool,
    /// What re-renders an edited page on its own, from the last good build (kept only
    /// by a long-running process).
    live: Option<Live>,
}

impl Cache {
    /// The cache of a long-running process, which keeps everything reusable.
    pub fn long_running() -> Cache {
        Cache { keep_search: true, ..Cache::default() }
    }

    /// Takes what the last good build left to re-render edited pages (see [`Live`]).
    pub fn take_live(&mut self) -> Option<Live> {
        self.live.take()
    }
}

/// Fingerprint of `versions/`, the releases, their prepared sources and their errors.
type CachedReleases = (u64, Vec<Release>, Vec<Prepared>, Vec<Diagnostic>);

/// A fingerprint of files (path, size, modification time) under `paths`, plus `extra`.
fn fingerprint(root: &Path, paths: &[&str], extra: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    extra.hash(&mut h);
    for p in paths {
        for entry in walkdir::WalkDir::new(root.join(p)).sort_by_file_name().into_iter().flatten() {
            if let Ok(meta) = entry.metadata() {
                entry.path().hash(&mut h);
                meta.len().hash(&mut h);
                meta.modified().ok().hash(&mut h);
            }
        }
    }
    h.finish()
}

/// The build date: `--today` when given, else `SOURCE_DATE_EPOCH` (reproducible
/// builds), else the system clock (UTC).
pub fn build_date(explicit: Option<Date>) -> Result<Date, String> {
    if let Some(d) = explicit {
        return Ok(d);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .map_err(|_| format!("SOURCE_DATE_EPOCH must be a whole number of seconds, found `{epoch}`"))?;
        return Ok(Date::from_unix_seconds(secs));
    }
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Ok(Date::from_unix_seconds(secs))
}

/// One set of pages and service data, checked and with its markdown rendered: the
/// working copy, or a release frozen in `versions/`.
struct Prepared {
    content: content::Content,
    data: data::Data,
    index: validate::Index,
    outlines: Vec<Outline>,
    uses: Vec<Vec<shortcodes::Use>>,
    /// Each page's body HTML, raw HTML sanitised: the public site's, and the internal's
    /// unless `raw_html: trusted`.
    bodies: Vec<String>,
    /// With `raw_html: trusted`, when some page of the working copy has raw HTML: each
    /// page's body HTML for the internal site, raw HTML kept.
    trusted_bodies: Option<Vec<String>>,
    citations: BTreeMap<String, Vec<usize>>,
}

impl Prepared {
    /// The body HTML the internal site shows.
    fn internal_bodies(&self) -> &[String] {
        self.trusted_bodies.as_deref().unwrap_or(&self.bodies)
    }
}

/// Loads, checks and renders the markdown of the source at `dir` (the site root, or
/// `versions/VERSION`). Step names carry `label` for releases.
fn prepare(
    steps: &Steps,
    dir: &Path,
    label: &str,
    config: &Config,
    env_base: (Date, &Ui),
    diags: &mut Diagnostics,
) -> Prepared {
    let name = |s: &str| if label.is_empty() { s.to_string() } else { format!("{label}: {s}") };
    let content = steps.run(&name("load content"), || content::load(dir, config.default_audience, diags));
    let roles = content.role_ids();
    let data = steps.run(&name("load data"), || data::load(dir, &roles, env_base.0, diags));
    let pages = &content.pages;
    let env = shortcodes::Env { data: &data, today: YearMonth::of(env_base.0), ui: env_base.1 };
    let index = steps.run(&name("validate pages"), || validate::pages(pages, diags));
    let outlines: Vec<Outline> = steps.run(&name("outline markdown"), || {
        with_outline_hooks(&env, |hooks| pages.par_iter().map(|p| markdown::outline(&p.body, hooks)).collect())
    });
    let resolved = steps.run(&name("check links"), || validate::links(pages, &outlines, &index, diags));
    let uses = steps.run(&name("check data references"), || validate::data_refs(pages, &outlines, &data, diags));
    // Releases render only the public site, which never keeps raw HTML.
    let keep_raw = config.raw_html == config::RawHtml::Trusted && label.is_empty();
    let rendered: Vec<markdown::Body> = if diags.has_errors() {
        Vec::new()
    } else {
        steps.run(&name("render markdown"), || {
            let each = pages.par_iter().zip(&outlines).zip(&resolved);
            each.map(|((p, o), r)| body_html(p, o, r, &env, keep_raw)).collect()
        })
    };
    let trusted_bodies = rendered
        .iter()
        .any(|b| b.trusted.is_some())
        .then(|| rendered.iter().map(|b| b.trusted.as_ref().unwrap_or(&b.html).clone()).collect());
    let bodies = rendered.into_iter().map(|b| b.html).collect();
    let citations = validate::kpi_citations(pages, &uses, &data);
    Prepared { content, data, index, outlines, uses, bodies, trusted_bodies, citations }
}

/// Runs `f` with the hooks outlining needs: shortcodes as plain text (for headings)
/// and the spotter of hand-typed numbers that a parameter defines.
fn with_outline_hooks<R>(env: &shortcodes::Env, f: impl FnOnce(&markdown::Hooks) -> R) -> R {
    let forms = shortcodes::typed_forms(env.data);
    let spotter = markdown::NumberSpotter::new(&forms);
    let plain = |call: &shortcodes::Call| {
        shortcodes::check(call).map(|u| shortcodes::expand(&u, env, "").text).unwrap_or_default()
    };
    f(&markdown::Hooks { plain: &plain, numbers: spotter.as_ref() })
}

/// The HTML of a page's markdown, its links resolved (`resolved`) and shortcodes
/// expanded; with `keep_raw` also the HTML with raw HTML kept (see [`markdown::render`]).
fn body_html(
    p: &content::Page,
    o: &Outline,
    resolved: &[Option<String>],
    env: &shortcodes::Env,
    keep_raw: bool,
) -> markdown::Body {
    let expand = |call: &shortcodes::Call| match shortcodes::check(call) {
        Ok(u) => (shortcodes::expand(&u, env, &p.url).html, u.is_block()),
        Err(_) => (String::new(), false),
    };
    markdown::render(&p.body, o, resolved, &expand, keep_raw)
}

/// A release's own problems, reported at its frozen paths; its warnings were known
/// when it was released and are not repeated.
fn prepare_release(
    steps: &Steps,
    root: &Path,
    release: &Release,
    config: &Config,
    env_base: (Date, &Ui),
    diags: &mut Diagnostics,
) -> Prepared {
    let mut own = Diagnostics::new();
    let dir = root.join(versions::VERSIONS_DIR).join(&release.version);
    // A release shows what was in force on its date: parameters, targets in force.
    let prepared = prepare(steps, &dir, &release.version, config, (release.date, env_base.1), &mut own);
    for mut d in own.into_sorted().into_iter().filter(|d| d.severity == Severity::Error) {
        d.path = format!("{}/{}/{}", versions::VERSIONS_DIR, release.version, d.path);
        diags.push(d);
    }
    prepared
}

/// What the readers of `audience` see of a prepared source, for changelogs and
/// redlines: its published standards (every published page, internally) with their
/// text as shown, and the parameters its pages show.
fn snapshot<'a>(p: &'a Prepared, audience: Audience, env_base: (Date, &Ui)) -> changelog::Snapshot<'a> {
    let env = shortcodes::Env { data: &p.data, today: YearMonth::of(env_base.0), ui: env_base.1 };
    let mut snap = changelog::Snapshot { data: Some(&p.data), ..changelog::Snapshot::default() };
    for (page, uses) in p.content.pages.iter().zip(&p.uses) {
        if !validate::published_in(page, audience) || page.generated {
            continue;
        }
        for u in uses {
            match u {
                shortcodes::Use::Param(id) => {
                    snap.public_params.insert(id.clone());
                }
                shortcodes::Use::ParamsTable(ids) => snap.public_params.extend(ids.iter().cloned()),
                _ => {}
            }
        }
        let Some(text) = shown_text(page, audience, &env) else { continue };
        snap.standards.insert(
            page.id.value.clone(),
            changelog::StandardSnap {
                id: page.id.value.clone(),
                title: page.title.clone(),
                url: page.url.clone(),
                retired: page.status == content::Status::Retired,
                text,
            },
        );
    }
    snap
}

/// A page's text as the changelog and redlines of `audience` compare it, `None` for
/// pages they leave out (drafts, indexes, public pages that are not standards).
fn shown_text(page: &content::Page, audience: Audience, env: &shortcodes::Env) -> Option<String> {
    let left_out = !validate::published_in(page, audience)
        || page.generated
        || audience == Audience::Public && page.kind != content::PageKind::Standard
        || page.is_index();
    (!left_out).then(|| format!("# {}\n\n{}", page.title, shortcodes::expand_text(&page.body, env)))
}

/// The URLs a release publishes (pages and KPI pages), for the version switcher.
fn public_urls(p: &Prepared) -> BTreeSet<String> {
    let mut urls: BTreeSet<String> = p
        .content
        .pages
        .iter()
        .filter(|pg| validate::published_in(pg, Audience::Public))
        .map(|pg| pg.url.clone())
        .collect();
    let kpis: Vec<&String> = p.data.kpis.values().filter(|k| k.public).map(|k| &k.id).collect();
    if !kpis.is_empty() {
        urls.insert("kpis/".into());
        urls.extend(kpis.into_iter().map(|id| shortcodes::kpi_url(id)));
    }
    urls
}

type Ui = BTreeMap<&'static str, &'static str>;

/// Builds (or checks) the site at `opts.root` and, in [`Mode::Build`], writes it.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    if opts.mode == Mode::Check {
        let steps = Steps::new(opts);
        let result = build_steps(opts, &mut Cache::default(), &steps, &Discard);
        steps.finish();
        return result;
    }
    // Pages are written, and analysed for search, as they are rendered; the new site
    // replaces the old one only once everything is in place.
    let writer = output::Writer::create(&opts.root, &opts.out_dir()).map_err(BuildError::Io)?;
    let sink = Written { writer, search: crate::search::Collector::default(), error: Mutex::new(None) };
    let steps = Steps::new(opts);
    let result = build_steps(opts, &mut Cache::default(), &steps, &sink);
    let result = result.and_then(|mut report| {
        let Written { writer, search, error } = sink;
        if let Some(e) = error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(BuildError::Io(e));
        }
        steps
            .run("build and write search indexes", || {
                let mut written = Ok(());
                search.finish(|_, files| {
                    if written.is_ok() {
                        written = writer.put(&files);
                    }
                });
                written
            })
            .map_err(BuildError::Io)?;
        steps.run("swap the new site in", || writer.finish()).map_err(BuildError::Io)?;
        report.elapsed = steps.start.elapsed();
        Ok(report)
    });
    steps.finish();
    result
}

/// The sink of `charter build`: writes each file into the new site and hands it to the
/// search index; the first write error is kept for the end of the run.
struct Written {
    writer: output::Writer,
    search: crate::search::Collector,
    error: Mutex<Option<String>>,
}

impl output::Sink for Written {
    fn start(&self, releases: &[String]) {
        self.search.set_sites(search_sites(releases));
    }

    fn put(&self, files: Vec<output::OutputFile>) {
        let written = files.par_iter().try_for_each(|f| {
            self.search.add(f);
            self.writer.put_file(f)
        });
        if let Err(e) = written {
            self.error.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
        }
    }
}

/// The sink of `charter check`: rendering is checked, nothing is kept.
struct Discard;

impl output::Sink for Discard {
    fn put(&self, _: Vec<output::OutputFile>) {}
}

/// Everything a build does except writing: returns the files of both sites in memory.
/// `cache` carries reusable work between calls (see [`Cache`]).
pub fn build_files(
    opts: &BuildOptions,
    cache: &mut Cache,
) -> Result<(BuildReport, Vec<output::OutputFile>), BuildError> {
    let steps = Steps::new(opts);
    let sink = output::Collect::default();
    let result = build_steps(opts, cache, &steps, &sink);
    steps.finish();
    result.map(|report| (report, sink.into_files()))
}

fn build_steps(
    opts: &BuildOptions,
    cache: &mut Cache,
    steps: &Steps,
    sink: &dyn output::Sink,
) -> Result<BuildReport, BuildError> {
    let root = opts.root.as_path();
    let today = build_date(opts.today).map_err(BuildError::Io)?;
    let mut diags = Diagnostics::new();

    // Nothing is read from outside the site: a link that leaves it stops the build here.
    let escaping = steps.run("check links out of the site folder", || crate::base::paths::links_leaving_root(root));
    if escaping.has_errors() {
        return Err(BuildError::Content(escaping.into_sorted()));
    }
    let config = steps.run("load config", || config::load(root, &mut diags));
    let ui = crate::render::i18n::strings(config.language);
    let theme = steps.run("load theme", || theme::load(root, &mut diags));
    let key = fingerprint(root, &[versions::VERSIONS_DIR], &format!("{today}{}", config.text));
    let cached = cache.releases.take().filter(|(k, ..)| *k == key);
    let releases = match &cached {
        Some((_, r, ..)) => r.clone(),
        None => steps.run("load versions", || versions::load(root, &mut diags)),
    };
    steps.expect(10 + 7 * (releases.len() as u64 + 1));
    // The working copy: the internal site, and the public one until a first release.
    let working = prepare(steps, root, "", &config, (today, &ui), &mut diags);
    crate::check::governance::check(&working.content.pages, today, &mut diags);
    let roles = working.content.role_ids();
    let data_key = fingerprint(root, &[data::DATA_DIR], &format!("{today}{}{roles:?}", config.text));
    let (measurements, measure_diags) = match cache.measurements.take().filter(|(k, ..)| *k == data_key) {
        Some((_, m, d)) => (m, d),
        None => {
            let mut own = Diagnostics::new();
            let m = steps.run("load measurements", || measure::load(root, &working.data, &roles, today, &mut own));
            (m, own.into_sorted())
        }
    };
    measure_diags.iter().cloned().for_each(|d| diags.push(d));
    // Every release as it was frozen (unchanged releases come from the cache).
    let (frozen, release_diags) = match cached {
        Some((_, _, frozen, d)) => (frozen, d),
        None => {
            let mut own = Diagnostics::new();
            let frozen =
                releases.iter().map(|r| prepare_release(steps, root, r, &config, (today, &ui), &mut own)).collect();
            (frozen, own.into_sorted())
        }
    };
    release_diags.iter().cloned().for_each(|d| diags.push(d));
    // Reports are computed from valid data only; what they cannot show is a warning,
    // and so counts for --strict.
    let computed = (!diags.has_errors()).then(|| {
        let c = steps.run("compute reports", || report_pages::Computed::new(&working.data, &measurements, today));
        crate::compute::report_gaps::check(&working.data, &c.series, &c.periods, &mut diags);
        c
    });
    if opts.strict {
        diags.promote_warnings();
    }
    let (theme, computed) = match (theme, computed) {
        (Some(t), Some(c)) if !diags.has_errors() => (t, c),
        _ => {
            cache.releases = Some((key, releases, frozen, release_diags));
            cache.measurements = Some((data_key, measurements, measure_diags));
            return Err(BuildError::Content(diags.into_sorted()));
        }
    };

    let governance = steps.run("check governance", || {
        crate::check::governance::review(&working.content.pages, &index_links(&working), today)
    });
    let sites = Sites {
        config: &config,
        theme: &theme,
        ui: &ui,
        today,
        releases: &releases,
        computed: &computed,
        measurements: &measurements,
        governance: &governance,
    };
    let public_key = fingerprint(root, &[theme::TEMPLATES_DIR], &format!("{key}{data_key}"));
    let release_names: Vec<String> = releases.iter().map(|r| r.version.clone()).collect();
    sink.start(&release_names);
    let public_cache = PublicCache { slot: &mut cache.public, key: public_key, keep: cache.keep_search };
    let pending = frozen.last().map(|newest| {
        (snapshot(newest, Audience::Internal, (today, &ui)), snapshot(&working, Audience::Internal, (today, &ui)))
    });
    let marks = sites.marks(&working, pending.as_ref());
    let has_performance = sites.has_performance(&working);
    let paths = steps.run("render pages, reports and charts", || {
        sites.render(&working, &frozen, (&marks, pending.as_ref()), public_cache, sink)
    });
    if cache.keep_search && paths.is_ok() {
        // What `charter serve` needs to re-render an edited page on its own.
        let released = pending.map(|(r, _)| r.standards.into_iter().map(|(id, s)| (id, s.text)).collect());
        let public = frozen.is_empty().then_some(has_performance);
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        cache.live = Some(Live { root, config, theme, ui, today, working, marks, released, public });
    }
    cache.releases = Some((key, releases, frozen, release_diags));
    cache.measurements = Some((data_key, measurements, measure_diags));
    let paths = match paths {
        Ok(p) => p,
        Err(d) => {
            diags.extend(d);
            return Err(BuildError::Content(diags.into_sorted()));
        }
    };
    Ok(BuildReport {
        releases: release_names,
        diagnostics: diags.into_sorted(),
        public_pages: count_pages(&paths, "public/"),
        internal_pages: count_pages(&paths, "internal/"),
        elapsed: steps.start.elapsed(),
    })
}

/// For each page of the working copy, the pages its markdown links to.
fn index_links(p: &Prepared) -> Vec<Vec<usize>> {
    let pages = p.content.pages.iter().zip(&p.outlines);
    pages.map(|(page, o)| linked_rels(page, o).filter_map(|rel| p.index.by_rel.get(&rel).copied()).collect()).collect()
}

/// The pages (by source path under `content/`) a page's markdown links to, in order.
fn linked_rels<'o>(page: &'o content::Page, outline: &'o Outline) -> impl Iterator<Item = String> + 'o {
    outline.links.iter().filter_map(|l| match crate::markdown::links::classify(&l.dest, &page.rel) {
        Ok(crate::markdown::links::Dest::Page { rel, .. }) => Some(rel),
        _ => None,
    })
}

/// The search indexes of every site of a build: the internal site, the public root
/// (the current release, without the release folders) and each release folder. A
/// site whose pages did not change reuses its index from `cache`.
pub fn search_indexes(files: &[output::OutputFile], releases: &[String], cache: &mut Cache) -> Vec<output::OutputFile> {
    let sites = search_sites(releases);
    let keys: Vec<u64> = sites.iter().map(|s| s.pages_key(files)).collect();
    let stale: Vec<crate::search::SiteSpec> = sites
        .iter()
        .zip(&keys)
        .filter(|(s, k)| cache.search.get(&s.prefix).is_none_or(|(old, _)| old != *k))
        .map(|(s, _)| s.clone())
        .collect();
    for (site, index) in stale.iter().zip(crate::search::index(files, &stale)) {
        let key = keys[sites.iter().position(|s| s == site).unwrap_or_default()];
        cache.search.insert(site.prefix.clone(), (key, index));
    }
    let mut out = Vec::new();
    for site in &sites {
        if cache.keep_search {
            out.extend(cache.search.get(&site.prefix).into_iter().flat_map(|(_, index)| index.iter().cloned()));
        } else {
            out.extend(cache.search.remove(&site.prefix).into_iter().flat_map(|(_, index)| index));
        }
    }
    out
}

/// The sites of a build, each with its own search index: the internal site, the public
/// root (the current release, without the release folders) and each release folder.
fn search_sites(releases: &[String]) -> Vec<crate::search::SiteSpec> {
    use crate::search::SiteSpec;
    let folders: Vec<String> = releases.iter().map(|r| format!("{r}/")).collect();
    let mut sites = vec![
        SiteSpec { prefix: "internal/".into(), exclude: Vec::new() },
        SiteSpec { prefix: "public/".into(), exclude: folders.clone() },
    ];
    sites.extend(folders.iter().map(|f| SiteSpec { prefix: format!("public/{f}"), exclude: Vec::new() }));
    sites
}

/// The rendered public site of a long-running process, reused while its inputs
/// (`key`) are unchanged; `keep` is false for a one-shot build, which keeps nothing.
struct PublicCache<'c> {
    slot: &'c mut Option<(u64, Vec<output::OutputFile>)>,
    key: u64,
    keep: bool,
}

/// Forwards files to the build's sink, remembering their paths (for the sitemap and
/// the page counts) and, when asked, a copy of the public ones.
struct Recorder<'s> {
    sink: &'s dyn output::Sink,
    paths: Mutex<Vec<String>>,
    public: Option<Mutex<Vec<output::OutputFile>>>,
}

impl output::Sink for Recorder<'_> {
    fn put(&self, files: Vec<output::OutputFile>) {
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).extend(files.iter().map(|f| f.path.clone()));
        if let Some(public) = &self.public {
            let mine = files.iter().filter(|f| f.path.starts_with("public/")).cloned();
            public.lock().unwrap_or_else(|e| e.into_inner()).extend(mine);
        }
        self.sink.put(files);
    }
}

/// Renders the pages of `view` into `sink` and, alongside, its print edition (`version`
/// as stamped on it); returns the site's other files.
fn site_and_print(
    view: &View,
    inputs: &Inputs,
    sink: &dyn output::Sink,
    version: &str,
    version_date: Option<String>,
) -> Result<Vec<output::OutputFile>, Diagnostics> {
    let (pages, print) = rayon::join(
        || render::site(view, inputs, sink),
        || crate::render::print::page(view, inputs, version, version_date),
    );
    let pages = pages?;
    sink.put(vec![print?]);
    Ok(pages)
}

/// What the newest release and the working copy show internal readers, when a
/// release exists: the redlines compare them.
type Pending<'a> = (changelog::Snapshot<'a>, changelog::Snapshot<'a>);

/// Whether a standard's text as shown `now` differs from its text in the newest release.
fn changed_since(now: Option<&String>, then: Option<&String>) -> bool {
    now.is_some() && now != then
}

/// How the internal site marks the working copy: whether it has report pages, and
/// which pages changed since the newest release (page index → its redline's URL).
#[derive(Debug, Clone, Default)]
struct Marks {
    has_reports: bool,
    changed: BTreeMap<usize, String>,
    newest_release: Option<String>,
}

impl Marks {
    /// The internal site's view of the working copy.
    fn view<'p>(&self, working: &'p Prepared) -> View<'p> {
        let mut view = View::new(&working.content.pages, &working.data, Audience::Internal);
        view.has_reports = self.has_reports;
        view.changed = self.changed.clone();
        view.has_pending_changes = !self.changed.is_empty();
        view.newest_release = self.newest_release.clone();
        view
    }
}

/// The public site's view of the working copy (before the first release).
fn public_view(working: &Prepared, has_performance: bool) -> View<'_> {
    let mut view = View::new(&working.content.pages, &working.data, Audience::Public);
    view.has_performance = has_performance;
    view
}

/// Everything rendering needs that does not depend on the source being rendered.
struct Sites<'a> {
    config: &'a Config,
    theme: &'a theme::Theme,
    ui: &'a Ui,
    today: Date,
    releases: &'a [Release],
    computed: &'a report_pages::Computed,
    measurements: &'a measure::Measurements,
    governance: &'a crate::check::governance::Review,
}

impl Sites<'_> {
    /// Renders both sites: the internal one from the working copy; the public one from
    /// the releases (the newest at the root, each also in its folder) or, before the
    /// first release, from the working copy.
    fn render(
        &self,
        working: &Prepared,
        frozen: &[Prepared],
        (marks, pending): (&Marks, Option<&Pending>),
        public_cache: PublicCache,
        sink: &dyn output::Sink,
    ) -> Result<Vec<String>, Diagnostics> {
        let reuse = public_cache.slot.as_ref().filter(|(k, _)| *k == public_cache.key && !frozen.is_empty());
        let reuse = reuse.map(|(_, files)| files.clone());
        let sink = Recorder {
            sink,
            paths: Mutex::new(Vec::new()),
            public: (public_cache.keep && reuse.is_none() && !frozen.is_empty()).then(|| Mutex::new(Vec::new())),
        };
        // Pages stream into `sink` as they render; other files gather here.
        let mut files = Vec::new();
        let has_performance = self.has_performance(working);
        // Internal: the working copy, with its unreleased changes marked.
        {
            let env = self.env(&working.data);
            let mut inputs = self.inputs(working, &env);
            inputs.bodies = working.internal_bodies();
            let internal = marks.view(working);
            files.extend(site_and_print(&internal, &inputs, &sink, self.ui["working_copy_label"], None)?);
            files.extend(report_pages::internal(&internal, &inputs, &working.data, self.measurements, self.computed)?);
            files.push(report_pages::governance_page(&internal, &inputs, self.governance)?);
            if let (Some((released, current)), Some(newest), true) =
                (pending, self.releases.last(), internal.has_pending_changes)
            {
                files.extend(release_pages::internal(&internal, &inputs, newest, released, current)?);
            }
        }
        // Public: before the first release, the working copy. Once releases exist the
        // public site depends only on them, the theme, config and data, so an edit of
        // the working copy reuses the last render.
        if let Some(cached) = reuse {
            output::Sink::put(&sink, cached);
        } else if frozen.is_empty() {
            let env = self.env(&working.data);
            let inputs = self.inputs(working, &env);
            let public = public_view(working, has_performance);
            files.extend(site_and_print(&public, &inputs, &sink, self.ui["working_copy_label"], None)?);
            files.extend(report_pages::public_performance(&public, &inputs, &working.data, self.computed)?);
        } else {
            let urls: Vec<BTreeSet<String>> = frozen.iter().map(public_urls).collect();
            let newest = frozen.len() - 1;
            for (i, release) in frozen.iter().enumerate() {
                let env = self.env(&release.data);
                let inputs = self.inputs(release, &env);
                let versioning = |at_root: bool| render::Versioning {
                    names: self.releases.iter().map(|r| r.version.clone()).collect(),
                    dates: self.releases.iter().map(|r| r.date).collect(),
                    this: i,
                    at_root,
                    urls: urls.clone(),
                };
                let mut in_folder = View::new(&release.content.pages, &release.data, Audience::Public);
                in_folder.prefix = format!("{}/", self.releases[i].version);
                in_folder.versioning = Some(versioning(false));
                in_folder.has_changelog = true;
                let (name, date) = (&self.releases[i].version, Some(self.releases[i].date.to_string()));
                files.extend(site_and_print(&in_folder, &inputs, &sink, name, date.clone())?);
                if i == newest {
                    let mut at_root = View::new(&release.content.pages, &release.data, Audience::Public);
                    at_root.versioning = Some(versioning(true));
                    at_root.has_changelog = true;
                    at_root.has_performance = has_performance;
                    files.extend(site_and_print(&at_root, &inputs, &sink, name, date)?);
                    files.extend(report_pages::public_performance(&at_root, &inputs, &working.data, self.computed)?);
                    let snaps: Vec<changelog::Snapshot> =
                        frozen.iter().map(|f| snapshot(f, Audience::Public, (self.today, self.ui))).collect();
                    files.extend(release_pages::public(&at_root, &inputs, self.releases, &snaps)?);
                }
            }
        }
        files.retain(|f| !f.path.ends_with("robots.txt") && !f.path.ends_with("sitemap.xml"));
        output::Sink::put(&sink, files);
        if let Some(public) = sink.public {
            let public = public.into_inner().unwrap_or_else(|e| e.into_inner());
            *public_cache.slot = Some((public_cache.key, public));
        }
        let mut paths = sink.paths.into_inner().unwrap_or_else(|e| e.into_inner());
        let folders: Vec<String> = self.releases.iter().map(|r| format!("{}/", r.version)).collect();
        let crawl =
            crate::render::print::crawl_files(paths.iter().map(String::as_str), &self.config.base_url, &folders);
        paths.extend(crawl.iter().map(|f| f.path.clone()));
        sink.sink.put(crawl);
        paths.sort_unstable();
        Ok(paths)
    }

    /// Whether the public site has its performance page: reports exist and some KPI is public.
    fn has_performance(&self, working: &Prepared) -> bool {
        self.computed.latest().is_some() && !report_pages::public_kpis(&working.data, self.computed).is_empty()
    }

    /// The working copy's changes since the newest release, as the internal site marks them.
    fn marks(&self, working: &Prepared, pending: Option<&Pending>) -> Marks {
        let mut marks = Marks { has_reports: self.computed.latest().is_some(), ..Marks::default() };
        if let Some((released, current)) = pending {
            for (i, page) in working.content.pages.iter().enumerate() {
                let now = current.standards.get(&page.id.value).map(|n| &n.text);
                if changed_since(now, released.standards.get(&page.id.value).map(|t| &t.text)) {
                    marks.changed.insert(i, release_pages::redline_url(&page.id.value));
                }
            }
            marks.newest_release = self.releases.last().map(|r| r.version.clone());
        }
        marks
    }

    fn env<'d>(&'d self, data: &'d data::Data) -> shortcodes::Env<'d> {
        shortcodes::Env { data, today: YearMonth::of(self.today), ui: self.ui }
    }

    fn inputs<'d>(&'d self, p: &'d Prepared, env: &'d shortcodes::Env<'d>) -> Inputs<'d> {
        Inputs {
            config: self.config,
            pages: &p.content.pages,
            outlines: &p.outlines,
            bodies: &p.bodies,
            theme: self.theme,
            env,
            citations: &p.citations,
        }
    }
}

/// Pages of one site among the output paths (each page is a folder's `index.html`).
fn count_pages(paths: &[String], site: &str) -> usize {
    paths
        .iter()
        .filter(|p| p.starts_with(site) && p.ends_with("/index.html") || **p == format!("{site}index.html"))
        .count()
}

/// Renders diagnostics of a run for the terminal (see [`crate::base::diagnostics::render`]).
pub fn render_diagnostics(root: &Path, diagnostics: &[Diagnostic]) -> String {
    crate::base::diagnostics::render(root, diagnostics)
}
