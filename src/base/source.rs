//! Reading a site's source file: UTF-8 text within a size limit, absent files quietly
//! `None`, every other failure one diagnostic at the file (a bad byte at its line and
//! column). It must not parse the text or know what the file holds.

use std::path::Path;

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::base::numbers::megabytes;

/// Reads a site source file (`file` is its site-relative name for messages) as UTF-8
/// text. `None` and no diagnostic when it does not exist; `None` and a diagnostic when
/// it is larger than `max_bytes` (refused unread: "`file` is 100.0 MB; `what` are
/// limited to 10.0 MB"), cannot be read, or is not UTF-8 (at the line and column of
/// the first bad byte). Shared by the loaders of data, measurements and content.
pub(crate) fn read_source(
    path: &Path,
    file: &str,
    max_bytes: u64,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let too_large = |len: u64, diags: &mut Diagnostics| {
        diags.error(
            file,
            Pos::FILE,
            "too-large",
            format!("{file} is {}; {what} are limited to {}", megabytes(len), megabytes(max_bytes)),
        );
    };
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            // A folder, or a named pipe or device that a read would wait on forever.
            diags.error(file, Pos::FILE, "io", format!("cannot read {file}: it is not a regular file"));
            return None;
        }
        Ok(m) if m.len() > max_bytes => {
            too_large(m.len(), diags);
            return None;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        _ => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            diags.error(file, Pos::FILE, "io", format!("cannot read file: {e}"));
            return None;
        }
    };
    if bytes.len() as u64 > max_bytes {
        // It grew between the two looks.
        too_large(bytes.len() as u64, diags);
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(t) => Some(t),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            diags.error(file, utf8_error_pos(valid), "not-utf8", "the file is not valid UTF-8 text (save it as UTF-8)");
            None
        }
    }
}

/// The position just after `valid` (the valid UTF-8 start of a file): where the first
/// bad byte is. A leading byte-order mark is not counted as a column.
fn utf8_error_pos(valid: &[u8]) -> Pos {
    let text = String::from_utf8_lossy(valid);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Pos::of_offset(text, usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags_of(f: impl FnOnce(&mut Diagnostics)) -> Vec<String> {
        let mut d = Diagnostics::new();
        f(&mut d);
        d.into_sorted().iter().map(|d| format!("{}:{}:{} {}", d.path, d.pos.line, d.pos.col, d.message)).collect()
    }

    #[test]
    fn sources_are_refused_when_too_large_or_not_utf8_at_the_first_bad_byte() {
        assert_eq!(utf8_error_pos(b""), Pos::new(1, 1));
        assert_eq!(utf8_error_pos("a: 1\nb: 前台".as_bytes()), Pos::new(2, 6));
        assert_eq!(utf8_error_pos("\u{feff}x".as_bytes()), Pos::new(1, 2));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, b"a: 1\nb: caf\xe9\n").unwrap();
        let msgs = diags_of(|d| assert!(read_source(&path, "data/p.yaml", 100, "data files", d).is_none()));
        assert_eq!(msgs, ["data/p.yaml:2:7 the file is not valid UTF-8 text (save it as UTF-8)"]);
        std::fs::File::create(&path).unwrap().set_len(150 << 20).unwrap();
        let msgs = diags_of(|d| assert!(read_source(&path, "data/p.yaml", 10 << 20, "data files", d).is_none()));
        assert_eq!(msgs, ["data/p.yaml:0:0 data/p.yaml is 150.0 MB; data files are limited to 10.0 MB"]);
        let msgs = diags_of(|d| assert!(read_source(&dir.path().join("no"), "no", 1, "x", d).is_none()));
        assert!(msgs.is_empty());
        let msgs = diags_of(|d| assert!(read_source(dir.path(), "data", 100, "x", d).is_none()));
        assert_eq!(msgs, ["data:0:0 cannot read data: it is not a regular file"]);
    }
}
