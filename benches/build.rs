//! Micro-benchmarks of the build's hot functions, one module per stage of the pipeline:
//! parsing entries, rendering Markdown, highlighting snippets, rendering templates, building
//! the search index, a whole build of the bundled site into memory, and triage of a log.
//!
//! ```sh
//! cargo bench                                     # everything
//! cargo bench --bench build -- highlight          # the benchmarks whose name contains `highlight`
//! cargo bench --bench build -- --sample-count 10  # fewer samples, for a quick look
//! ```
//!
//! Inputs come from the bundled demo site (`content/`, `site.yaml`) and from deterministic
//! generators below, so two runs of the same commit measure the same work. docs/benchmarks.md
//! describes each benchmark and lists typical numbers.

use std::path::Path;
use std::sync::OnceLock;

use errorbook::content::entry::{self, Format, Location};
use errorbook::content::{self, Entry, SiteConfig};
use errorbook::markdown::{self, LinkStyle, Part};
use errorbook::site::{BuildOptions, Site};

// The same allocator as the binary, so allocation-heavy stages cost what they cost in a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/support/gen.rs"]
mod gen;

fn main() {
    divan::main();
}

/// The repository's root, which is also the bundled demo site.
fn site_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    let full = site_root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read `{}`: {e}", full.display()))
}

/// The bundled `site.yaml`, parsed once.
fn config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let mut diagnostics = Vec::new();
        let config = content::config::parse(&read("site.yaml"), &mut diagnostics);
        config.unwrap_or_else(|| panic!("the bundled site.yaml does not parse: {diagnostics:?}"))
    })
}

/// The entry every single-entry benchmark uses: the longest hand-written one, with a code block
/// in its quick fix and in each of its steps.
const ENTRY_FILE: &str = "content/http/503.md";

fn entry_location() -> Location<'static> {
    Location { file: ENTRY_FILE, category: "http", slug: "503", format: Format::Markdown }
}

/// The bundled site, loaded and validated once.
fn bundled_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let loaded = Site::load(site_root(), BuildOptions::default()).expect("the bundled site loads");
        let diagnostics = loaded.diagnostics;
        loaded.site.unwrap_or_else(|| panic!("the bundled site has errors: {diagnostics:?}"))
    })
}

/// The parsed bundled entry [`ENTRY_FILE`].
fn bundled_entry() -> &'static Entry {
    let id = format!("{}/{}", entry_location().category, entry_location().slug);
    bundled_site()
        .content
        .entries
        .iter()
        .find(|e| e.id().as_str() == id)
        .expect("the bundled site has the entry")
}

/// Links as an entry page two folders below the root writes them.
fn entry_links() -> LinkStyle {
    LinkStyle { root: "/".to_owned(), index_suffix: String::new() }
}

/// Stage 1: reading entries.
mod parse {
    use divan::counter::BytesCount;
    use divan::{black_box, Bencher};

    use super::{config, entry, entry_location, read, site_root, ENTRY_FILE};
    use errorbook::content::{self, Content, LoadOptions};

    /// Front matter and body of one realistic entry (12 KB, every section filled in), with
    /// all the per-entry validation; no file access.
    #[divan::bench]
    fn entry_503(bencher: Bencher) {
        let text = read(ENTRY_FILE);
        let config = config();
        let location = entry_location();
        bencher.counter(BytesCount::of_str(&text)).bench(|| {
            let mut diagnostics = Vec::new();
            let parsed = entry::parse(black_box(&text), &location, config, &mut diagnostics);
            assert!(parsed.is_some(), "{diagnostics:?}");
            parsed
        });
    }

    /// `content::load` of the bundled site: walking `content/`, reading and parsing every
    /// entry, and the checks across entries (duplicate codes, related entries, links).
    #[divan::bench(sample_count = 50)]
    fn load_bundled_content() -> Content {
        let mut diagnostics = Vec::new();
        let loaded = content::load(site_root(), LoadOptions::default(), &mut diagnostics)
            .expect("the bundled content loads");
        loaded.unwrap_or_else(|| panic!("the bundled content has errors: {diagnostics:?}"))
    }
}

/// Stage 2: Markdown to sanitized HTML.
mod markdown_render {
    use std::fmt::Write;
    use std::sync::atomic::{AtomicU64, Ordering};

