//! Preparing a source: the working copy, or a release frozen in `versions/`, loaded
//! (content and data), validated, outlined, its links and data references checked and
//! its markdown rendered, into a [`Prepared`] copy that rendering and `charter serve`
//! read.
//!
//! [`Markdown`] is the one per-page path from markdown to HTML: `prepare` runs it over
//! every page, [`super::Live`] over an edited page, so the two cannot drift apart. It
//! also owns the one place a [`shortcodes::Env`] is made ([`env`]). This module reports
//! problems as diagnostics and renders no site page; it writes nothing and keeps no
//! state between builds (the build cache does).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use super::Steps;
use crate::base::date::{Date, YearMonth};
use crate::base::diagnostics::{Diagnostics, Severity};
use crate::check::{links, validate};
use crate::load::config::{self, Config};
use crate::load::files::{self, Asset};
use crate::load::versions::{self, Release};
use crate::load::{content, data, translations};
use crate::markdown::shortcodes;
use crate::markdown::{self, Outline};

/// The interface strings of the site's language.
pub(super) use crate::base::i18n::Ui;

/// What shortcodes expand against: `data` as of the month of `today`, in the words of
/// `ui`. The only constructor of a [`shortcodes::Env`] in the build.
pub(super) fn env<'a>(data: &'a data::Data, today: Date, ui: &'a Ui) -> shortcodes::Env<'a> {
    shortcodes::Env { data, today: YearMonth::of(today), ui, language: ui.language() }
}

/// One set of pages and service data, checked and with its markdown rendered: the
/// working copy, or a release frozen in `versions/`.
pub(super) struct Prepared {
    pub(super) content: content::Content,
    /// The ids of the role pages (derived once: data and measurements both check them).
    pub(super) roles: BTreeSet<String>,
    pub(super) data: data::Data,
    pub(super) index: validate::Index,
    /// The files that are not pages: beside the pages, then `static/`, by path.
    pub(super) files: Vec<Asset>,
    pub(super) file_index: links::FileIndex,
    pub(super) outlines: Vec<Outline>,
    pub(super) uses: Vec<Vec<shortcodes::Use>>,
    /// Each page's body HTML, raw HTML sanitised: the public site's, and the internal's
    /// unless `raw_html: trusted`.
    pub(super) bodies: Vec<String>,
    /// With `raw_html: trusted`, when some page of the working copy has raw HTML: each
    /// page's body HTML for the internal site, raw HTML kept.
    pub(super) trusted_bodies: Option<Vec<String>>,
    pub(super) citations: BTreeMap<String, Vec<usize>>,
    /// The language of these pages.
    pub(super) language: config::Language,
    /// This source in each further language of `languages:`, in that order (none in
    /// those copies themselves).
    pub(super) translations: Vec<Prepared>,
}

impl Prepared {
    /// This source in language `k` of `languages:` (0: the default, this copy).
    pub(super) fn in_language(&self, k: usize) -> &Prepared {
        if k == 0 {
            self
        } else {
            &self.translations[k - 1]
        }
    }

    /// The body HTML the internal site shows.
    pub(super) fn internal_bodies(&self) -> &[String] {
        self.trusted_bodies.as_deref().unwrap_or(&self.bodies)
    }

    /// What this copy's links may lead to.
    pub(super) fn linkable(&self) -> links::Linkable<'_> {
        links::Linkable {
            pages: &self.content.pages,
            outlines: &self.outlines,
            index: &self.index,
            files: &self.files,
            file_index: &self.file_index,
            frozen: false,
        }
    }

    /// Whether file `f` is published in the site for `audience`.
    pub(super) fn file_published_in(&self, f: &Asset, audience: content::Audience) -> bool {
        links::file_published_in(f, &self.content.pages, &self.index, audience)
    }

    /// What this copy's shortcodes expand against on `today`.
    pub(super) fn env<'a>(&'a self, today: Date, ui: &'a Ui) -> shortcodes::Env<'a> {
        env(&self.data, today, ui)
    }
}

/// How the markdown of one prepared copy becomes HTML, page by page: its shortcode
/// environment (made once per copy) and whether raw HTML is kept for the internal site.
pub(super) struct Markdown<'a> {
    pub(super) env: shortcodes::Env<'a>,
    keep_raw: bool,
}

impl<'a> Markdown<'a> {
    pub(super) fn new(env: shortcodes::Env<'a>, keep_raw: bool) -> Self {
        Markdown { env, keep_raw }
    }

