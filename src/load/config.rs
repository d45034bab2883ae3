//! The site configuration, `charter.yaml` at the site root.
//!
//! Owns the config keys, their defaults and their validation. It reads the file and
//! reports problems as diagnostics; it must not know about pages or output.

use std::path::Path;

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::formats::yaml::{self, Fields, Spanned};
use crate::load::audience::{Audience, Family, ReportTiers, Tiers};

pub(crate) const CONFIG_FILE: &str = "charter.yaml";

pub(crate) use crate::base::i18n::Language;

/// What the internal site does with raw HTML in markdown (`raw_html`). The public site
/// always sanitises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum RawHtml {
    /// `sanitise` (the default): an allow-list sanitiser keeps harmless formatting and
    /// drops scripts, event handlers, styles, forms, frames, SVG and MathML.
    #[default]
    Sanitise,
    /// `trusted`: the internal site keeps the authors' raw HTML as written.
    Trusted,
}

/// What a language's site shows for a page that has no translation into it
/// (`fallback:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Fallback {
    /// `notice` (the default): the page in the default language, under the other
    /// language's address, with a notice saying it is not translated yet.
    #[default]
    Notice,
    /// `omit`: the language's site leaves the page out; links to it lead to the page in
    /// the default language.
    Omit,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) title: String,
    /// The default language: the first of `languages:` (or `language:`).
    pub(crate) language: Language,
    /// The languages of the content (`languages:`), the default first; the default
    /// alone when the site has one language.
    pub(crate) languages: Vec<Language>,
    /// What another language's site shows for a page not translated into it.
    pub(crate) fallback: Fallback,
    /// Absolute URL the public site is served from, always ending in `/` (or empty).
    pub(crate) base_url: String,
    /// Absolute URL the internal site is served from, ending in `/` (or empty: the
    /// internal site's links stay relative and its printed addresses are paths).
    pub(crate) internal_url: String,
    /// Who publishes the handbook, as the releases feed names its author (empty: the
    /// site's title).
    pub(crate) author: String,
    /// The audience tiers (`audiences:`, `public` and `internal` unless more are
    /// declared) and the tier of pages that do not say (`default_audience:`,
    /// `internal` unless configured otherwise).
    pub audiences: Tiers,
    /// The absolute URL of each tier above `internal` (`urls:`), ending in `/`.
    pub(crate) urls: Vec<(Audience, String)>,
    /// The tier each family of report pages is published to (`reports:`).
    pub(crate) reports: ReportTiers,
    /// Raw HTML in the internal site's pages (the public site always sanitises).
    pub(crate) raw_html: RawHtml,
    /// `governed:` the sections (folders under `content/`) whose pages need an owner and
    /// keep review dates; `[standards]` unless configured.
    pub(crate) governed: Vec<Spanned<String>>,
    /// "Edit this page" links: this URL plus the page's path in its git repository
    /// (always ending in `/`; empty: no links).
    pub(crate) edit_url: String,
    /// Whether the public site shows the edit links too (by default only the internal
    /// site does: customers cannot edit, and the link names the repository).
    pub(crate) edit_url_public: bool,
    /// `time_zone:`: the organisation's offset from UTC in seconds, for instants
    /// (TIMESTAMP WITH TIME ZONE) in Parquet measurements; `None`: read them in UTC.
    pub(crate) utc_offset: Option<i64>,
    /// The file as read (empty when it could not be), for the build's cache keys.
    pub(crate) text: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            language: Language::ZhCn,
            languages: vec![Language::ZhCn],
            fallback: Fallback::Notice,
            base_url: String::new(),
            internal_url: String::new(),
            author: String::new(),
            audiences: Tiers::default(),
            urls: Vec::new(),
            reports: ReportTiers::defaults(&Tiers::default()),
            raw_html: RawHtml::Sanitise,
            governed: vec![Spanned { value: "standards".to_string(), pos: Pos::FILE }],
            edit_url: String::new(),
            edit_url_public: false,
            utc_offset: None,
            text: String::new(),
        }
    }
}

