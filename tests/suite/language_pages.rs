//! Issue 22: the pages Charter generates — the KPI dictionary, the public performance
//! page, the reports, the changelog and the governance page — speak the language of
//! the site they are in. The example's English copy (`en/`) shows the service data's
//! English words: KPI, team, department, scorecard and complaint-type names, action
//! titles, units after their numbers (`36 hours`, `1 point`), parameter labels in the
//! changelog; people's names stay as written.

use std::collections::BTreeMap;

use crate::common::{read, repo_root, tree};
use crate::example_site::built_example;

/// The generated pages' folders, in each language's copy of a site.
const GENERATED: [&str; 5] = ["kpis/", "performance/", "reports/", "changelog/", "governance/"];

/// Han ideographs, CJK punctuation and full-width forms: what an English page must
/// not show.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// The `<main>` of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

/// The text of `html`, tags removed (a chart's `<title>` and `<desc>` are text too),
/// a piece per run of text between tags.
fn text_of(html: &str) -> Vec<String> {
    let mut text = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let piece = rest[..lt].trim();
        if !piece.is_empty() {
            text.push(piece.replace("&amp;", "&").replace("&quot;", "\"").replace("&#x27;", "'"));
        }
        rest = &rest[rest[lt..].find('>').map_or(rest.len(), |g| lt + g + 1)..];
    }
    if !rest.trim().is_empty() {
        text.push(rest.trim().to_string());
    }
    text
}

/// The text of the first element of `html` opened by `open` (`<h1`, `<p class="lead"`).
fn element_text(html: &str, open: &str, close: &str) -> Option<String> {
    let start = html.find(open)?;
    let end = start + html[start..].find(close)?;
    Some(text_of(&html[start..end]).concat())
}

/// What the data records as it was written, in no language of its own: people's names
/// (`data/org.yaml`) and complaint channels (`data/complaints.csv`).
fn as_recorded() -> Vec<String> {
    let org = read(&repo_root().join("data/org.yaml"));
    let mut out: Vec<String> = org
        .lines()
        .filter(|l| l.contains("{id: p"))
        .filter_map(|l| l.split("name: ").nth(1)?.split(',').next().map(str::to_string))
        .collect();
    let complaints = read(&repo_root().join("data/complaints.csv"));
    out.extend(complaints.lines().skip(1).filter_map(|l| l.split(',').nth(2).map(str::to_string)));
    out.sort();
    out.dedup();
    out
}

/// Releases whose data has no English words: their English copies read the data in the
/// default language, as a word without a form does on a generated page.
fn releases_without_english() -> Vec<String> {
    let versions = repo_root().join("versions");
    let mut out: Vec<String> = std::fs::read_dir(&versions)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("data/kpis.yaml").is_file())
        .filter(|e| !read(&e.path().join("data/kpis.yaml")).contains(" en: "))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    out.sort();
    out
}

/// The CJK text left on the generated pages under `en/` of `site`, by page, once the
/// allowed exceptions are taken out:
/// (a) what the data records as written: people's names and complaint channels;
/// (b) pages shown untranslated (they carry the `language-banner`), and the titles and
///     summaries of such pages wherever a generated page names them (a role page
///     without an English translation is named by its Chinese title, as its own page is);
/// (c) release notes, which `versions/versions.yaml` writes in one language;
/// (d) redlines (`changelog/VERSION/ID/`), which show the standards' own text, the
///     older release's side from before it was translated;
/// (e) releases whose data has no English words (`versions/2025.1/data`).
fn cjk_left(files: &BTreeMap<String, Vec<u8>>, site: &str, recorded: &[String]) -> BTreeMap<String, Vec<String>> {
    let old_releases = releases_without_english();
    // (b) the titles and summaries of the pages shown untranslated, as their own pages
    // show them.
    let mut titles: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.starts_with(&format!("{site}/")) && p.ends_with("index.html"))
        .map(|(_, b)| String::from_utf8_lossy(b))
        .filter(|html| html.contains("language-banner"))
        .flat_map(|html| [element_text(&html, "<h1", "</h1>"), element_text(&html, "<p class=\"lead\"", "</p>")])
        .flatten()
        .collect();
    // Longest first, so a title holding another is taken out whole.
    titles.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    titles.dedup();
    let mut out = BTreeMap::new();
    for (path, bytes) in files {
        let Some(rel) = path.strip_prefix(&format!("{site}/")) else { continue };
        // Each language's folder: `en/…` and, in releases, `VERSION/en/…`.
        let Some(at) = rel.find("en/").filter(|&i| i == 0 || rel[..i].ends_with('/')) else { continue };
        let inner = &rel[at + 3..];
        if !path.ends_with("index.html") || !GENERATED.iter().any(|g| inner.starts_with(g)) {
            continue;
        }
        // (d) and (e).
        let redline = inner.starts_with("changelog/") && inner.split('/').count() == 4;
        if redline || old_releases.iter().any(|r| rel.starts_with(&format!("{r}/"))) {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        if html.contains("language-banner") {
            continue;
        }
        // (c) the release notes, which follow their label.
        let main = main_of(&html);
        let mut left = Vec::new();
        let mut notes = false;
        for mut t in text_of(main) {
            if std::mem::replace(&mut notes, t.starts_with("Release notes")) {
                continue;
            }
            for name in recorded.iter().chain(&titles) {
                t = t.replace(name.as_str(), "");
            }
            if t.chars().any(is_cjk) {
                left.push(t);
            }
        }
        if !left.is_empty() {
            out.insert(path.clone(), left);
        }
    }
    out
}

