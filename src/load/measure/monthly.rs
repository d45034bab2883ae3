//! One subject's values of one KPI by month: a list kept sorted by month. The same
//! questions as a `BTreeMap<YearMonth, f64>` (get, insert, months in order), at about a
//! third of its memory: a series per person and KPI at 50,000 people × 9 KPIs is
//! 450,000 of them, held twice (as measured and rolled up).

use crate::base::date::YearMonth;

/// Values by month, in month order; at most one value per month.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Monthly(Vec<(YearMonth, f64)>);

impl Monthly {
    fn at(&self, month: &YearMonth) -> Result<usize, usize> {
        self.0.binary_search_by(|(m, _)| m.cmp(month))
    }

    /// The value of `month`, if there is one.
    pub(crate) fn get(&self, month: &YearMonth) -> Option<&f64> {
        self.at(month).ok().map(|i| &self.0[i].1)
    }

    pub(crate) fn contains_key(&self, month: &YearMonth) -> bool {
        self.at(month).is_ok()
    }

    /// Sets the value of `month`; returns the value it replaces.
    pub(crate) fn insert(&mut self, month: YearMonth, value: f64) -> Option<f64> {
        match self.at(&month) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (month, value));
                None
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many months have a value.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The months with a value, oldest first.
    pub(crate) fn keys(&self) -> impl DoubleEndedIterator<Item = &YearMonth> + '_ {
        self.0.iter().map(|(m, _)| m)
    }

    /// Frees the room reserved for values not added (done once loading is over).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }
}

/// The value of a month that has one (panics otherwise, as a map's index does).
impl std::ops::Index<&YearMonth> for Monthly {
    type Output = f64;
    fn index(&self, month: &YearMonth) -> &f64 {
        self.get(month).expect("a value for the month")
    }
}

impl<'a> IntoIterator for &'a Monthly {
    type Item = (&'a YearMonth, &'a f64);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (YearMonth, f64)>, fn(&'a (YearMonth, f64)) -> Self::Item>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(m, v)| (m, v))
    }
}

impl FromIterator<(YearMonth, f64)> for Monthly {
    fn from_iter<I: IntoIterator<Item = (YearMonth, f64)>>(iter: I) -> Monthly {
        let mut m = Monthly::default();
        for (month, v) in iter {
            m.insert(month, v);
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_stay_in_order_and_one_value_each() {
        let m = |s: &str| YearMonth::parse(s).unwrap();
        let mut s = Monthly::default();
        assert_eq!(s.insert(m("2026-03"), 3.0), None);
        assert_eq!(s.insert(m("2026-01"), 1.0), None);
        assert_eq!(s.insert(m("2026-02"), 2.0), None);
        assert_eq!(s.insert(m("2026-02"), 2.5), Some(2.0), "a second value replaces the first");
        assert_eq!(s.keys().map(ToString::to_string).collect::<Vec<_>>(), ["2026-01", "2026-02", "2026-03"]);
        assert_eq!((s.get(&m("2026-02")), s.get(&m("2026-04")), s.len()), (Some(&2.5), None, 3));
        assert_eq!(s[&m("2026-01")], 1.0);
        assert!(s.contains_key(&m("2026-03")) && !s.contains_key(&m("2025-12")));
        let collected: Monthly = [(m("2026-05"), 5.0), (m("2026-04"), 4.0)].into_iter().collect();
        assert_eq!((&collected).into_iter().map(|(_, v)| *v).collect::<Vec<_>>(), [4.0, 5.0]);
    }
}
