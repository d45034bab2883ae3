//! The diffs behind redlines: text split into tokens — one per Chinese (or other
//! wide) character, one per Latin word or number, one per space or punctuation run —
//! so Chinese is diffed by character and English by word; two versions of a block's
//! inline content diffed token by token (Myers) and shown as HTML with `<del>` and
//! `<ins>`, links kept as links (their addresses rebased by the caller, per side) and
//! images as images; and sequences matched whole with the deleted and inserted items
//! between matches paired by likeness ([`align`]), which [`super::redline`] uses for
//! blocks and for table rows. Pure; everything is HTML-escaped.

use similar::DiffTag;

use super::blocks::{style, Inline};

/// Splits text into diff tokens: each wide character alone, words and numbers whole,
/// runs of spaces whole, every other character alone.
fn tokens(text: &str) -> Vec<&str> {
    use unicode_width::UnicodeWidthChar;
    let mut out = Vec::new();
    let mut start: Option<(usize, u8)> = None; // (byte start, class)
    let class = |c: char| -> u8 {
        if c.width().unwrap_or(1) >= 2 {
            0 // wide: always alone
        } else if c.is_alphanumeric() || c == '_' {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3 // punctuation: alone
        }
    };
    for (i, c) in text.char_indices() {
        let k = class(c);
        match start {
            Some((_, sk)) if sk == k && (k == 1 || k == 2) => {}
            Some((s, _)) => {
                out.push(&text[s..i]);
                start = Some((i, k));
            }
            None => start = Some((i, k)),
        }
    }
    if let Some((s, _)) = start {
        out.push(&text[s..]);
    }
    out
}

pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Which version of a page something comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Old,
    New,
}

/// How a redline shows its two versions.
pub(crate) struct Redline<'a> {
    /// The summary of a folded stretch; `{n}` is how many blocks it holds.
    pub(crate) folded_label: &'a str,
    /// Where a link of `side`, as its page wrote it, leads from the redline page;
    /// `None` shows the link's text alone (its page is not published there).
    pub(crate) link: &'a dyn Fn(Side, &str) -> Option<String>,
    /// Where an image of `side` is loaded from; `None` shows its alternative text.
    pub(crate) image: &'a dyn Fn(Side, &str) -> Option<String>,
}

/// Whether a token is unchanged, deleted or inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    Same,
    Del,
    Ins,
}

impl Mark {
    /// The class of a whole block with this mark.
    pub(super) fn class(self) -> &'static str {
        match self {
            Mark::Same => "",
            Mark::Del => " rl-del",
            Mark::Ins => " rl-ins",
        }
    }
}

/// A diff token: a piece of text with its style and link, an image or a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Tok<'a> {
    Text { text: &'a str, style: u8, href: Option<&'a str> },
    Image { src: &'a str, alt: &'a str, href: Option<&'a str> },
    Break,
}

fn toks(inlines: &[Inline]) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    for i in inlines {
        match i {
            Inline::Text { text, style, href } => out.extend(tokens(text).into_iter().map(|text| Tok::Text {
                text,
                style: *style,
                href: href.as_deref(),
            })),
            Inline::Image { src, alt, href } => out.push(Tok::Image { src, alt, href: href.as_deref() }),
            Inline::Break => out.push(Tok::Break),
        }
    }
    out
}

/// Tokens with their mark and the side they come from.
pub(super) type Marked<'a> = Vec<(Mark, Side, Tok<'a>)>;

/// Every token of `inlines` with one mark.
pub(super) fn all(inlines: &[Inline], mark: Mark) -> Marked<'_> {
    let side = if mark == Mark::Del { Side::Old } else { Side::New };
    toks(inlines).into_iter().map(|t| (mark, side, t)).collect()
}

/// Two versions of a block's text, token by token: deletions before insertions.
pub(super) fn diff_inlines<'a>(old: &'a [Inline], new: &'a [Inline]) -> Marked<'a> {
    let (a, b) = (toks(old), toks(new));
    let mut out = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b) {
        let (tag, o, n) = op.as_tag_tuple();
        if matches!(tag, DiffTag::Delete | DiffTag::Replace) {
            out.extend(a[o].iter().map(|t| (Mark::Del, Side::Old, *t)));
        }
        match tag {
            DiffTag::Equal => out.extend(b[n].iter().map(|t| (Mark::Same, Side::New, *t))),
            DiffTag::Insert | DiffTag::Replace => out.extend(b[n].iter().map(|t| (Mark::Ins, Side::New, *t))),
            DiffTag::Delete => {}
        }
    }
    out
}

