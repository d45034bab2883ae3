//! Words of the service data in each language. Numbers are shared by every language;
//! what readers read around them — a parameter's label and unit, a KPI's name and
//! definition, a scorecard's name — is written once per language:
//! `label: 线上人工回复` (the default language's words) or
//! `label: {zh-CN: 线上人工回复, en: Online human reply}`. A unit may give the form
//! after one and after other numbers: `unit: {zh-CN: 小时, en: [hour, hours]}`.
//!
//! Owns [`Words`] (one field's forms, each with its position), [`Wording`] (a record's
//! fields) and the one reader of the plain-or-mapping field ([`WordsReader`]), which
//! every data file uses. It must not decide which page shows which word (that is
//! `check::validate`).

use std::collections::BTreeMap;

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::base::i18n::Language;
use crate::formats::yaml::{Fields, Kind, Node};

/// One language's form of a field: its text and, for a unit written `[hour, hours]`,
/// the form after numbers other than one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Form {
    pub(crate) language: Language,
    pub(crate) text: String,
    pub(crate) plural: Option<String>,
    pub(crate) pos: Pos,
}

/// A field readers read, in each language it is written in: the default language's
/// form first, then the others in the order of `languages:`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Words {
    /// Where the field's value starts (a missing form is reported here).
    pub(crate) pos: Pos,
    pub(crate) forms: Vec<Form>,
}

impl Words {
    /// The form in `language`, if written.
    pub(crate) fn form(&self, language: Language) -> Option<&Form> {
        self.forms.iter().find(|f| f.language == language)
    }

    /// The form in `language`, else the default language's.
    fn form_or_default(&self, language: Language) -> &Form {
        self.form(language).unwrap_or(&self.forms[0])
    }
}

/// The fields of one record that readers read, by key (`label`, `unit`). A field the
/// record leaves out (or leaves empty, for an optional one) is not here.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Wording(BTreeMap<&'static str, Words>);

impl Wording {
    /// Records `key`'s words, returning its default language's form.
    pub(crate) fn insert(&mut self, key: &'static str, words: Option<Words>) -> Option<String> {
        let w = words?;
        let default = w.forms[0].text.clone();
        self.0.insert(key, w);
        Some(default)
    }

    /// `key` in `language`, else in the default language (a missing form is reported by
    /// the check of the pages that show it); `None` when the record has no `key`.
    pub(crate) fn text(&self, key: &str, language: Language) -> Option<&str> {
        self.0.get(key).map(|w| w.form_or_default(language).text.as_str())
    }

    /// The unit (`key`) as it reads after the number `n` in `language`: the plural form
    /// after any number but one, when the unit gives one. `None` without a unit.
    pub(crate) fn unit_after(&self, key: &str, language: Language, n: Option<f64>) -> Option<&str> {
        let form = self.0.get(key)?.form_or_default(language);
        Some(match (&form.plural, n) {
            (Some(p), n) if n != Some(1.0) => p,
            _ => &form.text,
        })
    }

    /// Every form of the unit (`key`) in every language, each once: what a reader may
    /// type after a number.
    pub(crate) fn unit_forms(&self, key: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in self.0.get(key).map(|w| w.forms.as_slice()).unwrap_or_default() {
            out.push(&f.text);
            out.extend(f.plural.as_deref());
        }
        out.retain(|u| !u.is_empty());
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The field `key` when it is written but has no `language` form. Words without
    /// letters (`%`, `‰`) read the same in every language and are never missing.
    pub(crate) fn missing(&self, key: &str, language: Language) -> Option<&Words> {
        let lettered =
            |f: &Form| f.text.chars().chain(f.plural.iter().flat_map(|p| p.chars())).any(char::is_alphabetic);
        self.0.get(key).filter(|w| w.form(language).is_none() && w.forms.iter().any(lettered))
    }
}

/// How a field may be written: text, or a unit (which may give `[one, other]` forms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    Unit,
}

/// Reads the per-language fields of one data file's records, for a site written in
/// `languages` (the default first; none is read as zh-CN alone, as `charter.yaml`
/// defaults). `what` names the record in messages (`parameter `reply_minutes``).
pub(crate) struct WordsReader<'a> {
    pub(crate) languages: &'a [Language],
    pub(crate) what: &'a str,
}

