//! Diagnostics: every problem found in a run, with its file, line and column.
//!
//! Loaders and validators never stop at the first problem: they push into a
//! [`Diagnostics`] list and carry on. This module owns the diagnostic type, its stable
//! codes and the human rendering (`PATH:LINE:COL: error: MESSAGE`, the source line and a
//! caret). It must not decide what is an error — callers do — and it never writes
//! files; rendering reads source files only to quote the offending line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// How serious a diagnostic is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A position in a source file: 1-based line, 1-based column counted in characters.
/// `line == 0` means "the file as a whole" (no position known).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub(crate) const FILE: Pos = Pos { line: 0, col: 0 };

    pub(crate) fn new(line: usize, col: usize) -> Pos {
        Pos { line, col }
    }

    /// The position of byte `offset` in `text` (clamped to the text's end).
    pub(crate) fn of_offset(text: &str, offset: usize) -> Pos {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..offset].chars().count() + 1;
        Pos { line, col }
    }
}

/// Positions of many byte offsets of one text. Asked in ascending order (links,
/// shortcodes and blanks come in text order) it walks the text once in all, so a page
/// with 50,000 problems costs one pass instead of 50,000; an offset before the last
/// one asked starts again from the top. Lines are counted from `first_line`.
pub(crate) struct Positions<'a> {
    text: &'a str,
    first_line: usize,
    offset: usize,
    line: usize,
    col: usize,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(text: &'a str, first_line: usize) -> Self {
        Positions { text, first_line, offset: 0, line: 1, col: 1 }
    }

    /// The position of byte `offset`, as [`Pos::of_offset`] gives it, shifted to the file.
    pub(crate) fn at(&mut self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            (self.offset, self.line, self.col) = (0, 1, 1);
        }
        for c in self.text[self.offset..offset].chars() {
            if c == '\n' {
                self.line += 1;
                self.col = 1;
            } else {
                self.col += 1;
            }
        }
        self.offset = offset;
        Pos::new(self.line + self.first_line - 1, self.col)
    }
}

