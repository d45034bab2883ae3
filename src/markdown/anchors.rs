//! GitHub's heading anchors, accepted as aliases of Charter's own.
//!
//! Handbooks written for GitHub link to headings by the anchors GitHub gives them
//! (github-slugger's rules): the heading's text lowercased, every character removed
//! that is not a letter, a mark, a decimal or letter number, a connector punctuation
//! (`_`), `-` or a space, and each space turned into `-` — nothing collapsed or
//! trimmed, so `🚀 Launch` is `-launch`. A repeated anchor gets `-1`, `-2`, … in the
//! order the headings come. Pure functions; the outline pass records each heading's
//! GitHub anchor next to Charter's.

use std::collections::HashMap;
use std::sync::LazyLock;

/// What GitHub removes from a heading's text: anything but letters, marks, decimal and
/// letter numbers, connector punctuation, `-` and the space.
static REMOVED: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"[^\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc}\- ]").expect("a valid pattern"));

/// The anchor GitHub gives a heading with text `text`, before de-duplication.
pub(crate) fn github_slug(text: &str) -> String {
    REMOVED.replace_all(&text.to_lowercase(), "").replace(' ', "-")
}

/// GitHub's anchors of a page's headings in order, repeated ones numbered as
/// github-slugger numbers them.
#[derive(Debug, Default)]
pub(crate) struct GithubSlugger {
    occurrences: HashMap<String, usize>,
}

impl GithubSlugger {
    /// The anchor of the next heading, whose text is `text`.
    pub(crate) fn slug(&mut self, text: &str) -> String {
        let original = github_slug(text);
        let mut slug = original.clone();
        while self.occurrences.contains_key(&slug) {
            let n = self.occurrences.entry(original.clone()).or_insert(0);
            *n += 1;
            slug = format!("{original}-{n}");
        }
        self.occurrences.insert(slug.clone(), 0);
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs_by_hand() {
        assert_eq!(github_slug("🚀 Launch"), "-launch");
        assert_eq!(github_slug("Q&A: refunds?"), "qa-refunds");
        assert_eq!(github_slug("Refunds & Returns"), "refunds--returns");
        assert_eq!(github_slug("  Leading spaces"), "--leading-spaces");
        assert_eq!(github_slug("snake_case and kebab-case"), "snake_case-and-kebab-case");
        assert_eq!(github_slug("3.1 接待步骤"), "31-接待步骤");
        assert_eq!(github_slug("「首问负责制」：谁接谁管"), "首问负责制谁接谁管");
        assert_eq!(github_slug("Café Übersicht"), "café-übersicht");
        // Superscripts and circled numbers are "other numbers": removed.
        assert_eq!(github_slug("Step ① m²"), "step--m");
        assert_eq!(github_slug("C++ (2024)"), "c-2024");
    }

    #[test]
    fn repeated_anchors_are_numbered_like_github() {
        let mut s = GithubSlugger::default();
        let got: Vec<String> = ["FAQ", "FAQ", "FAQ-1", "FAQ"].iter().map(|t| s.slug(t)).collect();
        // The third heading's own `faq-1` is taken, so it becomes `faq-1-1`.
        assert_eq!(got, ["faq", "faq-1", "faq-1-1", "faq-2"]);
    }
}