    use divan::counter::BytesCount;
    use divan::{black_box, Bencher};

    use super::{bundled_entry, entry_links, markdown, Part};

    /// The long-form body of the bundled entry: four sections of prose with lists, links and
    /// inline code, no code block (3.5 KB).
    #[divan::bench]
    fn body_without_code(bencher: Bencher) {
        let body = &bundled_entry().body.markdown;
        assert!(!body.contains("```"), "the body is expected to have no code block");
        let links = entry_links();
        bencher
            .counter(BytesCount::of_str(body))
            .bench(|| markdown::render(black_box(body), Part::Body, &links));
    }

    /// The quick fix and the steps of the bundled entry as one text: prose with five fenced
    /// code blocks (bash and yaml). Every iteration's code is new, so each block is
    /// highlighted, as in a build without a snippet cache.
    #[divan::bench]
    fn fields_with_code(bencher: Bencher) {
        let text = fields_markdown();
        let links = entry_links();
        let run = AtomicU64::new(0);
        bencher
            .counter(BytesCount::of_str(&text))
            .with_inputs(|| distinct_code(&text, run.fetch_add(1, Ordering::Relaxed)))
            .bench_refs(|text| markdown::render(text, Part::FIELD, &links));
    }

    /// The same text with the same code every time: highlighted snippets come from the
    /// in-process cache, so this is the cost of Markdown and sanitizing alone, as when the
    /// preview server renders an entry again.
    #[divan::bench]
    fn fields_with_cached_code(bencher: Bencher) {
        let text = fields_markdown();
        let links = entry_links();
        bencher
            .counter(BytesCount::of_str(&text))
            .bench(|| markdown::render(black_box(&text), Part::FIELD, &links));
    }

    /// The plain text of the data API: the body and the fields with code of the bundled entry.
    #[divan::bench]
    fn readable_text(bencher: Bencher) {
        let text = format!("{}\n\n{}", bundled_entry().body.markdown, fields_markdown());
        bencher.counter(BytesCount::of_str(&text)).bench(|| markdown::text::readable_text(black_box(&text)));
    }

    fn fields_markdown() -> String {
        let entry = bundled_entry();
        let mut text = entry.quick_fix.as_ref().map(|t| t.markdown.clone()).unwrap_or_default();
        for step in &entry.steps {
            text.push_str("\n\n");
            text.push_str(&step.body.markdown);
        }
        assert!(text.matches("```").count() >= 10, "the fields are expected to have code blocks");
        text
    }

    /// Adds a comment line naming `run` at the start of every fenced code block. The blocks of
    /// the bundled entry are bash and yaml, where `#` starts a comment.
    fn distinct_code(text: &str, run: u64) -> String {
        let mut out = String::with_capacity(text.len() + 256);
        let mut open = false;
        for line in text.split_inclusive('\n') {
            out.push_str(line);
            if line.trim_start().starts_with("```") {
                open = !open;
                if open {
                    let indent = &line[..line.len() - line.trim_start().len()];
                    let _ = writeln!(out, "{indent}# run {run}");
                }
            }
        }
        out
    }
}

/// Stage 2b: syntax highlighting of one code block, per language.
mod highlight {
    use std::sync::atomic::{AtomicU64, Ordering};

    use divan::counter::BytesCount;
    use divan::{black_box, Bencher};

    use super::markdown;

