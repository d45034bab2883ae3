//! The bench's Zola site: the generated standards and roles exported with Zola's front
//! matter (TOML between `+++`), a `config.toml`, and templates in one of two sets:
//! - `Layouts::Bare`: each page alone (title and content; section pages list their
//!   pages), the least a Zola site can do with these pages;
//! - `Layouts::Equal`: what Charter's theme does per page, like the Hugo layouts:
//!   navigation to the top sections, breadcrumbs, table of contents, previous and next,
//!   the owner, section lists.
//!
//! The bodies are the same markdown. The one shortcode the standards use,
//! `{{ param(id="…") }}`, is Zola's own call syntax, so the export gives it a template
//! that prints the parameter's value and unit, as Charter does.
#![allow(dead_code)] // bench-hostile and bench-serve do not run Zola

use std::path::{Path, PathBuf};

/// Which templates the Zola site gets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layouts {
    Bare,
    Equal,
}

impl Layouts {
    pub fn parse(s: &str) -> Layouts {
        match s {
            "bare" => Layouts::Bare,
            "equal" => Layouts::Equal,
            other => panic!("--zola-layouts is `bare` or `equal`, not `{other}`"),
        }
    }
}

const CONFIG: &str = r#"base_url = "https://bench.example/"
title = "基准测试手册"
default_language = "zh"
compile_sass = false
build_search_index = false
generate_feeds = false

[extra.params.limit_hours]
value = 24
unit = "小时"

[extra.params.reply_minutes]
value = 5
unit = "分钟"
"#;

const PARAM: &str = r#"{% set p = config.extra.params[id] %}<span class="param">{{ p.value }} {{ p.unit }}</span>"#;

const BARE_PAGE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ page.title }} · {{ config.title }}</title></head>
<body><main><h1>{{ page.title }}</h1>
{{ page.content | safe }}</main></body></html>
"#;

const BARE_SECTION: &str = r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ section.title }} · {{ config.title }}</title></head>
<body><main><h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>
<ul>{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ul>
</main></body></html>
"#;

/// The equal-work base: site navigation (the home page's subsections) and breadcrumbs
/// (the page's ancestors) on every page, as Charter's theme and the Hugo layouts have.
const EQUAL_BASE: &str = r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{% block title %}{% endblock title %} · {{ config.title }}</title>
<link rel="stylesheet" href="{{ get_url(path="style.css") }}"></head>
<body><header><a href="{{ get_url(path="/") }}">{{ config.title }}</a>
{% set home = get_section(path="_index.md", metadata_only=true) %}<nav><ul>{% for s in home.subsections %}{% set top = get_section(path=s, metadata_only=true) %}<li><a href="{{ top.permalink }}">{{ top.title }}</a></li>{% endfor %}</ul></nav></header>
{% block crumbs %}{% endblock crumbs %}
<main>{% block main %}{% endblock main %}</main><footer>{{ config.title }}</footer></body></html>
"#;

const EQUAL_CRUMBS: &str = r#"<nav class="breadcrumbs"><ol>{% for a in ancestors %}{% set s = get_section(path=a, metadata_only=true) %}<li><a href="{{ s.permalink }}">{{ s.title }}</a></li>{% endfor %}<li>{{ title }}</li></ol></nav>"#;

const EQUAL_PAGE: &str = r##"{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock title %}
{% block crumbs %}{% set ancestors = page.ancestors %}{% set title = page.title %}{% include "crumbs.html" %}{% endblock crumbs %}
{% block main %}<article><h1>{{ page.title }}</h1>
<dl><dt>负责</dt><dd>{{ page.extra.owner | default(value="") }}</dd></dl>
<nav class="toc"><ol>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a>{% if h.children %}<ol>{% for c in h.children %}<li><a href="#{{ c.id }}">{{ c.title }}</a></li>{% endfor %}</ol>{% endif %}</li>{% endfor %}</ol></nav>
<div class="prose">{{ page.content | safe }}</div>
<nav class="prev-next">{% if page.lower %}<a href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %}{% if page.higher %}<a href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}</nav>
</article>{% endblock main %}
"##;

