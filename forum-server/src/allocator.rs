//! How the server process asks glibc's `malloc` to keep its memory in
//! check: one arena per core.
//!
//! glibc gives threads that allocate at the same time arenas of their own,
//! up to eight per core, and keeps what each arena frees for its next
//! allocations. The server has many threads that allocate in bursts (the
//! blocking pool, the tokio workers, the indexer, the notifier, the pools'
//! workers), so after a load peak it held about 220 MiB at 1,000,000 posts
//! where one arena per core holds about 115 MiB, at the same request rates
//! (`docs/benchmarks.md`, `app_load`).
//!
//! glibc reads the limit from the environment once, before `main`, so the
//! process starts itself again with `MALLOC_ARENA_MAX` set (`exec`: the
//! same process id, arguments, standard streams and signals). An operator
//! who sets `MALLOC_ARENA_MAX` or `GLIBC_TUNABLES` keeps their choice.

use std::ffi::OsString;

const VARIABLE: &str = "MALLOC_ARENA_MAX";

/// The value this process would start itself again with, or `None` when
/// the environment already says what to do (or when it is not Linux).
pub fn wanted(env: impl Fn(&str) -> Option<OsString>, cores: usize) -> Option<String> {
    if !cfg!(target_os = "linux") || env(VARIABLE).is_some() || env("GLIBC_TUNABLES").is_some() {
        return None;
    }
    Some(cores.max(2).to_string())
}

/// Starts this program again with one `malloc` arena per core, unless the
/// environment already sets the limit. Call it first thing, before any
/// thread starts. Returns only if it did not restart the process (the
/// limit was set, or `exec` failed, which is logged and harmless).
pub fn one_arena_per_core() {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let Some(value) = wanted(|name| std::env::var_os(name), cores) else {
        return;
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let mut args = std::env::args_os();
        let arg0 = args.next().unwrap_or_else(|| exe.clone().into_os_string());
        let err = std::process::Command::new(&exe)
            .arg0(arg0)
            .args(args)
            .env(VARIABLE, value)
            .exec();
        eprintln!("could not limit malloc arenas (starting as is): {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_operators_choice_is_kept_and_otherwise_one_arena_per_core() {
        let none = |_: &str| None;
        let expected = cfg!(target_os = "linux");
        assert_eq!(wanted(none, 8).is_some(), expected);
        if expected {
            assert_eq!(wanted(none, 8).as_deref(), Some("8"));
            assert_eq!(wanted(none, 1).as_deref(), Some("2"));
        }
        let set = |name: &str| (name == VARIABLE).then(|| OsString::from("4"));
        assert_eq!(wanted(set, 8), None);
        let tunables = |name: &str| (name == "GLIBC_TUNABLES").then(|| OsString::from("x"));
        assert_eq!(wanted(tunables, 8), None);
    }
}
