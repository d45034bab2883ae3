//! Audience tiers: who may read a page, a report or a file.
//!
//! A build has an ordered list of tiers, `public` and `internal` always first and any
//! further ones after them (`audiences: [public, internal, managers]`); each tier's
//! readers read everything of the tiers before it, so a tier is a rank. Each tier is
//! built as its own site in the output folder named after it. Owns the tier type and
//! the list's validation in `charter.yaml`; knows nothing of pages or output.

use std::collections::BTreeSet;
use std::sync::Mutex;

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::formats::yaml::Spanned;

/// A tier: its rank (0 for `public`) and its name, which is also its site's folder.
/// Tiers compare by rank: a reader of a tier reads every tier ranked at or below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Audience {
    rank: u8,
    name: &'static str,
}

impl Audience {
    /// Everyone: the customers' site.
    pub const PUBLIC: Audience = Audience { rank: 0, name: "public" };
    /// Every employee: the internal handbook.
    pub const INTERNAL: Audience = Audience { rank: 1, name: "internal" };

    /// The tier's name, also its site's folder (`managers`).
    pub fn as_str(self) -> &'static str {
        self.name
    }

    /// Whether everyone may read it.
    pub fn is_public(self) -> bool {
        self.rank == 0
    }

    /// Whether `self` readers may read what is meant for `other` (ranked at or below).
    pub fn reads(self, other: Audience) -> bool {
        other.rank <= self.rank
    }
}

/// Most tiers a build may have: each is a whole site, built in full.
pub(crate) const MAX_TIERS: usize = 8;

/// Names no tier may take: the output folder's other entries.
const RESERVED: [&str; 2] = ["hosting", "site"];

/// The interned name of a tier, so [`Audience`] stays `Copy` and can be a match
/// pattern's constant. Only names a configuration declared are kept (a handful per
/// process, each once), never page text.
fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(name) {
        return n;
    }
    let n: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(n);
    n
}

/// The ordered tiers of a build and the one pages have when they do not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tiers {
    all: Vec<Audience>,
    /// The tier of a page that does not say (`default_audience`).
    pub default: Audience,
}

impl Default for Tiers {
    fn default() -> Self {
        Tiers { all: vec![Audience::PUBLIC, Audience::INTERNAL], default: Audience::INTERNAL }
    }
}

impl Tiers {
    /// The two tiers every build has, pages `default` when they do not say.
    pub fn with_default(default: Audience) -> Tiers {
        Tiers { default, ..Tiers::default() }
    }

    /// Every tier, public first.
    pub fn all(&self) -> &[Audience] {
        &self.all
    }

    /// The tiers behind sign-in: every tier but the public one, lowest first.
    pub fn staff(&self) -> &[Audience] {
        &self.all[1..]
    }

    /// The tier ranked highest (`internal` when no other is declared).
    pub fn highest(&self) -> Audience {
        *self.all.last().unwrap_or(&Audience::INTERNAL)
    }

    /// The tier called `name`.
    pub fn named(&self, name: &str) -> Option<Audience> {
        self.all.iter().copied().find(|a| a.name == name)
    }

    /// The tiers' names, public first (for `choice` fields and messages).
    pub(crate) fn names(&self) -> Vec<&'static str> {
        self.all.iter().map(|a| a.name).collect()
    }

    /// The tiers of `audiences:` in `file`, each at its position; errors for a list
    /// that does not start `public, internal`, a repeated or reserved name, a name that
    /// is not a folder-safe slug, or too many tiers. Tiers after a bad name are still
    /// read, so one mistake is one error.
    pub(crate) fn declared(names: &[Spanned<String>], file: &str, diags: &mut Diagnostics) -> Tiers {
        let mut tiers = Tiers::default();
        // At the entry that is wrong, or the list's last one when it is too short.
        let at = |i: usize| names.get(i).or(names.last()).map_or(Pos::FILE, |n| n.pos);
        for (i, want) in ["public", "internal"].iter().enumerate() {
            if names.get(i).map(|n| n.value.as_str()) != Some(*want) {
                diags.error(
                    file,
                    at(i),
                    "bad-value",
                    format!("`audiences` must begin with `public, internal`, found {}", listed(names)),
                );
                diags.with_help("name further tiers after those two, e.g. `audiences: [public, internal, managers]`");
                return tiers;
            }
        }
        for n in &names[2..] {
            let name = n.value.as_str();
            let slug = !name.is_empty()
                && name.len() <= 32
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !name.starts_with('-');
            if !slug {
                diags.error(
                    file,
                    n.pos,
                    "bad-value",
                    format!("audience tier `{name}` must be lower-case letters, digits and `-` (it names a folder)"),
                );
            } else if RESERVED.contains(&name) || tiers.named(name).is_some() {
                let why = if RESERVED.contains(&name) { "names a folder of the output" } else { "is listed twice" };
                diags.error(file, n.pos, "bad-value", format!("audience tier `{name}` {why}"));
            } else if tiers.all.len() == MAX_TIERS {
                diags.error(
                    file,
                    n.pos,
                    "bad-value",
                    format!("`audiences` has more than {MAX_TIERS} tiers: each is a whole site, built in full"),
                );
                break;
            } else {
                let rank = tiers.all.len() as u8;
                tiers.all.push(Audience { rank, name: intern(name) });
            }
        }
        tiers
    }
}

