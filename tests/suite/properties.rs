//! Property tests (proptest) over the inputs authors and exports control: front matter,
//! YAML documents, links, shortcodes and whole generated sites. Whatever the input:
//! nothing panics, every diagnostic names its file and a line and column inside it,
//! relative URLs lead where they say, and the public site never contains the text of an
//! internal page (in its HTML, search index or anything else it writes).
//!
//! Case counts are fixed per property (see each `cases(N)`) so a run is
//! reproducible in size; proptest's own seed varies, and a failure prints the
//! minimal input.

use std::collections::BTreeSet;
use std::path::Path;

use charter::base::diagnostics::{Diagnostic, Diagnostics};
use charter::build::{self, BuildError, BuildOptions, Cache, Mode};
use charter::formats::yaml;
use charter::load::content::{self, Audience, Tiers};
use charter::markdown::links::{self, Dest, Want};
use charter::markdown::shortcodes;
use proptest::prelude::*;

/// A fixed number of cases, without failure files in the source tree (a failure
/// prints its minimal input instead).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig { cases: n, failure_persistence: None, ..ProptestConfig::default() }
}

/// Scalars an author or a spreadsheet export might type, hostile ones included.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("NO".to_string()),
        Just("012".to_string()),
        Just(".nan".to_string()),
        Just("-.inf".to_string()),
        Just("1e400".to_string()),
        Just("99999999999999999999".to_string()),
        Just("2025-13-01".to_string()),
        Just("2025-02-30".to_string()),
        Just("2025-06-01".to_string()),
        Just("\"><script>alert(1)</script>".to_string()),
        Just("'single ' quote".to_string()),
        Just("*alias".to_string()),
        Just("&anchor x".to_string()),
        Just("!!binary aGk=".to_string()),
        Just("[a, [b, {c: d}]]".to_string()),
        Just("{x: 1, x: 2}".to_string()),
        Just("public".to_string()),
        Just("internal".to_string()),
        Just("front-desk".to_string()),
        Just("|\n  块\n  文本".to_string()),
        "[a-z0-9 _.:#{}\\[\\]\"'&*!|>%@`-]{0,24}",
        "\\PC{0,12}",
    ]
}

/// Front matter keys: the known ones, near misses and nonsense.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "title",
            "id",
            "audience",
            "owner",
            "effective",
            "review_by",
            "status",
            "weight",
            "summary",
            "tags",
            "kpis",
            "titel",
            "reports_to",
            "duties",
            "aliases",
            "extra",
            "description",
            "sidebar_position",
            "date",
            "draft",
            "slug",
            "sidebar_label",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,10}",
    ]
}

fn front_matter_text() -> impl Strategy<Value = String> {
    (prop::collection::vec((key(), scalar()), 0..8), "\\PC{0,40}", any::<bool>()).prop_map(|(fields, body, crlf)| {
        let mut s = String::from("---\n");
        for (k, v) in fields {
            s.push_str(&format!("{k}: {v}\n"));
        }
        s.push_str("---\n");
        s.push_str(&body);
        if crlf {
            s = s.replace('\n', "\r\n");
        }
        s
    })
}

/// Every diagnostic names `file` (when given) and a line and column inside `text`.
fn located(diags: &[Diagnostic], file: Option<&str>, text: &str) -> Result<(), TestCaseError> {
    let lines = text.lines().count().max(1) + 1;
    for d in diags {
        if let Some(f) = file {
            prop_assert_eq!(&d.path, f, "{}", d.message);
        }
        prop_assert!(d.pos.line >= 1 && d.pos.line <= lines, "line {} of {}: {}", d.pos.line, lines, d.message);
        prop_assert!(d.pos.col >= 1, "column 0: {}", d.message);
    }
    Ok(())
}

