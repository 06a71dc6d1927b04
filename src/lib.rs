//! errorbook: a static site generator for error knowledge bases.
//!
//! A build runs in stages, each in its own module, and data flows one way:
//! [`content`] (walk, front matter, the entry model) → [`markdown`] (HTML and highlighting) →
//! [`templates`] → [`site`] (render and write); [`snippets`] checks the code blocks of entries. [`diagnostics`] carries content problems
//! between them; [`cmd`] holds one module per subcommand.

pub mod cmd;
pub mod content;
pub mod diagnostics;
pub mod digest;
pub mod fence;
pub mod fs;
#[cfg(test)]
mod layering;
pub mod layout;
pub mod markdown;
pub mod mcp;
pub mod pack;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod snippets;
pub mod templates;
pub mod terminal;
pub mod url_policy;
pub mod yaml;
