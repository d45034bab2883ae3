//! Where a site keeps each kind of source, relative to its root. The loaders read
//! these files; diagnostics use the list to print the errors of files that refer to
//! others (measurements) after those of the files they refer to (definitions).

pub(crate) const DATA_DIR: &str = "data";
pub(crate) const PARAMS_FILE: &str = "data/params.yaml";
pub(crate) const KPIS_FILE: &str = "data/kpis.yaml";
pub(crate) const SCORECARDS_FILE: &str = "data/scorecards.yaml";
pub(crate) const ORG_FILE: &str = "data/org.yaml";

pub(crate) const METRICS_DIR: &str = "data/metrics";
pub(crate) const COMPLAINTS_FILE: &str = "data/complaints.csv";
pub(crate) const COMPLAINT_TYPES_FILE: &str = "data/complaint_types.yaml";
pub(crate) const SURVEYS_FILE: &str = "data/surveys.csv";
pub(crate) const ACTIONS_FILE: &str = "data/actions.yaml";

/// Whether `path` is a measurement file: its rows name people, teams, KPIs and roles
/// that the definitions define.
pub(crate) fn is_measurement(path: &str) -> bool {
    path.strip_prefix(METRICS_DIR).is_some_and(|rest| rest.starts_with('/'))
        || [COMPLAINT_TYPES_FILE, COMPLAINTS_FILE, SURVEYS_FILE, ACTIONS_FILE].contains(&path)
}