/// Marked tokens as HTML: runs under one link in one `<a>`, inside it runs of one
/// mark in one `<del>` or `<ins>`, inside those runs of one style in its elements.
pub(super) fn html_of(items: &[(Mark, Side, Tok)], r: &Redline) -> String {
    let links: Vec<Option<String>> = items
        .iter()
        .map(|(_, side, t)| match t {
            Tok::Text { href, .. } | Tok::Image { href, .. } => href.and_then(|h| (r.link)(*side, h)),
            Tok::Break => None,
        })
        .collect();
    let mut html = String::new();
    for (range, link) in runs(&links, |l| l.clone()) {
        if let Some(h) = &link {
            html.push_str(&format!("<a href=\"{}\">", escape(h)));
        }
        let items = &items[range];
        for (range, mark) in runs(items, |(m, _, _)| *m) {
            match mark {
                Mark::Same => {}
                Mark::Del => html.push_str("<del>"),
                Mark::Ins => html.push_str("<ins>"),
            }
            let items = &items[range];
            let styles = |(_, _, t): &(Mark, Side, Tok)| match t {
                Tok::Text { style, .. } => *style,
                _ => 0,
            };
            for (range, bits) in runs(items, styles) {
                let tags: Vec<&str> = style::TAGS.iter().filter(|(b, _)| bits & b != 0).map(|(_, t)| *t).collect();
                tags.iter().for_each(|t| html.push_str(&format!("<{t}>")));
                for (_, side, t) in &items[range] {
                    token_html(*side, t, r, &mut html);
                }
                tags.iter().rev().for_each(|t| html.push_str(&format!("</{t}>")));
            }
            match mark {
                Mark::Same => {}
                Mark::Del => html.push_str("</del>"),
                Mark::Ins => html.push_str("</ins>"),
            }
        }
        if link.is_some() {
            html.push_str("</a>");
        }
    }
    html
}

fn token_html(side: Side, t: &Tok, r: &Redline, html: &mut String) {
    match t {
        Tok::Text { text, .. } => html.push_str(&escape(text)),
        Tok::Break => html.push_str("<br>"),
        Tok::Image { src, alt, .. } => match (r.image)(side, src) {
            Some(src) => html.push_str(&format!(
                "<img class=\"rl-image\" src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                escape(&src),
                escape(alt)
            )),
            None => html.push_str(&escape(alt)),
        },
    }
}

/// The runs of `items` with one key, as ranges with their key.
pub(super) fn runs<T, K: PartialEq>(items: &[T], key: impl Fn(&T) -> K) -> Vec<(std::ops::Range<usize>, K)> {
    let mut out: Vec<(std::ops::Range<usize>, K)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let k = key(item);
        match out.last_mut() {
            Some((range, last)) if *last == k => range.end = i + 1,
            _ => out.push((i..i + 1, k)),
        }
    }
    out
}

/// One old or new thing, or a pair of versions of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Pair<'a, T> {
    Same(&'a T),
    Old(&'a T),
    New(&'a T),
    Both(&'a T, &'a T),
}

/// How alike two versions must be to be shown as one changed thing.
const ALIKE: f64 = 0.5;
/// How alike versions at the same place must be when as many were deleted as inserted.
const ALIKE_IN_PLACE: f64 = 0.25;

/// The two versions of a sequence, matched (Myers over whole items); the deleted and
/// inserted items between matches are paired where `alike` (`None` for items that
/// never pair) says they are versions of one another.
pub(super) fn align<'a, T: Ord + std::hash::Hash>(
    old: &'a [T],
    new: &'a [T],
    alike: &dyn Fn(&T, &T) -> Option<f64>,
) -> Vec<Pair<'a, T>> {
    let mut out = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, old, new) {
        let (tag, o, n) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => out.extend(new[n].iter().map(Pair::Same)),
            DiffTag::Delete => out.extend(old[o].iter().map(Pair::Old)),
            DiffTag::Insert => out.extend(new[n].iter().map(Pair::New)),
            DiffTag::Replace => out.extend(pair(&old[o], &new[n], alike)),
        }
    }
    out
}

/// Deleted `old` and inserted `new` items paired: item by item when there are as many
/// of each and each is like the one in its place, else each old item with the most
/// alike new one after the last pair (new ones skipped over count as inserted).
fn pair<'a, T>(old: &'a [T], new: &'a [T], alike: &dyn Fn(&T, &T) -> Option<f64>) -> Vec<Pair<'a, T>> {
    let in_place = |(o, n): (&T, &T)| alike(o, n).is_some_and(|s| s >= ALIKE_IN_PLACE);
    if old.len() == new.len() && old.iter().zip(new).all(in_place) {
        return old.iter().zip(new).map(|(o, n)| Pair::Both(o, n)).collect();
    }
    let mut out = Vec::new();
    let mut j = 0;
    for o in old {
        let mut best: Option<(usize, f64)> = None;
        for (k, n) in new[j..].iter().enumerate() {
            match alike(o, n) {
                Some(s) if s >= ALIKE && best.is_none_or(|(_, b)| s > b) => best = Some((k, s)),
                _ => {}
            }
        }
        match best {
            Some((k, _)) => {
                out.extend(new[j..j + k].iter().map(Pair::New));
                out.push(Pair::Both(o, &new[j + k]));
                j += k + 1;
            }
            None => out.push(Pair::Old(o)),
        }
    }
    out.extend(new[j..].iter().map(Pair::New));
    out
}

pub(super) fn ratio(a: &str, b: &str) -> f64 {
    f64::from(similar::TextDiff::from_chars(a, b).ratio())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_chinese_by_character_and_latin_by_word() {
        assert_eq!(
            tokens("投诉48小时 within 2 days."),
            vec!["投", "诉", "48", "小", "时", " ", "within", " ", "2", " ", "days", "."]
        );
        assert_eq!(tokens("服务，态度"), vec!["服", "务", "，", "态", "度"]);
    }
}
