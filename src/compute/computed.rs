//! The results of the "compute reports" build step, computed once per build from the
//! service data and measurements: every KPI series rolled up to each subject, scorecard
//! results, the months reported, complaint compliance and NPS. The report pages read
//! them; nothing here knows how they are shown. The [`Lookup`] indexes answer what
//! the pages look up per person, team and month.

use std::collections::BTreeMap;

use crate::base::date::{Date, YearMonth};
use crate::compute::lookup::Lookup;
use crate::compute::report::{self, ComplaintCell, Nps, Overdue, ScoreRow, Series};
use crate::load::data::Data;
use crate::load::measure::{series, Measurements};

/// Everything the report pages show, computed once per build.
pub(crate) struct Computed {
    pub(crate) series: BTreeMap<(String, String), Series>,
    pub(crate) scores: Vec<ScoreRow>,
    pub(crate) periods: Vec<YearMonth>,
    /// Each month as of the end of its [`report::as_of`] day.
    pub(crate) complaints: BTreeMap<(usize, YearMonth), ComplaintCell>,
    /// Per month, how many complaints were open past their limit at the end of its
    /// as-of day.
    pub(crate) open_counts: BTreeMap<YearMonth, usize>,
    /// Those open past their limit at the end of the build date, most overdue first.
    pub(crate) open_latest: Vec<Overdue>,
    pub(crate) team_nps: BTreeMap<(usize, YearMonth), Nps>,
    pub(crate) org_nps: BTreeMap<YearMonth, Nps>,
    pub(crate) today: Date,
    /// Names, members and score rows by person, team and month.
    pub(crate) lookup: Lookup,
}

impl Computed {
    pub(crate) fn new(data: &Data, m: &Measurements, today: Date) -> Computed {
        let series = report::roll_up(data, m);
        let scores = report::scores(data, &series);
        let periods = report::periods(m, today);
        let compliance = match &m.complaint_summary {
            Some(summary) => report::summary_compliance(&m.complaint_types, summary, &periods, today),
            None => report::complaint_compliance(&m.complaint_types, &m.complaints, &periods, today),
        };
        let (team_nps, org_nps) = report::nps_by_team(m);
        let lookup = Lookup::new(data, &scores);
        Computed {
            series,
            scores,
            periods,
            complaints: compliance.cells,
            open_counts: compliance.open_counts,
            open_latest: compliance.open_latest,
            team_nps,
            org_nps,
            today,
            lookup,
        }
    }

    /// The newest month reported, if any.
    pub(crate) fn latest(&self) -> Option<YearMonth> {
        self.periods.last().copied()
    }

    /// How many complaints were open past their limit at the end of `period`'s as-of day.
    pub(crate) fn open_past_limit(&self, period: YearMonth) -> usize {
        self.open_counts.get(&period).copied().unwrap_or(0)
    }

    /// The score rows of `subject` on scorecard `card`, oldest month first.
    pub(crate) fn subject_scores(&self, card: usize, subject: &str) -> Vec<&ScoreRow> {
        self.lookup.subject_scores(&self.scores, card, subject)
    }

    /// The score rows of `period`, by scorecard, kind, rank and subject.
    pub(crate) fn period_scores(&self, period: YearMonth) -> Vec<&ScoreRow> {
        self.lookup.period_scores(&self.scores, period)
    }

    /// The series of `kpi` for `subject`, if it has one: for a page that reads many of
    /// its months, one lookup instead of one per month.
    pub(crate) fn series_of(&self, kpi: &str, subject: &str) -> Option<&Series> {
        self.lookup.probe(1);
        series(&self.series, kpi, subject)
    }

    /// The value of `kpi` for `subject` in `month`, if there is one.
    pub(crate) fn value(&self, kpi: &str, subject: &str, month: YearMonth) -> Option<f64> {
        self.lookup.probe(1);
        series(&self.series, kpi, subject).and_then(|s| s.get(&month)).copied()
    }

    /// Whether `kpi` has a series for `subject`.
    pub(crate) fn has(&self, kpi: &str, subject: &str) -> bool {
        self.lookup.probe(1);
        series(&self.series, kpi, subject).is_some()
    }
}
