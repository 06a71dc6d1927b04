//! `errorbook serve`: a real server on a free loopback port, edited while it runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::{entry, SiteTest};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(site: &SiteTest) -> Server {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_errorbook"))
        .args(["serve", "--port", &port.to_string()])
        .current_dir(&site.root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line =
            rx.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("serve did not start");
        if line.starts_with("serving ") {
            assert!(line.contains(&format!("http://127.0.0.1:{port}/")), "{line}");
            break;
        }
    }
    Server { child, port }
}

/// A raw HTTP/1.1 GET, so paths reach the server exactly as written.
fn get(port: u16, path: &str) -> (u16, String, String) {
    request(port, &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"))
}

/// Sends `head` (a request line and headers, each ended by CR LF) and reads the response:
/// its status, its head in lower case, and its body.
fn request(port: u16, head: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(stream, "{head}Connection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_lowercase(), body.to_owned())
}

/// Reads server-sent events in the background.
fn events(port: u16) -> mpsc::Receiver<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET /__errorbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line.starts_with("event:") && tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn wait_for(events: &mpsc::Receiver<String>, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let event = events
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no `{expected}` event"));
        if event == expected {
            return;
        }
    }
}

/// Polls until `condition` holds: a save can arrive as more than one burst of file events.
#[track_caller]
fn eventually(what: &str, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serves_rebuilds_reports_errors_and_refuses_traversal() {
    let site = SiteTest::with_files(&[
        ("content/http/500.md", &entry("500", "")),
        ("content/http/502.md", &entry("502", "")),
    ]);
    let server = start(&site);
    let port = server.port;

    let (status, head, body) = get(port, "/http/500/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html; charset=utf-8"), "{head}");
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert!(body.contains("Body of 500."));
    assert!(body.contains("/__errorbook/live.js"), "the live-reload script is injected");
    assert_eq!(get(port, "/http/500").0, 301);
    let (status, _, body) = get(port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("<html"), "the site's 404 page");
    let (status, head, _) = get(port, "/assets/errorbook.css");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/css"), "{head}");

    let events = events(port);
    wait_for(&events, "event: ok");

    // An edit shows up, and open tabs are told to reload.
    let sitemap = get(port, "/sitemap.xml").2;
    site.write(
        "content/http/500.md",
        &entry("500", "").replace("Body of 500.", "Freshly edited zebracorn body."),
    );
    wait_for(&events, "event: ok");
    eventually("the edit is served", || get(port, "/http/500/").2.contains("Freshly edited zebracorn body."));
    // The search index has the new word; the files listing every entry are still served.
    let vocabulary: String = (0..4).map(|shard| get(port, &format!("/search/v/{shard}.js")).2).collect();
    assert!(vocabulary.contains("\"zebracorn\""), "the edited entry's new word is indexed");
    assert_eq!(get(port, "/sitemap.xml").2, sitemap);
    assert_eq!(get(port, "/api/entries.json").0, 200);

    // A new title reaches every page and file that shows it.
    let api = get(port, "/api/entries.json").2;
    site.write(
        "content/http/500.md",
        &entry("500", "")
            .replace("Body of 500.", "Freshly edited zebracorn body.")
            .replace("title: Error 500", "title: Renamed error"),
    );
    wait_for(&events, "event: ok");
    eventually("the home page shows the new title", || get(port, "/").2.contains("Renamed error"));
    assert!(get(port, "/http/").2.contains("Renamed error"), "the category page");
    assert!(get(port, "/http/502/").2.contains("Body of 502."), "untouched pages are still served");
    let renamed = get(port, "/api/entries.json").2;
    assert!(api.contains("\"title\":\"Error 500\""), "{api}");
    assert_eq!(
        renamed,
        api.replace("\"title\":\"Error 500\"", "\"title\":\"Renamed error\""),
        "one part changed"
    );
    let rows: String = (0..2).map(|shard| get(port, &format!("/search/d/{shard}.js")).2).collect();
    assert!(rows.contains("Renamed error"), "the search results show the new title");

    // A broken entry is reported; the last good build stays online.
    site.write("content/http/500.md", &entry("500", "severity: blocking\n").replace("severity: major\n", ""));
    wait_for(&events, "event: failed");
    assert!(get(port, "/http/500/").2.contains("Freshly edited zebracorn body."));

    // Fixing it clears the error; deleting an entry removes its page; adding one adds it.
    site.write("content/http/500.md", &entry("500", ""));
    wait_for(&events, "event: ok");
    std::fs::remove_file(site.root.join("content/http/502.md")).unwrap();
    eventually("the deleted entry is gone", || get(port, "/http/502/").0 == 404);
    site.write("content/http/504.md", &entry("504", ""));
    eventually("the new entry is served", || get(port, "/http/504/").0 == 200);
    eventually("the new entry is listed", || get(port, "/").2.contains("Error 504"));

    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/http/%2e%2e%2f%2e%2e%2fsite.yaml",
        "/..%5csite.yaml",
        "/..\\site.yaml",
    ] {
        let status = get(port, path).0;
        assert!(status == 400 || status == 404, "{path} answered {status}");
    }
    assert_eq!(get(port, "/site.yaml").0, 404, "only the build is served, not the site's sources");
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = site.run(&["serve", "--port", &port]).code(2);
    assert!(run.stderr.contains("cannot listen on 127.0.0.1:"), "{}", run.stderr);
    assert!(run.stderr.contains("--port"), "{}", run.stderr);
}