    /// Realistic snippets of the languages entries use most. `{N}` marks a spot (a port, a
    /// PID, an id) that every iteration fills with a new number, so the input is always valid
    /// for its language and never found in the snippet cache.
    const SNIPPETS: &[(&str, &str)] = &[
        (
            "bash",
            r#"# Which process holds the port, and since when?
sudo ss -ltnp 'sport = :{N}'
PID=$(sudo lsof -t -i :{N} | head -1)
ps -o pid,ppid,etime,cmd -p "$PID"

# Restart the service and follow its log until it is ready
sudo systemctl restart checkout.service
journalctl -u checkout.service -f --since "2 minutes ago" | grep -m1 -i 'listening on'
curl -fsS --retry 5 --retry-delay 2 "http://127.0.0.1:{N}/healthz" || echo "still down" >&2
for host in app-1 app-2 app-3; do
  ssh "$host" "df -h /var/lib/docker && free -m" 2>&1 | sed "s/^/$host: /"
done
"#,
        ),
        (
            "console",
            r#"$ kubectl get pods -n shop -l app=checkout
NAME                        READY   STATUS             RESTARTS      AGE
checkout-7d9c6b5f4-2xkqp    0/1     CrashLoopBackOff   {N} (41s ago)   12m
checkout-7d9c6b5f4-9wz8d    1/1     Running            0             12m
$ kubectl describe pod checkout-7d9c6b5f4-2xkqp -n shop | grep -A4 'Last State'
    Last State:     Terminated
      Reason:       OOMKilled
      Exit Code:    137
      Started:      Mon, 14 Jun 2026 09:12:03 +0000
$ kubectl logs checkout-7d9c6b5f4-2xkqp -n shop --previous | tail -3
FATAL: could not allocate 268435456 bytes for the result cache
error: process exited with status 137
"#,
        ),
        (
            "yaml",
            r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  labels: { app: checkout, release: "{N}" }
spec:
  replicas: 3
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxUnavailable: 0, maxSurge: 1 }
  template:
    spec:
      containers:
        - name: checkout
          image: registry.example.com/shop/checkout:2.14.{N}
          resources:
            requests: { cpu: 250m, memory: 256Mi }
            limits: { memory: 512Mi }
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
            periodSeconds: 5
"#,
        ),
        (
            "json",
            r#"{
  "error": {
    "code": 503,
    "status": "UNAVAILABLE",
    "message": "The service is currently unavailable.",
    "request_id": "req-{N}",
    "retry_after_seconds": 30,
    "details": [
      { "reason": "BACKEND_UNHEALTHY", "backend": "checkout-v2", "healthy": 0, "total": 3 },
      { "reason": "RATE_LIMITED", "limit": 1200, "window": "1m", "burst": null }
    ],
    "trace": ["edge-fra-1", "lb-eu-west-1", "ingress-7"],
    "degraded": true
  }
}
"#,
        ),
        (
            "sql",
            r#"-- Who holds connections, and for how long?
SELECT usename, application_name, state, count(*) AS connections,
       max(now() - state_change) AS longest
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> {N}
GROUP BY usename, application_name, state
ORDER BY connections DESC
LIMIT 20;

-- End the sessions idle in a transaction for more than ten minutes
SELECT pg_terminate_backend(pid)
FROM pg_stat_activity
WHERE state = 'idle in transaction' AND now() - state_change > interval '10 minutes';
"#,
        ),
        (
            "nginx",
            r#"upstream checkout {
    least_conn;
    server 10.0.3.11:{N} max_fails=3 fail_timeout=10s;
    server 10.0.3.12:{N} max_fails=3 fail_timeout=10s;
    keepalive 32;
}

server {
    listen 443 ssl http2;
    server_name shop.example.com;
    client_max_body_size 10m;

    location /api/ {
        proxy_pass http://checkout;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header X-Request-ID $request_id;
        proxy_connect_timeout 2s;
        proxy_read_timeout 30s;
        proxy_next_upstream error timeout http_502 http_503;
    }
}
"#,
        ),
        (
            "python",
            r#"import random
import time

import requests

RETRYABLE = {429, 502, 503, 504}


def get_with_backoff(url: str, attempts: int = 5, port: int = {N}) -> requests.Response:
    """Retries on overload, waiting as long as Retry-After asks, with jitter."""
    for attempt in range(attempts):
        response = requests.get(url, timeout=(2, 10), headers={"X-Port": str(port)})
        if response.status_code not in RETRYABLE:
            return response
        delay = float(response.headers.get("Retry-After", 2 ** attempt))
        time.sleep(delay + random.uniform(0, 0.5))
    response.raise_for_status()
    return response
"#,
        ),
        (
            "dockerfile",
            r#"# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs20-debian12
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY --from=build /app/node_modules ./node_modules
ENV NODE_ENV=production PORT={N}
EXPOSE {N}
HEALTHCHECK --interval=10s --timeout=2s CMD ["/nodejs/bin/node", "dist/healthcheck.js"]
CMD ["dist/server.js"]
"#,
        ),
    ];

    fn snippet(lang: &str) -> &'static str {
        let (_, code) = SNIPPETS.iter().find(|(l, _)| *l == lang).expect("a snippet for every language");
        assert!(markdown::is_known_language(lang), "`{lang}` is not highlighted");
        code
    }

    /// A new, never-seen snippet every iteration: the full highlighting cost of one block.
    #[divan::bench(args = ["bash", "console", "yaml", "json", "sql", "nginx", "python", "dockerfile"])]
    fn snippet_html(bencher: Bencher, lang: &str) {
        let code = snippet(lang);
        let run = AtomicU64::new(0);
        bencher
            .counter(BytesCount::of_str(code))
            .with_inputs(|| code.replace("{N}", &run.fetch_add(1, Ordering::Relaxed).to_string()))
            .bench_refs(|code| markdown::snippet_html(lang, code));
    }

    /// The same snippet again: a lookup in the in-process snippet cache.
    #[divan::bench]
    fn snippet_html_cached(bencher: Bencher) {
        let code = snippet("bash").replace("{N}", "8080");
        markdown::snippet_html("bash", &code);
        bencher.bench(|| markdown::snippet_html("bash", black_box(&code)));
    }
}

