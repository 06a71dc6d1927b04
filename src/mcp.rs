//! `errorbook mcp`: the knowledge base as a Model Context Protocol server on standard input and
//! output, for AI assistants and other tools. Three tools, each answering from the site loaded
//! once, with no network:
//!
//! - `search`: the site's own search engine ([`crate::search::engine`]), so an assistant gets
//!   the entries a reader's search box would show, in the same order;
//! - `get_entry`: an entry's Markdown copy, exactly as the build publishes it (`index.md`),
//!   found by `category/slug`, code or alias as `errorbook explain` finds it;
//! - `triage`: every entry a pasted log mentions, as `errorbook triage --format json` prints it.
//!
//! rmcp (the protocol's official Rust SDK) is used here and nowhere else; it speaks every
//! revision of the protocol a client may ask for, from 2024-11-05 to the current one.

use std::sync::{Arc, Mutex, PoisonError};

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{schemars, tool, tool_handler, tool_router, ServerHandler, ServiceExt};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::search::engine::{Engine, Query};
use crate::search::lookup::{lookup, Lookup};
use crate::search::triage::{self, Matcher};
use crate::site::Site;

/// The most results `search` returns, as the engine caps them.
pub const MAX_RESULTS: usize = 50;
/// How much log text `triage` reads from one call; a longer log is cut at a line break before
/// it (the answer says so). Larger logs belong to `errorbook triage`, which streams them.
pub const MAX_LOG_BYTES: usize = 4 * 1024 * 1024;
/// The longest request line the server reads. A request must reach `triage` to be cut (the
/// transport drops a longer line without an answer), and JSON may write a byte of log as up to
/// six, so this is far above [`MAX_LOG_BYTES`].
pub const MAX_REQUEST_BYTES: usize = 16 * MAX_LOG_BYTES;

/// What the server answers from: the site, its search engine and its log matcher.
struct Knowledge {
    site: Site,
    /// The interpreter runs one query at a time.
    engine: Mutex<Engine>,
    matcher: Matcher,
}