impl Config {
    /// The absolute URL the site of `tier` is served from, ending in `/` (or empty).
    pub(crate) fn site_url(&self, tier: Audience) -> &str {
        match tier {
            Audience::PUBLIC => &self.base_url,
            Audience::INTERNAL => &self.internal_url,
            _ => self.urls.iter().find(|(t, _)| *t == tier).map_or("", |(_, u)| u.as_str()),
        }
    }

    /// The author of the releases feed: `author`, else the site's title.
    pub(crate) fn feed_author(&self) -> &str {
        if self.author.is_empty() {
            &self.title
        } else {
            &self.author
        }
    }
}

/// Loads `charter.yaml` from `root`. A missing file is an error (it marks a site root);
/// problems are pushed into `diags` and defaults are used so loading can continue.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Config {
    let path = root.join(CONFIG_FILE);
    if std::fs::symlink_metadata(&path).is_err() {
        diags.error(
            CONFIG_FILE,
            Pos::FILE,
            "missing-config",
            format!("cannot read {CONFIG_FILE}: there is no such file (is this a Charter site? `charter init DIR` creates one)"),
        );
        return Config::default();
    }
    // Size-capped, regular files only, invalid UTF-8 located (a pipe would block forever).
    let max = crate::formats::yaml::MAX_YAML_BYTES as u64;
    let Some(text) = crate::load::data::read_source(&path, CONFIG_FILE, max, "YAML files", diags) else {
        return Config::default();
    };
    Config { text: text.clone(), ..parse(&text, diags) }
}

/// Parses the text of `charter.yaml` (pure; for tests and for `load`).
pub(crate) fn parse(text: &str, diags: &mut Diagnostics) -> Config {
    let mut config = Config::default();
    let node = match yaml::parse(text, 1) {
        Ok(n) => n,
        Err(e) => {
            diags.error(CONFIG_FILE, e.pos, "yaml-syntax", format!("invalid YAML: {}", e.message));
            return config;
        }
    };
    let Some(mut f) = Fields::new(&node, CONFIG_FILE, CONFIG_FILE, diags) else { return config };
    if let Some(t) = f.required_string("title", diags) {
        config.title = t.value;
    }
    let single = f.choice("language", &["zh-CN", "en"], diags);
    if let Some(l) = &single {
        config.language = Language::from_tag(l.value).unwrap_or(Language::ZhCn);
    }
    config.languages = vec![config.language];
    if let Some(at) = f.key_pos("languages") {
        let list = f.string_list("languages", diags);
        languages(&list, (at, single.map(|s| s.pos)), &mut config, diags);
    }
    if let Some(fb) = f.choice("fallback", &["notice", "omit"], diags) {
        config.fallback = if fb.value == "omit" { Fallback::Omit } else { Fallback::Notice };
    }
    for key in ["base_url", "internal_url"] {
        if let Some(u) = f.string(key, diags) {
            let url = site_url(key, &u, diags);
            if key == "base_url" {
                config.base_url = url;
            } else {
                config.internal_url = url;
            }
        }
    }
    if let Some(a) = f.string("author", diags) {
        config.author = a.value.trim().to_string();
    }
    if f.key_pos("audiences").is_some() {
        config.audiences = Tiers::declared(&f.string_list("audiences", diags), CONFIG_FILE, diags);
    }
    let names = config.audiences.names();
    if let Some(a) = f.choice("default_audience", &names, diags) {
        config.audiences.default = config.audiences.named(a.value).unwrap_or(Audience::INTERNAL);
    }
    if let Some(node) = f.node("urls") {
        config.urls = tier_urls(node, &config.audiences, diags);
    }
    config.reports = ReportTiers::defaults(&config.audiences);
    if let Some(node) = f.node("reports") {
        report_tiers(node, &mut config, diags);
    }
    if let Some(r) = f.choice("raw_html", &["sanitise", "trusted"], diags) {
        config.raw_html = if r.value == "trusted" { RawHtml::Trusted } else { RawHtml::Sanitise };
    }
    if f.key_pos("governed").is_some() {
        let governed = f.string_list("governed", diags);
        config.governed = governed
            .into_iter()
            .map(|g| Spanned { value: g.value.trim_matches('/').to_string(), pos: g.pos })
            .collect();
    }
    if let Some(u) = f.string("edit_url", diags) {
        let url = u.value.trim();
        let absolute = url.starts_with("https://") || url.starts_with("http://");
        if !url.is_empty() && !absolute {
            diags.error(
                CONFIG_FILE,
                u.pos,
                "bad-value",
                format!("`edit_url` must be an absolute URL (https://…), found `{url}`"),
            );
            diags.with_help(
                "e.g. `edit_url: https://github.com/ORG/REPO/edit/main/`: the page's path in the repository is added",
            );
        } else if !url.is_empty() {
            config.edit_url = if url.ends_with('/') { url.to_string() } else { format!("{url}/") };
        }
    }
    if let Some(b) = f.boolean("edit_url_public", diags) {
        config.edit_url_public = b.value;
    }
    if let Some(z) = f.string("time_zone", diags) {
        config.utc_offset = utc_offset(&z.value);
        if config.utc_offset.is_none() {
            diags.error(
                CONFIG_FILE,
                z.pos,
                "bad-value",
                format!("`time_zone` must be an offset from UTC like \"+08:00\" or `UTC`, found `{}` (a named zone with daylight saving cannot be one offset, and Charter carries no time zone database)", z.value.trim()),
            );
        }
    }
    f.finish(diags, |_| None);
    config
}

