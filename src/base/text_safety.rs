//! Characters that deceive a reader: invisible ones (zero-width spaces, word joiners,
//! soft hyphens, fillers…) and those that change the direction of text (overrides,
//! embeddings, isolates, marks), so that `p0‹U+200B›1` looks like `p01` and a name
//! holding U+202E RIGHT-TO-LEFT OVERRIDE turns the rest of a sentence around.
//!
//! Ids refuse them ([`refuse_at`], with the positions `formats::deceptive` knows); references
//! are checked with the same [`find_deceptive`]. Display names keep them, but are
//! isolated where they land: `<bdi>` in HTML (templates), [`isolate`] (U+2068 FIRST
//! STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE) in text-only places such as
//! `<title>` and SVG. Diagnostics show them as `‹U+202E›` ([`reveal`]). Pure: no I/O.

use std::borrow::Cow;

use crate::base::diagnostics::{Diagnostics, Pos};

/// U+2068 FIRST STRONG ISOLATE: opens an isolate whose direction its own text decides.
pub(crate) const FSI: char = '\u{2068}';
/// U+2069 POP DIRECTIONAL ISOLATE: closes it, and every override opened inside it.
pub(crate) const PDI: char = '\u{2069}';

/// What a deceptive character does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Shows nothing: zero-width spaces, word joiners, soft hyphens, fillers.
    Invisible,
    /// Shows nothing but joins or selects the look of its neighbours (zero-width
    /// joiners, variation selectors, tags): real text in some scripts and emoji.
    Shaping,
    /// Reorders the text around it: marks, embeddings, overrides, isolates.
    Direction,
    /// Another format character (Unicode category Cf), such as an Arabic number sign.
    Format,
}

use Kind::{Direction as D, Format as F, Invisible as I, Shaping as S};

