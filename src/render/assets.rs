//! Fingerprinted names of theme assets: `style.css` is written as `style.<hash>.css`,
//! where `<hash>` is the first ten hex digits of the SHA-256 of its bytes, so a host can
//! cache it forever (a changed file has a new name) and pages name it through the
//! `asset(name=…)` template function. `search.js` also gets the search box's words
//! (every interface language's, from `base::i18n`) in place of its `{/*search-words*/}`
//! marker, so no page carries them. Pure: names and bytes from bytes, nothing written.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// Hex digits of the content hash kept in a name: 40 bits, so two versions of one
/// asset sharing a name is a one-in-a-trillion chance.
const HASH_DIGITS: usize = 10;

/// `name` with the content hash of `bytes` before its extension (`style.css` →
/// `style.0123456789.css`; `LICENSE` → `LICENSE.0123456789`). Folders are kept.
pub(crate) fn fingerprinted(name: &str, bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().map(|b| format!("{b:02x}")).collect::<String>()[..HASH_DIGITS].to_string();
    let file_start = name.rfind('/').map_or(0, |i| i + 1);
    match name[file_start..].rfind('.').filter(|&i| i > 0) {
        Some(dot) => {
            let dot = file_start + dot;
            format!("{}.{hash}{}", &name[..dot], &name[dot..])
        }
        None => format!("{name}.{hash}"),
    }
}

/// Where `search.js` wants the search box's words: an empty object literal, so the
/// script as written still parses. A site's own `search.js` without it is left as is.
const SEARCH_WORDS_MARK: &str = "{/*search-words*/}";

/// `js` with the first search-words marker replaced by `words` (a JSON object).
pub(crate) fn with_search_words(js: &[u8], words: &str) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(js) else { return js.to_vec() };
    match text.find(SEARCH_WORDS_MARK) {
        Some(at) => [&text[..at], words, &text[at + SEARCH_WORDS_MARK.len()..]].concat().into_bytes(),
        None => js.to_vec(),
    }
}

/// The fingerprinted name of every asset, by its plain name.
pub(crate) fn names(assets: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    assets.iter().map(|(name, bytes)| (name.clone(), fingerprinted(name, bytes))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_goes_before_the_extension_and_is_the_sha256_prefix() {
        // SHA-256("") = e3b0c44298fc1c149afbf4c8996fb924…
        assert_eq!(fingerprinted("style.css", b""), "style.e3b0c44298.css");
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223…
        assert_eq!(fingerprinted("search.js", b"abc"), "search.ba7816bf8f.js");
        assert_eq!(fingerprinted("LICENSE", b"abc"), "LICENSE.ba7816bf8f");
        assert_eq!(fingerprinted(".hidden", b"abc"), ".hidden.ba7816bf8f");
        assert_eq!(fingerprinted("img/logo.v2.png", b"abc"), "img/logo.v2.ba7816bf8f.png");
    }

    #[test]
    fn the_search_words_replace_the_marker_once_and_nothing_else() {
        let js = b"var a = {/*search-words*/}; var b = {/*search-words*/};";
        assert_eq!(
            with_search_words(js, r#"{"en":{}}"#),
            br#"var a = {"en":{}}; var b = {/*search-words*/};"#.to_vec()
        );
        assert_eq!(with_search_words(b"var a = {};", r#"{"en":{}}"#), b"var a = {};".to_vec());
    }

    #[test]
    fn the_name_changes_with_the_content_and_only_with_it() {
        let a = fingerprinted("style.css", b"body{color:#000}");
        assert_eq!(a, fingerprinted("style.css", b"body{color:#000}"));
        assert_ne!(a, fingerprinted("style.css", b"body{color:#111}"));
    }
}
