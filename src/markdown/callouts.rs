//! Callouts as other tools write them: GitHub's alerts (`> [!NOTE]`, parsed by
//! pulldown-cmark's GFM option) and Docusaurus' admonitions (`:::tip Title` … `:::`).
//! Both become one `<div class="callout callout-KIND" role="note">`, so a migrated page
//! keeps its notes and warnings without edits. The theme names each kind in the page's
//! language (`style.css`); a Docusaurus title replaces that name.
//!
//! A pure pass over rendered events: an opening `:::` line without its closing line is
//! left as text.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use super::shortcodes::escape;

/// The kinds a callout may have: GitHub's five and Docusaurus' `info` and `danger`.
const KINDS: &[&str] = &["note", "tip", "info", "important", "warning", "caution", "danger"];

fn github_kind(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

fn open(kind: &str, title: Option<&str>) -> Event<'static> {
    let mut html = format!("<div class=\"callout callout-{kind}\" role=\"note\">\n");
    if let Some(t) = title.filter(|t| !t.is_empty()) {
        html.push_str(&format!("<p class=\"callout-title\">{}</p>\n", escape(t)));
    }
    Event::Html(CowStr::from(html))
}

fn close() -> Event<'static> {
    Event::Html(CowStr::Borrowed("</div>\n"))
}

/// `:::kind` or `:::kind Title` (Docusaurus also writes `:::kind[Title]`): the kind and
/// the title.
fn opener(line: &str) -> Option<(&'static str, &str)> {
    let rest = line.trim().strip_prefix(":::")?;
    let end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
    let kind = KINDS.iter().find(|k| **k == rest[..end].to_ascii_lowercase())?;
    let title = rest[end..].trim();
    let title = title.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(title);
    Some((kind, title.trim()))
}

fn is_closer(line: &str) -> bool {
    line.trim() == ":::"
}

/// The text of `line` when it is text alone.
fn line_text(line: &[Event]) -> Option<String> {
    let mut text = String::new();
    for e in line {
        match e {
            Event::Text(t) => text.push_str(t),
            _ => return None,
        }
    }
    Some(text)
}

/// A paragraph's inline events cut into its lines (at soft breaks).
fn lines<'a>(inline: Vec<Event<'a>>) -> Vec<Vec<Event<'a>>> {
    let mut lines = vec![Vec::new()];
    for e in inline {
        match e {
            Event::SoftBreak => lines.push(Vec::new()),
            other => lines.last_mut().expect("one line at least").push(other),
        }
    }
    lines
}

/// `lines` as a paragraph again (nothing when there are none).
fn paragraph<'a>(lines: Vec<Vec<Event<'a>>>, out: &mut Vec<Event<'a>>) {
    if lines.is_empty() {
        return;
    }
    out.push(Event::Start(Tag::Paragraph));
    for (i, line) in lines.into_iter().enumerate() {
        if i > 0 {
            out.push(Event::SoftBreak);
        }
        out.extend(line);
    }
    out.push(Event::End(TagEnd::Paragraph));
}

/// A paragraph seen as a possible part of a Docusaurus block.
struct Para<'a> {
    /// Its lines.
    lines: Vec<Vec<Event<'a>>>,
    /// Its first line opens a block: kind and title.
    opens: Option<(&'static str, String)>,
    /// Its last line is `:::` (and it is not the opening line).
    closes: bool,
}

