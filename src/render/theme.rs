//! The theme: templates and assets compiled into the binary, each replaceable by a file
//! of the same name in the site's own `templates/` folder (as mdBook's `theme/`).
//!
//! Owns template loading and Tera setup (autoescaping on for every `.html` template)
//! and turns template errors into diagnostics at `templates/NAME:LINE:COL`. Templates
//! that include, extend or import themselves, directly or through others, are refused
//! with the cycle named (rendering them would never end). It must not build template
//! contexts (that is `render`) or write files.

use std::collections::BTreeMap;
use std::path::Path;

use crate::base::diagnostics::{Diagnostics, Pos};

pub(crate) const TEMPLATES_DIR: &str = "templates";

/// The default theme, embedded at compile time from the repository's `templates/`.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("section.html", include_str!("../../templates/section.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("role.html", include_str!("../../templates/role.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("page-list.html", include_str!("../../templates/page-list.html")),
    ("page-meta.html", include_str!("../../templates/page-meta.html")),
    ("page-notices.html", include_str!("../../templates/page-notices.html")),
    ("page-nav.html", include_str!("../../templates/page-nav.html")),
    ("site-nav.html", include_str!("../../templates/site-nav.html")),
    ("page-history.html", include_str!("../../templates/page-history.html")),
    ("toc.html", include_str!("../../templates/toc.html")),
    ("kpi.html", include_str!("../../templates/kpi.html")),
    ("kpis.html", include_str!("../../templates/kpis.html")),
    ("report.html", include_str!("../../templates/report.html")),
    ("changelog.html", include_str!("../../templates/changelog.html")),
    ("redline.html", include_str!("../../templates/redline.html")),
    ("print.html", include_str!("../../templates/print.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("style.css", include_str!("../../templates/style.css")),
    ("favicon.svg", include_str!("../../templates/favicon.svg")),
    ("search.js", include_str!("../../templates/search.js")),
];

/// Theme files that are copied to the output as they are (not templates).
const ASSETS: &[&str] = &["style.css", "favicon.svg", "search.js"];

/// A loaded theme: the Tera instance and the asset files.
pub(crate) struct Theme {
    pub(crate) tera: tera::Tera,
    /// Asset files by their plain name (`style.css`).
    pub(crate) assets: BTreeMap<String, Vec<u8>>,
    /// The fingerprinted name of each asset (`style.css` → `style.<hash>.css`), which
    /// pages name through `{{ asset(name="style.css") }}`.
    pub(crate) asset_names: BTreeMap<String, String>,
    /// Where each template came from, for diagnostics (`templates/x.html` or built-in).
    origins: BTreeMap<String, String>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme").field("templates", &self.origins).finish()
    }
}

/// Loads the built-in theme with the site's overrides from `root/templates/`. Extra
/// templates there (partials included by overrides) are loaded too.
pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> Option<Theme> {
    let mut files: BTreeMap<String, (String, String)> = BUILTIN
        .iter()
        .map(|(name, text)| (name.to_string(), (text.to_string(), format!("{TEMPLATES_DIR}/{name} (built-in)"))))
        .collect();
    let dir = root.join(TEMPLATES_DIR);
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name().into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            if rel.split('/').any(|s| s.starts_with('.')) {
                continue;
            }
            let source = format!("{TEMPLATES_DIR}/{rel}");
            if let Some(text) =
                crate::load::data::read_source(entry.path(), &source, MAX_TEMPLATE_BYTES, "templates", diags)
            {
                files.insert(rel, (text, source));
            }
        }
    }
    from_files(files, diags)
}

/// Largest template or theme asset read from `templates/`.
const MAX_TEMPLATE_BYTES: u64 = 10 << 20;

