//! Pure computations on loaded sources: KPI arithmetic, report maths (as-of
//! evaluation, roll-ups, scores, ranks, streaks, complaint compliance, NPS) and their
//! results for one build (`computed`), what the reports cannot show (`report_gaps`),
//! the comparison of two releases and redlines.
//!
//! No I/O and no clock: the build date is passed in. It must not render; it uses only
//! `base`, `formats` and `load`.

pub mod changelog;
pub mod complaints;
pub mod computed;
pub mod diff;
pub mod kpi;
pub mod report;
pub mod report_gaps;
pub mod scores;
