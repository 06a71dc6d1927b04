//! `errorbook serve`: the site rebuilt on every change, served from memory over HTTP, with
//! open tabs reloaded by server-sent events.
//!
//! The preview never writes the site to disk: a build renders into memory ([`stored`]) and the
//! server answers from that map, so no request can reach a file outside the output, and there
//! are no temporary files to clean up. A failed rebuild keeps the last good build online and
//! shows its diagnostics in the terminal and as an overlay in the browser.

mod http;
mod paths;
mod stored;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::stream::Stream;
use tokio::sync::broadcast;
use tower_http::compression::CompressionLayer;

use crate::diagnostics::{self, DiskSources};
use crate::site::{BuildOptions, Changes, LoadCache, RenderCache, RenderOptions, Scope, Site, Stale};

pub use paths::{resolve, Resolved};

/// Where the live-reload script and the event stream live (a category of that name would be
/// hidden in the preview, which is why the name is unusual).
const LIVE_PREFIX: &str = "/__errorbook/";
const LIVE_SCRIPT: &str = include_str!("live.js");
/// Events closer together than this are one save (editors write a file in several steps).
const DEBOUNCE: Duration = Duration::from_millis(30);

#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: std::net::IpAddr,
    pub port: u16,
    /// Whether the port was chosen by the user (then a taken port is an error).
    pub port_explicit: bool,
    pub drafts: bool,
    pub open: bool,
}

/// One complete build, as served.
#[derive(Default)]
pub struct Snapshot {
    pub files: BTreeMap<String, Arc<Stored>>,
}

pub use stored::Stored;

/// What the browser is told after each build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Ok { generation: u64 },
    Failed { generation: u64, report: String },
}

struct Shared {
    previewer: std::sync::Mutex<Previewer>,
    snapshot: RwLock<Arc<Snapshot>>,
    status: RwLock<Status>,
    events: broadcast::Sender<Status>,
    /// Turns true when the server stops, which ends the event streams of open tabs, so they
    /// close cleanly within the grace the shutdown gives (`http::SHUTDOWN_GRACE`).
    stopping: tokio::sync::watch::Receiver<bool>,
}

/// What a rebuild of the preview gave.
pub enum Rebuilt {
    /// The files to serve, and the line saying what was rebuilt (after any warnings).
    Built { snapshot: Arc<Snapshot>, summary: String },
    /// The content has errors, rendered for the terminal; the last good build stays.
    Refused { report: String },
}

/// What the preview keeps between builds: parsed entries, the last good site, its files.
pub struct Previewer {
    root: PathBuf,
    base_url: String,
    drafts: bool,
    cache: LoadCache,
    render_cache: RenderCache,
    last: Option<Site>,
    files: Arc<Snapshot>,
}

impl Previewer {
    pub fn new(root: &Path, base_url: &str, drafts: bool) -> Previewer {
        Previewer {
            root: root.to_path_buf(),
            base_url: base_url.to_owned(),
            drafts,
            cache: LoadCache::default(),
            render_cache: RenderCache::default(),
            last: None,
            files: Arc::default(),
        }
    }

