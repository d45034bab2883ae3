//! `NumberSpotter`: finds numbers with units that parameters define (`24 小时`) typed by
//! hand in running text, for the first pass. Must not decide which numbers a site
//! defines (it is handed them) or report anything itself.

use std::collections::HashMap;

/// Finds numbers with units that parameters define (`24 小时`) in running text, so
/// that a handbook does not repeat by hand what `data/params.yaml` holds.
pub(crate) struct NumberSpotter {
    automaton: aho_corasick::AhoCorasick,
    /// Pattern index → (text, parameter ids).
    patterns: Vec<(String, Vec<String>)>,
}

impl NumberSpotter {
    /// From (typed form, parameter id) pairs; `None` when there is nothing to spot.
    pub(crate) fn new(forms: &[(String, String)]) -> Option<NumberSpotter> {
        // Grouped by text, in first-seen order, through an index (a site may define
        // tens of thousands of parameters).
        let mut patterns: Vec<(String, Vec<String>)> = Vec::new();
        let mut by_text: HashMap<&str, usize> = HashMap::new();
        for (text, id) in forms {
            match by_text.get(text.as_str()) {
                Some(&i) => patterns[i].1.push(id.clone()),
                None => {
                    by_text.insert(text, patterns.len());
                    patterns.push((text.clone(), vec![id.clone()]));
                }
            }
        }
        if patterns.is_empty() {
            return None;
        }
        // `36 Hours` at the start of a sentence is still the parameter.
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(patterns.iter().map(|(t, _)| t.as_str()))
            .ok()?;
        Some(NumberSpotter { automaton, patterns })
    }

    /// (byte offset in `text`, matched text, parameter ids) of each typed number. A
    /// match must not continue a longer number (`15 分钟` is not `5 分钟`), nor end
    /// inside a word (`5 min` is not in `5 minutes`; Chinese has no spaces to ask).
    pub(super) fn find(&self, text: &str) -> Vec<(usize, String, Vec<String>)> {
        let mut out = Vec::new();
        for m in self.automaton.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',') {
                continue;
            }
            let last = text[..m.end()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if last.is_some_and(|c| c.is_ascii_alphanumeric()) && after.is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let (t, ids) = &self.patterns[m.pattern().as_usize()];
            out.push((m.start(), t.clone(), ids.clone()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::{outline, Hooks, NumberSpotter};

    #[test]
    fn typed_numbers_are_spotted_with_word_boundaries() {
        let spotter = NumberSpotter::new(&[
            ("5 分钟".into(), "online".into()),
            ("24 小时".into(), "a".into()),
            ("24 小时".into(), "b".into()),
        ])
        .unwrap();
        let hooks = Hooks { plain: &|_| String::new(), numbers: Some(&spotter) };
        let body = "5 分钟内回复，15 分钟内到场，24 小时内处理。`5 分钟`\n";
        let o = outline(body, &hooks);
        assert_eq!(o.typed_numbers.len(), 2, "{:?}", o.typed_numbers);
        assert_eq!(o.typed_numbers[0].0, 0);
        assert_eq!(o.typed_numbers[1].2, vec!["a".to_string(), "b".to_string()]);
    }

    #[test]
    fn a_translation_typing_a_parameter_by_hand_is_spotted_in_its_own_words() {
        let data = crate::markdown::data_words::tests::two_language_data();
        let spotter = NumberSpotter::new(&crate::markdown::data_words::typed_forms(&data)).unwrap();
        let hooks = Hooks { plain: &|_| String::new(), numbers: Some(&spotter) };
        let body = "We reply within 36 hours. A 36-hour limit. 36 Hours at most.\n\n\
                    Not 136 hours, not 36 hoursly, not 1 hourglass; 1 hour to hand over, 10 分钟 to queue.\n";
        let found: Vec<(String, Vec<String>)> =
            outline(body, &hooks).typed_numbers.into_iter().map(|(_, t, ids)| (t, ids)).collect();
        let one = |t: &str, id: &str| (t.to_string(), vec![id.to_string()]);
        assert_eq!(
            found,
            [
                one("36 hours", "reply"),
                one("36-hour", "reply"),
                // Matched however it is capitalised; reported as the parameter reads.
                one("36 hours", "reply"),
                one("1 hour", "once"),
                one("10 分钟", "queue"),
            ]
        );
    }
}
