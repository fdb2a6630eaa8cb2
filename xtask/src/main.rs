//! Project chores, run as `cargo xtask <task>` (an alias in
//! `.cargo/config.toml`).
//!
//! `cargo xtask test [ARGS…]` makes a fresh machine ready for the suite and
//! then runs `cargo test --workspace [ARGS…]`:
//!
//! - **PostgreSQL**: uses `COMITY_TEST_POSTGRES_URL` (default
//!   `postgres://postgres@127.0.0.1:5432/postgres`); starts the local
//!   cluster with `pg_ctlcluster` when it is installed and down.
//! - **Chromium**: installs Debian's `chromium` and `chromium-driver` with
//!   apt when they are missing and this runs as root.
//! - **Attachments**: Debian's `clamav-daemon` (the tests start their own
//!   clamd with a test signature), `tesseract-ocr` with `-eng`, `-fra`,
//!   `-spa`, `-ara` (OCR), and `poppler-utils` (the OCR test renders a
//!   scanned page with `pdftoppm`), the same way; moto's S3 server
//!   (`pip install 'moto[server]'`) for the S3 file store's tests.
//! - **nginx** (Debian's), the load balancer of the several-processes test,
//!   the same way.
//! - **axe-core** needs nothing: it is vendored in
//!   `forum-server/tests/vendor/axe-core/`.
//!
//! A missing prerequisite ends the task with one line saying what to
//! install, before any test runs.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("test") => match prepare() {
            Ok(env) => run_tests(&env, args.collect()),
            Err(line) => {
                eprintln!("cargo xtask test: {line}");
                ExitCode::FAILURE
            }
        },
        Some("setup") => match prepare() {
            Ok(env) => {
                for (key, value) in env {
                    println!("{key}={value}");
                }
                ExitCode::SUCCESS
            }
            Err(line) => {
                eprintln!("cargo xtask setup: {line}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!(
                "usage: cargo xtask test [ARGS…]   set up PostgreSQL and Chromium, then cargo test --workspace [ARGS…]\n       \
                 cargo xtask setup             only the set-up; prints the environment the tests need"
            );
            ExitCode::from(2)
        }
    }
}

/// Makes every prerequisite ready; returns the environment the tests need,
/// or the one line that tells the reader what is missing.
fn prepare() -> Result<Vec<(&'static str, String)>, String> {
    let postgres = postgres()?;
    println!("xtask: PostgreSQL at {postgres}");
    let (chromium, chromedriver) = chromium()?;
    println!("xtask: Chromium at {chromium}, ChromeDriver at {chromedriver}");
    debian_tools()?;
    println!("xtask: clamd, Tesseract (eng, fra, spa, ara), pdftoppm and nginx present");
    let moto = moto()?;
    println!("xtask: moto's S3 server at {moto}");
    Ok(vec![
        ("COMITY_TEST_POSTGRES_URL", postgres),
        ("CHROMIUM", chromium),
        ("CHROMEDRIVER", chromedriver),
        ("COMITY_TEST_MOTO", moto),
    ])
}