impl WordsReader<'_> {
    fn languages(&self) -> &[Language] {
        if self.languages.is_empty() {
            &[Language::ZhCn]
        } else {
            self.languages
        }
    }

    /// A field that must be given, in the default language at least.
    pub(crate) fn required(&self, f: &mut Fields, key: &'static str, diags: &mut Diagnostics) -> Option<Words> {
        let present = f.node(key).is_some_and(|n| !matches!(n.kind, Kind::Null));
        if !present {
            let pos = f.key_pos(key).unwrap_or(f.pos());
            diags.error(f.path(), pos, "missing-key", format!("{}: missing required key `{key}`", self.what));
            return None;
        }
        let words = self.read(f, key, Shape::Text, diags)?;
        if words.forms[0].text.trim().is_empty() {
            diags.error(f.path(), words.pos, "missing-key", format!("{}: `{key}` must not be empty", self.what));
            return None;
        }
        Some(words)
    }

    /// A text field that may be left out (or empty).
    pub(crate) fn optional(&self, f: &mut Fields, key: &'static str, diags: &mut Diagnostics) -> Option<Words> {
        self.read(f, key, Shape::Text, diags).filter(|w| !w.forms[0].text.is_empty())
    }

    /// A unit, which may be left out, and in each language may give its form after
    /// one and after other numbers: `[hour, hours]`. A language may write no unit
    /// where another writes one (`{zh-CN: 位, en: ''}`: Chinese counts people with
    /// a measure word, English with the number alone).
    pub(crate) fn unit(&self, f: &mut Fields, key: &'static str, diags: &mut Diagnostics) -> Option<Words> {
        self.read(f, key, Shape::Unit, diags).filter(|w| w.forms.iter().any(|f| !f.text.is_empty()))
    }

    fn read(&self, f: &mut Fields, key: &'static str, shape: Shape, diags: &mut Diagnostics) -> Option<Words> {
        let node = f.node(key)?;
        let default = self.languages()[0];
        match &node.kind {
            Kind::Map(_) => self.mapping(f.path(), key, node, shape, diags),
            Kind::Seq(_) if shape == Shape::Unit => {
                let (text, plural) = self.plural(f, key, diags)?;
                Some(Words { pos: node.pos, forms: vec![Form { language: default, text, plural, pos: node.pos }] })
            }
            _ => {
                let s = f.string(key, diags)?;
                let form = Form { language: default, text: s.value, plural: None, pos: s.pos };
                Some(Words { pos: node.pos, forms: vec![form] })
            }
        }
    }

    /// `{zh-CN: 小时, en: [hour, hours]}`: a form per language of the site, the
    /// default's among them, none empty.
    fn mapping(&self, path: &str, key: &str, node: &Node, shape: Shape, diags: &mut Diagnostics) -> Option<Words> {
        let Kind::Map(entries) = &node.kind else { return None };
        let field = format!("{}: `{key}`", self.what);
        let mut sub = Fields::new(node, path, &field, diags)?;
        let tags: Vec<&str> = self.languages().iter().map(|l| l.tag()).collect();
        let mut ok = true;
        for (k, _) in entries {
            let Some(tag) = k.as_str() else { continue };
            if !tags.contains(&tag) {
                ok = false;
                let listed = tags.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
                diags.error(
                    path,
                    k.pos,
                    "unknown-language",
                    format!("{field}: `{tag}` is not one of the site's languages ({listed})"),
                );
                if !diags.suggest(tag, tags.iter().copied()) {
                    diags.with_help("list the language in charter.yaml's `languages:`, or remove this form");
                }
            }
        }
        let mut forms = Vec::new();
        for &language in self.languages() {
            let Some(value) = sub.node(language.tag()) else { continue };
            let own = format!("{field} in `{}`", language.tag());
            let read = match &value.kind {
                Kind::Seq(_) if shape == Shape::Unit => {
                    WordsReader { languages: self.languages, what: &own }.plural(&mut sub, language.tag(), diags)
                }
                _ => sub.string(language.tag(), diags).map(|s| (s.value, None)),
            };
            match read {
                Some((text, plural)) if !text.trim().is_empty() || (shape == Shape::Unit && text.is_empty()) => {
                    forms.push(Form { language, text, plural, pos: value.pos })
                }
                // Anything else but an empty form was reported as read.
                None if !matches!(value.kind, Kind::Null) => ok = false,
                Some(_) | None => {
                    ok = false;
                    // An empty value has no text of its own to point at: its key.
                    let pos = if matches!(value.kind, Kind::Null) { sub.key_pos(language.tag()) } else { None };
                    diags.error(path, pos.unwrap_or(value.pos), "empty-form", format!("{own} is empty"));
                    diags.with_help(match shape {
                        Shape::Unit => format!("write the unit in `{}`, or `''` if it writes none", language.tag()),
                        Shape::Text => format!("write the words in `{}`, or remove the form", language.tag()),
                    });
                }
            }
        }
        let default = self.languages()[0];
        if forms.first().is_none_or(|f| f.language != default) {
            if ok {
                diags.error(
                    path,
                    node.pos,
                    "missing-form",
                    format!("{field} has no `{}` form, the site's default language", default.tag()),
                );
                diags.with_help(format!(
                    "add `{}: …`: the default language's words are shown wherever no other form is asked for",
                    default.tag()
                ));
            }
            // The record stays, standing in its first form for the default's, so that
            // the pages showing it are not each told it does not exist: nothing is
            // built while the error stands.
            let first = forms.first()?.clone();
            forms.insert(0, Form { language: default, ..first });
        }
        Some(Words { pos: node.pos, forms })
    }

    /// `[hour, hours]`: the form after one, then after other numbers.
    fn plural(&self, f: &mut Fields, key: &'static str, diags: &mut Diagnostics) -> Option<(String, Option<String>)> {
        let pos = f.node(key).map_or(f.pos(), |n| n.pos);
        let items = f.string_list(key, diags);
        match items.as_slice() {
            [one, other] if !one.value.trim().is_empty() && !other.value.trim().is_empty() => {
                Some((one.value.clone(), Some(other.value.clone())))
            }
            _ => {
                diags.error(
                    f.path(),
                    pos,
                    "bad-value",
                    format!(
                        "{}: a unit's list gives two forms, after one and after other numbers, like `[hour, hours]`",
                        self.what
                    ),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml;
    use crate::formats::yaml::test_support::map_entries;

    const BOTH: [Language; 2] = [Language::ZhCn, Language::En];

    /// Reads each record of `src` (a mapping of records) as `{label, unit}` for a site
    /// in `languages`: the records' wording and every diagnostic, `line:col message`.
    fn read(src: &str, languages: &[Language]) -> (Vec<Wording>, Vec<String>) {
        let node = yaml::parse(src, 1).unwrap();
        let mut d = Diagnostics::new();
        let mut out = Vec::new();
        for (k, v) in map_entries(&node) {
            let what = format!("parameter `{}`", k.as_str().unwrap());
            let mut f = Fields::new(v, "data/params.yaml", &what, &mut d).unwrap();
            let reader = WordsReader { languages, what: &what };
            let mut w = Wording::default();
            w.insert("label", reader.required(&mut f, "label", &mut d));
            w.insert("unit", reader.unit(&mut f, "unit", &mut d));
            out.push(w);
        }
        let msgs = d.into_sorted().iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect();
        (out, msgs)
    }

    #[test]
    fn plain_and_per_language_forms_read_alike() {
        let src = "\
a: {label: 线上回复, unit: 分钟}
b:
  label: {zh-CN: 线上人工回复, en: Online human reply}
  unit: {zh-CN: 小时, en: [hour, hours]}
";
        let (w, msgs) = read(src, &BOTH);
        assert!(msgs.is_empty(), "{msgs:?}");
        let label = w[0].0.get("label").unwrap();
        assert_eq!(label.pos, Pos::new(1, 12));
        assert_eq!(
            label.forms,
            [Form { language: Language::ZhCn, text: "线上回复".into(), plural: None, pos: Pos::new(1, 12) }]
        );
        // A plain field is the default language's words: English falls back to them
        // (the check of the pages reports it), and nothing else is invented.
        assert_eq!(w[0].text("label", Language::En), Some("线上回复"));
        assert!(w[0].missing("label", Language::En).is_some());
        assert_eq!(w[0].missing("label", Language::ZhCn), None);
        let unit = w[1].0.get("unit").unwrap();
        assert_eq!(unit.pos, Pos::new(4, 9));
        assert_eq!(
            unit.form(Language::En),
            Some(&Form {
                language: Language::En,
                text: "hour".into(),
                plural: Some("hours".into()),
                pos: Pos::new(4, 25)
            })
        );
        assert_eq!(w[1].text("label", Language::En), Some("Online human reply"));
        assert_eq!(w[1].text("label", Language::ZhCn), Some("线上人工回复"));
        assert_eq!(w[1].unit_after("unit", Language::En, Some(1.0)), Some("hour"));
        assert_eq!(w[1].unit_after("unit", Language::En, Some(36.0)), Some("hours"));
        assert_eq!(w[1].unit_after("unit", Language::En, Some(0.5)), Some("hours"));
        assert_eq!(w[1].unit_after("unit", Language::ZhCn, Some(1.0)), Some("小时"));
        assert_eq!(w[1].unit_forms("unit"), ["hour", "hours", "小时"]);
        assert_eq!(w[1].missing("unit", Language::En), None);
        assert_eq!(w[0].unit_after("nothing", Language::En, Some(1.0)), None);
        assert_eq!(w[1].text("unit", Language::ZhCn), Some("小时"));
    }

    #[test]
    fn a_language_may_write_no_unit_where_another_does() {
        let (w, msgs) =
            read("a: {label: 访问, unit: {zh-CN: 位, en: ''}}\nb: {label: x, unit: {zh-CN: 位, en: }}\n", &BOTH);
        assert_eq!(msgs, ["2:32 parameter `b`: `unit` in `en` is empty"]);
        assert_eq!(w[0].unit_after("unit", Language::En, Some(10.0)), Some(""));
        assert_eq!(w[0].unit_after("unit", Language::ZhCn, Some(10.0)), Some("位"));
        assert_eq!(w[0].missing("unit", Language::En), None);
        // A unit without letters reads the same in every language.
        let (w, _) = read("a: {label: 满意度, unit: '%'}\n", &BOTH);
        assert_eq!(w[0].missing("unit", Language::En), None);
        assert!(w[0].missing("label", Language::En).is_some());
        let (w, _) = read("a: {label: 访问, unit: {zh-CN: 位, en: ''}}\n", &BOTH);
        // Nothing to spot after a bare number.
        assert_eq!(w[0].unit_forms("unit"), ["位"]);
    }

    #[test]
    fn a_site_in_english_may_give_plural_units_plainly() {
        let (w, msgs) = read("a: {label: Reply, unit: [minute, minutes]}\n", &[Language::En]);
        assert!(msgs.is_empty(), "{msgs:?}");
        assert_eq!(w[0].unit_after("unit", Language::En, Some(5.0)), Some("minutes"));
        assert_eq!(w[0].unit_after("unit", Language::En, Some(1.0)), Some("minute"));
    }

    #[test]
    fn wrong_forms_are_reported_where_they_stand() {
        let src = "\
a: {label: {zh-CN: 回复, fr: Réponse}}
b: {label: {en: Reply}}
c: {label: {zh-CN: 回复, en: ''}}
d: {label: {zh-CN: 回复, En: Reply}}
e: {label: 回复, unit: {zh-CN: 小时, en: [hour]}}
f: {label: {zh-CN: 回复, en: [a, b]}}
g: {label: {zh-CN: '', en: Reply}}
h: {label: 回复, unit: {zh-CN: 小时, en: }}
";
        let (w, msgs) = read(src, &BOTH);
        assert_eq!(
            msgs,
            [
                "1:24 parameter `a`: `label`: `fr` is not one of the site's languages (`zh-CN`, `en`)",
                "2:12 parameter `b`: `label` has no `zh-CN` form, the site's default language",
                "3:28 parameter `c`: `label` in `en` is empty",
                "4:24 parameter `d`: `label`: `En` is not one of the site's languages (`zh-CN`, `en`)",
                "5:38 parameter `e`: `unit` in `en`: a unit's list gives two forms, after one and after other \
                 numbers, like `[hour, hours]`",
                "6:28 `en` must be text, found a list",
                "7:20 parameter `g`: `label` in `zh-CN` is empty",
                "8:34 parameter `h`: `unit` in `en` is empty",
            ]
        );
        // A wrong form is left out; the record keeps the others, so that the pages
        // showing it are not each told it does not exist.
        assert_eq!(w.iter().filter(|w| w.0.contains_key("label")).count(), 8);
        assert_eq!(w[0].text("label", Language::ZhCn), Some("回复"));
        assert_eq!(w[1].text("label", Language::ZhCn), Some("Reply"));
        assert_eq!(w[4].unit_after("unit", Language::En, Some(2.0)), Some("小时"));
    }

    #[test]
    fn a_language_the_site_does_not_list_is_named_with_a_way_out() {
        let src = "a: {label: {zh-CN: 回复, en: Reply}}\nb: {label: {zh-cn: 回复}}\n";
        let node = yaml::parse(src, 1).unwrap();
        let mut d = Diagnostics::new();
        for (_, v) in map_entries(&node) {
            let mut f = Fields::new(v, "data/params.yaml", "x", &mut d).unwrap();
            WordsReader { languages: &[Language::ZhCn], what: "x" }.required(&mut f, "label", &mut d);
        }
        let all = d.into_sorted();
        let help: Vec<_> = all.iter().map(|d| (d.pos.line, d.help.as_deref().unwrap_or(""))).collect();
        assert_eq!(
            help,
            [
                (1, "list the language in charter.yaml's `languages:`, or remove this form"),
                // The misspelt tag is the one mistake: no echo that `zh-CN` is missing.
                (2, "did you mean `zh-CN`?"),
            ]
        );
    }
}
