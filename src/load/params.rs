//! Parameters (`data/params.yaml`): the numbers an organisation fills in once — time
//! limits, shares, counts — each with its unit and label, and optionally a dated
//! history (`values: [{from: 2025-01, value: 48}, {from: 2026-01, value: 36}]`).
//!
//! Owns the file's shape, its validation and one question: which value is in force on
//! a date. Pages show the value in force on the date the data is read for (the build
//! date, or a release's date); reports ask for the value in force when a complaint was
//! received. It must not render or know about pages.

use std::collections::BTreeMap;

use crate::base::date::{Date, YearMonth};
use crate::base::diagnostics::{Diagnostics, Pos};
use crate::base::i18n::Language;
use crate::base::numbers::{format_number, with_unit};
use crate::formats::yaml::{self, Fields, Kind, Node};
use crate::load::data::{valid_id, Wording, WordsReader, PARAMS_FILE};

/// A parameter's value: a number (`5`) or, rarely, text (`工作日`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ParamValue {
    Number(f64),
    Text(String),
}

/// One value of a parameter's history, in force from the start of `from` on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParamStep {
    /// `None` for the undated form (`value: 5`): in force since always.
    pub(crate) from: Option<Date>,
    pub(crate) value: ParamValue,
    pub(crate) pos: Pos,
}

/// A number the organisation fills in once: `online_reply_minutes: {value: 5, unit: 分钟, label: …}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Param {
    pub(crate) id: String,
    /// The value in force on the date the data was read for (see [`parse_params`]).
    pub(crate) value: ParamValue,
    /// Every value, oldest first (one undated step for the plain `value:` form).
    pub(crate) history: Vec<ParamStep>,
    /// The unit, label and description in the default language ([`Param::words`]
    /// holds every language's).
    pub(crate) unit: String,
    pub(crate) label: String,
    pub(crate) description: Option<String>,
    /// `unit`, `label` and `description` in each language they are written in.
    pub(crate) words: Wording,
    pub(crate) pos: Pos,
}

impl Param {
    /// The value with its unit as readers of `language` see it (`5 分钟`, `90%`,
    /// `36 hours`, `1 hour`), the default language's unit when it has no `language`
    /// form.
    pub(crate) fn display_in(&self, language: Language) -> String {
        self.value_in(&self.value, language)
    }

    /// `value` (one of this parameter's, or another release's) with this parameter's
    /// unit in `language`.
    pub(crate) fn value_in(&self, value: &ParamValue, language: Language) -> String {
        let n = match value {
            ParamValue::Number(n) => Some(*n),
            ParamValue::Text(_) => None,
        };
        display_value(value, self.words.unit_after("unit", language, n).unwrap_or(&self.unit))
    }

    /// The label in `language`, else in the default language.
    pub(crate) fn label_in(&self, language: Language) -> &str {
        self.words.text("label", language).unwrap_or(&self.label)
    }

    /// The description in `language`, else in the default language.
    pub(crate) fn description_in(&self, language: Language) -> Option<&str> {
        self.words.text("description", language)
    }

    /// The step in force on `date`: the last whose `from` is not after it. `None` when
    /// the date precedes the first dated value.
    pub(crate) fn step_at(&self, date: Date) -> Option<&ParamStep> {
        self.history.iter().take_while(|s| s.from.is_none_or(|f| f <= date)).last()
    }
}

/// A value with a unit as readers see it.
pub(crate) fn display_value(value: &ParamValue, unit: &str) -> String {
    match value {
        ParamValue::Number(n) => with_unit(&format_number(*n), unit),
        ParamValue::Text(t) => with_unit(t, unit),
    }
}