    /// The one pass over each of `pages`, in parallel: see [`Markdown::page`].
    pub(super) fn pages(&self, pages: &[content::Page]) -> Vec<(Outline, Option<markdown::Pending>)> {
        self.with_outline_hooks(|hooks| pages.par_iter().map(|p| self.parse(p, hooks)).collect())
    }

    /// The one pass over a page's markdown: its outline (knowing whether its leading
    /// heading is its title, then rendered as its anchor only: the theme prints the
    /// title) and, unless it has raw HTML, its HTML before its links are resolved
    /// (see [`markdown::parse`]).
    pub(super) fn page(&self, page: &content::Page) -> (Outline, Option<markdown::Pending>) {
        self.with_outline_hooks(|hooks| self.parse(page, hooks))
    }

    fn parse(&self, p: &content::Page, hooks: &markdown::Hooks) -> (Outline, Option<markdown::Pending>) {
        markdown::parse(&p.body, hooks, p.title_heading.is_some(), &|call| self.expand(p, call))
    }

    /// Runs `f` with the hooks outlining needs: shortcodes as plain text (for headings)
    /// and the spotter of hand-typed numbers that a parameter defines.
    fn with_outline_hooks<R>(&self, f: impl FnOnce(&markdown::Hooks) -> R) -> R {
        let env = &self.env;
        let forms = shortcodes::typed_forms(env.data);
        let spotter = markdown::NumberSpotter::new(&forms);
        let plain = |call: &shortcodes::Call| {
            shortcodes::check(call).map(|u| shortcodes::expand(&u, env, "").text).unwrap_or_default()
        };
        f(&markdown::Hooks { plain: &plain, numbers: spotter.as_ref() })
    }

    /// A shortcode call of page `p` as HTML, and whether it is a block: in the words
    /// of the language the page is written in (a translation's; the default language's
    /// for a page shown untranslated).
    fn expand(&self, p: &content::Page, call: &shortcodes::Call) -> (String, bool) {
        let Ok(u) = shortcodes::check(call) else { return (String::new(), false) };
        match validate::words_language(p).filter(|&l| l != self.env.language) {
            Some(language) => {
                let ui = crate::base::i18n::strings(language);
                let env = shortcodes::Env { data: self.env.data, today: self.env.today, ui, language };
                (shortcodes::expand(&u, &env, &p.url).html, u.is_block())
            }
            None => (shortcodes::expand(&u, &self.env, &p.url).html, u.is_block()),
        }
    }

    /// The HTML of a page's markdown, its links resolved (`resolved`) and shortcodes
    /// expanded: the pass's HTML with its links filled in, or — for a page with raw
    /// HTML, which the pass does not render — rendered now, with the HTML with raw
    /// HTML kept when that is asked for (see [`markdown::render`]). The body's search
    /// text goes into its outline.
    pub(super) fn body(
        &self,
        p: &content::Page,
        o: &Outline,
        pending: Option<markdown::Pending>,
        resolved: &[Option<String>],
    ) -> markdown::Body {
        match pending {
            Some(pending) => markdown::fill(pending, resolved),
            None => markdown::render(&p.body, o, resolved, &|call| self.expand(p, call), self.keep_raw),
        }
    }
}

/// Whether the working copy's internal site keeps raw HTML (`raw_html: trusted`).
/// Releases render only the public site, which never keeps raw HTML.
pub(super) fn keeps_raw(config: &Config, is_release: bool) -> bool {
    config.raw_html == config::RawHtml::Trusted && !is_release
}

