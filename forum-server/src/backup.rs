//! `forum-server backup --to FILE` and `forum-server restore FILE`.
//!
//! A backup is one zip: `manifest.json` (what was copied, the audit chain's
//! head, counts), the database (`database.sqlite`, a `VACUUM INTO` copy
//! taken while the forum serves; or `database.pgdump`, `pg_dump`'s custom
//! format), the data directory's secrets (token signing, export signing)
//! and every attachment blob under `files/<sha256>`. It is written beside
//! the target and renamed into place when complete; the audit head is also
//! written to `FILE.audit-head`, to keep apart from the backup.
//!
//! A restore refuses while a server serves the data directory (the
//! directory's lock) or the PostgreSQL database (the server advisory lock),
//! and refuses a target that already holds a forum unless forced. It then
//! puts back the database, the secrets and the blobs (each checked against
//! its SHA-256), migrates a backup from an older build, verifies the audit
//! chain up to the recorded head and rebuilds the search index.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail, ensure};
use forum_core::store::backup::{self as core_backup, AuditHead, BackupFacts};
use forum_core::{Backend, Db};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Settings;
use crate::files::store::is_sha256;
use crate::progress::Progress;

/// `manifest.json`'s `format`.
pub const FORMAT: &str = "comity-backup";
/// The layout this build writes and reads.
pub const VERSION: u32 = 1;
/// The data directory's secrets a forum cannot be restored without.
const SECRETS: [&str; 2] = ["jwt-secret", crate::export::KEY_FILE];
/// The file a serving process keeps locked in its data directory.
pub const LOCK_FILE: &str = "server.lock";

/// What a backup holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// The build that wrote it.
    pub comity_version: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// `sqlite` or `postgresql`.
    pub backend: String,
    /// The database's entry in the zip.
    pub database: String,
    /// The secrets' names, each under `secrets/`.
    pub secrets: Vec<String>,
    /// Attachment blobs, each under `files/`.
    pub files: u64,
    /// Counts and the audit head, read just before the copy: the copy holds
    /// at least these.
    pub facts: BackupFacts,
}

/// A finished backup.
#[derive(Debug)]
pub struct Written {
    pub manifest: Manifest,
    pub bytes: u64,
}

/// A finished restore.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    pub audit_entries: i64,
    pub files: u64,
    pub indexed_posts: u64,
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgresql",
    }
}

/// Held while a server serves a data directory (and while a restore
/// writes into one): an exclusive lock on `server.lock` there, released by
/// the operating system when the process ends, however it ends.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Takes the lock, or says who holds it.
    pub fn acquire(data_dir: &Path, purpose: &str) -> anyhow::Result<DataDirLock> {
        fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
        let path = data_dir.join(LOCK_FILE);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = File::open(&path).and_then(|mut f| f.read_to_string(&mut holder));
                bail!(
                    "cannot {purpose}: another forum-server process uses {} ({})",
                    data_dir.display(),
                    holder.trim()
                );
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        let mut file = file;
        file.set_len(0)?;
        writeln!(file, "pid {} ({purpose})", std::process::id())?;
        Ok(DataDirLock { _file: file })
    }
}

