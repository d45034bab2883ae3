//! Reading HTML that Charter wrote: its text and tags in order, attribute values and
//! character references. Not a general HTML parser — for well-formed output such as
//! rendered page bodies (comments, doctypes and processing instructions are passed
//! over whole as tags to skip).

/// A piece of HTML: text between tags (character references not yet decoded), or a
/// tag with its lower-cased name and its attributes as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Tag { name: String, closing: bool, self_closing: bool, attrs: &'a str },
}

/// The pieces of `html` in order; `<!…>` and `<?…>` are left out, and text after an
/// unclosed `<` ends the input.
pub(crate) fn pieces(html: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if lt > 0 {
            out.push(Piece::Text(&rest[..lt]));
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else { return out };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let body = tag.trim_start_matches('/');
        let name_end = body.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(body.len());
        out.push(Piece::Tag {
            name: body[..name_end].to_ascii_lowercase(),
            closing: tag.starts_with('/'),
            self_closing: tag.ends_with('/'),
            attrs: &body[name_end..],
        });
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// The value of attribute `name` among a tag's `attrs` (quoted or not), decoded.
pub(crate) fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + name.len()..].trim_start();
        rest = &rest[i + name.len()..];
        if !before.is_some_and(|c| c.is_ascii_whitespace()) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else { continue };
        let value = value.trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value.split(|c: char| c.is_ascii_whitespace() || c == '>').next().unwrap_or(""),
        };
        return Some(decode(raw));
    }
    None
}

/// Whether a tag's `attrs` hold attribute `name` (with or without a value).
pub(crate) fn has_attr(attrs: &str, name: &str) -> bool {
    attrs.split(|c: char| c.is_ascii_whitespace() || c == '/').any(|a| a == name || a.starts_with(&format!("{name}=")))
}

/// Text with its character references decoded (the named ones HTML writers emit, and
/// numeric ones); anything else is kept as written.
pub(crate) fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.as_bytes().iter().take(12).position(|&b| b == b';');
        match semi.and_then(|e| reference(&rest[1..e]).map(|c| (c, e + 1))) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of a reference's name (`amp`, `#39`, `#x4e2d`).
pub(crate) fn reference(name: &str) -> Option<char> {
    let named = [("amp", '&'), ("lt", '<'), ("gt", '>'), ("quot", '"'), ("apos", '\''), ("nbsp", '\u{a0}')];
    if let Some((_, c)) = named.iter().find(|(n, _)| *n == name) {
        return Some(*c);
    }
    let num = name.strip_prefix('#')?;
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse().ok()?,
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_attributes_and_references() {
        let p = pieces("a<!-- c --><img src=\"x&amp;y.png\" alt='甲 乙' checked/>b</P>c");
        assert_eq!(p.len(), 5, "{p:?}");
        assert_eq!(p[0], Piece::Text("a"));
        let Piece::Tag { name, closing, self_closing, attrs } = &p[1] else { panic!("{p:?}") };
        assert_eq!((name.as_str(), *closing, *self_closing), ("img", false, true));
        assert_eq!(attr(attrs, "src").as_deref(), Some("x&y.png"));
        assert_eq!(attr(attrs, "alt").as_deref(), Some("甲 乙"));
        assert!(has_attr(attrs, "checked") && !has_attr(attrs, "check"));
        assert!(matches!(&p[3], Piece::Tag { name, closing: true, .. } if name == "p"));
        assert_eq!(decode("&#x4e2d;&#25991;&lt;&foo;&"), "中文<&foo;&");
    }
}
