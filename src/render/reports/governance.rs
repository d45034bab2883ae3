//! The governance page (`governance/`) of each site behind sign-in.

use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::check::governance::Review;
use crate::markdown::links::relative_url;
use crate::render::{home_crumb, Inputs, Link, View};

use super::{cell, render, role_link, Cell, PageHead, Report, Section, Table};

/// The translations that are older than their originals, do not say what they
/// translate, or are missing, of the pages this site publishes.
fn translations(review: &Review, url: &str, inputs: &Inputs, here: &dyn Fn(usize) -> bool) -> Section {
    use crate::check::translations::State;
    let (ui, pages) = (inputs.env.ui, inputs.pages);
    let rows = review
        .translations
        .iter()
        .filter(|r| here(r.page))
        .map(|r| {
            let (state, class) = match r.state {
                State::Stale => (ui.translation_stale, Some("status-missed")),
                State::Unmarked => (ui.translation_unmarked, Some("status-warning")),
                State::Missing => (ui.translation_missing, None),
            };
            let page = &pages[r.page];
            vec![
                Cell { text: page.title.clone(), class: None, url: Some(relative_url(url, &page.url)) },
                cell(r.language.own_name().to_string()),
                Cell { text: state.to_string(), class, url: None },
            ]
        })
        .collect();
    let head = [ui.page_title, ui.language, ui.translation_state].map(String::from).into();
    Section {
        id: "translations".into(),
        heading: ui.translations.to_string(),
        intro: Some(ui.translations_intro.to_string()),
        table: Some(Table { caption: ui.translations.to_string(), head, rows }),
        ..Section::default()
    }
}

/// The internal governance page: reviews overdue and due within 30 days (with owners),
/// standards without an owner, and pages no other page links to.
pub(crate) fn governance_page(view: &View, inputs: &Inputs, review: &Review) -> Result<Vec<OutputFile>, Diagnostics> {
    let ui = inputs.env.ui;
    let url = "governance/";
    let pages = inputs.pages;
    let title_cell =
        |i: usize| Cell { text: pages[i].title.clone(), class: None, url: Some(relative_url(url, &pages[i].url)) };
    let owner_cell = |i: usize| match &pages[i].owner {
        Some(o) => role_link(pages, url, &o.value),
        None => Cell { text: ui.none.to_string(), class: Some("status-missed"), url: None },
    };
    let date_cell = |i: usize| cell(pages[i].review_by.map(|d| d.to_string()).unwrap_or_default());
    let head: Vec<String> = [ui.page_title, ui.owner, ui.review_by, ui.days].map(String::from).into();
    // One row a page: title, owner, review date and the days overdue or left.
    let rows = |due: &[(usize, i64)], days_text: &str, class: &'static str| -> Vec<Vec<Cell>> {
        let days = |n: i64| Cell { text: days_text.replace("{n}", &n.to_string()), class: Some(class), url: None };
        due.iter().map(|&(i, n)| vec![title_cell(i), owner_cell(i), date_cell(i), days(n)]).collect()
    };
    // The review covers every tier's pages: each site lists those it publishes.
    let here = |i: usize| crate::check::validate::published_in(&pages[i], view.audience);
    let mine = |due: &[(usize, i64)]| due.iter().copied().filter(|&(i, _)| here(i)).collect::<Vec<_>>();
    let overdue = rows(&mine(&review.overdue), ui.overdue_days, "status-missed");
    let soon = rows(&mine(&review.due_soon), ui.days_left, "status-warning");
    let without_owner: Vec<usize> = review.without_owner.iter().copied().filter(|&i| here(i)).collect();
    let list = |items: &[usize]| {
        items
            .iter()
            .filter(|&&i| here(i))
            .map(|&i| Link { title: pages[i].title.clone(), url: relative_url(url, &pages[i].url) })
            .collect::<Vec<_>>()
    };
    let mut sections = vec![
        Section {
            id: "overdue".into(),
            heading: ui.review_overdue.to_string(),
            table: Some(Table { caption: ui.review_overdue.to_string(), head: head.clone(), rows: overdue }),
            ..Section::default()
        },
        Section {
            id: "due-soon".into(),
            heading: ui.review_due_soon.to_string(),
            table: Some(Table { caption: ui.review_due_soon.to_string(), head, rows: soon }),
            ..Section::default()
        },
        Section {
            id: "no-owner".into(),
            heading: ui.without_owner.to_string(),
            intro: without_owner.is_empty().then(|| ui.none.to_string()),
            links: list(&without_owner),
            ..Section::default()
        },
        Section {
            id: "unlinked".into(),
            heading: ui.unlinked_pages.to_string(),
            intro: Some(ui.unlinked_intro.to_string()),
            links: list(&review.unlinked),
            ..Section::default()
        },
    ];
    if !review.translations.is_empty() {
        sections.push(translations(review, url, inputs, &here));
    }
    let report = Report { as_of: inputs.env.today.to_string(), sections, ..Report::default() };
    let crumbs = home_crumb(view, inputs, url);
    render(view, inputs, url, PageHead { title: ui.governance, summary: Some(ui.governance_intro), crumbs }, &report)
}