    /// Builds the site after the files at `changed` changed (none for the first build). When
    /// they are all under `content/`, it renders just the pages the change touches.
    /// An `Err` is a failure to build at all (I/O, rendering); content errors are
    /// [`Rebuilt::Refused`].
    pub fn build(&mut self, changed: &[PathBuf]) -> Result<Rebuilt> {
        let started = Instant::now();
        let content = self.root.join(crate::content::CONTENT_DIR);
        let content_only = !changed.is_empty() && changed.iter().all(|path| path.starts_with(&content));
        // The root stands for "anything may have changed" (see `watch`).
        if changed.is_empty() || changed.contains(&self.root) {
            self.cache.anything_changed();
        } else {
            self.cache.paths_changed(changed);
        }
        let options = BuildOptions {
            base_url: Some(self.base_url.clone()),
            drafts: self.drafts,
            ..BuildOptions::default()
        };
        let loaded = Site::load_cached(&self.root, options, &self.cache)?;
        let found = diagnostics::sorted(loaded.diagnostics);
        let report = diagnostics::render_human(&found, &DiskSources(&self.root), false);
        let Some(site) = loaded.site else {
            return Ok(Rebuilt::Refused { report });
        };
        let scope = match &self.last {
            Some(last) if content_only => Scope::Only(Changes::between(&last.content, &site.content)),
            _ => Scope::Everything,
        };
        crate::site::log_stage("find what changed", started);
        // A build of everything packs as it goes, so it never holds the whole site unpacked.
        let sink = stored::StoringSink::new(scope.is_everything());
        let stats = match site.render_with(
            &sink,
            RenderOptions { scope: &scope, cache: Some(&self.render_cache), ..RenderOptions::default() },
        ) {
            Ok(stats) => stats,
            Err(error) => {
                // The cache may hold part of this render; the next one starts afresh.
                self.render_cache = RenderCache::default();
                return Err(error);
            }
        };
        let rendered = sink.into_files();
        let mut files = match &scope {
            Scope::Everything => BTreeMap::new(),
            Scope::Only(changes) => {
                let mut files = self.files.files.clone();
                if let Some(last) = &self.last {
                    let stale = Stale::of(changes, &last.content);
                    files.retain(|path, _| !stale.contains(path));
                }
                files
            }
        };
        files.extend(rendered);
        let snapshot = Arc::new(Snapshot { files });
        crate::site::log_stage("snapshot", started);
        let pages =
            if scope.is_everything() { "every page".to_owned() } else { format!("{} pages", stats.pages) };
        let summary = format!(
            "{report}rebuilt {pages} of {} entries in {} ms",
            stats.entries,
            started.elapsed().as_millis()
        );
        self.files = snapshot.clone();
        self.last = Some(site);
        Ok(Rebuilt::Built { snapshot, summary })
    }
}

pub fn run(options: &ServeOptions) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("failed to start the server runtime")?;
    let result = runtime.block_on(serve(options));
    // A rebuild under way on a blocking thread must not hold the process.
    runtime.shutdown_background();
    result
}

async fn bind(options: &ServeOptions) -> Result<tokio::net::TcpListener> {
    let tries = if options.port_explicit { 1 } else { 10 };
    let mut last_error = None;
    for offset in 0..tries {
        let port = options.port.saturating_add(offset);
        match tokio::net::TcpListener::bind(SocketAddr::new(options.bind, port)).await {
            Ok(listener) => {
                if offset > 0 {
                    eprintln!("port {} is in use; serving on port {port} instead", options.port);
                }
                return Ok(listener);
            }
            Err(error) => last_error = Some(error),
        }
    }
    let error = last_error.map_or_else(|| "unknown error".to_owned(), |e| e.to_string());
    if options.port_explicit {
        anyhow::bail!("cannot listen on {}:{}: {error}; choose another --port", options.bind, options.port)
    }
    anyhow::bail!(
        "cannot listen on {} ports {}–{}: {error}; choose a free one with --port",
        options.bind,
        options.port,
        options.port.saturating_add(tries - 1)
    )
}

async fn serve(options: &ServeOptions) -> Result<()> {
    if !options.root.join(crate::content::config::SITE_FILE).is_file() {
        anyhow::bail!(
            "no `site.yaml` in `{}`; run errorbook in a site's folder, pass --root, or create one with `errorbook init`",
            options.root.display()
        );
    }
    // Watch events carry absolute paths; compare them with an absolute root.
    let root = std::fs::canonicalize(&options.root)
        .with_context(|| format!("failed to resolve `{}`", options.root.display()))?;
    let listener = bind(options).await?;
    let address = listener.local_addr().context("failed to read the bound address")?;
    let base_url = format!("http://{address}/");
    if !options.bind.is_loopback() {
        eprintln!("warning: serving on {}, which other machines can reach", options.bind);
    }

    let (events, _) = broadcast::channel(16);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let shared = Arc::new(Shared {
        previewer: std::sync::Mutex::new(Previewer::new(&root, &base_url, options.drafts)),
        snapshot: RwLock::new(Arc::new(Snapshot::default())),
        status: RwLock::new(Status::Ok { generation: 0 }),
        events,
        stopping,
    });
    rebuild(&shared, Vec::new(), 1).await;

    let watcher = watch(shared.clone(), root)?;
    let app = Router::new()
        .route("/__errorbook/events", get(events_stream))
        .route("/__errorbook/live.js", get(live_script))
        .fallback(page)
        .layer(CompressionLayer::new())
        .with_state(shared.clone());
    let app = http::guarded(app, http::Hosts::new(address.ip()));

    eprintln!("serving `{}` at {base_url} (Ctrl-C to stop)", options.root.display());
    if options.open {
        let _ = open_browser(&base_url);
    }
    http::serve(listener, app, async move {
        stop_signal().await;
        eprintln!("\nstopped");
        let _ = stop.send(true);
    })
    .await;
    drop(watcher);
    Ok(())
}

