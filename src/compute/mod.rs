//! Pure computations on loaded sources: KPI arithmetic, report maths (as-of
//! evaluation, roll-ups, scores, ranks, streaks, complaint compliance, NPS) and their
//! results for one build (`computed`, with the `lookup` indexes report pages read), what the reports cannot show (`report_gaps`),
//! the comparison of two releases, and redlines (`redline`, on the token and sequence
//! diffs of `diff`) over the [`blocks`] model of what readers read, which
//! `markdown::blocks` produces from rendered pages (compute parses no HTML).
//!
//! No I/O and no clock: the build date is passed in. It must not render; it uses only
//! `base`, `formats` and `load`.

pub(crate) mod blocks;
pub(crate) mod changelog;
pub(crate) mod complaints;
pub(crate) mod computed;
pub(crate) mod diff;
pub(crate) mod kpi;
pub(crate) mod lookup;
pub(crate) mod redline;
pub(crate) mod report;
pub(crate) mod report_gaps;
pub(crate) mod scores;
