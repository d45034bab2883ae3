//! Front matter as other tools write it, and pages without any: where the front matter
//! ends (`---` YAML or `+++` TOML, or none at all), the title a page without `title:`
//! takes (its leading `#` heading, else its file name), whether the body's first
//! heading repeats the title, and `extra:`, a team's own keys for templates. Other
//! tools' key names are `other_tools`'.
//!
//! Pure functions over text; `content` decides what a page is. Must not read files.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::base::diagnostics::Diagnostics;
use crate::formats::yaml::{self, Fields, Kind, Node};

/// How the front matter of a page is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Between `---` lines (Charter, Jekyll, Hugo, Docusaurus).
    Yaml,
    /// Between `+++` lines (Hugo, Zola).
    Toml,
}

impl Format {
    fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// The front matter of a page, as found at its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub(crate) format: Format,
    /// The text between the fences.
    pub(crate) text: &'a str,
    /// The byte offset at which the body starts (after the closing fence).
    pub(crate) body_start: usize,
}

/// Finds the front matter at the start of `text` (no byte-order mark): `Ok(None)` for a
/// page without any, an error message when the opening fence is never closed.
pub(crate) fn split(text: &str) -> Result<Option<Split<'_>>, String> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let format = match text[..first_end].trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Ok(None),
    };
    let mut offset = first_end;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == format.fence() {
            return Ok(Some(Split { format, text: &text[first_end..offset], body_start: end }));
        }
        offset = end;
    }
    Err(format!("front matter is not closed: add a `{}` line after the last key", format.fence()))
}

/// A page file's front matter as read: its tree (an empty one for a page without),
/// the byte-order mark's length and where the body starts after it.
pub(crate) struct Read {
    pub(crate) node: Node,
    pub(crate) bom: usize,
    pub(crate) body_start: usize,
}

/// Reads the front matter of the file `source` whose text is `text` (a byte-order mark
/// accepted: it is invisible in editors); `None` after reporting why it cannot be read.
pub(crate) fn read(text: &str, source: &str, diags: &mut Diagnostics) -> Option<Read> {
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let split = match split(&text[bom..]) {
        Ok(x) => x,
        Err(msg) => {
            diags.error(source, crate::base::diagnostics::Pos::new(1, 1), "front-matter", msg);
            return None;
        }
    };
    // A page without front matter reads as one with an empty front matter.
    let none = Node { pos: crate::base::diagnostics::Pos::new(1, 1), kind: Kind::Null, raw: None, verbatim: None };
    let node = match &split {
        Some(split) => parse(split, source, diags)?,
        None => none,
    };
    Some(Read { node, bom, body_start: split.as_ref().map_or(0, |s| s.body_start) })
}

/// Parses front matter that starts on file line 2; a syntax error is reported at its
/// position and gives `None`.
pub(crate) fn parse(split: &Split, source: &str, diags: &mut Diagnostics) -> Option<Node> {
    let parsed = match split.format {
        Format::Yaml => yaml::parse(split.text, 2),
        Format::Toml => crate::formats::toml::parse(split.text, 2),
    };
    match parsed {
        Ok(n) => Some(n),
        Err(e) => {
            let what = match split.format {
                Format::Yaml => "YAML",
                Format::Toml => "TOML",
            };
            let code = if split.format == Format::Yaml { "yaml-syntax" } else { "toml-syntax" };
            diags.error(source, e.pos, code, format!("invalid {what} in front matter: {}", e.message));
            None
        }
    }
}

/// The title a page without `title:` and without a leading heading takes from its
/// file name: `-` and `_` read as spaces, runs of spaces as one, the first letter
/// capitalised (`refund-policy` → `Refund policy`, `投诉处理` stays as it is).
pub(crate) fn title_from_file_name(stem: &str) -> String {
    let words: Vec<&str> = stem.split(['-', '_', ' ']).filter(|w| !w.is_empty()).collect();
    let joined = if words.is_empty() { stem.to_string() } else { words.join(" ") };
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

/// Whether two titles read the same: equal once runs of white space are one space
/// and the ends trimmed.
pub(crate) fn same_title(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// The body's title heading: its first heading, when that is of level 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TitleHeading {
    /// Its text as a reader sees it (markup and attributes dropped).
    pub(crate) text: String,
    /// Its bytes in the body.
    pub(crate) range: Range<usize>,
}

/// The body's first heading when it is of level 1 (`# Title` or `Title` over `===`):
/// mdBook, Docusaurus and GitHub show it as the page's title. Parsed with the options
/// the renderer uses, so that both agree on which heading it is.
pub(crate) fn title_heading(body: &str) -> Option<TitleHeading> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut text = String::new();
    let mut start = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if level != HeadingLevel::H1 {
                    return None;
                }
                start = Some(range);
            }
            Event::End(TagEnd::Heading(_)) => {
                let range = start?;
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                return (!text.is_empty()).then_some(TitleHeading { text, range });
            }
            Event::Text(t) | Event::Code(t) if start.is_some() => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if start.is_some() => text.push(' '),
            _ => {}
        }
    }
    None
}