/// Every deceptive character, ascending and disjoint: the Unicode format characters
/// (category Cf) and the default-ignorable code points (which take no space).
const TABLE: &[(u32, u32, Kind, &str)] = &[
    (0x00AD, 0x00AD, I, "SOFT HYPHEN"),
    (0x034F, 0x034F, S, "COMBINING GRAPHEME JOINER"),
    (0x0600, 0x0600, F, "ARABIC NUMBER SIGN"),
    (0x0601, 0x0601, F, "ARABIC SIGN SANAH"),
    (0x0602, 0x0602, F, "ARABIC FOOTNOTE MARKER"),
    (0x0603, 0x0603, F, "ARABIC SIGN SAFHA"),
    (0x0604, 0x0604, F, "ARABIC SIGN SAMVAT"),
    (0x0605, 0x0605, F, "ARABIC NUMBER MARK ABOVE"),
    (0x061C, 0x061C, D, "ARABIC LETTER MARK"),
    (0x06DD, 0x06DD, F, "ARABIC END OF AYAH"),
    (0x070F, 0x070F, F, "SYRIAC ABBREVIATION MARK"),
    (0x0890, 0x0890, F, "ARABIC POUND MARK ABOVE"),
    (0x0891, 0x0891, F, "ARABIC PIASTRE MARK ABOVE"),
    (0x08E2, 0x08E2, F, "ARABIC DISPUTED END OF AYAH"),
    (0x115F, 0x115F, I, "HANGUL CHOSEONG FILLER"),
    (0x1160, 0x1160, I, "HANGUL JUNGSEONG FILLER"),
    (0x17B4, 0x17B4, I, "KHMER VOWEL INHERENT AQ"),
    (0x17B5, 0x17B5, I, "KHMER VOWEL INHERENT AA"),
    (0x180B, 0x180D, S, "MONGOLIAN FREE VARIATION SELECTOR"),
    (0x180E, 0x180E, I, "MONGOLIAN VOWEL SEPARATOR"),
    (0x180F, 0x180F, S, "MONGOLIAN FREE VARIATION SELECTOR FOUR"),
    (0x200B, 0x200B, I, "ZERO WIDTH SPACE"),
    (0x200C, 0x200C, S, "ZERO WIDTH NON-JOINER"),
    (0x200D, 0x200D, S, "ZERO WIDTH JOINER"),
    (0x200E, 0x200E, D, "LEFT-TO-RIGHT MARK"),
    (0x200F, 0x200F, D, "RIGHT-TO-LEFT MARK"),
    (0x202A, 0x202A, D, "LEFT-TO-RIGHT EMBEDDING"),
    (0x202B, 0x202B, D, "RIGHT-TO-LEFT EMBEDDING"),
    (0x202C, 0x202C, D, "POP DIRECTIONAL FORMATTING"),
    (0x202D, 0x202D, D, "LEFT-TO-RIGHT OVERRIDE"),
    (0x202E, 0x202E, D, "RIGHT-TO-LEFT OVERRIDE"),
    (0x2060, 0x2060, I, "WORD JOINER"),
    (0x2061, 0x2061, I, "FUNCTION APPLICATION"),
    (0x2062, 0x2062, I, "INVISIBLE TIMES"),
    (0x2063, 0x2063, I, "INVISIBLE SEPARATOR"),
    (0x2064, 0x2064, I, "INVISIBLE PLUS"),
    (0x2065, 0x2065, I, "RESERVED INVISIBLE CHARACTER"),
    (0x2066, 0x2066, D, "LEFT-TO-RIGHT ISOLATE"),
    (0x2067, 0x2067, D, "RIGHT-TO-LEFT ISOLATE"),
    (0x2068, 0x2068, D, "FIRST STRONG ISOLATE"),
    (0x2069, 0x2069, D, "POP DIRECTIONAL ISOLATE"),
    (0x206A, 0x206A, F, "INHIBIT SYMMETRIC SWAPPING"),
    (0x206B, 0x206B, F, "ACTIVATE SYMMETRIC SWAPPING"),
    (0x206C, 0x206C, F, "INHIBIT ARABIC FORM SHAPING"),
    (0x206D, 0x206D, F, "ACTIVATE ARABIC FORM SHAPING"),
    (0x206E, 0x206E, F, "NATIONAL DIGIT SHAPES"),
    (0x206F, 0x206F, F, "NOMINAL DIGIT SHAPES"),
    (0x3164, 0x3164, I, "HANGUL FILLER"),
    (0xFE00, 0xFE0F, S, "VARIATION SELECTOR"),
    (0xFEFF, 0xFEFF, I, "ZERO WIDTH NO-BREAK SPACE"),
    (0xFFA0, 0xFFA0, I, "HALFWIDTH HANGUL FILLER"),
    (0xFFF0, 0xFFF8, I, "RESERVED INVISIBLE CHARACTER"),
    (0xFFF9, 0xFFF9, F, "INTERLINEAR ANNOTATION ANCHOR"),
    (0xFFFA, 0xFFFA, F, "INTERLINEAR ANNOTATION SEPARATOR"),
    (0xFFFB, 0xFFFB, F, "INTERLINEAR ANNOTATION TERMINATOR"),
    (0x110BD, 0x110BD, F, "KAITHI NUMBER SIGN"),
    (0x110CD, 0x110CD, F, "KAITHI NUMBER SIGN ABOVE"),
    (0x13430, 0x1343F, F, "EGYPTIAN HIEROGLYPH FORMAT CONTROL"),
    (0x1BCA0, 0x1BCA3, F, "SHORTHAND FORMAT CONTROL"),
    (0x1D173, 0x1D17A, F, "MUSICAL SYMBOL FORMAT CONTROL"),
    (0xE0000, 0xE0000, I, "RESERVED INVISIBLE CHARACTER"),
    (0xE0001, 0xE0001, F, "LANGUAGE TAG"),
    (0xE0002, 0xE001F, I, "RESERVED INVISIBLE CHARACTER"),
    (0xE0020, 0xE007F, S, "TAG CHARACTER"),
    (0xE0080, 0xE00FF, I, "RESERVED INVISIBLE CHARACTER"),
    (0xE0100, 0xE01EF, S, "VARIATION SELECTOR SUPPLEMENT"),
    (0xE01F0, 0xE0FFF, I, "RESERVED INVISIBLE CHARACTER"),
];

/// What `c` does and its Unicode name (a range's shared name), if it deceives.
pub(crate) fn lookup(c: char) -> Option<(Kind, &'static str)> {
    let n = c as u32;
    if n < 0xAD {
        return None;
    }
    let i = TABLE.partition_point(|&(_, to, _, _)| to < n);
    TABLE.get(i).filter(|&&(from, _, _, _)| from <= n).map(|&(_, _, kind, name)| (kind, name))
}

/// The first deceptive character of `s`: its index counted in characters, the
/// character and its Unicode name.
pub(crate) fn find_deceptive(s: &str) -> Option<(usize, char, &'static str)> {
    s.chars().enumerate().find_map(|(i, c)| lookup(c).map(|(_, name)| (i, c, name)))
}

