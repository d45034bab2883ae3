//! The author loop: `charter serve` builds the site into memory, serves one audience's
//! site on 127.0.0.1, watches the sources and tells open tabs to reload over
//! server-sent events, naming the pages that changed so other tabs stay put.
//!
//! An edit is handled twice. First, on the edit thread, [`crate::build::Live::patch`]
//! re-renders just the edited page when nothing else can have changed, and its tab
//! reloads at once. Then, on the build thread, the whole site is rebuilt (reusing
//! unchanged work through the build cache) for everything the edit touches
//! elsewhere: the print edition, redlines, search. A rebuild that started before a
//! later patch is dropped, since a newer one follows; edits that a patch cannot take
//! (front matter, templates, data, new files) go straight to the rebuild.
//!
//! A failed rebuild keeps serving the last good site and shows the diagnostics as an
//! overlay; the next good build removes it. Files are served from memory by exact
//! path, so a request can never reach the file system; paths that try to climb out
//! (`..`, encoded dots, backslashes, NUL) get 404 before any lookup. Serve writes
//! nothing to disk. The live-reload script (`reload.js`) and the error overlay
//! (`overlay.html`), assets beside this file, are added to pages only here, never to
//! built output.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio::sync::broadcast;
use tokio_stream::StreamExt as _;

use crate::build::{build_files, BuildError, BuildOptions, Cache, Live, Patch};

/// The path of the reload event stream.
pub(crate) const EVENTS_PATH: &str = "/__charter/events";

/// What `charter serve` is asked to do.
pub(crate) struct ServeOptions {
    /// Build options (the mode is ignored: serve never writes).
    pub(crate) build: BuildOptions,
    /// Port to try first; 0 picks a free one.
    pub(crate) port: u16,
    /// The tier whose site is served (its folder's name).
    pub(crate) audience: String,
}

/// What is being served right now.
#[derive(Default)]
struct Served {
    /// Files of the served audience's site, by path inside it.
    files: BTreeMap<String, Vec<u8>>,
    /// The overlay of the last failed rebuild, while it is not fixed.
    overlay: Option<String>,
}

#[derive(Clone)]
struct App {
    served: Arc<RwLock<Served>>,
    events: broadcast::Sender<Notice>,
    /// Builds whose search index the indexer thread should make.
    index_jobs: std::sync::mpsc::Sender<IndexJob>,
    /// The last good build, as patches have updated it since.
    live: Arc<Mutex<Option<Live>>>,
    /// Counts patches, so a rebuild that a patch overtook is not served.
    patches: Arc<AtomicU64>,
}

/// A build's files, its release names and the folders of its sites behind sign-in,
/// for the search indexer.
type IndexJob = (Vec<crate::base::files::OutputFile>, crate::base::files::Folders);

/// Whether a served path belongs to a search bundle (`search/…`, `2025.1/search/…`).
fn is_search_bundle(path: &str) -> bool {
    let bundle = crate::search::BUNDLE;
    let in_bundle =
        path.strip_prefix(bundle).is_some_and(|r| r.starts_with('/')) || path.split('/').nth(1) == Some(bundle);
    in_bundle && crate::search::is_index_file(path)
}

/// Builds search indexes on its own thread, always for the newest build only, so that
/// pages reload without waiting for the index.
fn start_indexer(app: App, audience: &str) -> std::sync::mpsc::Sender<IndexJob> {
    let (tx, rx) = std::sync::mpsc::channel::<IndexJob>();
    let prefix = format!("{audience}/");
    std::thread::spawn(move || {
        let mut cache = Cache::long_running();
        while let Ok(mut job) = rx.recv() {
            while let Ok(newer) = rx.try_recv() {
                job = newer;
            }
            let index = crate::build::search_indexes(&job.0, &job.1, &mut cache);
            if let Ok(mut s) = app.served.write() {
                s.files.retain(|k, _| !is_search_bundle(k));
                s.files.extend(
                    index.into_iter().filter_map(|f| f.path.strip_prefix(&prefix).map(|p| (p.to_string(), f.bytes))),
                );
            }
        }
    });
    tx
}

/// What open tabs are told.
#[derive(Clone, Debug)]
enum Notice {
    /// Reload if showing one of these pages (URL paths, space-separated), or `*`: all.
    Reload(String),
    Failed(String),
}

/// Tells every tab to reload.
const ALL: &str = "*";

/// Above this many changed pages, tabs are simply all told to reload.
const MAX_NAMED: usize = 200;

/// The URL path of a served file (`standards/a/index.html` → `/standards/a/`).
fn url_of(path: &str) -> String {
    format!("/{}", path.strip_suffix("index.html").unwrap_or(path))
}