/// `params.yaml`: a mapping from id to `{value | values, unit, label, description}`.
/// `as_of` chooses each parameter's [`Param::value`]: the step in force on that date.
/// The words may take a form per language of `languages` (the default first).
pub(crate) fn parse_params(
    node: &Node,
    as_of: Date,
    languages: &[Language],
    diags: &mut Diagnostics,
) -> BTreeMap<String, Param> {
    let mut out = BTreeMap::new();
    let entries = match &node.kind {
        Kind::Null => return out,
        Kind::Map(m) => m,
        _ => {
            diags.error(
                PARAMS_FILE,
                node.pos,
                "wrong-type",
                format!("params.yaml must map parameter ids to `{{value, unit, label}}`, found {}", node.type_name()),
            );
            return out;
        }
    };
    for (k, v) in entries {
        let Some(id) = k.as_str() else {
            diags.error(PARAMS_FILE, k.pos, "bad-key", format!("parameter ids must be names, found {}", k.type_name()));
            continue;
        };
        // An id with a hidden character is reported once and kept as it reads, so
        // the pages that name it as it looks still find it.
        let seen;
        let id = if crate::base::text_safety::find_deceptive(id).is_some() {
            let Some(visible) =
                crate::formats::deceptive::refuse(PARAMS_FILE, Some(k), k.pos, "parameter id", id, diags)
            else {
                continue;
            };
            seen = visible;
            seen.as_str()
        } else {
            id
        };
        if !valid_id(id) {
            diags.error(
                PARAMS_FILE,
                k.pos,
                "bad-id",
                format!("parameter id `{id}` must use letters, digits, `_` and `-` only"),
            );
        }
        let what = format!("parameter `{id}`");
        let Some(mut f) = Fields::new(v, PARAMS_FILE, &what, diags) else { continue };
        let single = f.node("value");
        let dated = f.node("values");
        let history = match (single, dated) {
            (Some(n), None) => value_of(n, &what, diags).map(|value| vec![ParamStep { from: None, value, pos: n.pos }]),
            (None | Some(Node { kind: Kind::Null, .. }), Some(list)) => steps(list, &what, diags),
            (Some(n), Some(_)) => {
                diags.error(
                    PARAMS_FILE,
                    n.pos,
                    "conflicting-keys",
                    format!("{what}: give either `value` or a dated list `values`, not both"),
                );
                None
            }
            (None, None) => {
                diags.error(
                    PARAMS_FILE,
                    k.pos,
                    "missing-key",
                    format!("{what}: missing required key `value` (or a dated list `values`)"),
                );
                None
            }
        };
        let reader = WordsReader { languages, what: &what };
        let unit = reader.unit(&mut f, "unit", diags);
        let label = reader.required(&mut f, "label", diags);
        let description = reader.optional(&mut f, "description", diags);
        f.finish(diags, |_| None);
        let (Some(history), Some(label)) = (history, label) else { continue };
        let mut words = Wording::default();
        let unit = words.insert("unit", unit);
        let label = words.insert("label", Some(label)).unwrap_or_default();
        let description = words.insert("description", description);
        let mut param = Param {
            id: id.to_string(),
            value: history[0].value.clone(),
            history,
            unit: unit.unwrap_or_default(),
            label,
            description,
            words,
            pos: k.pos,
        };
        match param.step_at(as_of) {
            Some(step) => param.value = step.value.clone(),
            None => {
                let first = &param.history[0];
                diags.error(
                    PARAMS_FILE,
                    first.pos,
                    "no-value-in-force",
                    format!(
                        "{what} has no value in force on {as_of}: its first value applies from {}",
                        first.from.map_or_else(String::new, |d| d.to_string())
                    ),
                );
                continue;
            }
        }
        out.insert(id.to_string(), param);
    }
    out
}

/// A parameter's `value`: a finite number or text.
fn value_of(n: &Node, what: &str, diags: &mut Diagnostics) -> Option<ParamValue> {
    match &n.kind {
        Kind::Null => {
            diags.error(PARAMS_FILE, n.pos, "missing-key", format!("{what}: `value` is empty"));
            None
        }
        Kind::Int(i) => Some(ParamValue::Number(*i as f64)),
        Kind::Float(x) if x.is_finite() => Some(ParamValue::Number(*x)),
        Kind::Float(_) => {
            diags.error(
                PARAMS_FILE,
                n.pos,
                "bad-number",
                format!("{what}: `value` must be a finite number or text, found `{}`", n.number_text()),
            );
            None
        }
        // `1e400` is no finite number, so YAML reads it as text; say so.
        Kind::Str(s) if yaml::number_too_large(s) => {
            diags.error(
                PARAMS_FILE,
                n.pos,
                "bad-number",
                format!("{what}: `value` `{}` is too large for a number", s.trim()),
            );
            None
        }
        Kind::Str(s) => Some(ParamValue::Text(s.clone())),
        _ => {
            diags.error(
                PARAMS_FILE,
                n.pos,
                "wrong-type",
                format!("{what}: `value` must be a number or text, found {}", n.type_name()),
            );
            None
        }
    }
}

