//! Survey responses (`data/surveys.csv`): a date, a team and a 0–10 score a row; answers
//! after the build date are left out. It must not compute NPS (that is `report`).

use crate::base::date::{Date, YearMonth};
use crate::base::diagnostics::{Diagnostics, Unknown};
use crate::formats::table::{read_table, Column, Holds, Table};
use crate::load::data::Data;

use super::{visible_cell, Later};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SurveyResponse {
    pub(crate) date: Date,
    pub(crate) month: YearMonth,
    /// Index into `Data::org.teams`.
    pub(crate) team: usize,
    pub(crate) score: u8,
}

/// `surveys.csv`: date, team, score (0–10).
/// Responses dated after `today` (the build date) are left out with one warning.
pub(crate) fn parse_surveys(
    file: &str,
    table: Table,
    data: &Data,
    today: Date,
    diags: &mut Diagnostics,
) -> Vec<SurveyResponse> {
    let mut out = Vec::new();
    let mut later = Later::default();
    let teams: rustc_hash::FxHashMap<&str, usize> =
        data.org.teams.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let columns = [
        Column { name: "date", holds: Holds::Date },
        Column { name: "team", holds: Holds::Text },
        Column { name: "score", holds: Holds::Integer },
    ];
    read_table(file, table, &columns, diags, |cells, diags| {
        let [date, team, score] = [cells[0], cells[1], cells[2]];
        let d = Date::parse(date.text.trim())
            .map_err(|e| diags.error(file, date.pos, "bad-date", format!("`date`: {e}")))
            .ok();
        let team_id = visible_cell(file, team, "`team`", diags);
        let t = team_id.as_deref().and_then(|id| teams.get(id).copied());
        if let (None, Some(id)) = (t, team_id.as_deref()) {
            let u = Unknown { code: "unknown-team", what: "team", id, field: None, why: None };
            diags.unknown(file, team.pos, u, data.org.teams.iter().map(|t| t.id.as_str()));
        }
        let s = match score.text.trim().parse::<u8>() {
            Ok(s) if s <= 10 => Some(s),
            _ => {
                diags.error(
                    file,
                    score.pos,
                    "bad-number",
                    format!("`score` must be a whole number from 0 to 10, found `{}`", score.text.trim()),
                );
                None
            }
        };
        if let (Some(d), Some(team), Some(score)) = (d, t, s) {
            if d > today {
                later.note(date.pos);
            } else {
                out.push(SurveyResponse { date: d, month: YearMonth::of(d), team, score });
            }
        }
    });
    later.warn(file, today, "are left out", diags);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostics::MAX_FILE_ERRORS;
    use crate::load::measure::fixtures::{data, today};

    fn surveys(text: &str) -> (usize, Vec<String>) {
        let mut d = Diagnostics::new();
        let n = parse_surveys("data/surveys.csv", Table::Csv(text), &data(), today(), &mut d).len();
        (n, d.iter().map(|d| format!("{}:{}:{} {}", d.path, d.pos.line, d.pos.col, d.message)).collect())
    }

    #[test]
    fn survey_answers_after_the_build_date_are_left_out() {
        let (n, msgs) = surveys("date,team,score\n2026-06-30,desk-a,9\n2026-07-01,desk-a,9\n");
        assert_eq!(n, 1);
        assert_eq!(
            msgs,
            ["data/surveys.csv:3:1 1 row dated after the build date 2026-06-30 is left out (the first is here); set --today to report a later date"]
        );
    }

    #[test]
    fn a_hidden_character_in_a_reference_is_one_error_at_its_column() {
        // `desk-a` with a zero-width space after `desk`: reported at that character,
        // and the answer still counts for the team it visibly names.
        let (n, msgs) = surveys("date,team,score\n2026-06-03,desk\u{200B}-a,9\n");
        assert_eq!(n, 1);
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(msgs[0].starts_with("data/surveys.csv:2:16 `team` `desk‹U+200B›-a` contains"), "{msgs:?}");
    }

    #[test]
    fn a_file_of_bad_rows_reports_the_first_hundred_and_stops() {
        let rows: String = (0..1000).map(|i| format!("2026-06-03,desk-a,x{i}\n")).collect();
        let (n, msgs) = surveys(&format!("date,team,score\n{rows}"));
        assert_eq!(n, 0);
        assert_eq!(msgs.len(), MAX_FILE_ERRORS + 1);
        assert_eq!(msgs[0], "data/surveys.csv:2:19 `score` must be a whole number from 0 to 10, found `x0`");
        assert_eq!(
            msgs[MAX_FILE_ERRORS],
            "data/surveys.csv:102:19 more errors follow; only the first 100 of a file are reported"
        );
    }

    #[test]
    fn header_and_row_width_problems() {
        let (n, msgs) = surveys("date,team,score,team\n2026-06-03,desk-a,9,x,\n2026-06-04,desk-a,9,,\n");
        assert_eq!(msgs, ["data/surveys.csv:1:17 column `team` is named twice in the header"]);
        assert_eq!(n, 2);
        let (n, msgs) = surveys("date,team,score\n2026-06-03,desk-a,9,,\n2026-06-04,desk-a,9,a,b\n");
        assert_eq!(n, 1);
        assert_eq!(
            msgs,
            ["data/surveys.csv:3:21 row has 5 values but the header names 3 columns (quote values that contain a comma)"]
        );
        let (n, msgs) = surveys("");
        assert_eq!(n, 0);
        assert_eq!(
            msgs,
            ["data/surveys.csv:0:0 data/surveys.csv is empty: it has no rows (nor the header line `date,team,score`)"]
        );
    }
}