/// What tabs must reload when the served files go from `old` to `new`: the changed
/// pages, `*` when anything else changed (a style sheet), `None` when nothing did.
fn reload_for(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> Option<String> {
    let removed = old.keys().filter(|k| !new.contains_key(*k));
    let changed: Vec<&String> =
        new.iter().filter(|(k, v)| old.get(*k) != Some(v)).map(|(k, _)| k).chain(removed).collect();
    if changed.is_empty() {
        None
    } else if changed.len() > MAX_NAMED || changed.iter().any(|k| !k.ends_with(".html")) {
        Some(ALL.into())
    } else {
        Some(changed.iter().map(|k| url_of(k)).collect::<Vec<_>>().join(" "))
    }
}

/// Runs until the process is stopped. Returns an error only when it cannot start.
pub(crate) fn serve(opts: ServeOptions) -> Result<(), String> {
    // The first build runs before the server's runtime starts: building the search
    // index runs a runtime of its own.
    let (events, _) = broadcast::channel(16);
    let (placeholder, _) = std::sync::mpsc::channel();
    let mut app = App {
        served: Arc::new(RwLock::new(Served::default())),
        events,
        index_jobs: placeholder,
        live: Arc::new(Mutex::new(None)),
        patches: Arc::new(AtomicU64::new(0)),
    };
    app.index_jobs = start_indexer(app.clone(), &opts.audience);
    let mut cache = Cache::long_running();
    rebuild(&opts, &mut cache, &app, Instant::now());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    runtime.block_on(run(opts, app, cache))
}

async fn run(opts: ServeOptions, app: App, cache: Cache) -> Result<(), String> {
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", opts.port)).await {
        Ok(l) => l,
        Err(e) if opts.port != 0 => {
            let l = tokio::net::TcpListener::bind(("127.0.0.1", 0))
                .await
                .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
            println!("port {} is not available ({e}); using a free port instead", opts.port);
            l
        }
        Err(e) => return Err(format!("cannot listen on 127.0.0.1: {e}")),
    };
    let addr: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("serving the {} site on http://{addr}/ (Ctrl+C to stop)", opts.audience);
    use std::io::Write as _;
    let _ = std::io::stdout().flush();

    // Watch the sources on a thread; after a short quiet period, patch the edited
    // pages there and rebuild the site on another.
    let (tx, rx) = std::sync::mpsc::channel::<Change>();
    let root =
        opts.build.root.canonicalize().map_err(|e| format!("cannot watch {}: {e}", opts.build.root.display()))?;
    let mut watcher = Watch::new(&root, tx)?;
    let (jobs, queue) = std::sync::mpsc::channel::<Instant>();
    let edit_app = app.clone();
    let audience = opts.audience.clone();
    std::thread::spawn(move || {
        while let Ok((first, mut paths)) = rx.recv() {
            // Editors save in bursts (write, rename, chmod): wait until it settles.
            while let Ok((_, more)) = rx.recv_timeout(Duration::from_millis(10)) {
                paths.extend(more);
            }
            // A source folder created since (say `templates/`) is watched from now on;
            // the rebuild reads whatever was already written into it.
            watcher.add_new_folders();
            patch(&audience, &edit_app, &paths, first);
            let _ = jobs.send(first);
        }
    });
    let rebuild_app = app.clone();
    std::thread::spawn(move || {
        let mut cache = cache;
        while let Ok(mut since) = queue.recv() {
            while let Ok(newer) = queue.try_recv() {
                since = newer;
            }
            rebuild(&opts, &mut cache, &rebuild_app, since);
        }
    });

    let router = Router::new().route(EVENTS_PATH, get(event_stream)).fallback(get(file)).with_state(app);
    axum::serve(listener, router).await.map_err(|e| e.to_string())
}

/// A change the watcher saw: when, and which files.
type Change = (Instant, Vec<PathBuf>);