/// Loads, checks and renders the markdown of the source at `dir` (the site root, or
/// `versions/VERSION`), in each of the site's languages. Step names carry `label` for
/// releases.
pub(super) fn prepare(
    steps: &Steps,
    dir: &Path,
    label: &str,
    config: &Config,
    env_base: (Date, &Ui),
    diags: &mut Diagnostics,
) -> Prepared {
    let name = |s: &str| if label.is_empty() { s.to_string() } else { format!("{label}: {s}") };
    let frozen = !label.is_empty();
    let mut loaded = Diagnostics::new();
    let mut content =
        steps.run(&name("load content"), || content::load_in(dir, &config.audiences, &config.languages, &mut loaded));
    let mut files = std::mem::take(&mut content.files);
    files.extend(files::load_static(dir, &mut loaded));
    for mut d in loaded.into_sorted() {
        // A release frozen by an older Charter may hold files it left out in silence:
        // they stay out (a warning, which releases do not repeat).
        if frozen && files::REFUSED_FILE.contains(&d.code) {
            d.severity = Severity::Warning;
        }
        diags.push(d);
    }
    content.name_home(&config.title);
    let roles = content.role_ids();
    let data = steps.run(&name("load data"), || data::load_in(dir, &roles, (env_base.0, &config.languages), diags));
    let translations = std::mem::take(&mut content.translations);
    let paired = translations::pair(&content.pages, &translations, &config.audiences, diags);
    let languages: Vec<(config::Language, Vec<content::Page>)> = config.languages[1..]
        .iter()
        .map(|&l| (l, translations::language_pages(&content.pages, &paired, l, config.fallback)))
        .collect();
    let source = Source { config, env_base, frozen, label };
    // Each further language has its own copy of the files, data and roles (a site of
    // one language copies nothing).
    let shared = (!languages.is_empty()).then(|| (files.clone(), data.clone(), roles.clone()));
    let mut prepared = source.check_and_render(steps, &name, (content, files, data, roles), (None, diags));
    let Some((files, data, roles)) = shared else { return prepared };
    for (language, pages) in languages {
        let copy = content::Content { pages, files: Vec::new(), translations: Vec::new() };
        // The pages shown untranslated are the default language's, whose problems are
        // reported above: only what is new in this language is added (a translation's
        // own, or a link that breaks only here).
        let mut own = Diagnostics::new();
        let lang = |s: &str| format!("{} ({})", name(s), language.tag());
        let copy = (copy, files.clone(), data.clone(), roles.clone());
        let p = source.check_and_render(steps, &lang, copy, (Some(&prepared.outlines), &mut own));
        let seen: BTreeSet<(String, usize, usize, &str)> =
            diags.iter().map(|d| (d.path.clone(), d.pos.line, d.pos.col, d.code)).collect();
        diags.extend_with(own, |d| !seen.contains(&(d.path.clone(), d.pos.line, d.pos.col, d.code)));
        prepared.translations.push(Prepared { language, ..p });
    }
    prepared
}

/// What every language of one source is checked and rendered with.
struct Source<'a> {
    config: &'a Config,
    env_base: (Date, &'a Ui),
    frozen: bool,
    label: &'a str,
}

impl Source<'_> {
    /// Validates one language's pages, outlines them, checks their links and data
    /// references and renders their markdown. In a language after the first, each
    /// translation takes its source's heading anchors as aliases (`sources`: the
    /// default language's outlines, in the same order).
    fn check_and_render(
        &self,
        steps: &Steps,
        name: &dyn Fn(&str) -> String,
        (content, files, data, roles): (content::Content, Vec<Asset>, data::Data, BTreeSet<String>),
        (sources, diags): (Option<&[Outline]>, &mut Diagnostics),
    ) -> Prepared {
        let pages = &content.pages;
        let md =
            Markdown::new(env(&data, self.env_base.0, self.env_base.1), keeps_raw(self.config, !self.label.is_empty()));
        let index = steps.run(&name("validate pages"), || validate::pages(pages, diags));
        // One pass per page: outline and HTML; the links are filled in once resolved.
        let (outlines, pending): (Vec<Outline>, Vec<Option<markdown::Pending>>) =
            steps.run(&name("outline markdown"), || md.pages(pages).into_iter().unzip());
        let mut outlines = outlines;
        for ((o, p), source) in outlines.iter_mut().zip(pages).zip(sources.into_iter().flatten()) {
            if matches!(p.lang, translations::PageLang::Translated { .. }) {
                o.alias_source_anchors(source);
            }
        }
        let file_index = links::files(&files, diags);
        let frozen = self.frozen;
        let site = links::Linkable {
            pages,
            outlines: &outlines,
            index: &index,
            files: &files,
            file_index: &file_index,
            frozen,
        };
        let resolved = steps.run(&name("check links"), || site.links(diags));
        let uses = steps.run(&name("check data references"), || validate::data_refs(pages, &outlines, &data, diags));
        let mut rendered: Vec<markdown::Body> = if diags.has_errors() {
            Vec::new()
        } else {
            steps.run(&name("render markdown"), || {
                let each = pages.par_iter().zip(&outlines).zip(pending).zip(&resolved);
                each.map(|(((p, o), pending), r)| md.body(p, o, pending, r)).collect()
            })
        };
        for (o, b) in outlines.iter_mut().zip(&mut rendered) {
            o.text = b.text.take().map(std::sync::Arc::new);
        }
        let trusted_bodies = rendered
            .iter()
            .any(|b| b.trusted.is_some())
            .then(|| rendered.iter().map(|b| b.trusted.as_ref().unwrap_or(&b.html).clone()).collect());
        let bodies = rendered.into_iter().map(|b| b.html).collect();
        let citations = validate::kpi_citations(pages, &uses, &data);
        let language = self.config.language;
        Prepared {
            content,
            roles,
            data,
            index,
            files,
            file_index,
            outlines,
            uses,
            bodies,
            trusted_bodies,
            citations,
            language,
            translations: Vec::new(),
        }
    }
}

