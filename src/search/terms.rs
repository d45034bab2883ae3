//! How text becomes index terms: Chinese (and any script written without spaces) as
//! characters and pairs of neighbours, other text as lower-cased words; a document's
//! terms counted with their weights, interned as ids and packed. Must match `search.js`
//! in how it splits; must not know about pages or files.

use rustc_hash::FxHashMap;

use super::codec::{push_varint, read_varint};
use super::Doc;

/// Weight of one occurrence in the title, against 1 in the text (where the title is
/// too).
const TITLE_WEIGHT: u32 = 8;
/// Weight of one occurrence in a sub-heading (which is in the text too).
const HEADING_WEIGHT: u32 = 2;
/// Weight of a word of the page's own address (`complaint-handling`): readers see it,
/// and a reader typing `complaint` in a Chinese handbook means that page.
const SLUG_WEIGHT: u32 = 3;

/// One index term: a lower-cased word, or one or two characters of a script written
/// without spaces, held as its UTF-8 bytes (at most [`TERM_BYTES`]; longer words are cut
/// at a character boundary, as `search.js` cuts them) with the length in the last byte,
/// so that building an index allocates nothing per term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Term([u8; 16]);

impl Ord for Term {
    fn cmp(&self, other: &Term) -> std::cmp::Ordering {
        // The same order as comparing the bytes, in one comparison.
        u128::from_be_bytes(self.0).cmp(&u128::from_be_bytes(other.0))
    }
}

impl PartialOrd for Term {
    fn partial_cmp(&self, other: &Term) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The longest term, in bytes.
const TERM_BYTES: usize = 15;

impl Term {
    pub(crate) fn new(text: &str) -> Term {
        let mut end = text.len().min(TERM_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0u8; 16];
        bytes[..end].copy_from_slice(&text.as_bytes()[..end]);
        bytes[15] = end as u8;
        Term(bytes)
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0[..self.0[15] as usize]).unwrap_or_default()
    }
}

/// Whether `c` belongs to a script written without spaces between words (Han, kana,
/// Hangul), indexed by characters. Must match `isCjk` in `search.js`.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// Splits `text` into terms, calling `emit` for each occurrence: every character of a
/// run of [`is_cjk`] characters and every pair of neighbours in it; every other run of
/// letters and digits as one lower-cased word.
#[cfg(test)]
pub(crate) fn terms(text: &str, mut emit: impl FnMut(Term)) {
    let mut word = String::new();
    let mut prev: Option<char> = None;
    let mut buf = [0u8; 8];
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut emit);
            emit(Term::new(c.encode_utf8(&mut buf)));
            if let Some(p) = prev {
                let n = p.encode_utf8(&mut buf).len();
                let m = c.encode_utf8(&mut buf[n..]).len();
                emit(Term::new(std::str::from_utf8(&buf[..n + m]).unwrap_or_default()));
            }
            prev = Some(c);
            continue;
        }
        prev = None;
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else {
            flush_word(&mut word, &mut emit);
        }
    }
    flush_word(&mut word, &mut emit);
}

#[cfg(test)]
fn flush_word(word: &mut String, emit: &mut impl FnMut(Term)) {
    if !word.is_empty() {
        emit(Term::new(word));
        word.clear();
    }
}

/// The terms of a document with their weights (occurrences, title ones counting
/// [`TITLE_WEIGHT`] times): the same terms as [`terms`] gives, counted faster, since
/// characters and pairs of characters are counted by code point.
pub(super) fn count(doc: &Doc) -> Counter {
    let mut counter = Counter::default();
    counter.add(&doc.title, TITLE_WEIGHT);
    counter.add(&doc.headings, HEADING_WEIGHT);
    counter.add(&doc.slug, SLUG_WEIGHT);
    let before = counter.occurrences;
    counter.add(&doc.text, 1);
    counter.len = counter.occurrences - before;
    counter
}

