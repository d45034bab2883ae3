//! Chart colours by role, so charts follow the colour scheme: every shape plotters
//! draws in a palette colour gets a class naming its role (`cf-line` for a fill,
//! `cs-line` for a stroke), which `style.css` colours through custom properties
//! (`--chart-line`), light or dark. The `fill`/`stroke` attributes stay as the
//! fallback for an SVG read without the stylesheet. Pure text rewriting.

/// Every colour the charts draw with (as plotters writes it) and its role.
const PALETTE: &[(&str, &str)] = &[
    ("#FFFFFF", "bg"),
    ("#000000", "ink"),
    ("#1F2328", "ink"),
    ("#EAEEF2", "grid"),
    ("#D0D7DE", "axis"),
    ("#0F5E9C", "line"),
    ("#57606A", "target"),
    ("#F5D98B", "band"),
    ("#1A7F37", "met"),
    ("#BF8700", "warning"),
    ("#CF222E", "missed"),
    ("#8C959F", "nodata"),
];

fn role(hex: &str) -> Option<&'static str> {
    PALETTE.iter().find(|(h, _)| h.eq_ignore_ascii_case(hex)).map(|(_, r)| *r)
}

/// The value of the attribute whose ` name="` is `key` in the tag text `tag`.
fn attr<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    let at = tag.find(key)? + key.len();
    tag[at..].find('"').map(|end| &tag[at..at + end])
}

/// `svg` with a `class` naming the colour role of each element's fill and stroke. The
/// root `<svg>` and elements that already have a class are left alone. Every chart of
/// a build passes through here, so it writes straight into the output, allocating
/// nothing per tag.
pub(crate) fn classify(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len() + svg.len() / 8);
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + len];
        out.push_str(&rest[..start]);
        let roles = [("cf-", attr(tag, " fill=\"").and_then(role)), ("cs-", attr(tag, " stroke=\"").and_then(role))];
        let none = roles.iter().all(|(_, r)| r.is_none());
        if none || tag.starts_with("<svg") || tag.starts_with("</") || tag.contains(" class=\"") {
            out.push_str(tag);
        } else {
            let body = tag.strip_suffix('/').unwrap_or(tag);
            out.push_str(body);
            out.push_str(" class=\"");
            let mut first = true;
            for (prefix, r) in roles {
                let Some(r) = r else { continue };
                if !first {
                    out.push(' ');
                }
                first = false;
                out.push_str(prefix);
                out.push_str(r);
            }
            out.push('"');
            out.push_str(&tag[body.len()..]);
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_get_the_class_of_their_colour_role() {
        let svg =
            "<svg fill=\"#FFFFFF\"><rect fill=\"#FFFFFF\" stroke=\"#0F5E9C\"/><text fill=\"#000000\">3 &lt; 4</text>\
                   <circle fill=\"#123456\"/><polyline stroke=\"#cf222e\" points=\"1,2\"/></svg>";
        assert_eq!(
            classify(svg),
            "<svg fill=\"#FFFFFF\"><rect fill=\"#FFFFFF\" stroke=\"#0F5E9C\" class=\"cf-bg cs-line\"/>\
             <text fill=\"#000000\" class=\"cf-ink\">3 &lt; 4</text><circle fill=\"#123456\"/>\
             <polyline stroke=\"#cf222e\" points=\"1,2\" class=\"cs-missed\"/></svg>"
        );
    }
}
