//! What pages show of the service data's words, language by language: which fields a
//! shortcode shows that have no form in the page's language (for `check`, which
//! reports them at the data), and a parameter's value as a reader may type it in any
//! language (for [`super::NumberSpotter`]).
//!
//! Pure functions over the loaded data; reports nothing itself.

use crate::base::i18n::Language;
use crate::load::data::{Data, ParamValue, Wording, Words, KPIS_FILE, PARAMS_FILE, SCORECARDS_FILE};
use crate::markdown::shortcodes::Use;

/// The words of the data `u` shows that have no `language` form (see [`Shown`]), in
/// the order it shows them. Unknown ids show nothing.
pub(crate) fn missing_words<'a>(u: &Use, data: &'a Data, language: Language) -> Vec<Shown<'a>> {
    let mut out = Vec::new();
    let mut check = |file: &'static str, what: &dyn Fn() -> String, words: &'a Wording, keys: &[&'static str]| {
        for &key in keys {
            if let Some(w) = words.missing(key, language) {
                out.push(Shown { file, what: what(), key, words: w });
            }
        }
    };
    let params = |ids: &[String]| ids.iter().filter_map(|id| data.params.get(id)).collect::<Vec<_>>();
    match u {
        Use::Param(id) => {
            for p in params(std::slice::from_ref(id)) {
                check(PARAMS_FILE, &|| format!("parameter `{id}`"), &p.words, &["unit"]);
            }
        }
        Use::ParamsTable(ids) => {
            for p in params(ids) {
                check(PARAMS_FILE, &|| format!("parameter `{}`", p.id), &p.words, &["label", "unit", "description"]);
            }
        }
        Use::Kpi(id) | Use::Target(id) => {
            if let Some(k) = data.kpis.get(id) {
                let key = if matches!(u, Use::Kpi(_)) { "name" } else { "unit" };
                check(KPIS_FILE, &|| format!("KPI `{id}`"), &k.words, &[key]);
            }
        }
        Use::KpiTable(id) => {
            let Some(card) = data.scorecard(id) else { return out };
            check(SCORECARDS_FILE, &|| format!("scorecard `{id}`"), &card.words, &["name"]);
            for k in card.items.iter().filter_map(|i| data.kpis.get(&i.kpi.value)) {
                check(KPIS_FILE, &|| format!("KPI `{}`", k.id), &k.words, &["name", "unit"]);
            }
        }
    }
    out
}

/// A field of the service data that a page shows but that has no form in the page's
/// language: `unit` of parameter `reply_minutes` in `data/params.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shown<'a> {
    pub(crate) file: &'static str,
    /// `parameter `reply_minutes``.
    pub(crate) what: String,
    pub(crate) key: &'static str,
    pub(crate) words: &'a Words,
}

/// A parameter's value as typed by hand, for spotting numbers that should be
/// shortcodes: the value with each form of its unit in every language, with and
/// without a space (`24 小时`, `24小时`, `24 hours`, `24 hour`), and a word unit
/// joined by a hyphen as English writes it before a noun (`24-hour`). Only numeric
/// parameters with a unit are spotted.
pub(crate) fn typed_forms(data: &Data) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in data.params.values() {
        let ParamValue::Number(n) = &p.value else { continue };
        let mut units = p.words.unit_forms("unit");
        if units.is_empty() && !p.unit.is_empty() {
            units.push(&p.unit);
        }
        let v = crate::load::data::format_number(*n);
        for unit in units {
            out.push((format!("{v} {unit}"), p.id.clone()));
            out.push((format!("{v}{unit}"), p.id.clone()));
            if unit.starts_with(|c: char| c.is_ascii_alphabetic()) {
                out.push((format!("{v}-{unit}"), p.id.clone()));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::markdown::shortcodes::{check, parse_call};

    /// Service data with English forms for some words, read for a zh-CN/en site.
    pub(crate) fn two_language_data() -> Data {
        let both = [Language::ZhCn, Language::En];
        let mut d = crate::base::diagnostics::Diagnostics::new();
        let mut data = Data::default();
        let params = "\
reply: {value: 36, unit: {zh-CN: 小时, en: [hour, hours]}, label: {zh-CN: 质量投诉, en: Quality complaints}, description: 退换货}
once: {value: 1, unit: {zh-CN: 小时, en: [hour, hours]}, label: 转交}
queue: {value: 10, unit: 分钟, label: {zh-CN: 排队, en: Queue}}
";
        let day = crate::base::date::Date::parse("2026-11-30").unwrap();
        data.params = crate::load::params::parse_params(&yaml(params), day, &both, &mut d);
        let kpis = "\
- {id: sat, name: {zh-CN: 满意度, en: Satisfaction}, unit: {zh-CN: 分, en: points}, direction: higher, scale: {min: 1, max: 5}, targets: [{from: 2025-01, value: 4.2}], public: true}
- {id: hours, name: 响应时长, unit: {zh-CN: 小时, en: [hour, hours]}, direction: lower, scale: {min: 0, max: 72}, targets: [{from: 2025-01, value: 24}], public: true}
";
        let roles = Default::default();
        data.kpis = crate::load::data::parse_kpis(&yaml(kpis), &roles, &both, &mut d);
        let cards = "- {id: card, name: {zh-CN: 综合评分, en: Overall score}, items: [{kpi: sat, weight: 60}, {kpi: hours, weight: 40}], public: true}\n";
        data.scorecards = crate::load::data::parse_scorecards(&yaml(cards), &data.kpis, (&roles, &both), &mut d);
        assert!(d.is_empty(), "{:?}", d.into_sorted());
        data
    }

    fn yaml(src: &str) -> crate::formats::yaml::Node {
        crate::formats::yaml::parse(src, 1).unwrap()
    }

    #[test]
    fn each_use_names_the_words_it_shows_without_a_form() {
        let data = two_language_data();
        let missing = |call: &str, language| {
            let u = check(&parse_call(call).unwrap()).unwrap();
            missing_words(&u, &data, language)
                .iter()
                .map(|s| format!("{} {} {}:{}", s.what, s.key, s.words.pos.line, s.words.pos.col))
                .collect::<Vec<_>>()
        };
        assert!(missing("param(id=\"reply\")", Language::En).is_empty());
        assert_eq!(missing("param(id=\"queue\")", Language::En), ["parameter `queue` unit 3:26"]);
        assert_eq!(
            missing("params_table(ids=[\"reply\", \"once\", \"nope\"])", Language::En),
            ["parameter `reply` description 1:117", "parameter `once` label 2:63"]
        );
        assert!(missing("kpi(id=\"sat\")", Language::En).is_empty());
        assert_eq!(missing("kpi(id=\"hours\")", Language::En), ["KPI `hours` name 2:21"]);
        // A target shows the unit only.
        assert!(missing("target(kpi=\"hours\")", Language::En).is_empty());
        assert_eq!(missing("kpi_table(scorecard=\"card\")", Language::En), ["KPI `hours` name 2:21"]);
        // The default language is always complete.
        assert!(missing("kpi_table(scorecard=\"card\")", Language::ZhCn).is_empty());
        assert!(missing("params_table(ids=[\"reply\", \"once\"])", Language::ZhCn).is_empty());
    }

    #[test]
    fn typed_forms_know_every_language_and_number() {
        let data = two_language_data();
        let forms: Vec<String> =
            typed_forms(&data).into_iter().filter(|(_, id)| id == "reply").map(|(t, _)| t).collect();
        assert_eq!(forms, ["36 hour", "36 hours", "36 小时", "36-hour", "36-hours", "36hour", "36hours", "36小时"]);
    }
}
