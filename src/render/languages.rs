//! A site in several languages: each language after the first in its own folder
//! (`en/`) of every site and release, with the same addresses inside it. [`Alternates`]
//! knows, for one source (the working copy or a release) and one audience, which
//! pages each language has — written in it (the source, or a translation) or shown
//! untranslated — and gives each page its language switcher, its `hreflang`
//! alternates and, when it is shown untranslated, the notice saying so.
//!
//! Pure: it reads page lists and builds template data. It decides nothing about which
//! pages a language has (that is `load::translations`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::base::i18n::Language;
use crate::check::validate::published_in;
use crate::load::content::{Audience, Page};
use crate::load::translations::PageLang;
use crate::markdown::links::relative_url;

/// How a language has a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Has {
    /// Written in it: the source in the default language, or a translation.
    Written,
    /// Shown in the default language (`fallback: notice`).
    Untranslated,
    /// Translated, but older than the page it translates.
    Stale,
}

/// Which pages each language of one source has, as one audience reads them.
#[derive(Debug, Clone)]
pub(crate) struct Alternates {
    /// The language of the view holding this (an index into `languages`).
    this: usize,
    /// The view's folder inside its language's folder: a release's (`2025.1/`) or `""`.
    release: String,
    languages: Vec<Language>,
    /// For each language, its pages by address.
    pages: Vec<BTreeMap<String, Has>>,
}

/// One entry of the language switcher.
#[derive(Debug, Serialize)]
pub(crate) struct Switch {
    pub(crate) tag: &'static str,
    /// The language's own name (`English`, `中文`).
    pub(crate) name: &'static str,
    /// The same page in that language, else that language's home page.
    pub(crate) url: String,
    pub(crate) current: bool,
}

/// One `<link rel="alternate" hreflang>`.
#[derive(Debug, Serialize)]
pub(crate) struct Alternate {
    /// A language tag, or `x-default` (the default language).
    pub(crate) hreflang: &'static str,
    pub(crate) href: String,
}

/// The notice on a page shown untranslated.
#[derive(Debug, Serialize)]
pub(crate) struct Untranslated {
    /// A translation older than the original (else: no translation at all).
    pub(crate) stale: bool,
    /// The notice, in the reader's language.
    pub(crate) notice: String,
    /// The language the page is written in, for `lang` on its content.
    pub(crate) lang: &'static str,
    /// The page in its own language.
    pub(crate) original: String,
}

impl Alternates {
    /// `languages[j]` is the language and the pages of language `j` (the default first);
    /// `this` is the view's language and its folder inside that language's.
    pub(crate) fn new(languages: &[(Language, &[Page])], audience: Audience, (this, release): (usize, &str)) -> Self {
        let pages = languages
            .iter()
            .map(|(_, pages)| {
                let shown = pages.iter().filter(|p| published_in(p, audience));
                shown
                    .filter_map(|p| {
                        let has = match p.lang {
                            PageLang::Translated { stale: true, .. } => Has::Stale,
                            PageLang::Source | PageLang::Translated { .. } => Has::Written,
                            PageLang::Fallback { .. } if p.generated => Has::Written,
                            PageLang::Fallback { .. } => Has::Untranslated,
                            PageLang::Elsewhere { .. } => return None,
                        };
                        Some((p.url.clone(), has))
                    })
                    .collect()
            })
            .collect();
        let languages = languages.iter().map(|(l, _)| *l).collect();
        Alternates { this, release: release.to_string(), languages, pages }
    }

    /// The folder of language `j` in each site and release: `""` for the default, `en/`.
    pub(crate) fn folder(&self, j: usize) -> String {
        if j == 0 {
            String::new()
        } else {
            self.languages[j].folder()
        }
    }

    /// The folder of the view's language (`""`, `en/`).
    pub(crate) fn language_folder(&self) -> String {
        self.folder(self.this)
    }

    /// Where the page at `url` of language `j` is, from the site's root.
    fn at(&self, j: usize, url: &str) -> String {
        format!("{}{}{url}", self.release, self.folder(j))
    }

    /// How language `j` has the page at `url`. Pages that are not content pages (the
    /// KPI dictionary, reports, search, print, the changelog) are made in every
    /// language, but for the comparisons of one page (`changes/…`, a release's
    /// `changelog/V/PAGE/`): a page can change in one language and not in another.
    fn has(&self, j: usize, url: &str) -> Option<Has> {
        if self.pages[0].contains_key(url) || self.pages[self.this].contains_key(url) {
            return self.pages[j].get(url).copied();
        }
        let comparison = url.starts_with("changes/") || url.starts_with("changelog/") && url.matches('/').count() > 2;
        (!comparison || j == self.this).then_some(Has::Written)
    }

    /// The language switcher of the page at `url` (inside the view's language folder),
    /// empty for a site of one language.
    pub(crate) fn switcher(&self, url: &str) -> Vec<Switch> {
        if self.languages.len() < 2 {
            return Vec::new();
        }
        let here = self.at(self.this, url);
        (0..self.languages.len())
            .map(|j| {
                let there = if self.has(j, url).is_some() { url } else { "" };
                let l = self.languages[j];
                Switch {
                    tag: l.tag(),
                    name: l.own_name(),
                    url: relative_url(&here, &self.at(j, there)),
                    current: j == self.this,
                }
            })
            .collect()
    }