/// Parses `text` as a standard: every diagnostic is located inside it, and a text that
/// gives no page gives an error.
fn parses_or_fails_located(text: &str) -> Result<(), TestCaseError> {
    let mut diags = Diagnostics::new();
    let page = content::parse_page("standards/x.md", text, &Tiers::default(), &mut diags);
    let all = diags.into_sorted();
    located(&all, Some("content/standards/x.md"), text)?;
    if page.is_none() {
        prop_assert!(
            all.iter().any(|d| d.severity == charter::base::diagnostics::Severity::Error),
            "no page and no error"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn front_matter_never_panics_and_every_problem_has_a_position(text in front_matter_text()) {
        parses_or_fails_located(&text)?;
    }

    #[test]
    fn toml_front_matter_never_panics_and_every_problem_has_a_position(
        fields in prop::collection::vec((key(), scalar()), 0..6),
        junk in "[\\[\\]=\"a-z0-9 \n.{}]{0,30}",
    ) {
        let mut text = String::from("+++\n");
        for (k, v) in fields {
            text.push_str(&format!("{k} = {v}\n"));
        }
        text.push_str(&junk);
        text.push_str("\n+++\n# Title\n");
        parses_or_fails_located(&text)?;
    }

    #[test]
    fn any_text_as_a_page_never_panics(text in "\\PC{0,200}") {
        let mut diags = Diagnostics::new();
        let _ = content::parse_page("p.md", &text, &Tiers::with_default(Audience::PUBLIC), &mut diags);
        located(&diags.into_sorted(), Some("content/p.md"), &text)?;
    }

    #[test]
    fn yaml_documents_parse_or_fail_at_a_line_inside_them(
        fields in prop::collection::vec((key(), scalar(), 0usize..3), 0..10)
    ) {
        let mut text = String::new();
        for (k, v, depth) in fields {
            text.push_str(&"  ".repeat(depth));
            text.push_str(&format!("{k}: {v}\n"));
        }
        match yaml::parse(&text, 1) {
            Ok(_) => {}
            Err(e) => {
                let lines = text.lines().count().max(1) + 1;
                prop_assert!(e.pos.line >= 1 && e.pos.line <= lines, "{:?} outside {} lines: {}", e.pos, lines, e.message);
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn local_links_never_climb_out_of_content_or_static(
        dest in "[a-z./#%-]{0,30}(\\.md|\\.png|\\.html|/)?(#[a-z]{0,5})?",
        from in "([a-z]{1,3}/){0,3}[a-z]{1,3}\\.md",
    ) {
        let url = format!("{}/", from.trim_end_matches(".md"));
        if let Ok(Dest::Local { wants, .. }) = links::classify(&dest, &from, &url) {
            for want in wants {
                let path = match &want {
                    Want::Page(p) | Want::File(p) | Want::Static(p) => p.as_str(),
                    Want::Address(a) => a.strip_suffix('/').unwrap_or(a),
                };
                prop_assert!(!path.starts_with('/'), "{path}");
                prop_assert!(
                    path.is_empty() && matches!(want, Want::Address(_))
                        || path.split('/').all(|s| !s.is_empty() && s != "." && s != ".."),
                    "{dest} from {from} → {want:?}"
                );
            }
        }
    }

    #[test]
    fn relative_urls_lead_to_their_target(
        from in prop::collection::vec("[a-z0-9]{1,3}", 0..4),
        to in prop::collection::vec("[a-z0-9]{1,3}", 0..4),
        file in prop_oneof![Just(String::new()), "[a-z]{1,4}\\.(css|xml)"],
    ) {
        let from_url = from.iter().map(|s| format!("{s}/")).collect::<String>();
        let to_url = format!("{}{file}", to.iter().map(|s| format!("{s}/")).collect::<String>());
        let rel = links::relative_url(&from_url, &to_url);
        prop_assert!(!rel.is_empty());
        prop_assert_eq!(resolve(&from_url, &rel), to_url.clone(), "{} from {} via {}", to_url, from_url, rel);
    }

    #[test]
    fn shortcode_scanning_never_panics_and_finds_ordered_ranges(text in "(\\PC|\\{\\{ ?|\\}\\}|\\(|\\)|=|\"|param|kpi|,|\\[|\\]){0,60}") {
        let found = shortcodes::find_all(&text);
        let mut last = 0;
        for f in &found {
            prop_assert!(f.start >= last && f.start < f.end && f.end <= text.len());
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            prop_assert!(text[f.start..].starts_with("{{"));
            if let Err(e) = &f.call {
                prop_assert!(!e.is_empty());
            }
            last = f.end;
        }
    }
}

/// Resolves a relative URL against a page folder URL, as a browser does for these shapes.
fn resolve(base: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let mut rest = rel;
    if rest == "./" {
        rest = "";
    }
    while let Some(r) = rest.strip_prefix("../") {
        parts.pop();
        rest = r;
    }
    let mut url = parts.iter().map(|s| format!("{s}/")).collect::<String>();
    url.push_str(rest);
    url
}

/// The tiers of the generated sites, lowest first: each site is a superset of the one
/// before it.
const TIERS: [&str; 3] = ["public", "internal", "managers"];

/// A page of a generated site: where it lives, who may read it, what it says.
#[derive(Debug, Clone)]
struct GenPage {
    section: usize,
    /// Its own `audience:` (an index into [`TIERS`]).
    tier: usize,
    title_word: String,
    body_words: Vec<String>,
    /// Targets by index; a link to a page of a higher tier is kept only when its flag
    /// is set (one in eight), so most generated sites build.
    links: Vec<(usize, bool)>,
    shortcode: Option<String>,
    /// Whether it has an English translation (`pN.en.md`), which carries its own marker.
    translated: bool,
}

/// Sections with their `_index.md` tier; `None`: a folder without `_index.md`,
/// published wherever one of its pages is (its name, `zznotes`, must not reach a
/// site below the lowest tier of the pages in it).
const SECTIONS: &[(&str, Option<usize>)] =
    &[("standards", Some(0)), ("guide", Some(0)), ("rules", Some(1)), ("board", Some(2)), ("zznotes", None)];

/// The tier a generated page is published to: its own, within what its section allows
/// (a page below its section's tier is written at the section's, so the site builds).
fn tier_of(p: &GenPage) -> usize {
    p.tier.max(SECTIONS[p.section].1.unwrap_or(0))
}

fn gen_page() -> impl Strategy<Value = GenPage> {
    (
        0..SECTIONS.len(),
        0..TIERS.len(),
        "[a-z]{4,8}",
        prop::collection::vec("[a-z]{4,8}|[服务标准投诉处理顾客时限门店]{2,4}", 1..6),
        prop::collection::vec((0usize..8, prop::bool::weighted(0.125)), 0..3),
        prop::option::weighted(
            0.2,
            prop_oneof![
                Just("{{ param(id=\"reply_minutes\") }}".to_string()),
                Just("{{ param(id=\"missing\") }}".to_string()),
                Just("{{ kpi(id=\"satisfaction\") }}".to_string()),
                Just("{{ nonsense( }}".to_string()),
            ],
        ),
        prop::bool::weighted(0.5),
    )
        .prop_map(|(section, tier, title_word, body_words, links, shortcode, translated)| GenPage {
            section,
            tier,
            title_word,
            body_words,
            links,
            shortcode,
            translated,
        })
}

/// What must not appear below a tier: `secrets[t]` holds text only the sites of tier
/// `t` and above may show.
type Secrets = [BTreeSet<String>; 3];

/// Writes the pages into `root` (the base fixture is already there) with the three
/// tiers and two languages declared. Pages above the public tier carry a unique marker
/// in their title and body, and so do their English translations (another marker).
fn write_site(root: &Path, pages: &[GenPage]) -> Secrets {
    let mut secrets: Secrets = Default::default();
    let config = std::fs::read_to_string(root.join("charter.yaml")).unwrap();
    let config = format!("{config}\naudiences: [public, internal, managers]\nlanguages: [zh-CN, en]\n");
    std::fs::write(root.join("charter.yaml"), config).unwrap();
    for (name, tier) in SECTIONS {
        let dir = root.join("content").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let Some(tier) = *tier else { continue };
        let audience = TIERS[tier];
        std::fs::write(dir.join("_index.md"), format!("---\ntitle: 栏目{name}\naudience: {audience}\n---\n")).unwrap();
        // Each section has a picture beside its pages; a non-public one's bytes are secret.
        let picture = if tier == 0 { format!("picture of {name}") } else { format!("zzsecretpicture{name}") };
        std::fs::write(dir.join("picture.png"), &picture).unwrap();
        secrets[tier].insert(picture);
    }
    for (name, _) in SECTIONS.iter().filter(|(_, index)| index.is_none()) {
        // A folder is a section when a page sits in it; its name is secret below the
        // lowest tier of them.
        let lowest = pages.iter().filter(|p| SECTIONS[p.section].0 == *name).map(tier_of).min();
        if let Some(t) = lowest {
            secrets[t].insert(name.to_string());
        }
    }
    for (i, p) in pages.iter().enumerate() {
        let section = SECTIONS[p.section].0;
        let tier = tier_of(p);
        let mut body = String::new();
        let marker = format!("zzsecret{i}{}", p.title_word);
        if tier > 0 {
            body.push_str(&format!("{marker} "));
            secrets[tier].insert(marker.clone());
        }
        body.push_str(&p.body_words.join(" "));
        body.push_str("\n\n![图](picture.png)\n");
        for &(target, keep_illegal) in &p.links {
            let Some(t) = pages.get(target) else { continue };
            if tier_of(t) > tier && !keep_illegal {
                continue;
            }
            let (tsection, _) = SECTIONS[t.section];
            body.push_str(&format!("\n见[另一页](../{tsection}/p{target}.md)。\n"));
        }
        if let Some(sc) = &p.shortcode {
            body.push_str(&format!("\n{sc}\n"));
        }
        if p.translated {
            let en_marker = format!("zzentranslation{i}{}", p.title_word);
            let en_title =
                if tier == 0 { format!("Public {}", p.title_word) } else { format!("{en_marker} {}", TIERS[tier]) };
            if tier > 0 {
                secrets[tier].insert(en_marker.clone());
            }
            let en_body = body.replace(&marker, &en_marker).replace("另一页", "another page");
            std::fs::write(
                root.join(format!("content/{section}/p{i}.en.md")),
                format!("---\ntitle: {en_title}\n---\n\n{en_body}"),
            )
            .unwrap();
        }
        let title = if tier == 0 { format!("公开 {}", p.title_word) } else { format!("{marker} {}", TIERS[tier]) };
        std::fs::write(
            root.join(format!("content/{section}/p{i}.md")),
            format!("---\ntitle: {title}\naudience: {}\nowner: front-desk\n---\n\n{body}", TIERS[tier]),
        )
        .unwrap();
    }
    secrets[1].insert("内部考核细则".to_string());
    secrets
}

fn base_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
    for entry in walkdir::WalkDir::new(&base).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let dest = dir.path().join(entry.path().strip_prefix(&base).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(entry.path(), dest).unwrap();
    }
    dir
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn no_site_contains_text_of_a_higher_tier_and_every_error_is_located(
        pages in prop::collection::vec(gen_page(), 1..8)
    ) {
        let dir = base_site();
        let root = dir.path();
        let secrets = write_site(root, &pages);
        let mut opts = BuildOptions::new(root, Mode::Build);
        opts.today = Some(charter::base::date::Date::parse("2026-01-01").unwrap());
        let mut cache = Cache::default();
        match build::build_files(&opts, &mut cache) {
            Ok((report, mut files)) => {
                files.extend(build::search_indexes(&files, &report.folders, &mut cache));
                prop_assert_eq!(&report.folders.staff, &["internal".to_string(), "managers".to_string()]);
                // Every site holds none of the text of the tiers above it (pages, file
                // names, search entries, pictures) and all of its own.
                for (site, name) in TIERS.iter().enumerate() {
                    let prefix = format!("{name}/");
                    let mine: Vec<_> = files.iter().filter(|f| f.path.starts_with(&prefix)).collect();
                    prop_assert!(!mine.is_empty(), "no {} site", name);
                    let english = format!("{prefix}en/index.html");
                    prop_assert!(mine.iter().any(|f| f.path == english), "no English {} site", name);
                    for f in &mine {
                        let text = String::from_utf8_lossy(&f.bytes);
                        for (tier, secret) in secrets.iter().enumerate().skip(site + 1) {
                            for s in secret {
                                prop_assert!(
                                    !text.contains(s.as_str()) && !f.path.contains(s.as_str()),
                                    "{} contains `{}` of the {} tier",
                                    f.path,
                                    s,
                                    TIERS[tier]
                                );
                            }
                        }
                        if site < 2 {
                            prop_assert!(!f.path.contains("/board/"), "{} is from the managers' section", f.path);
                        }
                        if site == 0 {
                            prop_assert!(!f.path.contains("/rules/"), "{} is from an internal section", f.path);
                        }
                    }
                    // The site does show its own tier's text (so the checks above can fail).
                    let all: String = mine.iter().map(|f| String::from_utf8_lossy(&f.bytes).to_string()).collect();
                    for s in secrets.iter().take(site + 1).flatten().filter(|s| s.starts_with("zz") || s.contains("内部")) {
                        prop_assert!(all.contains(s.as_str()), "the {} site lacks `{}`", name, s);
                    }
                }
            }
            Err(BuildError::Content(diags)) => {
                prop_assert!(diags.iter().any(|d| d.severity == charter::base::diagnostics::Severity::Error));
                for d in diags.iter().filter(|d| d.severity == charter::base::diagnostics::Severity::Error) {
                    let text = std::fs::read_to_string(root.join(&d.path))
                        .unwrap_or_else(|e| panic!("diagnostic names `{}`, which cannot be read: {e}", d.path));
                    located(std::slice::from_ref(d), None, &text)?;
                }
            }
            Err(BuildError::Io(e)) => prop_assert!(false, "I/O error: {}", e),
        }
    }
}
