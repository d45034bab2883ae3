//! Who reads people's figures: a build whose reports rank people, with no tier above
//! `internal` and no `reports.people` saying so, publishes every person's score, rank
//! and failing streak to every employee. That is allowed, but never by accident: it is
//! a warning until the configuration says which it means.

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::compute::computed::Computed;
use crate::load::audience::Family;
use crate::load::config::{Config, CONFIG_FILE};
use crate::load::content::Audience;
use crate::load::data::Data;
use crate::load::measure::SubjectKind;

/// Warns when people's figures would reach every employee without the configuration
/// saying so.
pub(crate) fn people_figures(config: &Config, data: &Data, c: &Computed, diags: &mut Diagnostics) {
    let reports = &config.reports;
    if reports.named(Family::People) || reports.tier(Family::People) > Audience::INTERNAL {
        return;
    }
    // Everyone scored or measured, gathered once (not a walk of every series per person).
    let mut seen: std::collections::BTreeSet<&str> =
        c.scores.iter().filter(|r| r.kind == SubjectKind::Person).map(|r| r.subject.as_str()).collect();
    seen.extend(c.series.keys().map(|(_, s)| s.as_str()));
    let measured = data.org.people.iter().filter(|p| seen.contains(p.id.as_str()));
    let n = measured.count();
    if n == 0 {
        return;
    }
    diags.warning(
        CONFIG_FILE,
        Pos::FILE,
        "people-figures-to-all",
        format!(
            "the reports show {} own figures (scores, ranks, failing streaks) to every employee: no tier above `internal` is declared",
            if n == 1 { "1 person's".to_string() } else { format!("{n} people's") }
        ),
    );
    diags.with_help(
        "add `audiences: [public, internal, managers]` to publish people's pages to managers only, \
         or `reports: {people: internal}` to say every employee may read them",
    );
}
