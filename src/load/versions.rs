//! Releases of the public handbook: `versions/versions.yaml` (version, date, notes, in
//! release order) and the frozen copies in `versions/VERSION/` — `content/` (pages and
//! the files beside them), `static/` and the service data that standards display (`params.yaml`, `kpis.yaml`,
//! `scorecards.yaml`; measurements are never frozen).
//!
//! Owns version names, the versions file and the `release` operation, which is the
//! only code that writes into `versions/`. It does not build anything: the caller
//! checks the working copy first.

use std::path::{Path, PathBuf};

use crate::base::date::Date;
use crate::base::diagnostics::Diagnostics;
use crate::formats::yaml::{self, Fields, Kind};
use crate::load::config::Language;

pub(crate) const VERSIONS_DIR: &str = "versions";
const VERSIONS_FILE: &str = "versions/versions.yaml";
/// The data files a release freezes.
const FROZEN_DATA: &[&str] = &["params.yaml", "kpis.yaml", "scorecards.yaml"];

/// One release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Release {
    pub(crate) version: String,
    pub(crate) date: Date,
    /// The notes as written once (`notes: …`), for every language.
    pub(crate) notes: String,
    /// The notes by language (`notes: {zh-CN: …, en: …}`), in the order written.
    pub(crate) notes_by: Vec<(Language, String)>,
}

impl Release {
    /// The notes readers of `language` read: theirs, else the `default` language's,
    /// else the notes written once.
    pub(crate) fn notes_in(&self, language: Language, default: Language) -> &str {
        let find = |l: Language| self.notes_by.iter().find(|(x, _)| *x == l).map(|(_, n)| n.as_str());
        find(language).or_else(|| find(default)).unwrap_or(&self.notes)
    }
}

/// A release's `notes`: a text, or a text per language (`{zh-CN: …, en: …}`), each key
/// a language Charter speaks.
fn notes(f: &mut Fields, file: &str, diags: &mut Diagnostics) -> (String, Vec<(Language, String)>) {
    let Some(node) = f.node("notes") else { return (String::new(), Vec::new()) };
    let Kind::Map(entries) = &node.kind else {
        return (f.string("notes", diags).map(|n| n.value).unwrap_or_default(), Vec::new());
    };
    let mut by = Vec::new();
    for (key, value) in entries {
        let tag = key.as_str().unwrap_or_default();
        let Some(language) = Language::from_tag(tag) else {
            let all = Language::ALL.iter().map(|l| format!("`{}`", l.tag())).collect::<Vec<_>>().join(", ");
            diags.error(
                file,
                key.pos,
                "bad-value",
                format!("release notes are written per language ({all}), found `{tag}`"),
            );
            continue;
        };
        match value.as_str() {
            Some(text) => by.push((language, text.to_string())),
            None => diags.error(file, value.pos, "bad-value", format!("the `{tag}` release notes must be text")),
        }
    }
    (String::new(), by)
}

/// Checks a version name: it becomes a folder of the public site, so it starts with a
/// digit (or `v` and a digit) and uses only letters, digits, `.` and `-`.
fn check_name(v: &str) -> Result<(), String> {
    let body = v.strip_prefix('v').unwrap_or(v);
    let ok = !v.is_empty()
        && v.len() <= 32
        && body.starts_with(|c: char| c.is_ascii_digit())
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !v.contains("..")
        && !v.ends_with('.');
    if ok {
        Ok(())
    } else {
        Err(format!("invalid version name `{v}`: use digits, letters, `.` and `-`, starting with a digit or `v` and a digit (e.g. 2026.1, v2)"))
    }
}

/// Loads `versions/versions.yaml` (absent: no releases), checking names, dates in
/// order and that each frozen folder exists.
pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> Vec<Release> {
    let file = VERSIONS_FILE;
    let max = yaml::MAX_YAML_BYTES as u64;
    let Some(text) = crate::load::data::read_source(&root.join(file), file, max, "YAML files", diags) else {
        return Vec::new();
    };
    let Some(node) = yaml::parse_file(&text, file, diags) else { return Vec::new() };
    let items = yaml::records(&node, file, "releases `{version, date, notes}`", diags);
    let mut out: Vec<Release> = Vec::new();
    for item in items {
        let Some(mut f) = Fields::new(item, file, "release", diags) else { continue };
        let version = f.required_string("version", diags);
        let date = f.date("date", diags);
        let (notes, notes_by) = notes(&mut f, file, diags);
        f.finish(diags, |_| None);
        let (Some(version), Some(date)) = (version, date) else { continue };
        if let Err(e) = check_name(&version.value) {
            diags.error(file, version.pos, "bad-version", e);
            continue;
        }
        if out.iter().any(|r| r.version == version.value) {
            diags.error(file, version.pos, "duplicate-version", format!("version `{}` is listed twice", version.value));
            continue;
        }
        if let Some(prev) = out.last() {
            if date.value < prev.date {
                diags.error(
                    file,
                    date.pos,
                    "bad-date",
                    format!(
                        "releases must be in date order: {} is before {} ({})",
                        date.value, prev.date, prev.version
                    ),
                );
            }
        }
        if !root.join(VERSIONS_DIR).join(&version.value).join("content").is_dir() {
            diags.error(
                file,
                version.pos,
                "missing-version",
                format!("versions/{}/content/ is missing: the release's frozen copy is gone", version.value),
            );
            continue;
        }
        out.push(Release { version: version.value, date: date.value, notes, notes_by });
    }
    out
}