/// One problem: where it is, how serious, a stable code and a message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub pos: Pos,
    pub severity: Severity,
    /// Stable, kebab-case identifier of the problem class (e.g. `broken-link`).
    pub(crate) code: &'static str,
    pub message: String,
    /// An optional hint printed under the source line ("did you mean …?").
    pub(crate) help: Option<String>,
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub(crate) fn error(&mut self, path: &str, pos: Pos, code: &'static str, message: impl Into<String>) {
        self.push(Diagnostic {
            path: path.to_string(),
            pos,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
        });
    }

    pub(crate) fn warning(&mut self, path: &str, pos: Pos, code: &'static str, message: impl Into<String>) {
        self.push(Diagnostic {
            path: path.to_string(),
            pos,
            severity: Severity::Warning,
            code,
            message: message.into(),
            help: None,
        });
    }

    /// Attaches a hint to the diagnostic pushed last.
    pub(crate) fn with_help(&mut self, help: impl Into<String>) {
        if let Some(last) = self.items.last_mut() {
            last.help = Some(help.into());
        }
    }

    /// Reports an id that names nothing the site defines — "unknown KPI `satisfacton`:
    /// it is not defined in data/kpis.yaml" — with "did you mean `satisfaction`?" when
    /// one of `candidates` is a near miss; returns whether it suggested one. Every
    /// "unknown X" diagnostic goes through here, so they all read alike.
    pub(crate) fn unknown<'a>(
        &mut self,
        file: &str,
        pos: Pos,
        u: Unknown,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> bool {
        self.error(file, pos, u.code, u.message());
        self.suggest(u.id, candidates)
    }

    /// Attaches "did you mean `x`?" to the last diagnostic when `word` is a near miss
    /// of one of `candidates`; returns whether it did.
    pub(crate) fn suggest<'a>(&mut self, word: &str, candidates: impl IntoIterator<Item = &'a str>) -> bool {
        match did_you_mean(word, candidates) {
            Some(m) => {
                self.with_help(format!("did you mean `{m}`?"));
                true
            }
            None => false,
        }
    }

    /// `--strict`: every warning becomes an error.
    pub(crate) fn promote_warnings(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Takes over those of `other` that `keep` keeps.
    pub(crate) fn extend_with(&mut self, other: Diagnostics, keep: impl Fn(&Diagnostic) -> bool) {
        for d in other.into_sorted().into_iter().filter(|d| keep(d)) {
            self.push(d);
        }
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub(crate) fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by path, position, severity and message, duplicates removed: the order
    /// is deterministic whatever order the (possibly parallel) checks ran in. Files
    /// that refer to what others define come last (see [`after_definitions`]), so that
    /// a root cause is read before what it causes.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| after_definitions(&a.path).cmp(&after_definitions(&b.path)).then_with(|| a.cmp(b)));
        self.items.dedup();
        self.items
    }

    /// Changes every diagnostic in place (say, to name where in a file it is).
    pub(crate) fn edit(&mut self, f: impl FnMut(&mut Diagnostic)) {
        self.items.iter_mut().for_each(f);
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Maps every item in parallel, each with diagnostics of its own, and merges those
/// into `diags` in item order, so what is reported never depends on scheduling.
pub(crate) fn par_map_with<I, R>(
    items: I,
    diags: &mut Diagnostics,
    f: impl Fn(I::Item, &mut Diagnostics) -> R + Sync + Send,
) -> Vec<R>
where
    I: rayon::iter::IndexedParallelIterator,
    R: Send,
{
    use rayon::iter::ParallelIterator as _;
    let done: Vec<(R, Diagnostics)> = items
        .map(|item| {
            let mut own = Diagnostics::new();
            let r = f(item, &mut own);
            (r, own)
        })
        .collect();
    done.into_iter()
        .map(|(r, own)| {
            diags.extend(own);
            r
        })
        .collect()
}

/// Whether diagnostics of `path` are printed after all others: the measurement files
/// (`data/metrics/`, complaints, surveys, actions) name people, teams, KPIs and
/// roles that the site's definitions define, so a mistake in a definition comes
/// first and the echoes of it, if any, after.
fn after_definitions(path: &str) -> bool {
    crate::base::layout::is_measurement(path)
}

/// Renders diagnostics for a terminal: `PATH:LINE:COL: error: MESSAGE`, then the source
/// line with a caret under the column, then the hint. Source lines are read from
/// `root`; a file that cannot be read is rendered without its line.
pub(crate) fn render(root: &Path, diagnostics: &[Diagnostic]) -> String {
    let mut sources: BTreeMap<&str, Option<Source>> = BTreeMap::new();
    let mut out = String::new();
    // A direction override quoted from a file (in a path, a message, a source line)
    // would turn the terminal's line around: such characters are shown as `‹U+202E›`.
    use crate::base::text_safety::reveal_for_terminal as shown;
    for d in diagnostics {
        let _ = write!(out, "{}", shown(&d.path));
        if d.pos.line > 0 {
            let _ = write!(out, ":{}:{}", d.pos.line, d.pos.col);
        }
        let _ = writeln!(out, ": {}: {}", d.severity.as_str(), shown(&d.message));
        if d.pos.line > 0 {
            let source = sources.entry(d.path.as_str()).or_insert_with(|| Source::read(&root.join(&d.path)));
            if let Some(line) = source.as_ref().and_then(|s| s.line(d.pos.line)) {
                out.push_str(&snippet(line, d.pos));
            }
        }
        if let Some(help) = &d.help {
            let _ = writeln!(out, "      = help: {}", shown(help));
        }
    }
    out
}

/// A file quoted by diagnostics, with where each line starts, so that quoting many
/// lines of a large file costs one read and a look-up each.
struct Source {
    text: String,
    starts: Vec<usize>,
}

impl Source {
    /// Regular files only (a named pipe would block), read once; `None` if unreadable.
    fn read(path: &Path) -> Option<Source> {
        if !std::fs::metadata(path).ok()?.is_file() {
            return None;
        }
        let text = std::fs::read_to_string(path).ok()?;
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect();
        Some(Source { text, starts })
    }

    /// Line `n` (from 1), without its line end.
    fn line(&self, n: usize) -> Option<&str> {
        let start = *self.starts.get(n - 1)?;
        let end = self.starts.get(n).map_or(self.text.len(), |&e| e - 1);
        Some(self.text[start..end.max(start)].trim_end_matches('\r'))
    }
}

/// Longest stretch of a source line quoted under a diagnostic, in characters.
const SHOWN_CHARS: usize = 100;

/// The quoted source line and a caret under column `pos.col`, aligned by display
/// width so that it lands correctly under Chinese (double-width) text. A long line is
/// cut to the stretch around the column, with `…` where it was cut. Tabs show as four
/// spaces, invisible and direction-changing characters as `‹U+200B›` (the caret then
/// points at one of them, not at the character after it).
fn snippet(line: &str, pos: Pos) -> String {
    use unicode_width::UnicodeWidthChar;
    let line = line.trim_end_matches('\r');
    let col = pos.col.saturating_sub(1);
    let count = line.chars().count();
    let (skip, cut_start, cut_end) = if count <= SHOWN_CHARS {
        (0, false, false)
    } else {
        let skip = col.saturating_sub(SHOWN_CHARS / 2).min(count - SHOWN_CHARS);
        (skip, skip > 0, skip + SHOWN_CHARS < count)
    };
    let mut shown = String::from(if cut_start { "…" } else { "" });
    let mut before = usize::from(cut_start);
    let mut buf = [0u8; 4];
    for (i, c) in line.chars().skip(skip).take(SHOWN_CHARS).enumerate() {
        let piece = if c == '\t' {
            "    ".into()
        } else {
            crate::base::text_safety::reveal_for_terminal(c.encode_utf8(&mut buf))
        };
        if i < col - skip.min(col) {
            before += piece.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
        }
        shown.push_str(&piece);
    }
    if cut_end {
        shown.push('…');
    }
    let gutter = pos.line.to_string().len().max(4);
    format!("{:>gutter$} | {shown}\n{:>gutter$} | {}^\n", pos.line, "", " ".repeat(before))
}

/// One diagnostic as a JSON object: severity, code, path, line, column, message (and
/// help when there is one). Line and column are `null` for a problem with a whole file.
pub(crate) fn to_json(d: &Diagnostic) -> String {
    let (line, column) = if d.pos.line == 0 { (None, None) } else { (Some(d.pos.line), Some(d.pos.col)) };
    let mut v = serde_json::json!({
        "severity": d.severity.as_str(),
        "code": d.code,
        "path": d.path,
        "line": line,
        "column": column,
        "message": d.message,
    });
    if let Some(help) = &d.help {
        v["help"] = serde_json::Value::String(help.clone());
    }
    v.to_string()
}

/// One diagnostic as a GitHub Actions workflow command, so it shows on the pull request.
pub(crate) fn to_github(d: &Diagnostic) -> String {
    // Workflow-command escaping: data escapes %, CR, LF; properties also : and ,.
    let data = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| data(s).replace(':', "%3A").replace(',', "%2C");
    let mut props = format!("file={}", prop(&d.path));
    if d.pos.line > 0 {
        props.push_str(&format!(",line={},col={}", d.pos.line, d.pos.col));
    }
    props.push_str(&format!(",title={}", prop(d.code)));
    let message = match &d.help {
        Some(h) => format!("{} ({h})", d.message),
        None => d.message.clone(),
    };
    format!("::{} {props}::{}", d.severity.as_str(), data(&message))
}

/// The closest candidate to `word` if it is plausibly a typo of it.
/// An id that names nothing the site defines (see [`Diagnostics::unknown`]).
pub(crate) struct Unknown<'a> {
    /// The stable diagnostic code, `unknown-kpi`.
    pub(crate) code: &'static str,
    /// What the id should name: `KPI`, `team`, `complaint type`.
    pub(crate) what: &'a str,
    pub(crate) id: &'a str,
    /// The field it was read from, when the message names it: `owner`.
    pub(crate) field: Option<&'a str>,
    /// Where such ids come from, or why none matches: `it is not defined in data/kpis.yaml`.
    pub(crate) why: Option<&'a str>,
}

impl Unknown<'_> {
    /// `` `owner`: unknown role `x`: there is no role document with that id ``.
    pub(crate) fn message(&self) -> String {
        let field = self.field.map_or_else(String::new, |f| format!("`{f}`: "));
        let why = self.why.map_or_else(String::new, |w| format!(": {w}"));
        format!("{field}unknown {} `{}`{why}", self.what, self.id)
    }
}