fn from_files(files: BTreeMap<String, (String, String)>, diags: &mut Diagnostics) -> Option<Theme> {
    let mut assets = BTreeMap::new();
    let mut templates = Vec::new();
    let mut origins = BTreeMap::new();
    for (name, (text, source)) in files {
        if name.ends_with(".html") {
            origins.insert(name.clone(), source);
            templates.push((name, text));
        } else if ASSETS.contains(&name.as_str()) || !name.contains('/') {
            assets.insert(name, text.into_bytes());
        }
    }
    // Syntax errors template by template, so that every broken template is reported.
    let mut broken = false;
    for (name, text) in &templates {
        let mut single = tera::Tera::new();
        if let Err(e) = single.add_raw_template(name, text) {
            if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                push_error(&origins, name, &e, diags);
                broken = true;
            }
        }
    }
    if broken || !check_cycles(&templates, &origins, diags) {
        return None;
    }
    if let Some(js) = assets.get_mut("search.js") {
        *js = super::assets::with_search_words(js, &crate::base::i18n::search_box_words());
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html"]);
    // `{{ name | isolate }}`: a name between U+2068 and U+2069, for text-only places
    // (`<title>`, attributes) where `<bdi>` cannot go; see `text_safety::isolate`.
    tera.register_filter("isolate", |s: tera::StringInput, _: tera::Kwargs, _: &tera::State| {
        s.inherit_safety(crate::base::text_safety::isolate(s.as_str()))
    });
    // `{{ root }}{{ asset(name="style.css") }}`: the fingerprinted name of a theme asset.
    let asset_names = super::assets::names(&assets);
    let lookup = asset_names.clone();
    tera.register_function("asset", move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
        let name: &str = kwargs.must_get("name")?;
        lookup.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = lookup.keys().map(String::as_str).collect();
            tera::Error::message(format!("`{name}` is not a theme asset (theme assets: {})", known.join(", ")))
        })
    });
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let name = templates.first().map(|t| t.0.clone()).unwrap_or_default();
        push_error(&origins, &name, &e, diags);
        return None;
    }
    Some(Theme { tera, assets, asset_names, origins })
}

/// The templates `text` names in `{% include %}`, `{% extends %}` and `{% import %}`
/// tags, with the byte offset of each tag; comments and `{% raw %}` blocks are skipped.
fn references(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find('{').map(|i| at + i) {
        let rest = &text[i..];
        if rest.starts_with("{#") {
            at = rest.find("#}").map_or(text.len(), |e| i + e + 2);
            continue;
        }
        if !rest.starts_with("{%") {
            at = i + 1;
            continue;
        }
        let end = rest.find("%}").map_or(text.len(), |e| i + e + 2);
        let tag = text[i + 2..end.saturating_sub(2).max(i + 2)].trim_start_matches(['-', '+']).trim_start();
        let keyword: String = tag.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        at = end;
        if keyword == "raw" {
            // Up to the end of `{% endraw %}`: its contents are text.
            let close = text[end..].find("endraw").and_then(|e| text[end + e..].find("%}").map(|f| end + e + f + 2));
            at = close.unwrap_or(text.len());
            continue;
        }
        if !matches!(keyword.as_str(), "include" | "extends" | "import") {
            continue;
        }
        let arg = tag[keyword.len()..].trim_start();
        let Some(quote) = arg.chars().next().filter(|q| matches!(q, '"' | '\'' | '`')) else { continue };
        if let Some(len) = arg[1..].find(quote) {
            out.push((arg[1..1 + len].to_string(), i));
        }
    }
    out
}

/// Reports every cycle of templates that include, extend or import each other, at the
/// tag of the first template of the cycle that the site itself provides. `false` when
/// there is one.
fn check_cycles(templates: &[(String, String)], origins: &BTreeMap<String, String>, diags: &mut Diagnostics) -> bool {
    let text: BTreeMap<&str, &str> = templates.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let edges: BTreeMap<&str, Vec<(String, usize)>> = text
        .iter()
        .map(|(n, t)| (*n, references(t).into_iter().filter(|(to, _)| text.contains_key(to.as_str())).collect()))
        .collect();
    // Depth-first, without recursion: 0 unseen, 1 on the path, 2 done.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    let mut ok = true;
    for &start in edges.keys() {
        if state.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        state.insert(start, 1);
        while let Some(&(node, next)) = path.last() {
            let Some((to, _)) = edges[node].get(next) else {
                state.insert(node, 2);
                path.pop();
                continue;
            };
            path.last_mut().unwrap().1 += 1;
            let to = to.as_str();
            match state.get(to) {
                None => {
                    state.insert(to, 1);
                    path.push((to, 0));
                }
                Some(1) => {
                    let from = path.iter().position(|(n, _)| *n == to).unwrap_or(0);
                    let cycle: Vec<(&str, usize)> = path[from..].iter().map(|&(n, k)| (n, k - 1)).collect();
                    report_cycle(&cycle, &text, &edges, origins, diags);
                    ok = false;
                }
                _ => {}
            }
        }
    }
    ok
}

