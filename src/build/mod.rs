//! The build pipeline. [`build`] reads top to bottom as named steps — load config,
//! theme and versions; prepare the working copy and every release (load, validate,
//! outline and check links and data, render markdown); load measurements; compute
//! reports; render pages, reports and charts; write — each timed in verbose mode.
//!
//! This module orchestrates; the work lives in the step modules and, within the build
//! stage, in `prepare` (a source, loaded, checked and its markdown rendered), `sites`
//! (both sites rendered from prepared sources), `cache` (what `charter serve` reuses
//! between builds, as memos keyed by fingerprints) and `live` (serve's page patches).
//! It collects every diagnostic of a run and stops before rendering when there are
//! errors; it does no step's work itself. Rendered pages
//! go to an `output::Sink` in batches: `charter build` writes each into the new site's
//! temporary folder and analyses it for search, then drops it, so a large site is never
//! held in memory whole; the output is replaced only when everything succeeded. Only
//! `output` writes.

pub(crate) mod output;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod cache;
mod copies;
mod live;
mod prepare;
mod sites;
pub use cache::{search_indexes, Cache};
pub use live::{Live, Patch};

use rayon::prelude::*;

use std::sync::Mutex;

use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostic, Diagnostics};
use crate::load::versions;
use crate::load::{config, measure};
use crate::render::charts::Charts;
use crate::render::theme;
use prepare::{index_links, prepare, prepare_release, Prepared};
use sites::{PublicCache, Reports, Setting, Sites};

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

    pub(crate) fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("site"))
    }
}

/// A successful run: its warnings and what it produced.
#[derive(Debug)]
pub struct BuildReport {
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The folders of the sites built, each with a search index: releases, sites
    /// behind sign-in, languages.
    pub folders: crate::base::files::Folders,
    /// Why page dates are not from git, said once (not a warning: `--strict` passes).
    pub(crate) note: Option<String>,
    pub(crate) public_pages: usize,
    /// Pages of each site behind sign-in, lowest tier first.
    pub(crate) staff_pages: Vec<(String, usize)>,
    pub(crate) elapsed: Duration,
}

impl BuildReport {
    /// How many pages each site has: `93 public and 106 internal pages`, or with more
    /// tiers `93 public, 106 internal and 130 managers pages`.
    pub(crate) fn page_counts(&self) -> String {
        let mut sites = vec![format!("{} public", self.public_pages)];
        sites.extend(self.staff_pages.iter().map(|(t, n)| format!("{n} {t}")));
        let last = sites.pop().unwrap_or_default();
        if sites.is_empty() {
            return format!("{last} pages");
        }
        format!("{} and {last} pages", sites.join(", "))
    }
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

/// The build date: `--today` when given, else `SOURCE_DATE_EPOCH` (reproducible
/// builds), else the system clock (UTC).
pub(crate) fn build_date(explicit: Option<Date>) -> Result<Date, String> {
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

/// Builds (or checks) the site at `opts.root` and, in [`Mode::Build`], writes it.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    if opts.mode == Mode::Check {
        let steps = Steps::new(opts);
        // Nothing is kept: the pages render to find errors, without their charts.
        let result = build_steps(opts, &mut Cache::default(), &steps, (&Discard, Charts::Skip));
        steps.finish();
        return result;
    }
    // Pages are written, and analysed for search, as they are rendered; the new site
    // replaces the old one only once everything is in place.
    let writer = output::Writer::create(&opts.root, &opts.out_dir()).map_err(BuildError::Io)?;
    let sink = Written { writer, search: crate::search::Collector::default(), error: Mutex::new(None) };
    let steps = Steps::new(opts);
    let result = build_steps(opts, &mut Cache::default(), &steps, (&sink, Charts::Draw));
    let result = result.and_then(|mut report| {
        let Written { writer, search, error } = sink;
        if let Some(e) = error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            return Err(BuildError::Io(e));
        }
        // What rendering freed goes back to the system before the indexes are built,
        // the last peak of the run (about 15 MiB at 10k standards).
        release_freed_memory();
        steps
            .run("build and write search indexes", || {
                // Files come from several threads as they are made; the first error is kept.
                let failed = Mutex::new(None);
                search.finish(|_, files| {
                    if let Err(e) = writer.put(&files) {
                        failed.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
                    }
                });
                failed.into_inner().unwrap_or_else(|e| e.into_inner()).map_or(Ok(()), Err)
            })
            .map_err(BuildError::Io)?;
        steps.run("swap the new site in", || writer.finish()).map_err(BuildError::Io)?;
        report.elapsed = steps.start.elapsed();
        Ok(report)
    });
    steps.finish();
    result
}

/// Returns memory freed but kept by the allocator to the system (glibc only).
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns unused pages of the allocator's own heap.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The sink of `charter build`: writes each file into the new site and hands it to the
/// search index; the first write error is kept for the end of the run.
struct Written {
    writer: output::Writer,
    search: crate::search::Collector,
    error: Mutex<Option<String>>,
}