/// Re-renders the edited pages alone when [`Live::patch`] can (see the module docs),
/// serves them and reloads their tabs. Skipped while the overlay of a failed rebuild
/// shows: only a whole rebuild can clear it.
fn patch(audience: &str, app: &App, paths: &[PathBuf], since: Instant) {
    if app.served.read().map_or(true, |s| s.overlay.is_some()) {
        return;
    }
    let Ok(mut live) = app.live.lock() else { return };
    let Some(live) = live.as_mut() else { return };
    match live.patch(paths) {
        // Only temporary files, or pages no site shows: nothing to serve.
        Patch::Pages { files, warnings } if files.is_empty() && warnings.is_empty() => {}
        Patch::Pages { files, warnings } => {
            // Counted while the live build is locked: a rebuild checks the count under
            // the same lock before it replaces what is served.
            app.patches.fetch_add(1, Ordering::SeqCst);
            let prefix = format!("{audience}/");
            let mine: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .filter_map(|f| f.path.strip_prefix(&prefix).map(|p| (p.to_string(), f.bytes)))
                .collect();
            let urls: Vec<String> = mine.iter().map(|(p, _)| url_of(p)).collect();
            if let Ok(mut s) = app.served.write() {
                s.files.extend(mine);
            }
            if !warnings.is_empty() {
                eprint!("{}", crate::build::render_diagnostics(live.root(), &warnings));
            }
            println!(
                "updated {} in {:.0} ms; rebuilding the rest of the site",
                if urls.is_empty() { format!("pages the {audience} site does not show") } else { urls.join(" ") },
                since.elapsed().as_secs_f64() * 1000.0
            );
            if !urls.is_empty() {
                let _ = app.events.send(Notice::Reload(urls.join(" ")));
            }
        }
        Patch::Rebuild(why) => println!("rebuilding the site: {why}"),
    }
}

/// Watches `content/`, `data/`, `static/`, `templates/`, `versions/` and `charter.yaml`.
struct Watch {
    watcher: notify::RecommendedWatcher,
    folders: Vec<PathBuf>,
    watched: Vec<bool>,
}

impl Watch {
    fn new(root: &Path, tx: std::sync::mpsc::Sender<Change>) -> Result<Watch, String> {
        use notify::{RecursiveMode, Watcher};
        let folders: Vec<PathBuf> =
            ["content", "data", "static", "templates", "versions"].iter().map(|d| root.join(d)).collect();
        let config = root.join(crate::load::config::CONFIG_FILE);
        let roots = folders.clone();
        let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                let relevant = event.paths.iter().any(|p| p == &config || roots.iter().any(|r| p.starts_with(r)));
                if relevant && !matches!(event.kind, notify::EventKind::Access(_)) {
                    let _ = tx.send((Instant::now(), event.paths));
                }
            }
        })
        .map_err(|e| format!("cannot watch files: {e}"))?;
        // The root itself (not recursively) for charter.yaml and folders created later.
        watcher
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let mut w = Watch { watcher, watched: vec![false; folders.len()], folders };
        w.add_new_folders();
        Ok(w)
    }

    /// Starts watching every source folder that exists and is not watched yet.
    fn add_new_folders(&mut self) {
        use notify::{RecursiveMode, Watcher};
        for (dir, watched) in self.folders.iter().zip(self.watched.iter_mut()) {
            if !*watched && dir.is_dir() {
                *watched = self.watcher.watch(dir, RecursiveMode::Recursive).is_ok();
            }
        }
    }
}