/// The term of a character or pair code of [`Counter`].
fn code_term(code: u64) -> Term {
    let mut buf = [0u8; 8];
    let char_at = |shift: u32| char::from_u32((code >> shift & 0x1F_FFFF) as u32).unwrap_or_default();
    let len = if code >> 63 == 1 {
        let first = char_at(21).encode_utf8(&mut buf).len();
        first + char_at(0).encode_utf8(&mut buf[first..]).len()
    } else {
        char_at(0).encode_utf8(&mut buf).len()
    };
    Term::new(std::str::from_utf8(&buf[..len]).unwrap_or_default())
}

/// Term occurrences of a text, by code point for [`is_cjk`] characters and their pairs,
/// by [`Term`] for words.
#[derive(Default)]
pub(super) struct Counter {
    /// A character as its code point; a pair as `1 << 63 | first << 21 | second`.
    chars: FxHashMap<u64, u32>,
    words: FxHashMap<Term, u32>,
    word: String,
    /// Term occurrences added so far.
    occurrences: u32,
    /// The document's length: term occurrences of its text.
    pub(super) len: u32,
}

impl Counter {
    fn add(&mut self, text: &str, weight: u32) {
        self.chars.reserve(1024);
        let mut prev: Option<u64> = None;
        for c in text.chars() {
            if is_cjk(c) {
                self.flush_word(weight);
                let code = u64::from(c as u32);
                *self.chars.entry(code).or_default() += weight;
                self.occurrences += 1;
                if let Some(p) = prev {
                    *self.chars.entry(1 << 63 | p << 21 | code).or_default() += weight;
                    self.occurrences += 1;
                }
                prev = Some(code);
                continue;
            }
            prev = None;
            if c.is_ascii_alphanumeric() {
                self.word.push(c.to_ascii_lowercase());
            } else if c.is_alphanumeric() {
                self.word.extend(c.to_lowercase());
            } else {
                self.flush_word(weight);
            }
        }
        self.flush_word(weight);
    }

    fn flush_word(&mut self, weight: u32) {
        if !self.word.is_empty() {
            *self.words.entry(Term::new(&self.word)).or_default() += weight;
            self.occurrences += 1;
            self.word.clear();
        }
    }
}

/// Every term a collector has seen, by id, and the id of each: characters and pairs
/// of characters by code (see [`Counter`]), words by [`Term`].
#[derive(Default)]
pub(super) struct Interned {
    codes: FxHashMap<u64, u32>,
    words: FxHashMap<Term, u32>,
    pub(super) terms: Vec<Term>,
}

impl Interned {
    fn id(terms: &mut Vec<Term>, term: impl FnOnce() -> Term) -> u32 {
        terms.push(term());
        terms.len() as u32 - 1
    }

    /// The ids and weights of a counted document, adding the terms not seen before.
    pub(super) fn intern(&mut self, counter: Counter) -> Vec<(u32, u16)> {
        let Interned { codes, words, terms } = self;
        let weight = |w: u32| w.min(u32::from(u16::MAX)) as u16;
        let mut out = Vec::with_capacity(counter.chars.len() + counter.words.len());
        for (code, w) in counter.chars {
            out.push((*codes.entry(code).or_insert_with(|| Self::id(terms, || code_term(code))), weight(w)));
        }
        for (word, w) in counter.words {
            out.push((*words.entry(word).or_insert_with(|| Self::id(terms, || word)), weight(w)));
        }
        out
    }
}

/// A document's terms and weights, packed: by ascending term id, each as the gap from
/// the previous id and the weight, both as LEB128 varints (about 2.5 bytes a posting
/// instead of 8, which is most of what the index holds while pages render).
#[derive(Debug, Default)]
pub(super) struct Postings {
    bytes: Vec<u8>,
}

