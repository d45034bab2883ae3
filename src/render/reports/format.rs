//! Small pieces every report page uses: values and changes as read, status labels and
//! cells, names isolated inside composed text, the 12-month window, trend legends.

use crate::base::date::YearMonth;
use crate::base::text_safety;
use crate::compute::kpi::Status;
use crate::load::data::{format_number, round_half_away, with_unit};

use super::{Cell, LegendItem, Ui};

/// A trend chart's text description: `name` (already isolated) from the first month
/// to the last of `months`, and the last value shown, read by `show`.
pub(super) fn trend_desc(
    ui: &Ui,
    name: &str,
    months: &[YearMonth],
    values: &[Option<f64>],
    show: impl Fn(f64) -> String,
) -> String {
    let month = |m: Option<&YearMonth>| m.map(|m| m.to_string()).unwrap_or_default();
    let last = values.iter().rev().flatten().next().map_or_else(|| ui.no_data.to_string(), |v| show(*v));
    ui.chart_trend_desc
        .replace("{name}", name)
        .replace("{from}", &month(months.first()))
        .replace("{to}", &month(months.last()))
        .replace("{last}", &last)
}

/// A value rounded for reading, with its unit: `4.31 分`, `92.5%`.
pub(super) fn fmt_value(v: f64, unit: &str) -> String {
    with_unit(&format_number(round_half_away(v, 2)), unit)
}

pub(super) fn fmt_change(d: f64, unit: &str) -> String {
    let r = round_half_away(d, 2);
    let sign = if r > 0.0 {
        "+"
    } else if r < 0.0 {
        "−"
    } else {
        "±"
    };
    format!("{sign}{}", with_unit(&format_number(r.abs()), unit))
}

pub(super) fn status_key(s: Option<Status>) -> &'static str {
    s.map_or("no_data", Status::as_str)
}

pub(super) fn status_label(ui: &Ui, s: Option<Status>) -> String {
    match s {
        Some(Status::Met) => ui.status_met,
        Some(Status::Warning) => ui.status_warning,
        Some(Status::Missed) => ui.status_missed,
        None => ui.no_data,
    }
    .to_string()
}

pub(super) fn status_cell(ui: &Ui, s: Option<Status>) -> Cell {
    Cell {
        text: status_label(ui, s),
        class: Some(match s {
            Some(Status::Met) => "status-met",
            Some(Status::Warning) => "status-warning",
            Some(Status::Missed) => "status-missed",
            None => "status-no_data",
        }),
        url: None,
    }
}

/// The status of a value: "no target" rather than "no data" when there is a value
/// but no target in force to judge it by.
pub(super) fn value_status_cell(ui: &Ui, value: Option<f64>, s: Option<Status>) -> Cell {
    Cell { text: value_status_label(ui, value, s), ..status_cell(ui, s) }
}

/// [`status_label`] of a value: "no target" when there is a value but nothing to judge
/// it by.
pub(super) fn value_status_label(ui: &Ui, value: Option<f64>, s: Option<Status>) -> String {
    match (value, s) {
        (Some(_), None) => ui.no_target.to_string(),
        _ => status_label(ui, s),
    }
}

/// A name inside composed text (a caption, a heading, a chart's title or description),
/// between Unicode isolates when its direction could reorder the text around it; other
/// names are left as they are.
pub(super) fn iso(name: &str) -> std::borrow::Cow<'_, str> {
    text_safety::isolate_if_needed(name)
}

/// The 12 months ending at `end`.
pub(super) fn last_12(end: YearMonth) -> Vec<YearMonth> {
    (0..12).rev().map(|i| end.plus(-i)).collect()
}

pub(super) fn trend_legend(ui: &Ui, warning: bool) -> Vec<LegendItem> {
    let mut l = vec![
        LegendItem { label: ui.value.to_string(), class: "line" },
        LegendItem { label: ui.target_line.to_string(), class: "target" },
    ];
    if warning {
        l.push(LegendItem { label: ui.band.to_string(), class: "band" });
    }
    l.extend(
        [(ui.status_met, "met"), (ui.status_warning, "warning"), (ui.status_missed, "missed")]
            .map(|(k, c)| LegendItem { label: k.to_string(), class: c }),
    );
    l
}
