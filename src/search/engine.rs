//! The browser's search engine, run in this process: `static/assets/search/engine.js` in an
//! embedded JavaScript interpreter (QuickJS, through rquickjs), reading the index files a build
//! writes. Programs that search a site from outside a browser (`errorbook mcp`) ask it, so they
//! rank exactly as the site's own search box does: there is one ranking, written once.
//!
//! rquickjs is used here and nowhere else.

use std::fmt;

use rquickjs::{Context, Function, Object, Promise, Runtime};
use serde::{Deserialize, Serialize};

use super::{IndexFile, IndexFiles};

const ENGINE_JS: &str = include_str!("../../static/assets/search/engine.js");

/// Glue between the engine and this module: index files come in as source text by name and are
/// decoded the way a browser runs them (each calls `errorbookShard(name, data)`); queries and
/// results cross as JSON.
const DRIVER_JS: &str = r#"
(function (global) {
  'use strict';
  /* The engine hashes code keys over their UTF-8 bytes with TextEncoder, which browsers and
     node have and the interpreter does not: the same encoding, lone surrogates as U+FFFD. */
  if (typeof global.TextEncoder === 'undefined') {
    global.TextEncoder = function TextEncoder() {};
    global.TextEncoder.prototype.encode = function (s) {
      var out = [];
      for (var i = 0; i < s.length; i++) {
        var c = s.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
          var d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            i++;
          }
        }
        if (c >= 0xd800 && c <= 0xdfff) { c = 0xfffd; }
        if (c < 0x80) {
          out.push(c);
        } else if (c < 0x800) {
          out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
        } else if (c < 0x10000) {
          out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
        } else {
          out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
        }
      }
      return new Uint8Array(out);
    };
  }
  var files = Object.create(null);
  function load(name) {
    return new Promise(function (resolve, reject) {
      var source = files[name];
      if (source === undefined) {
        reject(new Error('search/' + name + '.js is not in the index'));
        return;
      }
      var registered;
      new Function('errorbookShard', source)(function (n, data) {
        if (n === name) { registered = data; }
      });
      if (registered === undefined) {
        reject(new Error('search/' + name + '.js did not register'));
      } else {
        resolve(registered);
      }
    });
  }
  var engine = null;
  global.errorbookAddFile = function (name, source) { files[name] = source; };
  global.errorbookSearch = function (query, options) {
    if (engine === null) { engine = global.errorbookSearchEngine.createEngine(load); }
    return engine.search(query, JSON.parse(options)).then(function (results) {
      return JSON.stringify(results);
    });
  };
})(globalThis);
"#;

/// How much memory the interpreter may take: far more than the largest index needs, and a
/// bound on what a pathological query could make it allocate.
const MEMORY_LIMIT: usize = 1 << 30;

/// A result, as the site's search box shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    /// The entry's page relative to the site root (`http/503/`).
    pub href: String,
    pub code: String,
    pub title: String,
    pub category: String,
    pub category_name: String,
    pub severity: String,
    /// `current`, `deprecated` or `retired`.
    pub status: String,
    pub summary: String,
    /// The alias the query matched, when it matched one.
    #[serde(default)]
    pub alias: Option<String>,
}

/// The filters of a query, as the search page offers them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Query<'a> {
    #[serde(skip)]
    pub text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<&'a str>,
    /// At most this many results (the engine's default is 10, its ceiling 50).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// Why the engine could not answer: the script threw, or the index is not one it reads.
#[derive(Debug)]
pub struct EngineError(String);

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the search engine failed: {}", self.0)
    }
}

impl std::error::Error for EngineError {}

/// The engine over one site's index. Queries run one at a time (the interpreter has one
/// thread); a caller that shares it across threads puts it behind a lock.
pub struct Engine {
    // Field order matters: the context must go before the runtime it lives in.
    context: Context,
    _runtime: Runtime,
}

impl Engine {
    /// Starts the engine over `files`, the `search/…` files of a build (others are ignored).
    pub fn new(files: &IndexFiles) -> Result<Engine, EngineError> {
        let runtime = Runtime::new().map_err(|e| EngineError(e.to_string()))?;
        runtime.set_memory_limit(MEMORY_LIMIT);
        let context = Context::full(&runtime).map_err(|e| EngineError(e.to_string()))?;
        context.with(|ctx| -> Result<(), EngineError> {
            let run = |source: &str, name: &str| {
                ctx.eval::<(), _>(source).map_err(|e| EngineError(format!("{name}: {}", describe(&ctx, &e))))
            };
            run(ENGINE_JS, "engine.js")?;
            run(DRIVER_JS, "driver")?;
            let add: Function =
                ctx.globals().get("errorbookAddFile").map_err(|e| EngineError(e.to_string()))?;
            for IndexFile { path, bytes } in files {
                let Some(name) = path.strip_prefix("search/").and_then(|p| p.strip_suffix(".js")) else {
                    continue;
                };
                let source = std::str::from_utf8(bytes).map_err(|e| EngineError(format!("{path}: {e}")))?;
                add.call::<_, ()>((name, source)).map_err(|e| EngineError(describe(&ctx, &e)))?;
            }
            Ok(())
        })?;
        Ok(Engine { context, _runtime: runtime })
    }

