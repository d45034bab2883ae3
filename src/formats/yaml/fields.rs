//! `Fields`, the typed reader of one YAML mapping: asks for each field by name, reports
//! every wrong type, bad value and unknown key into `Diagnostics`. It must not decide
//! what a field means beyond its type (that is `load`).

use std::collections::BTreeSet;

use super::{number_too_large, Kind, Node, Spanned};
use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostics, Pos};

/// Reads the fields of one YAML mapping, reporting every problem into `diags` under
/// `path`. Ask for each field by name; [`Fields::finish`] then reports the keys nobody
/// asked for as unknown, with a "did you mean" hint.
pub(crate) struct Fields<'a> {
    path: &'a str,
    what: &'a str,
    pos: Pos,
    entries: Vec<(&'a str, &'a Node, &'a Node)>,
    asked: BTreeSet<&'static str>,
}

impl<'a> Fields<'a> {
    /// `what` names the thing for messages ("front matter", "charter.yaml"). A null
    /// node reads as an empty mapping; anything else that is not a mapping is an error
    /// and yields `None`.
    pub(crate) fn new(node: &'a Node, path: &'a str, what: &'a str, diags: &mut Diagnostics) -> Option<Fields<'a>> {
        let mut entries = Vec::new();
        match &node.kind {
            Kind::Null => {}
            Kind::Map(map) => {
                for (k, v) in map {
                    match &k.kind {
                        Kind::Str(s) => entries.push((s.as_str(), k, v)),
                        _ => diags.error(
                            path,
                            k.pos,
                            "bad-key",
                            format!("{what}: keys must be names, found {}", k.type_name()),
                        ),
                    }
                }
            }
            _ => {
                diags.error(
                    path,
                    node.pos,
                    "wrong-type",
                    format!("{what} must be a mapping of `key: value` lines, found {}", node.type_name()),
                );
                return None;
            }
        }
        Some(Fields { path, what, pos: node.pos, entries, asked: BTreeSet::new() })
    }

    pub(crate) fn path(&self) -> &'a str {
        self.path
    }

    /// Where the mapping starts (for "missing key" errors).
    pub(crate) fn pos(&self) -> Pos {
        self.pos
    }

    /// The raw node of `key`, marking the key as known.
    pub(crate) fn node(&mut self, key: &'static str) -> Option<&'a Node> {
        self.asked.insert(key);
        self.entries.iter().find(|(k, _, _)| *k == key).map(|(_, _, v)| *v)
    }

    /// The position of `key` itself, if present.
    pub(crate) fn key_pos(&self, key: &str) -> Option<Pos> {
        self.entries.iter().find(|(k, _, _)| *k == key).map(|(_, k, _)| k.pos)
    }

    /// A string field. Numbers are accepted and read as text (`title: 2025`); null is absent.
    pub(crate) fn string(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        let text = match &node.kind {
            Kind::Null => return None,
            Kind::Str(s) => s.clone(),
            Kind::Int(_) | Kind::Float(_) => node.number_text(),
            _ => {
                self.wrong_type(key, node, "text", diags);
                return None;
            }
        };
        if !self.printable(key, &text, node.pos, diags) {
            return None;
        }
        Some(Spanned { value: text, pos: node.pos })
    }

    /// Whether `text` (the value of `key`) is free of control characters other than
    /// tab and line ends; reports the first one otherwise. HTML shows them as U+FFFD and
    /// XML (the feed, the charts) cannot hold them at all; only YAML's `"\0"`-style
    /// escapes can produce them.
    fn printable(&self, key: &str, text: &str, pos: Pos, diags: &mut Diagnostics) -> bool {
        match text.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            None => true,
            Some(c) => {
                diags.error(
                    self.path,
                    pos,
                    "bad-value",
                    format!(
                        "`{key}` contains the control character U+{:04X}, which pages and feeds cannot show",
                        c as u32
                    ),
                );
                false
            }
        }
    }

    /// A required string field: reports a missing or empty value.
    pub(crate) fn required_string(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let present = self.entries.iter().any(|(k, _, _)| *k == key);
        match self.string(key, diags) {
            Some(s) if !s.value.trim().is_empty() => Some(s),
            Some(s) => {
                diags.error(self.path, s.pos, "missing-key", format!("{}: `{key}` must not be empty", self.what));
                None
            }
            None => {
                if !present || matches!(self.node(key).map(|n| &n.kind), Some(Kind::Null)) {
                    let pos = self.key_pos(key).unwrap_or(self.pos);
                    diags.error(self.path, pos, "missing-key", format!("{}: missing required key `{key}`", self.what));
                }
                None
            }
        }
    }

