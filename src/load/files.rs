//! Files that are not pages: images and downloads beside the pages in `content/`, and
//! the site's `static/` folder (`static/internal/` for the internal site only).
//!
//! Owns which files are published where they sit, their addresses in the site and the
//! checks on their names and sizes. Files are listed, never read: the output step copies
//! their bytes as they are. It must not decide who may read them (that is `check`,
//! from the section a file sits in) or resolve links to them.

use std::path::{Path, PathBuf};

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::base::paths;

pub(crate) const STATIC_DIR: &str = "static";
/// The folder of `static/` whose files only the internal site publishes.
pub(crate) const INTERNAL_DIR: &str = "internal";
/// The largest file copied (1 GiB): anything larger is refused with an error, so that
/// a video left in the folder by mistake does not end up in every release.
const MAX_FILE_BYTES: u64 = 1 << 30;

/// Extensions of files a browser runs as a document or script. Beside the pages they
/// are refused: content may not run script in the published sites (raw HTML in
/// markdown is sanitised for the same reason); `static/` is the maintainers' own, like
/// `templates/`, and copied as it is.
const ACTIVE: &[&str] = &["html", "htm", "xhtml", "xht", "shtml", "js", "mjs", "svg", "svgz", "xml", "xsl"];

/// The codes of the errors that refuse one file (its name, its type, its size). A
/// release frozen by an older Charter, which left such files out in silence, reports
/// none of them: the file stays out and the release keeps building.
pub(crate) const REFUSED_FILE: &[&str] = &["bad-file-name", "active-file", "file-too-large"];

/// Where a file comes from, which decides the sites that publish it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Beside the pages of a section (the folder under `content/`), with its audience.
    Content { section: String },
    /// `static/`: both sites.
    Static,
    /// `static/internal/`: the internal site only.
    StaticInternal,
}

/// A file published as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asset {
    /// Its path from the site root, as diagnostics name it (`content/standards/img/a.png`).
    pub(crate) source: String,
    /// Where its bytes are read from when it is copied.
    pub(crate) path: PathBuf,
    /// Its address in the site: its path under `content/` or `static/` (without
    /// `internal/` for a file of `static/internal/`).
    pub(crate) url: String,
    pub(crate) origin: Origin,
}

impl Asset {
    /// Its path under `static/` for a static file (`internal/a.pdf`), else `None`.
    pub(crate) fn static_path(&self) -> Option<&str> {
        self.source.strip_prefix(STATIC_DIR).and_then(|s| s.strip_prefix('/'))
    }
}

/// A file met while walking `content/` (`rel`: its path under it) or `static/`, as an
/// [`Asset`] when its name may become part of the site and its size is within limits;
/// otherwise a diagnostic. `all_segments`: check every folder name too (`static/` has
/// no section pages through which folders are checked).
pub(crate) fn asset(entry: &walkdir::DirEntry, rel: &str, origin: Origin, diags: &mut Diagnostics) -> Option<Asset> {
    let (source, url, all_segments) = match &origin {
        Origin::Content { .. } => (format!("{}/{rel}", crate::load::content::CONTENT_DIR), rel.to_string(), false),
        Origin::Static => (format!("{STATIC_DIR}/{rel}"), rel.to_string(), true),
        Origin::StaticInternal => {
            let url = rel.strip_prefix(INTERNAL_DIR).and_then(|r| r.strip_prefix('/')).unwrap_or(rel);
            (format!("{STATIC_DIR}/{rel}"), url.to_string(), true)
        }
    };
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let checked: Vec<&str> = if all_segments { rel.split('/').collect() } else { vec![name] };
    for segment in checked {
        if let Err(why) = paths::check_segment(segment) {
            diags.error(
                &source,
                Pos::FILE,
                "bad-file-name",
                format!("the name `{segment}` cannot be part of the site: {why}"),
            );
            diags.with_help("rename it");
            return None;
        }
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if matches!(origin, Origin::Content { .. }) && ACTIVE.contains(&extension.as_str()) {
        let what = if extension == "svg" { "an SVG image can hold script" } else { "a browser runs it" };
        diags.error(
            &source,
            Pos::FILE,
            "active-file",
            format!(
                "`{name}` cannot be published beside the pages: {what}, and content may not run script in the sites"
            ),
        );
        diags.with_help("put it in static/, which the site's maintainers own like templates/");
        return None;
    }
    if name == "index.html" {
        diags.error(
            &source,
            Pos::FILE,
            "file-collision",
            "a file named `index.html` would replace the page of its folder",
        );
        diags.with_help("rename it; pages are written as markdown");
        return None;
    }
    match entry.metadata() {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            let (size, max) =
                (crate::base::numbers::megabytes(m.len()), crate::base::numbers::megabytes(MAX_FILE_BYTES));
            diags.error(
                &source,
                Pos::FILE,
                "file-too-large",
                format!("{source} is {size}; files are limited to {max}"),
            );
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            diags.error(&source, Pos::FILE, "io", format!("cannot read {source}: {e}"));
            return None;
        }
    }
    Some(Asset { source, path: entry.path().to_path_buf(), url, origin })
}

/// Every file under `root/static` (none when there is no such folder), sorted by path.
/// Hidden files (`.DS_Store`) and symbolic links are left out, the links with a
/// warning; a name that cannot be part of the site is an error.
pub(crate) fn load_static(root: &Path, diags: &mut Diagnostics) -> Vec<Asset> {
    let dir = root.join(STATIC_DIR);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name();
    for entry in
        walker.into_iter().filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.error(STATIC_DIR, Pos::FILE, "io", format!("cannot read the static folder: {e}"));
                continue;
            }
        };
        let rel_path = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let parts: Vec<_> = rel_path.components().map(|c| c.as_os_str().to_string_lossy()).collect();
        let rel = parts.join("/");
        let source = format!("{STATIC_DIR}/{rel}");
        if entry.file_type().is_symlink() {
            diags.warning(&source, Pos::FILE, "symlink-ignored", "symbolic links in static/ are not followed");
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if rel_path.to_str().is_none() {
            diags.error(&source, Pos::FILE, "bad-path", "the file name is not valid UTF-8; rename it");
            continue;
        }
        let internal = parts.len() > 1 && parts[0] == INTERNAL_DIR;
        let origin = if internal { Origin::StaticInternal } else { Origin::Static };
        out.extend(asset(&entry, &rel, origin, diags));
    }
    out
}