fn run_tests(env: &[(&'static str, String)], extra: Vec<String>) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.args(["test", "--workspace"]).args(extra);
    for (key, value) in env {
        command.env(key, value);
    }
    println!("xtask: cargo test --workspace");
    match command.status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(status) => ExitCode::from(status.code().unwrap_or(1).clamp(1, 255) as u8),
        Err(e) => {
            eprintln!("cargo xtask test: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The PostgreSQL the tests create their databases on, started if it is
/// installed here and down.
fn postgres() -> Result<String, String> {
    let url = std::env::var("COMITY_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_owned());
    let address = host_port(&url).ok_or_else(|| {
        format!("COMITY_TEST_POSTGRES_URL={url} is not a postgres://[user@]host[:port]/db URL")
    })?;
    if reachable(&address) {
        return Ok(url);
    }
    if let Some(version) = local_cluster() {
        println!("xtask: PostgreSQL {version} is down; starting it");
        let started = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect", &version, "main", "start"])
            .status();
        if let Err(e) = started {
            return Err(format!(
                "cannot run pg_ctlcluster to start PostgreSQL {version}: {e}"
            ));
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if reachable(&address) {
                return Ok(url);
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
    Err(format!(
        "PostgreSQL is not reachable at {address}: install Debian's `postgresql` package \
         (apt-get install postgresql) or set COMITY_TEST_POSTGRES_URL to a server where \
         the tests may create databases"
    ))
}

/// `host:port` of a `postgres://user@host:port/db` URL.
fn host_port(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))?;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit('@').next()?;
    if host_port.is_empty() {
        return None;
    }
    Some(if host_port.ends_with(']') || !host_port.contains(':') {
        format!("{host_port}:5432")
    } else {
        host_port.to_owned()
    })
}

fn reachable(address: &str) -> bool {
    address
        .to_socket_addrs()
        .map(|mut addrs| {
            addrs.any(|a| TcpStream::connect_timeout(&a, Duration::from_secs(2)).is_ok())
        })
        .unwrap_or(false)
}

/// The version of the Debian cluster under `/etc/postgresql`, if any.
fn local_cluster() -> Option<String> {
    let mut versions: Vec<String> = std::fs::read_dir("/etc/postgresql")
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    versions.sort();
    versions.pop()
}

/// Chromium and ChromeDriver, installed with apt when missing and allowed.
fn chromium() -> Result<(String, String), String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    let driver =
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned());
    let present = || Path::new(&chromium).is_file() && Path::new(&driver).is_file();
    if present() {
        return Ok((chromium, driver));
    }
    let missing = "Chromium is needed for the browser tests: install Debian's `chromium` and \
                   `chromium-driver` (apt-get install chromium chromium-driver), or set \
                   CHROMIUM and CHROMEDRIVER to their paths";
    if !is_root() || !Path::new("/usr/bin/apt-get").is_file() {
        return Err(missing.to_owned());
    }
    println!("xtask: installing chromium and chromium-driver with apt-get");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    if !apt(&["update", "-q"]) || !apt(&["install", "-y", "-q", "chromium", "chromium-driver"]) {
        return Err(format!("apt-get could not install them. {missing}"));
    }
    if present() {
        Ok((chromium, driver))
    } else {
        Err(missing.to_owned())
    }
}

/// The programs the attachment tests and the several-processes test run,
/// each as the file that shows its package is installed.
const TOOLS: &[(&str, &str)] = &[
    ("/usr/sbin/clamd", "clamav-daemon"),
    ("/usr/bin/tesseract", "tesseract-ocr"),
    (
        "/usr/share/tesseract-ocr/5/tessdata/eng.traineddata",
        "tesseract-ocr-eng",
    ),
    (
        "/usr/share/tesseract-ocr/5/tessdata/fra.traineddata",
        "tesseract-ocr-fra",
    ),
    (
        "/usr/share/tesseract-ocr/5/tessdata/spa.traineddata",
        "tesseract-ocr-spa",
    ),
    (
        "/usr/share/tesseract-ocr/5/tessdata/ara.traineddata",
        "tesseract-ocr-ara",
    ),
    ("/usr/bin/pdftoppm", "poppler-utils"),
    // The several-processes test puts nginx in front of three servers.
    ("/usr/sbin/nginx", "nginx"),
];

/// Installs the packages of [`TOOLS`] that are missing, with apt.
fn debian_tools() -> Result<(), String> {
    let missing: Vec<&str> = TOOLS
        .iter()
        .filter(|(path, _)| !tessdata_or_path_present(path))
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let hint = format!(
        "the tests need Debian's {}: apt-get install {}",
        missing.join(", "),
        missing.join(" ")
    );
    if !is_root() || !Path::new("/usr/bin/apt-get").is_file() {
        return Err(hint);
    }
    println!("xtask: installing {} with apt-get", missing.join(" "));
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(&missing);
    if !apt(&["update", "-q"]) || !apt(&install) {
        return Err(format!("apt-get could not install them; {hint}"));
    }
    Ok(())
}

/// moto's S3 server program, installed with pip when missing.
fn moto() -> Result<String, String> {
    let find = || {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("moto_server"))
                .find(|p| p.is_file())
                .map(|p| p.display().to_string())
        })
    };
    if let Some(found) = find() {
        return Ok(found);
    }
    println!("xtask: installing moto[server] with pip");
    let installed = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "moto[server]==5.2.1",
        ])
        .status()
        .is_ok_and(|s| s.success());
    let hint = "the S3 store tests need moto's S3 server: python3 -m pip install 'moto[server]'";
    if !installed {
        return Err(format!("pip could not install moto; {hint}"));
    }
    find().ok_or_else(|| hint.to_owned())
}

/// Whether `path` exists; a Tesseract model counts under the version-4
/// directory too (Debian 12 ships Tesseract 5 with models in `4.00`).
fn tessdata_or_path_present(path: &str) -> bool {
    Path::new(path).exists()
        || path
            .strip_prefix("/usr/share/tesseract-ocr/5/tessdata/")
            .is_some_and(|model| {
                Path::new(&format!("/usr/share/tesseract-ocr/4.00/tessdata/{model}")).exists()
            })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn host_and_port_of_postgres_urls() {
        assert_eq!(
            host_port("postgres://postgres@127.0.0.1:5432/postgres").as_deref(),
            Some("127.0.0.1:5432")
        );
        assert_eq!(
            host_port("postgres://db.example/x").as_deref(),
            Some("db.example:5432")
        );
        assert_eq!(
            host_port("postgresql://u:p@[::1]:6543/x?sslmode=disable").as_deref(),
            Some("[::1]:6543")
        );
        assert_eq!(
            host_port("postgres://[::1]/x").as_deref(),
            Some("[::1]:5432")
        );
        assert_eq!(host_port("mysql://x"), None);
        assert_eq!(host_port("postgres:///x"), None);
    }
}