/// `values: [{from: 2025-01, value: 48}, …]`: dated steps, strictly ascending. `from`
/// is a month (its first day) or a date.
fn steps(list: &Node, what: &str, diags: &mut Diagnostics) -> Option<Vec<ParamStep>> {
    let Kind::Seq(items) = &list.kind else {
        diags.error(
            PARAMS_FILE,
            list.pos,
            "wrong-type",
            format!("{what}: `values` is a list of `{{from, value}}`, found {}", list.type_name()),
        );
        return None;
    };
    let mut out: Vec<ParamStep> = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(mut f) = Fields::new(item, PARAMS_FILE, "dated value", diags) else {
            ok = false;
            continue;
        };
        let from = f.string("from", diags);
        let value = f.node("value");
        f.finish(diags, |_| None);
        let from = match from {
            None => {
                diags.error(
                    PARAMS_FILE,
                    item.pos,
                    "missing-key",
                    format!("{what}: dated value: missing required key `from` (a month `YYYY-MM` or a date)"),
                );
                None
            }
            Some(s) => match from_date(&s.value) {
                Ok(d) => Some((d, s.pos)),
                Err(e) => {
                    diags.error(PARAMS_FILE, s.pos, "bad-date", format!("`from`: {e}"));
                    None
                }
            },
        };
        let value = match value {
            None => {
                diags.error(
                    PARAMS_FILE,
                    item.pos,
                    "missing-key",
                    format!("{what}: dated value: missing required key `value`"),
                );
                None
            }
            Some(n) => value_of(n, what, diags).map(|v| (v, n.pos)),
        };
        let (Some((from, from_pos)), Some((value, _))) = (from, value) else {
            ok = false;
            continue;
        };
        if let Some(prev) = out.last().and_then(|p| p.from) {
            if from <= prev {
                diags.error(
                    PARAMS_FILE,
                    from_pos,
                    "values-not-ascending",
                    format!("{what}: `from` dates must be strictly ascending: {from} comes after {prev}"),
                );
                ok = false;
                continue;
            }
        }
        out.push(ParamStep { from: Some(from), value, pos: from_pos });
    }
    if out.is_empty() && ok {
        diags.error(PARAMS_FILE, list.pos, "missing-key", format!("{what}: `values` is empty"));
    }
    (ok && !out.is_empty()).then_some(out)
}