/// Copies the forum the settings name into `to` while it may be serving.
pub fn backup(settings: &Settings, to: &Path) -> anyhow::Result<Written> {
    let url = settings.database_url();
    let backend = Backend::of_url(&url);
    ensure!(
        core_backup::holds_forum(&url)?,
        "there is no forum to back up at {}",
        describe(&url)
    );
    ensure!(
        !to.exists(),
        "{} exists; a backup never overwrites a file",
        to.display()
    );
    let parent = match to.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let work = tempfile::Builder::new()
        .prefix(".comity-backup-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;

    let db = Db::open_as_is(&url, 2)?;
    let facts = db.backup_facts()?;
    let store = crate::files::open_store(settings)?;
    let blobs: Vec<String> = store
        .list()?
        .into_iter()
        .map(|(sha, _)| sha)
        .filter(|sha| is_sha256(sha))
        .collect();
    let progress = Progress::new("backup", blobs.len() as u64 + 1, "items");

    let (database_entry, database_copy) = match backend {
        Backend::Sqlite => {
            let copy = work.path().join("database.sqlite");
            db.snapshot_sqlite(&copy)?;
            ("database.sqlite", copy)
        }
        Backend::Postgres => {
            let copy = work.path().join("database.pgdump");
            run(Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
                .arg(&copy)
                .arg(format!("--dbname={url}")))
            .context("pg_dump (from PostgreSQL's client programs) must be on PATH")?;
            ("database.pgdump", copy)
        }
    };
    drop(db);
    progress.inc(1);

    let secrets: Vec<String> = SECRETS
        .iter()
        .filter(|name| settings.data_dir.join(name).is_file())
        .map(|name| name.to_string())
        .collect();
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        version: VERSION,
        comity_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at: chrono::Utc::now(),
        backend: backend_name(backend).to_owned(),
        database: database_entry.to_owned(),
        secrets: secrets.clone(),
        files: blobs.len() as u64,
        facts,
    };

    let partial = work.path().join("backup.zip");
    let mut zip = zip::ZipWriter::new(File::create(&partial)?);
    let packed = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true)
        .unix_permissions(0o600);
    // Attachments are mostly compressed already (PDF, pictures).
    let stored = packed.compression_method(zip::CompressionMethod::Stored);
    zip.start_file("manifest.json", packed)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
    zip.start_file(database_entry, packed)?;
    io::copy(&mut File::open(&database_copy)?, &mut zip)?;
    for name in &secrets {
        zip.start_file(format!("secrets/{name}"), packed)?;
        io::copy(&mut File::open(settings.data_dir.join(name))?, &mut zip)?;
    }
    for sha in &blobs {
        let path = store
            .path(sha)
            .with_context(|| format!("cannot read attachment blob {sha}"))?;
        zip.start_file(format!("files/{sha}"), stored)?;
        io::copy(&mut File::open(&path)?, &mut zip)?;
        progress.inc(1);
    }
    let file = zip.finish()?;
    file.sync_all()?;
    let bytes = file.metadata()?.len();
    drop(file);
    fs::rename(&partial, to)
        .with_context(|| format!("cannot move the backup to {}", to.display()))?;
    sync_dir(&parent);
    if let Some(head) = &manifest.facts.audit_head {
        let mut beside = to.as_os_str().to_owned();
        beside.push(".audit-head");
        fs::write(
            &beside,
            format!("audit chain head: entry {} {}\n", head.entry_id, head.hash),
        )?;
    }
    progress.finish();
    Ok(Written { manifest, bytes })
}

/// Reads a backup's manifest, checking it is one this build restores.
pub fn read_manifest(file: &Path) -> anyhow::Result<Manifest> {
    let mut zip = open_zip(file)?;
    manifest_of(&mut zip)
}

fn open_zip(file: &Path) -> anyhow::Result<zip::ZipArchive<File>> {
    let f = File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    zip::ZipArchive::new(f).with_context(|| format!("{} is not a Comity backup", file.display()))
}

fn manifest_of(zip: &mut zip::ZipArchive<File>) -> anyhow::Result<Manifest> {
    let mut text = String::new();
    zip.by_name("manifest.json")
        .context("not a Comity backup: no manifest.json")?
        .read_to_string(&mut text)?;
    let manifest: Manifest =
        serde_json::from_str(&text).context("not a Comity backup: unreadable manifest.json")?;
    ensure!(
        manifest.format == FORMAT,
        "not a Comity backup (format {:?})",
        manifest.format
    );
    ensure!(
        manifest.version == VERSION,
        "backup layout {} is not one this build reads ({VERSION})",
        manifest.version
    );
    Ok(manifest)
}

