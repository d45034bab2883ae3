//! The files of a built site as rendering produces them, and the [`Sink`] they are
//! handed to in batches. Writing them to disk is `build::output`'s job alone.

/// A file of the built site, by path relative to the output folder (`/` separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The search text of a page's markdown body, read from the events its HTML was
/// written from (`markdown::text`) in the pass that rendered it, so that the search
/// index need not read the body's HTML back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyText {
    /// The text, each block's text ending in a line break (white space folded).
    pub(crate) text: String,
    /// The sub-headings, each ending in a line break.
    pub(crate) headings: String,
    /// Whether the body has an `<h1>` (it reads the same only after the page's title).
    pub(crate) has_title: bool,
    /// Whether the body opens an `<article>`.
    pub(crate) has_article: bool,
}

/// A rendered page's body text, and where the body's HTML sits in the page's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageText {
    /// Byte range of the body's HTML in the page.
    pub(crate) at: std::ops::Range<usize>,
    pub(crate) body: std::sync::Arc<BodyText>,
}

/// A file of the built site copied as it is from a source file (an image, a
/// download): its bytes are read only when it is written, never held by rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CopiedFile {
    pub(crate) path: String,
    pub(crate) from: std::path::PathBuf,
}

impl CopiedFile {
    /// The file with its bytes, for sinks that keep files in memory.
    pub(crate) fn read(&self) -> Result<OutputFile, String> {
        let bytes = std::fs::read(&self.from).map_err(|e| format!("cannot read {}: {e}", self.from.display()))?;
        Ok(OutputFile { path: self.path.clone(), bytes })
    }
}

/// The folders of a build's sites, each with its own search index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folders {
    /// The releases of the public site, oldest first (`2025.1`).
    pub releases: Vec<String>,
    /// The sites behind sign-in, lowest tier first (`internal`).
    pub staff: Vec<String>,
    /// The folder of each language after the first in every site and release (`en`).
    pub languages: Vec<String>,
}

/// Where a build's files go as they are rendered: written straight into the new
/// site (`build::output::Writer`, plus the search index, in `charter build`) or kept in memory
/// ([`Collect`], for `charter serve` and tests). Pages arrive in batches from several
/// threads, in no particular order.
pub(crate) trait Sink: Sync {
    /// Called once, before any file, with the folders of the build's sites.
    fn start(&self, _folders: &Folders) {}
    fn put(&self, files: Vec<OutputFile>);
    /// Pages, each with its body's search text when the markdown pass gave one. By
    /// default the texts are dropped (the search index then reads the pages' HTML).
    fn put_pages(&self, pages: Vec<(OutputFile, Option<PageText>)>) {
        self.put(pages.into_iter().map(|(f, _)| f).collect());
    }
    /// Files copied as they are. By default they are read and [`Sink::put`]; a sink
    /// that writes to disk copies them without holding them in memory.
    fn copy(&self, files: Vec<CopiedFile>) -> Result<(), String> {
        let read: Result<Vec<OutputFile>, String> = files.iter().map(CopiedFile::read).collect();
        self.put(read?);
        Ok(())
    }
}

/// A [`Sink`] that keeps every file in memory.
#[derive(Default)]
pub(crate) struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files received, sorted by path.
    pub(crate) fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, files: Vec<OutputFile>) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend(files);
    }
}