/// `2025-01` (the month's first day) or `2025-01-15`.
fn from_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    if s.len() == 7 {
        YearMonth::parse(s).map(|m| Date { year: m.year, month: m.month, day: 1 })
    } else {
        Date::parse(s).map_err(|_| format!("`{s}` is neither a month `YYYY-MM` nor a date `YYYY-MM-DD`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: [Language; 1] = [Language::ZhCn];

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn diags_of(f: impl FnOnce(&mut Diagnostics)) -> Vec<String> {
        let mut d = Diagnostics::new();
        f(&mut d);
        d.into_sorted().iter().map(|d| format!("{}:{}:{} {}", d.path, d.pos.line, d.pos.col, d.message)).collect()
    }

    #[test]
    fn params_display_with_units() {
        let node = yaml::parse("a: {value: 5, unit: 分钟, label: 线上回复}\nb: {value: 90, unit: '%', label: 满意度}\nc: {value: 4.5, label: 分数}\n", 1).unwrap();
        let mut d = Diagnostics::new();
        let p = parse_params(&node, date("2026-11-30"), &ZH, &mut d);
        assert!(d.is_empty());
        assert_eq!(p["a"].display_in(Language::ZhCn), "5 分钟");
        assert_eq!(p["b"].display_in(Language::ZhCn), "90%");
        assert_eq!(p["c"].display_in(Language::ZhCn), "4.5");
    }

    #[test]
    fn words_take_a_form_per_language_and_the_value_is_shared() {
        let src = "\
q:
  values:
    - {from: 2025-01, value: 48}
    - {from: 2026-01, value: 36}
  unit: {zh-CN: 小时, en: [hour, hours]}
  label: {zh-CN: 产品质量类投诉, en: Product quality complaints}
  description: 按政策办理退货或换货
one: {value: 1, unit: {zh-CN: 小时, en: [hour, hours]}, label: 转交}
pct: {value: 90, unit: '%', label: {zh-CN: 满意度, en: Satisfaction}}
";
        let node = yaml::parse(src, 1).unwrap();
        let mut d = Diagnostics::new();
        let p = parse_params(&node, date("2026-11-30"), &[Language::ZhCn, Language::En], &mut d);
        assert!(d.is_empty(), "{:?}", d.into_sorted());
        let q = &p["q"];
        assert_eq!(q.display_in(Language::ZhCn), "36 小时");
        assert_eq!(q.value_in(&ParamValue::Number(1.0), Language::En), "1 hour");
        assert_eq!(q.display_in(Language::En), "36 hours");
        assert_eq!(q.label_in(Language::En), "Product quality complaints");
        // The String fields stay the default language's words.
        assert_eq!((q.unit.as_str(), q.label.as_str()), ("小时", "产品质量类投诉"));
        // Without an English form, the default's words (the page check reports it).
        assert_eq!(q.description_in(Language::En), Some("按政策办理退货或换货"));
        assert_eq!(p["one"].display_in(Language::En), "1 hour");
        assert_eq!(p["pct"].display_in(Language::En), "90%");
        assert_eq!(p["pct"].description_in(Language::En), None);
        // A form in a language the site does not list is an error at its key.
        let msgs = diags_of(|d| {
            parse_params(&node, date("2026-11-30"), &ZH, d);
        });
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(
            msgs[0].starts_with("data/params.yaml:5:21 parameter `q`: `unit`: `en` is not one of the site's languages"),
            "{msgs:?}"
        );
    }

    #[test]
    fn param_errors_have_positions() {
        let node =
            yaml::parse("a: {value: [1], label: x}\nb: {unit: 天}\nc: {value: 1, label: y, lable: z}\n", 1).unwrap();
        let msgs = diags_of(|d| {
            parse_params(&node, date("2026-11-30"), &ZH, d);
        });
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(
            msgs[0].starts_with("data/params.yaml:1:12 parameter `a`: `value` must be a number or text"),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.starts_with("data/params.yaml:2:1 parameter `b`: missing required key `value`")));
        assert!(msgs.iter().any(|m| m.contains("missing required key `label`")));
        assert!(msgs.iter().any(|m| m.starts_with("data/params.yaml:3:25 parameter `c`: unknown key `lable`")));
    }

    const DATED: &str = "\
q:
  values:
    - {from: 2025-01, value: 48}
    - {from: 2026-01-15, value: 36}
  unit: 小时
  label: 产品质量类投诉
";

    #[test]
    fn dated_values_are_in_force_from_their_date() {
        let node = yaml::parse(DATED, 1).unwrap();
        let at = |d: &str| {
            let mut diags = Diagnostics::new();
            let p = parse_params(&node, date(d), &ZH, &mut diags);
            assert!(diags.is_empty(), "{d}");
            p["q"].display_in(Language::ZhCn)
        };
        assert_eq!(at("2025-01-01"), "48 小时");
        assert_eq!(at("2026-01-14"), "48 小时");
        assert_eq!(at("2026-01-15"), "36 小时");
        assert_eq!(at("2030-06-01"), "36 小时");
        let mut diags = Diagnostics::new();
        let p = parse_params(&node, date("2026-11-30"), &ZH, &mut diags);
        let q = &p["q"];
        assert_eq!(q.history.len(), 2);
        assert_eq!(q.step_at(date("2025-12-31")).map(|s| &s.value), Some(&ParamValue::Number(48.0)));
        assert_eq!(q.step_at(date("2024-12-31")), None);
        // Before the first dated value nothing is in force: an error at that value.
        let msgs = diags_of(|d| {
            parse_params(&node, date("2024-06-30"), &ZH, d);
        });
        assert_eq!(
            msgs,
            ["data/params.yaml:3:14 parameter `q` has no value in force on 2024-06-30: its first value applies from 2025-01-01"]
        );
    }

    #[test]
    fn dated_values_are_checked() {
        let text = "\
a: {value: 1, values: [{from: 2025-01, value: 2}], label: x}
b: {values: [{from: 2026-01, value: 2}, {from: 2025-01, value: 3}], label: y}
c: {values: [{from: 2025-13, value: 2}], label: z}
d: {values: [{value: 2}], label: w}
e: {values: 5, label: v}
";
        let node = yaml::parse(text, 1).unwrap();
        let msgs = diags_of(|d| {
            parse_params(&node, date("2026-11-30"), &ZH, d);
        });
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert!(
            msgs[0].starts_with("data/params.yaml:1:12 parameter `a`: give either `value` or a dated list"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("data/params.yaml:2:48 parameter `b`: `from` dates must be strictly ascending"),
            "{msgs:?}"
        );
        assert!(msgs[2].starts_with("data/params.yaml:3:21 `from`: `2025-13` has month 13"), "{msgs:?}");
        assert!(
            msgs[3].starts_with("data/params.yaml:4:14 parameter `d`: dated value: missing required key `from`"),
            "{msgs:?}"
        );
        assert!(msgs[4].starts_with("data/params.yaml:5:13 parameter `e`: `values` is a list"), "{msgs:?}");
    }
}
