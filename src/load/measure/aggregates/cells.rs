//! Reading a summary's cells: typed reads that report a bad cell at its position, and
//! [`Once`], which reports rows failing the same way as one error.

use std::collections::BTreeMap;

use crate::base::date::{Date, YearMonth};
use crate::base::diagnostics::{Diagnostics, Pos, Unknown};
use crate::formats::csv::Field;
use crate::formats::table::{Column, Holds};
use crate::load::data::Data;

use super::super::{visible_cell, ComplaintType};

/// A row's cells with the file they are in: typed reads that report a bad cell.
pub(super) struct Row<'r, 'a> {
    pub(super) file: &'r str,
    pub(super) cells: &'r [&'r Field<'a>],
}

impl Row<'_, '_> {
    pub(super) fn text(&self, i: usize) -> &str {
        self.cells[i].text.trim()
    }

    pub(super) fn pos(&self, i: usize) -> Pos {
        self.cells[i].pos
    }

    /// The counts in the columns from `first` on, named `names`: every bad one reported,
    /// `None` if any is.
    pub(super) fn counts<const N: usize>(
        &self,
        first: usize,
        names: [&str; N],
        diags: &mut Diagnostics,
    ) -> Option<[u32; N]> {
        let read: Vec<Option<u32>> =
            names.iter().enumerate().map(|(k, name)| self.count(first + k, name, diags)).collect();
        let read: Option<Vec<u32>> = read.into_iter().collect();
        read.and_then(|v| v.try_into().ok())
    }

    pub(super) fn count(&self, i: usize, name: &str, diags: &mut Diagnostics) -> Option<u32> {
        let t = self.text(i);
        let n = t.parse::<u32>().ok();
        if n.is_none() {
            let message = format!("`{name}` must be a count (a whole number from 0), found `{t}`");
            diags.error(self.file, self.pos(i), "bad-number", message);
        }
        n
    }

    /// Seconds, or `None` for an empty (NULL) cell; `Err` after reporting a bad one.
    pub(super) fn seconds(&self, i: usize, name: &str, diags: &mut Diagnostics) -> Result<Option<i64>, ()> {
        let t = self.text(i);
        if t.is_empty() {
            return Ok(None);
        }
        match t.parse::<i64>() {
            Ok(s) if s >= 0 => Ok(Some(s)),
            _ => {
                let message = format!("`{name}` must be a whole number of seconds, found `{t}`");
                diags.error(self.file, self.pos(i), "bad-number", message);
                Err(())
            }
        }
    }

    pub(super) fn number(&self, i: usize, name: &str, diags: &mut Diagnostics) -> Option<f64> {
        let t = self.text(i);
        let n = t.parse::<f64>().ok().filter(|v| v.is_finite());
        if n.is_none() {
            diags.error(self.file, self.pos(i), "bad-number", format!("`{name}` must be a number, found `{t}`"));
        }
        n
    }

    pub(super) fn date(&self, i: usize, name: &str, diags: &mut Diagnostics) -> Option<Date> {
        Date::parse(self.text(i))
            .map_err(|e| diags.error(self.file, self.pos(i), "bad-date", format!("`{name}`: {e}")))
            .ok()
    }

    pub(super) fn month(&self, i: usize, diags: &mut Diagnostics) -> Option<YearMonth> {
        let t = self.text(i);
        // A DATE column arrives as its month already; a CSV may write the first day.
        let t = if t.len() == 10 && t.ends_with("-01") { &t[..7] } else { t };
        YearMonth::parse(t).map_err(|e| diags.error(self.file, self.pos(i), "bad-date", format!("`month`: {e}"))).ok()
    }

    pub(super) fn team(&self, i: usize, data: &Data, diags: &mut Diagnostics) -> Option<usize> {
        let id = visible_cell(self.file, self.cells[i], "`team`", diags)?;
        let ix = data.org.teams.iter().position(|t| t.id == id.as_ref());
        if ix.is_none() {
            let u = Unknown { code: "unknown-team", what: "team", id: &id, field: None, why: None };
            diags.unknown(self.file, self.pos(i), u, data.org.teams.iter().map(|t| t.id.as_str()));
        }
        ix
    }

    pub(super) fn kind(&self, i: usize, types: &[ComplaintType], diags: &mut Diagnostics) -> Option<usize> {
        let id = visible_cell(self.file, self.cells[i], "`type`", diags)?;
        let ix = types.iter().position(|t| t.id == id.as_ref());
        if ix.is_none() {
            let why = format!("not in {}", super::super::COMPLAINT_TYPES_FILE);
            let u = Unknown {
                code: "unknown-complaint-type",
                what: "complaint type",
                id: &id,
                field: None,
                why: Some(&why),
            };
            diags.unknown(self.file, self.pos(i), u, types.iter().map(|t| t.id.as_str()));
        }
        ix
    }
}

/// One error per root cause: rows that fail the same way (a summary made with other
/// limits, for another day) are reported once, at the first, with how many there are.
#[derive(Default)]
pub(super) struct Once {
    found: BTreeMap<String, (Pos, usize)>,
}

impl Once {
    pub(super) fn note(&mut self, message: String, pos: Pos) {
        let entry = self.found.entry(message).or_insert((pos, 0));
        entry.1 += 1;
        if (pos.line, pos.col) < (entry.0.line, entry.0.col) {
            entry.0 = pos;
        }
    }

    pub(super) fn report(self, file: &str, diags: &mut Diagnostics) {
        for (message, (pos, n)) in self.found {
            let message = if n > 1 { format!("{message} ({n} rows; the first is here)") } else { message };
            diags.error(file, pos, "stale-summary", message);
        }
    }
}

pub(super) fn col(name: &'static str, holds: Holds) -> Column {
    Column { name, holds }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_failing_alike_are_one_error_at_the_first() {
        let mut once = Once::default();
        once.note("stale".into(), Pos::new(9, 3));
        once.note("stale".into(), Pos::new(4, 3));
        once.note("other".into(), Pos::new(5, 1));
        let mut d = Diagnostics::new();
        once.report("t.csv", &mut d);
        let got: Vec<String> = d.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect();
        assert_eq!(got, ["5:1 other", "4:3 stale (2 rows; the first is here)"]);
    }
}
