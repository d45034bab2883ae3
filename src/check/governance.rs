//! Governance of the handbook: standards past their review date, standards without an
//! owner, the review schedule of the next 30 days, and pages no other page links to.
//!
//! Pure functions of the pages, their links and the build date (never the clock).
//! Overdue reviews and owner-less standards are warnings (errors with `--strict`);
//! the schedule and unlinked pages are listed on the internal governance page.

use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostics, Pos};
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
}

fn governed(p: &Page) -> bool {
    p.status == Status::Active && !p.generated
}

/// Warnings for standards past their review date and standards without an owner.
pub(crate) fn check(pages: &[Page], today: Date, diags: &mut Diagnostics) {
    for p in pages.iter().filter(|p| governed(p)) {
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
        if p.kind == PageKind::Standard && p.owner.is_none() {
            diags.warning(
                &p.source,
                Pos::new(1, 1),
                "missing-owner",
                "standard has no `owner`: name the role responsible for it",
            );
        }
    }
}

/// The review schedule and unlinked pages. `links[i]` are the pages page `i` links to.
pub(crate) fn review(pages: &[Page], links: &[Vec<usize>], today: Date) -> Review {
    let mut out = Review::default();
    let day = today.to_unix_days();
    for (i, p) in pages.iter().enumerate().filter(|(_, p)| governed(p)) {
        if let Some(r) = p.review_by {
            let left = r.to_unix_days() - day;
            if left < 0 {
                out.overdue.push((i, -left));
            } else if left <= DUE_WITHIN_DAYS {
                out.due_soon.push((i, left));
            }
        }
        if p.kind == PageKind::Standard && p.owner.is_none() {
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
    use crate::load::content::{parse_page, Audience};

    fn page(rel: &str, fm: &str) -> Page {
        let mut d = Diagnostics::new();
        parse_page(rel, &format!("---\ntitle: T\n{fm}---\n"), Audience::Internal, &mut d).unwrap()
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
        check(&pages, today, &mut d);
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
        let r = review(&pages, &links, today);
        assert_eq!(r.overdue, vec![(0, 22), (3, 1)]);
        assert_eq!(r.due_soon, vec![(1, 30)]);
        assert_eq!(r.without_owner, vec![3]);
        assert_eq!(r.unlinked, vec![2, 3, 4]);
    }
}
