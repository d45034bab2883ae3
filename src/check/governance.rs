//! Governance of the handbook: pages of the governed sections (`governed:` in
//! charter.yaml, `standards/` by default) past their review date or without an owner,
//! the review schedule of the next 30 days, and pages no other page links to.
//!
//! Pure functions of the pages, their links and the build date (never the clock).
//! Overdue reviews and owner-less standards are warnings (errors with `--strict`);
//! the schedule and unlinked pages are listed on the internal governance page.

use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostics, Pos, Unknown};
use crate::formats::yaml::Spanned;
use crate::load::config::CONFIG_FILE;
use crate::load::content::{Page, PageKind, Status};

/// How far ahead "due for review" looks.
const DUE_WITHIN_DAYS: i64 = 30;

/// What the governance page lists, as page indices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Review {
    /// (page, days overdue), most overdue first.
    pub(crate) overdue: Vec<(usize, i64)>,
    /// (page, days left), soonest first.
    pub(crate) due_soon: Vec<(usize, i64)>,
    pub(crate) without_owner: Vec<usize>,
    /// Published pages (not section indexes) that no other page links to.
    pub(crate) unlinked: Vec<usize>,
    /// Translations older than their sources, not saying what they translate, or
    /// missing (`check::translations`).
    pub(crate) translations: Vec<crate::check::translations::Row>,
}

/// The sections a site governs (`governed:` in charter.yaml): their pages need an
/// owner and keep review dates. Pages elsewhere (policies, FAQs, onboarding) are not
/// checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Governed<'a>(pub(crate) &'a [Spanned<String>]);

impl Governed<'_> {
    /// Whether `p` is an active page (or section index) inside a governed section.
    fn holds(&self, p: &Page) -> bool {
        let inside = |g: &str| g.is_empty() || p.section == g || p.section.starts_with(&format!("{g}/"));
        p.status == Status::Active && !p.generated && self.0.iter().any(|g| inside(&g.value))
    }
}

/// Warnings for governed pages past their review date and governed pages without an
/// owner; a `governed:` entry that names no section is an error at it.
pub(crate) fn check(pages: &[Page], governed: Governed, today: Date, diags: &mut Diagnostics) {
    for g in governed.0.iter().filter(|g| g.pos != Pos::FILE && !g.value.is_empty()) {
        if !pages.iter().any(|p| p.is_index() && p.section == g.value) {
            let why = Some("there is no such folder under content/");
            let u = Unknown { code: "unknown-section", what: "section", id: &g.value, field: Some("governed"), why };
            diags.unknown(CONFIG_FILE, g.pos, u, pages.iter().filter(|p| p.is_index()).map(|p| p.section.as_str()));
        }
    }
    for p in pages.iter().filter(|p| governed.holds(p)) {
        if let Some(r) = p.review_by {
            if r < today {
                let days = today.to_unix_days() - r.to_unix_days();
                diags.warning(
                    &p.source,
                    p.review_by_pos,
                    "review-overdue",
                    format!("review was due on {r}, {days} days ago"),
                );
                diags.with_help("review the page, then move `review_by` to the next review date");
            }
        }
        if !p.is_index() && p.owner.is_none() {
            let what = if p.kind == PageKind::Standard {
                "standard".to_string()
            } else {
                format!("page in governed section `{}`", p.section)
            };
            let message = format!("{what} has no `owner`: name the role responsible for it");
            diags.warning(&p.source, Pos::new(1, 1), "missing-owner", message);
        }
    }
}

