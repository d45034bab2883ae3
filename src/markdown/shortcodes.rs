//! Shortcodes: `{{ param(id="online_reply_minutes") }}` and friends, the way content
//! shows numbers that live in `data/` (Zola-style call syntax).
//!
//! Owns the call syntax, the set of shortcodes with their arguments, their validation
//! against the service data and the page's audience, and their expansion to HTML (and
//! to plain text for headings). Finding shortcodes in markdown text — outside code —
//! is `markdown`'s job; this module only sees the text of a call.

use std::collections::BTreeMap;

use crate::base::date::YearMonth;
use crate::base::diagnostics::{hint, Unknown};
use crate::base::i18n::Language;
use crate::compute::kpi::{format_target_in, target_in_force};
use crate::load::content::Audience;
use crate::load::data::Data;
// Where the build finds it: the forms spotted are the data's words, now per language.
pub(crate) use crate::markdown::data_words::typed_forms;
use crate::markdown::links::relative_url;

/// The shortcodes Charter knows, with their arguments.
const NAMES: &[&str] = &["param", "params_table", "kpi_table", "kpi", "target"];

/// An argument value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    Str(String),
    List(Vec<String>),
}

/// A parsed call: `name(key=value, …)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub(crate) name: String,
    pub(crate) args: BTreeMap<String, Arg>,
}

/// A call found in text: byte range of the whole `{{ … }}` and the parse result.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub call: Result<Call, String>,
}

/// Finds every `{{ name(…) }}` in `text`. Braces not followed by a name and `(` are
/// ordinary text; a call that starts like a shortcode but is malformed is an `Err`.
pub fn find_all(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{") {
        let start = from + i;
        let inner_start = start + 2;
        let rest = &text[inner_start..];
        let trimmed = rest.trim_start();
        let name_len = trimmed.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(trimmed.len());
        let looks_like_call = name_len > 0 && trimmed[name_len..].trim_start().starts_with('(');
        if !looks_like_call {
            from = inner_start;
            continue;
        }
        match rest.find("}}") {
            Some(j) => {
                let end = inner_start + j + 2;
                out.push(Found { start, end, call: parse_call(&text[inner_start..inner_start + j]) });
                from = end;
            }
            None => {
                out.push(Found { start, end: text.len(), call: Err("shortcode is not closed with `}}`".into()) });
                break;
            }
        }
    }
    out
}

/// Parses `name(key="v", key=["a", "b"])` (surrounding spaces allowed).
pub(super) fn parse_call(src: &str) -> Result<Call, String> {
    let mut p = Cursor { s: src.trim(), i: 0 };
    let name = p.ident().ok_or("expected a shortcode name")?;
    p.ws();
    p.expect('(')?;
    let mut args = BTreeMap::new();
    loop {
        p.ws();
        if p.eat(')') {
            break;
        }
        let key = p.ident().ok_or_else(|| format!("`{name}`: expected an argument name"))?;
        p.ws();
        p.expect('=')?;
        p.ws();
        let value = if p.eat('[') {
            let mut items = Vec::new();
            loop {
                p.ws();
                if p.eat(']') {
                    break;
                }
                items.push(p.string()?);
                p.ws();
                if !p.eat(',') {
                    p.ws();
                    p.expect(']')?;
                    break;
                }
            }
            Arg::List(items)
        } else {
            Arg::Str(p.string()?)
        };
        if args.insert(key.clone(), value).is_some() {
            return Err(format!("`{name}`: argument `{key}` is given twice"));
        }
        p.ws();
        if !p.eat(',') {
            p.ws();
            p.expect(')')?;
            break;
        }
    }
    p.ws();
    if p.i != p.s.len() {
        return Err(format!("unexpected `{}` after the shortcode call", &p.s[p.i..]));
    }
    Ok(Call { name, args })
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }
    fn ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += self.peek().map_or(0, char::len_utf8);
        }
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(match self.peek() {
                Some(f) => format!("expected `{c}`, found `{f}`"),
                None => format!("expected `{c}`"),
            })
        }
    }
    fn ident(&mut self) -> Option<String> {
        let rest = &self.s[self.i..];
        let n = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if n == 0 {
            return None;
        }
        self.i += n;
        Some(rest[..n].to_string())
    }
    fn string(&mut self) -> Result<String, String> {
        let quote = match self.peek() {
            Some(q @ ('"' | '\'')) => q,
            _ => return Err("expected a quoted string".into()),
        };
        self.i += 1;
        let mut out = String::new();
        let mut chars = self.s[self.i..].char_indices();
        while let Some((k, c)) = chars.next() {
            if c == '\\' {
                if let Some((_, e)) = chars.next() {
                    out.push(e);
                }
            } else if c == quote {
                self.i += k + 1;
                return Ok(out);
            } else {
                out.push(c);
            }
        }
        Err("string is not closed".into())
    }
}