/// One cycle, as (template, index of its edge to the next) pairs, as a diagnostic.
fn report_cycle(
    cycle: &[(&str, usize)],
    text: &BTreeMap<&str, &str>,
    edges: &BTreeMap<&str, Vec<(String, usize)>>,
    origins: &BTreeMap<String, String>,
    diags: &mut Diagnostics,
) {
    let builtin = |n: &str| origins.get(n).is_none_or(|o| o.ends_with("(built-in)"));
    let first = cycle.iter().position(|(n, _)| !builtin(n)).unwrap_or(0);
    let rotated: Vec<(&str, usize)> = cycle[first..].iter().chain(&cycle[..first]).copied().collect();
    let (name, edge) = rotated[0];
    let offset = edges[name][edge].1;
    let path = origins.get(name).cloned().unwrap_or_else(|| format!("{TEMPLATES_DIR}/{name}"));
    let message = if rotated.len() == 1 {
        format!("template `{name}` includes itself")
    } else {
        let chain: Vec<&str> = rotated[1..].iter().map(|(n, _)| *n).chain([name]).collect();
        format!("template `{name}` includes itself through {}", chain.join(" → "))
    };
    diags.error(&path, Pos::of_offset(text[name], offset), "template-cycle", message);
    diags.with_help("a template must not include, extend or import itself, directly or through other templates");
}

impl Theme {
    /// Renders `template` with `context` to UTF-8 bytes, kept as written (no second
    /// validation pass); a failure becomes a diagnostic at the template's line and column.
    pub(crate) fn render(&self, template: &str, context: &tera::Context) -> Result<Vec<u8>, Diagnostics> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera.render_to(template, context, &mut out).map(|()| out).map_err(|e| {
            let mut d = Diagnostics::new();
            push_error(&self.origins, template, &e, &mut d);
            d
        })
    }
}