/// A page's title and whether its body's leading heading is that title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Title {
    pub(crate) text: String,
    /// The bytes of the body's title heading, which is then not shown again.
    pub(crate) heading: Option<Range<usize>>,
}

impl Title {
    /// The title of a page: `title:` when given (a leading `#` heading that reads the
    /// same is then the title heading); else its leading `#` heading; else its file
    /// name (`name`: the file's stem, or a section's folder) by
    /// [`title_from_file_name`]. The home page has no name: its title is then empty,
    /// and the build gives it the site's title.
    pub(crate) fn of(given: Option<String>, body: &str, name: &str) -> Title {
        let heading = title_heading(body);
        match (given, heading) {
            (Some(text), Some(h)) => {
                let heading = same_title(&text, &h.text).then_some(h.range);
                Title { text, heading }
            }
            (Some(text), None) => Title { text, heading: None },
            (None, Some(h)) => Title { text: h.text, heading: Some(h.range) },
            (None, None) => Title { text: title_from_file_name(name), heading: None },
        }
    }
}

/// The id of a page without `id:`: its file name without `.md`, with spaces, quotes and
/// `<>` (which ids may not hold, though file names may) read as `-`
/// (`What's new.md` → `What-s-new`).
pub(crate) fn derived_id(stem: &str) -> String {
    let mut out = String::with_capacity(stem.len());
    for c in stem.chars() {
        if c.is_whitespace() || "\"'<>".contains(c) {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c);
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        stem.to_string()
    } else {
        trimmed.to_string()
    }
}

/// Makes derived ids unique: pages (`(rel, id)`, with their id derived from the file
/// name) that derive the same id take one from their path instead (`guide/faq.md` and
/// `help/faq.md` → `guide-faq` and `help-faq`), as migrated sites with a `faq.md` or
/// `README.md` in several folders have. Returns the indices changed with their new id.
pub(crate) fn unique_derived_ids(derived: &[(&str, &str)]) -> Vec<(usize, String)> {
    let mut count: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (_, id) in derived {
        *count.entry(id).or_insert(0) += 1;
    }
    let clash = |id: &str| count.get(id).is_some_and(|n| *n > 1);
    let path_id = |rel: &str| derived_id(&rel.strip_suffix(".md").unwrap_or(rel).replace('/', "-"));
    derived.iter().enumerate().filter(|(_, (_, id))| clash(id)).map(|(i, (rel, _))| (i, path_id(rel))).collect()
}

/// A team's own keys (`extra:`, Hugo's `params:`) as templates see them (`page.extra`):
/// a mapping of any YAML or TOML values; anything else is an error and reads as empty.
pub(crate) fn extra(f: &mut Fields, diags: &mut Diagnostics) -> serde_json::Value {
    let node = f.node("extra").or_else(|| f.node("params"));
    match node.map(|n| (n, &n.kind)) {
        None | Some((_, Kind::Null)) => serde_json::Value::Object(serde_json::Map::new()),
        Some((n, Kind::Map(_))) => to_json(n),
        Some((n, _)) => {
            diags.error(
                f.path(),
                n.pos,
                "wrong-type",
                format!("`extra` must be a mapping of your own keys, found {}", n.type_name()),
            );
            serde_json::Value::Object(serde_json::Map::new())
        }
    }
}

/// A YAML or TOML value as JSON, for templates. Numbers that JSON cannot hold (NaN,
/// infinities) become their text.
fn to_json(n: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &n.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Int(i) => Value::from(*i),
        Kind::Float(f) => {
            serde_json::Number::from_f64(*f).map_or_else(|| Value::String(n.number_text()), Value::Number)
        }
        Kind::Str(s) => Value::String(s.clone()),
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => {
            Value::Object(entries.iter().filter_map(|(k, v)| Some((key_text(k)?, to_json(v)))).collect())
        }
    }
}

