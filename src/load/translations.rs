//! Translations: `page.en.md` beside `page.md` (`_index.en.md` beside `_index.md`)
//! for each language of `languages:` after the first. A translation holds only the
//! words readers read — its title, summary, tags and body — and what it translates
//! (`translates:`); everything else (id, audience, owner, dates, status, order, KPIs)
//! is its source's, so a translation can never publish a page more widely than its
//! source. [`language_pages`] makes one language's pages from the default ones: each
//! page's translation where there is one, else the page itself shown in the default
//! language (`fallback: notice`) or left out (`fallback: omit`).
//!
//! Pure but for reading nothing: `content` hands over the file text. Must not decide
//! whether a translation is stale (that needs the source's history: `check`).

use std::collections::BTreeMap;

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::formats::yaml::{Fields, Kind, Spanned};
use crate::load::config::{Fallback, Language};
use crate::load::content::{Page, Tiers, CONTENT_DIR};
use crate::load::front_matter;

/// The keys a translation may have: the words readers read, and what it translates.
const TRANSLATION_KEYS: &[&str] = &["title", "summary", "description", "tags", "duties", "translates"];

/// Which language a page is read in, and how it came to be in that language's site.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum PageLang {
    /// A page in the site's default language (every page of a one-language site).
    #[default]
    Source,
    /// A translation (`page.en.md`) of the page in the default language.
    Translated {
        language: Language,
        /// The source page's file, `content/standards/x.md`.
        of: String,
        /// What the translation says it translates: a content hash ([`source_hash`])
        /// or a release's name.
        translates: Option<Spanned<String>>,
        /// Whether its source changed since (set by the build: `check::translations`).
        stale: bool,
    },
    /// A page without a translation into `language`, shown there in the default
    /// language (generated section pages too, which have no words to translate).
    Fallback { language: Language },
    /// A page left out of `language`'s site (`fallback: omit`), kept in its pages only
    /// so that links to it resolve: its `url` leads out of the language's folder to the
    /// page in the default language. Never rendered there.
    Elsewhere { language: Language },
}

/// One translation file as read.
#[derive(Debug, Clone)]
pub(crate) struct Translation {
    pub(crate) language: Language,
    /// The translation's own file, `content/standards/x.en.md`.
    pub(crate) source: String,
    /// The path under `content/` of the page it translates, `standards/x.md`.
    pub(crate) of: String,
    pub(crate) title: Option<String>,
    pub(crate) summary: Option<String>,
    pub(crate) tags: Option<Vec<String>>,
    /// A role document's duties, translated.
    pub(crate) duties: Option<Vec<String>>,
    pub(crate) translates: Option<Spanned<String>>,
    pub(crate) body: String,
    pub(crate) body_offset: usize,
    pub(crate) body_line: usize,
    /// Keys that are the source's to say, with where the translation wrote them.
    pub(crate) refused: Vec<(String, Pos)>,
    /// `audience:` as the translation wrote it (refused: the source's is used).
    pub(crate) audience: Option<Spanned<String>>,
}

/// The language a file under `content/` translates into, and the path of the page it
/// translates: `standards/x.en.md` → (`en`, `standards/x.md`), when `en` is one of
/// `languages` other than the first.
pub(crate) fn translation_of(rel: &str, languages: &[Language]) -> Option<(Language, String)> {
    let stem = rel.strip_suffix(".md")?;
    let dot = stem.rfind('.')?;
    if stem[dot..].contains('/') {
        return None;
    }
    let language = Language::from_tag(&stem[dot + 1..])?;
    languages.get(1..).unwrap_or_default().contains(&language).then(|| (language, format!("{}.md", &stem[..dot])))
}