/// Every file under `root`, with its size.
fn tree_of(root: &std::path::Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|item| {
            let item = item.unwrap();
            (item.path().display().to_string(), item.metadata().unwrap().len())
        })
        .collect();
    files.sort();
    files
}

/// A connection that sent part of a request head and then nothing more.
fn stalled(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ").unwrap();
    stream
}

#[test]
fn ctrl_c_stops_it_within_a_second_whatever_clients_hold_and_leaves_nothing_behind() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let before = tree_of(&site.root);
    for signal in ["INT", "TERM"] {
        let mut server = start(&site);
        let tab = events(server.port);
        wait_for(&tab, "event: ok");
        let _stalled = stalled(server.port);
        // A connection kept alive after a response it never read.
        let mut unread = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        unread.write_all(b"GET /search/v/0.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let pid = server.child.id().to_string();
        let asked = Instant::now();
        // bash's own `kill`: a minimal system may not have the procps one.
        let sent = Command::new("bash").args(["-c", &format!("kill -{signal} {pid}")]).status().unwrap();
        assert!(sent.success());
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(asked.elapsed() < Duration::from_secs(10), "SIG{signal} did not stop the server");
            std::thread::sleep(Duration::from_millis(10));
        };
        let took = asked.elapsed();
        assert!(status.success(), "SIG{signal}: {status}");
        assert!(
            took < Duration::from_secs(1),
            "SIG{signal} took {took:?} with a tab, a stalled request and an unread response"
        );
    }
    assert_eq!(tree_of(&site.root), before, "the preview writes nothing into the site");
}

#[test]
fn a_request_head_that_stalls_is_cut_off_while_event_streams_stay_open() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let server = start(&site);
    let tab = events(server.port);
    wait_for(&tab, "event: ok");
    let mut stream = stalled(server.port);
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    // The server closes the connection: end of file, or a reset.
    let _ = stream.read_to_end(&mut rest);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(8), "a stalled request head held its connection for {took:?}");
    assert!(took >= Duration::from_secs(3), "closed after {took:?}, before the client had its few seconds");
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"), "no page for half a request");
    // The tab's event stream, open all along, was not cut off: it still hears of an edit.
    site.write("content/http/500.md", &entry("500", "").replace("Body of 500.", "Edited."));
    wait_for(&tab, "event: ok");
    assert_eq!(get(server.port, "/http/500/").0, 200);
}

#[test]
fn only_get_and_head_are_answered() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let server = start(&site);
    let port = server.port;
    for path in ["/", "/http/500/", "/no/such/page/", "/__errorbook/events", "/__errorbook/live.js"] {
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let (status, head, _) = request(
                port,
                &format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"),
            );
            assert_eq!(status, 405, "{method} {path}");
            assert!(head.contains("\r\nallow: get, head\r\n"), "{method} {path}: {head}");
        }
    }
    let (status, head, body) = request(port, "HEAD /http/500/ HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(body.is_empty(), "a HEAD response has no body: {body}");
    let (status, _, body) = get(port, "/http/500/");
    assert_eq!(status, 200);
    assert!(body.contains("Body of 500."));
}