/// `an invisible character U+200B ZERO WIDTH SPACE`, `a direction-changing character
/// U+202E RIGHT-TO-LEFT OVERRIDE`: for messages.
pub(crate) fn describe(c: char) -> String {
    match lookup(c) {
        Some((kind, name)) => {
            let what = match kind {
                Kind::Direction => "a direction-changing character",
                Kind::Format => "a format character",
                Kind::Invisible | Kind::Shaping => "an invisible character",
            };
            format!("{what} U+{:04X} {name}", c as u32)
        }
        None => format!("U+{:04X}", c as u32),
    }
}

/// `s` with every deceptive character written as `‹U+200B›`, so that a message
/// quoting it shows what is there and cannot be turned around by it.
fn reveal(s: &str) -> Cow<'_, str> {
    reveal_if(s, |_| true)
}

/// Like [`reveal`], but joiners and selectors stay (they are real text in some scripts
/// and in emoji): for quoting source lines and messages in a terminal.
pub(crate) fn reveal_for_terminal(s: &str) -> Cow<'_, str> {
    reveal_if(s, |k| k != Kind::Shaping)
}

fn reveal_if(s: &str, shown: impl Fn(Kind) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| lookup(c).is_some_and(|(k, _)| shown(k))) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match lookup(c) {
            Some((k, _)) if shown(k) => out.push_str(&format!("‹U+{:04X}›", c as u32)),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` without its deceptive characters: what a reader sees.
fn without_deceptive(s: &str) -> String {
    s.chars().filter(|&c| lookup(c).is_none()).collect()
}

/// `s` between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE: for a
/// name in text-only places (`<title>`, `<meta>`, SVG), where `<bdi>` cannot go. Text
/// around it keeps its order whatever `s` holds, and `s` takes its direction from its
/// own first strong character.
pub(crate) fn isolate(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 6);
    out.push(FSI);
    out.push_str(s);
    out.push(PDI);
    out
}

/// [`isolate`] when the direction of `s` can matter ([`needs_isolate`]), else `s`:
/// for composed text (a chart's title naming a team) where isolates around text that
/// cannot change direction would only change the bytes.
pub(crate) fn isolate_if_needed(s: &str) -> Cow<'_, str> {
    if needs_isolate(s) {
        Cow::Owned(isolate(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// A piece of a sentence shown in a page: plain text, or a name, which a template
/// puts in its own `<bdi>` (`{% if p.name %}<bdi>{{ p.text }}</bdi>{% else %}…`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Part {
    pub(crate) text: String,
    pub(crate) name: bool,
}

/// `template` (a UI string such as `{name} 在“{card}”中已连续 {n} 个月不合格`) with
/// each `{key}` filled from `slots` (key, value, whether the value is a name), as
/// [`Part`]s, so that every name can be isolated where the sentence lands. Unknown
/// placeholders stay as written.
pub(crate) fn fill(template: &str, slots: &[(&str, &str, bool)]) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    let mut push = |text: &str, name: bool| match parts.last_mut() {
        Some(last) if !last.name && !name => last.text.push_str(text),
        _ if text.is_empty() => {}
        _ => parts.push(Part { text: text.to_string(), name }),
    };
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let slot = rest[open + 1..].find('}').and_then(|close| {
            let key = &rest[open + 1..open + 1 + close];
            slots.iter().find(|(k, _, _)| *k == key).map(|&(_, value, name)| (close, value, name))
        });
        match slot {
            Some((close, value, name)) => {
                push(&rest[..open], false);
                push(value, name);
                rest = &rest[open + close + 2..];
            }
            None => {
                push(&rest[..=open], false);
                rest = &rest[open + 1..];
            }
        }
    }
    push(rest, false);
    parts
}

/// Whether the direction of `s` can matter to the text around it: it holds a
/// direction-changing character or a letter of a right-to-left script (Hebrew,
/// Arabic, Syriac, Thaana, N'Ko…). Other text reads the same isolated or not.
pub(crate) fn needs_isolate(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFE | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
            || lookup(c).is_some_and(|(k, _)| k == Kind::Direction)
    })
}

/// The message for `what` (`person id`, `` `team` ``) holding deceptive character `c`
/// as its character `index`; `col` is the character's file column when known.
pub(crate) fn message(what: &str, value: &str, index: usize, c: char, col: Option<usize>) -> String {
    let at = match col {
        Some(col) => format!("at column {col}"),
        None => format!("as its character {}", index + 1),
    };
    format!(
        "{what} `{}` contains {} {at}; ids may not contain invisible or direction-changing characters",
        reveal(value),
        describe(c)
    )
}

/// Reports `value` (an id, or a reference to one) if it holds a deceptive character:
/// at `char_pos(index)` when the caller knows where that character stands in the file,
/// else at `pos`, the value's start. Returns what the reader sees: the value without
/// such characters, so that references written as they look still resolve and the one
/// mistake is reported once; `None` when nothing is left. `formats::deceptive` supplies
/// the positions for YAML scalars and CSV cells.
pub(crate) fn refuse_at(
    file: &str,
    pos: Pos,
    char_pos: impl Fn(usize) -> Option<Pos>,
    what: &str,
    value: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let Some((index, c, _)) = find_deceptive(value) else { return Some(value.to_string()) };
    let exact = char_pos(index);
    diags.error(
        file,
        exact.unwrap_or(pos),
        "invisible-character",
        message(what, value, index, c, exact.map(|p| p.col)),
    );
    let seen = without_deceptive(value);
    if seen.trim().is_empty() {
        return None;
    }
    diags.with_help(format!("delete it: without it the id reads `{seen}`"));
    Some(seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_ascending_and_disjoint() {
        for w in TABLE.windows(2) {
            assert!(w[0].0 <= w[0].1 && w[0].1 < w[1].0, "{:X}", w[1].0);
        }
    }

    #[test]
    fn finds_invisible_and_direction_characters() {
        for c in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{202E}',
            '\u{2060}',
            '\u{2064}',
            '\u{2066}',
            '\u{2069}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{061C}',
            '\u{180E}',
            '\u{3164}',
            '\u{FE0F}',
            '\u{E0041}',
            '\u{E01EF}',
            '\u{1D173}',
        ] {
            assert!(lookup(c).is_some(), "U+{:04X}", c as u32);
        }
        for c in ['a', '-', '_', ' ', '\u{AC}', '\u{AE}', '张', '\u{2070}', '\u{FFFD}', 'é', '\u{0627}'] {
            assert!(lookup(c).is_none(), "U+{:04X}", c as u32);
        }
        assert_eq!(find_deceptive("p0\u{200B}1"), Some((2, '\u{200B}', "ZERO WIDTH SPACE")));
        assert_eq!(find_deceptive("张\u{202E}敏"), Some((1, '\u{202E}', "RIGHT-TO-LEFT OVERRIDE")));
        assert_eq!(find_deceptive("p01"), None);
        assert_eq!(describe('\u{202E}'), "a direction-changing character U+202E RIGHT-TO-LEFT OVERRIDE");
        assert_eq!(describe('\u{200B}'), "an invisible character U+200B ZERO WIDTH SPACE");
    }

    #[test]
    fn reveal_strip_and_isolate() {
        assert_eq!(reveal("p0\u{200B}1\u{202E}"), "p0‹U+200B›1‹U+202E›");
        assert!(matches!(reveal("张敏"), Cow::Borrowed(_)));
        // A family emoji keeps its joiners in a terminal; an override does not stay.
        assert_eq!(reveal_for_terminal("👨\u{200D}👩 \u{202E}x"), "👨\u{200D}👩 ‹U+202E›x");
        assert_eq!(without_deceptive("p0\u{200B}1"), "p01");
        assert_eq!(isolate("张\u{202E}敏"), "\u{2068}张\u{202E}敏\u{2069}");
        assert!(needs_isolate("张\u{202E}敏") && needs_isolate("محمد 3") && needs_isolate("\u{200F}"));
        assert!(!needs_isolate("张敏 100") && !needs_isolate("p0\u{200B}1"));
        assert_eq!(isolate_if_needed("全组织趋势"), "全组织趋势");
        assert_eq!(isolate_if_needed("张\u{202E}敏 · 趋势"), "\u{2068}张\u{202E}敏 · 趋势\u{2069}");
        assert_eq!(
            message("person id", "p0\u{200B}1", 2, '\u{200B}', Some(12)),
            "person id `p0‹U+200B›1` contains an invisible character U+200B ZERO WIDTH SPACE at column 12; \
             ids may not contain invisible or direction-changing characters"
        );
        assert!(message("id", "\u{202E}x", 0, '\u{202E}', None).contains("as its character 1;"));
    }

    #[test]
    fn sentences_keep_their_names_apart() {
        let part = |text: &str, name| Part { text: text.into(), name };
        let parts = fill(
            "{name} 在“{card}”中已连续 {n} 个月不合格 {x}",
            &[("name", "张\u{202E}敏", true), ("card", "考核", true), ("n", "3", false)],
        );
        assert_eq!(
            parts,
            [
                part("张\u{202E}敏", true),
                part(" 在“", false),
                part("考核", true),
                part("”中已连续 3 个月不合格 {x}", false)
            ]
        );
        assert_eq!(fill("{n}", &[("n", "", true)]), []);
    }
}
