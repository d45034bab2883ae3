//! Charts as static SVG, drawn with plotters' SVG backend: trend lines with the target
//! as a step line and the warning band shaded, horizontal bar comparisons, stacked NPS
//! bars and sparklines. No JavaScript; the same data always gives the same bytes.
//!
//! Every chart is drawn twice ([`Size`]): a wide drawing for screens with room and a
//! compact one (a narrower canvas with the same text size and fewer ticks) for phones.
//! Both go into the page, the wide first, and the stylesheet shows the one that fits the
//! chart's container (a container query); scaled to the container, the axis text stays
//! at least 11 CSS px from a 320 px phone up. Without container queries the compact
//! drawing shows, legible everywhere.
//!
//! Every chart gets `<title>` and `<desc>` and `role="img"`; callers put the same
//! numbers in an HTML table beside it and the legend in HTML. Axis labels are digits
//! and months only: plotters estimates text width from UTF-8 bytes, which is wrong for
//! Chinese, so category labels are placed in a label area sized here for wide
//! characters. This module renders numbers it is given; it computes nothing.
//!
//! Bar labels are names: each is drawn between U+2068 FIRST STRONG ISOLATE and U+2069
//! POP DIRECTIONAL ISOLATE, so that a direction override inside one cannot turn the
//! text around it. Titles and descriptions (composed by the caller, naming KPIs,
//! teams and people) are isolated as a whole when their direction can matter.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos as TextPos, VPos};

use crate::base::date::YearMonth;
use crate::base::text_safety::{isolate, isolate_if_needed};
use crate::compute::kpi::Status;
use crate::load::data::Direction;

const MET: RGBColor = RGBColor(0x1a, 0x7f, 0x37);
const WARNING: RGBColor = RGBColor(0xbf, 0x87, 0x00);
const MISSED: RGBColor = RGBColor(0xcf, 0x22, 0x2e);
const NO_DATA: RGBColor = RGBColor(0x8c, 0x95, 0x9f);
const LINE: RGBColor = RGBColor(0x0f, 0x5e, 0x9c);
const TARGET: RGBColor = RGBColor(0x57, 0x60, 0x6a);
const BAND: RGBColor = RGBColor(0xf5, 0xd9, 0x8b);
const FONT: &str = "sans-serif";

fn status_color(s: Option<Status>) -> RGBColor {
    match s {
        Some(Status::Met) => MET,
        Some(Status::Warning) => WARNING,
        Some(Status::Missed) => MISSED,
        None => NO_DATA,
    }
}

/// What a chart is about, for its `<title>` and `<desc>`; `id` must be unique on the page.
pub(crate) struct Label<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) desc: &'a str,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Which drawing of a chart: wide (640 px canvas, every month labelled) or compact
/// (360 px, the same 14 px text, every third month and fewer value ticks).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Size {
    Wide,
    Compact,
}

impl Size {
    fn width(self) -> u32 {
        match self {
            Size::Wide => 640,
            Size::Compact => 360,
        }
    }
    /// Every how many months an x-axis label is drawn (counted back from the latest).
    fn month_step(self) -> usize {
        match self {
            Size::Wide => 1,
            Size::Compact => 3,
        }
    }
    fn value_ticks(self) -> usize {
        match self {
            Size::Wide => 5,
            Size::Compact => 4,
        }
    }
    /// Axis text size as plotters takes it (it writes 0.81 of this as the SVG font
    /// size: 11.3 px wide, 14.5 px compact). The wide drawing shows only at its full
    /// 640 px, the compact one from 288 px (a 320 px phone) up, so on screen the text is
    /// never under 11 px.
    fn font(self) -> u32 {
        match self {
            Size::Wide => 14,
            Size::Compact => 18,
        }
    }
    /// Room for the value labels beside a monthly chart and the month labels under it.
    fn label_areas(self) -> (u32, u32) {
        match self {
            Size::Wide => (44, 24),
            Size::Compact => (52, 28),
        }
    }
    fn class(self) -> &'static str {
        match self {
            Size::Wide => "chart chart-wide",
            Size::Compact => "chart chart-compact",
        }
    }
    /// Ids of the compact drawing's `<title>` and `<desc>` differ from the wide one's.
    fn id(self, id: &str) -> String {
        match self {
            Size::Wide => id.to_string(),
            Size::Compact => format!("{id}-compact"),
        }
    }
}