/// A checked shortcode: which one, with its arguments.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Use {
    Param(String),
    ParamsTable(Vec<String>),
    KpiTable(String),
    Kpi(String),
    Target(String),
}

impl Use {
    /// Block shortcodes render a table and stand alone in their paragraph.
    pub(crate) fn is_block(&self) -> bool {
        matches!(self, Use::ParamsTable(_) | Use::KpiTable(_))
    }

    /// KPI ids this use cites (for the KPI dictionary's "cited by" lists).
    pub(crate) fn cited_kpis(&self, data: &Data) -> Vec<String> {
        match self {
            Use::Kpi(k) | Use::Target(k) => vec![k.clone()],
            Use::KpiTable(s) => {
                data.scorecard(s).map(|s| s.items.iter().map(|i| i.kpi.value.clone()).collect()).unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }
}

/// A problem with a shortcode: message and optional hint.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

/// An id that names nothing, as a problem with "did you mean" (see `Diagnostics::unknown`).
fn unknown<'a>(u: Unknown, candidates: impl IntoIterator<Item = &'a str>) -> Problem {
    problem(u.code, u.message(), hint(u.id, candidates))
}

fn problem(code: &'static str, message: String, help: Option<String>) -> Problem {
    Problem { code, message, help }
}

/// Checks a call's name and argument shapes (not the data it names).
pub(crate) fn check(call: &Call) -> Result<Use, Problem> {
    let spec: &[(&str, bool)] = match call.name.as_str() {
        "param" | "kpi" => &[("id", false)],
        "params_table" => &[("ids", true)],
        "kpi_table" => &[("scorecard", false)],
        "target" => &[("kpi", false)],
        other => {
            let u = Unknown { code: "unknown-shortcode", what: "shortcode", id: other, field: None, why: None };
            let help = hint(other, NAMES.iter().copied()).or_else(|| Some(format!("shortcodes: {}", NAMES.join(", "))));
            return Err(problem(u.code, u.message(), help));
        }
    };
    for key in call.args.keys() {
        if !spec.iter().any(|(k, _)| k == key) {
            let expected = spec.iter().map(|(k, _)| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            return Err(problem(
                "shortcode-args",
                format!("`{}` has no argument `{key}`; it takes {expected}", call.name),
                None,
            ));
        }
    }
    let (key, list) = spec[0];
    let arg = call.args.get(key).ok_or_else(|| {
        let example = if list { format!("{key}=[\"…\"]") } else { format!("{key}=\"…\"") };
        problem(
            "shortcode-args",
            format!("`{}` needs the argument `{key}`", call.name),
            Some(format!("write {{{{ {}({example}) }}}}", call.name)),
        )
    })?;
    let wrong = |what: &str| problem("shortcode-args", format!("`{}`: `{key}` must be {what}", call.name), None);
    Ok(match (call.name.as_str(), arg) {
        ("params_table", Arg::List(ids)) if !ids.is_empty() => Use::ParamsTable(ids.clone()),
        ("params_table", _) => return Err(wrong("a non-empty list of parameter ids, like [\"a\", \"b\"]")),
        (_, Arg::Str(s)) => match call.name.as_str() {
            "param" => Use::Param(s.clone()),
            "kpi" => Use::Kpi(s.clone()),
            "kpi_table" => Use::KpiTable(s.clone()),
            _ => Use::Target(s.clone()),
        },
        (_, Arg::List(_)) => return Err(wrong("a quoted string")),
    })
}

/// Checks that what a use names exists and may be shown to the page's readers: a
/// public page may only show public KPIs and public scorecards.
pub(crate) fn validate(u: &Use, data: &Data, audience: Audience) -> Vec<Problem> {
    let mut out = Vec::new();
    let param = |id: &String, out: &mut Vec<Problem>| {
        if !data.params.contains_key(id) {
            let why = Some("it is not defined in data/params.yaml");
            let u = Unknown { code: "unknown-param", what: "parameter", id, field: None, why };
            out.push(unknown(u, data.params.keys().map(String::as_str)));
        }
    };
    let kpi = |id: &String, out: &mut Vec<Problem>| match data.kpis.get(id) {
        None => {
            let why = Some("it is not defined in data/kpis.yaml");
            let u = Unknown { code: "unknown-kpi", what: "KPI", id, field: None, why };
            out.push(unknown(u, data.kpis.keys().map(String::as_str)));
        }
        Some(k) if audience == Audience::PUBLIC && !k.public => out.push(problem(
            "public-shows-internal",
            format!("public page shows KPI `{id}`, which is not public"),
            Some("set `public: true` on the KPI in data/kpis.yaml, or make this page internal".into()),
        )),
        Some(_) => {}
    };
    match u {
        Use::Param(id) => param(id, &mut out),
        Use::ParamsTable(ids) => ids.iter().for_each(|id| param(id, &mut out)),
        Use::Kpi(id) | Use::Target(id) => kpi(id, &mut out),
        Use::KpiTable(id) => match data.scorecard(id) {
            None => {
                let why = Some("it is not defined in data/scorecards.yaml");
                let u = Unknown { code: "unknown-scorecard", what: "scorecard", id, field: None, why };
                out.push(unknown(u, data.scorecards.iter().map(|s| s.id.as_str())));
            }
            Some(s) if audience == Audience::PUBLIC && !s.public => out.push(problem(
                "public-shows-internal",
                format!("public page shows scorecard `{id}`, which is not public"),
                Some("set `public: true` on the scorecard in data/scorecards.yaml, or make this page internal".into()),
            )),
            Some(_) => {}
        },
    }
    out
}

/// What a shortcode renders to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expansion {
    pub(crate) html: String,
    /// Plain text, for headings, anchors and redlines (tables as `| … |` rows).
    pub(crate) text: String,
}

/// Everything expansion needs besides the call: data, the build's month, UI strings
/// and the language whose forms of the data's words the page shows.
pub(crate) struct Env<'a> {
    pub(crate) data: &'a Data,
    pub(crate) today: YearMonth,
    pub(crate) ui: &'a crate::base::i18n::Ui,
    pub(crate) language: Language,
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// URL of a KPI's dictionary page, relative to the site root.
pub(crate) fn kpi_url(id: &str) -> String {
    format!("kpis/{id}/")
}

/// Expands a validated use for the page at `page_url`. Unknown ids (already reported
/// by [`validate`]) expand to nothing.
pub(crate) fn expand(u: &Use, env: &Env, page_url: &str) -> Expansion {
    let (data, language) = (env.data, env.language);
    match u {
        Use::Param(id) => {
            let text = data.params.get(id).map(|p| p.display_in(language)).unwrap_or_default();
            Expansion { html: format!("<span class=\"param\">{}</span>", escape(&text)), text }
        }
        Use::Kpi(id) => {
            let Some(k) = data.kpis.get(id) else { return Expansion { html: String::new(), text: String::new() } };
            let url = relative_url(page_url, &kpi_url(id));
            Expansion {
                html: format!("<a class=\"kpi-link\" href=\"{}\">{}</a>", escape(&url), escape(k.name_in(language))),
                text: k.name_in(language).to_string(),
            }
        }
        Use::Target(id) => {
            let text = data
                .kpis
                .get(id)
                .and_then(|k| target_in_force(k, env.today).map(|t| format_target_in(k, t, language)))
                .unwrap_or_else(|| env.ui.no_target.to_string());
            Expansion { html: format!("<span class=\"target\">{}</span>", escape(&text)), text }
        }
        Use::ParamsTable(ids) => {
            let params: Vec<_> = ids.iter().filter_map(|id| data.params.get(id)).collect();
            let text = params
                .iter()
                .map(|p| {
                    let note = p.description_in(language).unwrap_or("");
                    format!("| {} | {} | {note} |", p.label_in(language), p.display_in(language))
                })
                .collect::<Vec<_>>()
                .join("\n");
            let notes = params.iter().any(|p| p.description.is_some());
            let mut html = format!(
                "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}, {}\"><table class=\"data-table params-table\">\n<thead><tr>",
                env.ui.param_item, env.ui.param_value
            );
            html.push_str(&format!(
                "<th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
                env.ui.param_item, env.ui.param_value
            ));
            if notes {
                html.push_str(&format!("<th scope=\"col\">{}</th>", env.ui.param_note));
            }
            html.push_str("</tr></thead>\n<tbody>\n");
            for p in params {
                html.push_str(&format!(
                    "<tr><th scope=\"row\">{}</th><td>{}</td>",
                    escape(p.label_in(language)),
                    escape(&p.display_in(language))
                ));
                if notes {
                    html.push_str(&format!("<td>{}</td>", escape(p.description_in(language).unwrap_or(""))));
                }
                html.push_str("</tr>\n");
            }
            html.push_str("</tbody></table></div>\n");
            Expansion { html, text }
        }
        Use::KpiTable(id) => {
            let Some(card) = data.scorecard(id) else { return Expansion { html: String::new(), text: String::new() } };
            let text = card
                .items
                .iter()
                .filter_map(|i| data.kpis.get(&i.kpi.value).map(|k| (i, k)))
                .map(|(i, k)| {
                    let target =
                        target_in_force(k, env.today).map(|t| format_target_in(k, t, language)).unwrap_or_default();
                    format!(
                        "| {} | {target} | {}% | {} |",
                        k.name_in(language),
                        crate::load::data::format_number(i.weight),
                        i.rule.as_str()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            Expansion { html: scorecard_table(card, env, page_url), text }
        }
    }
}

/// The table of a scorecard: KPI (linked to its dictionary page), target in force,
/// weight and scoring rule, with the pass mark, recognition and fail-streak rules.
pub(crate) fn scorecard_table(card: &crate::load::data::Scorecard, env: &Env, page_url: &str) -> String {
    let ui = env.ui;
    let mut html = format!(
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{0}\"><table class=\"data-table kpi-table\">\n<caption>{0}</caption>\n<thead><tr><th scope=\"col\">{1}</th><th scope=\"col\">{2}</th><th scope=\"col\">{3}</th><th scope=\"col\">{4}</th></tr></thead>\n<tbody>\n",
        escape(card.name_in(env.language)),
        ui.kpi,
        ui.target_in_force,
        ui.weight,
        ui.rule
    );
    for item in &card.items {
        let Some(k) = env.data.kpis.get(&item.kpi.value) else { continue };
        let target = target_in_force(k, env.today)
            .map(|t| format_target_in(k, t, env.language))
            .unwrap_or_else(|| ui.no_target.to_string());
        let rule = if item.rule == crate::load::data::Rule::Linear { ui.rule_linear } else { ui.rule_threshold };
        html.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{}</td><td>{}%</td><td>{}</td></tr>\n",
            escape(&relative_url(page_url, &kpi_url(&k.id))),
            escape(k.name_in(env.language)),
            escape(&target),
            crate::load::data::format_number(item.weight),
            rule
        ));
    }
    html.push_str("</tbody></table></div>\n");
    let rules = ui
        .scorecard_rules
        .replace("{pass}", &crate::load::data::format_number(card.pass_mark))
        .replace("{top}", &crate::load::data::format_number(card.top_percent))
        .replace("{streak}", &card.fail_streak.to_string());
    html.push_str(&format!("<p class=\"scorecard-rules\">{}</p>\n", escape(&rules)));
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::data::ParamValue;

    #[test]
    fn finds_calls_and_ignores_plain_braces() {
        let text = "回复时限 {{ param(id=\"online_reply_minutes\") }}，模板语法 {{ 不是 }} 与 {{name}}。";
        let found = find_all(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "{{ param(id=\"online_reply_minutes\") }}");
        let call = found[0].call.as_ref().unwrap();
        assert_eq!(call.name, "param");
        assert_eq!(call.args["id"], Arg::Str("online_reply_minutes".into()));
    }

    #[test]
    fn parses_lists_and_reports_malformed_calls() {
        let c = parse_call(" params_table(ids=[\"a\", 'b' ,\"c\"]) ").unwrap();
        assert_eq!(c.args["ids"], Arg::List(vec!["a".into(), "b".into(), "c".into()]));
        assert!(parse_call("param(id=\"x)").unwrap_err().contains("not closed"));
        assert!(parse_call("param(id=x)").unwrap_err().contains("quoted string"));
        assert!(parse_call("param(id=\"a\", id=\"b\")").unwrap_err().contains("given twice"));
        let unclosed = find_all("{{ param(id=\"x\")");
        assert!(unclosed[0].call.as_ref().unwrap_err().contains("not closed with `}}`"));
    }

    #[test]
    fn check_knows_names_and_arguments() {
        let c = |s: &str| check(&parse_call(s).unwrap());
        assert_eq!(c("param(id=\"a\")"), Ok(Use::Param("a".into())));
        assert_eq!(c("kpi_table(scorecard=\"m\")"), Ok(Use::KpiTable("m".into())));
        let e = c("parm(id=\"a\")").unwrap_err();
        assert_eq!(e.message, "unknown shortcode `parm`");
        assert_eq!(e.help.as_deref(), Some("did you mean `param`?"));
        assert!(c("param(name=\"a\")").unwrap_err().message.contains("has no argument `name`"));
        assert!(c("param()").unwrap_err().message.contains("needs the argument `id`"));
        assert!(c("params_table(ids=\"a\")").unwrap_err().message.contains("non-empty list"));
    }

    fn texts(data: &Data, language: Language, calls: &[&str]) -> Vec<String> {
        let ui = crate::base::i18n::strings(language);
        let env = Env { data, today: YearMonth::parse("2026-11").unwrap(), ui, language };
        calls.iter().map(|c| expand(&check(&parse_call(c).unwrap()).unwrap(), &env, "standards/x/").text).collect()
    }

    #[test]
    fn shortcodes_show_the_words_of_the_page_language_and_the_same_numbers() {
        let data = crate::markdown::data_words::tests::two_language_data();
        let calls = [
            "param(id=\"reply\")",
            "param(id=\"once\")",
            "param(id=\"queue\")",
            "kpi(id=\"sat\")",
            "target(kpi=\"hours\")",
            "target(kpi=\"sat\")",
            "params_table(ids=[\"reply\", \"queue\"])",
            "kpi_table(scorecard=\"card\")",
        ];
        assert_eq!(
            texts(&data, Language::En, &calls),
            [
                "36 hours",
                "1 hour",
                // No English unit: the default's (the page check reports it).
                "10 分钟",
                "Satisfaction",
                "≤ 24 hours",
                "≥ 4.2 points",
                "| Quality complaints | 36 hours | 退换货 |\n| Queue | 10 分钟 |  |",
                "| Satisfaction | ≥ 4.2 points | 60% | threshold |\n| 响应时长 | ≤ 24 hours | 40% | threshold |",
            ]
        );
        assert_eq!(
            texts(&data, Language::ZhCn, &calls),
            [
                "36 小时",
                "1 小时",
                "10 分钟",
                "满意度",
                "≤ 24 小时",
                "≥ 4.2 分",
                "| 质量投诉 | 36 小时 | 退换货 |\n| 排队 | 10 分钟 |  |",
                "| 满意度 | ≥ 4.2 分 | 60% | threshold |\n| 响应时长 | ≤ 24 小时 | 40% | threshold |",
            ]
        );
        let ui = crate::base::i18n::strings(Language::En);
        let env = Env { data: &data, today: YearMonth::parse("2026-11").unwrap(), ui, language: Language::En };
        let html = scorecard_table(data.scorecard("card").unwrap(), &env, "standards/x/");
        assert!(html.contains("<caption>Overall score</caption>"), "{html}");
        assert!(html.contains(">Satisfaction</a></th><td>≥ 4.2 points</td>"), "{html}");
    }

    #[test]
    fn expansions_are_escaped() {
        let mut data = Data::default();
        data.params.insert(
            "x".into(),
            crate::load::data::Param {
                id: "x".into(),
                value: ParamValue::Text("<b>&".into()),
                history: Vec::new(),
                unit: "\"天\"".into(),
                label: "L".into(),
                description: None,
                words: Default::default(),
                pos: crate::base::diagnostics::Pos::FILE,
            },
        );
        let ui = crate::base::i18n::strings(crate::load::config::Language::ZhCn);
        let env = Env { data: &data, today: YearMonth::parse("2026-01").unwrap(), ui, language: Language::ZhCn };
        let e = expand(&Use::Param("x".into()), &env, "a/");
        assert_eq!(e.html, "<span class=\"param\">&lt;b&gt;&amp; &quot;天&quot;</span>");
        assert_eq!(e.text, "<b>& \"天\"");
    }
}