impl output::Sink for Written {
    fn start(&self, folders: &crate::base::files::Folders) {
        self.search.set_sites(sites::search_sites(folders));
    }

    fn put(&self, files: Vec<output::OutputFile>) {
        self.put_pages(files.into_iter().map(|f| (f, None)).collect());
    }

    /// Pages bring their bodies' search text from the markdown pass.
    fn put_pages(&self, pages: Vec<(output::OutputFile, Option<crate::base::files::PageText>)>) {
        let written = pages.par_iter().try_for_each(|(f, text)| {
            self.search.add_page(f, text.as_ref());
            self.writer.put_file(f)
        });
        if let Err(e) = written {
            self.error.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
        }
    }

    fn copy(&self, files: Vec<output::CopiedFile>) -> Result<(), String> {
        files.par_iter().try_for_each(|f| self.writer.copy_file(f))
    }
}

/// The sink of `charter check`: rendering is checked, nothing is kept.
struct Discard;

impl output::Sink for Discard {
    fn put(&self, _: Vec<output::OutputFile>) {}

    /// Files that would be copied are not read at all.
    fn copy(&self, _: Vec<output::CopiedFile>) -> Result<(), String> {
        Ok(())
    }
}

/// Everything a build does except writing: returns the files of both sites in memory.
/// `cache` carries reusable work between calls (see [`Cache`]).
pub fn build_files(
    opts: &BuildOptions,
    cache: &mut Cache,
) -> Result<(BuildReport, Vec<output::OutputFile>), BuildError> {
    let steps = Steps::new(opts);
    let sink = output::Collect::default();
    let result = build_steps(opts, cache, &steps, (&sink, Charts::Draw));
    steps.finish();
    result.map(|report| (report, sink.into_files()))
}

/// Loads, checks and renders everything, step by step, handing rendered files to
/// `sink` (charts drawn or not, as `charts` says: not when the sink discards them);
/// `cache` carries reusable work between calls (see [`Cache`]).
fn build_steps(
    opts: &BuildOptions,
    cache: &mut Cache,
    steps: &Steps,
    (sink, charts): (&dyn output::Sink, Charts),
) -> Result<BuildReport, BuildError> {
    let root = opts.root.as_path();
    let today = build_date(opts.today).map_err(BuildError::Io)?;
    let mut diags = Diagnostics::new();

    // Nothing is read from outside the site: a link that leaves it stops the build here.
    stop_on_errors(steps.run("check links out of the site folder", || crate::base::paths::links_leaving_root(root)))?;
    let config = steps.run("load config", || config::load(root, &mut diags));
    let ui = crate::base::i18n::strings(config.language);
    let theme = steps.run("load theme", || theme::load(root, &mut diags));
    let key = cache::releases_key(root, today, &config);
    let releases = cache.releases.get_or(key, || steps.run("load versions", || versions::load(root, &mut diags)));
    steps.expect(10 + 7 * (releases.len() as u64 + 1));
    // The working copy: the internal site, and the public one until a first release.
    let mut working = prepare(steps, root, "", &config, (today, ui), &mut diags);
    let names: Vec<String> = releases.iter().map(|r| r.version.clone()).collect();
    crate::check::aliases::check(&working.content.pages, &names, &mut diags);
    let governed = crate::check::governance::Governed(&config.governed);
    crate::check::governance::check(&working.content.pages, governed, today, &mut diags);
    let data_key = cache::measurements_key(root, today, &config, &working.roles);
    let measurements = cache.measurements.get_or_replay(data_key, &mut diags, |own| {
        steps.run("load measurements", || {
            measure::load(root, &working.data, &working.roles, (today, config.utc_offset), own)
        })
    });
    // Every release as it was frozen (unchanged releases come from the cache).
    let frozen = cache.frozen.get_or_replay(key, &mut diags, |own| {
        releases.iter().map(|r| prepare_release(steps, root, r, &config, (today, ui), own)).collect()
    });
    let translations =
        steps.run("check translations", || prepare::review_translations(&mut working, frozen, &names, &mut diags));
    let computed = compute_reports(steps, (&config, &working), measurements, today, &mut diags);
    let (theme, computed) = ready_to_render(opts.strict, (theme, computed), &mut diags)?;
    let mut governance = steps.run("check governance", || review_governance(&working, governed, today));
    governance.translations = translations;
    let history = steps.run("read page history from git", || crate::load::history::load(root));
    let setting = Setting { config: &config, theme: &theme, ui, today, history: &history };
    let reports = Reports { computed: &computed, measurements, governance: &governance, charts };
    let sites = Sites::new(setting, releases, &names, &working, reports);
    let staff: Vec<String> = config.audiences.staff().iter().map(|t| t.as_str().to_string()).collect();
    let languages = config.languages[1..].iter().map(|l| l.tag().to_string()).collect();
    let folders = crate::base::files::Folders { releases: names.clone(), staff: staff.clone(), languages };
    sink.start(&folders);
    sink.put(hosting_files(opts, &config));
    let public_key = cache::public_key(root, key, data_key ^ cache::hash_of(&history));
    let public_cache = PublicCache { memo: &mut cache.public, key: public_key, keep: cache.keep_search };
    let pending = copies::pending(&working, frozen.last(), config.audiences.highest());
    let marks = sites.marks(&working, pending.as_ref());
    let note = history.fallback.as_ref().and_then(|f| f.note());
    let paths = steps.run("render pages, reports and charts", || {
        sites.render(&working, frozen, (&marks, pending.as_ref()), public_cache, sink)
    });
    if cache.keep_search && paths.is_ok() {
        // What `charter serve` needs to re-render an edited page on its own.
        let (released, public) = (live::released_texts(pending), frozen.is_empty().then_some(sites.has_performance));
        cache.live = Some(Live::new(root, (config, theme, ui, today, history), working, marks, released, public));
    }
    outcome(diags, paths, (folders, note), steps)
}

