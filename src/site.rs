//! The build pipeline. [`build`] reads top to bottom as named steps — load, validate,
//! outline and check links, render markdown, render pages, write — each timed in
//! verbose mode.
//!
//! This module orchestrates; the work lives in the step modules. It collects every
//! diagnostic of a run and stops before rendering (and long before writing) when there
//! are errors, so a failed build never touches the output. Only `output` writes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::content::Audience;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Outline};
use crate::render::{self, Inputs, View};
use crate::{config, content, output, theme, validate};

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
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>, mode: Mode) -> Self {
        BuildOptions { root: root.into(), out: None, mode, verbose: false }
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

/// Builds (or checks) the site at `opts.root`.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let steps = Steps { verbose: opts.verbose, start: Instant::now() };
    let root = opts.root.as_path();
    let out = opts.out_dir();
    if opts.mode == Mode::Build {
        output::check_target(root, &out).map_err(BuildError::Io)?;
    }
    let mut diags = Diagnostics::new();

    let config = steps.run("load config", || config::load(root, &mut diags));
    let content = steps.run("load content", || content::load(root, config.default_audience, &mut diags));
    let theme = steps.run("load theme", || theme::load(root, &mut diags));
    let pages = &content.pages;

    let index = steps.run("validate pages", || validate::pages(pages, &mut diags));
    let outlines: Vec<Outline> =
        steps.run("outline markdown", || pages.par_iter().map(|p| markdown::outline(&p.body)).collect());
    let resolved = steps.run("check links", || validate::links(pages, &outlines, &index, &mut diags));
    let theme = match theme {
        Some(t) if !diags.has_errors() => t,
        _ => return Err(BuildError::Content(diags.into_sorted())),
    };

    let bodies: Vec<String> = steps.run("render markdown", || {
        pages.par_iter().zip(&outlines).zip(&resolved).map(|((p, o), r)| markdown::to_html(&p.body, o, r)).collect()
    });
    let inputs = Inputs { config: &config, pages, outlines: &outlines, bodies: &bodies, theme: &theme };
    let public = View::new(pages, Audience::Public);
    let internal = View::new(pages, Audience::Internal);
    let files = steps.run("render pages", || -> Result<Vec<output::OutputFile>, Diagnostics> {
        let mut files = render::site(&public, &inputs)?;
        files.extend(render::site(&internal, &inputs)?);
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
        public_pages: public.len(),
        internal_pages: internal.len(),
        elapsed: steps.start.elapsed(),
    })
}

/// Renders diagnostics of a run for the terminal (see [`crate::diagnostics::render`]).
pub fn render_diagnostics(root: &Path, diagnostics: &[Diagnostic]) -> String {
    crate::diagnostics::render(root, diagnostics)
}