/// Stage 3: the Tera templates.
mod templates {
    use divan::{black_box, Bencher};
    use errorbook::templates::Templates;

    use super::{bundled_entry, bundled_site};

    /// Compiling the built-in theme, as every load of a site does.
    #[divan::bench]
    fn compile_builtin() -> Templates {
        Templates::new(&[]).expect("the built-in templates compile")
    }

    /// `entry.html` for the bundled entry, with the context a build renders it with (its
    /// Markdown already rendered): the template engine's share of an entry page.
    #[divan::bench]
    fn entry_page(bencher: Bencher) {
        let site = bundled_site();
        let context = site.entry_page_context(bundled_entry().id()).expect("the bundled site has the entry");
        let html = site.templates.render("entry.html", &context).expect("entry.html renders");
        assert!(html.contains("<h1"), "the entry page has a title");
        bencher.bench(|| site.templates.render("entry.html", black_box(&context)));
    }
}

/// Stage 4: the search index.
mod search {
    use divan::counter::ItemsCount;
    use divan::Bencher;
    use errorbook::search::{build_index, SearchDoc};

    /// `build_index` over `n` synthetic entries (about 4 KB of text each; see [`docs`]).
    #[divan::bench(args = [100, 1000], sample_count = 20)]
    fn build(bencher: Bencher, n: usize) {
        let docs = docs(n);
        bencher.counter(ItemsCount::new(n)).bench(|| build_index(&docs));
    }

    use super::gen::Gen;

    const WORDS: &[&str] = &[
        "the",
        "a",
        "to",
        "of",
        "and",
        "is",
        "in",
        "when",
        "the",
        "server",
        "request",
        "connection",
        "process",
        "error",
        "check",
        "restart",
        "service",
        "file",
        "memory",
        "limit",
        "timeout",
        "port",
        "client",
        "proxy",
        "log",
        "config",
        "container",
        "pod",
        "database",
        "user",
        "permission",
        "denied",
        "refused",
        "upstream",
        "health",
        "network",
        "disk",
        "space",
        "queue",
        "worker",
        "thread",
        "pool",
        "socket",
        "handshake",
        "certificate",
        "token",
        "cache",
        "deploy",
        "rollout",
        "replica",
        "node",
        "cluster",
        "kernel",
        "signal",
        "exit",
        "status",
        "header",
        "response",
        "retry",
        "backoff",
        "latency",
        "load",
        "balancer",
        "descriptor",
        "mount",
        "volume",
        "image",
        "registry",
        "secret",
        "lock",
        "transaction",
        "query",
        "index",
        "table",
        "schema",
        "migration",
        "version",
        "package",
        "module",
        "import",
        "build",
        "release",
        "runtime",
        "heap",
        "stack",
        "garbage",
        "collector",
        "overflow",
        "leak",
        "spike",
        "capacity",
        "quota",
        "throttle",
        "burst",
        "window",
        "session",
        "cookie",
        "route",
        "path",
        "redirect",
        "loop",
        "dns",
        "resolve",
        "address",
        "interface",
        "firewall",
        "rule",
        "policy",
        "role",
        "binding",
        "namespace",
        "label",
        "selector",
        "probe",
        "readiness",
        "liveness",
        "startup",
        "shutdown",
        "graceful",
        "drain",
        "evict",
        "schedule",
        "taint",
        "tolerate",
        "affinity",
        "storage",
        "snapshot",
        "backup",
        "restore",
        "replication",
        "lag",
        "primary",
        "standby",
        "failover",
        "checkpoint",
        "vacuum",
        "autovacuum",
        "deadlock",
        "idle",
        "journal",
        "syslog",
        "systemd",
        "unit",
        "daemon",
        "cron",
        "environment",
        "variable",
    ];