/// Parses a translation file; problems with its front matter are reported at them.
pub(crate) fn parse(
    rel: &str,
    text: &str,
    (language, of): (Language, String),
    diags: &mut Diagnostics,
) -> Option<Translation> {
    let source = format!("{CONTENT_DIR}/{rel}");
    let front_matter::Read { node, bom, body_start } = front_matter::read(text, &source, diags)?;
    let text = &text[bom..];
    let mut f = Fields::new(&node, &source, "front matter", diags)?;
    let title = f.string("title", diags).map(|t| t.value).filter(|t| !t.trim().is_empty());
    let summary = f.string("summary", diags).or_else(|| f.string("description", diags)).map(|s| s.value);
    let tags = f.key_pos("tags").map(|_| f.string_list("tags", diags).into_iter().map(|t| t.value).collect());
    let duties = f.key_pos("duties").map(|_| f.string_list("duties", diags).into_iter().map(|t| t.value).collect());
    let translates = f.string("translates", diags).map(|t| Spanned { value: t.value.trim().to_string(), pos: t.pos });
    let audience = f.string("audience", diags);
    let mut refused = Vec::new();
    if let Kind::Map(entries) = &node.kind {
        for (key, _) in entries {
            let Some(name) = key.as_str() else { continue };
            if !TRANSLATION_KEYS.contains(&name) && name != "audience" {
                refused.push((name.to_string(), key.pos));
            }
        }
    }
    let body = &text[body_start..];
    Some(Translation {
        language,
        source,
        of,
        title,
        summary,
        tags,
        duties,
        translates,
        body: body.to_string(),
        body_offset: bom + body_start,
        body_line: text[..body_start].matches('\n').count() + 1,
        refused,
        audience,
    })
}

/// Checks each translation against its source: one exists, and the translation says
/// nothing that is the source's to say. Returns the translations by (language, source
/// path under `content/`), each source's first.
pub(crate) fn pair<'t>(
    pages: &[Page],
    translations: &'t [Translation],
    tiers: &Tiers,
    diags: &mut Diagnostics,
) -> BTreeMap<(Language, String), &'t Translation> {
    let by_rel: BTreeMap<&str, &Page> = pages.iter().filter(|p| !p.generated).map(|p| (p.rel.as_str(), p)).collect();
    let mut out = BTreeMap::new();
    for t in translations {
        let Some(page) = by_rel.get(t.of.as_str()) else {
            let message = format!(
                "`{}` is a translation into `{}` of `{CONTENT_DIR}/{}`, which does not exist",
                t.source,
                t.language.tag(),
                t.of
            );
            diags.error(&t.source, Pos::FILE, "translation-source", message);
            diags.with_help("write the page in the default language first, or rename the file");
            continue;
        };
        if let Some(a) = &t.audience {
            audience_refused(t, a, page, tiers, diags);
        }
        for (key, pos) in &t.refused {
            let message = format!("a translation cannot set `{key}`: it takes it from its source `{}`", page.source);
            diags.error(&t.source, *pos, "translation-key", message);
            let keys = TRANSLATION_KEYS.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            diags.with_help(format!("a translation's front matter may hold {keys}"));
        }
        out.insert((t.language, t.of.clone()), t);
    }
    out
}

/// `audience:` in a translation: refused, and said plainly when it would publish the
/// translation more widely than its source.
fn audience_refused(t: &Translation, a: &Spanned<String>, page: &Page, tiers: &Tiers, diags: &mut Diagnostics) {
    let wider = tiers.named(a.value.trim()).filter(|&w| w < page.audience);
    let message = match wider {
        Some(w) => format!(
            "refused: this translation says `audience: {}` but its source `{}` is `{}`; a translation is never \
             published more widely than the page it translates",
            w.as_str(),
            page.source,
            page.audience.as_str()
        ),
        None => format!("a translation cannot set `audience`: it takes it from its source `{}`", page.source),
    };
    diags.error(&t.source, a.pos, "translation-audience", message);
    diags.with_help("remove `audience:`; to publish the page, change the source's audience");
}