/// Ctrl-C, or the termination signal a process manager sends.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn open_browser(url: &str) -> std::io::Result<std::process::Child> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
}

/// Rebuilds and publishes the result to the server and the open tabs.
async fn rebuild(shared: &Arc<Shared>, changed: Vec<PathBuf>, generation: u64) {
    let worker = shared.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut previewer = worker.previewer.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        previewer.build(&changed)
    })
    .await;
    let status = match result {
        Ok(Ok(Rebuilt::Built { snapshot, summary })) => {
            eprintln!("{summary}");
            *shared.snapshot.write().unwrap_or_else(std::sync::PoisonError::into_inner) = snapshot;
            Status::Ok { generation }
        }
        Ok(Ok(Rebuilt::Refused { report })) => {
            eprint!("{report}");
            eprintln!("the last good build is still served");
            Status::Failed { generation, report }
        }
        Ok(Err(error)) => {
            let report = format!("error: {}\n", crate::terminal::visible(&format!("{error:#}")));
            eprint!("{report}");
            Status::Failed { generation, report }
        }
        Err(error) => Status::Failed { generation, report: format!("error: the build stopped: {error}\n") },
    };
    *shared.status.write().unwrap_or_else(std::sync::PoisonError::into_inner) = status.clone();
    let _ = shared.events.send(status);
    // Once the tabs have their signal, the new files are compressed, which takes the preview's
    // memory from the size of the site to about a tenth of it. A save that comes meanwhile is
    // not held back by it: a file is served and shared compressed or not.
    let served = shared.snapshot.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    drop(tokio::task::spawn_blocking(move || stored::pack_all(served.files.values())));
}

/// Watches the site's inputs and rebuilds after each burst of changes.
fn watch(shared: Arc<Shared>, root: PathBuf) -> Result<Arc<std::sync::Mutex<notify::RecommendedWatcher>>> {
    use notify::{EventKind, RecursiveMode, Watcher as _};
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<Vec<PathBuf>>();
    let everything = root.clone();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
        match result {
            // Reading files (as every build does) must not look like a change.
            Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
            // Events were lost (the queue overflowed): anything may have changed.
            Ok(event) if event.need_rescan() => {
                let _ = sender.send(vec![everything.clone()]);
            }
            Ok(event) => {
                let _ = sender.send(event.paths);
            }
            Err(_) => {
                let _ = sender.send(vec![everything.clone()]);
            }
        }
    })
    .context("failed to start watching files")?;
    let folders = [root.join(crate::content::CONTENT_DIR), root.join("templates"), root.join("static")];
    let mut watched = std::collections::BTreeSet::new();
    for path in &folders {
        if path.is_dir() {
            watcher
                .watch(path, RecursiveMode::Recursive)
                .with_context(|| format!("failed to watch `{}`", path.display()))?;
            watched.insert(path.clone());
        }
    }
    // Watching the root itself (not recursively) sees site.yaml and the input folders created
    // later, which are then watched too.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("failed to watch `{}`", root.display()))?;
    let watcher = Arc::new(std::sync::Mutex::new(watcher));
    let watching = watcher.clone();
    let mut inputs = folders.to_vec();
    inputs.push(root.join(crate::content::config::SITE_FILE));
    tokio::spawn(async move {
        let mut generation = 1;
        while let Some(mut paths) = receiver.recv().await {
            // An editor's save is several events; wait until they stop for a moment.
            while let Ok(Some(more)) = tokio::time::timeout(DEBOUNCE, receiver.recv()).await {
                paths.extend(more);
            }
            paths.sort();
            paths.dedup();
            for folder in &folders {
                // A folder removed takes its watch with it; made again, it is watched again.
                if !folder.is_dir() {
                    watched.remove(folder);
                } else if !watched.contains(folder) {
                    let mut watcher = watching.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    if watcher.watch(folder, RecursiveMode::Recursive).is_ok() {
                        watched.insert(folder.clone());
                    }
                    // Files may have been written into it before it was watched.
                    paths.push(root.clone());
                }
            }
            // The root itself stands for "anything may have changed".
            let relevant: Vec<PathBuf> = if paths.contains(&root) {
                vec![root.clone()]
            } else {
                paths
                    .into_iter()
                    .filter(|path| {
                        inputs.iter().any(|input| path.starts_with(input)) && !is_hidden(path, &root)
                    })
                    .collect()
            };
            if relevant.is_empty() {
                continue;
            }
            generation += 1;
            rebuild(&shared, relevant, generation).await;
        }
    });
    Ok(watcher)
}