    const TAGS: &[&str] = &[
        "nginx",
        "kubernetes",
        "docker",
        "postgresql",
        "linux",
        "networking",
        "tls",
        "dns",
        "memory",
        "disk",
        "permissions",
        "systemd",
        "nodejs",
        "python",
        "java",
        "load-balancer",
        "reverse-proxy",
        "capacity",
        "auth",
        "ci",
        "storage",
        "database",
        "timeouts",
        "limits",
    ];

    const CATEGORIES: &[(&str, &str)] = &[
        ("http", "HTTP"),
        ("linux", "Linux"),
        ("kubernetes", "Kubernetes"),
        ("postgresql", "PostgreSQL"),
        ("nodejs", "Node.js"),
        ("python", "Python"),
        ("docker", "Docker"),
        ("cloud", "Cloud APIs"),
    ];

    const SEVERITIES: &[&str] = &["blocker", "critical", "major", "minor", "info"];

    /// A made-up identifier (a service, a config key, a host): the part of a real vocabulary
    /// that keeps growing with the site. About `5 × n` of them exist for `n` entries.
    fn identifier(rng: &mut Gen, n: usize) -> String {
        const SYLLABLES: &[&str] =
            &["ka", "lo", "mer", "tin", "sha", "ver", "pol", "dex", "ru", "zan", "qui", "bor"];
        let mut id = rng.below(5 * n.max(1));
        let mut word = String::new();
        loop {
            word.push_str(SYLLABLES[id % SYLLABLES.len()]);
            id /= SYLLABLES.len();
            if id == 0 {
                break;
            }
        }
        match rng.below(3) {
            0 => format!("{word}-svc"),
            1 => format!("{word}_max"),
            _ => word,
        }
    }

    fn sentence(rng: &mut Gen, n: usize, words: usize) -> String {
        let mut out = Vec::with_capacity(words);
        for _ in 0..words {
            if rng.below(12) == 0 {
                out.push(identifier(rng, n));
            } else {
                out.push(rng.common(WORDS).to_owned());
            }
        }
        out.join(" ")
    }

    fn code(i: usize) -> String {
        match i % 5 {
            0 => format!("E{i:04}"),
            1 => format!("{}.{}", 400 + i % 200, i / 200),
            2 => format!("ORA-{:05}", 1000 + i),
            3 => format!("{:02}P{:02}", i % 100, i / 100 % 100),
            _ => format!("ERR_{}_{i}", ["CONN", "DISK", "AUTH", "TLS"][i % 4]),
        }
    }

    /// `n` entries of the sizes the hand-written ones have: a unique code in one of five shapes,
    /// a title and summary, two to four aliases (log lines that carry the code), two to four
    /// tags, and about 600 words of text.
    fn docs(n: usize) -> Vec<SearchDoc> {
        let mut rng = Gen(0x9e37_79b9_7f4a_7c15);
        (0..n)
            .map(|i| {
                let (category, category_name) = CATEGORIES[i % CATEGORIES.len()];
                let code = code(i);
                let aliases = (0..2 + rng.below(3))
                    .map(|_| format!("{code}: {} at {}", sentence(&mut rng, n, 6), identifier(&mut rng, n)))
                    .collect();
                let tags = (0..2 + rng.below(3)).map(|_| rng.common(TAGS).to_owned()).collect();
                let text = (0..40).map(|_| sentence(&mut rng, n, 15)).collect::<Vec<_>>().join(". ");
                SearchDoc {
                    href: format!("{category}/{}/", code.to_lowercase()),
                    title: format!("{code} {}", sentence(&mut rng, n, 7)),
                    summary: sentence(&mut rng, n, 20),
                    category: category.to_owned(),
                    category_name: category_name.to_owned(),
                    severity: SEVERITIES[rng.below(SEVERITIES.len())].to_owned(),
                    aliases,
                    tags,
                    text,
                    code,
                    ..SearchDoc::default()
                }
            })
            .collect()
    }
}

