//! The preview's HTTP layer: which requests it answers, and connections that cannot hold it.
//!
//! - Only `GET` and `HEAD`: anything else is 405 with `Allow: GET, HEAD`.
//! - Only requests that name the preview by a loopback name (`localhost`, `127.0.0.0/8`,
//!   `[::1]`) or by the address it listens on, in `Host` and in an absolute request target:
//!   a page of another site whose name was made to point at 127.0.0.1 (DNS rebinding) names its
//!   own host and is refused with 421, so it cannot read the preview.
//! - A client has [`HEADER_TIMEOUT`] to send a request's head; a connection that stalls is
//!   closed.
//! - Stopping waits [`SHUTDOWN_GRACE`] at most for responses under way, then drops every
//!   connection, so no client can keep the process alive.
//!
//! Connections are served by hyper's HTTP/1 server directly (axum's `serve` has no header
//! timeout); the routes are an axum `Router`.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;

/// How long a client may take to send the head of a request (and how long a connection may
/// wait idle between requests).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// How long stopping waits for responses under way before dropping the connections.
pub const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// The host names a request may give: loopback ones and the address the server listens on.
#[derive(Clone, Copy, Debug)]
pub struct Hosts {
    bound: IpAddr,
}

impl Hosts {
    pub fn new(bound: IpAddr) -> Hosts {
        Hosts { bound }
    }

    /// Whether `host` (a `Host` header: a name or address, and an optional port) names this
    /// server. A listener on every address (`0.0.0.0`, `::`) is named by any IP address; a name
    /// other than `localhost` never does, since any name can be made to point here.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = without_port(host) else {
            return false;
        };
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let address = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
            Some(v6) => v6.parse::<Ipv6Addr>().ok().map(IpAddr::V6),
            None => name.parse::<Ipv4Addr>().ok().map(IpAddr::V4),
        };
        let Some(address) = address.map(|a| a.to_canonical()) else {
            return false;
        };
        address.is_loopback() || address == self.bound.to_canonical() || self.bound.is_unspecified()
    }

    /// What the refusal says may be used instead.
    fn described(&self) -> String {
        let mut names = "localhost, 127.0.0.1 or [::1]".to_owned();
        if self.bound.is_unspecified() {
            names.push_str(", or an IP address of this machine");
        } else if !self.bound.is_loopback() {
            let bound = match self.bound {
                IpAddr::V4(v4) => v4.to_string(),
                IpAddr::V6(v6) => format!("[{v6}]"),
            };
            names = format!("{bound}, {names}");
        }
        names
    }
}

/// The name or address of a `Host` value without its port; `None` when the port is not a
/// number or the brackets of an IPv6 address do not close.
fn without_port(host: &str) -> Option<&str> {
    let (name, rest) = if host.starts_with('[') {
        let end = host.find(']')? + 1;
        host.split_at(end)
    } else {
        host.split_at(host.rfind(':').unwrap_or(host.len()))
    };
    match rest.strip_prefix(':') {
        None if rest.is_empty() => Some(name),
        Some(port) if port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok() => Some(name),
        _ => None,
    }
    .filter(|name| !name.is_empty())
}

fn refusal(status: StatusCode, text: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], text).into_response()
}

/// Answers requests for another host and methods other than GET and HEAD itself; passes the
/// rest on to the routes.
pub async fn guard(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    let mut named = request.headers().get_all(header::HOST).iter();
    let host = match (named.next(), named.next()) {
        (Some(host), None) => host.to_str().ok(),
        _ => None,
    };
    // An absolute target (`GET http://host/ HTTP/1.1`) names the host a second time.
    let target = request.uri().authority().map(axum::http::uri::Authority::as_str);
    let allowed = host.is_some_and(|host| hosts.allows(host)) && target.is_none_or(|t| hosts.allows(t));
    if !allowed {
        return refusal(
            StatusCode::MISDIRECTED_REQUEST,
            format!("this is errorbook's preview: open it as {}\n", hosts.described()),
        );
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response =
            refusal(StatusCode::METHOD_NOT_ALLOWED, "the preview answers only GET and HEAD\n".to_owned());
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    next.run(request).await
}

/// Serves `app` on `listener` until `stop` completes, then gives responses under way
/// [`SHUTDOWN_GRACE`] and drops every connection left.
pub async fn serve(listener: tokio::net::TcpListener, app: Router, stop: impl Future<Output = ()>) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    let graceful = GracefulShutdown::new();
    let mut connections = tokio::task::JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                // Out of file descriptors, or a connection reset before it was accepted:
                // the listener itself is fine.
                let Ok((stream, _)) = accepted else {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let service = TowerToHyperService::new(app.clone().into_service::<hyper::body::Incoming>());
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                connections.spawn(async move {
                    let _ = connection.await;
                });
                // Forget the connections that ended.
                while connections.try_join_next().is_some() {}
            }
            () = &mut stop => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    connections.abort_all();
}

/// Wraps the routes in [`guard`].
pub fn guarded(app: Router, hosts: Hosts) -> Router {
    app.layer(axum::middleware::from_fn_with_state(hosts, guard))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bound: &str, host: &str, expected: bool) {
        let hosts = Hosts::new(bound.parse().unwrap());
        assert_eq!(hosts.allows(host), expected, "Host: {host} with the server on {bound}");
    }

    #[test]
    fn loopback_names_are_allowed_with_or_without_a_port() {
        for host in [
            "localhost",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:1111",
            "[::ffff:127.0.0.1]:1111",
        ] {
            check("127.0.0.1", host, true);
        }
    }

    #[test]
    fn other_names_are_refused() {
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "localhost.",
            "127.0.0.1.nip.io",
            "10.0.0.1",
            "[::2]",
            "localhost:",
            "localhost:99999",
            "localhost:11a1",
            "127.0.0.1:1111:1",
            "[::1",
            "[::1]x",
            "::1",
            ":1111",
            "",
            "0x7f.0.0.1",
            "2130706433",
        ] {
            check("127.0.0.1", host, false);
        }
    }

    #[test]
    fn the_bound_address_is_allowed() {
        check("192.168.1.5", "192.168.1.5:1111", true);
        check("192.168.1.5", "localhost:1111", true);
        check("192.168.1.5", "192.168.1.6:1111", false);
        check("192.168.1.5", "my-laptop.local:1111", false);
        check("fd00::5", "[fd00::5]:1111", true);
        check("0.0.0.0", "192.168.1.6:1111", true);
        check("0.0.0.0", "[fd00::6]", true);
        check("0.0.0.0", "my-laptop.local", false);
        check("::", "my-laptop", false);
    }
}