fn key_text(k: &Node) -> Option<String> {
    match &k.kind {
        Kind::Str(s) => Some(s.clone()),
        Kind::Int(_) | Kind::Float(_) => Some(k.number_text()),
        Kind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostics::Pos;
    use crate::load::content::test_support::one;
    use crate::load::content::{Audience, Status};

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_from_file_name("refund-policy"), "Refund policy");
        assert_eq!(title_from_file_name("how_we_work"), "How we work");
        assert_eq!(title_from_file_name("faq"), "Faq");
        assert_eq!(title_from_file_name("投诉处理"), "投诉处理");
        assert_eq!(title_from_file_name("--x--y"), "X y");
        assert_eq!(title_from_file_name("2024-review"), "2024 review");
        assert_eq!(title_from_file_name("éclair"), "Éclair");
    }

    #[test]
    fn front_matter_title_wins_and_an_equal_heading_is_the_title_heading() {
        let body = "# Refund  policy\n\nText.\n";
        let given = Title::of(Some("Refund policy".into()), body, "refunds");
        assert_eq!(given, Title { text: "Refund policy".into(), heading: Some(0..17) });
        let other = Title::of(Some("Refunds".into()), body, "refunds");
        assert_eq!(other, Title { text: "Refunds".into(), heading: None });
        let from_heading = Title::of(None, body, "refunds");
        assert_eq!(from_heading, Title { text: "Refund policy".into(), heading: Some(0..17) });
        let from_name = Title::of(None, "## Scope\n", "refund-policy");
        assert_eq!(from_name, Title { text: "Refund policy".into(), heading: None });
        assert_eq!(Title::of(None, "", "").text, "");
    }

    #[test]
    fn derived_ids_are_valid_and_unique() {
        assert_eq!(derived_id("refund-policy"), "refund-policy");
        assert_eq!(derived_id("What's new"), "What-s-new");
        assert_eq!(derived_id(" Refund  Policy "), "Refund-Policy");
        assert_eq!(derived_id("投诉处理"), "投诉处理");
        let pages = [("guide/faq.md", "faq"), ("help/faq.md", "faq"), ("a.md", "a"), ("x/What's up.md", "What-s-up")];
        assert_eq!(unique_derived_ids(&pages), [(0, "guide-faq".to_string()), (1, "help-faq".to_string())]);
        assert_eq!(unique_derived_ids(&[("a.md", "a"), ("b/c.md", "c")]), []);
    }

    #[test]
    fn titles_compare_without_spacing() {
        assert!(same_title("Refund  policy ", " Refund policy"));
        assert!(same_title("退款\t政策", "退款 政策"));
        assert!(!same_title("Refund policy", "Refund Policy"));
        assert!(!same_title("Refund policy", "Refunds"));
    }

    #[test]
    fn the_title_heading_is_the_first_heading_of_level_one() {
        let h = title_heading("<!-- note -->\n\n#  Refund *policy*  {#refunds}\n\nText.\n\n# Second\n").unwrap();
        assert_eq!(h.text, "Refund policy");
        assert_eq!(h.range, 15..46);
        let setext = title_heading("Refund policy\n=============\n\nText.\n").unwrap();
        assert_eq!((setext.text.as_str(), setext.range.start), ("Refund policy", 0));
        // A paragraph before it does not matter; a `##` first means there is none.
        assert_eq!(title_heading("![badge](b.svg)\n\n# Title\n").unwrap().text, "Title");
        assert_eq!(title_heading("## Scope\n\n# Late title\n"), None);
        assert_eq!(title_heading("```\n# not a heading\n```\n"), None);
        assert_eq!(title_heading("No headings.\n"), None);
    }

    #[test]
    fn front_matter_fences() {
        let s = split("+++\ntitle = \"x\"\n+++\nbody\n").unwrap().unwrap();
        assert_eq!((s.format, s.text, s.body_start), (Format::Toml, "title = \"x\"\n", 20));
        assert_eq!(split("# Title\n").unwrap(), None);
        assert_eq!(split("").unwrap(), None);
        assert_eq!(
            split("+++\ntitle = 1\n").unwrap_err(),
            "front matter is not closed: add a `+++` line after the last key"
        );
        assert!(split("---\ntitle: x\n+++\n").is_err());
    }

    #[test]
    fn a_page_without_front_matter_takes_its_title_from_its_heading_or_name() {
        let (p, d) = one("guide/refund-policy.md", "# Refunds\n\nText.\n");
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        assert_eq!(
            (p.title.as_str(), p.id.value.as_str(), p.url.as_str()),
            ("Refunds", "refund-policy", "guide/refund-policy/")
        );
        assert_eq!(
            (p.title_heading.clone(), p.body_line, p.audience, p.status),
            (Some(0..10), 1, Audience::INTERNAL, Status::Active)
        );
        assert_eq!(&p.body[10..], "\nText.\n");
        let (p, _) = one("guide/refund-policy.md", "Text only.\n");
        assert_eq!(p.unwrap().title, "Refund policy");
        let (p, _) = one("guide/_index.md", "");
        assert_eq!(p.unwrap().title, "Guide");
        let (_, d) = one("a.md", "---\ntitle: x\n");
        assert!(d[0].message.starts_with("front matter is not closed"));
    }

    #[test]
    fn toml_front_matter_is_read_with_positions() {
        let text = "+++\ntitle = \"Refunds\"\nweight = 2\naliases = [\"/old/\"]\ntitel = 1\n+++\n# Refunds\n";
        let (p, d) = one("refunds.md", text);
        let p = p.unwrap();
        assert_eq!(
            (p.title.as_str(), p.weight, p.title_heading.clone(), p.body_line),
            ("Refunds", Some(2), Some(0..10), 7)
        );
        assert_eq!(p.aliases[0].path, "old/");
        assert_eq!(
            (d.len(), d[0].pos, d[0].message.as_str()),
            (1, Pos::new(5, 1), "front matter: unknown key `titel`")
        );
        assert_eq!(d[0].help.as_deref(), Some("did you mean `title`?"));
    }
}
