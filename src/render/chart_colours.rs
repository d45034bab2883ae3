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

/// The colour roles of a tag's `fill` and `stroke`, and whether it has a `class`, read
/// in one pass over its `name="value"` attributes (a search per attribute name was
/// most of the cost of this rewriting).
fn roles(tag: &str) -> ([(&'static str, Option<&'static str>); 2], bool) {
    let (mut fill, mut stroke, mut class) = (None, None, false);
    let mut rest = tag;
    while let Some(eq) = rest.find('=') {
        let (name, after) = (&rest[..eq], &rest[eq + 1..]);
        let Some(value) = after.strip_prefix('"') else {
            rest = after;
            continue;
        };
        let Some(end) = value.find('"') else { break };
        let value = &value[..end];
        if name.ends_with(" fill") {
            fill = fill.or(Some(value));
        } else if name.ends_with(" stroke") {
            stroke = stroke.or(Some(value));
        } else if name.ends_with(" class") {
            class = true;
        }
        rest = &after[end + 2..];
    }
    ([("cf-", fill.and_then(role)), ("cs-", stroke.and_then(role))], class)
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
        let (roles, class) = roles(tag);
        let none = roles.iter().all(|(_, r)| r.is_none());
        if none || class || tag.starts_with("<svg") || tag.starts_with("</") {
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
        // Only whole attribute names count, and a shape with a class keeps its own.
        let own = "<g><rect data-fill=\"#FFFFFF\" x=\"1\"/><rect stroke=\"#000000\" class=\"mine\"/></g>";
        assert_eq!(classify(own), own);
    }
}
