//! The lookups report pages make per person, team and month — a person's or team's
//! name, a team's members, a subject's score rows, a month's score rows — answered
//! from indexes built once per build, so that rendering a page per person costs the
//! same at 50,000 people as at 50. Scanning the organisation or every score row per
//! page made the reports grow with the square of the headcount.
//!
//! Pure: built from the service data and the sorted score rows. The hash maps are only
//! looked into, never walked, so no hash order reaches the output; every list keeps the
//! order of its source (people in `data/org.yaml` order, score rows in `scores` order).
//!
//! Unit tests count the work: every lookup adds one probe plus one per item it hands
//! back, and a scan the code still has to do adds one per item it looks at
//! ([`Lookup::probes`]), so a test can assert the work grows with the input, not its
//! square.

use rustc_hash::FxHashMap;

use crate::base::date::YearMonth;
use crate::compute::scores::ScoreRow;
use crate::load::data::{Data, Person, Team};

/// Indexes over the organisation and the score rows, built once per build.
#[derive(Default)]
pub(crate) struct Lookup {
    /// Person id → index into `data.org.people` (the first, should an id repeat).
    people: FxHashMap<String, usize>,
    /// Team id → index into `data.org.teams`.
    teams: FxHashMap<String, usize>,
    /// Team id → indices of its members, in `data.org.people` order.
    members: FxHashMap<String, Vec<usize>>,
    /// Subject id → indices of its score rows, in `scores` order.
    by_subject: FxHashMap<String, Vec<usize>>,
    /// Month → indices of its score rows, in `scores` order.
    by_period: FxHashMap<YearMonth, Vec<usize>>,
    /// Work done by lookups (unit tests only).
    #[cfg(test)]
    probes: std::sync::atomic::AtomicUsize,
}

impl Lookup {
    pub(crate) fn new(data: &Data, scores: &[ScoreRow]) -> Lookup {
        let mut l = Lookup::default();
        for (i, p) in data.org.people.iter().enumerate() {
            l.people.entry(p.id.clone()).or_insert(i);
            l.members.entry(p.team.value.clone()).or_default().push(i);
        }
        for (i, t) in data.org.teams.iter().enumerate() {
            l.teams.entry(t.id.clone()).or_insert(i);
        }
        for (i, r) in scores.iter().enumerate() {
            l.by_subject.entry(r.subject.clone()).or_default().push(i);
            l.by_period.entry(r.period).or_default().push(i);
        }
        l
    }

    /// Counts `n` units of work (unit tests only; nothing otherwise).
    #[inline]
    pub(crate) fn probe(&self, n: usize) {
        #[cfg(test)]
        self.probes.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        #[cfg(not(test))]
        let _ = n;
    }

    /// The work counted so far.
    #[cfg(test)]
    pub(crate) fn probes(&self) -> usize {
        self.probes.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn person<'d>(&self, data: &'d Data, id: &str) -> Option<&'d Person> {
        self.probe(1);
        self.people.get(id).map(|&i| &data.org.people[i])
    }

    pub(crate) fn team<'d>(&self, data: &'d Data, id: &str) -> Option<&'d Team> {
        self.probe(1);
        self.teams.get(id).map(|&i| &data.org.teams[i])
    }

    /// The members of team `id`, in `data/org.yaml` order.
    pub(crate) fn members<'d>(&self, data: &'d Data, id: &str) -> Vec<&'d Person> {
        let at = self.members.get(id).map_or(&[][..], Vec::as_slice);
        self.probe(1 + at.len());
        at.iter().map(|&i| &data.org.people[i]).collect()
    }

    /// How many members team `id` has.
    pub(crate) fn member_count(&self, id: &str) -> usize {
        self.probe(1);
        self.members.get(id).map_or(0, Vec::len)
    }

    /// The score rows of `subject` on scorecard `card`, oldest month first.
    pub(crate) fn subject_scores<'s>(&self, scores: &'s [ScoreRow], card: usize, subject: &str) -> Vec<&'s ScoreRow> {
        let at = self.by_subject.get(subject).map_or(&[][..], Vec::as_slice);
        self.probe(1 + at.len());
        at.iter().map(|&i| &scores[i]).filter(|r| r.scorecard == card).collect()
    }

    /// The score rows of `period`, in `scores` order (scorecard, kind, rank, subject).
    pub(crate) fn period_scores<'s>(&self, scores: &'s [ScoreRow], period: YearMonth) -> Vec<&'s ScoreRow> {
        let at = self.by_period.get(&period).map_or(&[][..], Vec::as_slice);
        self.probe(1 + at.len());
        at.iter().map(|&i| &scores[i]).collect()
    }
}
