//! Progress of the operator's long commands (`reindex`, `backup`,
//! `restore`, `seed --demo`, `migrate`): a bar (`indicatif`) when standard
//! error is a terminal, else a plain line every few seconds and one at the
//! end, so a log file or a CI job shows where a long run is without
//! control characters.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often a plain line is written when there is no terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// One step of a long command, with a known number of items.
pub struct Progress {
    label: String,
    unit: &'static str,
    total: u64,
    shown: Shown,
}

enum Shown {
    Bar(ProgressBar),
    Lines(Mutex<Lines>),
    Quiet,
}

struct Lines {
    done: u64,
    last: Instant,
}

impl Progress {
    /// A step named `label` over `total` `unit`s, drawn on standard error.
    pub fn new(label: &str, total: u64, unit: &'static str) -> Progress {
        let shown = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix:>10} [{bar:32}] {pos}/{len} {msg} ({elapsed}, {eta} left)",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar.set_prefix(label.to_owned());
            bar.set_message(unit);
            Shown::Bar(bar)
        } else {
            eprintln!("{label}: 0/{total} {unit}");
            Shown::Lines(Mutex::new(Lines {
                done: 0,
                last: Instant::now(),
            }))
        };
        Progress {
            label: label.to_owned(),
            unit,
            total,
            shown,
        }
    }

    /// A step that shows nothing (the server's own rebuilds log instead).
    pub fn quiet() -> Progress {
        Progress {
            label: String::new(),
            unit: "",
            total: 0,
            shown: Shown::Quiet,
        }
    }

    /// `n` more items done.
    pub fn inc(&self, n: u64) {
        match &self.shown {
            Shown::Bar(bar) => bar.inc(n),
            Shown::Lines(lines) => {
                let mut lines = lines.lock().unwrap_or_else(|e| e.into_inner());
                lines.done += n;
                if lines.last.elapsed() >= LINE_EVERY {
                    lines.last = Instant::now();
                    eprintln!("{}", self.line(lines.done));
                }
            }
            Shown::Quiet => {}
        }
    }

    /// The step is over.
    pub fn finish(self) {
        match self.shown {
            Shown::Bar(bar) => bar.finish(),
            Shown::Lines(ref lines) => {
                let done = lines.lock().unwrap_or_else(|e| e.into_inner()).done;
                eprintln!("{} done", self.line(done));
            }
            Shown::Quiet => {}
        }
    }

    fn line(&self, done: u64) -> String {
        let percent = (done * 100).checked_div(self.total).unwrap_or(100).min(100);
        format!(
            "{}: {done}/{} {} ({percent}%)",
            self.label, self.total, self.unit
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_line_names_the_step_and_the_share_done() {
        let p = Progress {
            label: "reindex".into(),
            unit: "posts",
            total: 200,
            shown: Shown::Quiet,
        };
        assert_eq!(p.line(50), "reindex: 50/200 posts (25%)");
        assert_eq!(p.line(200), "reindex: 200/200 posts (100%)");
        let empty = Progress { total: 0, ..p };
        assert_eq!(empty.line(0), "reindex: 0/0 posts (100%)");
    }
}