#[test]
fn redirects_never_leave_the_site() {
    let site = SiteTest::with_files(&[("content/evil.example/500.md", &entry("500", ""))]);
    site.write(
        "site.yaml",
        "title: Test KB\nbase_url: https://example.org/\ncategories:\n  evil.example: { name: Evil }\n",
    );
    let server = start(&site);
    let port = server.port;
    assert_eq!(get(port, "/evil.example/").0, 200, "the category folder exists");
    for path in [
        "//evil.example",
        "///evil.example",
        "/%2f%2fevil.example",
        "/%2F/evil.example",
        "//evil.example/500",
    ] {
        let (status, head, _) = get(port, path);
        assert_eq!(status, 301, "{path}: {head}");
        let location = head
            .lines()
            .find_map(|line| line.strip_prefix("location: "))
            .unwrap_or_else(|| panic!("{path}: no location in {head}"));
        let expected = if path.ends_with("500") { "/evil.example/500/" } else { "/evil.example/" };
        assert_eq!(location, expected, "{path}");
    }
    for path in ["/\\evil.example", "/%5c%5cevil.example", "/%5C/evil.example", "/\\/evil.example"] {
        let (status, head, _) = get(port, path);
        assert_eq!(status, 400, "{path}: {head}");
        assert!(!head.contains("location:"), "{path}: {head}");
    }
}

#[test]
fn only_requests_for_a_loopback_host_are_answered() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let server = start(&site);
    let port = server.port;
    for host in
        ["localhost", &format!("localhost:{port}"), &format!("127.0.0.1:{port}"), &format!("[::1]:{port}")]
    {
        let (status, _, body) = request(port, &format!("GET /http/500/ HTTP/1.1\r\nHost: {host}\r\n"));
        assert_eq!(status, 200, "Host: {host}");
        assert!(body.contains("Body of 500."), "Host: {host}");
    }
    for host in ["evil.example", &format!("evil.example:{port}"), "localhost.evil.example", "192.0.2.1"] {
        let (status, _, body) = request(port, &format!("GET /http/500/ HTTP/1.1\r\nHost: {host}\r\n"));
        assert_eq!(status, 421, "Host: {host}");
        assert!(body.contains("open it as localhost, 127.0.0.1 or [::1]"), "Host: {host}: {body}");
        assert!(!body.contains("Body of 500."), "Host: {host}");
    }
    // The event stream is refused too, and a target naming another host, and two hosts.
    let refused = [
        "GET /__errorbook/events HTTP/1.1\r\nHost: evil.example\r\n".to_owned(),
        "GET http://evil.example/http/500/ HTTP/1.1\r\nHost: localhost\r\n".to_owned(),
        format!("GET /http/500/ HTTP/1.1\r\nHost: localhost:{port}\r\nHost: evil.example\r\n"),
    ];
    for head in &refused {
        let (status, _, body) = request(port, head);
        assert!(status == 421 || status == 400, "{head}: {status}");
        assert!(!body.contains("Body of 500."), "{head}");
    }
    // Without a Host header, nothing is served either.
    assert_ne!(request(port, "GET /http/500/ HTTP/1.1\r\n").0, 200);
}

#[test]
fn folders_of_inputs_made_after_it_started_are_watched() {
    let site = SiteTest::with_files(&[("content/http/500.md", &entry("500", ""))]);
    let server = start(&site);
    let port = server.port;
    let events = events(port);
    wait_for(&events, "event: ok");
    assert_eq!(get(port, "/notes.txt").0, 404);

    std::fs::create_dir(site.root.join("static")).unwrap();
    wait_for(&events, "event: ok");
    site.write("static/notes.txt", "Added after the server started.\n");
    eventually("a file of a folder made later is served", || {
        get(port, "/notes.txt").2.contains("Added after the server started.")
    });
    site.write("static/notes.txt", "Edited after the server started.\n");
    eventually("an edit inside a folder made later is served", || {
        get(port, "/notes.txt").2.contains("Edited after the server started.")
    });

    // Removed and made again, the folder is watched again.
    std::fs::remove_dir_all(site.root.join("static")).unwrap();
    eventually("a file of a removed folder is gone", || get(port, "/notes.txt").0 == 404);
    std::fs::create_dir(site.root.join("static")).unwrap();
    wait_for(&events, "event: ok");
    site.write("static/notes.txt", "Written into the folder made again.\n");
    eventually("a file of a folder made again is served", || {
        get(port, "/notes.txt").2.contains("Written into the folder made again.")
    });
}