    /// The `hreflang` alternates of the page at `url`: every language it is written in,
    /// and `x-default`, when it is written in more than one. `base` is the address of
    /// the view's release folder (the site's URL and the release's folder), or empty:
    /// then the addresses are relative to the page.
    pub(crate) fn hreflang(&self, url: &str, base: &str) -> Vec<Alternate> {
        let written: Vec<usize> = (0..self.languages.len())
            .filter(|&j| matches!(self.has(j, url), Some(Has::Written | Has::Stale)))
            .collect();
        if written.len() < 2 {
            return Vec::new();
        }
        let here = self.at(self.this, url);
        let href = |j: usize| {
            let there = self.at(j, url);
            if base.is_empty() {
                relative_url(&here, &there)
            } else {
                format!("{base}{there}")
            }
        };
        let mut out: Vec<Alternate> =
            written.iter().map(|&j| Alternate { hreflang: self.languages[j].tag(), href: href(j) }).collect();
        if written[0] == 0 {
            out.push(Alternate { hreflang: "x-default", href: href(0) });
        }
        out
    }

    /// The notice of the page at `url` when this language shows it untranslated, or
    /// in a translation older than the original, in the words of `notices` (those two;
    /// `{lang}`: the original's language).
    pub(crate) fn untranslated(&self, url: &str, notices: (&str, &str)) -> Option<Untranslated> {
        let notice = match self.has(self.this, url) {
            _ if self.this == 0 => return None,
            Some(Has::Untranslated) => notices.0,
            Some(Has::Stale) => notices.1,
            _ => return None,
        };
        let original = self.languages[0];
        Some(Untranslated {
            stale: self.has(self.this, url) == Some(Has::Stale),
            notice: notice.replace("{lang}", original.own_name()),
            lang: original.tag(),
            original: relative_url(&self.at(self.this, url), &self.at(0, url)),
        })
    }

    /// The original's address in this view's release when the page at `url` is shown
    /// untranslated here, from the site's address `base`.
    pub(crate) fn original(&self, url: &str, base: &str) -> Option<String> {
        (self.this != 0 && self.has(self.this, url) == Some(Has::Untranslated))
            .then(|| format!("{base}{}", self.at(0, url)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::test_support::one;

    fn pages(list: &[(&str, PageLang)]) -> Vec<Page> {
        list.iter()
            .map(|(rel, lang)| {
                let page = one(rel, "---\naudience: public\n---\n正文\n").0.unwrap();
                Page { lang: lang.clone(), ..page }
            })
            .collect()
    }

    #[test]
    fn the_switcher_and_hreflang_follow_what_each_language_has() {
        let en = Language::En;
        let zh = pages(&[("_index.md", PageLang::Source), ("a.md", PageLang::Source), ("b.md", PageLang::Source)]);
        let translated = PageLang::Translated { language: en, of: String::new(), translates: None, stale: false };
        let english = pages(&[
            ("_index.md", translated.clone()),
            ("a.md", translated),
            ("b.md", PageLang::Fallback { language: en }),
        ]);
        let langs = [(Language::ZhCn, zh.as_slice()), (en, english.as_slice())];
        let in_en = Alternates::new(&langs, Audience::PUBLIC, (1, ""));
        let urls = |s: Vec<Switch>| s.into_iter().map(|s| (s.tag, s.url, s.current)).collect::<Vec<_>>();
        assert_eq!(urls(in_en.switcher("a/")), [("zh-CN", "../../a/".into(), false), ("en", "./".into(), true)]);
        assert_eq!(urls(in_en.switcher("")), [("zh-CN", "../".into(), false), ("en", "./".into(), true)]);
        // A page written in both has alternates; one shown untranslated has none, and
        // says so, pointing at the original.
        let in_release = Alternates::new(&langs, Audience::PUBLIC, (1, "2026.1/"));
        let alt = in_release.hreflang("a/", "https://h.example/");
        let alt: Vec<(&str, &str)> = alt.iter().map(|a| (a.hreflang, a.href.as_str())).collect();
        assert_eq!(
            alt,
            [
                ("zh-CN", "https://h.example/2026.1/a/"),
                ("en", "https://h.example/2026.1/en/a/"),
                ("x-default", "https://h.example/2026.1/a/")
            ]
        );
        assert!(in_en.hreflang("b/", "").is_empty());
        let u = in_en.untranslated("b/", ("Shown in {lang}.", "")).unwrap();
        assert_eq!((u.notice.as_str(), u.lang, u.original.as_str()), ("Shown in 中文.", "zh-CN", "../../b/"));
        assert!(in_en.untranslated("a/", ("", "")).is_none());
        assert_eq!(in_release.original("b/", "https://h.example/").unwrap(), "https://h.example/2026.1/b/");
        assert_eq!(in_release.untranslated("b/", ("", "")).unwrap().original, "../../b/");
        // From the default language: relative alternates, no notice.
        let in_zh = Alternates::new(&langs, Audience::PUBLIC, (0, ""));
        let alt = in_zh.hreflang("a/", "");
        assert_eq!(alt.iter().map(|a| a.href.as_str()).collect::<Vec<_>>(), ["./", "../en/a/", "./"]);
        assert!(in_zh.untranslated("b/", ("{lang}", "")).is_none());
        // Pages Charter makes (the KPI dictionary) are in every language.
        assert_eq!(urls(in_zh.switcher("kpis/")), [("zh-CN", "./".into(), true), ("en", "../en/kpis/".into(), false)]);
    }

    #[test]
    fn a_page_left_out_of_a_language_switches_to_its_home() {
        let en = Language::En;
        let zh = pages(&[("_index.md", PageLang::Source), ("b.md", PageLang::Source)]);
        let english = pages(&[
            ("_index.md", PageLang::Fallback { language: en }),
            ("b.md", PageLang::Elsewhere { language: en }),
        ]);
        let langs = [(Language::ZhCn, zh.as_slice()), (en, english.as_slice())];
        let in_zh = Alternates::new(&langs, Audience::PUBLIC, (0, ""));
        let s: Vec<String> = in_zh.switcher("b/").into_iter().map(|s| s.url).collect();
        assert_eq!(s, ["./", "../en/"]);
    }
}