/// The server configuration of every tier, beside the sites (see
/// [`crate::render::hosting`]); its nginx roots are the sites' folders under the
/// output folder as it will be after the swap.
fn hosting_files(opts: &BuildOptions, config: &config::Config) -> Vec<output::OutputFile> {
    let out = output::absolute(&opts.out_dir()).unwrap_or_else(|_| opts.out_dir());
    let tiers = crate::render::hosting::tiers(config);
    crate::render::hosting::files(&tiers, &out.to_string_lossy())
}

/// The theme and the reports once the run has no errors (warnings count as errors
/// under `strict`); otherwise the run stops with every diagnostic.
fn ready_to_render<C>(
    strict: bool,
    (theme, computed): (Option<theme::Theme>, Option<C>),
    diags: &mut Diagnostics,
) -> Result<(theme::Theme, C), BuildError> {
    if strict {
        diags.promote_warnings();
    }
    match (theme, computed, diags.has_errors()) {
        (Some(theme), Some(computed), false) => Ok((theme, computed)),
        _ => Err(BuildError::Content(std::mem::take(diags).into_sorted())),
    }
}

/// Stops the run with every diagnostic of `diags` when they hold errors.
fn stop_on_errors(diags: Diagnostics) -> Result<(), BuildError> {
    if diags.has_errors() {
        return Err(BuildError::Content(diags.into_sorted()));
    }
    Ok(())
}

/// The governance review of the working copy's pages, with the links between them.
fn review_governance(
    working: &Prepared,
    governed: crate::check::governance::Governed,
    today: Date,
) -> crate::check::governance::Review {
    crate::check::governance::review(&working.content.pages, governed, &index_links(working), today)
}

/// The run's outcome once both sites are rendered (`rendered`: their paths): its
/// report, or, when rendering failed, rendering's errors with every diagnostic of the run.
fn outcome(
    mut diags: Diagnostics,
    rendered: Result<Vec<String>, Diagnostics>,
    (folders, note): (crate::base::files::Folders, Option<String>),
    steps: &Steps,
) -> Result<BuildReport, BuildError> {
    let paths = match rendered {
        Ok(p) => p,
        Err(d) => {
            diags.extend(d);
            return Err(BuildError::Content(diags.into_sorted()));
        }
    };
    let staff = &folders.staff;
    Ok(BuildReport {
        note,
        diagnostics: diags.into_sorted(),
        public_pages: count_pages(&paths, "public/"),
        staff_pages: staff.iter().map(|t| (t.clone(), count_pages(&paths, &format!("{t}/")))).collect(),
        folders,
        elapsed: steps.start.elapsed(),
    })
}

/// Reports, computed from valid data only (`None` while there are errors); what they
/// cannot show is a warning, and so counts for --strict.
fn compute_reports(
    steps: &Steps,
    (config, working): (&config::Config, &Prepared),
    measurements: &measure::Measurements,
    today: Date,
    diags: &mut Diagnostics,
) -> Option<crate::compute::computed::Computed> {
    (!diags.has_errors()).then(|| {
        let c = steps
            .run("compute reports", || crate::compute::computed::Computed::new(&working.data, measurements, today));
        crate::compute::report_gaps::check(&working.data, &c.series, &c.periods, diags);
        crate::check::tiers::people_figures(config, &working.data, &c, diags);
        c
    })
}

/// Pages of one site among the output paths (each page is a folder's `index.html`),
/// without the search results pages (of the site and of each release).
fn count_pages(paths: &[String], site: &str) -> usize {
    let results_page = |rel: &str| {
        rel.strip_suffix("search/index.html")
            .is_some_and(|before| before.is_empty() || before.matches('/').count() == 1)
    };
    paths
        .iter()
        .filter(|p| p.starts_with(site) && p.ends_with("/index.html") || **p == format!("{site}index.html"))
        .filter(|p| !results_page(&p[site.len().min(p.len())..]))
        .count()
}

/// Renders diagnostics of a run for the terminal (see [`crate::base::diagnostics::render`]).
pub(crate) fn render_diagnostics(root: &Path, diagnostics: &[Diagnostic]) -> String {
    crate::base::diagnostics::render(root, diagnostics)
}