/// The pages of `language`'s site: each default page's translation, else the page
/// itself in the default language (`Fallback::Notice`; `Omit` keeps only the home page
/// and the sections holding a translated page, as its structure, and marks the others
/// [`PageLang::Elsewhere`], at their address in the default language).
pub(crate) fn language_pages(
    pages: &[Page],
    paired: &BTreeMap<(Language, String), &Translation>,
    language: Language,
    fallback: Fallback,
) -> Vec<Page> {
    let translated = |p: &Page| paired.get(&(language, p.rel.clone())).copied();
    let holding: Vec<&str> = pages.iter().filter(|p| translated(p).is_some()).map(|p| p.section.as_str()).collect();
    let mut out = Vec::new();
    for p in pages {
        if let Some(t) = translated(p) {
            out.push(translate(p, t));
            continue;
        }
        let structure = p.is_index()
            && (p.section.is_empty()
                || holding.iter().any(|s| *s == p.section || s.starts_with(&format!("{}/", p.section))));
        if fallback == Fallback::Notice || structure {
            out.push(Page { lang: PageLang::Fallback { language }, ..p.clone() });
        } else {
            // The language's folder is one level below its copy's root (`en/`).
            let url = format!("../{}", p.url);
            out.push(Page { lang: PageLang::Elsewhere { language }, url, ..p.clone() });
        }
    }
    out
}

/// The page `source` as its translation `t` words it.
fn translate(source: &Page, t: &Translation) -> Page {
    let name = source.title.as_str();
    let title = front_matter::Title::of(t.title.clone(), &t.body, name);
    Page {
        source: t.source.clone(),
        title: title.text,
        title_heading: title.heading,
        summary: t.summary.clone(),
        tags: t.tags.clone().unwrap_or_default(),
        duties: t.duties.clone().unwrap_or_else(|| source.duties.clone()),
        body: t.body.clone(),
        body_offset: t.body_offset,
        body_line: t.body_line,
        lang: PageLang::Translated {
            language: t.language,
            of: source.source.clone(),
            translates: t.translates.clone(),
            stale: false,
        },
        ..source.clone()
    }
}

/// The content hash a translation records (`translates:`, written by `charter
/// translate --mark`): the first 12 hex digits of the SHA-256 of the source's title,
/// summary and body, line endings and trailing blanks aside, so that an edit of its
/// other front matter (a review date) leaves its translations current.
pub(crate) fn source_hash(page: &Page) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for part in [page.title.as_str(), page.summary.as_deref().unwrap_or(""), page.body.as_str()] {
        for line in part.lines() {
            h.update(line.trim_end().as_bytes());
            h.update(b"\n");
        }
        h.update([0u8]);
    }
    h.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The text of a translation file with `translates: HASH` in its front matter: the