/// Whether charts are drawn. A build draws every chart; `charter check`, whose pages
/// are rendered only to find errors and then discarded, skips them (at 50,000 people
/// drawing was a third of its time): drawing cannot fail (plotters' errors are
/// ignored, and the SVG is text the template inserts as it is), so a skipped chart
/// hides no diagnostic. A skipped chart is [`SKIPPED`], not nothing, so that a
/// template asking whether a figure has a chart takes the same path as in a build.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Charts {
    Draw,
    Skip,
}

/// What stands for a chart that is not drawn.
pub(crate) const SKIPPED: &str = "<svg class=\"chart\" role=\"img\"></svg>";

impl Charts {
    fn draw(self, chart: impl FnOnce() -> String) -> String {
        match self {
            Charts::Draw => chart(),
            Charts::Skip => SKIPPED.to_string(),
        }
    }

    /// A monthly trend ([`trend`]), or nothing when charts are skipped.
    pub(crate) fn trend(self, t: &Trend, label: &Label) -> String {
        self.draw(|| trend(t, label))
    }

    /// A sparkline ([`sparkline`]), or nothing when charts are skipped.
    pub(crate) fn sparkline(self, spark: &Spark, label: &Label) -> String {
        self.draw(|| sparkline(spark, label))
    }

    /// Horizontal bars ([`bars`]), or nothing when charts are skipped.
    pub(crate) fn bars(self, items: &[Bar], target: Option<f64>, scale: (f64, f64), label: &Label) -> String {
        self.draw(|| bars(items, target, scale, label))
    }

    /// Stacked NPS bars ([`nps_stacked`]), or nothing when charts are skipped.
    pub(crate) fn nps_stacked(self, rows: &[NpsShare], label: &Label) -> String {
        self.draw(|| nps_stacked(rows, label))
    }
}

/// A sparkline's numbers: `values[i]` and `targets[i]` of the same month, the status
/// of the last value, the KPI's scale.
pub(crate) struct Spark<'a> {
    pub(crate) values: &'a [Option<f64>],
    pub(crate) targets: &'a [Option<f64>],
    pub(crate) last_status: Option<Status>,
    pub(crate) scale: (f64, f64),
}

/// Both drawings of a chart, wide first.
fn both(draw: impl Fn(Size) -> String) -> String {
    format!("{}\n{}", draw(Size::Wide), draw(Size::Compact))
}

/// Adds accessibility attributes, `<title>` and `<desc>` to plotters' output.
fn finish(svg: String, label: &Label) -> String {
    finish_sized(svg, label, None)
}

fn finish_sized(svg: String, label: &Label, size: Option<Size>) -> String {
    let svg = super::chart_colours::classify(&svg);
    let Some(end) = svg.find('>') else { return svg };
    let id = escape(&size.map_or_else(|| label.id.to_string(), |s| s.id(label.id)));
    let class = size.map_or("chart", Size::class);
    format!(
        "{} class=\"{class}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>{}",
        &svg[..end],
        escape(&isolate_if_needed(label.title)),
        escape(&isolate_if_needed(label.desc)),
        &svg[end + 1..]
    )
}

/// Display width of `s` in ems: wide (CJK) characters count 1, invisible ones (such
/// as the isolates around a name) nothing, others about 0.6.
fn text_width_em(s: &str) -> f64 {
    use unicode_width::UnicodeWidthChar;
    s.chars()
        .map(|c| match c.width() {
            _ if crate::base::text_safety::lookup(c).is_some() => 0.0,
            Some(w) if w >= 2 => 1.0,
            _ => 0.6,
        })
        .sum()
}

fn month_label(m: YearMonth) -> String {
    if m.month == 1 {
        format!("{}-{:02}", m.year, m.month)
    } else {
        format!("{:02}", m.month)
    }
}

/// The label of x-axis position `x` on a monthly chart: the month at a whole index,
/// nothing between months.
/// Only every `step`th month is labelled, counted back from the latest.
fn month_tick(months: &[YearMonth], x: f64, step: usize) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 || (months.len().saturating_sub(1 + i as usize)) % step.max(1) != 0 {
        return String::new();
    }
    months.get(i as usize).map(|m| month_label(*m)).unwrap_or_default()
}

