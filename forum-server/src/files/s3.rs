//! The S3-compatible file store (`[attachments.s3]`), through the
//! `object_store` crate, for several server processes sharing one set of
//! blobs. Keys are `files/ab/cd/<sha256>`; a `PUT` answered 200 is
//! durable. Serving and text extraction read a local copy, fetched once
//! into `<data_dir>/files-cache/`.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use futures_util::TryStreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as Key;
use object_store::{ObjectStore, PutPayload};
use serde::Deserialize;

use super::store::{FileStore, is_sha256};

/// Where the bucket is (`[attachments.s3]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Settings {
    pub bucket: String,
    /// An S3-compatible endpoint (`http://127.0.0.1:9000`); AWS when unset.
    pub endpoint: Option<String>,
    #[serde(default = "default_region")]
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Plain HTTP to the endpoint (a store on the same host or network).
    #[serde(default)]
    pub allow_http: bool,
}

fn default_region() -> String {
    "us-east-1".to_owned()
}

/// Blobs in a bucket.
pub struct S3Store {
    store: Arc<dyn ObjectStore>,
    runtime: tokio::runtime::Runtime,
    cache: PathBuf,
    staging: PathBuf,
}

fn key(sha256: &str) -> io::Result<Key> {
    if !is_sha256(sha256) {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a sha256"));
    }
    Ok(Key::from(format!(
        "files/{}/{}/{sha256}",
        &sha256[0..2],
        &sha256[2..4]
    )))
}

fn other(e: impl std::fmt::Display) -> io::Error {
    io::Error::other(e.to_string())
}

impl S3Store {
    /// The store for `settings`, caching and staging under `local`.
    pub fn open(settings: &S3Settings, local: &Path) -> anyhow::Result<S3Store> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            .with_allow_http(settings.allow_http);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_virtual_hosted_style_request(false);
        }
        let cache = local.join("files-cache");
        let staging = local.join("files-staging");
        std::fs::create_dir_all(&cache)?;
        std::fs::create_dir_all(&staging)?;
        Ok(S3Store {
            store: Arc::new(builder.build()?),
            runtime: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("comity-s3")
                .enable_all()
                .build()?,
            cache,
            staging,
        })
    }

    /// Runs `future` on the store's own runtime, from a blocking thread
    /// (on a thread of its own, so a caller inside another runtime's
    /// context may call it); a panic there is an error here.
    fn block<T, E>(
        &self,
        future: impl std::future::Future<Output = Result<T, E>> + Send + 'static,
    ) -> io::Result<T>
    where
        T: Send + 'static,
        E: std::fmt::Display + Send + 'static,
    {
        let handle = self.runtime.handle().clone();
        std::thread::scope(|scope| {
            scope
                .spawn(move || handle.block_on(future))
                .join()
                .map_err(|_| io::Error::other("the S3 call panicked"))?
                .map_err(other)
        })
    }
}

impl FileStore for S3Store {
    fn put(&self, sha256: &str, staged: &Path) -> io::Result<()> {
        let key = key(sha256)?;
        let bytes = std::fs::read(staged)?;
        let store = self.store.clone();
        self.block(async move { store.put(&key, PutPayload::from(bytes)).await })?;
        std::fs::remove_file(staged)?;
        Ok(())
    }

    fn path(&self, sha256: &str) -> io::Result<PathBuf> {
        let key = key(sha256)?;
        let local = self.cache.join(sha256);
        if local.is_file() {
            return Ok(local);
        }
        let store = self.store.clone();
        let found = self.block(async move {
            match store.get(&key).await {
                Ok(found) => found.bytes().await.map(Some),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        })?;
        let Some(bytes) = found else {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no such blob"));
        };
        let mut temp = tempfile::NamedTempFile::new_in(&self.cache)?;
        io::Write::write_all(&mut temp, &bytes)?;
        temp.persist(&local).map_err(|e| e.error)?;
        Ok(local)
    }

    fn delete(&self, sha256: &str) -> io::Result<()> {
        let key = key(sha256)?;
        let store = self.store.clone();
        self.block(async move { store.delete(&key).await })?;
        let _ = std::fs::remove_file(self.cache.join(sha256));
        Ok(())
    }

    fn list(&self) -> io::Result<Vec<(String, SystemTime)>> {
        let store = self.store.clone();
        let objects = self.block(async move {
            store
                .list(Some(&Key::from("files")))
                .try_collect::<Vec<_>>()
                .await
        })?;
        Ok(objects
            .into_iter()
            .filter_map(|meta| {
                let name = meta.location.filename()?.to_owned();
                is_sha256(&name).then(|| (name, SystemTime::from(meta.last_modified)))
            })
            .collect())
    }

    fn staging_dir(&self) -> &Path {
        &self.staging
    }
}