/// The families of report pages, each published to one tier (`reports:` in
/// `charter.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// `reports/`, each month's overview and the archive: organisation figures.
    Overview,
    /// `reports/kpis/ID/`: a KPI's organisation trend and the teams compared.
    Kpis,
    /// `reports/teams/ID/`: a team's figures and its members' names.
    Teams,
    /// `reports/people/ID/` and everything naming a person's score, rank or status
    /// (the overview's rankings and failing-streak alerts).
    People,
    /// `reports/complaints/`.
    Complaints,
    /// `reports/nps/`.
    Nps,
    /// `reports/actions/`: improvement actions and their owning roles.
    Actions,
    /// `governance/`: review dates and owners of governed pages.
    Governance,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::Overview,
        Family::Kpis,
        Family::Teams,
        Family::People,
        Family::Complaints,
        Family::Nps,
        Family::Actions,
        Family::Governance,
    ];

    /// The family's key under `reports:`.
    pub fn key(self) -> &'static str {
        match self {
            Family::Overview => "overview",
            Family::Kpis => "kpis",
            Family::Teams => "teams",
            Family::People => "people",
            Family::Complaints => "complaints",
            Family::Nps => "nps",
            Family::Actions => "actions",
            Family::Governance => "governance",
        }
    }
}

/// The tier each report family is published to. By default organisation and team
/// figures are `internal` and people's figures the highest tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTiers {
    tiers: [Audience; Family::ALL.len()],
    /// Which families `reports:` names (the others have their default).
    named: [bool; Family::ALL.len()],
}

impl ReportTiers {
    /// The defaults for `tiers`: `people` in the highest tier, the rest `internal`.
    pub fn defaults(tiers: &Tiers) -> ReportTiers {
        let mut all = [Audience::INTERNAL; Family::ALL.len()];
        all[Family::People as usize] = tiers.highest();
        ReportTiers { tiers: all, named: [false; Family::ALL.len()] }
    }

    /// The tier `family` is published to.
    pub fn tier(&self, family: Family) -> Audience {
        self.tiers[family as usize]
    }

    /// Whether the site of `reader` shows `family`'s pages (never the public one).
    pub fn shown(&self, family: Family, reader: Audience) -> bool {
        !reader.is_public() && reader.reads(self.tier(family))
    }

    pub(crate) fn set(&mut self, family: Family, tier: Audience) {
        self.tiers[family as usize] = tier;
        self.named[family as usize] = true;
    }

    /// Whether `reports:` names `family` (rather than leaving it to its default).
    pub fn named(&self, family: Family) -> bool {
        self.named[family as usize]
    }
}

fn listed(names: &[Spanned<String>]) -> String {
    if names.is_empty() {
        return "an empty list".to_string();
    }
    format!("`{}`", names.iter().map(|n| n.value.as_str()).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spanned(names: &[&str]) -> Vec<Spanned<String>> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| Spanned { value: n.to_string(), pos: Pos { line: 1, col: 14 + i * 10 } })
            .collect()
    }

    #[test]
    fn tiers_rank_in_the_order_declared() {
        let mut d = Diagnostics::new();
        let t = Tiers::declared(&spanned(&["public", "internal", "managers", "hr"]), "charter.yaml", &mut d);
        assert!(d.is_empty());
        assert_eq!(t.names(), ["public", "internal", "managers", "hr"]);
        let (managers, hr) = (t.named("managers").unwrap(), t.named("hr").unwrap());
        assert!(hr.reads(managers) && managers.reads(Audience::INTERNAL) && managers.reads(Audience::PUBLIC));
        assert!(!managers.reads(hr) && !Audience::INTERNAL.reads(managers));
        assert!(Audience::PUBLIC < Audience::INTERNAL && Audience::INTERNAL < managers && managers < hr);
        assert_eq!(t.highest(), hr);
        assert_eq!(t.staff().len(), 3);
        // The same name interned twice is the same tier.
        let again = Tiers::declared(&spanned(&["public", "internal", "managers"]), "charter.yaml", &mut d);
        assert_eq!(again.named("managers"), Some(managers));
    }

    #[test]
    fn a_bad_list_is_one_error_at_its_entry() {
        let cases: [(&[&str], &str, usize); 6] = [
            (&["internal", "public"], "must begin with `public, internal`, found `internal, public`", 14),
            (&["public"], "must begin with `public, internal`, found `public`", 14),
            (&["public", "internal", "Managers"], "tier `Managers` must be lower-case", 34),
            (&["public", "internal", "hosting"], "tier `hosting` names a folder of the output", 34),
            (&["public", "internal", "hr", "hr"], "tier `hr` is listed twice", 44),
            (&["public", "internal", "a/b"], "tier `a/b` must be lower-case", 34),
        ];
        for (names, message, col) in cases {
            let mut d = Diagnostics::new();
            let t = Tiers::declared(&spanned(names), "charter.yaml", &mut d);
            let all: Vec<_> = d.iter().collect();
            assert_eq!(all.len(), 1, "{names:?}: {all:?}");
            assert!(all[0].message.contains(message), "{names:?}: {}", all[0].message);
            assert_eq!(all[0].pos.col, col, "{names:?}");
            assert!(t.named("public").is_some() && t.named("internal").is_some());
        }
    }

    #[test]
    fn at_most_eight_tiers() {
        let names: Vec<String> = (0..10).map(|i| format!("t{i}")).collect();
        let mut all = vec!["public", "internal"];
        all.extend(names.iter().map(String::as_str));
        let mut d = Diagnostics::new();
        let t = Tiers::declared(&spanned(&all), "charter.yaml", &mut d);
        assert_eq!(t.all().len(), MAX_TIERS);
        assert_eq!(d.iter().count(), 1);
    }
}