/// Builds into memory; on success replaces what is served and tells the tabs whose
/// page changed to reload, on failure keeps the last good site and shows the
/// diagnostics. A build overtaken by a patch is dropped: a newer one is queued.
fn rebuild(opts: &ServeOptions, cache: &mut Cache, app: &App, since: Instant) {
    let prefix = format!("{}/", opts.audience);
    let patches = app.patches.load(Ordering::SeqCst);
    match build_files(&opts.build, cache) {
        Ok((report, files)) => {
            // Holding the live build, no patch can happen until this build is served.
            let mut live = app.live.lock().unwrap_or_else(|e| e.into_inner());
            if app.patches.load(Ordering::SeqCst) != patches {
                return;
            }
            if !report.diagnostics.is_empty() {
                eprint!("{}", crate::build::render_diagnostics(&opts.build.root, &report.diagnostics));
            }
            let mut served: BTreeMap<String, Vec<u8>> = files
                .iter()
                .filter_map(|f| f.path.strip_prefix(&prefix).map(|p| (p.to_string(), f.bytes.clone())))
                .collect();
            let mut reload = None;
            if let Ok(mut s) = app.served.write() {
                // Until the new search index is ready, the previous one keeps serving.
                let index = s.files.iter().filter(|(k, _)| is_search_bundle(k)).map(|(k, v)| (k.clone(), v.clone()));
                served.extend(index.collect::<Vec<_>>());
                reload = if s.overlay.is_some() { Some(ALL.to_string()) } else { reload_for(&s.files, &served) };
                s.files = served;
                s.overlay = None;
            }
            *live = cache.take_live();
            drop(live);
            println!("rebuilt in {:.0} ms", since.elapsed().as_secs_f64() * 1000.0);
            if let Some(pages) = reload {
                let _ = app.events.send(Notice::Reload(pages));
            }
            let _ = app.index_jobs.send((files, report.folders));
        }
        Err(BuildError::Content(diags)) => {
            let text = crate::build::render_diagnostics(&opts.build.root, &diags);
            eprint!("{text}");
            let overlay = overlay_html(&text);
            if let Ok(mut s) = app.served.write() {
                s.overlay = Some(overlay.clone());
            }
            println!("rebuild failed: {} problem(s); still serving the last good site", diags.len());
            let _ = app.events.send(Notice::Failed(overlay));
        }
        Err(BuildError::Io(msg)) => eprintln!("error: {msg}"),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The overlay shown over pages while the sources have errors (`overlay.html`, its
/// `{diagnostics}` replaced by the escaped text).
fn overlay_html(diagnostics: &str) -> String {
    include_str!("overlay.html").trim_end().replacen("{diagnostics}", &escape(diagnostics), 1)
}

/// The live-reload script (`reload.js`): reload on a good build, show the overlay on a
/// failed one.
fn reload_script() -> String {
    format!("<script>{}</script>", include_str!("reload.js").trim_end())
}

async fn event_stream(State(app): State<App>) -> impl IntoResponse {
    let stream = tokio_stream::wrappers::BroadcastStream::new(app.events.subscribe()).filter_map(|n| {
        n.ok().map(|n| {
            Ok::<Event, std::convert::Infallible>(match n {
                Notice::Reload(pages) => Event::default().event("reload").data(pages),
                Notice::Failed(html) => Event::default().event("failed").data(html.replace('\n', " ")),
            })
        })
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Decodes `%XX` escapes; `None` for malformed ones.
fn decode(path: &str) -> Option<String> {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The site path a request asks for, or `None` when it tries to leave the site root.
pub(crate) fn safe_path(raw: &str) -> Option<String> {
    let decoded = decode(raw)?;
    if decoded.contains('\\') || decoded.contains('\0') || !decoded.starts_with('/') || decoded.starts_with("//") {
        return None;
    }
    let rel = &decoded[1..];
    if rel.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(rel.to_string())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/atom+xml; charset=utf-8",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

async fn file(State(app): State<App>, uri: Uri) -> Response {
    let not_found = |app: &App| {
        let body = app
            .served
            .read()
            .ok()
            .and_then(|s| s.files.get("404.html").cloned())
            .unwrap_or_else(|| b"not found".to_vec());
        (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
    };
    let Some(path) = safe_path(uri.path()) else { return not_found(&app) };
    let Ok(served) = app.served.read() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let key = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.clone() };
    let Some(bytes) = served.files.get(&key) else {
        // A folder asked for without its slash: relative links need the slash.
        if served.files.contains_key(&format!("{path}/index.html")) {
            return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, format!("/{path}/"))]).into_response();
        }
        drop(served);
        return not_found(&app);
    };
    let kind = content_type(&key);
    if kind.starts_with("text/html") {
        let mut html = String::from_utf8_lossy(bytes).into_owned();
        let inject = format!("{}{}</body>", served.overlay.as_deref().unwrap_or(""), reload_script());
        html = match html.rfind("</body>") {
            Some(i) => format!("{}{inject}{}", &html[..i], &html[i + 7..]),
            None => html + &inject,
        };
        return ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-store")], html).into_response();
    }
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-store")], bytes.clone()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_csv_downloads_are_served_as_utf8_csv() {
        assert_eq!(content_type("reports/kpis/nps/org.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("reports/kpis/nps/index.html"), "text/html; charset=utf-8");
    }

    #[test]
    fn the_script_listens_to_the_events_and_the_overlay_shows_escaped_diagnostics() {
        let script = reload_script();
        assert!(script.starts_with("<script>(function(){") && script.ends_with("})();</script>"), "{script}");
        assert!(script.contains(&format!("new EventSource(\"{EVENTS_PATH}\")")), "{script}");
        let overlay = overlay_html("a < b & \"c\"");
        assert!(overlay.starts_with("<div id=\"charter-overlay\"") && overlay.ends_with("</div>"), "{overlay}");
        assert!(overlay.contains("<pre style=\"white-space:pre-wrap\">a &lt; b &amp; &quot;c&quot;</pre>"));
        assert!(!overlay.contains("{diagnostics}"));
    }

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        assert_eq!(safe_path("/"), Some(String::new()));
        assert_eq!(safe_path("/standards/%E6%8A%95%E8%AF%89/"), Some("standards/投诉/".into()));
        for bad in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/secret",
            "/%2E%2E%2Fsecret",
            "/a%5c..%5cb",
            "//etc/passwd",
            "/a/%00",
            "/%zz",
            "/./x",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }
}
