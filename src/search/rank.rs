//! How pages are ranked: the score each posting of a bundle carries (BM25 over a page's
//! weighted fields, times its kind's weight, precomputed at build time) and how a query
//! combines them (scores summed over the query's terms, times the square of how many
//! terms a page matches). `search.js` ranks with [`rank`]'s exact integer arithmetic on
//! the same bundle, so the order a reader sees is the order `cargo test` checks. Must not
//! know about files or HTML.

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.4;
/// Scores are shipped as integers: hundredths.
const SCALE: f64 = 100.0;

/// What a page is, as the first `<article>` of its `<main>` says (its class); weighs its
/// score so that the page about a thing ranks above pages that mention it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A standard, a role or a KPI definition: what readers look for.
    Reference,
    /// Any other content page, the home page, section lists, reports.
    Other,
    /// A changelog or a comparison of versions: about changes, repeating the text of
    /// the pages it compares. Left out of public indexes, last in internal ones.
    Changes,
}

impl Kind {
    /// The kind of a page from the classes of its first `<article>`.
    pub(crate) fn of_classes(classes: &str) -> Kind {
        let has = |c: &str| classes.split_ascii_whitespace().any(|x| x == c);
        if has("changelog") || has("page-redline") {
            Kind::Changes
        } else if has("page-standard") || has("page-role") || has("page-kpi") {
            Kind::Reference
        } else {
            Kind::Other
        }
    }

    fn weight(self) -> f64 {
        match self {
            Kind::Reference => 1.5,
            Kind::Other => 1.0,
            Kind::Changes => 0.2,
        }
    }
}

/// Collection statistics of one site's index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Corpus {
    /// Documents in the index.
    pub(crate) docs: u32,
    /// Average document length, in term occurrences of the text.
    pub(crate) avg_len: f64,
}

/// One term in one document (the tests' way to name a score; the build uses [`Scorer`]).
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Posting {
    /// Weighted occurrences (title, headings and address count more than the text).
    pub(crate) tf: u32,
    /// Documents holding the term.
    pub(crate) df: u32,
    /// The document's length, in term occurrences of its text.
    pub(crate) len: u32,
    pub(crate) kind: Kind,
}

/// Inverse document frequency (Lucene's form, never negative).
fn idf(corpus: Corpus, df: u32) -> f64 {
    let (n, df) = (f64::from(corpus.docs), f64::from(df));
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// BM25 of one posting, times the weight of the document's kind.
#[cfg(test)]
pub(crate) fn bm25(corpus: Corpus, p: Posting) -> f64 {
    scored(idf(corpus, p.df), p.tf, norm(corpus, p.len), p.kind)
}

/// BM25's length normalisation of a document of `len` term occurrences.
fn norm(corpus: Corpus, len: u32) -> f64 {
    1.0 - B + B * f64::from(len) / corpus.avg_len.max(1.0)
}

/// [`bm25`] from its parts, computed in the same order (so the same bits).
fn scored(idf: f64, tf: u32, norm: f64, kind: Kind) -> f64 {
    let tf = f64::from(tf);
    idf * tf * (K1 + 1.0) / (tf + K1 * norm) * kind.weight()
}

/// The integer score a bundle ships for a posting: never 0, so that every posting
/// counts as a match.
#[cfg(test)]
pub(crate) fn shipped(corpus: Corpus, p: Posting) -> u32 {
    to_shipped(bm25(corpus, p))
}

fn to_shipped(score: f64) -> u32 {
    let x = score * SCALE;
    // `x.round()` (half away from zero) without a call into libm: `x` is positive and
    // far below 2³², so its whole part converts exactly and `x - whole` is exact.
    let whole = x as u32;
    (whole + u32::from(x - f64::from(whole) >= 0.5)).max(1)
}

/// The integer scores a bundle ships (BM25 in hundredths, never 0, so that every
/// posting counts as a match) for the postings of one site: each idf and each
/// document's normalisation computed once (a logarithm per document frequency, not per
/// posting); the tests check it against BM25 posting by posting.
pub(crate) struct Scorer {
    corpus: Corpus,
    /// By document frequency, 0 to the corpus's documents.
    idf: Vec<f64>,
}

impl Scorer {
    pub(crate) fn new(corpus: Corpus) -> Scorer {
        Scorer { corpus, idf: (0..=corpus.docs).map(|df| idf(corpus, df)).collect() }
    }

    /// The normalisation of a document of `len` term occurrences, for [`Scorer::score`].
    pub(crate) fn norm(&self, len: u32) -> f64 {
        norm(self.corpus, len)
    }

    /// The idf of a term held by `df` documents (at most the corpus's), for
    /// [`Scorer::score`].
    pub(crate) fn idf(&self, df: u32) -> f64 {
        self.idf[df as usize]
    }

    /// The shipped score of a posting of weight `tf` in a document of `kind`.
    pub(crate) fn score(idf: f64, tf: u32, norm: f64, kind: Kind) -> u32 {
        to_shipped(scored(idf, tf, norm, kind))
    }
}

/// A ranked document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The document's number in its bundle.
    pub doc: u32,
    /// Query terms it holds.
    pub matched: u32,
    /// Its shipped scores summed over those terms, times `matched²`.
    pub score: u64,
}

