//! Names and ids that cannot deceive: an id holding an invisible or direction-changing
//! character is one error at that character, reported before the files that refer to
//! it, with no echoes; a display name holding a direction override is isolated
//! wherever it lands (`<bdi>` in HTML, U+2068 … U+2069 in `<title>`, attributes, SVG
//! and the search index), so it cannot turn the text around it.
//!
//! The sites are the `valid/data` + `valid/reports` fixtures with the characters put in
//! here, written as escapes, so that no invisible character hides in a fixture file.

use crate::common::*;
use std::path::Path;

const ZWSP: char = '\u{200B}';
const RLO: char = '\u{202E}';
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// The reports site with `edit` applied to its `data/org.yaml`.
fn site_with_org(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let site = site_with(&["valid/data", "valid/reports"]);
    let org = site.path().join("data/org.yaml");
    let text = read(&org);
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit must change org.yaml");
    std::fs::write(&org, edited).unwrap();
    site
}

/// 150 rows of `subject`'s satisfaction, one a month from 2014-01 on.
fn metrics_rows(site: &Path, subject: &str, extra: &str) {
    let mut csv = String::from("period,subject,kpi,value\n");
    for i in 0..150 {
        csv.push_str(&format!("{}-{:02},{subject},satisfaction,4.0\n", 2014 + i / 12, i % 12 + 1));
    }
    csv.push_str(extra);
    std::fs::write(site.join("data/metrics/values.csv"), csv).unwrap();
}

fn error_lines(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.contains(": error: ") || l.contains(": warning: ")).collect()
}

#[test]
fn an_invisible_character_in_a_person_id_is_one_error_at_it_and_nothing_else() {
    let site = site_with_org(|t| t.replace("{id: p01,", &format!("{{id: p0{ZWSP}1,")));
    metrics_rows(site.path(), "p01", "");
    let root = site.path().to_str().unwrap();

    let o = charter(&["check", "--root", root]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    // `  - {id: p0` is 11 characters: the zero-width space is in column 12.
    assert_eq!(
        error_lines(&err),
        ["data/org.yaml:6:12: error: person id `p0‹U+200B›1` contains an invisible character U+200B ZERO WIDTH \
          SPACE at column 12; ids may not contain invisible or direction-changing characters"],
        "{err}"
    );
    assert!(err.starts_with("data/org.yaml:6:12: error: "), "reported first:\n{err}");
    assert!(!err.contains("unknown subject") && !err.contains("did you mean"), "echoes:\n{err}");
    // The quoted line shows the character, and the caret points at it.
    assert!(err.contains("   6 |   - {id: p0‹U+200B›1, name: 张敏"), "{err}");
    assert!(err.contains("\n     |            ^\n"), "{err}");
    assert!(err.contains("help: delete it: without it the id reads `p01`"), "{err}");
    assert!(err.contains("error: 1 error(s), 0 warning(s)"), "{err}");

    // The same one diagnostic for machines.
    let o = charter(&["check", "--root", root, "--format", "json"]);
    let lines: Vec<serde_json::Value> =
        stdout(&o).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["code"], "invisible-character");
    assert_eq!((lines[0]["line"].as_u64(), lines[0]["column"].as_u64()), (Some(6), Some(12)));
    assert_eq!(lines[0]["path"], "data/org.yaml");
}

