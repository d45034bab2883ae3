//! The report pages' work grows with the headcount, not its square: every report page
//! of a site with P people, then 2P, rendered for real (built-in theme), counting the
//! lookups the pages make of people, teams, members, score rows and KPI values
//! (`Lookup::probes`: one per lookup plus one per item handed back, or per item looked
//! at by a scan). A page per person that walks every person or every score row — as the
//! reports once did for names, rankings and score tables — makes doubling the people
//! quadruple the count.

use std::collections::BTreeMap;
use std::path::Path;

use crate::base::date::Date;
use crate::base::diagnostics::Diagnostics;
use crate::base::files::{Collect, OutputFile};
use crate::base::i18n::strings;
use crate::compute::computed::Computed;
use crate::compute::report::tests::{agent, org_data, values};
use crate::load::audience::Audience;
use crate::load::config::Config;
use crate::load::data::Data;
use crate::load::history::History;
use crate::markdown::shortcodes::Env;
use crate::render::charts::{Charts, SKIPPED};
use crate::render::{Inputs, View};

/// `people` agents in two teams, each measured on both KPIs of the scorecard for three
/// months, some passing and some failing (so rankings, stars and streaks all show).
fn organisation(people: usize) -> (Data, crate::load::measure::Measurements) {
    let mut data = org_data();
    data.org.people = (0..people).map(|i| agent(&format!("p{i}"), if i % 2 == 0 { "t1" } else { "t2" })).collect();
    let ids: Vec<String> = (0..people).map(|i| format!("p{i}")).collect();
    let mut rows = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for month in ["2026-01", "2026-02", "2026-03"] {
            rows.push(("sat", id.as_str(), month, 3.0 + (i % 7) as f64 * 0.3));
            rows.push(("hours", id.as_str(), month, 10.0 + (i % 5) as f64 * 5.0));
        }
    }
    (data, values(&rows))
}

/// Renders every report page of the internal site for `people` people, charts drawn
/// or not; returns the files and the lookups counted.
fn report_files(people: usize, charts: Charts) -> (Vec<OutputFile>, usize) {
    let (data, m) = organisation(people);
    let today = Date::parse("2026-04-15").unwrap();
    let c = Computed::new(&data, &m, today);
    let config = Config::default();
    let mut diags = Diagnostics::new();
    let theme = crate::render::theme::load(Path::new("/nonexistent"), &mut diags).expect("the built-in theme");
    let ui = strings(config.language);
    let env = Env { data: &data, today: crate::base::date::YearMonth::of(today), ui, language: config.language };
    let (citations, history) = (BTreeMap::new(), History::default());
    let inputs = Inputs {
        config: &config,
        pages: &[],
        outlines: &[],
        bodies: &[],
        theme: &theme,
        env: &env,
        citations: &citations,
        history: &history,
    };
    let view = View::new(&[], &data, Audience::INTERNAL);
    let sink = Collect::default();
    let before = c.lookup.probes();
    super::internal(&view, &inputs, (&data, &m, &c), (&sink, charts)).expect("report pages render");
    (sink.into_files(), c.lookup.probes() - before)
}

/// Renders every report page of the internal site for `people` people; returns the
/// lookups counted and the number of person pages written.
fn report_work(people: usize) -> (usize, usize) {
    let (files, probes) = report_files(people, Charts::Draw);
    let person_pages =
        files.iter().filter(|f| f.path.starts_with("internal/reports/people/") && f.path.ends_with(".html")).count();
    (probes, person_pages)
}

#[test]
fn doubling_the_people_at_most_doubles_the_report_pages_work() {
    let (small, small_pages) = report_work(100);
    let (large, large_pages) = report_work(200);
    assert_eq!((small_pages, large_pages), (100, 200), "a page per person");
    // Linear work doubles (a little less: some of it is per month or per team);
    // quadratic work would quadruple.
    assert!(large <= 2 * small, "{small} lookups for 100 people, {large} for 200: more than twice the work");
    assert!(large > small, "the count measures the pages' work ({small} → {large})");
}

/// A page's HTML with each chart (its drawings, wide and compact, one after the other,
/// and the white space after them) replaced by `[chart]`; how many charts there were
/// and their bytes.
fn without_charts(html: &str) -> (String, usize, usize) {
    let (mut out, mut charts, mut bytes) = (String::new(), 0, 0);
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        while rest.starts_with("<svg") {
            let end = rest.find("</svg>").expect("closed") + "</svg>".len();
            bytes += end;
            rest = rest[end..].trim_start();
        }
        out.push_str("[chart]");
        charts += 1;
    }
    out.push_str(rest);
    (out, charts, bytes)
}

/// Where two texts first differ, with a little of each.
fn first_difference(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let near = |s: &str| s.get(at.saturating_sub(60)..(at + 60).min(s.len())).unwrap_or("").to_string();
    format!("at byte {at}: {:?} / {:?}", near(a), near(b))
}

/// `charter check` renders the report pages only to find errors: it skips drawing
/// their charts and renders everything else as a build does.
#[test]
fn check_draws_no_chart_and_renders_the_rest_of_every_report_page() {
    let (drawn, _) = report_files(40, Charts::Draw);
    let (skipped, _) = report_files(40, Charts::Skip);
    assert_eq!(drawn.len(), skipped.len(), "the same files");
    let (mut charts, mut drawn_bytes, mut skipped_bytes) = (0, 0, 0);
    for (d, s) in drawn.iter().zip(&skipped) {
        assert_eq!(d.path, s.path);
        let (d_html, s_html) = (String::from_utf8_lossy(&d.bytes), String::from_utf8_lossy(&s.bytes));
        let ((d_rest, d_charts, d_bytes), (s_rest, s_charts, s_bytes)) =
            (without_charts(&d_html), without_charts(&s_html));
        assert!(d_rest == s_rest, "{}: only the charts differ, {}", d.path, first_difference(&d_rest, &s_rest));
        assert_eq!(d_charts, s_charts, "{}: a stand-in for every chart", d.path);
        assert_eq!(s_bytes, s_charts * SKIPPED.len(), "{}: no chart drawn", d.path);
        (charts, drawn_bytes, skipped_bytes) = (charts + d_charts, drawn_bytes + d_bytes, skipped_bytes + s_bytes);
    }
    // A score trend on each of the 40 person pages and 2 team pages, and more on the
    // overview, month and KPI pages.
    assert!(charts > 42, "{charts} charts");
    assert!(drawn_bytes > 100 * skipped_bytes, "SVG bytes: {drawn_bytes} drawn, {skipped_bytes} skipped");
}