/// What `charter release` asks for.
#[derive(Debug, Clone)]
pub(crate) struct ReleaseRequest {
    pub(crate) version: String,
    pub(crate) notes: String,
    pub(crate) date: Date,
}

/// Refusals that do not need the file system beyond the versions list.
pub(crate) fn check_request(req: &ReleaseRequest, existing: &[Release], root: &Path) -> Result<(), String> {
    check_name(&req.version)?;
    if existing.iter().any(|r| r.version == req.version) || root.join(VERSIONS_DIR).join(&req.version).exists() {
        return Err(format!("version `{}` already exists; releases are never overwritten", req.version));
    }
    if let Some(newest) = existing.last() {
        if req.date < newest.date {
            return Err(format!(
                "release date {} is older than the newest release {} ({})",
                req.date, newest.version, newest.date
            ));
        }
    }
    if root.join("content").join(&req.version).exists() {
        return Err(format!("version `{}` would collide with the section content/{}/", req.version, req.version));
    }
    Ok(())
}

/// Freezes the working copy as `req.version`: copies `content/`, `static/` and the displayed data
/// into `versions/VERSION/` (via a temporary folder renamed into place) and appends
/// the release to `versions/versions.yaml`.
pub(crate) fn release(root: &Path, req: &ReleaseRequest, existing: &[Release]) -> Result<Release, String> {
    check_request(req, existing, root)?;
    let dir = root.join(VERSIONS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tmp = dir.join(format!(".{}.tmp-{}", req.version, std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| {
        copy_dir(&root.join("content"), &tmp.join("content"))?;
        // The static files as they were. Like internal pages, `static/internal/` is
        // frozen so that the release's internal pages still check, and never published
        // from a release (releases make the public site only).
        let statics = root.join(crate::load::files::STATIC_DIR);
        if statics.is_dir() {
            copy_dir(&statics, &tmp.join(crate::load::files::STATIC_DIR))?;
        }
        for f in FROZEN_DATA {
            let from = root.join("data").join(f);
            if from.is_file() {
                std::fs::create_dir_all(tmp.join("data")).map_err(|e| e.to_string())?;
                std::fs::copy(&from, tmp.join("data").join(f))
                    .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
            }
        }
        std::fs::rename(&tmp, dir.join(&req.version))
            .map_err(|e| format!("cannot create versions/{}: {e}", req.version))
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let file = root.join(VERSIONS_FILE);
    let mut text = std::fs::read_to_string(&file).unwrap_or_else(|_| {
        "# Releases of the public handbook, oldest first (written by `charter release`).\n".to_string()
    });
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "- version: {}\n  date: {}\n  notes: {}\n",
        quote(&req.version),
        req.date,
        quote(&req.notes)
    ));
    std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(Release { version: req.version.clone(), date: req.date, notes: req.notes.clone(), notes_by: Vec::new() })
}

/// A double-quoted YAML scalar (JSON string syntax, which YAML accepts).
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(from).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| e.to_string())?;
        let rel = entry.path().strip_prefix(from).map_err(|e| e.to_string())?;
        let dest: PathBuf = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest).map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names() {
        for ok in ["2026.1", "v2", "1", "2025-01", "3.0.1-rc1"] {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "next", "standards", "../x", "1/2", "v", "1..2", "1.", "版本1", "a1", " 1"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn notes_may_be_written_per_language() {
        let dir = tempfile::tempdir().unwrap();
        for v in ["2025.1", "2026.1"] {
            std::fs::create_dir_all(dir.path().join(format!("versions/{v}/content"))).unwrap();
        }
        let yaml = "- {version: \"2025.1\", date: 2025-01-01, notes: 首次发布}\n\
                    - version: \"2026.1\"\n  date: 2026-01-01\n  notes: {zh-CN: 时限缩短, en: Shorter time limits, fr: x}\n";
        std::fs::write(dir.path().join("versions/versions.yaml"), yaml).unwrap();
        let mut d = Diagnostics::new();
        let r = load(dir.path(), &mut d);
        let (zh, en) = (Language::ZhCn, Language::En);
        assert_eq!((r[0].notes_in(en, zh), r[0].notes_in(zh, zh)), ("首次发布", "首次发布"));
        assert_eq!((r[1].notes_in(en, zh), r[1].notes_in(zh, zh)), ("Shorter time limits", "时限缩短"));
        let all = d.into_sorted();
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].pos.line, all[0].pos.col), (4, 49));
        assert_eq!(all[0].message, "release notes are written per language (`zh-CN`, `en`), found `fr`");
    }

    #[test]
    fn notes_are_quoted_safely() {
        assert_eq!(quote("改为 \"36 小时\"\n第二行"), "\"改为 \\\"36 小时\\\"\\n第二行\"");
        let node = yaml::parse(&format!("notes: {}", quote("a: \"b\" # c")), 1).unwrap();
        let crate::formats::yaml::Kind::Map(m) = node.kind else { panic!() };
        assert_eq!(m[0].1.kind, crate::formats::yaml::Kind::Str("a: \"b\" # c".into()));
    }
}