impl Postings {
    pub(super) fn pack(mut terms: Vec<(u32, u16)>) -> Postings {
        terms.sort_unstable_by_key(|&(id, _)| id);
        let mut bytes = Vec::with_capacity(terms.len() * 3);
        let mut prev = 0;
        for (id, w) in terms {
            push_varint(&mut bytes, id - prev);
            push_varint(&mut bytes, u32::from(w));
            prev = id;
        }
        bytes.shrink_to_fit();
        Postings { bytes }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (u32, u16)> + '_ {
        let mut at = 0;
        let mut id = 0;
        std::iter::from_fn(move || {
            if at >= self.bytes.len() {
                return None;
            }
            id += read_varint(&self.bytes, &mut at)?;
            let w = read_varint(&self.bytes, &mut at)?;
            Some((id, w as u16))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn all_terms(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(text, |t| out.push(t.as_str().to_string()));
        out
    }

    #[test]
    fn chinese_becomes_characters_and_pairs_and_latin_becomes_words() {
        assert_eq!(all_terms("投诉处理"), ["投", "诉", "投诉", "处", "诉处", "理", "处理"]);
        // Pairs never cross punctuation, spaces or Latin words.
        assert_eq!(all_terms("满意，NPS 推荐"), ["满", "意", "满意", "nps", "推", "荐", "推荐"]);
        assert_eq!(all_terms("Follow-up 24h"), ["follow", "up", "24h"]);
    }

    #[test]
    fn weighing_counts_the_same_terms_as_splitting() {
        let doc = Doc {
            title: "投诉处理 SLA".into(),
            headings: "时限".into(),
            slug: "complaint-handling".into(),
            text: "客户投诉在 24 小时内回复。Complaints: answered within 24h; ÉTÉ été 投诉投诉".into(),
            kind: super::super::rank::Kind::Other,
        };
        let mut expected: BTreeMap<String, u32> = BTreeMap::new();
        terms(&doc.title, |t| *expected.entry(t.as_str().to_string()).or_default() += TITLE_WEIGHT);
        terms(&doc.headings, |t| *expected.entry(t.as_str().to_string()).or_default() += HEADING_WEIGHT);
        terms(&doc.slug, |t| *expected.entry(t.as_str().to_string()).or_default() += SLUG_WEIGHT);
        terms(&doc.text, |t| *expected.entry(t.as_str().to_string()).or_default() += 1);
        let counter = count(&doc);
        // The text's length: 客户投诉在 (5 + 4 pairs), 24, 小时内回复 (5 + 4), 6 words,
        // 投诉投诉 (4 + 3).
        assert_eq!(counter.len, 9 + 1 + 9 + 6 + 7);
        let chars = counter.chars.into_iter().map(|(code, w)| (code_term(code), w));
        let got: BTreeMap<String, u32> = chars.chain(counter.words).map(|(t, w)| (t.as_str().to_string(), w)).collect();
        assert_eq!(got, expected);
        // Hand-counted: 投诉 three times in the text and once in the title.
        assert_eq!(got["投诉"], 3 + TITLE_WEIGHT);
        assert_eq!(got["été"], 2);
    }

    #[test]
    fn long_words_are_cut_at_a_character_boundary() {
        let t = Term::new("satisfactionsurvey");
        assert_eq!(t.as_str(), "satisfactionsur");
        // 15 bytes would split the sixth `é` (2 bytes each): cut before it.
        assert_eq!(Term::new("éééééééé").as_str(), "ééééééé");
    }

    #[test]
    fn postings_pack_to_gaps_and_weights_and_unpack_in_id_order() {
        let packed = Postings::pack(vec![(300, 1), (5, u16::MAX), (70_000, 9)]);
        // 5 → [5], 65535 → [0xFF,0xFF,0x03]; gap 295 → [0xA7,0x02], 1 → [1];
        // gap 69700 → [0xC4,0xA0,0x04], 9 → [9].
        assert_eq!(packed.bytes, [5, 0xFF, 0xFF, 0x03, 0xA7, 0x02, 1, 0xC4, 0xA0, 0x04, 9]);
        assert_eq!(packed.iter().collect::<Vec<_>>(), [(5, u16::MAX), (300, 1), (70_000, 9)]);
        assert_eq!(Postings::pack(Vec::new()).iter().count(), 0);
    }
}