/// The server; clones share one loaded site.
#[derive(Clone)]
pub struct Server {
    knowledge: Arc<Knowledge>,
    #[allow(dead_code, reason = "read by the code tool_handler generates")]
    tool_router: ToolRouter<Server>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct SearchParams {
    /// What to look for: an error code (`503`, `ECONNREFUSED`), a message or a line pasted
    /// from a log, or words.
    pub query: String,
    /// Only entries of this category (its id, such as `http`).
    #[serde(default)]
    pub category: Option<String>,
    /// Only entries of this severity (such as `high`).
    #[serde(default)]
    pub severity: Option<String>,
    /// At most this many entries (1 to 50; 10 when left out).
    #[serde(default)]
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct GetEntryParams {
    /// The entry: its id (`http/503`), its error code (`503`) or one of its messages.
    pub entry: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct TriageParams {
    /// The log text, one or many lines.
    pub log: String,
}

/// One `search` result.
#[derive(Debug, Serialize)]
struct SearchResult {
    /// `category/slug`, what `get_entry` takes.
    id: String,
    code: String,
    title: String,
    summary: String,
    url: String,
    category: String,
    severity: String,
    status: String,
}

#[tool_router]
impl Server {
    /// Loads nothing: `site` is the loaded site. Fails only when its search index cannot be
    /// read by the engine.
    pub fn new(site: Site) -> anyhow::Result<Server> {
        let engine = Engine::new(&site.search_index())?;
        let matcher = Matcher::new(&site.content.config, &site.content.entries);
        let knowledge = Knowledge { site, engine: Mutex::new(engine), matcher };
        Ok(Server { knowledge: Arc::new(knowledge), tool_router: Server::tool_router() })
    }

    #[tool(
        description = "Search the error knowledge base by error code, error message, a line pasted from a log, or words. Returns the best entries first, as the site's own search ranks them, each with its id (for get_entry), code, title, one-line summary and URL.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    fn search(&self, Parameters(params): Parameters<SearchParams>) -> CallToolResult {
        if params.query.trim().is_empty() {
            return failure("the query is empty: give an error code, a message or some words");
        }
        if params.limit.is_some_and(|l| !(1..=MAX_RESULTS).contains(&l)) {
            return failure(&format!("limit must be between 1 and {MAX_RESULTS}"));
        }
        let config = &self.knowledge.site.content.config;
        if let Some(wanted) = params.severity.as_deref() {
            if !config.severities.iter().any(|s| s == wanted) {
                return failure(&format!(
                    "no severity `{wanted}`; the severities are {}",
                    config.severities.join(", ")
                ));
            }
        }
        if let Some(wanted) = params.category.as_deref() {
            let entries = &self.knowledge.site.content.entries;
            if !entries.iter().any(|e| e.category == wanted) {
                let mut ids: Vec<&str> = entries.iter().map(|e| e.category.as_str()).collect();
                ids.sort_unstable();
                ids.dedup();
                return failure(&format!("no category `{wanted}`; the categories are {}", ids.join(", ")));
            }
        }
        let query = Query {
            text: &params.query,
            category: params.category.as_deref(),
            severity: params.severity.as_deref(),
            product: None,
            limit: params.limit,
        };
        let engine = self.knowledge.engine.lock().unwrap_or_else(PoisonError::into_inner);
        let hits = match engine.search(&query) {
            Ok(hits) => hits,
            Err(error) => return failure(&error.to_string()),
        };
        let base = &config.base_url;
        let results: Vec<SearchResult> = hits
            .into_iter()
            .map(|hit| SearchResult {
                id: hit.href.trim_end_matches('/').trim_end_matches("/index.html").to_owned(),
                url: format!("{base}{}", hit.href),
                code: hit.code,
                title: hit.title,
                summary: hit.summary,
                category: hit.category,
                severity: hit.severity,
                status: hit.status,
            })
            .collect();
        CallToolResult::structured(json!({ "results": results }))
    }

    #[tool(
        description = "Get one entry of the error knowledge base as Markdown: what the error means, the quick fix, causes, numbered fix steps with commands, how to verify, FAQ and sources. Takes the entry's id (category/slug, from search), its error code or one of its messages.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    fn get_entry(&self, Parameters(params): Parameters<GetEntryParams>) -> CallToolResult {
        let site = &self.knowledge.site;
        let wanted = params.entry.trim().trim_matches('/');
        let entries = &site.content.entries;
        let found = match lookup(entries, wanted) {
            Lookup::One(entry) => entry,
            Lookup::Shared(several) => {
                let ids: Vec<&str> = several.iter().map(|e| e.id().as_str()).collect();
                return failure(&format!(
                    "several entries have the code `{wanted}`: {}; ask for one by its id",
                    ids.join(", ")
                ));
            }
            Lookup::Unknown(nearest) => {
                let hint = if nearest.is_empty() {
                    "; the search tool finds entries by message or words".to_owned()
                } else {
                    let ids: Vec<String> =
                        nearest.iter().map(|e| format!("{} ({})", e.id(), e.code)).collect();
                    format!("; the nearest are {}", ids.join(", "))
                };
                return failure(&format!("no entry has the id, code or message `{wanted}`{hint}"));
            }
        };
        match site.markdown_copy(found.id()) {
            Some(markdown) => CallToolResult::success(vec![ContentBlock::text(markdown)]),
            None => failure(&format!("the entry `{}` has no Markdown copy", found.id())),
        }
    }

    #[tool(
        description = "Find every known error in a log: paste log lines and get each entry of the knowledge base they mention, most relevant first, with how many lines matched and the first line numbers (1-based).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    fn triage(&self, Parameters(params): Parameters<TriageParams>) -> CallToolResult {
        let (log, cut) = cut_log(&params.log);
        let mut scan = self.knowledge.matcher.scan();
        let read = triage::read_lines(log.as_bytes(), |_, line| scan.line(line));
        if let Err(error) = read {
            return failure(&format!("cannot read the log: {error}"));
        }
        let lines = scan.lines();
        let found = scan.finish();
        let mut answer = json!({ "lines": lines, "found": found });
        if cut {
            answer["note"] = json!(format!(
                "only the first {} MiB of the log were read ({lines} lines); run `errorbook triage` on the whole file",
                MAX_LOG_BYTES >> 20
            ));
        }
        CallToolResult::structured(answer)
    }
}

#[tool_handler]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let config = &self.knowledge.site.content.config;
        let mut instructions = format!(
            "{} is a knowledge base of errors and their fixes ({} entries). Use `search` with an error code, message or log line, then `get_entry` with a result's id for the whole fix; use `triage` on a pasted log to find every known error in it.",
            config.title,
            self.knowledge.site.content.entries.len()
        );
        if !config.description.is_empty() {
            instructions.push(' ');
            instructions.push_str(&config.description);
        }
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(
                Implementation::new("errorbook", env!("CARGO_PKG_VERSION")).with_title(config.title.clone()),
            )
            .with_instructions(crate::terminal::visible(&instructions))
    }
}

/// A tool-level error: the client shows the message to the assistant, which can try again.
fn failure(message: &str) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message.to_owned())])
}

/// At most [`MAX_LOG_BYTES`] of `log`, cut after a line break (or, when the first line is
/// longer than that, inside it: triage reads only the head of a line anyway); and whether it
/// was cut.
fn cut_log(log: &str) -> (&str, bool) {
    if log.len() <= MAX_LOG_BYTES {
        return (log, false);
    }
    let head = &log.as_bytes()[..MAX_LOG_BYTES];
    let end = match head.iter().rposition(|&b| b == b'\n') {
        Some(i) => i + 1,
        None => (0..=MAX_LOG_BYTES).rev().find(|&i| log.is_char_boundary(i)).unwrap_or(0),
    };
    (&log[..end], true)
}

