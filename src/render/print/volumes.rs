//! How a print edition is divided into volumes: which standards each volume holds.
//! Pure: works on the sections of the standards in site order, returns ranges.

use std::ops::Range;

/// The most standards one volume holds. At about 4.6 KB of HTML per standard (the
/// bench's 5 KB standards), 200 standards are a page of about 1 MB that a browser lays
/// out and prints in seconds — some 400–600 A4 sheets, a full binder — where the
/// 10,000 standards of one page (46 MB) made the print dialog give up. An edition of
/// at most this many standards stays one page at `print/`.
pub(super) const MAX_STANDARDS: usize = 200;

/// The volumes of an edition whose standards, in site order, belong to `sections`:
/// ranges into that order, in order, covering it once. An edition of at most `max`
/// standards is one volume. Otherwise volumes begin where sections begin: consecutive
/// sections share a volume while together they hold at most `max` standards (a binder
/// per small section would be dozens of thin ones), and a section of more than `max`
/// standards fills volumes of its own, as equal in size as whole standards allow.
pub(super) fn split(sections: &[&str], max: usize) -> Vec<Range<usize>> {
    let max = max.max(1);
    if sections.len() <= max {
        let whole = 0..sections.len();
        return vec![whole];
    }
    let mut volumes: Vec<Range<usize>> = Vec::new();
    // The volume being filled with whole small sections.
    let mut open: Option<Range<usize>> = None;
    let mut start = 0;
    while start < sections.len() {
        let len = sections[start..].iter().take_while(|&&s| s == sections[start]).count();
        let run = start..start + len;
        start += len;
        if len > max {
            volumes.extend(open.take());
            let parts = len.div_ceil(max);
            // The first `len % parts` parts hold one standard more than the others.
            let (size, extra) = (len / parts, len % parts);
            let mut from = run.start;
            for part in 0..parts {
                let to = from + size + usize::from(part < extra);
                volumes.push(from..to);
                from = to;
            }
            continue;
        }
        open = match open.take() {
            Some(v) if v.len() + len <= max => Some(v.start..run.end),
            Some(v) => {
                volumes.push(v);
                Some(run)
            }
            None => Some(run),
        };
    }
    volumes.extend(open);
    volumes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(runs: &[(&'static str, usize)]) -> Vec<&'static str> {
        runs.iter().flat_map(|&(s, n)| std::iter::repeat_n(s, n)).collect()
    }

    #[test]
    fn a_small_edition_is_one_volume() {
        let one = |n: usize| vec![Range { start: 0, end: n }];
        assert_eq!(split(&sections(&[("a", 3), ("b", 4)]), 7), one(7));
        assert_eq!(split(&[], 200), one(0));
    }

    #[test]
    fn a_large_section_fills_volumes_of_equal_size() {
        // 450 standards in two sections, at most 200 a volume: 300 → 150 + 150, 150.
        assert_eq!(split(&sections(&[("a", 300), ("b", 150)]), 200), vec![0..150, 150..300, 300..450]);
        // 10,000 in one section: 50 volumes of 200.
        let big = split(&sections(&[("s", 10_000)]), 200);
        assert_eq!(big.len(), 50);
        assert!(big.iter().all(|v| v.len() == 200));
        // 401 → 134 + 134 + 133.
        assert_eq!(split(&sections(&[("s", 401)]), 200), vec![0..134, 134..268, 268..401]);
    }

    #[test]
    fn small_sections_share_a_volume_up_to_the_limit() {
        let s = sections(&[("a", 3), ("b", 4), ("c", 2), ("d", 9), ("e", 1)]);
        // a+b = 7; c would make 9 > 8; c alone (d would make 11); d is larger than 8
        // and fills two volumes (5 + 4); e alone.
        assert_eq!(split(&s, 8), vec![0..7, 7..9, 9..14, 14..18, 18..19]);
    }

    #[test]
    fn a_section_that_comes_back_later_in_site_order_starts_a_new_run() {
        let s = sections(&[("a", 5), ("a/x", 5), ("a", 5)]);
        assert_eq!(split(&s, 10), vec![0..10, 10..15]);
    }
}
