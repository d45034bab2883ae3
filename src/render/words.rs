//! The service data's words in the language of the page being generated: KPI names,
//! units and definitions, scorecard, team, department and complaint-type names, action
//! titles, parameter labels and values — and the few marks of punctuation generated
//! text puts between them (`名称：值` in Chinese, `Name: value` in English).
//!
//! Numbers are shared by every language; only the words around them change. A word
//! the data gives no form for in the language reads in the default language (the
//! loader guarantees that one): on a generated page that is not an error (content
//! pages, which a writer can fix line by line, do report it). People's names are
//! theirs and are never looked up here. Pure lookups; no I/O.

use crate::base::i18n::Language;
use crate::compute::kpi::format_target_in;
use crate::load::data::{format_number, round_half_away, with_unit, Kpi, Org, Param, ParamValue, Scorecard, Team};
use crate::load::measure::{Action, ComplaintType};

/// The words of one language: `Say(inputs.env.language)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Say(pub(crate) Language);

impl Say {
    pub(crate) fn kpi<'a>(&self, k: &'a Kpi) -> &'a str {
        k.name_in(self.0)
    }

    /// The KPI's definition (markdown).
    pub(crate) fn definition<'a>(&self, k: &'a Kpi) -> &'a str {
        k.definition_in(self.0)
    }

    /// The KPI's unit named on its own (the dictionary's "unit: hours"): the form after
    /// numbers other than one, where the language has two.
    pub(crate) fn unit<'a>(&self, k: &'a Kpi) -> &'a str {
        k.words.unit_after("unit", self.0, None).unwrap_or(&k.unit)
    }

    /// A number in the KPI's unit, as written (`n` already rounded): `36 hours`, `1 hour`.
    pub(crate) fn amount(&self, k: &Kpi, n: f64) -> String {
        with_unit(&format_number(n), k.unit_after(self.0, n))
    }

    /// A value of the KPI rounded for reading, with its unit: `4.31 points`, `92.5%`.
    pub(crate) fn value(&self, k: &Kpi, v: f64) -> String {
        self.amount(k, round_half_away(v, 2))
    }

    /// A target as readers see it: `≤ 24 hours`.
    pub(crate) fn target(&self, k: &Kpi, t: f64) -> String {
        format_target_in(k, t, self.0)
    }

    pub(crate) fn scorecard<'a>(&self, s: &'a Scorecard) -> &'a str {
        s.name_in(self.0)
    }

    pub(crate) fn team<'a>(&self, t: &'a Team) -> &'a str {
        t.name_in(self.0)
    }

    /// The name of department `id` (the id itself if the organisation has none such;
    /// departments are a handful, so a walk is fine).
    pub(crate) fn department<'a>(&self, org: &'a Org, id: &'a str) -> &'a str {
        org.departments.iter().find(|d| d.id == id).map_or(id, |d| d.name_in(self.0))
    }

    pub(crate) fn complaint_type<'a>(&self, t: &'a ComplaintType) -> &'a str {
        t.words.text("name", self.0).unwrap_or(&t.name)
    }

    pub(crate) fn action<'a>(&self, a: &'a Action) -> &'a str {
        a.words.text("title", self.0).unwrap_or(&a.title)
    }

    /// The parameter's value in force, with its unit: `36 hours`.
    pub(crate) fn param(&self, p: &Param) -> String {
        p.display_in(self.0)
    }

    /// One of the parameter's values (a step of its history), with its unit.
    pub(crate) fn param_value(&self, p: &Param, value: &ParamValue) -> String {
        p.value_in(value, self.0)
    }

    /// `label` and what follows it: `时限：36 小时`, `Time limit: 36 hours`.
    pub(crate) fn labelled(&self, label: &str, text: &str) -> String {
        match self.0 {
            Language::ZhCn => format!("{label}：{text}"),
            _ => format!("{label}: {text}"),
        }
    }

    /// `text` with a remark after it: `退款（新页面）`, `Refunds (new page)`.
    pub(crate) fn remark(&self, text: &str, remark: &str) -> String {
        match self.0 {
            Language::ZhCn => format!("{text}（{remark}）"),
            _ => format!("{text} ({remark})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostics::Pos;
    use crate::compute::kpi::tests::kpi;
    use crate::load::data::{Direction, Form, Words};

    #[test]
    fn a_kpi_reads_in_the_language_with_its_unit_after_the_number() {
        let form = |language, text: &str, plural: Option<&str>| Form {
            language,
            text: text.into(),
            plural: plural.map(Into::into),
            pos: Pos::FILE,
        };
        let mut k = kpi(Direction::Higher, (1.0, 5.0), &[], 0.0);
        let forms = vec![form(Language::ZhCn, "分", None), form(Language::En, "point", Some("points"))];
        k.words.insert("unit", Some(Words { pos: Pos::FILE, forms }));
        k.words.insert("name", Some(Words { pos: Pos::FILE, forms: vec![form(Language::ZhCn, "满意度", None)] }));
        let (en, zh) = (Say(Language::En), Say(Language::ZhCn));
        assert_eq!(
            (en.amount(&k, 1.0), en.value(&k, 4.306), en.unit(&k)),
            ("1 point".into(), "4.31 points".into(), "points")
        );
        assert_eq!((zh.amount(&k, 1.0), zh.value(&k, 4.306), zh.unit(&k)), ("1 分".into(), "4.31 分".into(), "分"));
        assert_eq!(en.target(&k, 4.0), "≥ 4 points");
        // No English name written: the default language's, not an error.
        assert_eq!(en.kpi(&k), "满意度");
    }

    #[test]
    fn punctuation_between_words_follows_the_language() {
        assert_eq!(Say(Language::ZhCn).labelled("时限", "36 小时"), "时限：36 小时");
        assert_eq!(Say(Language::En).labelled("Time limit", "36 hours"), "Time limit: 36 hours");
        assert_eq!(Say(Language::ZhCn).remark("退款", "新页面"), "退款（新页面）");
        assert_eq!(Say(Language::En).remark("Refunds", "new page"), "Refunds (new page)");
    }
}
