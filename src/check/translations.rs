//! Whether each translation is as new as the page it translates. A translation names
//! what it translates (`translates:`): the content hash of its source when it was
//! translated (`load::translations::source_hash`, written by `charter translate
//! --mark`), or the release it was translated from. It is older than its source when
//! the source's words changed since — a warning at its `translates:` (so `--strict`
//! fails on it), a notice on the page, a row on the governance page. A page without a
//! translation, or a translation that does not say what it translates, is listed, not
//! reported.
//!
//! Pure: pages in, states and diagnostics out.

use std::collections::BTreeMap;

use crate::base::diagnostics::{Diagnostics, Unknown};
use crate::load::config::Language;
use crate::load::content::Page;
use crate::load::translations::{source_hash, PageLang};

/// Where a language stands with one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum State {
    /// The translation is older than its source.
    Stale,
    /// The translation does not say what it translates.
    Unmarked,
    /// The page has no translation into the language.
    Missing,
}

/// One row of the governance page's translations table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    /// The page's index (the same in every language's pages).
    pub(crate) page: usize,
    pub(crate) language: Language,
    pub(crate) state: State,
}

/// A release's pages in the default language, by name, for `translates: RELEASE`.
pub(crate) struct Released<'a> {
    pub(crate) name: &'a str,
    pub(crate) pages: &'a [Page],
}

/// The state of every page in every language after the first (`copies`: each
/// language and its pages, in the order of `pages`, the default language's), with a
/// warning for each translation older than its source and an error for a `translates:`
/// that names neither a hash nor a release.
pub(crate) fn review(
    pages: &[Page],
    copies: &[(Language, &[Page])],
    releases: &[Released],
    diags: &mut Diagnostics,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for &(language, copy) in copies {
        for (i, (source, page)) in pages.iter().zip(copy).enumerate() {
            let state = match &page.lang {
                PageLang::Translated { translates: None, .. } => Some(State::Unmarked),
                PageLang::Translated { translates: Some(t), .. } => {
                    let then = translated_from(t, source, releases, (&page.source, diags));
                    then.filter(|then| *then != source_hash(source)).map(|_| {
                        let message = format!(
                            "`{}` is older than the page it translates: `{}` has changed since \
                             (`translates: {}`)",
                            page.source, source.source, t.value
                        );
                        diags.warning(&page.source, t.pos, "stale-translation", message);
                        diags.with_help(format!(
                            "bring the translation up to date, then run `charter translate --mark {}`",
                            page.source
                        ));
                        State::Stale
                    })
                }
                PageLang::Fallback { .. } | PageLang::Elsewhere { .. } if !page.generated => Some(State::Missing),
                _ => None,
            };
            rows.extend(state.map(|state| Row { page: i, language, state }));
        }
    }
    rows.sort_by_key(|r| (r.state, r.language, r.page));
    rows
}

/// The hash of the source as `translates` names it: the hash itself, or that of the
/// source in the release it names (`None`, with an error, when it names neither).
fn translated_from(
    t: &crate::formats::yaml::Spanned<String>,
    source: &Page,
    releases: &[Released],
    (file, diags): (&str, &mut Diagnostics),
) -> Option<String> {
    let value = t.value.as_str();
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Some(value.to_string());
    }
    let Some(release) = releases.iter().find(|r| r.name == value) else {
        let why = Some("`translates` is a content hash (`charter translate --mark` writes it) or a release's name");
        let u = Unknown { code: "bad-translates", what: "release", id: value, field: Some("translates"), why };
        diags.unknown(file, t.pos, u, releases.iter().map(|r| r.name));
        return None;
    };
    let by_rel: BTreeMap<&str, &Page> = release.pages.iter().map(|p| (p.rel.as_str(), p)).collect();
    match by_rel.get(source.rel.as_str()) {
        Some(then) => Some(source_hash(then)),
        None => {
            let message = format!("release `{value}` has no `{}`: this translation cannot be from it", source.source);
            diags.error(file, t.pos, "bad-translates", message);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml::Spanned;
    use crate::load::content::test_support::one;

    fn page(rel: &str, body: &str) -> Page {
        one(rel, &format!("---\ntitle: 标题\n---\n{body}\n")).0.unwrap()
    }

    fn translated(source: &Page, translates: Option<&str>) -> Page {
        let translates =
            translates.map(|t| Spanned { value: t.to_string(), pos: crate::base::diagnostics::Pos::new(2, 13) });
        let lang = PageLang::Translated { language: Language::En, of: source.source.clone(), translates, stale: false };
        Page { source: source.source.replace(".md", ".en.md"), lang, ..source.clone() }
    }

    #[test]
    fn a_translation_is_stale_once_its_source_changes_after_its_hash_or_release() {
        let (a, b, c, d) = (page("a.md", "甲"), page("b.md", "乙"), page("c.md", "丙"), page("d.md", "丁"));
        let old_b = page("b.md", "乙（旧）");
        let released = [old_b.clone(), c.clone()];
        let en = vec![
            translated(&a, Some(&source_hash(&a))),
            translated(&b, Some("2025.1")),
            translated(&c, Some("2025.1")),
            Page { lang: PageLang::Fallback { language: Language::En }, ..d.clone() },
        ];
        let pages = [a.clone(), b, c, d];
        let mut diags = Diagnostics::new();
        let releases = [Released { name: "2025.1", pages: &released }];
        let rows = review(&pages, &[(Language::En, &en)], &releases, &mut diags);
        let states: Vec<(usize, State)> = rows.iter().map(|r| (r.page, r.state)).collect();
        // b changed since 2025.1; c did not; a matches its hash; d has no translation.
        assert_eq!(states, [(1, State::Stale), (3, State::Missing)]);
        let all = diags.into_sorted();
        assert_eq!(all.len(), 1);
        assert_eq!(
            all[0].message,
            "`content/b.en.md` is older than the page it translates: `content/b.md` has changed since (`translates: 2025.1`)"
        );
        assert_eq!((all[0].path.as_str(), all[0].pos.line, all[0].pos.col), ("content/b.en.md", 2, 13));

        // An edit of the source after the hash was taken makes it stale too.
        let edited = page("a.md", "甲，改");
        let mut diags = Diagnostics::new();
        let rows = review(std::slice::from_ref(&edited), &[(Language::En, &en[..1])], &[], &mut diags);
        assert_eq!(rows, [Row { page: 0, language: Language::En, state: State::Stale }]);
    }

    #[test]
    fn translates_names_a_hash_or_a_release() {
        let a = page("a.md", "甲");
        let en = [translated(&a, Some("2052.1")), translated(&a, None)];
        let mut diags = Diagnostics::new();
        let released: [Page; 0] = [];
        let releases = [Released { name: "2025.1", pages: &released }];
        let rows = review(std::slice::from_ref(&a), &[(Language::En, &en[..1])], &releases, &mut diags);
        assert!(rows.is_empty());
        let all = diags.into_sorted();
        assert!(all[0].message.contains("unknown release `2052.1`"), "{}", all[0].message);
        assert_eq!(all[0].help.as_deref(), Some("did you mean `2025.1`?"));
        let mut diags = Diagnostics::new();
        let rows = review(&[a], &[(Language::En, &en[1..])], &releases, &mut diags);
        assert_eq!(rows[0].state, State::Unmarked);
        assert!(diags.is_empty());
    }
}