/// Stage 5: a whole build of the bundled site (26 entries) into memory.
mod site {
    use divan::Bencher;
    use errorbook::serve::Stored;
    use errorbook::site::{BuildOptions, MemorySink, Site};

    use super::{bundled_site, site_root};

    /// `Site::load`: everything `errorbook check` does (content, templates, static files).
    #[divan::bench(sample_count = 50)]
    fn load() -> Site {
        let loaded = Site::load(site_root(), BuildOptions::default()).expect("the bundled site loads");
        loaded.site.expect("the bundled site has no errors")
    }

    /// `Site::render` of a loaded site into a `MemorySink`: every page, listing, asset, search
    /// file, feed, redirect and data file. Highlighted snippets come from the in-process cache
    /// after the first iteration, as in the preview server; `highlight` measures them cold.
    #[divan::bench(sample_count = 50)]
    fn render(bencher: Bencher) {
        let site = bundled_site();
        bencher.bench(|| {
            let sink = MemorySink::default();
            site.render(&sink).expect("the bundled site renders");
            sink
        });
    }

    /// What the preview does with a file a save renders (`serve::Stored`): compress it once the
    /// reload signal is out, then read it back for a request. The bundled site's home page.
    #[divan::bench]
    fn preview_pack_and_read_a_page(bencher: Bencher) {
        let sink = MemorySink::default();
        bundled_site().render(&sink).expect("the bundled site renders");
        let page = sink.into_shared()["index.html"].to_vec();
        bencher.counter(divan::counter::BytesCount::of_slice(&page)).bench(|| {
            let file = Stored::new(std::sync::Arc::new(page.clone()));
            file.pack();
            assert!(file.is_packed());
            file.bytes()
        });
    }

    /// Load and render, as `errorbook build` does before publishing (writing to disk is left
    /// out). As in `render`, snippets are highlighted in the first iteration only, which is
    /// close to a build that finds them all in its snippet cache folder.
    #[divan::bench(sample_count = 30)]
    fn build() -> MemorySink {
        let sink = MemorySink::default();
        load().render(&sink).expect("the bundled site renders");
        sink
    }
}

/// `errorbook triage`: a generated log (the same lines as `bench/gen-log.py` writes) against the
/// bundled site's entries. The throughput is what docs/benchmarks.md holds to 50 MB/s.
mod triage {
    use divan::counter::BytesCount;
    use divan::{black_box, Bencher};
    use errorbook::search::triage::Matcher;

    /// About 4 MB of log: one line in a hundred names a known error.
    fn log() -> String {
        let known = [
            "connect ECONNREFUSED 10.0.3.7:5432",
            "no live upstreams while connecting to upstream",
            "\"GET /api/orders HTTP/1.1\" 503 182",
            "java.lang.OutOfMemoryError: Java heap space",
            "FATAL: sorry, too many clients already",
        ];
        let plain = [
            "GET /api/orders/{n} 200 {n}ms",
            "request completed status=200 duration={n}ms bytes={n}",
            "worker {n} picked job 7a08d6af{n} from queue default",
            "connected to 10.0.3.{n}:6379 in {n}ms",
            "{\"level\":\"info\",\"ts\":\"2026-06-14T10:12:01.{n}Z\",\"msg\":\"heartbeat\"}",
            "    at com.acme.orders.OrderService.place(OrderService.java:{n})",
        ];
        let mut out = String::new();
        let mut n: u64 = 1;
        while out.len() < 4_000_000 {
            n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let body = if n.is_multiple_of(100) {
                known[(n / 100 % known.len() as u64) as usize].to_owned()
            } else {
                plain[(n >> 33) as usize % plain.len()].replace("{n}", &(n >> 44).to_string())
            };
            out.push_str(&format!(
                "2026-06-14T10:12:{:02}.{:03}Z INFO [app-{}] {body}\n",
                n % 60,
                n % 1000,
                n % 8
            ));
        }
        out
    }

    #[divan::bench(sample_count = 10)]
    fn generated_log(bencher: Bencher) {
        let site = super::bundled_site();
        let matcher = Matcher::new(&site.content.config, &site.content.entries);
        let log = log();
        bencher.counter(BytesCount::of_str(&log)).bench(|| black_box(matcher.find(log.as_bytes()).unwrap()));
    }
}