/// Puts the backup `file` back into the forum the settings name.
pub fn restore(settings: &Settings, file: &Path, force: bool) -> anyhow::Result<Restored> {
    let mut zip = open_zip(file)?;
    let manifest = manifest_of(&mut zip)?;
    let url = settings.database_url();
    let backend = Backend::of_url(&url);
    ensure!(
        manifest.backend == backend_name(backend),
        "this backup holds a {} database and the target is {}: restore it into the same kind",
        manifest.backend,
        backend_name(backend)
    );
    // No server may serve the target while it is replaced, nor start
    // during the restore.
    let _lock = DataDirLock::acquire(&settings.data_dir, "restore")?;
    if backend == Backend::Postgres && core_backup::server_running(&url)? {
        bail!(
            "cannot restore: a forum-server serves this PostgreSQL database; stop every process first"
        );
    }
    if !force && core_backup::holds_forum(&url)? {
        bail!(
            "{} already holds a forum; restore into an empty database, or pass --force to replace it",
            describe(&url)
        );
    }
    let entries = zip.len() as u64;
    let progress = Progress::new("restore", entries, "entries");
    let work = tempfile::Builder::new()
        .prefix(".comity-restore-")
        .tempdir_in(&settings.data_dir)?;

    // The database.
    let copy = work.path().join(&manifest.database);
    io::copy(
        &mut zip
            .by_name(&manifest.database)
            .context("the backup lacks its database")?,
        &mut File::create(&copy)?,
    )?;
    match backend {
        Backend::Sqlite => {
            let target = PathBuf::from(forum_core::store::db::sqlite_path(&url));
            for suffix in ["", "-wal", "-shm"] {
                let mut p = target.as_os_str().to_owned();
                p.push(suffix);
                match fs::remove_file(PathBuf::from(p)) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir)?;
            }
            File::open(&copy)?.sync_all()?;
            fs::rename(&copy, &target).or_else(|_| fs::copy(&copy, &target).map(|_| ()))?;
            if let Some(dir) = target.parent() {
                sync_dir(dir);
            }
        }
        Backend::Postgres => {
            let mut command = Command::new("pg_restore");
            // Nothing of a forum is there (or --force said to replace it):
            // what an earlier start migrated is dropped and recreated.
            command.args([
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--clean",
                "--if-exists",
            ]);
            run(command.arg(format!("--dbname={url}")).arg(&copy))
                .context("pg_restore (from PostgreSQL's client programs) must be on PATH")?;
        }
    }
    fs::remove_file(&copy).ok();
    progress.inc(1);

    // The secrets, then the blobs, each checked against its name.
    let store = crate::files::open_store(settings)?;
    let mut files = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let name = entry.name().to_owned();
        if let Some(secret) = name.strip_prefix("secrets/") {
            ensure!(
                SECRETS.contains(&secret),
                "the backup holds an unknown secret {secret:?}"
            );
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            write_private(&settings.data_dir.join(secret), &bytes)?;
        } else if let Some(sha) = name.strip_prefix("files/") {
            ensure!(is_sha256(sha), "the backup holds a stray file {name:?}");
            let staged = store.staging_dir().join(format!("{sha}.restoring"));
            let mut hasher = Sha256::new();
            {
                let mut out = File::create(&staged)?;
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let n = entry.read(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buf[..n]);
                    out.write_all(&buf[..n])?;
                }
                out.sync_all()?;
            }
            if hex::encode(hasher.finalize()) != sha {
                fs::remove_file(&staged).ok();
                bail!(
                    "attachment blob {sha} in the backup does not match its SHA-256: the backup is damaged"
                );
            }
            store.put(sha, &staged)?;
            files += 1;
        } else if name != "manifest.json" && name != manifest.database {
            bail!("the backup holds an unexpected entry {name:?}");
        }
        if name != manifest.database {
            progress.inc(1);
        }
    }
    progress.finish();
    ensure!(
        files == manifest.files,
        "the backup holds {files} attachment blobs and its manifest says {}",
        manifest.files
    );

    // A backup from an older build is migrated; the chain must hold up to
    // the head it recorded.
    let db = Db::open(&url, 2)?;
    let check = db.verify_audit()?;
    if let Some(id) = check.first_broken {
        bail!("the restored audit log is broken at entry {id}");
    }
    if let Some(AuditHead { entry_id, hash }) = &manifest.facts.audit_head {
        let found = db.audit_entry_hash(*entry_id)?;
        ensure!(
            found.as_deref() == Some(hash.as_str()),
            "the restored audit log lacks the head the backup recorded (entry {entry_id})"
        );
    }
    let search = settings.search_dir();
    if search.exists() {
        fs::remove_dir_all(&search)
            .with_context(|| format!("cannot remove the old index {}", search.display()))?;
    }
    let rebuilt = crate::workers::indexer::reindex_with_progress(&db, &search)?;
    Ok(Restored {
        manifest,
        audit_entries: check.entries,
        files,
        indexed_posts: rebuilt.posts,
    })
}

/// The database for messages, without a password.
fn describe(url: &str) -> String {
    match Backend::of_url(url) {
        Backend::Sqlite => format!("the SQLite database {url}"),
        Backend::Postgres => match url::Url::parse(url) {
            Ok(u) => format!(
                "the PostgreSQL database {}{}",
                u.host_str().unwrap_or(""),
                u.path()
            ),
            Err(_) => "the PostgreSQL database".to_owned(),
        },
    }
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    let program = command.get_program().to_string_lossy().into_owned();
    let out = command
        .output()
        .with_context(|| format!("cannot run {program}"))?;
    ensure!(
        out.status.success(),
        "{program} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(())
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
