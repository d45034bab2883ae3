//! Where a site keeps each kind of source, relative to its root. The loaders read
//! these files; diagnostics use the list to print the errors of files that refer to
//! others (measurements) after those of the files they refer to (definitions).

pub(crate) const DATA_DIR: &str = "data";
pub(crate) const PARAMS_FILE: &str = "data/params.yaml";
pub(crate) const KPIS_FILE: &str = "data/kpis.yaml";
pub(crate) const SCORECARDS_FILE: &str = "data/scorecards.yaml";
pub(crate) const ORG_FILE: &str = "data/org.yaml";

pub(crate) const METRICS_DIR: &str = "data/metrics";
pub(crate) const COMPLAINT_TYPES_FILE: &str = "data/complaint_types.yaml";
pub(crate) const ACTIONS_FILE: &str = "data/actions.yaml";

/// The tables of measurements, each a `.csv` or a `.parquet` file (the names here have
/// no extension): raw rows (complaints, survey responses) or a warehouse's summaries of
/// them.
pub(crate) const COMPLAINTS: &str = "data/complaints";
pub(crate) const SURVEYS: &str = "data/surveys";
pub(crate) const COMPLAINTS_MONTHLY: &str = "data/complaints_monthly";
pub(crate) const COMPLAINTS_OPEN: &str = "data/complaints_open";
pub(crate) const COMPLAINTS_OPEN_COUNTS: &str = "data/complaints_open_counts";
pub(crate) const SURVEYS_MONTHLY: &str = "data/surveys_monthly";
const TABLES: [&str; 6] =
    [COMPLAINTS, SURVEYS, COMPLAINTS_MONTHLY, COMPLAINTS_OPEN, COMPLAINTS_OPEN_COUNTS, SURVEYS_MONTHLY];

/// Whether `path` is a measurement file: its rows name people, teams, KPIs and roles
/// that the definitions define.
pub(crate) fn is_measurement(path: &str) -> bool {
    let table = path.strip_suffix(".csv").or_else(|| path.strip_suffix(".parquet"));
    path.strip_prefix(METRICS_DIR).is_some_and(|rest| rest.starts_with('/'))
        || [COMPLAINT_TYPES_FILE, ACTIONS_FILE].contains(&path)
        || table.is_some_and(|t| TABLES.contains(&t))
}
