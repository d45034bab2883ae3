//! Path safety: which names may become a folder or file of a built site, and which
//! files of a site folder may be read at all.
//!
//! Owns the rules for one path segment (a content file or folder name, a page or data
//! id, a version) and for a whole output path, and the check that no symbolic link in
//! the site's source folders leads outside the site root. It is pure except for
//! [`links_leaving_root`], which only reads link targets; it must not decide what a
//! name means or write anything.

use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostics, Pos};

/// Longest segment in bytes: the usual file-name limit of Linux, macOS and Windows.
const MAX_SEGMENT_BYTES: usize = 255;

/// Characters that are reserved in Windows file names or that change a URL's meaning.
const RESERVED_CHARS: &[char] = &['<', '>', ':', '"', '|', '?', '*', '#', '%', '\\', '/'];

/// Checks one segment of a path that will name a file or folder of a built site and
/// appear in its URLs. Rejects the empty name, `.` and `..`, separators (`/`, `\`),
/// NUL and other control characters, invisible and direction-changing characters (a
/// U+202E RIGHT-TO-LEFT OVERRIDE makes `gpj.exe` read `exe.jpg`), `%` (an encoded dot
/// or slash such as `%2e%2e` is decoded by web servers), characters Windows reserves,
/// names ending in a dot or a space, Windows device names (`CON`, `nul.txt`, `COM1`…)
/// and overlong names. The error says what is wrong, for a diagnostic.
pub(crate) fn check_segment(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("an empty name".into());
    }
    if name == "." || name == ".." {
        return Err(format!("`{name}` would leave its folder"));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Err(format!("a control character (U+{:04X})", c as u32));
    }
    if let Some((_, c, _)) = crate::base::text_safety::find_deceptive(name) {
        return Err(crate::base::text_safety::describe(c));
    }
    if let Some(c) = name.chars().find(|c| RESERVED_CHARS.contains(c)) {
        let why = match c {
            '/' | '\\' => "a path separator",
            '%' => "which URLs read as an escape (`%2e%2e` is `..`)",
            '#' | '?' => "a character that ends the path of a URL",
            _ => "a character Windows does not allow in file names",
        };
        return Err(format!("`{c}`: {why}"));
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Err("a name ending in a dot or a space (Windows drops them)".into());
    }
    if is_device_name(name) {
        return Err(format!("`{name}`, a reserved device name on Windows"));
    }
    if name.len() > MAX_SEGMENT_BYTES {
        return Err(format!("a name of {} bytes (at most {MAX_SEGMENT_BYTES})", name.len()));
    }
    Ok(())
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9` and `LPT0`–`LPT9`, in any case, alone or
/// before an extension (`nul.txt` opens the device too).
fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end().to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        s if s.len() == 4 && (s.starts_with("COM") || s.starts_with("LPT")) => s.as_bytes()[3].is_ascii_digit(),
        _ => false,
    }
}

/// Checks a relative output path (`/`-separated, no leading `/`, no empty segment),
/// each segment by [`check_segment`]. The last line of defence: every file a build
/// hands to the output step passes here, so nothing can be written outside the output
/// folder whatever a loader let through.
pub(crate) fn check_output_path(path: &str) -> Result<(), String> {
    if path.starts_with('/') {
        return Err(format!("`{path}` is an absolute path"));
    }
    for segment in path.split('/') {
        check_segment(segment).map_err(|why| format!("`{path}` contains {why}"))?;
    }
    Ok(())
}

/// The site's source folders and files, relative to the root.
const SOURCES: &[&str] = &["charter.yaml", "content", "data", "static", "templates", "versions"];

/// Every symbolic link under the site's sources (`SOURCES`) whose target lies outside
/// the site root, or cannot be resolved, as an error diagnostic at the link. Links are
/// never followed while walking, so a loop or a link to `/` costs nothing. A build
/// stops before reading anything when this finds one, so no loader ever reads a file
/// from outside the site.
pub(crate) fn links_leaving_root(root: &Path) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let Ok(real_root) = root.canonicalize() else { return diags };
    for source in SOURCES {
        let top = root.join(source);
        let walker = walkdir::WalkDir::new(&top).follow_links(false).sort_by_file_name();
        for entry in walker.into_iter().flatten() {
            if !entry.path_is_symlink() {
                continue;
            }
            let rel = relative(root, entry.path());
            let target = std::fs::read_link(entry.path()).unwrap_or_default();
            match entry.path().canonicalize() {
                Ok(real) if real.starts_with(&real_root) => {}
                Ok(_) => diags.error(
                    &rel,
                    Pos::FILE,
                    "symlink-outside-root",
                    format!(
                        "symbolic link to `{}` leaves the site folder; Charter reads only files inside the site",
                        target.display()
                    ),
                ),
                Err(e) => diags.error(
                    &rel,
                    Pos::FILE,
                    "symlink-outside-root",
                    format!("symbolic link to `{}` cannot be resolved: {e}", target.display()),
                ),
            }
        }
    }
    diags
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .map(PathBuf::from)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_pass() {
        for ok in ["s0001", "投诉处理", "front-desk", "v2026.1", "a_b", ".well-known", "index.html", "中文 名"] {
            assert_eq!(check_segment(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn escaping_and_reserved_names_are_refused_with_the_reason() {
        let cases = [
            ("", "empty"),
            (".", "leave its folder"),
            ("..", "leave its folder"),
            ("a/b", "path separator"),
            ("..\\x", "path separator"),
            ("a\0b", "U+0000"),
            ("tab\tname", "U+0009"),
            ("%2e%2e", "`%`"),
            ("a%2fb", "`%`"),
            ("c:", "Windows does not allow"),
            ("what?", "ends the path"),
            ("x#y", "ends the path"),
            ("name.", "ending in a dot"),
            ("name ", "ending in a dot or a space"),
            ("CON", "device name"),
            ("con", "device name"),
            ("nul.txt", "device name"),
            ("Com1", "device name"),
            ("LPT9.md", "device name"),
            ("a\u{200B}b", "invisible character U+200B ZERO WIDTH SPACE"),
            ("\u{202E}gpj.exe", "direction-changing character U+202E RIGHT-TO-LEFT OVERRIDE"),
        ];
        for (name, why) in cases {
            let e = check_segment(name).expect_err(name);
            assert!(e.contains(why), "{name:?}: {e}");
        }
        assert!(check_segment(&"字".repeat(86)).is_err(), "258 bytes");
        assert!(check_segment(&"字".repeat(85)).is_ok(), "255 bytes");
        // Names that merely start like a device are fine.
        for ok in ["console", "common", "com10", "lpt", "auxiliary"] {
            assert_eq!(check_segment(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn output_paths_stay_inside_the_output_folder() {
        assert_eq!(check_output_path("public/standards/s1/index.html"), Ok(()));
        for bad in
            ["/etc/passwd", "public/../../x", "public//x", "public/./x", "public/a\\..\\b", "public/%2e%2e/x", ""]
        {
            assert!(check_output_path(bad).is_err(), "{bad}");
        }
    }
}