/// A release's own problems, reported at its frozen paths; its warnings were known
/// when it was released and are not repeated.
pub(super) fn prepare_release(
    steps: &Steps,
    root: &Path,
    release: &Release,
    config: &Config,
    env_base: (Date, &Ui),
    diags: &mut Diagnostics,
) -> Prepared {
    let mut own = Diagnostics::new();
    let dir = root.join(versions::VERSIONS_DIR).join(&release.version);
    // A release shows what was in force on its date: parameters, targets in force.
    let prepared = prepare(steps, &dir, &release.version, config, (release.date, env_base.1), &mut own);
    for mut d in own.into_sorted().into_iter().filter(|d| d.severity == Severity::Error) {
        d.path = format!("{}/{}/{}", versions::VERSIONS_DIR, release.version, d.path);
        diags.push(d);
    }
    prepared
}

/// Which of the working copy's translations are older than their sources, and the
/// pages each further language lacks (see `check::translations`); the stale ones are
/// marked so that their pages say so.
pub(super) fn review_translations(
    working: &mut Prepared,
    frozen: &[Prepared],
    names: &[String],
    diags: &mut Diagnostics,
) -> Vec<crate::check::translations::Row> {
    use crate::check::translations::{review, Released, State};
    let releases: Vec<Released> =
        frozen.iter().zip(names).map(|(f, name)| Released { name, pages: &f.content.pages }).collect();
    let copies: Vec<(config::Language, &[content::Page])> =
        working.translations.iter().map(|t| (t.language, t.content.pages.as_slice())).collect();
    let rows = review(&working.content.pages, &copies, &releases, diags);
    for row in rows.iter().filter(|r| r.state == State::Stale) {
        let copy = working.translations.iter_mut().find(|t| t.language == row.language);
        if let Some(translations::PageLang::Translated { stale, .. }) =
            copy.and_then(|c| c.content.pages.get_mut(row.page)).map(|p| &mut p.lang)
        {
            *stale = true;
        }
    }
    rows
}

