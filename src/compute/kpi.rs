//! KPI arithmetic: the target in force in a month, how a target reads ("≥ 4.2 分"),
//! whether a value met it, and how scorecard rules turn a value into points.
//!
//! Pure functions with unit tests against hand-computed values; no I/O, no clock.

use crate::base::date::YearMonth;
use crate::base::i18n::Language;
use crate::load::data::{format_number, with_unit, Direction, Kpi, Rule};

/// The target in force in `month`: the last one whose `from` is not after it.
pub(crate) fn target_in_force(kpi: &Kpi, month: YearMonth) -> Option<f64> {
    kpi.targets.iter().take_while(|t| t.from <= month).last().map(|t| t.value)
}

/// A target as readers see it, with the unit in `language`: `≥ 4.2 分` for
/// higher-is-better, `≤ 24 小时` (`≤ 24 hours`) for lower.
pub(crate) fn format_target_in(kpi: &Kpi, value: f64, language: Language) -> String {
    let op = match kpi.direction {
        Direction::Higher => "≥",
        Direction::Lower => "≤",
    };
    format!("{op} {}", with_unit(&format_number(value), kpi.unit_after(language, value)))
}

/// How a value stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    Met,
    /// Missed, but by no more than the KPI's warning band.
    Warning,
    Missed,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Warning => "warning",
            Status::Missed => "missed",
        }
    }
}

/// How far `value` falls short of `target` in the KPI's direction, in its unit (≤ 0
/// when met).
fn shortfall(kpi: &Kpi, value: f64, target: f64) -> f64 {
    match kpi.direction {
        Direction::Higher => target - value,
        Direction::Lower => value - target,
    }
}

/// Compares `value` with `target` in the KPI's direction, with its warning band.
pub(crate) fn status(kpi: &Kpi, value: f64, target: f64) -> Status {
    let shortfall = shortfall(kpi, value, target);
    if shortfall <= 1e-9 {
        Status::Met
    } else if shortfall <= kpi.warning + 1e-9 {
        Status::Warning
    } else {
        Status::Missed
    }
}

/// Points a scorecard item earns: `threshold` gives the full weight when the target is
/// met and nothing otherwise; `linear` rises in proportion from the scale's worst end
/// (0 points) to the target (full weight), capped at the full weight.
pub(crate) fn item_points(kpi: &Kpi, rule: Rule, weight: f64, value: f64, target: f64) -> f64 {
    let met = met_exactly(kpi, value, target);
    match rule {
        Rule::Threshold => {
            if met {
                weight
            } else {
                0.0
            }
        }
        Rule::Linear => {
            let (min, max) = kpi.scale;
            // Distance from the worst end of the scale, of the value and of the target.
            let (gained, span) = match kpi.direction {
                Direction::Higher => (value - min, target - min),
                Direction::Lower => (max - value, max - target),
            };
            if span <= 0.0 {
                return if met { weight } else { 0.0 };
            }
            weight * (gained / span).clamp(0.0, 1.0)
        }
    }
}

/// Whether `value` meets `target` exactly: [`status`] without the warning band.
fn met_exactly(kpi: &Kpi, value: f64, target: f64) -> bool {
    shortfall(kpi, value, target) <= 1e-9
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::base::diagnostics::Pos;
    use crate::load::data::{Aggregate, Target};

    pub(crate) fn kpi(direction: Direction, scale: (f64, f64), targets: &[(&str, f64)], warning: f64) -> Kpi {
        Kpi {
            id: "k".into(),
            name: "K".into(),
            definition: String::new(),
            unit: "分".into(),
            words: Default::default(),
            direction,
            scale,
            targets: targets.iter().map(|(m, v)| Target { from: YearMonth::parse(m).unwrap(), value: *v }).collect(),
            warning,
            owner: None,
            aggregate: Aggregate::Mean,
            public: true,
            from_surveys: false,
            pos: Pos::FILE,
        }
    }

    fn m(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    #[test]
    fn target_in_force_follows_effective_months() {
        let k = kpi(Direction::Higher, (1.0, 5.0), &[("2025-01", 4.0), ("2026-01", 4.2)], 0.0);
        assert_eq!(target_in_force(&k, m("2024-12")), None);
        assert_eq!(target_in_force(&k, m("2025-01")), Some(4.0));
        assert_eq!(target_in_force(&k, m("2025-12")), Some(4.0));
        assert_eq!(target_in_force(&k, m("2026-01")), Some(4.2));
        assert_eq!(target_in_force(&k, m("2030-06")), Some(4.2));
    }

    #[test]
    fn targets_read_with_direction_and_unit() {
        let k = kpi(Direction::Higher, (1.0, 5.0), &[], 0.0);
        let format_target = |k: &Kpi, v| format_target_in(k, v, Language::ZhCn);
        assert_eq!(format_target(&k, 4.2), "≥ 4.2 分");
        let mut hours = kpi(Direction::Lower, (0.0, 72.0), &[], 0.0);
        hours.unit = "小时".into();
        assert_eq!(format_target(&hours, 24.0), "≤ 24 小时");
        hours.unit = "%".into();
        assert_eq!(format_target(&hours, 2.0), "≤ 2%");
    }

    #[test]
    fn status_respects_direction_and_warning_band() {
        let sat = kpi(Direction::Higher, (1.0, 5.0), &[], 0.2);
        assert_eq!(status(&sat, 4.2, 4.2), Status::Met);
        assert_eq!(status(&sat, 4.05, 4.2), Status::Warning); // 0.15 short, band 0.2
        assert_eq!(status(&sat, 4.0, 4.2), Status::Warning); // exactly the band
        assert_eq!(status(&sat, 3.9, 4.2), Status::Missed);
        let hours = kpi(Direction::Lower, (0.0, 72.0), &[], 2.0);
        assert_eq!(status(&hours, 20.0, 24.0), Status::Met);
        assert_eq!(status(&hours, 25.5, 24.0), Status::Warning);
        assert_eq!(status(&hours, 27.0, 24.0), Status::Missed);
    }

    #[test]
    fn scoring_rules_match_hand_computed_points() {
        // Satisfaction 1–5, target 4, weight 40.
        let sat = kpi(Direction::Higher, (1.0, 5.0), &[], 0.2);
        assert_eq!(item_points(&sat, Rule::Threshold, 40.0, 4.0, 4.0), 40.0);
        assert_eq!(item_points(&sat, Rule::Threshold, 40.0, 3.9, 4.0), 0.0); // band does not earn points
                                                                             // Linear: (3.4 - 1) / (4 - 1) = 0.8 → 32 points.
        assert!((item_points(&sat, Rule::Linear, 40.0, 3.4, 4.0) - 32.0).abs() < 1e-9);
        assert_eq!(item_points(&sat, Rule::Linear, 40.0, 4.8, 4.0), 40.0); // capped
        assert_eq!(item_points(&sat, Rule::Linear, 40.0, 1.0, 4.0), 0.0);
        // Response hours 0–72, target ≤ 24, weight 30: value 36 → (72-36)/(72-24) = 0.75 → 22.5.
        let hours = kpi(Direction::Lower, (0.0, 72.0), &[], 0.0);
        assert!((item_points(&hours, Rule::Linear, 30.0, 36.0, 24.0) - 22.5).abs() < 1e-9);
        assert_eq!(item_points(&hours, Rule::Linear, 30.0, 12.0, 24.0), 30.0);
        assert_eq!(item_points(&hours, Rule::Threshold, 30.0, 24.0, 24.0), 30.0);
        assert_eq!(item_points(&hours, Rule::Threshold, 30.0, 24.5, 24.0), 0.0);
    }
}