fn fmt_axis(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

/// The y range that shows `values` and `targets` with some room, inside the scale.
fn y_range(values: impl Iterator<Item = f64>, scale: (f64, f64)) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return scale;
    }
    let pad = ((hi - lo) * 0.15).max((scale.1 - scale.0) * 0.02);
    ((lo - pad).max(scale.0), (hi + pad).min(scale.1)).max_spread()
}

trait Spread {
    fn max_spread(self) -> (f64, f64);
}
impl Spread for (f64, f64) {
    fn max_spread(self) -> (f64, f64) {
        if self.1 - self.0 < 1e-9 {
            (self.0 - 1.0, self.1 + 1.0)
        } else {
            self
        }
    }
}

/// A monthly trend: `values[i]` and `targets[i]` belong to `months[i]`.
pub(crate) struct Trend<'a> {
    pub(crate) months: &'a [YearMonth],
    pub(crate) values: &'a [Option<f64>],
    pub(crate) targets: &'a [Option<f64>],
    pub(crate) statuses: &'a [Option<Status>],
    pub(crate) warning: f64,
    pub(crate) direction: Direction,
    pub(crate) scale: (f64, f64),
}

/// A trend line with gaps where data is missing, dots coloured by status, the
/// target as a step line and the warning band shaded.
fn trend(t: &Trend, label: &Label) -> String {
    both(|size| trend_sized(t, label, size))
}

fn trend_sized(t: &Trend, label: &Label, size: Size) -> String {
    let (w, h) = (size.width(), 260u32);
    let n = t.months.len().max(1);
    let band_edge = |tg: f64| match t.direction {
        Direction::Higher => tg - t.warning,
        Direction::Lower => tg + t.warning,
    };
    let (lo, hi) = y_range(
        t.values
            .iter()
            .flatten()
            .copied()
            .chain(t.targets.iter().flatten().copied())
            .chain(t.targets.iter().flatten().map(|tg| band_edge(*tg))),
        t.scale,
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let Ok(mut chart) = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(size.label_areas().1)
            .y_label_area_size(size.label_areas().0)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), lo..hi)
        else {
            return finish_sized(String::new(), label, Some(size));
        };
        let months = t.months.to_vec();
        let step = size.month_step();
        let _ = chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(0xea, 0xee, 0xf2))
            .x_labels(n.min(12))
            .y_labels(size.value_ticks())
            .x_label_formatter(&move |x| month_tick(&months, *x, step))
            .y_label_formatter(&|y| fmt_axis(*y))
            .label_style((FONT, size.font()))
            .axis_style(RGBColor(0xd0, 0xd7, 0xde))
            .draw();
        // Warning band and target step line, month by month.
        for (i, tg) in t.targets.iter().enumerate() {
            let Some(tg) = tg else { continue };
            let x0 = i as f64 - 0.5;
            let x1 = i as f64 + 0.5;
            if t.warning > 0.0 {
                let edge = band_edge(*tg).clamp(lo, hi);
                let _ = chart
                    .draw_series(std::iter::once(Rectangle::new([(x0, *tg), (x1, edge)], BAND.mix(0.55).filled())));
            }
            let _ = chart
                .draw_series(std::iter::once(PathElement::new(vec![(x0, *tg), (x1, *tg)], TARGET.stroke_width(2))));
            if let Some(Some(next)) = t.targets.get(i + 1) {
                if (next - tg).abs() > 1e-12 {
                    let _ = chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x1, *tg), (x1, *next)],
                        TARGET.stroke_width(2),
                    )));
                }
            }
        }
        // The values: one line per run of consecutive months with data.
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, v) in t.values.iter().enumerate() {
            match v {
                Some(v) => run.push((i as f64, *v)),
                None => {
                    if run.len() > 1 {
                        let _ = chart.draw_series(LineSeries::new(run.clone(), LINE.stroke_width(2)));
                    }
                    run.clear();
                }
            }
        }
        if run.len() > 1 {
            let _ = chart.draw_series(LineSeries::new(run, LINE.stroke_width(2)));
        }
        for (i, v) in t.values.iter().enumerate() {
            if let Some(v) = v {
                let color = status_color(t.statuses.get(i).copied().flatten());
                let _ = chart.draw_series(std::iter::once(Circle::new((i as f64, *v), 4, color.filled())));
            }
        }
        let _ = root.present();
    }
    finish_sized(svg, label, Some(size))
}

