//! What a fenced code block says, read the same way by `markdown` (marking and rendering a block)
//! and `snippets` (checking it): the info string (`info`), the lines of a console session
//! (`console`), and the reading of shell text both need (`shell`).
//!
//! Invariant: depends on no other module of the crate; both its users stand on it.

pub mod console;
pub mod info;
pub mod shell;

pub use info::{Info, ReasonProblem};
