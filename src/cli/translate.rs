//! `charter translate`: where each translation stands (older than its original, not
//! marked, missing), and `--mark FILE…` to record in a translation the content hash
//! of the page it now matches (`translates:`), once it has been brought up to date.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{fail, Format, TranslateArgs, EXIT_USAGE};
use crate::base::diagnostics::Diagnostics;
use crate::check::translations::{review, Released, State};
use crate::load::config::{self, Config};
use crate::load::content::{self, Content, CONTENT_DIR};
use crate::load::{translations, versions};

pub(crate) fn run(args: &TranslateArgs) -> ExitCode {
    let refuse = |msg: String| {
        eprintln!("error: {msg}");
        ExitCode::from(EXIT_USAGE)
    };
    let mut diags = Diagnostics::new();
    let config = config::load(&args.root, &mut diags);
    if diags.has_errors() {
        return fail(&args.root, crate::BuildError::Content(diags.into_sorted()), Format::Human);
    }
    if config.languages.len() < 2 {
        return refuse(format!(
            "{} names one language: list the languages first, e.g. `languages: [{}, en]`",
            config::CONFIG_FILE,
            config.language.tag()
        ));
    }
    if args.mark.is_empty() {
        return status(&args.root, &config);
    }
    let mut marked = 0;
    for file in &args.mark {
        match mark(&args.root, &config, file) {
            Ok(line) => {
                println!("{line}");
                marked += 1;
            }
            Err(e) => eprintln!("error: {e}"),
        }
    }
    if marked == args.mark.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_USAGE)
    }
}

/// Writes into translation `file` the hash of its source as it is now.
fn mark(root: &Path, config: &Config, file: &Path) -> Result<String, String> {
    let path = if file.is_absolute() { file.to_path_buf() } else { root.join(file) };
    let content_dir = root.join(CONTENT_DIR).canonicalize().map_err(|e| format!("cannot read {CONTENT_DIR}/: {e}"))?;
    let full = path.canonicalize().map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let rel = full
        .strip_prefix(&content_dir)
        .map_err(|_| format!("{} is not under {CONTENT_DIR}/", file.display()))?
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let languages: Vec<&str> = config.languages[1..].iter().map(|l| l.tag()).collect();
    let (language, of) = translations::translation_of(&rel, &config.languages).ok_or_else(|| {
        format!(
            "{CONTENT_DIR}/{rel} is not a translation: name it PAGE.LANG.md beside PAGE.md, LANG one of {languages:?}"
        )
    })?;
    let source = content_dir.join(&of);
    let text = std::fs::read_to_string(&source).map_err(|e| format!("cannot read {CONTENT_DIR}/{of}: {e}"))?;
    let mut diags = Diagnostics::new();
    let page = content::parse_page(&of, &text, &config.audiences, &mut diags)
        .ok_or_else(|| format!("{CONTENT_DIR}/{of} cannot be read: run `charter check`"))?;
    let mut one = Content { pages: vec![page], ..Content::default() };
    one.name_home(&config.title);
    let hash = translations::source_hash(&one.pages[0]);
    let before = std::fs::read_to_string(&full).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let after = translations::with_mark(&before, &hash);
    if after != before {
        std::fs::write(&full, after).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    }
    Ok(format!("marked {CONTENT_DIR}/{rel} ({}) as translating {CONTENT_DIR}/{of} at {hash}", language.tag()))
}

/// Lists every translation older than its original or not marked, and every page
/// without a translation, by language.
fn status(root: &Path, config: &Config) -> ExitCode {
    let mut diags = Diagnostics::new();
    let load = |dir: &Path, diags: &mut Diagnostics| {
        let mut c = content::load_in(dir, &config.audiences, &config.languages, diags);
        c.name_home(&config.title);
        c
    };
    let mut working = load(root, &mut diags);
    let releases = versions::load(root, &mut diags);
    let frozen: Vec<(String, Content)> = releases
        .iter()
        .map(|r| {
            let dir: PathBuf = root.join(versions::VERSIONS_DIR).join(&r.version);
            (r.version.clone(), load(&dir, &mut Diagnostics::new()))
        })
        .collect();
    let found = std::mem::take(&mut working.translations);
    let paired = translations::pair(&working.pages, &found, &config.audiences, &mut diags);
    let copies: Vec<(config::Language, Vec<content::Page>)> = config.languages[1..]
        .iter()
        .map(|&l| (l, translations::language_pages(&working.pages, &paired, l, config.fallback)))
        .collect();
    let copies: Vec<(config::Language, &[content::Page])> = copies.iter().map(|(l, p)| (*l, p.as_slice())).collect();
    let released: Vec<Released> = frozen.iter().map(|(name, c)| Released { name, pages: &c.pages }).collect();
    let rows = review(&working.pages, &copies, &released, &mut diags);
    if diags.has_errors() {
        return fail(root, crate::BuildError::Content(diags.into_sorted()), Format::Human);
    }
    for row in &rows {
        let page = &working.pages[row.page];
        let (state, file) = match row.state {
            State::Stale => ("older than its original", translation_file(&page.source, row.language)),
            State::Unmarked => ("not marked", translation_file(&page.source, row.language)),
            State::Missing => ("not translated", page.source.clone()),
        };
        println!("{:<6} {state:<24} {file}", row.language.tag());
    }
    let count = |s: State| rows.iter().filter(|r| r.state == s).count();
    let translated: usize = copies
        .iter()
        .map(|(_, pages)| pages.iter().filter(|p| matches!(p.lang, translations::PageLang::Translated { .. })).count())
        .sum();
    println!(
        "{translated} translation(s): {} older than the original, {} not marked; {} page(s) not translated",
        count(State::Stale),
        count(State::Unmarked),
        count(State::Missing)
    );
    ExitCode::SUCCESS
}

/// The translation of `source` (`content/x.md`) into `language`: `content/x.en.md`.
fn translation_file(source: &str, language: config::Language) -> String {
    format!("{}.{}.md", source.strip_suffix(".md").unwrap_or(source), language.tag())
}