/// "did you mean `x`?" when `word` is a near miss of one of `candidates`.
pub(crate) fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(word, candidates).map(|m| format!("did you mean `{m}`?"))
}

pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The most errors reported for one data or measurement file; a file with more gets one
/// last error saying so, at the first one not shown, and is not read further than
/// needed. Keeps the memory and output of a run bounded when every row of a large
/// export is wrong.
pub(crate) const MAX_FILE_ERRORS: usize = 100;

/// Moves the diagnostics `found` in one file into `diags`: every warning, and the first
/// [`MAX_FILE_ERRORS`] errors, then one error at the next error's position.
pub(crate) fn merge_capped(found: Diagnostics, diags: &mut Diagnostics) {
    let mut errors = 0;
    for d in found.iter() {
        if d.severity == Severity::Error {
            errors += 1;
            if errors > MAX_FILE_ERRORS {
                diags.error(
                    &d.path,
                    d.pos,
                    "too-many-errors",
                    format!("more errors follow; only the first {MAX_FILE_ERRORS} of a file are reported"),
                );
                return;
            }
        }
        diags.push(d.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_to_position_counts_characters_not_bytes() {
        let text = "---\ntitle: 服务\nowner: 前台\n";
        let off = text.find("前台").unwrap();
        assert_eq!(Pos::of_offset(text, off), Pos::new(3, 8));
        assert_eq!(Pos::of_offset(text, 0), Pos::new(1, 1));
    }

    #[test]
    fn positions_in_one_pass_match_offset_by_offset() {
        let text = "第一行 [X]\r\nsecond [X] line\n\n服务 [X]";
        let offsets: Vec<usize> = text.match_indices("[X]").map(|(i, _)| i).collect();
        let mut at = Positions::new(text, 3);
        let ascending: Vec<Pos> = offsets.iter().map(|&o| at.at(o)).collect();
        assert_eq!(ascending, vec![Pos::new(3, 5), Pos::new(4, 8), Pos::new(6, 4)]);
        for &o in offsets.iter().rev() {
            let p = Pos::of_offset(text, o);
            assert_eq!(at.at(o), Pos::new(p.line + 2, p.col), "offset {o} asked out of order");
        }
        // Inside a character and past the end, like `of_offset`.
        assert_eq!(Positions::new(text, 1).at(1), Pos::new(1, 1));
        assert_eq!(Positions::new(text, 1).at(usize::MAX), Pos::of_offset(text, usize::MAX));
    }

    #[test]
    fn caret_aligns_under_wide_characters() {
        let s = snippet("标题: x", Pos::new(7, 5));
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "   7 | 标题: x");
        // "标题: " is 2+2+1+1 = 6 columns wide before the x.
        assert_eq!(lines[1], "     |       ^");
    }

    #[test]
    fn definitions_come_before_the_measurements_that_name_them() {
        let mut d = Diagnostics::new();
        for path in
            ["data/surveys.csv", "data/metrics/values.csv", "data/org.yaml", "content/a.md", "data/metricsx.yaml"]
        {
            d.error(path, Pos::new(1, 1), "x", "m");
        }
        let order: Vec<String> = d.into_sorted().into_iter().map(|d| d.path).collect();
        assert_eq!(
            order,
            ["content/a.md", "data/metricsx.yaml", "data/org.yaml", "data/metrics/values.csv", "data/surveys.csv"]
        );
    }

    #[test]
    fn invisible_and_direction_characters_are_shown_not_obeyed() {
        // The caret points at the zero-width space, shown as what it is.
        let s = snippet("  - {id: p0\u{200B}1, name: 张\u{202E}敏}", Pos::new(6, 12));
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "   6 |   - {id: p0‹U+200B›1, name: 张‹U+202E›敏}");
        assert_eq!(lines[1], "     |            ^");
        let d = Diagnostic {
            path: "content/a\u{202E}b.md".into(),
            pos: Pos::FILE,
            severity: Severity::Error,
            code: "x",
            message: "name `\u{2067}x`".into(),
            help: Some("y\u{200F}".into()),
        };
        let out = render(Path::new("/nonexistent"), &[d]);
        assert_eq!(out, "content/a‹U+202E›b.md: error: name `‹U+2067›x`\n      = help: y‹U+200F›\n");
    }

    #[test]
    fn long_lines_are_quoted_around_the_column() {
        let line = format!("{}错{}", "a".repeat(500), "b".repeat(500));
        let s = snippet(&line, Pos::new(1, 501));
        let lines: Vec<&str> = s.lines().collect();
        let shown = lines[0].strip_prefix("   1 | ").unwrap();
        assert_eq!(shown, format!("…{}错{}…", "a".repeat(50), "b".repeat(49)));
        // The caret sits under 错: "…" and 50 a's before it.
        assert_eq!(lines[1], format!("     | {}^", " ".repeat(51)));
        // At the start of a long line nothing is cut before.
        let s = snippet(&line, Pos::new(1, 1));
        assert!(s.lines().next().unwrap().starts_with("   1 | aaa") && s.contains("…\n"));
        assert_eq!(s.lines().nth(1).unwrap(), "     | ^");
    }

    #[test]
    fn machine_formats_are_stable() {
        let d = Diagnostic {
            path: "content/standards/a.md".into(),
            pos: Pos::new(4, 8),
            severity: Severity::Error,
            code: "unknown-owner",
            message: "unknown owner `x`: 50%, see\nnext".into(),
            help: Some("did you mean `y`?".into()),
        };
        assert_eq!(
            to_json(&d),
            r#"{"code":"unknown-owner","column":8,"help":"did you mean `y`?","line":4,"message":"unknown owner `x`: 50%, see\nnext","path":"content/standards/a.md","severity":"error"}"#
        );
        assert_eq!(
            to_github(&d),
            "::error file=content/standards/a.md,line=4,col=8,title=unknown-owner::unknown owner `x`: 50%25, see%0Anext (did you mean `y`?)"
        );
        let file_level = Diagnostic { pos: Pos::FILE, severity: Severity::Warning, help: None, ..d };
        assert!(to_json(&file_level).contains(r#""column":null"#) && to_json(&file_level).contains(r#""line":null"#));
        assert!(to_github(&file_level).starts_with("::warning file=content/standards/a.md,title=unknown-owner::"));
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let keys = ["title", "owner", "audience"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("audiance", keys), Some("audience"));
        assert_eq!(did_you_mean("colour", keys), None);
    }

    #[test]
    fn unknown_ids_read_alike_with_a_near_miss_suggested() {
        let mut d = Diagnostics::new();
        let u = Unknown {
            code: "unknown-kpi",
            what: "KPI",
            id: "satisfacton",
            field: None,
            why: Some("it is not defined in data/kpis.yaml"),
        };
        assert!(d.unknown("data/metrics/m.csv", Pos::new(2, 5), u, ["satisfaction", "nps"]));
        let u = Unknown { code: "unknown-role", what: "role", id: "zz", field: Some("owner"), why: None };
        assert!(!d.unknown("data/actions.yaml", Pos::new(1, 3), u, ["front-desk"]));
        let got: Vec<(String, Option<String>)> = d.iter().map(|d| (d.message.clone(), d.help.clone())).collect();
        assert_eq!(
            got,
            [
                (
                    "unknown KPI `satisfacton`: it is not defined in data/kpis.yaml".to_string(),
                    Some("did you mean `satisfaction`?".to_string())
                ),
                ("`owner`: unknown role `zz`".to_string(), None),
            ]
        );
    }
}