/// Maps a Tera error to `templates/NAME:LINE:COL: error: …`.
fn push_error(origins: &BTreeMap<String, String>, fallback: &str, e: &tera::Error, diags: &mut Diagnostics) {
    let (name, pos, message) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let name = if r.filename().is_empty() { fallback } else { r.filename() };
            let span = r.span();
            (name.to_string(), Pos::new(span.start_line, span.start_col + 1), r.message().to_string())
        }
        other => (fallback.to_string(), Pos::FILE, other.to_string()),
    };
    let path = origins.get(&name).cloned().unwrap_or_else(|| format!("{TEMPLATES_DIR}/{name}"));
    let code = if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) { "template-syntax" } else { "template-render" };
    // A built-in template has no file in the site to quote; the path says so.
    diags.error(&path, pos, code, format!("template: {message}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        list.iter().map(|(n, t)| (n.to_string(), (t.to_string(), format!("templates/{n}")))).collect()
    }

    #[test]
    fn builtin_theme_loads() {
        let mut d = Diagnostics::new();
        let theme =
            from_files(BUILTIN.iter().map(|(n, t)| (n.to_string(), (t.to_string(), n.to_string()))).collect(), &mut d);
        assert!(d.is_empty(), "{:?}", d.into_sorted());
        let theme = theme.unwrap();
        assert!(theme.assets.contains_key("style.css"));
        let css = &theme.asset_names["style.css"];
        assert!(css.starts_with("style.") && css.ends_with(".css") && css.len() == "style..css".len() + 10, "{css}");
    }

    #[test]
    fn templates_name_assets_by_their_fingerprinted_name_and_unknown_ones_are_errors() {
        let mut d = Diagnostics::new();
        let list = [("x.html", "{{ asset(name=\"style.css\") }}"), ("y.html", "{{ asset(name=\"nope.css\") }}")];
        let mut all = files(&list);
        all.insert("style.css".into(), ("body{}".into(), "templates/style.css".into()));
        let t = from_files(all.clone(), &mut d).unwrap();
        let out = String::from_utf8(t.render("x.html", &tera::Context::new()).unwrap()).unwrap();
        assert_eq!(out, super::super::assets::fingerprinted("style.css", b"body{}"));
        let err = t.render("y.html", &tera::Context::new()).unwrap_err().into_sorted();
        assert!(err[0].message.contains("`nope.css` is not a theme asset"), "{err:?}");
        // A user's own style.css gets its own name.
        all.insert("style.css".into(), ("body{color:red}".into(), "templates/style.css".into()));
        let t2 = from_files(all, &mut d).unwrap();
        assert_ne!(t.asset_names["style.css"], t2.asset_names["style.css"]);
    }

    #[test]
    fn syntax_errors_in_several_templates_are_all_reported_with_positions() {
        let mut d = Diagnostics::new();
        let t = from_files(
            files(&[("a.html", "ok\n{{ oops "), ("b.html", "{% if %}x{% endif %}"), ("c.html", "fine")]),
            &mut d,
        );
        assert!(t.is_none());
        let all = d.into_sorted();
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(all[0].path, "templates/a.html");
        assert_eq!(all[0].pos.line, 2);
        assert_eq!(all[1].path, "templates/b.html");
    }

    #[test]
    fn autoescaping_is_on_for_html() {
        let mut d = Diagnostics::new();
        let t = from_files(files(&[("x.html", "{{ v }}|{{ v | safe }}")]), &mut d).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("v", "<b>&\"");
        assert_eq!(t.render("x.html", &ctx).unwrap(), b"&lt;b&gt;&amp;&quot;|<b>&\"");
    }

    #[test]
    fn templates_that_include_themselves_are_refused_with_the_cycle() {
        let mut d = Diagnostics::new();
        let t = from_files(files(&[("page.html", "a\n  {% include \"page.html\" %}"), ("ok.html", "x")]), &mut d);
        assert!(t.is_none());
        let all = d.into_sorted();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!((all[0].path.as_str(), all[0].pos.line, all[0].pos.col), ("templates/page.html", 2, 3));
        assert_eq!(all[0].message, "template `page.html` includes itself");

        let mut d = Diagnostics::new();
        let list = [
            ("a.html", "{%- include 'b.html' -%}"),
            ("b.html", "{# {% include \"a.html\" %} #}\n{% include \"c.html\" %}"),
            ("c.html", "{% include \"a.html\" %}"),
        ];
        assert!(from_files(files(&list), &mut d).is_none());
        let all = d.into_sorted();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].path, "templates/a.html");
        assert_eq!(all[0].message, "template `a.html` includes itself through b.html → c.html → a.html");
    }

    #[test]
    fn an_include_that_extends_back_is_a_cycle_too_and_built_ins_are_not_blamed() {
        // Tera itself does not see this one: the built-in base includes an override that
        // extends it.
        let mut list: BTreeMap<String, (String, String)> = BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), (t.to_string(), format!("templates/{n} (built-in)"))))
            .collect();
        let base = list["base.html"].0.replace("</main>", "{% include \"page.html\" %}</main>");
        list.insert("base.html".into(), (base, "templates/base.html".into()));
        let mut d = Diagnostics::new();
        assert!(from_files(list, &mut d).is_none());
        let all = d.into_sorted();
        assert!(!all.is_empty());
        assert_eq!(all[0].path, "templates/base.html");
        assert!(
            all[0].message.contains("template `base.html` includes itself through page.html → base.html"),
            "{all:?}"
        );
        // Nothing in comments or raw blocks, and a missing or ordinary include, is a cycle.
        let mut d = Diagnostics::new();
        let list =
            [("a.html", "{% raw %}{% include \"a.html\" %}{% endraw %}{% include \"b.html\" %}"), ("b.html", "b")];
        assert!(from_files(files(&list), &mut d).is_some(), "{:?}", d.into_sorted());
    }
}
