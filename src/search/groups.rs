//! Which documents share a `docs/<k>.gz` file, across the sites of one build. A page
//! in several sites (a public standard is in the public and the internal site) sits in
//! the same group with the same neighbours wherever the sites allow, so that the group
//! is encoded and compressed once and its bytes written to every site holding it.
//! Must not read text or write bytes.

use rustc_hash::FxHashMap;

/// One document of a site: its address relative to the site's home and its analysis
/// slot in the collector (the same `<main>` in two sites has the same slot).
pub(super) trait Member {
    fn key(&self) -> (&str, usize);
}

/// The groups of every site: per site, in document order, the id of each of its
/// groups among the distinct ones.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Plan {
    /// Per site (in the order given), its groups' ids.
    pub(super) sites: Vec<Vec<usize>>,
    /// Each distinct group: the site it was first cut from, its first document there
    /// and its size.
    pub(super) distinct: Vec<Group>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Group {
    pub(super) site: usize,
    pub(super) first: usize,
    pub(super) len: usize,
}

impl Plan {
    /// The sizes of a site's groups, in order.
    pub(super) fn sizes(&self, site: usize) -> impl Iterator<Item = usize> + '_ {
        self.sites[site].iter().map(|&g| self.distinct[g].len)
    }
}

/// Cuts the documents of each site (`sites[s]`, in path order) into groups of at most
/// `size`, visiting the sites in `order`: least private first, so that a site's groups
/// are shaped only by its own documents and those of sites visited before it (never a
/// public site's by an internal one). A site takes a group made for an earlier site
/// whenever its documents from there on are that group's members; otherwise it cuts a
/// group of its own, which stops before a document that starts an earlier group. The
/// first site visited is cut into groups of `size`, the last one maybe smaller.
pub(super) fn plan<M: Member>(sites: &[&[M]], order: &[usize], size: usize) -> Plan {
    let size = size.max(1);
    let mut plan = Plan { sites: vec![Vec::new(); sites.len()], distinct: Vec::new() };
    // The group each document key starts, first made first.
    let mut starts: FxHashMap<(&str, usize), usize> = FxHashMap::default();
    for &s in order {
        let docs = sites[s];
        let mut ids = Vec::with_capacity(docs.len().div_ceil(size));
        let mut i = 0;
        while i < docs.len() {
            if let Some(&g) = starts.get(&docs[i].key()) {
                let Group { site, first, len } = plan.distinct[g];
                let members = &sites[site][first..first + len];
                let here = docs.get(i..i + len);
                if here.is_some_and(|h| h.iter().zip(members).all(|(a, b)| a.key() == b.key())) {
                    ids.push(g);
                    i += len;
                    continue;
                }
            }
            let mut j = i + 1;
            while j < docs.len() && j - i < size && !starts.contains_key(&docs[j].key()) {
                j += 1;
            }
            let id = plan.distinct.len();
            plan.distinct.push(Group { site: s, first: i, len: j - i });
            starts.entry(docs[i].key()).or_insert(id);
            ids.push(id);
            i = j;
        }
        plan.sites[s] = ids;
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Member for (&str, usize) {
        fn key(&self) -> (&str, usize) {
            *self
        }
    }

    fn sizes(plan: &Plan, site: usize) -> Vec<usize> {
        plan.sizes(site).collect()
    }

    #[test]
    fn a_site_holding_another_sites_pages_reuses_its_groups() {
        let public = [("a/", 0), ("b/", 1), ("c/", 2), ("d/", 3), ("e/", 4)];
        // The internal site: the public pages, one internal page among them (`bb/`),
        // two before them and `c/` in another version (slot 9).
        let internal = [("0/", 10), ("1/", 11), ("a/", 0), ("b/", 1), ("bb/", 12), ("c/", 9), ("d/", 3), ("e/", 4)];
        let sites: [&[(&str, usize)]; 2] = [&internal, &public];
        let plan = plan(&sites, &[1, 0], 2);
        // Public first, in twos: [a b] [c d] [e].
        assert_eq!(sizes(&plan, 1), [2, 2, 1]);
        assert_eq!(plan.sites[1], [0, 1, 2]);
        // Internal: its own [0 1], public's [a b], its own [bb c] (the next public
        // group's `c` is another version), its own [d] (stopping before `e`, which
        // starts a group), public's [e].
        assert_eq!(sizes(&plan, 0), [2, 2, 2, 1, 1]);
        assert_eq!(plan.sites[0], [3, 0, 4, 5, 2]);
        assert_eq!(plan.distinct.len(), 6, "6 groups compressed for 8 group files");
        assert_eq!(plan.distinct[4], Group { site: 0, first: 4, len: 2 });
    }

    #[test]
    fn the_first_site_is_cut_by_its_own_pages_alone() {
        let public = [("a/", 0), ("b/", 1), ("c/", 2)];
        let internal = [("a/", 0), ("b/", 1), ("c/", 2), ("d/", 3)];
        let sites: [&[(&str, usize)]; 2] = [&internal, &public];
        let alone = plan(&sites[1..], &[0], 2);
        let both = plan(&sites, &[1, 0], 2);
        assert_eq!(alone.sites[0], both.sites[1]);
        assert_eq!(sizes(&both, 0), [2, 1, 1]);
        assert_eq!(both.distinct.len(), 3);
        assert!(plan(&[&[] as &[(&str, usize)]], &[0], 4).distinct.is_empty());
    }
}