/// For each page of the working copy, the pages its markdown links to.
pub(super) fn index_links(p: &Prepared) -> Vec<Vec<usize>> {
    let site = p.linkable();
    let pages = p.content.pages.iter().zip(&p.outlines);
    let linked = |(page, o)| {
        site.targets(page, o).into_iter().filter_map(|t| match t {
            links::Target::Page(i) => Some(i),
            links::Target::File(_) => None,
        })
    };
    pages.map(|po| linked(po).collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::{parses, PROBE};

    /// A page of the fixture site, its body marked for counting.
    fn page(dir: &Path, rel: &str, body: &str) {
        let text = format!("---\ntitle: {rel}\naudience: public\n---\n\n{body}\n\n{PROBE} {rel}\n");
        std::fs::write(dir.join("content").join(rel), text).unwrap();
    }

    #[test]
    fn each_page_is_parsed_once_and_its_links_filled_in_after() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path();
        std::fs::create_dir_all(dir.join("content/standards")).unwrap();
        std::fs::write(dir.join("charter.yaml"), "title: 一次\nlanguage: zh-CN\n").unwrap();
        page(dir, "_index.md", "首页见[退款](standards/refunds.md#时限)与![图](standards/a.png)。");
        page(dir, "standards/_index.md", "## 标准\n\n| 类 | 限 |\n|---|---|\n| [退](refunds.md) | 1 |");
        page(dir, "standards/refunds.md", "## 时限\n\n[首页](../_index.md)，[外](https://example.com)。");
        page(dir, "standards/raw.md", "<b>粗</b> 见[时限](refunds.md#时限)。");
        std::fs::write(dir.join("content/standards/a.png"), b"png").unwrap();
        let opts = super::super::BuildOptions::new(dir.to_path_buf(), super::super::Mode::Check);
        let steps = Steps::new(&opts);
        let mut diags = Diagnostics::new();
        let config = config::load(dir, &mut diags);
        let ui = crate::base::i18n::strings(config.language);
        let today = Date::parse("2026-12-01").unwrap();
        let p = prepare(&steps, dir, "", &config, (today, ui), &mut diags);
        assert!(!diags.has_errors(), "{:?}", diags.into_sorted());
        // One pass over each page's markdown; a page with raw HTML is rendered once its
        // links are resolved (its HTML is sanitised with them), so read twice.
        for page in &p.content.pages {
            let times = if page.rel == "standards/raw.md" { 2 } else { 1 };
            assert_eq!(parses(&page.body), times, "{}", page.rel);
        }
        // The links were filled in where the pass left them.
        let html = |rel: &str| &p.bodies[p.index.by_rel[rel]];
        assert!(html("_index.md").contains("<a href=\"standards/refunds/#时限\">退款</a>"));
        assert!(html("_index.md").contains("<img src=\"standards/a.png\" alt=\"图\" />"));
        assert!(html("standards/_index.md").contains("<td><a href=\"refunds/\">退</a></td>"));
        assert!(html("standards/refunds.md")
            .contains("<a href=\"../../\">首页</a>，<a href=\"https://example.com\">外</a>"));
        assert!(html("standards/raw.md").contains("<b>粗</b> 见<a href=\"../refunds/#%E6%97%B6%E9%99%90\">"));
        // The search text came with every page but the one with raw HTML.
        let texts: Vec<bool> = p.outlines.iter().map(|o| o.text.is_some()).collect();
        assert_eq!(texts.iter().filter(|t| **t).count(), 3, "{texts:?}");
        assert!(p.outlines[p.index.by_rel["standards/raw.md"]].text.is_none());
    }

    /// Files kept, and handed to a search collector as `charter build` hands them.
    struct Indexed {
        files: crate::base::files::Collect,
        search: crate::search::Collector,
        sites: std::sync::OnceLock<Vec<crate::search::SiteSpec>>,
    }

    impl crate::base::files::Sink for Indexed {
        fn start(&self, folders: &crate::base::files::Folders) {
            let sites = super::super::sites::search_sites(folders);
            self.search.set_sites(sites.clone());
            let _ = self.sites.set(sites);
        }

        fn put(&self, files: Vec<crate::base::files::OutputFile>) {
            files.iter().for_each(|f| self.search.add(f));
            self.files.put(files);
        }

        fn put_pages(&self, pages: Vec<(crate::base::files::OutputFile, Option<crate::base::files::PageText>)>) {
            pages.iter().for_each(|(f, text)| self.search.add_page(f, text.as_ref()));
            self.files.put(pages.into_iter().map(|(f, _)| f).collect());
        }
    }

    #[test]
    fn the_example_is_indexed_from_the_pass_with_the_same_bytes_as_from_its_html() {
        use std::sync::atomic::Ordering::Relaxed;
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut opts = super::super::BuildOptions::new(root.to_path_buf(), super::super::Mode::Build);
        opts.today = Some(Date::parse("2026-12-01").unwrap());
        let steps = Steps::new(&opts);
        let sink = Indexed { files: Default::default(), search: Default::default(), sites: Default::default() };
        let mut cache = super::super::Cache::default();
        super::super::build_steps(&opts, &mut cache, &steps, (&sink, crate::render::charts::Charts::Draw))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let reads = sink.search.reads();
        let (pass, html, fell_back) =
            (reads.from_pass.load(Relaxed), reads.from_html.load(Relaxed), reads.fell_back.load(Relaxed));
        // Every markdown page's body text came from the pass (none fell back to its
        // HTML); only generated pages (reports, KPI dictionary, changelogs) were read.
        assert_eq!(fell_back, 0);
        assert!(pass > 20 && html > 0, "{pass} from the pass, {html} from HTML");
        let files = sink.files.into_files();
        let sites = sink.sites.into_inner().unwrap();
        let from_html = crate::search::index(&files, &sites);
        let from_pass = std::sync::Mutex::new(vec![Vec::new(); sites.len()]);
        sink.search.finish(|site, files| from_pass.lock().unwrap()[site].extend(files));
        let mut from_pass = from_pass.into_inner().unwrap();
        for bundle in &mut from_pass {
            bundle.sort_by(|a, b| a.path.cmp(&b.path));
        }
        assert_eq!(from_pass.len(), from_html.len());
        for (a, b) in from_pass.iter().zip(&from_html) {
            assert_eq!(a.iter().map(|f| &f.path).collect::<Vec<_>>(), b.iter().map(|f| &f.path).collect::<Vec<_>>());
            for (x, y) in a.iter().zip(b) {
                assert!(x.bytes == y.bytes, "{} differs", x.path);
            }
        }
    }
}