#[test]
fn direction_changing_references_in_org_yaml_are_one_error_each_at_the_character() {
    // A team's department and a person's team and role, each with a character hidden
    // (the quoted one a column further right: the quote comes first).
    let site = site_with_org(|t| {
        t.replace("department: front,", &format!("department: fr{RLO}ont,"))
            .replace(
                "role: specialist, team: desk-a}\n  - {id: p02",
                &format!("role: specialist, team: '{ZWSP}desk-a'}}\n  - {{id: p02"),
            )
            .replace(
                "{id: p02, name: 李强, role: specialist",
                &format!("{{id: p02, name: 李强, role: spe{ZWSP}cialist"),
            )
    });
    let o = charter(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(
        error_lines(&err),
        [
            "data/org.yaml:4:44: error: department reference `fr‹U+202E›ont` contains a direction-changing character \
             U+202E RIGHT-TO-LEFT OVERRIDE at column 44; ids may not contain invisible or direction-changing characters",
            "data/org.yaml:6:50: error: team reference `‹U+200B›desk-a` contains an invisible character U+200B ZERO \
             WIDTH SPACE at column 50; ids may not contain invisible or direction-changing characters",
            "data/org.yaml:7:34: error: role reference `spe‹U+200B›cialist` contains an invisible character U+200B \
             ZERO WIDTH SPACE at column 34; ids may not contain invisible or direction-changing characters",
        ],
        "{err}"
    );
    assert!(!err.contains("unknown") && !err.contains("did you mean"), "echoes:\n{err}");
}

#[test]
fn root_causes_are_printed_before_the_files_that_refer_to_them() {
    let site = site_with_org(|t| t.replace("{id: p02,", &format!("{{id: p{ZWSP}02,")));
    metrics_rows(site.path(), "p01", "2026-06,nobody,satisfaction,4.0\n");
    std::fs::write(site.path().join("data/surveys.csv"), "date,team,score\n2026-06-03,desk-b,10\n").unwrap();
    let o = charter(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&o);
    let lines = error_lines(&err);
    assert_eq!(lines.len(), 3, "{err}");
    // Definitions first (org.yaml), then the measurements that name what they define,
    // although `data/metrics/` sorts before `data/org.yaml`.
    assert!(lines[0].starts_with("data/org.yaml:7:11: error: person id `p‹U+200B›02`"), "{err}");
    assert!(lines[1].starts_with("data/metrics/values.csv:152:9: error: unknown subject `nobody`"), "{err}");
    assert!(lines[2].starts_with("data/surveys.csv:2:12: error:"), "{err}");
}

/// Where the isolate (U+2066–U+2068 … U+2069) around byte `at` of `text` is closed:
/// `None` when `at` is not inside one. `text` is one run of text (no tags).
fn isolate_end(text: &str, at: usize) -> Option<usize> {
    let mut depth = 0usize;
    for c in text[..at].chars() {
        match c {
            '\u{2066}'..='\u{2068}' => depth += 1,
            PDI => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if depth == 0 {
        return None;
    }
    let mut d = depth;
    for (i, c) in text[at..].char_indices() {
        match c {
            '\u{2066}'..='\u{2068}' => d += 1,
            PDI if d == depth => return Some(at + i),
            PDI => d -= 1,
            _ => {}
        }
    }
    None
}

/// Whether byte `at` of an HTML page is inside a `<bdi>` element, or inside an isolate
/// closed within the same run of text or attribute value.
fn isolated_in_html(html: &str, at: usize) -> bool {
    let before = &html[..at];
    if before.matches("<bdi").count() > before.matches("</bdi>").count() {
        return true;
    }
    let start = before.rfind(['>', '"']).map_or(0, |i| i + 1);
    let end = html[at..].find(['<', '"']).map_or(html.len(), |i| at + i);
    isolate_end(&html[start..end], at - start).is_some()
}

fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn names_with_a_direction_override_are_isolated_wherever_they_land() {
    let person = format!("张{RLO}敏");
    let team = format!("前台{RLO}一组");
    let department = format!("前台{RLO}接待部");
    let site = site_with_org(|t| {
        t.replace("name: 张敏", &format!("name: {person}"))
            .replace("name: 前台一组", &format!("name: {team}"))
            .replace("name: 前台接待部", &format!("name: {department}"))
    });
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", "2026-07-15"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = site.path().join("site");

    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let mut raw = Vec::new();
    for (rel, bytes) in tree(&out) {
        let Ok(text) = String::from_utf8(bytes) else { continue };
        if !text.contains(RLO) {
            continue;
        }
        for name in [&person, &team, &department] {
            *seen.entry(name.clone()).or_default() += text.matches(name.as_str()).count();
        }
        if rel.ends_with(".json") {
            let mut found = Vec::new();
            strings(&serde_json::from_str(&text).unwrap(), &mut found);
            for s in found {
                for (at, _) in s.match_indices(RLO) {
                    // An excerpt may end inside an isolate: the search box closes it.
                    let open = s[..at].matches(FSI).count() > s[..at].matches(PDI).count();
                    if !open {
                        raw.push(format!("{rel}: {s:?}"));
                    }
                }
            }
        } else {
            for (at, _) in text.match_indices(RLO) {
                if !isolated_in_html(&text, at) {
                    let from = text[..at].char_indices().rev().nth(60).map_or(0, |(i, _)| i);
                    let to = text[at..].char_indices().nth(40).map_or(text.len(), |(i, _)| at + i);
                    raw.push(format!("{rel}: …{}…", &text[from..to]));
                }
            }
        }
    }
    assert!(raw.is_empty(), "{} overrides outside an isolate:\n{}", raw.len(), raw.join("\n"));
    // The names did land: on the person's and the team's pages, in tables, links,
    // titles, charts and the search index.
    for (name, n) in &seen {
        assert!(*n >= 5, "{name:?} shown only {n} times");
    }

    let p01 = read(&out.join("internal/reports/people/p01/index.html"));
    assert!(p01.contains(&format!("<title>{FSI}{person}{PDI} · ")), "text-only title: isolates");
    assert!(p01.contains(&format!("<h1><bdi dir=\"auto\">{person}</bdi></h1>")), "heading: alone, dir=auto");
    assert!(p01.contains(&format!("<li aria-current=\"page\"><bdi>{person}</bdi></li>")), "breadcrumb");
    let team_page = read(&out.join("internal/reports/teams/desk-a/index.html"));
    assert!(team_page.contains(&format!("<a href=\"../../people/p01/\"><bdi dir=\"auto\">{person}</bdi></a>")));
    // Bar labels in a chart are names alone: each between the isolates.
    let kpi = read(&out.join("internal/reports/kpis/satisfaction/index.html"));
    assert!(kpi.contains(&format!("{FSI}{team}{PDI}\n</text>")), "bar label");
}