/// A tiny trend for tiles: the line, the last value as a dot, the target as a line.
fn sparkline(spark: &Spark, label: &Label) -> String {
    let Spark { values, targets, last_status, scale } = *spark;
    let (w, h) = (160u32, 40u32);
    let n = values.len().max(2);
    let (lo, hi) = y_range(values.iter().flatten().copied().chain(targets.iter().flatten().copied()), scale);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let Ok(mut chart) = ChartBuilder::on(&root).margin(4).build_cartesian_2d(0f64..(n as f64 - 1.0), lo..hi) else {
            return finish(String::new(), label);
        };
        for (i, tg) in targets.iter().enumerate() {
            if let Some(tg) = tg {
                let _ = chart.draw_series(std::iter::once(PathElement::new(
                    vec![((i as f64 - 0.5).max(0.0), *tg), ((i as f64 + 0.5).min(n as f64 - 1.0), *tg)],
                    TARGET.mix(0.6).stroke_width(1),
                )));
            }
        }
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut runs = Vec::new();
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => run.push((i as f64, *v)),
                None => runs.push(std::mem::take(&mut run)),
            }
        }
        runs.push(run);
        for r in runs.into_iter().filter(|r| !r.is_empty()) {
            let _ = chart.draw_series(LineSeries::new(r, LINE.stroke_width(2)));
        }
        if let Some((i, Some(v))) = values.iter().enumerate().rev().find(|(_, v)| v.is_some()) {
            let _ =
                chart.draw_series(std::iter::once(Circle::new((i as f64, *v), 3, status_color(last_status).filled())));
        }
        let _ = root.present();
    }
    finish(svg, label)
}

/// One bar of a comparison.
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) value: Option<f64>,
    pub(crate) status: Option<Status>,
}

/// Horizontal bars, one per subject, coloured by status, with the target as a line.
/// Missing values get no bar (their label stays, so the gap is visible).
fn bars(items: &[Bar], target: Option<f64>, scale: (f64, f64), label: &Label) -> String {
    both(|size| bars_sized(items, target, scale, label, size))
}

fn bars_sized(items: &[Bar], target: Option<f64>, scale: (f64, f64), label: &Label, size: Size) -> String {
    let font_px = f64::from(size.font() + 1);
    let label_w = items.iter().map(|b| text_width_em(&b.label)).fold(0.0, f64::max) * font_px + 12.0;
    let row = 28u32;
    let (w, h) = (size.width(), (items.len() as u32).max(1) * row + 40);
    let lo = scale.0.min(0.0).max(scale.0);
    let hi = items.iter().filter_map(|b| b.value).chain(target).fold(f64::NEG_INFINITY, f64::max);
    let hi = if hi.is_finite() { (hi * 1.1).min(scale.1).max(lo + 1e-6) } else { scale.1 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let (labels, plot) = root.split_horizontally(label_w.ceil() as u32);
        let n = items.len().max(1) as f64;
        let Ok(mut chart) = ChartBuilder::on(&plot)
            .margin(10)
            .x_label_area_size(size.label_areas().1 - 4)
            .build_cartesian_2d(lo..hi, -0.5f64..(n - 0.5))
        else {
            return finish_sized(String::new(), label, Some(size));
        };
        let _ = chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(0xea, 0xee, 0xf2))
            .x_labels(size.value_ticks())
            .x_label_formatter(&|x| fmt_axis(*x))
            .y_labels(0)
            .label_style((FONT, size.font()))
            .axis_style(RGBColor(0xd0, 0xd7, 0xde))
            .draw();
        for (i, b) in items.iter().enumerate() {
            let y = n - 1.0 - i as f64;
            if let Some(v) = b.value {
                let _ = chart.draw_series(std::iter::once(Rectangle::new(
                    [(lo, y - 0.32), (v, y + 0.32)],
                    status_color(b.status).filled(),
                )));
            }
            let (_, py) = chart.backend_coord(&(lo, y));
            let style = TextStyle::from((FONT, font_px as u32).into_font())
                .pos(TextPos::new(HPos::Right, VPos::Center))
                .color(&RGBColor(0x1f, 0x23, 0x28));
            let _ = labels.draw(&Text::new(isolate(&b.label), (label_w as i32 - 6, py), style));
        }
        if let Some(tg) = target {
            let _ = chart.draw_series(std::iter::once(PathElement::new(
                vec![(tg, -0.5), (tg, n - 0.5)],
                TARGET.stroke_width(2),
            )));
        }
        let _ = root.present();
    }
    finish_sized(svg, label, Some(size))
}

