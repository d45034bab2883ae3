//! What changed between two releases of the public handbook: standards added,
//! changed, retired and removed; parameters and KPI targets whose values changed; and
//! the Atom feed of releases.
//!
//! Pure functions over [`Snapshot`]s, which hold only what customers can see in a
//! release (public, published standards; parameters shown on public pages; public
//! KPIs), so a changelog can never mention anything internal.

use std::collections::{BTreeMap, BTreeSet};

use crate::base::i18n::Language;
use crate::compute::blocks::Block;
use crate::compute::kpi::format_target_in;
use crate::load::data::Data;

/// A public standard as a release shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StandardSnap {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) retired: bool,
    /// Its title and rendered body as the blocks readers read: what the redline
    /// compares.
    pub(crate) blocks: Vec<Block>,
    /// Whether it is written in the snapshot's language (not a page shown there
    /// untranslated): only then does a redline in that language compare its words.
    pub(crate) own_words: bool,
}

/// What customers could see in one release.
#[derive(Debug, Clone, Default)]
pub(crate) struct Snapshot<'a> {
    pub(crate) standards: BTreeMap<String, StandardSnap>,
    /// Parameters shown on the release's public pages.
    pub(crate) public_params: BTreeSet<String>,
    /// The URLs of the pages its readers can open (a link to any other is shown as
    /// text).
    pub(crate) urls: BTreeSet<String>,
    pub(crate) data: Option<&'a Data>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Added,
    Changed,
    Retired,
    Removed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StandardChange {
    pub(crate) kind: Kind,
    pub(crate) id: String,
    pub(crate) title: String,
    /// URL in the new release (in the old one for removed standards).
    pub(crate) url: String,
    /// Whether the text changed (a redline exists).
    pub(crate) redline: bool,
}

/// A value that changed: "产品质量类投诉：48 小时 → 36 小时", in the words of the
/// language the changelog is read in ("Complaints about product quality: 48 hours →
/// 36 hours"); how the pieces are joined is the page's business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValueChange {
    /// The parameter's label or the KPI's name.
    pub(crate) label: String,
    /// For a KPI target, the month the change applies from ("自 2026-01 起").
    pub(crate) since: Option<String>,
    pub(crate) old: String,
    pub(crate) new: String,
}

/// The words a comparison writes in: the interface's "from {m}" and the language whose
/// labels, names and units the data gives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reading<'a> {
    pub(crate) from_label: &'a str,
    pub(crate) language: Language,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Changes {
    pub(crate) standards: Vec<StandardChange>,
    pub(crate) params: Vec<ValueChange>,
    pub(crate) targets: Vec<ValueChange>,
}

impl Changes {}

/// Compares a release with the one before it (`None` for the first release: every
/// standard is added), its values worded as `reading` says.
pub(crate) fn compare(old: Option<&Snapshot>, new: &Snapshot, reading: Reading) -> Changes {
    let Reading { from_label, language } = reading;
    let empty = Snapshot::default();
    let old = old.unwrap_or(&empty);
    let mut out = Changes::default();
    for (id, n) in &new.standards {
        match old.standards.get(id) {
            None => out.standards.push(StandardChange {
                kind: Kind::Added,
                id: id.clone(),
                title: n.title.clone(),
                url: n.url.clone(),
                redline: false,
            }),
            Some(o) => {
                let text_changed = o.blocks != n.blocks;
                let kind = if n.retired && !o.retired {
                    Some(Kind::Retired)
                } else if text_changed || o.retired != n.retired {
                    Some(Kind::Changed)
                } else {
                    None
                };
                if let Some(kind) = kind {
                    out.standards.push(StandardChange {
                        kind,
                        id: id.clone(),
                        title: n.title.clone(),
                        url: n.url.clone(),
                        redline: text_changed,
                    });
                }
            }
        }
    }
    for (id, o) in &old.standards {
        if !new.standards.contains_key(id) {
            out.standards.push(StandardChange {
                kind: Kind::Removed,
                id: id.clone(),
                title: o.title.clone(),
                url: o.url.clone(),
                redline: false,
            });
        }
    }
    out.standards.sort_by(|a, b| (a.kind, &a.title, &a.id).cmp(&(b.kind, &b.title, &b.id)));

    if let (Some(od), Some(nd)) = (old.data, new.data) {
        // Parameters customers saw in either release whose value or unit changed.
        for id in old.public_params.union(&new.public_params) {
            let (Some(o), Some(n)) = (od.params.get(id), nd.params.get(id)) else { continue };
            if o.value != n.value || o.unit != n.unit {
                // An older release may not have had the language's words yet: its value
                // reads in the newer one's unit where the unit itself is unchanged.
                let words = if o.unit == n.unit && o.words.missing("unit", language).is_some() { n } else { o };
                let old = words.value_in(&o.value, language);
                out.params.push(ValueChange {
                    label: n.label_in(language).to_string(),
                    since: None,
                    old,
                    new: n.display_in(language),
                });
            }
        }
        // Targets of public KPIs: every month whose target in force differs.
        for (id, nk) in nd.kpis.iter().filter(|(_, k)| k.public) {
            let Some(ok) = od.kpis.get(id) else { continue };
            // The old targets read in the newer words where the older release lacks them.
            let same = ok.unit == nk.unit && ok.direction == nk.direction;
            let old_words = if same && ok.words.missing("unit", language).is_some() { nk } else { ok };
            let months: BTreeSet<_> = ok.targets.iter().chain(&nk.targets).map(|t| t.from).collect();
            for m in months {
                let before = crate::compute::kpi::target_in_force(ok, m);
                let after = crate::compute::kpi::target_in_force(nk, m);
                let changed = match (before, after) {
                    (Some(a), Some(b)) => (a - b).abs() > 1e-12,
                    (None, None) => false,
                    _ => true,
                };
                // Report only where the new list itself changes or the old one did.
                let boundary = nk.targets.iter().any(|t| t.from == m) || ok.targets.iter().any(|t| t.from == m);
                if changed && boundary {
                    let show = |v: Option<f64>, k| {
                        v.map_or_else(|| from_label.replace("{m}", "—"), |v| format_target_in(k, v, language))
                    };
                    out.targets.push(ValueChange {
                        label: nk.name_in(language).to_string(),
                        since: Some(from_label.replace("{m}", &m.to_string())),
                        old: show(before, old_words),
                        new: show(after, nk),
                    });
                }
            }
        }
    }
    out
}

