//! The file store: blobs named by the SHA-256 of their content, behind one
//! trait. The default keeps them in the data dir (`files/ab/cd/<sha256>`),
//! each written to a temporary file, fsynced, renamed into place and its
//! directory fsynced, so a blob the database names is on disk. A blob no
//! row names (an upload refused after it was stored, a crash between the
//! two) is garbage: [`collect_garbage`] removes it once it is old.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Where attachments' bytes live.
pub trait FileStore: Send + Sync + 'static {
    /// Moves the finished upload at `staged` into the store as `sha256`;
    /// returns once it is durable. Storing a blob already there is a no-op.
    fn put(&self, sha256: &str, staged: &Path) -> io::Result<()>;
    /// A local file holding the blob, for serving and reading its text.
    fn path(&self, sha256: &str) -> io::Result<PathBuf>;
    /// Removes the blob.
    fn delete(&self, sha256: &str) -> io::Result<()>;
    /// Every blob with the time it was stored.
    fn list(&self) -> io::Result<Vec<(String, SystemTime)>>;
    /// A directory on the same file system as the store for uploads in
    /// progress.
    fn staging_dir(&self) -> &Path;
}

/// Blobs in a directory.
#[derive(Debug, Clone)]
pub struct DirStore {
    root: PathBuf,
    staging: PathBuf,
}

/// Whether `name` is a SHA-256 in lowercase hex (nothing else may become a
/// path).
pub fn is_sha256(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl DirStore {
    /// The store under `root` (created when missing).
    pub fn open(root: &Path) -> io::Result<DirStore> {
        let staging = root.join("tmp");
        fs::create_dir_all(&staging)?;
        Ok(DirStore {
            root: root.to_owned(),
            staging,
        })
    }

    fn blob_path(&self, sha256: &str) -> io::Result<PathBuf> {
        if !is_sha256(sha256) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a sha256"));
        }
        Ok(self
            .root
            .join(&sha256[0..2])
            .join(&sha256[2..4])
            .join(sha256))
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

impl FileStore for DirStore {
    fn put(&self, sha256: &str, staged: &Path) -> io::Result<()> {
        let target = self.blob_path(sha256)?;
        let dir = target.parent().expect("blob paths have a parent");
        if target.exists() {
            fs::remove_file(staged)?;
            return Ok(());
        }
        fs::create_dir_all(dir)?;
        File::open(staged)?.sync_all()?;
        fs::rename(staged, &target)?;
        sync_dir(dir)?;
        sync_dir(dir.parent().expect("two levels"))?;
        Ok(())
    }

    fn path(&self, sha256: &str) -> io::Result<PathBuf> {
        let path = self.blob_path(sha256)?;
        if path.is_file() {
            Ok(path)
        } else {
            Err(io::Error::new(io::ErrorKind::NotFound, "no such blob"))
        }
    }

    fn delete(&self, sha256: &str) -> io::Result<()> {
        fs::remove_file(self.blob_path(sha256)?)
    }

    fn list(&self) -> io::Result<Vec<(String, SystemTime)>> {
        let mut out = Vec::new();
        for first in fs::read_dir(&self.root)? {
            let first = first?;
            if first.file_name() == "tmp" || !first.file_type()?.is_dir() {
                continue;
            }
            for second in fs::read_dir(first.path())? {
                let second = second?;
                if !second.file_type()?.is_dir() {
                    continue;
                }
                for blob in fs::read_dir(second.path())? {
                    let blob = blob?;
                    let name = blob.file_name().to_string_lossy().into_owned();
                    if is_sha256(&name) {
                        out.push((name, blob.metadata()?.modified()?));
                    }
                }
            }
        }
        Ok(out)
    }

    fn staging_dir(&self) -> &Path {
        &self.staging
    }
}

/// Removes blobs older than `grace` that no attachment row names, and
/// staged uploads older than `grace`; returns how many blobs went.
pub fn collect_garbage(
    store: &dyn FileStore,
    in_use: impl Fn(&str) -> anyhow::Result<bool>,
    grace: Duration,
) -> anyhow::Result<usize> {
    let now = SystemTime::now();
    let old = |at: SystemTime| now.duration_since(at).unwrap_or_default() >= grace;
    let mut removed = 0;
    for (sha256, at) in store.list()? {
        if old(at) && !in_use(&sha256)? {
            store.delete(&sha256)?;
            removed += 1;
        }
    }
    for entry in fs::read_dir(store.staging_dir())? {
        let entry = entry?;
        if old(entry.metadata()?.modified()?) {
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn blobs_are_stored_by_content_and_collected_when_unnamed() {
        let dir = tempfile::tempdir().unwrap();
        let store = DirStore::open(dir.path()).unwrap();
        let sha = "ab".repeat(32);
        let staged = store.staging_dir().join("upload");
        File::create(&staged).unwrap().write_all(b"hello").unwrap();
        store.put(&sha, &staged).unwrap();
        assert!(!staged.exists(), "the staged file was moved");
        let path = store.path(&sha).unwrap();
        assert!(path.ends_with(format!("ab/ab/{sha}")));
        assert_eq!(fs::read(&path).unwrap(), b"hello");
        assert_eq!(store.list().unwrap().len(), 1);
        assert!(store.path("../../etc/passwd").is_err());
        // Named: kept. Unnamed but young: kept. Unnamed and old: gone.
        assert_eq!(
            collect_garbage(&store, |_| Ok(true), Duration::ZERO).unwrap(),
            0
        );
        assert_eq!(
            collect_garbage(&store, |_| Ok(false), Duration::from_secs(3600)).unwrap(),
            0
        );
        assert_eq!(
            collect_garbage(&store, |_| Ok(false), Duration::ZERO).unwrap(),
            1
        );
        assert!(store.path(&sha).is_err());
    }
}
