//! The folders beside the output: the new site's temporary folder, the swap that puts
//! it in place, and the spare — the site before, kept after a swap so that the next
//! build updates it instead of creating tens of thousands of files and folders anew
//! and removing as many.
//!
//! Every removal here goes through [`remove_tree`] or [`vacate`], which never follow a
//! symbolic link; nothing in the spare is trusted: [`claim`] drops whatever is not a
//! plain file or folder, and the writer re-checks every file it keeps (the same inode
//! as the live file the manifest vouches for) and replaces every other.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::MARKER;

/// The folders beside an output folder `<parent>/<name>` that a build uses.
pub(super) struct Beside {
    /// The new site, while it is written (`.<name>.charter-tmp-<pid>`).
    pub(super) tmp: PathBuf,
    /// The previous site moved aside where the folders cannot be exchanged at once
    /// (`.<name>.charter-old-<pid>`).
    pub(super) old: PathBuf,
    /// The site before the previous one, kept for the next build (`.<name>.charter-spare`).
    pub(super) spare: PathBuf,
}

impl Beside {
    pub(super) fn of(parent: &Path, name: &str) -> Beside {
        let pid = std::process::id();
        Beside {
            tmp: parent.join(format!(".{name}.charter-tmp-{pid}")),
            old: parent.join(format!(".{name}.charter-old-{pid}")),
            spare: parent.join(format!(".{name}.charter-spare")),
        }
    }
}

/// What a claimed spare held: its files and folders, relative, `/`-separated.
#[derive(Debug, Default)]
pub(super) struct Held {
    pub(super) files: Vec<String>,
    pub(super) folders: Vec<String>,
}

/// Takes the spare as the new site's folder `tmp` (one rename, so two builds never
/// share it) and lists what it holds, removing anything that is neither a plain file
/// nor a folder. `None` when there is no usable spare (then `tmp` is not created).
pub(super) fn claim(spare: &Path, tmp: &Path) -> Option<Held> {
    let meta = std::fs::symlink_metadata(spare).ok()?;
    if !meta.is_dir() || !spare.join(MARKER).is_file() || std::fs::rename(spare, tmp).is_err() {
        return None;
    }
    let held = Mutex::new(Held::default());
    scan(tmp, "", &held);
    let mut held = held.into_inner().unwrap_or_else(|e| e.into_inner());
    held.files.sort_unstable();
    held.folders.sort_unstable();
    Some(held)
}

/// Lists the files and folders under `dir` (its path in the tree `rel`) into `held`,
/// folders in parallel; removes symbolic links and special files.
fn scan(dir: &Path, rel: &str, held: &Mutex<Held>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    entries.par_iter().for_each(|e| {
        let Some(name) = e.file_name().to_str().map(str::to_string) else {
            vacate(&e.path());
            return;
        };
        let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        match e.file_type() {
            Ok(t) if t.is_dir() => {
                scan(&e.path(), &path, held);
                held.lock().unwrap_or_else(|e| e.into_inner()).folders.push(path);
            }
            Ok(t) if t.is_file() => held.lock().unwrap_or_else(|e| e.into_inner()).files.push(path),
            _ => vacate(&e.path()),
        }
    });
}

/// Removes whatever is at `path` (a file, a link, a folder and everything in it), so
/// that a new file can be created there: a file in the spare may be a hard link to a
/// file of the live site, which must never be written into.
pub(super) fn vacate(path: &Path) {
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if meta.is_dir() {
            remove_tree(path);
        } else {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Makes `folder` (inside `top`) a folder, replacing any file on its way.
pub(super) fn clear_way(top: &Path, folder: &Path) -> std::io::Result<()> {
    if std::fs::create_dir_all(folder).is_ok() {
        return Ok(());
    }
    let rel = folder.strip_prefix(top).unwrap_or(folder);
    let mut at = top.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => std::fs::remove_file(&at)?,
            Err(_) => break,
        }
    }
    std::fs::create_dir_all(folder)
}