/// The review schedule and unlinked pages. `links[i]` are the pages page `i` links to.
pub(crate) fn review(pages: &[Page], governed: Governed, links: &[Vec<usize>], today: Date) -> Review {
    let mut out = Review::default();
    let day = today.to_unix_days();
    for (i, p) in pages.iter().enumerate().filter(|(_, p)| governed.holds(p)) {
        if let Some(r) = p.review_by {
            let left = r.to_unix_days() - day;
            if left < 0 {
                out.overdue.push((i, -left));
            } else if left <= DUE_WITHIN_DAYS {
                out.due_soon.push((i, left));
            }
        }
        if !p.is_index() && p.owner.is_none() {
            out.without_owner.push(i);
        }
    }
    out.overdue.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.due_soon.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut linked = vec![false; pages.len()];
    for (from, targets) in links.iter().enumerate() {
        for &t in targets {
            if t != from {
                linked[t] = true;
            }
        }
    }
    out.unlinked =
        (0..pages.len()).filter(|&i| !linked[i] && pages[i].status != Status::Draft && !pages[i].is_index()).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::{parse_page, Tiers};

    fn page(rel: &str, fm: &str) -> Page {
        let mut d = Diagnostics::new();
        parse_page(rel, &format!("---\ntitle: T\n{fm}---\n"), &Tiers::default(), &mut d).unwrap()
    }

    #[test]
    fn overdue_and_due_soon_by_hand() {
        let today = Date::parse("2026-11-23").unwrap();
        let pages = vec![
            page("standards/a.md", "owner: x\nreview_by: 2026-11-01\n"), // 22 days overdue
            page("standards/b.md", "owner: x\nreview_by: 2026-12-23\n"), // 30 days left
            page("standards/c.md", "owner: x\nreview_by: 2026-12-24\n"), // 31: not yet
            page("standards/d.md", "review_by: 2026-11-22\n"),           // 1 day overdue, no owner
            page("standards/e.md", "owner: x\nstatus: retired\nreview_by: 2020-01-01\n"),
        ];
        let mut d = Diagnostics::new();
        let standards = [Spanned { value: "standards".to_string(), pos: Pos::FILE }];
        check(&pages, Governed(&standards), today, &mut d);
        let msgs: Vec<String> =
            d.into_sorted().iter().map(|d| format!("{}:{} {} {}", d.path, d.pos.line, d.code, d.message)).collect();
        assert_eq!(
            msgs,
            vec![
                "content/standards/a.md:4 review-overdue review was due on 2026-11-01, 22 days ago",
                "content/standards/d.md:1 missing-owner standard has no `owner`: name the role responsible for it",
                "content/standards/d.md:3 review-overdue review was due on 2026-11-22, 1 days ago",
            ]
        );
        let links = vec![vec![1], vec![0], vec![], vec![], vec![]];
        let r = review(&pages, Governed(&standards), &links, today);
        assert_eq!(r.overdue, vec![(0, 22), (3, 1)]);
        assert_eq!(r.due_soon, vec![(1, 30)]);
        assert_eq!(r.without_owner, vec![3]);
        assert_eq!(r.unlinked, vec![2, 3, 4]);
    }

    #[test]
    fn only_governed_sections_need_owners_and_reviews() {
        let today = Date::parse("2026-11-23").unwrap();
        let pages = vec![
            page(
                "faq/a.md",
                "review_by: 2026-01-01
",
            ),
            page("policies/_index.md", ""),
            page(
                "policies/leave.md",
                "review_by: 2026-01-01
",
            ),
            page("policies/travel/trains.md", ""),
            page("standards/s.md", ""),
        ];
        let governed = [
            Spanned { value: "policies".to_string(), pos: Pos::new(3, 5) },
            Spanned { value: "polices".to_string(), pos: Pos::new(4, 5) },
        ];
        let mut d = Diagnostics::new();
        check(&pages, Governed(&governed), today, &mut d);
        let msgs: Vec<String> = d
            .into_sorted()
            .iter()
            .map(|d| format!("{}:{} {} {} {:?}", d.path, d.pos.line, d.code, d.message, d.help))
            .collect();
        assert_eq!(
            msgs,
            vec![
                "charter.yaml:4 unknown-section `governed`: unknown section `polices`: there is no such folder under content/ Some(\"did you mean `policies`?\")",
                "content/policies/leave.md:1 missing-owner page in governed section `policies` has no `owner`: name the role responsible for it None",
                "content/policies/leave.md:3 review-overdue review was due on 2026-01-01, 326 days ago Some(\"review the page, then move `review_by` to the next review date\")",
                "content/policies/travel/trains.md:1 missing-owner page in governed section `policies/travel` has no `owner`: name the role responsible for it None",
            ]
        );
        let r = review(&pages, Governed(&[]), &[vec![], vec![], vec![], vec![], vec![]], today);
        assert!(r.overdue.is_empty() && r.without_owner.is_empty());
    }
}
