//! Search: the index the build writes, and the OpenSearch description.
//!
//! The build turns every entry into a [`SearchDoc`] and [`build_index`] turns those into the
//! files under `search/` in the output. The browser engine (`static/assets/search/engine.js`,
//! shipped with its UI as `assets/search.js`) loads them as scripts (so search works from
//! `file://` too) and answers queries; it ships nothing else and asks no server.
//! `docs/search.md` describes the ranking and the file format.
//!
//! Dependencies run one way: `stem` <- `text` (analysis) <- `index` (encoding) <- `live` (the
//! preview's index in place); `fx` holds the one hasher of their maps; `triage` (a whole log against the
//! entries) reads lines with `text` too, and `near` is the rule of the nearest codes, which
//! `explain` shares. `search/meta.js` carries
//! the tables of `text` and `stem` to the engine, which holds no copy of them.
//!
//! Architecture invariant: this module knows nothing of templates or the file system. It takes
//! plain values and returns bytes; the site stage writes them.

pub mod engine;
mod fx;
mod index;
mod live;
pub mod lookup;
pub mod near;
mod stem;
mod text;
pub mod triage;

pub use index::{
    build_index, build_index_with_texts, is_index_file, AnalysisCache, IndexFile, IndexFiles, TextOf,
};
pub use live::LiveIndex;

/// One entry as search sees it; built by the site stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// `http/503/`, relative to the site root, already with `index_suffix`.
    pub href: String,
    pub code: String,
    pub title: String,
    pub summary: String,
    /// The category id.
    pub category: String,
    pub category_name: String,
    pub severity: String,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    /// 0 for a current entry, 1 deprecated, 2 retired: the engine ranks such entries below
    /// current ones that match as well.
    pub demotion: u8,
    /// The products of `applies_to`, a search filter.
    pub products: Vec<String>,
    /// Plain text of the causes, steps, body and FAQ.
    pub text: String,
}

/// The OpenSearch description that lets a browser add the site as a search engine. `base_url`
/// is the site's absolute URL; a missing trailing slash is added.
pub fn opensearch_xml(site_title: &str, base_url: &str) -> String {
    let base = if base_url.ends_with('/') { base_url.to_owned() } else { format!("{base_url}/") };
    // ShortName is limited to 16 characters.
    let short: String = site_title.chars().take(16).collect();
    let short = short.trim_end();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/" xmlns:moz="http://www.mozilla.org/2006/browser/search/">
  <ShortName>{short}</ShortName>
  <Description>Search {title}</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Url type="text/html" method="get" template="{base}search/?q={{searchTerms}}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="{base}opensearch.xml"/>
  <moz:SearchForm>{base}search/</moz:SearchForm>
</OpenSearchDescription>
"#,
        short = xml_escape(short),
        title = xml_escape(site_title),
        base = xml_escape(&base),
    )
}

/// XML and HTML share the escapes that matter here.
fn xml_escape(s: &str) -> String {
    crate::markdown::escape(s)
}

#[cfg(test)]
mod tests;