/// Removes from the site in `tmp` what the spare held that the new site does not
/// have (`keep`: the new site's files); folders deepest first.
pub(super) fn prune(tmp: &Path, held: &Held, keep: &rustc_hash::FxHashSet<&str>) {
    held.files.par_iter().filter(|f| !keep.contains(f.as_str())).for_each(|f| {
        let _ = std::fs::remove_file(tmp.join(f));
    });
    let mut needed: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    for f in keep {
        let mut rest = *f;
        while let Some((folder, _)) = rest.rsplit_once('/') {
            if !needed.insert(folder) {
                break;
            }
            rest = folder;
        }
    }
    let mut unneeded: Vec<&String> = held.folders.iter().filter(|d| !needed.contains(d.as_str())).collect();
    unneeded.sort_unstable_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for d in unneeded {
        let _ = std::fs::remove_dir(tmp.join(d));
    }
}

/// Moves `tmp` into place as `out`; the previous `out`, if any, becomes the spare
/// (or is removed when a spare is already there). On Linux the two folders are
/// exchanged in one atomic rename, so there is no instant at which `out` is missing:
/// a build killed at any point leaves either the previous site or the new one.
/// Elsewhere (or on a file system without the exchange) the previous site is renamed
/// aside first; should the process die between the two renames, the next build
/// restores it from there (see [`remove_stale`]).
pub(super) fn swap(beside: &Beside, out: &Path) -> Result<(), String> {
    let Beside { tmp, old, spare } = beside;
    let had_previous = out.exists();
    if had_previous && exchange(tmp, out) {
        // `tmp` now holds the previous site.
        keep_as_spare(tmp, spare);
        return Ok(());
    }
    if had_previous {
        std::fs::rename(out, old).map_err(|e| format!("cannot move the previous site aside: {e}"))?;
    }
    if let Err(e) = std::fs::rename(tmp, out) {
        if had_previous {
            let _ = std::fs::rename(old, out);
        }
        return Err(format!("cannot move the new site into place: {e}"));
    }
    if had_previous {
        keep_as_spare(old, spare);
    }
    Ok(())
}

/// Keeps the folder `dir` (a whole previous site, or what a build left) as the spare,
/// or removes it when there is one already.
pub(super) fn keep_as_spare(dir: &Path, spare: &Path) {
    if std::fs::symlink_metadata(spare).is_ok() || std::fs::rename(dir, spare).is_err() {
        remove_tree(dir);
    }
}

/// Atomically exchanges two existing folders; false when the system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) =
        (std::ffi::CString::new(a.as_os_str().as_bytes()), std::ffi::CString::new(b.as_os_str().as_bytes()))
    else {
        return false;
    };
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    r == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Removes a folder and everything in it, folders in parallel (a site is tens of
/// thousands of small files; removing them one by one was a tenth of a rebuild).
/// Symbolic links are removed, never followed. A site's marker goes last, so a removal
/// cut short still leaves a folder the next build recognises and clears. Best effort:
/// what cannot be removed stays, to be cleared by the next build.
pub(super) fn remove_tree(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let entries: Vec<std::fs::DirEntry> = entries.flatten().filter(|e| e.file_name() != MARKER).collect();
    entries.par_iter().for_each(|e| match e.file_type() {
        Ok(t) if t.is_dir() => remove_tree(&e.path()),
        _ => {
            let _ = std::fs::remove_file(e.path());
        }
    });
    let _ = std::fs::remove_file(dir.join(MARKER));
    let _ = std::fs::remove_dir(dir);
}

/// Clears what an interrupted build left beside the output; only folders named like
/// ours and holding our marker are touched. If the output itself is missing because a
/// build died between moving the previous site aside and moving the new one in, that
/// previous site is put back first. A left-over folder becomes the spare when there
/// is none (the spare is never trusted, so a half-written one serves as well).
pub(super) fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let prefixes = [format!(".{name}.charter-tmp-"), format!(".{name}.charter-old-")];
    let mut stale: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .filter(|(n, p)| prefixes.iter().any(|pre| n.starts_with(pre.as_str())) && p.join(MARKER).is_file())
        .collect();
    stale.sort();
    let out = parent.join(name);
    if !out.exists() {
        if let Some(i) = stale.iter().position(|(n, _)| n.starts_with(prefixes[1].as_str())) {
            let (_, previous) = stale.remove(i);
            let _ = std::fs::rename(previous, &out);
        }
    }
    let spare = parent.join(format!(".{name}.charter-spare"));
    for (_, path) in stale {
        keep_as_spare(&path, &spare);
    }
}
