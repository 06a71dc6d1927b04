//! A progress bar for long builds on a terminal (indicatif lives here and nowhere else).
//!
//! It appears only when stderr is a terminal, `CI` is not set, and the build has run for a
//! second: short builds and logs stay free of animation.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::site::Progress;

const SHOW_AFTER: Duration = Duration::from_secs(1);

pub struct BuildProgress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl BuildProgress {
    pub fn new() -> BuildProgress {
        let wanted = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none_or(|v| v.is_empty());
        let bar = wanted.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            let style =
                ProgressStyle::with_template("{spinner} rendering [{bar:30}] {pos}/{len} ({eta} left)")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
            bar.set_style(style);
            bar
        });
        BuildProgress { bar, started: Instant::now(), shown: AtomicBool::new(false) }
    }

    /// Removes the bar before the summary line is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for BuildProgress {
    fn start(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        }
    }

    fn advance(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if self.started.elapsed() >= SHOW_AFTER && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(100));
        }
    }
}