    /// One of a fixed set of words (`audience: public`).
    pub(crate) fn choice(
        &mut self,
        key: &'static str,
        allowed: &[&'static str],
        diags: &mut Diagnostics,
    ) -> Option<Spanned<&'static str>> {
        let s = self.string(key, diags)?;
        match allowed.iter().find(|a| **a == s.value) {
            Some(a) => Some(Spanned { value: *a, pos: s.pos }),
            None => {
                let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
                diags.error(
                    self.path,
                    s.pos,
                    "bad-value",
                    format!("`{key}` must be one of {list}, found `{}`", s.value),
                );
                diags.suggest(&s.value, allowed.iter().copied());
                None
            }
        }
    }

    /// An integer field.
    pub(crate) fn integer(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<i64>> {
        let node = self.node(key)?;
        match node.kind {
            Kind::Null => None,
            Kind::Int(i) => Some(Spanned { value: i, pos: node.pos }),
            Kind::Float(f) if f.is_finite() && f.fract() == 0.0 => {
                diags.error(
                    self.path,
                    node.pos,
                    "bad-number",
                    format!("`{key}`: `{}` is too large for a whole number", node.number_text()),
                );
                None
            }
            _ => {
                self.wrong_type(key, node, "a whole number", diags);
                None
            }
        }
    }

    /// A number field (integer or decimal); NaN and infinities are refused.
    pub(crate) fn number(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<f64>> {
        let node = self.node(key)?;
        let value = match node.kind {
            Kind::Null => return None,
            Kind::Int(i) => i as f64,
            Kind::Float(f) if f.is_finite() => f,
            Kind::Float(_) => {
                diags.error(
                    self.path,
                    node.pos,
                    "bad-number",
                    format!("`{key}` must be a finite number, found `{}`", node.number_text()),
                );
                return None;
            }
            Kind::Str(ref s) if number_too_large(s) => {
                diags.error(
                    self.path,
                    node.pos,
                    "bad-number",
                    format!("`{key}`: `{}` is too large for a number", s.trim()),
                );
                return None;
            }
            _ => {
                self.wrong_type(key, node, "a number", diags);
                return None;
            }
        };
        Some(Spanned { value, pos: node.pos })
    }

    /// A `true`/`false` field.
    pub(crate) fn boolean(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<bool>> {
        let node = self.node(key)?;
        match node.kind {
            Kind::Null => None,
            Kind::Bool(b) => Some(Spanned { value: b, pos: node.pos }),
            _ => {
                self.wrong_type(key, node, "true or false", diags);
                let word = node.as_str().unwrap_or("").to_ascii_lowercase();
                if ["yes", "no", "on", "off", "y", "n"].contains(&word.as_str()) {
                    diags.with_help(format!(
                        "YAML 1.2 reads `{}` as text, not a boolean: write `true` or `false`",
                        node.as_str().unwrap_or("")
                    ));
                }
                None
            }
        }
    }

    /// A month field (`2026-01`).
    pub(crate) fn month(
        &mut self,
        key: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<Spanned<crate::base::date::YearMonth>> {
        let s = self.string(key, diags)?;
        match crate::base::date::YearMonth::parse(&s.value) {
            Ok(m) => Some(Spanned { value: m, pos: s.pos }),
            Err(e) => {
                diags.error(self.path, s.pos, "bad-date", format!("`{key}`: {e}"));
                None
            }
        }
    }

    /// The items of a list field (an absent field is an empty list).
    pub(crate) fn list(&mut self, key: &'static str, diags: &mut Diagnostics) -> Vec<&'a Node> {
        let Some(node) = self.node(key) else { return Vec::new() };
        match &node.kind {
            Kind::Null => Vec::new(),
            Kind::Seq(items) => items.iter().collect(),
            _ => {
                self.wrong_type(key, node, "a list", diags);
                Vec::new()
            }
        }
    }

    /// An ISO date field (`2025-01-01`).
    pub(crate) fn date(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<Date>> {
        let s = self.string(key, diags)?;
        match Date::parse(&s.value) {
            Ok(d) => Some(Spanned { value: d, pos: s.pos }),
            Err(e) => {
                diags.error(self.path, s.pos, "bad-date", format!("`{key}`: {e}"));
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    pub(crate) fn string_list(&mut self, key: &'static str, diags: &mut Diagnostics) -> Vec<Spanned<String>> {
        let Some(node) = self.node(key) else { return Vec::new() };
        let items: Vec<&Node> = match &node.kind {
            Kind::Null => return Vec::new(),
            Kind::Seq(items) => items.iter().collect(),
            Kind::Str(_) => vec![node],
            _ => {
                self.wrong_type(key, node, "a list", diags);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match &item.kind {
                Kind::Str(s) if self.printable(key, s, item.pos, diags) => {
                    out.push(Spanned { value: s.clone(), pos: item.pos })
                }
                Kind::Str(_) => {}
                Kind::Int(_) => out.push(Spanned { value: item.number_text(), pos: item.pos }),
                _ => diags.error(
                    self.path,
                    item.pos,
                    "wrong-type",
                    format!("items of `{key}` must be text, found {}", item.type_name()),
                ),
            }
        }
        out
    }

    /// Reports every key that was not asked for. `hint` explains keys that exist but
    /// are not allowed here (e.g. `duties` outside role documents).
    pub(crate) fn finish(self, diags: &mut Diagnostics, hint: impl Fn(&str) -> Option<String>) {
        for (key, knode, _) in &self.entries {
            if self.asked.contains(key) {
                continue;
            }
            diags.error(self.path, knode.pos, "unknown-key", format!("{}: unknown key `{key}`", self.what));
            if *key == "<<" {
                diags.with_help("YAML merge keys (`<<: *name`) are not supported: write the keys out");
            } else if let Some(h) = hint(key) {
                diags.with_help(h);
            } else if !diags.suggest(key, self.asked.iter().copied()) {
                let known = self.asked.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                diags.with_help(format!("known keys: {known}"));
            }
        }
    }
}

impl Fields<'_> {
    fn wrong_type(&self, key: &str, node: &Node, expected: &str, diags: &mut Diagnostics) {
        diags.error(
            self.path,
            node.pos,
            "wrong-type",
            format!("`{key}` must be {expected}, found {}", node.type_name()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml::parse;

    #[test]
    fn fields_reports_every_problem_of_a_mapping() {
        let src = "titel: x\nweight: heavy\neffective: 2025-02-30\n";
        let node = parse(src, 1).unwrap();
        let mut d = Diagnostics::new();
        let mut f = Fields::new(&node, "a.md", "front matter", &mut d).unwrap();
        assert!(f.required_string("title", &mut d).is_none());
        assert!(f.integer("weight", &mut d).is_none());
        assert!(f.date("effective", &mut d).is_none());
        f.finish(&mut d, |_| None);
        let all = d.into_sorted();
        let msgs: Vec<String> = all.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect();
        assert_eq!(all.len(), 4, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("1:1 front matter: unknown key `titel`")));
        assert!(all.iter().any(|d| d.help.as_deref() == Some("did you mean `title`?")));
        assert!(msgs.iter().any(|m| m.starts_with("2:9 `weight` must be a whole number")));
        assert!(msgs.iter().any(|m| m.starts_with("3:12 `effective`: `2025-02-30` has day 30")));
        assert!(msgs.iter().any(|m| m.contains("missing required key `title`")));
    }

    #[test]
    fn numbers_keep_their_spelling_as_text_and_bad_numbers_are_named() {
        let src = "a: 012\nb: 1.10\nc: 0x1F\nd: 1e400\ne: .nan\nf: -.inf\ng: 10000000000000000000\nh: yes\ni: NO\n";
        let node = parse(src, 1).unwrap();
        let mut d = Diagnostics::new();
        let mut f = Fields::new(&node, "x.yaml", "x", &mut d).unwrap();
        let text = |f: &mut Fields, k, d: &mut Diagnostics| f.string(k, d).unwrap().value;
        assert_eq!(text(&mut f, "a", &mut d), "012");
        assert_eq!(text(&mut f, "b", &mut d), "1.10");
        assert_eq!(text(&mut f, "c", &mut d), "0x1F");
        assert_eq!(text(&mut f, "i", &mut d), "NO");
        assert!(f.number("d", &mut d).is_none());
        assert!(f.number("e", &mut d).is_none());
        assert!(f.number("f", &mut d).is_none());
        assert!(f.integer("g", &mut d).is_none());
        assert!(f.boolean("h", &mut d).is_none());
        assert_eq!(f.number("c", &mut d).unwrap().value, 31.0);
        let all = d.into_sorted();
        let msgs: Vec<String> = all.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect();
        assert_eq!(
            msgs,
            [
                "4:4 `d`: `1e400` is too large for a number",
                "5:4 `e` must be a finite number, found `.nan`",
                "6:4 `f` must be a finite number, found `-.inf`",
                "7:4 `g`: `10000000000000000000` is too large for a whole number",
                "8:4 `h` must be true or false, found a string",
            ]
        );
        assert_eq!(
            all[4].help.as_deref(),
            Some("YAML 1.2 reads `yes` as text, not a boolean: write `true` or `false`")
        );
        let err = parse("a: 1\nb: 123456789012345678901234567890\n", 1).unwrap_err();
        assert_eq!(err.pos, Pos::new(2, 4));
        assert_eq!(
            err.message,
            "the number `123456789012345678901234567890` is too large (whole numbers must lie between -9223372036854775808 and 18446744073709551615)"
        );
    }
}