fn is_hidden(path: &Path, root: &Path) -> bool {
    path.strip_prefix(root)
        .map(|p| p.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')))
        .unwrap_or(true)
}

async fn live_script() -> Response {
    let mut response = LIVE_SCRIPT.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn status_event(status: &Status) -> Event {
    match status {
        Status::Ok { generation } => Event::default().event("ok").data(generation.to_string()),
        Status::Failed { generation, report } => {
            let data = serde_json::json!({ "generation": generation, "report": report }).to_string();
            Event::default().event("failed").data(data)
        }
    }
}

async fn events_stream(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = std::result::Result<Event, std::convert::Infallible>>> {
    let current = shared.status.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    let receiver = shared.events.subscribe();
    let first = futures_util::stream::once(async move { Ok(status_event(&current)) });
    let rest = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(status) => return Some((Ok(status_event(&status)), receiver)),
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let mut stopping = shared.stopping.clone();
    let stopped = async move {
        let _ = stopping.wait_for(|stopping| *stopping).await;
    };
    use futures_util::StreamExt as _;
    Sse::new(first.chain(rest).take_until(stopped)).keep_alive(KeepAlive::default())
}

async fn page(State(shared): State<Arc<Shared>>, request: Request<Body>) -> Response {
    let snapshot = shared.snapshot.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    let raw_path = request.uri().path();
    if raw_path.starts_with(LIVE_PREFIX) {
        return plain(StatusCode::NOT_FOUND, "not found");
    }
    match resolve(raw_path, &|path| snapshot.files.contains_key(path)) {
        Resolved::File(path) => file_response(StatusCode::OK, &path, &snapshot),
        Resolved::Redirect(location) => Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY)
            .header(header::LOCATION, location)
            .header(header::CACHE_CONTROL, "no-store")
            .body(Body::empty())
            .unwrap_or_default(),
        Resolved::NotFound => {
            if snapshot.files.contains_key("404.html") {
                file_response(StatusCode::NOT_FOUND, "404.html", &snapshot)
            } else {
                plain(StatusCode::NOT_FOUND, "not found")
            }
        }
        Resolved::BadRequest => plain(StatusCode::BAD_REQUEST, "bad request"),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], text).into_response()
}

fn file_response(status: StatusCode, path: &str, snapshot: &Snapshot) -> Response {
    let Some(file) = snapshot.files.get(path) else {
        return plain(StatusCode::NOT_FOUND, "not found");
    };
    let bytes = file.bytes();
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_owned()
    };
    let body = if is_html { inject_live_reload(&bytes) } else { Arc::unwrap_or_clone(bytes) };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-store")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(Body::from(body))
        .unwrap_or_default()
}

