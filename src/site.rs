//! The build pipeline. [`build`] reads top to bottom as named steps — load, validate,
//! outline and check links, render markdown, compute reports, render pages, reports
//! and charts, write — each timed in verbose mode.
//!
//! This module orchestrates; the work lives in the step modules. It collects every
//! diagnostic of a run and stops before rendering (and long before writing) when there
//! are errors, so a failed build never touches the output. Only `output` writes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::Audience;
use crate::date::{Date, YearMonth};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Outline};
use crate::render::{self, Inputs, View};
use crate::shortcodes;
use crate::{config, content, data, measure, output, report_pages, theme, validate};

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
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>, mode: Mode) -> Self {
        BuildOptions { root: root.into(), out: None, mode, verbose: false, today: None }
    }

    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("site"))
    }
}

/// A successful run: its warnings and what it produced.
#[derive(Debug)]
pub struct BuildReport {
    pub diagnostics: Vec<Diagnostic>,
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
}

impl Steps {
    fn run<T>(&self, name: &str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let r = f();
        if self.verbose {
            eprintln!("  {name:<22} {:>8.1} ms", t.elapsed().as_secs_f64() * 1000.0);
        }
        r
    }
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

/// Builds (or checks) the site at `opts.root`.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let steps = Steps { verbose: opts.verbose, start: Instant::now() };
    let root = opts.root.as_path();
    let out = opts.out_dir();
    if opts.mode == Mode::Build {
        output::check_target(root, &out).map_err(BuildError::Io)?;
    }
    let today = build_date(opts.today).map_err(BuildError::Io)?;
    let mut diags = Diagnostics::new();

    let config = steps.run("load config", || config::load(root, &mut diags));
    let content = steps.run("load content", || content::load(root, config.default_audience, &mut diags));
    let roles = content.role_ids();
    let data = steps.run("load data", || data::load(root, &roles, &mut diags));
    let measurements = steps.run("load measurements", || measure::load(root, &data, &roles, &mut diags));
    let theme = steps.run("load theme", || theme::load(root, &mut diags));
    let pages = &content.pages;
    let ui = crate::i18n::strings(config.language);
    let env = shortcodes::Env { data: &data, today: YearMonth::of(today), ui: &ui };

    let index = steps.run("validate pages", || validate::pages(pages, &mut diags));
    let outlines: Vec<Outline> = steps.run("outline markdown", || {
        let forms = shortcodes::typed_forms(&data);
        let spotter = markdown::NumberSpotter::new(&forms);
        let plain = |call: &shortcodes::Call| {
            shortcodes::check(call).map(|u| shortcodes::expand(&u, &env, "").text).unwrap_or_default()
        };
        let hooks = markdown::Hooks { plain: &plain, numbers: spotter.as_ref() };
        pages.par_iter().map(|p| markdown::outline(&p.body, &hooks)).collect()
    });
    let resolved = steps.run("check links", || validate::links(pages, &outlines, &index, &mut diags));
    let uses = steps.run("check data references", || validate::data_refs(pages, &outlines, &data, &mut diags));
    let theme = match theme {
        Some(t) if !diags.has_errors() => t,
        _ => return Err(BuildError::Content(diags.into_sorted())),
    };

    let bodies: Vec<String> = steps.run("render markdown", || {
        pages
            .par_iter()
            .zip(&outlines)
            .zip(&resolved)
            .map(|((p, o), r)| {
                let expand = |call: &shortcodes::Call| match shortcodes::check(call) {
                    Ok(u) => (shortcodes::expand(&u, &env, &p.url).html, u.is_block()),
                    Err(_) => (String::new(), false),
                };
                markdown::to_html(&p.body, o, r, &expand)
            })
            .collect()
    });
    let citations = validate::kpi_citations(pages, &uses, &data);
    let inputs = Inputs {
        config: &config,
        pages,
        outlines: &outlines,
        bodies: &bodies,
        theme: &theme,
        env: &env,
        citations: &citations,
    };
    let computed = steps.run("compute reports", || report_pages::Computed::new(&data, &measurements, today));
    let mut public = View::new(pages, &data, Audience::Public);
    public.has_performance = computed.latest().is_some() && !report_pages::public_kpis(&data, &computed).is_empty();
    let mut internal = View::new(pages, &data, Audience::Internal);
    internal.has_reports = computed.latest().is_some();
    let files = steps.run("render pages", || -> Result<Vec<output::OutputFile>, Diagnostics> {
        let mut files = render::site(&public, &inputs)?;
        files.extend(render::site(&internal, &inputs)?);
        Ok(files)
    });
    let files = files.and_then(|mut files| {
        steps.run("render reports and charts", || -> Result<(), Diagnostics> {
            files.extend(report_pages::internal(&internal, &inputs, &data, &measurements, &computed)?);
            files.extend(report_pages::public_performance(&public, &inputs, &data, &computed)?);
            Ok(())
        })?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    });
    let files = match files {
        Ok(f) => f,
        Err(d) => {
            diags.extend(d);
            return Err(BuildError::Content(diags.into_sorted()));
        }
    };

    if opts.mode == Mode::Build {
        steps.run("write output", || output::write_site(root, &out, &files)).map_err(BuildError::Io)?;
    }
    Ok(BuildReport {
        diagnostics: diags.into_sorted(),
        public_pages: count_pages(&files, "public/"),
        internal_pages: count_pages(&files, "internal/"),
        elapsed: steps.start.elapsed(),
    })
}

/// Pages of one site among the output files (each page is a folder's `index.html`).
fn count_pages(files: &[output::OutputFile], site: &str) -> usize {
    files
        .iter()
        .filter(|f| {
            f.path.starts_with(site) && f.path.ends_with("/index.html") || f.path == format!("{site}index.html")
        })
        .count()
}

/// Renders diagnostics of a run for the terminal (see [`crate::diagnostics::render`]).
pub fn render_diagnostics(root: &Path, diagnostics: &[Diagnostic]) -> String {
    crate::diagnostics::render(root, diagnostics)
}