/// Ranks the documents of a bundle for a query's terms, given each term's postings
/// (`[doc, score, doc, score, …]`, as the bundle ships them): every document holding at
/// least one term, best first. A page holding more of the query's terms (for Chinese,
/// more of its neighbouring pairs: the phrase, or most of it) ranks above one holding
/// fewer unless its scores are much lower; ties go to the earlier document.
pub fn rank(postings: &[Vec<u32>]) -> Vec<Hit> {
    let mut hits: std::collections::BTreeMap<u32, (u32, u64)> = std::collections::BTreeMap::new();
    for list in postings {
        for pair in list.chunks_exact(2) {
            let h = hits.entry(pair[0]).or_default();
            h.0 += 1;
            h.1 += u64::from(pair[1]);
        }
    }
    let mut out: Vec<Hit> = hits
        .into_iter()
        .map(|(doc, (matched, sum))| Hit { doc, matched, score: sum * u64::from(matched) * u64::from(matched) })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
    out
}

/// The terms of a query, as the index splits text and as `search.js` splits a query:
/// each lower-cased word; for a run of Chinese (or other [`is_cjk`](super::terms)) text,
/// its neighbouring pairs, or the character when the run is one character long.
/// Without repeats, in order.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    let flush_run = |run: &mut Vec<char>, push: &mut dyn FnMut(String)| {
        if run.len() == 1 {
            push(run[0].to_string());
        }
        for w in run.windows(2) {
            push(w.iter().collect());
        }
        run.clear();
    };
    for c in query.chars() {
        if super::terms::is_cjk(c) {
            if !word.is_empty() {
                push(super::Term::new(&std::mem::take(&mut word)).as_str().to_string());
            }
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, &mut push);
            word.extend(c.to_lowercase());
        } else {
            if !word.is_empty() {
                push(super::Term::new(&std::mem::take(&mut word)).as_str().to_string());
            }
            flush_run(&mut run, &mut push);
        }
    }
    if !word.is_empty() {
        push(super::Term::new(&word).as_str().to_string());
    }
    flush_run(&mut run, &mut push);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bm25_of_a_tiny_corpus_by_hand() {
        // 4 documents, average length 10; the term in 1 of them, twice, in a document of
        // length 10: idf = ln(1 + 3.5/1.5) = ln(3.3333) = 1.20397;
        // tf part = 2·2.2 / (2 + 1.2·1) = 1.375; score = 1.65546.
        let corpus = Corpus { docs: 4, avg_len: 10.0 };
        let p = Posting { tf: 2, df: 1, len: 10, kind: Kind::Other };
        assert!((bm25(corpus, p) - 1.655_46).abs() < 1e-5, "{}", bm25(corpus, p));
        assert_eq!(shipped(corpus, p), 166);
        // A document twice as long: norm = 0.6 + 0.4·2 = 1.4; 4.4 / (2 + 1.68) = 1.19565.
        let long = Posting { len: 20, ..p };
        assert!((bm25(corpus, long) - 1.203_97 * 1.195_65).abs() < 1e-4);
        // A term in every document still scores above 0: idf = ln(1 + 0.5/4.5) = 0.10536.
        let common = Posting { df: 4, ..p };
        assert!((bm25(corpus, common) - 0.105_36 * 1.375).abs() < 1e-4);
        // Kinds: a standard 1.5 times, a changelog a fifth.
        assert!((bm25(corpus, Posting { kind: Kind::Reference, ..p }) - 1.655_46 * 1.5).abs() < 1e-4);
        assert_eq!(shipped(corpus, Posting { kind: Kind::Changes, ..p }), 33);
        // Rounding: half away from zero, as `f64::round`, never 0.
        for x in [0.0, 0.004, 0.005, 0.49, 0.5, 1.5, 2.5, 2.499_999_999_999_999_6, 12_345.678, 3e6 + 0.5] {
            assert_eq!(to_shipped(x / SCALE), ((x / SCALE * SCALE).round() as u32).max(1), "{x}");
        }
        // The scorer's parts give the same scores.
        let scorer = Scorer::new(corpus);
        for q in [p, long, common, Posting { kind: Kind::Changes, ..p }] {
            let idf = scorer.idf(q.df);
            assert_eq!(Scorer::score(idf, q.tf, scorer.norm(q.len), q.kind), shipped(corpus, q));
        }
    }

    #[test]
    fn pages_holding_more_query_terms_rank_first_then_by_score() {
        // Doc 0 holds both terms weakly, doc 1 one term strongly, doc 2 one term weakly.
        let ranked = rank(&[vec![0, 10, 1, 30, 2, 5], vec![0, 10]]);
        assert_eq!(
            ranked,
            [
                Hit { doc: 0, matched: 2, score: 80 },
                Hit { doc: 1, matched: 1, score: 30 },
                Hit { doc: 2, matched: 1, score: 5 },
            ]
        );
        // Equal scores: the earlier document first.
        let tied = rank(&[vec![3, 7, 1, 7]]);
        assert_eq!(tied.iter().map(|h| h.doc).collect::<Vec<_>>(), [1, 3]);
    }

    #[test]
    fn queries_split_as_the_index_splits_text() {
        assert_eq!(query_terms("投诉时限"), ["投诉", "诉时", "时限"]);
        assert_eq!(query_terms("退 款多久"), ["退", "款多", "多久"]);
        assert_eq!(query_terms("NPS 投诉率?  nps"), ["nps", "投诉", "诉率"]);
        assert_eq!(query_terms("Satisfactionsurvey"), ["satisfactionsur"]);
        assert!(query_terms(" ，。").is_empty());
    }

    #[test]
    fn kinds_come_from_the_article_class() {
        assert_eq!(Kind::of_classes("page page-standard"), Kind::Reference);
        assert_eq!(Kind::of_classes("page page-kpi"), Kind::Reference);
        assert_eq!(Kind::of_classes("page page-redline"), Kind::Changes);
        assert_eq!(Kind::of_classes("changelog"), Kind::Changes);
        assert_eq!(Kind::of_classes("section kpi-dictionary"), Kind::Other);
    }
}
