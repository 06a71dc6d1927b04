//! Hooks that make publishing fail, or stop dead, at a named step, so tests can show that the
//! output is the old site or the new one whatever step goes wrong.
//!
//! Compiled only into unit tests and into builds with the `failpoints` feature; otherwise
//! [`hit`] is an empty function. A binary built with the feature reads
//! `ERRORBOOK_FAILPOINT=STEP[@N][=ACTION][,...]`: at the Nth time (default the first) the
//! build reaches STEP, ACTION happens: `error` (the step fails with an I/O-like error, the
//! default) or `abort` (the process ends at once, as a SIGKILL or a power cut would end it:
//! no clean-up runs). The point `no-exchange` makes publishing take the fallback of two
//! renames, as on a system without an atomic exchange. Unit tests register points for one output folder with [`set`], so tests
//! running side by side do not trip each other's points.

/// Passes, or fails or aborts when a test set a point for `step` in the folder `scope` (the
/// folder that holds the output).
#[cfg(not(any(test, feature = "failpoints")))]
#[inline(always)]
pub fn hit(_step: &str, _scope: &std::path::Path) -> anyhow::Result<()> {
    Ok(())
}

/// Whether a test switched on the point `step` for `scope` (for points that choose a way
/// rather than fail, such as pretending the system has no atomic exchange).
#[cfg(not(any(test, feature = "failpoints")))]
#[inline(always)]
pub fn is_set(_step: &str, _scope: &std::path::Path) -> bool {
    false
}

#[cfg(any(test, feature = "failpoints"))]
pub use armed::{hit, is_set};
#[cfg(test)]
pub use armed::{set, Action};

#[cfg(any(test, feature = "failpoints"))]
mod armed {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Mutex, OnceLock, PoisonError};

    use anyhow::{bail, Result};

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Action {
        Error,
        Abort,
    }

    struct Point {
        /// `None` for the point of the environment, which holds for every folder.
        scope: Option<PathBuf>,
        step: String,
        nth: usize,
        action: Action,
        hits: AtomicUsize,
    }

    fn points() -> &'static Mutex<Vec<Point>> {
        static POINTS: OnceLock<Mutex<Vec<Point>>> = OnceLock::new();
        POINTS.get_or_init(|| {
            let spec = std::env::var("ERRORBOOK_FAILPOINT").unwrap_or_default();
            Mutex::new(spec.split(',').filter(|s| !s.is_empty()).map(parse).collect())
        })
    }

    fn parse(spec: &str) -> Point {
        let (point, action) = match spec.split_once('=') {
            Some((point, "abort")) => (point, Action::Abort),
            Some((point, _)) => (point, Action::Error),
            None => (spec, Action::Error),
        };
        let (step, nth) = match point.split_once('@') {
            Some((step, nth)) => (step, nth.parse().unwrap_or(1)),
            None => (point, 1),
        };
        Point { scope: None, step: step.to_owned(), nth, action, hits: AtomicUsize::new(0) }
    }

    /// Arms `step` in `scope`: its `nth` hit (from 1) takes `action`.
    #[cfg(test)]
    pub fn set(scope: &Path, step: &str, nth: usize, action: Action) {
        let mut points = points().lock().unwrap_or_else(PoisonError::into_inner);
        let point = Point {
            scope: Some(scope.to_path_buf()),
            step: step.to_owned(),
            nth,
            action,
            hits: AtomicUsize::new(0),
        };
        points.push(point);
    }

    fn matches(point: &Point, step: &str, scope: &Path) -> bool {
        point.step == step && point.scope.as_deref().is_none_or(|s| s == scope)
    }

    pub fn hit(step: &str, scope: &Path) -> Result<()> {
        let points = points().lock().unwrap_or_else(PoisonError::into_inner);
        for point in points.iter().filter(|p| matches(p, step, scope)) {
            if point.hits.fetch_add(1, Ordering::SeqCst) + 1 == point.nth {
                match point.action {
                    Action::Abort => std::process::abort(),
                    Action::Error => bail!("failpoint `{step}`: simulated failure"),
                }
            }
        }
        Ok(())
    }

    pub fn is_set(step: &str, scope: &Path) -> bool {
        let points = points().lock().unwrap_or_else(PoisonError::into_inner);
        points.iter().any(|p| matches(p, step, scope))
    }
}