impl<'a> Para<'a> {
    fn new(inline: Vec<Event<'a>>) -> Para<'a> {
        let lines = lines(inline);
        let first = line_text(&lines[0]);
        let opens = first.as_deref().and_then(opener).map(|(k, t)| (k, t.to_string()));
        let last_closes = lines.last().and_then(|l| line_text(l)).is_some_and(|t| is_closer(&t));
        let closes = last_closes && (lines.len() > 1 || opens.is_none());
        Para { lines, opens, closes }
    }
}

/// Rewrites GitHub alerts and Docusaurus admonitions among `events` into callouts.
pub(crate) fn rewrite(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // Paragraphs (at the top level of the run) become `Para`s; other events stay.
    enum Piece<'a> {
        Event(Event<'a>),
        Para(Para<'a>),
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut inline: Option<Vec<Event>> = None;
    // How deep in lists, quotes and other blocks: only top-level paragraphs open or
    // close a Docusaurus block, so that its HTML stays well nested.
    let mut depth = 0usize;
    for e in events {
        match (e, inline.as_mut()) {
            (Event::Start(Tag::Paragraph), None) => inline = Some(Vec::new()),
            (Event::End(TagEnd::Paragraph), Some(_)) => {
                let mut p = Para::new(inline.take().unwrap_or_default());
                if depth > 0 {
                    (p.opens, p.closes) = (None, false);
                }
                pieces.push(Piece::Para(p));
            }
            (e, Some(buf)) => buf.push(e),
            (e, None) => {
                match &e {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
                pieces.push(Piece::Event(github_alert(e)));
            }
        }
    }
    // Pair each opening paragraph with the next closing one (blocks may nest).
    let mut pairs: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    let mut open_at: Vec<usize> = Vec::new();
    for (i, p) in pieces.iter().enumerate() {
        let Piece::Para(p) = p else { continue };
        let both = p.opens.is_some() && p.closes;
        if both {
            pairs.insert(i);
        } else if p.closes {
            if let Some(o) = open_at.pop() {
                pairs.extend([o, i]);
            }
        } else if p.opens.is_some() {
            open_at.push(i);
        }
    }
    let mut out = Vec::new();
    for (i, piece) in pieces.into_iter().enumerate() {
        match piece {
            Piece::Event(e) => out.push(e),
            Piece::Para(Para { mut lines, opens, closes }) if pairs.contains(&i) => {
                if let Some((kind, title)) = &opens {
                    lines.remove(0);
                    out.push(open(kind, Some(title)));
                }
                if closes {
                    lines.pop();
                }
                paragraph(lines, &mut out);
                if closes {
                    out.push(close());
                }
            }
            Piece::Para(p) => paragraph(p.lines, &mut out),
        }
    }
    out
}

/// A GitHub alert's block quote as a callout; any other event as it is.
fn github_alert(e: Event<'_>) -> Event<'_> {
    match e {
        Event::Start(Tag::BlockQuote(Some(kind))) => open(github_kind(kind), None),
        Event::End(TagEnd::BlockQuote(Some(_))) => close(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::test_support::no_expand;
    use crate::markdown::{outline, to_html, Hooks};

    fn html(body: &str) -> String {
        to_html(body, &outline(body, &Hooks::none()), &[], &no_expand)
    }

    #[test]
    fn github_alerts_become_callouts() {
        assert_eq!(
            html("> [!WARNING]\n> Refunds take **7 days**.\n"),
            "<div class=\"callout callout-warning\" role=\"note\">\n<p>Refunds take <strong>7 days</strong>.</p>\n</div>\n"
        );
        // A plain quote stays a quote.
        assert_eq!(html("> Quoted.\n"), "<blockquote>\n<p>Quoted.</p>\n</blockquote>\n");
    }

    #[test]
    fn docusaurus_admonitions_become_callouts_with_their_titles() {
        assert_eq!(
            html(":::tip Before you call\n\nHave the **order number** ready.\n\n- one\n\n:::\n\nAfter.\n"),
            "<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Before you call</p>\n\
             <p>Have the <strong>order number</strong> ready.</p>\n<ul>\n<li>one</li>\n</ul>\n</div>\n<p>After.</p>\n"
        );
        // Written without blank lines, and with a bracketed title.
        assert_eq!(
            html(":::danger[Never]\nShare a password.\n:::\n"),
            "<div class=\"callout callout-danger\" role=\"note\">\n<p class=\"callout-title\">Never</p>\n\
             <p>Share a password.</p>\n</div>\n"
        );
    }

    #[test]
    fn an_unclosed_or_unknown_admonition_stays_text() {
        assert_eq!(html(":::note\n\nNo end.\n"), "<p>:::note</p>\n<p>No end.</p>\n");
        assert_eq!(html(":::nonsense\n\nx\n\n:::\n"), "<p>:::nonsense</p>\n<p>x</p>\n<p>:::</p>\n");
    }
}