/// Serves `server` on standard input and output until the client closes its end.
///
/// Three repairs sit between the streams and the SDK's transport, so that every request gets an
/// answer a JSON-RPC 2.0 client can match: bytes that are not UTF-8 are read as U+FFFD (the SDK
/// would drop the whole line, and the request would wait forever); a line that is not JSON gets
/// the parse error (-32700) the SDK does not send; and an error reply to a request the SDK could
/// not read carries `"id": null`, as the specification requires. A last line without a line
/// break is read too.
pub async fn serve_stdio(server: Server) -> anyhow::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    const PIPE: usize = 1 << 16;
    let (to_server, input) = tokio::io::duplex(PIPE);
    let (output, from_server) = tokio::io::duplex(PIPE);
    let (replies, mut outbox) = tokio::sync::mpsc::unbounded_channel::<String>();
    let parse_errors = replies.clone();
    let requests = tokio::spawn(async move {
        let mut stdin = BufReader::new(tokio::io::stdin());
        let mut to_server = to_server;
        let mut line = Vec::new();
        loop {
            line.clear();
            if stdin.read_until(b'\n', &mut line).await? == 0 {
                break;
            }
            let mut text = String::from_utf8_lossy(&line).into_owned();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            if !text.trim().is_empty() && serde_json::from_str::<serde::de::IgnoredAny>(&text).is_err() {
                let _ = parse_errors.send(PARSE_ERROR.to_owned());
                continue;
            }
            to_server.write_all(text.as_bytes()).await?;
        }
        to_server.shutdown().await
    });
    let from_sdk = tokio::spawn(async move {
        let mut lines = BufReader::new(from_server);
        let mut line = String::new();
        while lines.read_line(&mut line).await.unwrap_or(0) > 0 {
            let _ = replies.send(with_null_id(&line).into_owned());
            line.clear();
        }
    });
    let writer = tokio::spawn(async move {
        let mut stdout = tokio::io::stdout();
        while let Some(reply) = outbox.recv().await {
            stdout.write_all(reply.as_bytes()).await?;
            stdout.flush().await?;
        }
        Ok::<(), std::io::Error>(())
    });
    let transport = rmcp::transport::async_rw::AsyncRwTransport::new_server(input, output)
        .with_max_line_length(MAX_REQUEST_BYTES);
    let running = match server.serve(transport).await {
        Ok(running) => Some(running),
        // A client that hangs up before it says anything ends the session like any other.
        Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => None,
        Err(error) => return Err(error.into()),
    };
    if let Some(running) = running {
        running.waiting().await?;
    }
    requests.abort();
    // Whatever the server wrote before it stopped reaches the client.
    let _ = from_sdk.await;
    let _ = writer.await;
    Ok(())
}

/// The reply to a line that is not JSON at all.
const PARSE_ERROR: &str = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error: the line is not JSON\"}}\n";

/// An error reply without an `id` (to a request that could not be read) gets `"id": null`;
/// any other line is left as it is.
fn with_null_id(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains("\"error\"") {
        return line.into();
    }
    match serde_json::from_str::<serde_json::Value>(line) {
        Ok(serde_json::Value::Object(mut reply))
            if reply.contains_key("error") && !reply.contains_key("id") =>
        {
            reply.insert("id".to_owned(), serde_json::Value::Null);
            let mut fixed = serde_json::Value::Object(reply).to_string();
            fixed.push('\n');
            fixed.into()
        }
        _ => line.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_log_is_cut_after_a_line_break() {
        let line = "x".repeat(1023) + "\n";
        let log = line.repeat(MAX_LOG_BYTES / 1024 + 2);
        let (head, cut) = cut_log(&log);
        assert!(cut);
        assert!(head.len() <= MAX_LOG_BYTES && head.ends_with('\n'), "{}", head.len());
        assert_eq!(head.len() % 1024, 0);
        assert_eq!(cut_log("a\nb"), ("a\nb", false));
        // One line longer than the limit keeps its head, on a character boundary.
        let long = "é".repeat(MAX_LOG_BYTES);
        let (head, cut) = cut_log(&long);
        assert!(cut && head.len() == MAX_LOG_BYTES && head.starts_with("éé"), "{}", head.len());
    }

    #[test]
    fn error_replies_without_an_id_get_a_null_one() {
        let fixed = with_null_id(
            "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32600,\"message\":\"Invalid request\"}}\n",
        );
        let value: serde_json::Value = serde_json::from_str(&fixed).unwrap();
        assert_eq!(value["id"], serde_json::Value::Null);
        assert!(value.as_object().unwrap().contains_key("id"));
        assert_eq!(value["error"]["code"], -32600);
        assert!(fixed.ends_with('\n'));
        let answered = "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601}}\n";
        assert_eq!(with_null_id(answered), answered);
        let result = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"an \\\"error\\\" word\"}}\n";
        assert_eq!(with_null_id(result), result);
    }
}