const EQUAL_SECTION: &str = r#"{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock title %}
{% block crumbs %}{% set ancestors = section.ancestors %}{% set title = section.title %}{% include "crumbs.html" %}{% endblock crumbs %}
{% block main %}<h1>{{ section.title }}</h1>{{ section.content | safe }}
<ul>{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ul>
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a>{% if p.summary %}<p>{{ p.summary | safe }}</p>{% endif %}</li>{% endfor %}</ul>{% endblock main %}
"#;

/// Exports the markdown under `root/content` as the Zola site `zola` (removed first).
pub fn export(root: &Path, zola: &Path, layouts: Layouts) {
    let _ = std::fs::remove_dir_all(zola);
    put(zola, "config.toml", CONFIG);
    put(zola, "static/style.css", "body { font-family: sans-serif; }\n");
    put(zola, "templates/shortcodes/param.html", PARAM);
    match layouts {
        Layouts::Bare => {
            put(zola, "templates/page.html", BARE_PAGE);
            put(zola, "templates/section.html", BARE_SECTION);
            put(zola, "templates/index.html", BARE_SECTION);
        }
        Layouts::Equal => {
            put(zola, "templates/base.html", EQUAL_BASE);
            put(zola, "templates/crumbs.html", EQUAL_CRUMBS);
            put(zola, "templates/page.html", EQUAL_PAGE);
            put(zola, "templates/section.html", EQUAL_SECTION);
            put(zola, "templates/index.html", EQUAL_SECTION);
        }
    }
    let sources: Vec<(String, String)> = files(&root.join("content"))
        .into_iter()
        .map(|f| (f.strip_prefix(root).unwrap().to_str().unwrap().to_string(), std::fs::read_to_string(&f).unwrap()))
        .collect();
    for (rel, text) in &sources {
        // A section whose pages have weights is sorted by them (previous / next follow
        // it), any other by title, as Charter orders pages without weights.
        let sort = rel.strip_suffix("_index.md").map(|dir| {
            let weighted = sources
                .iter()
                .any(|(r, t)| r.strip_prefix(dir).is_some_and(|name| !name.contains('/')) && t.contains("\nweight: "));
            if weighted {
                "weight"
            } else {
                "title"
            }
        });
        put(zola, rel, &to_zola(text, sort));
    }
}

/// A page with Charter's YAML front matter (the flat keys the bench writes) rewritten
/// as Zola's TOML front matter: `title` and `weight` are Zola's own keys, the others go
/// under `[extra]`. A section (`sort` given) is sorted by `sort`.
fn to_zola(text: &str, sort: Option<&str>) -> String {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("end of front matter");
    let (yaml, body) = (&rest[..end], &rest[end + 5..]);
    let (mut own, mut extra) = (String::new(), String::new());
    if let Some(sort) = sort {
        own.push_str(&format!("sort_by = \"{sort}\"\n"));
    }
    for line in yaml.lines() {
        let Some((key, value)) = line.split_once(": ") else { continue };
        let value = value.trim();
        match key {
            "title" => own.push_str(&format!("title = {}\n", quoted(value))),
            "weight" => own.push_str(&format!("weight = {value}\n")),
            _ if value.starts_with('[') => {
                let items: Vec<String> = value.trim_matches(['[', ']']).split(',').map(|s| quoted(s.trim())).collect();
                extra.push_str(&format!("{key} = [{}]\n", items.join(", ")));
            }
            _ => extra.push_str(&format!("{key} = {}\n", quoted(value))),
        }
    }
    format!("+++\n{own}[extra]\n{extra}+++\n{body}")
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn put(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// `zola --version`, e.g. `zola 0.22.1`.
pub fn version(bin: &Path) -> String {
    std::process::Command::new(bin)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|e| format!("({} cannot run: {e})", bin.display()))
}