pub(crate) fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// One entry of the releases feed.
pub(crate) struct FeedEntry {
    pub(crate) date: crate::base::date::Date,
    pub(crate) title: String,
    pub(crate) summary: String,
    /// Absolute URL of the release's changelog page.
    pub(crate) url: String,
}

/// An Atom feed of releases, newest first, by `author` (RFC 4287 wants a feed-level
/// author when entries have none). `base_url` must be absolute for readers to follow
/// the links; timestamps are the release dates at midnight UTC.
pub(crate) fn atom(title: &str, author: &str, base_url: &str, entries: &[FeedEntry]) -> String {
    let updated = entries.first().map_or_else(|| "1970-01-01".to_string(), |e| e.date.to_string());
    let mut x =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    x.push_str(&format!("  <author><name>{}</name></author>\n", xml_escape(author)));
    x.push_str(&format!("  <id>{}changelog/</id>\n", xml_escape(base_url)));
    x.push_str(&format!("  <link rel=\"self\" href=\"{}feed.xml\"/>\n", xml_escape(base_url)));
    x.push_str(&format!("  <link href=\"{}changelog/\"/>\n", xml_escape(base_url)));
    x.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n"));
    for e in entries {
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n", xml_escape(&e.title)));
        x.push_str(&format!("    <id>{}</id>\n", xml_escape(&e.url)));
        x.push_str(&format!("    <link href=\"{}\"/>\n", xml_escape(&e.url)));
        x.push_str(&format!("    <updated>{}T00:00:00Z</updated>\n", e.date));
        x.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&e.summary)));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::date::YearMonth;
    use crate::base::diagnostics::Pos;
    use crate::compute::blocks::Kind as BlockKind;
    use crate::load::data::{Direction, Form, Param, ParamValue, Wording, Words};

    /// A field written `{zh-CN: zh, en: en}` (or `en: [en, plural]`).
    fn both(zh: &str, en: &str, plural: Option<&str>) -> Option<Words> {
        let form = |language, text: &str, plural: Option<&str>| Form {
            language,
            text: text.into(),
            plural: plural.map(Into::into),
            pos: Pos::FILE,
        };
        Some(Words { pos: Pos::FILE, forms: vec![form(Language::ZhCn, zh, None), form(Language::En, en, plural)] })
    }

    fn std_snap(id: &str, title: &str, text: &str, retired: bool) -> (String, StandardSnap) {
        (
            id.into(),
            StandardSnap {
                id: id.into(),
                title: title.into(),
                url: format!("standards/{id}/"),
                retired,
                blocks: vec![Block::text(BlockKind::Heading(1), title), Block::text(BlockKind::Paragraph, text)],
                own_words: true,
            },
        )
    }

    fn param(id: &str, v: f64, unit: &str, label: &str) -> (String, Param) {
        (
            id.into(),
            Param {
                id: id.into(),
                value: ParamValue::Number(v),
                history: Vec::new(),
                unit: unit.into(),
                label: label.into(),
                description: None,
                words: {
                    let mut w = Wording::default();
                    w.insert("unit", both(unit, "hour", Some("hours")));
                    w.insert("label", both(label, "Complaints about product quality", None));
                    w
                },
                pos: Pos::FILE,
            },
        )
    }

    #[test]
    fn every_kind_of_change_is_listed() {
        let mut od = Data::default();
        let mut nd = Data::default();
        od.params.extend([param("quality", 48.0, "小时", "产品质量类投诉"), param("secret", 20.0, "%", "内部扣减")]);
        nd.params.extend([param("quality", 36.0, "小时", "产品质量类投诉"), param("secret", 15.0, "%", "内部扣减")]);
        let mut sat = crate::compute::kpi::tests::kpi(Direction::Higher, (1.0, 5.0), &[("2025-01", 4.0)], 0.0);
        sat.name = "客户满意度".into();
        // The older release's data was written before the English words were.
        let mut zh_only = both("分", "", None);
        zh_only.as_mut().unwrap().forms.truncate(1);
        sat.words.insert("unit", zh_only.clone());
        od.kpis.insert("k".into(), sat.clone());
        zh_only.as_mut().unwrap().forms[0].text = "小时".into();
        od.params.get_mut("quality").unwrap().words.insert("unit", zh_only);
        sat.words.insert("name", both("客户满意度", "Customer satisfaction", None));
        sat.words.insert("unit", both("分", "point", Some("points")));
        sat.targets.push(crate::load::data::Target { from: YearMonth::parse("2026-01").unwrap(), value: 4.2 });
        nd.kpis.insert("k".into(), sat);
        let old = Snapshot {
            standards: [
                std_snap("a", "投诉处理", "48 小时", false),
                std_snap("phone", "电话服务", "旧", false),
                std_snap("gone", "旧标准", "x", false),
            ]
            .into(),
            public_params: ["quality".to_string()].into(),
            data: Some(&od),
            urls: BTreeSet::new(),
        };
        let new = Snapshot {
            standards: [
                std_snap("a", "投诉处理", "36 小时", false),
                std_snap("phone", "电话服务", "旧", true),
                std_snap("new", "线上服务", "y", false),
            ]
            .into(),
            public_params: ["quality".to_string()].into(),
            data: Some(&nd),
            urls: BTreeSet::new(),
        };
        let c = compare(Some(&old), &new, Reading { from_label: "自 {m} 起", language: Language::ZhCn });
        let kinds: Vec<(Kind, &str)> = c.standards.iter().map(|s| (s.kind, s.id.as_str())).collect();
        assert_eq!(
            kinds,
            vec![(Kind::Added, "new"), (Kind::Changed, "a"), (Kind::Retired, "phone"), (Kind::Removed, "gone")]
        );
        assert!(c.standards[1].redline && !c.standards[2].redline);
        assert_eq!(
            c.params,
            vec![ValueChange {
                label: "产品质量类投诉".into(),
                since: None,
                old: "48 小时".into(),
                new: "36 小时".into()
            }]
        );
        assert_eq!(
            c.targets,
            vec![ValueChange {
                label: "客户满意度".into(),
                since: Some("自 2026-01 起".into()),
                old: "≥ 4 分".into(),
                new: "≥ 4.2 分".into()
            }]
        );
        // The same release read in English: the data's English words, numbers unchanged;
        // the older release's values in the newer release's words for their unit.
        let en = compare(Some(&old), &new, Reading { from_label: "from {m}", language: Language::En });
        let line = |v: &ValueChange| (v.label.clone(), v.since.clone(), v.old.clone(), v.new.clone());
        assert_eq!(
            en.params.iter().map(line).collect::<Vec<_>>(),
            [("Complaints about product quality".into(), None, "48 hours".into(), "36 hours".into())]
        );
        assert_eq!(
            en.targets.iter().map(line).collect::<Vec<_>>(),
            [("Customer satisfaction".into(), Some("from 2026-01".into()), "≥ 4 points".into(), "≥ 4.2 points".into())]
        );
    }

    #[test]
    fn first_release_adds_everything_and_feed_is_escaped() {
        let new = Snapshot { standards: [std_snap("a", "A", "t", false)].into(), ..Snapshot::default() };
        let reading = Reading { from_label: "{m}", language: Language::ZhCn };
        assert_eq!(compare(None, &new, reading).standards[0].kind, Kind::Added);
        let feed = atom(
            "手册 & 更新",
            "服务中心 <质量部>",
            "https://x.example/",
            &[FeedEntry {
                date: crate::base::date::Date::parse("2026-01-01").unwrap(),
                title: "<2>".into(),
                summary: "a&b".into(),
                url: "https://x.example/changelog/2/".into(),
            }],
        );
        assert!(feed.contains("<title>手册 &amp; 更新</title>") && feed.contains("<title>&lt;2&gt;</title>"));
        assert!(feed.contains("<updated>2026-01-01T00:00:00Z</updated>"));
        assert!(feed.contains("<author><name>服务中心 &lt;质量部&gt;</name></author>"), "{feed}");
        roxmltree_free_check(&feed);
    }

    /// The feed is well-formed enough for a strict reader: balanced entries.
    fn roxmltree_free_check(feed: &str) {
        assert_eq!(feed.matches("<entry>").count(), feed.matches("</entry>").count());
        assert!(feed.starts_with("<?xml") && feed.trim_end().ends_with("</feed>"));
    }
}