/// Seconds east of UTC of `UTC`, `Z`, `+08:00`, `+0800`, `-05` (at most 14 hours).
pub(crate) fn utc_offset(text: &str) -> Option<i64> {
    let t = text.trim();
    if matches!(t, "UTC" | "utc" | "Z" | "GMT") {
        return Some(0);
    }
    let sign = match t.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = t[1..].chars().filter(|c| *c != ':').collect();
    if !(digits.len() == 2 || digits.len() == 4) || !digits.bytes().all(|b| b.is_ascii_digit()) || t[1..].len() > 5 {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = if digits.len() == 4 { digits[2..].parse().ok()? } else { 0 };
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// `languages:`: the content's languages, the default first, each once, agreeing with
/// `language:` when both are given.
/// `at` is the key's position and `language:`'s, when given.
fn languages(list: &[Spanned<String>], at: (Pos, Option<Pos>), config: &mut Config, diags: &mut Diagnostics) {
    let (key, single) = at;
    let mut found: Vec<Language> = Vec::new();
    for item in list {
        let Some(l) = Language::from_tag(item.value.trim()) else {
            let all = Language::ALL.iter().map(|l| format!("`{}`", l.tag())).collect::<Vec<_>>().join(", ");
            let message = format!("`languages` may list {all}, found `{}`", item.value);
            diags.error(CONFIG_FILE, item.pos, "bad-value", message);
            diags.suggest(&item.value, Language::ALL.iter().map(|l| l.tag()));
            continue;
        };
        if found.contains(&l) {
            diags.error(CONFIG_FILE, item.pos, "bad-value", format!("`languages` lists `{}` twice", l.tag()));
            continue;
        }
        found.push(l);
    }
    let Some(&first) = found.first() else {
        if list.is_empty() {
            diags.error(CONFIG_FILE, key, "bad-value", "`languages` must list at least one language");
        }
        return;
    };
    if let Some(pos) = single.filter(|_| config.language != first) {
        let message = format!(
            "`language` is `{}` but `languages` starts with `{}`: the first of `languages` is the default",
            config.language.tag(),
            first.tag()
        );
        diags.error(CONFIG_FILE, pos, "bad-value", message);
        diags.with_help("drop `language:`; `languages:` says it");
    }
    config.language = first;
    config.languages = found;
}

/// A site's URL as configured under `key`: trimmed, ending in `/`; an error (and
/// empty) unless absolute.
fn site_url(key: &str, u: &Spanned<String>, diags: &mut Diagnostics) -> String {
    let url = u.value.trim().to_string();
    let absolute = url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/');
    let url = if url.is_empty() || url.ends_with('/') { url } else { format!("{url}/") };
    if !url.is_empty() && !absolute {
        diags.error(
            CONFIG_FILE,
            u.pos,
            "bad-value",
            format!("`{key}` must be an absolute URL (https://…) or start with `/`, found `{}`", u.value.trim()),
        );
        return String::new();
    }
    url
}

/// `urls:`: the URL of each tier above `internal`, by the tier's name.
fn tier_urls(node: &yaml::Node, tiers: &Tiers, diags: &mut Diagnostics) -> Vec<(Audience, String)> {
    let Some(mut f) = Fields::new(node, CONFIG_FILE, "urls", diags) else { return Vec::new() };
    let mut urls = Vec::new();
    for &tier in &tiers.all()[2..] {
        if let Some(u) = f.string(tier.as_str(), diags) {
            urls.push((tier, site_url(&format!("urls.{}", tier.as_str()), &u, diags)));
        }
    }
    f.finish(diags, |key| match key {
        "public" => Some("the public site's URL is `base_url`".to_string()),
        "internal" => Some("the internal site's URL is `internal_url`".to_string()),
        _ => Some("`urls:` names tiers listed in `audiences:` after `internal`".to_string()),
    });
    urls
}

/// `reports:`: the tier of each report family, never the public one, with the
/// overview at or below every family under `reports/` (their pages lead back to it).
fn report_tiers(node: &yaml::Node, config: &mut Config, diags: &mut Diagnostics) {
    let Some(mut f) = Fields::new(node, CONFIG_FILE, "reports", diags) else { return };
    let staff: Vec<&'static str> = config.audiences.staff().iter().map(|a| a.as_str()).collect();
    let mut set = Vec::new();
    for family in Family::ALL {
        let Some(t) = f.string(family.key(), diags) else { continue };
        match config.audiences.named(&t.value) {
            Some(tier) if !tier.is_public() => {
                config.reports.set(family, tier);
                set.push((family, t.pos));
            }
            Some(_) => {
                let key = family.key();
                diags.error(
                    CONFIG_FILE,
                    t.pos,
                    "bad-value",
                    format!("report pages are never public: `reports.{key}` must be a tier behind sign-in"),
                );
                diags.with_help("the public site's performance page already shows the KPIs marked `public: true`");
            }
            None => {
                let list = staff.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
                let key = family.key();
                let message = format!("`reports.{key}` must be one of {list}, found `{}`", t.value);
                diags.error(CONFIG_FILE, t.pos, "bad-value", message);
                diags.suggest(&t.value, staff.iter().copied());
            }
        }
    }
    f.finish(diags, |_| None);
    let overview = config.reports.tier(Family::Overview);
    for (family, pos) in set {
        let tier = config.reports.tier(family);
        if family != Family::Governance && tier < overview {
            diags.error(
                CONFIG_FILE,
                pos,
                "bad-value",
                format!(
                    "`reports.{}` is `{}`, below the reports overview's `{}`: its pages lead back to the overview",
                    family.key(),
                    tier.as_str(),
                    overview.as_str()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_list_the_default_first_and_agree_with_language() {
        let mut d = Diagnostics::new();
        let c = parse("title: x\nlanguages: [en, zh-cn]\nfallback: omit\n", &mut d);
        assert!(d.is_empty(), "{:?}", d.iter().collect::<Vec<_>>());
        assert_eq!((c.language, c.languages.clone()), (Language::En, vec![Language::En, Language::ZhCn]));
        assert_eq!(c.fallback, Fallback::Omit);
        let c = parse("title: x\nlanguage: en\n", &mut d);
        assert_eq!((c.languages, c.fallback), (vec![Language::En], Fallback::Notice));

        let c = parse("title: x\nlanguage: en\nlanguages: [zh-CN, fr, zh-CN]\nfallback: maybe\n", &mut d);
        let lines: Vec<String> = d.iter().map(|x| format!("{}:{} {}", x.pos.line, x.pos.col, x.message)).collect();
        assert_eq!(
            lines,
            [
                "3:20 `languages` may list `zh-CN`, `en`, found `fr`",
                "3:24 `languages` lists `zh-CN` twice",
                "2:11 `language` is `en` but `languages` starts with `zh-CN`: the first of `languages` is the default",
                "4:11 `fallback` must be one of `notice`, `omit`, found `maybe`",
            ]
        );
        assert_eq!(c.language, Language::ZhCn);
    }

    #[test]
    fn defaults_keep_pages_internal() {
        let mut d = Diagnostics::new();
        let c = parse("title: 手册\n", &mut d);
        assert!(d.is_empty());
        assert_eq!(c.audiences.default, Audience::INTERNAL);
        assert_eq!(c.language, Language::ZhCn);
    }

    #[test]
    fn base_url_gets_a_trailing_slash() {
        let mut d = Diagnostics::new();
        let c = parse("title: x\nbase_url: https://example.com/handbook\nlanguage: en\n", &mut d);
        assert_eq!(c.base_url, "https://example.com/handbook/");
        assert_eq!(c.language, Language::En);
        // The internal site's address, for its print edition and links, reads the same way.
        let c = parse("title: x\ninternal_url: https://intranet.example/handbook\n", &mut d);
        assert_eq!((c.internal_url.as_str(), c.base_url.as_str()), ("https://intranet.example/handbook/", ""));
        assert!(d.is_empty());
        parse("title: x\ninternal_url: intranet/handbook\n", &mut d);
        assert!(d.iter().any(|e| e.message.contains("`internal_url` must be an absolute URL")));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_all_reported() {
        let mut d = Diagnostics::new();
        parse("title: x\nlanguage: fr\ndefault_audiense: public\n", &mut d);
        let all = d.into_sorted();
        assert_eq!(all.len(), 2);
        assert!(all[0].message.contains("`language` must be one of `zh-CN`, `en`"));
        assert!(all[1].message.contains("unknown key `default_audiense`"));
        assert_eq!(all[1].help.as_deref(), Some("did you mean `default_audience`?"));
    }

    #[test]
    fn edit_url_gets_a_trailing_slash_and_must_be_absolute() {
        let mut d = Diagnostics::new();
        let c = parse("title: x\nedit_url: https://git.example.com/org/repo/edit/main\n", &mut d);
        assert!(d.is_empty());
        assert_eq!(c.edit_url, "https://git.example.com/org/repo/edit/main/");
        assert!(!c.edit_url_public);
        let c = parse("title: x\nedit_url: github.com/org/repo\nedit_url_public: true\n", &mut d);
        assert_eq!(c.edit_url, "");
        assert!(c.edit_url_public);
        let all = d.into_sorted();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!((all[0].pos.line, all[0].pos.col), (2, 11));
        assert!(all[0].message.contains("`edit_url` must be an absolute URL"), "{}", all[0].message);
    }

    #[test]
    fn a_time_zone_is_an_offset_from_utc() {
        assert_eq!(utc_offset("+08:00"), Some(28_800));
        assert_eq!(utc_offset("+0530"), Some(19_800));
        assert_eq!(utc_offset("-05"), Some(-18_000));
        assert_eq!(utc_offset("UTC"), Some(0));
        assert_eq!(utc_offset("Asia/Shanghai"), None);
        assert_eq!(utc_offset("+15:00"), None);
        let mut d = Diagnostics::new();
        assert_eq!(parse("title: x\ntime_zone: \"+08:00\"\n", &mut d).utc_offset, Some(28_800));
        assert!(d.is_empty());
        assert_eq!(parse("title: x\ntime_zone: Europe/Paris\n", &mut d).utc_offset, None);
        assert!(d.iter().next().unwrap().message.starts_with("`time_zone` must be an offset from UTC"));
    }

    #[test]
    fn raw_html_is_sanitised_unless_the_internal_site_trusts_it() {
        let mut d = Diagnostics::new();
        assert_eq!(parse("title: x\n", &mut d).raw_html, RawHtml::Sanitise);
        assert_eq!(parse("title: x\nraw_html: sanitise\n", &mut d).raw_html, RawHtml::Sanitise);
        assert_eq!(parse("title: x\nraw_html: trusted\n", &mut d).raw_html, RawHtml::Trusted);
        assert!(d.is_empty());
        let c = parse("title: x\nraw_html: sanitize\n", &mut d);
        assert_eq!(c.raw_html, RawHtml::Sanitise);
        let all = d.into_sorted();
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].pos.line, 2);
        assert!(all[0].message.contains("`raw_html` must be one of `sanitise`, `trusted`, found `sanitize`"));
        assert_eq!(all[0].help.as_deref(), Some("did you mean `sanitise`?"));
    }
}
