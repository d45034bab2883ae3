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

/// Series by (KPI id, subject id), as measured and as rolled up.
pub(crate) type SeriesMap = std::collections::BTreeMap<(String, String), Monthly>;

/// A (KPI id, subject id) key borrowed from anywhere, so that a [`SeriesMap`] is looked
/// into without building two `String`s per question (millions of them at 50,000
/// people). It orders as the owned key does, field by field.
pub(crate) trait SeriesKey {
    fn parts(&self) -> (&str, &str);
}

impl SeriesKey for (String, String) {
    fn parts(&self) -> (&str, &str) {
        (&self.0, &self.1)
    }
}

impl SeriesKey for (&str, &str) {
    fn parts(&self) -> (&str, &str) {
        (self.0, self.1)
    }
}

impl<'a> std::borrow::Borrow<dyn SeriesKey + 'a> for (String, String) {
    fn borrow(&self) -> &(dyn SeriesKey + 'a) {
        self
    }
}

impl PartialEq for dyn SeriesKey + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for dyn SeriesKey + '_ {}

impl PartialOrd for dyn SeriesKey + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for dyn SeriesKey + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.parts().cmp(&other.parts())
    }
}

/// The series of `kpi` for `subject` in `map`, looked up without allocating.
pub(crate) fn series<'m>(map: &'m SeriesMap, kpi: &str, subject: &str) -> Option<&'m Monthly> {
    map.get(&(kpi, subject) as &dyn SeriesKey)
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

    #[test]
    fn borrowed_keys_find_what_owned_keys_find() {
        let one = |v: f64| [(YearMonth::parse("2026-01").unwrap(), v)].into_iter().collect::<Monthly>();
        let map: SeriesMap = [(("a", "b"), 1.0), (("a", "bc"), 2.0), (("ab", ""), 3.0), (("b", "a"), 4.0)]
            .into_iter()
            .map(|((k, s), v)| ((k.to_string(), s.to_string()), one(v)))
            .collect();
        let at = |k, s| series(&map, k, s).map(|m| m.into_iter().next().map(|(_, v)| *v));
        assert_eq!(at("a", "b"), Some(Some(1.0)));
        assert_eq!(at("a", "bc"), Some(Some(2.0)));
        assert_eq!(at("ab", ""), Some(Some(3.0)), "the split between the parts counts");
        assert_eq!(at("b", "a"), Some(Some(4.0)));
        assert_eq!((at("a", ""), at("", "ab"), at("b", "b")), (None, None, None));
    }
}