    /// The entries for `query`, best first, as the site's search box ranks them.
    pub fn search(&self, query: &Query<'_>) -> Result<Vec<Hit>, EngineError> {
        let options = serde_json::to_string(query).map_err(|e| EngineError(e.to_string()))?;
        self.context.with(|ctx| {
            let search: Function =
                ctx.globals().get("errorbookSearch").map_err(|e| EngineError(e.to_string()))?;
            let promise: Promise =
                search.call((query.text, options)).map_err(|e| EngineError(describe(&ctx, &e)))?;
            let json: String = promise.finish().map_err(|e| EngineError(describe(&ctx, &e)))?;
            serde_json::from_str(&json).map_err(|e| EngineError(e.to_string()))
        })
    }
}

/// The message of what the script threw, rather than rquickjs's "exception generated".
fn describe(ctx: &rquickjs::Ctx<'_>, error: &rquickjs::Error) -> String {
    if !matches!(error, rquickjs::Error::Exception) {
        return error.to_string();
    }
    let thrown = ctx.catch();
    if let Some(object) = thrown.as_object() {
        let message: Option<String> = Object::get(object, "message").ok();
        if let Some(message) = message {
            return message;
        }
    }
    thrown.as_string().and_then(|s| s.to_string().ok()).unwrap_or_else(|| "an exception".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{build_index, SearchDoc};

    fn doc(href: &str, code: &str, title: &str, aliases: &[&str]) -> SearchDoc {
        SearchDoc {
            href: href.to_owned(),
            code: code.to_owned(),
            title: title.to_owned(),
            summary: format!("About {title}."),
            category: href.split('/').next().unwrap().to_owned(),
            category_name: "Category".to_owned(),
            severity: "high".to_owned(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            text: format!("{title} explained at length."),
            ..SearchDoc::default()
        }
    }

    fn engine() -> Engine {
        let docs = [
            doc("http/503/", "503", "Service Unavailable", &["upstream connect error or disconnect/reset"]),
            doc("http/502/", "502", "Bad Gateway", &[]),
            doc(
                "linux/enospc/",
                "ENOSPC",
                "No space left on device",
                &["write failed: No space left on device"],
            ),
        ];
        Engine::new(&build_index(&docs)).unwrap()
    }

    #[test]
    fn an_exact_code_ranks_its_entry_first() {
        let hits = engine().search(&Query { text: "503", ..Query::default() }).unwrap();
        assert_eq!(hits[0].href, "http/503/");
        assert_eq!(hits[0].code, "503");
        assert_eq!(hits[0].title, "Service Unavailable");
        assert_eq!(hits[0].status, "current");
    }

    #[test]
    fn a_pasted_log_line_finds_its_alias() {
        let line = "2026-12-01T10:00:00Z write failed: No space left on device (/var/lib/x)";
        let hits = engine().search(&Query { text: line, ..Query::default() }).unwrap();
        assert_eq!(hits[0].href, "linux/enospc/");
        assert_eq!(hits[0].alias.as_deref(), Some("write failed: No space left on device"));
    }

    #[test]
    fn filters_and_limits_reach_the_engine() {
        let engine = engine();
        let all = engine.search(&Query { text: "service gateway space", ..Query::default() }).unwrap();
        assert!(all.len() >= 2, "{all:?}");
        let http = engine
            .search(&Query { text: "service gateway space", category: Some("http"), ..Query::default() })
            .unwrap();
        assert!(!http.is_empty());
        assert!(http.iter().all(|h| h.category == "http"), "{http:?}");
        let one = engine
            .search(&Query { text: "service gateway space", limit: Some(1), ..Query::default() })
            .unwrap();
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn nothing_matches_an_unknown_word() {
        assert_eq!(engine().search(&Query { text: "zzyzx", ..Query::default() }).unwrap(), vec![]);
    }

    #[test]
    fn a_missing_index_is_an_error_not_a_panic() {
        let engine = Engine::new(&Vec::new()).unwrap();
        let error = engine.search(&Query { text: "503", ..Query::default() }).unwrap_err();
        assert!(error.to_string().contains("search/meta.js is not in the index"), "{error}");
    }
}