/// Adds the live-reload script to a page; only `serve` does this, never `build`.
fn inject_live_reload(html: &[u8]) -> Vec<u8> {
    const TAG: &[u8] = b"<script src=\"/__errorbook/live.js\" defer></script>\n";
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(TAG);
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Copies the bundled demo site into a new folder.
    fn demo_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        for entry in walkdir::WalkDir::new(repo.join("content")) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(repo).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        dir
    }

    fn files(result: Result<Rebuilt>) -> BTreeMap<String, Arc<Vec<u8>>> {
        match result.unwrap() {
            Rebuilt::Built { snapshot, .. } => {
                // What the server does after each build, so the next build starts from
                // compressed files as it does in use.
                stored::pack_all(snapshot.files.values());
                snapshot.files.iter().map(|(path, file)| (path.clone(), file.bytes())).collect()
            }
            Rebuilt::Refused { report } => panic!("the build failed:\n{report}"),
        }
    }

    /// A new value for `field` of an entry of the `http` category, or several to set in turn:
    /// every field of the entry format has one, so a field added to it fails here until the
    /// preview is shown to update what the field changes.
    fn new_values(field: &str) -> &'static [&'static str] {
        match field {
            "code" => &["\"ECONNREFUSED-X\""],
            "title" => &["\"ECONNREFUSED, renamed\""],
            "summary" => &["\"Nothing listens at that address, as a new summary says.\""],
            "severity" => &["major"],
            "category" => &["http"],
            "difficulty" => &["advanced"],
            "fixable_percent" => &["40"],
            "fix_minutes" => &["45"],
            "updated" => &["2026-12-03"],
            "author" => &["mkessler", "{ name: Ada Field, role: Guest }"],
            "sources" => &["[{ title: \"A new source\", url: \"https://example.org/new\" }]"],
            "aliases" => &["[\"connection was refused by the peer\"]"],
            "tags" => &["[networking, sockets]"],
            "related" => &["[http/503]"],
            "redirect_from" => &["[/refused/]"],
            "quick_fix" => &["\"Start the service: `systemctl start app`.\""],
            "causes" => &["\"- **It stopped.**\""],
            "steps" => &["[{ title: \"Start it\", body: \"```bash\\nsystemctl start app\\n```\" }]"],
            "verify" => &["[\"The port answers.\"]"],
            "faq" => &["[{ q: \"Why refused?\", a: \"Nothing listens.\" }]"],
            "draft" => &["true", "false"],
            "reviewed" => &["2026-12-03"],
            "status" => &["deprecated"],
            "replaced_by" => &["linux/etimedout"],
            "applies_to" => &["{ curl: \">=8.0\" }"],
            "vars" => &["{ port: \"5432\" }"],
            "body" => &["A new body.\n\n```bash\nss -tlnp | grep ':<<port>>'\n```\n"],
            _ => panic!("no new value for the entry field `{field}`: add one here"),
        }
    }

    /// Sets `field` of the Markdown entry at `path` to `value` (YAML), or its body.
    fn set_field(path: &Path, field: &str, value: &str) {
        let text = std::fs::read_to_string(path).unwrap();
        let (front, body) = text.strip_prefix("---\n").and_then(|t| t.split_once("\n---\n")).unwrap();
        if field == "body" {
            std::fs::write(path, format!("---\n{front}\n---\n{value}")).unwrap();
            return;
        }
        let mut front: serde_yaml::Mapping = serde_yaml::from_str(front).unwrap();
        front.insert(field.into(), serde_yaml::from_str(value).unwrap());
        let front = serde_yaml::to_string(&front).unwrap();
        std::fs::write(path, format!("---\n{}\n---\n{body}", front.trim_end())).unwrap();
    }

    /// After each kind of edit, every file the preview serves, the search index's too, is byte
    /// for byte what a preview started afresh on the same files serves.
    #[test]
    fn every_edit_gives_the_files_of_a_fresh_build() {
        let site = demo_site();
        let root = site.path();
        let path = |id: &str| root.join(format!("content/{id}.md"));
        let replace = |id: &str, from: &str, to: &str| {
            let text = std::fs::read_to_string(path(id)).unwrap();
            assert!(text.contains(from), "{id} has no `{from}`");
            std::fs::write(path(id), text.replacen(from, to, 1)).unwrap();
        };
        let new_entry = std::fs::read_to_string(path("http/429"))
            .unwrap()
            .replace("code: \"429\"", "code: \"418\"")
            .replace("title: \"HTTP 429", "title: \"HTTP 418 I'm a teapot, not")
            .replace("Too Many Requests", "Teapot Refusal")
            .replace("limiting requests", "brewing refused");
        type Edit<'a> = (String, Box<dyn Fn() -> Vec<PathBuf> + 'a>);
        // Every field is edited on an entry no other links to, so that it can become a draft.
        let edited = path("http/418");
        let mut edits: Vec<Edit> = vec![
            (
                "a new title".to_owned(),
                Box::new(|| {
                    replace("http/503", "title: \"HTTP 503", "title: \"HTTP 503 (renamed)");
                    vec![path("http/503")]
                }),
            ),
            (
                "a new code, which moves the entry in its listings".to_owned(),
                Box::new(|| {
                    replace("http/502", "code: \"502\"", "code: \"402\"");
                    vec![path("http/502")]
                }),
            ),
            (
                "a new entry".to_owned(),
                Box::new(|| {
                    std::fs::write(path("http/418"), &new_entry).unwrap();
                    vec![path("http/418")]
                }),
            ),
        ];
        for field in crate::content::entry::field_names() {
            for value in new_values(field) {
                let edited = edited.clone();
                edits.push((
                    format!("`{field}: {value}`"),
                    Box::new(move || {
                        set_field(&edited, field, value);
                        vec![edited.clone()]
                    }),
                ));
            }
        }
        edits.push((
            "the edited entry as it was".to_owned(),
            Box::new(|| {
                std::fs::write(path("http/418"), &new_entry).unwrap();
                vec![path("http/418")]
            }),
        ));
        edits.push((
            "an entry moved to another category".to_owned(),
            Box::new(|| {
                std::fs::rename(path("http/418"), path("docker/teapot")).unwrap();
                vec![path("http/418"), path("docker/teapot")]
            }),
        ));
        edits.push((
            "a deleted entry".to_owned(),
            Box::new(|| {
                std::fs::remove_file(path("docker/teapot")).unwrap();
                vec![path("docker/teapot")]
            }),
        ));
        let mut preview = Previewer::new(root, "/", false);
        files(preview.build(&[]));
        for (what, edit) in &edits {
            let changed = edit();
            let updated = files(preview.build(&changed));
            assert_fresh(root, &updated, what);
        }
    }

    /// Asserts that `updated` holds what a preview started afresh on `root` serves.
    fn assert_fresh(root: &Path, updated: &BTreeMap<String, Arc<Vec<u8>>>, what: &str) {
        let fresh = files(Previewer::new(root, "/", false).build(&[]));
        let only = |a: &BTreeMap<String, Arc<Vec<u8>>>, b: &BTreeMap<String, Arc<Vec<u8>>>| {
            a.keys().filter(|p| !b.contains_key(*p)).cloned().collect::<Vec<_>>()
        };
        assert_eq!(
            (only(updated, &fresh), only(&fresh, updated)),
            (vec![], vec![]),
            "after {what}: files only the preview or only a fresh build serves"
        );
        for made in ["llms.txt", "llms-full.txt", "http/503/index.md", "search/meta.js"] {
            assert!(fresh.contains_key(made), "after {what}, a fresh build has no `{made}`");
        }
        let differ: Vec<&String> =
            fresh.iter().filter(|(path, bytes)| updated[*path] != **bytes).map(|(path, _)| path).collect();
        assert!(differ.is_empty(), "after {what}, these files differ from a fresh build's: {differ:?}");
    }

    /// An entry edited while a twin of it (the same slug in another format) kept the site from
    /// building is read again once the twin goes, rather than served as it was before.
    #[test]
    fn an_edit_made_while_the_build_was_refused_is_not_lost() {
        let site = demo_site();
        let root = site.path();
        let yaml = root.join("content/python/recursionerror.yaml");
        let twin = root.join("content/python/recursionerror.md");
        let mut preview = Previewer::new(root, "/", false);
        files(preview.build(&[]));

        std::fs::copy(root.join("content/http/503.md"), &twin).unwrap();
        let refused = |result: Result<Rebuilt>| match result.unwrap() {
            Rebuilt::Refused { report } => assert!(report.contains("recursionerror"), "{report}"),
            Rebuilt::Built { .. } => panic!("a duplicate slug was built"),
        };
        refused(preview.build(std::slice::from_ref(&twin)));
        let text = std::fs::read_to_string(&yaml).unwrap();
        let renamed = text.replacen("title: \"RecursionError:", "title: \"RecursionError, renamed:", 1);
        assert_ne!(text, renamed);
        std::fs::write(&yaml, renamed).unwrap();
        refused(preview.build(std::slice::from_ref(&yaml)));

        std::fs::remove_file(&twin).unwrap();
        let updated = files(preview.build(std::slice::from_ref(&twin)));
        let page = String::from_utf8(updated["python/recursionerror/index.html"].to_vec()).unwrap();
        assert!(page.contains("RecursionError, renamed"), "the page shows the title before the edit");
        assert_fresh(root, &updated, "an edit made while a twin refused the build");
    }

    #[test]
    fn the_script_goes_before_the_end_of_the_body() {
        let out = inject_live_reload(b"<html><body><p>x</p></BODY></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><body><p>x</p><script src=\"/__errorbook/live.js\" defer></script>\n</BODY></html>"
        );
    }
}