/// key's value replaced where it is written, else the key added at the end of the
/// front matter (YAML `---`, or `translates = "…"` in TOML `+++`), else a front matter
/// of that key alone put before the body. Everything else stays byte for byte.
pub(crate) fn with_mark(text: &str, hash: &str) -> String {
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let body = &text[bom..];
    let Ok(Some(split)) = front_matter::split(body) else {
        return format!("{}---\ntranslates: {hash}\n---\n{body}", &text[..bom]);
    };
    let toml = split.format == front_matter::Format::Toml;
    let line = if toml { format!("translates = \"{hash}\"") } else { format!("translates: {hash}") };
    let start = bom + split.text.as_ptr() as usize - body.as_ptr() as usize;
    let keys = &text[start..start + split.text.len()];
    let newline = if keys.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(text.len() + line.len() + 2);
    out.push_str(&text[..start]);
    let mut replaced = false;
    for l in keys.split_inclusive('\n') {
        let key = l.split([':', '=']).next().unwrap_or("").trim_end();
        if key == "translates" && !replaced {
            out.push_str(&line);
            out.push_str(if l.ends_with('\n') { newline } else { "" });
            replaced = true;
        } else {
            out.push_str(l);
        }
    }
    if !replaced {
        if !out.ends_with('\n') {
            out.push_str(newline);
        }
        out.push_str(&line);
        out.push_str(newline);
    }
    out.push_str(&text[start + split.text.len()..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::test_support::one;

    #[test]
    fn a_translation_is_named_by_its_language_after_the_first() {
        let langs = [Language::ZhCn, Language::En];
        assert_eq!(translation_of("standards/x.en.md", &langs), Some((Language::En, "standards/x.md".into())));
        assert_eq!(translation_of("_index.en.md", &langs), Some((Language::En, "_index.md".into())));
        assert_eq!(translation_of("standards/x.EN.md", &langs), Some((Language::En, "standards/x.md".into())));
        // The default language and undeclared languages name ordinary pages.
        assert_eq!(translation_of("standards/x.zh-CN.md", &langs), None);
        assert_eq!(translation_of("standards/x.en.md", &[Language::ZhCn]), None);
        assert_eq!(translation_of("v1.2/x.md", &langs), None);
        assert_eq!(translation_of("standards/x.fr.md", &langs), None);
    }

    #[test]
    fn a_translation_takes_all_but_its_words_from_its_source() {
        let (src, _) =
            one("standards/x.md", "---\ntitle: 投诉\naudience: public\nweight: 3\nsummary: 摘要\n---\n正文\n");
        let src = src.unwrap();
        let mut d = Diagnostics::new();
        let text = "---\ntitle: Complaints\ntranslates: 0123abcd4567\n---\nBody\n";
        let t = parse("standards/x.en.md", text, (Language::En, "standards/x.md".into()), &mut d).unwrap();
        let pages = vec![src.clone()];
        let paired = pair(&pages, std::slice::from_ref(&t), &Tiers::default(), &mut d);
        assert!(d.is_empty());
        let en = language_pages(&pages, &paired, Language::En, Fallback::Notice);
        assert_eq!(en.len(), 1);
        let p = &en[0];
        assert_eq!((p.title.as_str(), p.body.as_str(), p.summary.as_deref()), ("Complaints", "Body\n", None));
        assert_eq!(
            (p.audience, p.weight, p.url.as_str(), p.rel.as_str()),
            (src.audience, Some(3), "standards/x/", "standards/x.md")
        );
        assert_eq!(p.source, "content/standards/x.en.md");
        assert_eq!(Pos::of_offset(text, p.body_offset), Pos::new(5, 1));
        let PageLang::Translated { translates, of, .. } = &p.lang else { panic!("{:?}", p.lang) };
        assert_eq!(
            (translates.as_ref().unwrap().value.as_str(), of.as_str()),
            ("0123abcd4567", "content/standards/x.md")
        );
    }

    #[test]
    fn a_translation_may_not_widen_its_source_audience_or_set_its_keys() {
        let (src, _) = one("standards/x.md", "---\ntitle: 内部\n---\n正文\n");
        let mut d = Diagnostics::new();
        let text = "---\ntitle: Internal\naudience: public\nowner: sales\n---\nBody\n";
        let t = parse("standards/x.en.md", text, (Language::En, "standards/x.md".into()), &mut d).unwrap();
        let orphan = parse("standards/y.en.md", "Body\n", (Language::En, "standards/y.md".into()), &mut d).unwrap();
        pair(&[src.unwrap()], &[t, orphan], &Tiers::default(), &mut d);
        let lines: Vec<String> =
            d.into_sorted().iter().map(|x| format!("{} {}:{} {}", x.path, x.pos.line, x.pos.col, x.message)).collect();
        assert_eq!(
            lines,
            [
                "content/standards/x.en.md 3:11 refused: this translation says `audience: public` but its source \
                 `content/standards/x.md` is `internal`; a translation is never published more widely than the page \
                 it translates",
                "content/standards/x.en.md 4:1 a translation cannot set `owner`: it takes it from its source \
                 `content/standards/x.md`",
                "content/standards/y.en.md 0:0 `content/standards/y.en.md` is a translation into `en` of \
                 `content/standards/y.md`, which does not exist",
            ]
        );
    }

    #[test]
    fn untranslated_pages_fall_back_or_are_left_out() {
        let pages: Vec<Page> = [
            ("_index.md", "# 首页\n"),
            ("a/_index.md", "# 甲\n"),
            ("a/x.md", "# 乙\n"),
            ("b/_index.md", "# 丙\n"),
            ("b/y.md", "# 丁\n"),
        ]
        .iter()
        .map(|(rel, text)| one(rel, text).0.unwrap())
        .collect();
        let mut d = Diagnostics::new();
        let t = parse("a/x.en.md", "# X\n", (Language::En, "a/x.md".into()), &mut d).unwrap();
        let paired = pair(&pages, std::slice::from_ref(&t), &Tiers::default(), &mut d);
        let rels = |fb| {
            language_pages(&pages, &paired, Language::En, fb)
                .iter()
                .map(|p| (p.rel.clone(), p.lang.clone()))
                .collect::<Vec<_>>()
        };
        let fb = PageLang::Fallback { language: Language::En };
        let notice = rels(Fallback::Notice);
        assert_eq!(notice.len(), 5);
        assert!(matches!(notice[2].1, PageLang::Translated { .. }));
        assert_eq!(notice.iter().filter(|(_, l)| *l == fb).count(), 4);
        // Left out: the untranslated page and the section holding no translation, which
        // links still reach in the default language.
        let omit = language_pages(&pages, &paired, Language::En, Fallback::Omit);
        let shown: Vec<&str> =
            omit.iter().filter(|p| !matches!(p.lang, PageLang::Elsewhere { .. })).map(|p| p.rel.as_str()).collect();
        assert_eq!(shown, ["_index.md", "a/_index.md", "a/x.md"]);
        let y = omit.iter().find(|p| p.rel == "b/y.md").unwrap();
        assert_eq!(crate::markdown::links::relative_url("a/x/", &y.url), "../../../b/y/");
    }

    #[test]
    fn marking_writes_the_hash_and_nothing_else() {
        assert_eq!(
            with_mark("---\ntitle: A\n---\nBody\n", "0123456789ab"),
            "---\ntitle: A\ntranslates: 0123456789ab\n---\nBody\n"
        );
        assert_eq!(
            with_mark("---\r\ntranslates: \"2026.1\"\r\ntitle: A\r\n---\r\nBody\r\n", "0123456789ab"),
            "---\r\ntranslates: 0123456789ab\r\ntitle: A\r\n---\r\nBody\r\n"
        );
        assert_eq!(
            with_mark("+++\ntitle = \"A\"\n+++\nBody\n", "0123456789ab"),
            "+++\ntitle = \"A\"\ntranslates = \"0123456789ab\"\n+++\nBody\n"
        );
        assert_eq!(with_mark("# A\n\nBody\n", "0123456789ab"), "---\ntranslates: 0123456789ab\n---\n# A\n\nBody\n");
        // An empty front matter, and a key merely starting with the name, are kept.
        assert_eq!(with_mark("---\n---\nB\n", "0123456789ab"), "---\ntranslates: 0123456789ab\n---\nB\n");
        assert_eq!(
            with_mark("---\ntranslates_note: x\n---\nB\n", "0123456789ab"),
            "---\ntranslates_note: x\ntranslates: 0123456789ab\n---\nB\n"
        );
        // What is written reads back as the mark.
        let text = with_mark("---\ntitle: A\n---\nBody\n", "0123456789ab");
        let mut d = Diagnostics::new();
        let t = parse("x.en.md", &text, (Language::En, "x.md".into()), &mut d).unwrap();
        assert_eq!(t.translates.unwrap().value, "0123456789ab");
    }

    #[test]
    fn the_source_hash_ignores_line_endings_and_other_front_matter() {
        let (a, _) = one("standards/x.md", "---\ntitle: 甲\nreview_by: 2026-01-01\n---\n正文\n");
        let (b, _) = one("standards/x.md", "---\r\ntitle: 甲\r\nreview_by: 2027-01-01\r\n---\r\n正文  \r\n");
        let (c, _) = one("standards/x.md", "---\ntitle: 甲\n---\n正文。\n");
        let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
        assert_eq!(source_hash(&a), source_hash(&b));
        assert_ne!(source_hash(&a), source_hash(&c));
        assert_eq!(source_hash(&a).len(), 12);
    }
}