#[test]
fn generated_pages_in_english_hold_no_chinese_but_names_and_untranslated_titles() {
    let site = built_example();
    let files = tree(&site.path().join("site"));
    let recorded = as_recorded();
    assert!(recorded.contains(&"周建国".to_string()) && recorded.contains(&"社交媒体".to_string()), "{recorded:?}");
    assert_eq!(releases_without_english(), ["2025.1"]);
    let mut seen = 0;
    for s in ["public", "internal", "managers"] {
        let left = cjk_left(&files, s, &recorded);
        assert!(left.is_empty(), "Chinese on English generated pages of {s}:\n{left:#?}");
        seen += files.keys().filter(|p| p.starts_with(&format!("{s}/en/")) && p.ends_with("index.html")).count();
    }
    assert!(seen > 100, "the English copies should hold the generated pages ({seen})");
}

/// The page at `path` of the built example, as text.
fn page(path: &str) -> String {
    read(&built_example().path().join("site").join(path))
}

#[test]
fn english_generated_pages_read_the_data_in_english() {
    let has = |path: &str, wanted: &[&str]| {
        let text = page(path);
        for w in wanted {
            assert!(
                text.contains(w),
                "{path} lacks {w:?}:\n{}",
                if path.ends_with(".csv") { &text } else { main_of(&text) }
            );
        }
    };
    // The KPI dictionary: name, definition, targets, units after one and after others.
    has("public/en/kpis/response_hours/index.html", &["Complaint response time", "≤ 24 hours"]);
    has("public/en/kpis/index.html", &["Customer satisfaction", "≥ 4.2 points"]);
    has(
        "internal/en/kpis/first_response_minutes/index.html",
        &["Warning band: Missing the target by no more than 1 minute counts as a warning"],
    );
    // The public performance page: each public KPI's heading and chart.
    has("public/en/performance/index.html", &["Customer satisfaction", "Complaint response time"]);
    // Reports: team, department, scorecard, complaint type with its dated limits, action.
    has(
        "internal/en/reports/teams/support-a/index.html",
        &["Customer service team A", "Department: Customer Support Department"],
    );
    has("managers/en/reports/index.html", &["Monthly customer service specialist assessment", "Customer satisfaction"]);
    has(
        "internal/en/reports/complaints/index.html",
        &[
            "Product quality",
            "Time limit: 48 hours (from 2025-01-01); 36 hours (from 2026-01-01) · Goal for handling within the limit: 90%",
        ],
    );
    has(
        "internal/en/reports/actions/index.html",
        &["Open another front desk service counter", "Customer Support Department"],
    );
    // The CSV beside a table is the table's words.
    has("internal/en/reports/kpis/satisfaction/teams.csv", &["Customer service team A,", " points,"]);
    // A role page's scorecard block.
    has("internal/en/roles/customer-support/index.html", &["Overall service quality score"]);
    // The changelog: a parameter's label and values (the older release's value in the
    // newer one's English unit), a KPI target's change, the release notes' label.
    has(
        "public/en/changelog/index.html",
        &[
            "Complaints about product quality: 48 hours → 36 hours",
            "Customer satisfaction (from 2026-01): ≥ 4 points → ≥ 4.2 points",
            "Release notes: ",
        ],
    );
    // The Chinese copy reads as it did.
    has("public/changelog/index.html", &["产品质量类投诉：48 小时 → 36 小时", "发布说明："]);
    has("internal/reports/teams/support-a/index.html", &["客服一组", "部门：客户支持部"]);
}

/// The charts of English report pages stay well-formed SVG, with the data's English
/// words in their titles, descriptions and labels.
#[test]
fn english_charts_are_valid_svg_in_english() {
    for path in ["internal/en/reports/kpis/satisfaction/index.html", "public/en/performance/index.html"] {
        let html = page(path);
        let mut rest = html.as_str();
        let mut svgs = Vec::new();
        while let Some(i) = rest.find("<svg") {
            let end = i + rest[i..].find("</svg>").expect("a closed <svg>") + 6;
            svgs.push(&rest[i..end]);
            rest = &rest[end..];
        }
        assert!(!svgs.is_empty(), "{path}: no chart");
        let mut labels = Vec::new();
        for svg in &svgs {
            let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{path}: {e}\n{svg}"));
            assert!(!svg.chars().any(is_cjk), "{path}: Chinese in a chart:\n{svg}");
            let isolates: &[char] = &['\u{2068}', '\u{2069}'];
            labels.extend(
                doc.descendants()
                    .filter(|n| n.has_tag_name("text"))
                    .filter_map(|n| n.text())
                    .map(|t| t.trim().trim_matches(isolates).to_string()),
            );
        }
        assert!(svgs.iter().any(|s| s.contains("Customer satisfaction")), "{path}");
        if path.contains("/reports/kpis/") {
            assert!(labels.iter().any(|l| l == "Customer service team A"), "{path}: {labels:?}");
        }
    }
}