/// One month of NPS answers as shares (percent) of promoters, passives, detractors.
pub(crate) struct NpsShare {
    pub(crate) month: YearMonth,
    pub(crate) shares: Option<(f64, f64, f64)>,
}

/// Stacked 100% bars per month: detractors (bottom, red), passives, promoters (top, green).
fn nps_stacked(rows: &[NpsShare], label: &Label) -> String {
    both(|size| nps_sized(rows, label, size))
}

fn nps_sized(rows: &[NpsShare], label: &Label, size: Size) -> String {
    let (w, h) = (size.width(), 240u32);
    let n = rows.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let Ok(mut chart) = ChartBuilder::on(&root)
            .margin(10)
            .x_label_area_size(size.label_areas().1)
            .y_label_area_size(size.label_areas().0 - 4)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..100f64)
        else {
            return finish_sized(String::new(), label, Some(size));
        };
        let months: Vec<YearMonth> = rows.iter().map(|r| r.month).collect();
        let step = size.month_step();
        let _ = chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(0xea, 0xee, 0xf2))
            .x_labels(n.min(12))
            .y_labels(size.value_ticks())
            .x_label_formatter(&move |x| month_tick(&months, *x, step))
            .y_label_formatter(&|y| format!("{}%", fmt_axis(*y)))
            .label_style((FONT, size.font()))
            .axis_style(RGBColor(0xd0, 0xd7, 0xde))
            .draw();
        for (i, r) in rows.iter().enumerate() {
            let Some((p, q, d)) = r.shares else { continue };
            let x0 = i as f64 - 0.35;
            let x1 = i as f64 + 0.35;
            let _ = chart.draw_series([
                Rectangle::new([(x0, 0.0), (x1, d)], MISSED.filled()),
                Rectangle::new([(x0, d), (x1, d + q)], NO_DATA.mix(0.5).filled()),
                Rectangle::new([(x0, d + q), (x1, (d + q + p).min(100.0))], MET.filled()),
            ]);
        }
        let _ = root.present();
    }
    finish_sized(svg, label, Some(size))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(n: usize) -> Vec<YearMonth> {
        (0..n).map(|i| YearMonth::parse("2025-11").unwrap().plus(i as i32)).collect()
    }

    #[test]
    fn charts_have_title_desc_and_are_deterministic() {
        let ms = months(4);
        let values = [Some(4.1), None, Some(4.3), Some(3.9)];
        let targets = [Some(4.0), Some(4.0), Some(4.2), Some(4.2)];
        let statuses = [Some(Status::Met), None, Some(Status::Met), Some(Status::Missed)];
        let t = Trend {
            months: &ms,
            values: &values,
            targets: &targets,
            statuses: &statuses,
            warning: 0.2,
            direction: Direction::Higher,
            scale: (1.0, 5.0),
        };
        let label = Label { id: "c1", title: "客户满意度 <趋势>", desc: "4 个月 & 目标" };
        let a = trend_sized(&t, &label, Size::Wide);
        assert_eq!(a, trend_sized(&t, &label, Size::Wide));
        assert!(a.starts_with("<svg "));
        assert!(a.contains("role=\"img\" aria-labelledby=\"c1-title c1-desc\""));
        assert!(a.contains("<title id=\"c1-title\">客户满意度 &lt;趋势&gt;</title>"));
        assert!(a.contains("<desc id=\"c1-desc\">4 个月 &amp; 目标</desc>"));
        assert!(a.contains("2026-01"), "January is labelled with its year");
        // The gap splits the line: two points before and after cannot share a polyline.
        assert_eq!(a.matches("stroke=\"#0F5E9C\"").count(), 1, "only the run of two months is a line");
        assert_eq!(a.matches("<circle").count(), 3, "one dot per month with data");
        assert!(a.contains("#CF222E") || a.contains("#cf222e"), "missed month drawn in red");
    }

    #[test]
    fn bar_labels_get_room_for_chinese() {
        assert_eq!(text_width_em("客服一组"), 4.0);
        assert!((text_width_em("Team A") - 3.6).abs() < 1e-9);
        let items = vec![
            Bar { label: "客服一组".into(), value: Some(4.3), status: Some(Status::Met) },
            Bar { label: "门店前台组".into(), value: None, status: None },
        ];
        let svg = bars_sized(&items, Some(4.2), (1.0, 5.0), &Label { id: "b", title: "t", desc: "d" }, Size::Wide);
        assert!(svg.contains("\n\u{2068}客服一组\u{2069}\n</text>"), "{svg}");
        assert!(svg.contains("\n\u{2068}门店前台组\u{2069}\n</text>"), "{svg}");
        assert_eq!(svg.matches("fill=\"#1A7F37\"").count() + svg.matches("fill=\"#1a7f37\"").count(), 1);
    }

    #[test]
    fn names_are_isolated_in_svg_text() {
        let evil = "张\u{202E}敏 <&>";
        let items = vec![Bar { label: evil.into(), value: Some(3.0), status: None }];
        let svg = bars_sized(&items, None, (0.0, 5.0), &Label { id: "n", title: evil, desc: evil }, Size::Wide);
        // Every override sits between an isolate's start and its end; the isolates take
        // no room from the label area.
        assert_eq!(svg.matches('\u{202E}').count(), 3, "{svg}");
        for (at, _) in svg.match_indices('\u{202E}') {
            let (before, after) = (&svg[..at], &svg[at..]);
            assert!(before.rfind('\u{2068}') > before.rfind('\u{2069}'), "{svg}");
            assert!(after.find('\u{2069}').is_some_and(|end| !after[..end].contains('<')), "{svg}");
        }
        assert!(svg.contains("\u{2068}张\u{202E}敏 &lt;&amp;&gt;\u{2069}"), "{svg}");
        assert_eq!(text_width_em("\u{2068}张敏\u{2069}"), 2.0);
        roxmltree::Document::parse(&svg).expect("well-formed SVG");
    }

    #[test]
    fn every_chart_comes_wide_then_compact_with_its_own_ids_and_fewer_month_labels() {
        let ms = months(12);
        let values: Vec<Option<f64>> = (0..12).map(|i| Some(4.0 + f64::from(i) / 20.0)).collect();
        let targets = vec![Some(4.2); 12];
        let statuses = vec![Some(Status::Met); 12];
        let t = Trend {
            months: &ms,
            values: &values,
            targets: &targets,
            statuses: &statuses,
            warning: 0.0,
            direction: Direction::Higher,
            scale: (1.0, 5.0),
        };
        let svg = trend(&t, &Label { id: "k", title: "t", desc: "d" });
        let wide = svg.find("class=\"chart chart-wide\"").expect("wide drawing");
        let compact = svg.find("class=\"chart chart-compact\"").expect("compact drawing");
        assert!(wide < compact, "the wide drawing comes first");
        let (w, c) = svg.split_at(svg[..compact].rfind("<svg").unwrap());
        assert!(w.contains("width=\"640\"") && c.contains("width=\"360\""));
        assert!(w.contains("id=\"k-title\"") && c.contains("id=\"k-compact-title\""));
        // 2025-11 … 2026-10: the compact drawing labels the latest month and every third
        // before it (2026-10, 07, 04, 01), the wide one all twelve.
        let labels =
            |svg: &str| ms.iter().filter(|m| svg.contains(&format!(">\n{}\n</text>", month_label(**m)))).count();
        assert_eq!(labels(w), 12);
        assert_eq!(labels(c), 4);
        assert!(c.contains(">\n10\n</text>") && c.contains(">\n2026-01\n</text>") && !c.contains(">\n11\n</text>"));
        for part in [w, c] {
            roxmltree::Document::parse(part.trim()).expect("well-formed SVG");
        }
    }
}
