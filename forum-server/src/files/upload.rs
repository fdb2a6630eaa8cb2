//! One upload, from the request's bytes to a recorded attachment: staged
//! in the store's staging directory (refused as soon as it passes the size
//! limit), typed by content, pictures stripped of their metadata, scanned,
//! checked against the member's daily quota, stored durably, and only then
//! recorded. Every refusal leaves nothing behind but a staged file that is
//! deleted with it.

use std::io::{Read, Write};
use std::path::Path;

use actix_web::http::StatusCode;
use forum_core::domain::DocumentType;
use forum_core::error::ErrorCode;
use forum_core::features::attachments::NewUpload;
use forum_core::views::AttachmentView;
use forum_core::{Db, Viewer};
use sha2::{Digest, Sha256};

use super::detect::{self, HEAD_BYTES};
use super::scan::{Clamd, Verdict};
use super::store::FileStore;
use crate::config::AttachmentSettings;
use crate::error::ApiError;

/// 413 `too_large`.
pub fn too_large(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge, message)
}

/// The checks and storage after the bytes arrived in `staged`; runs on
/// the blocking pool.
pub fn finish(
    db: &Db,
    store: &dyn FileStore,
    scanner: Option<&Clamd>,
    settings: &AttachmentSettings,
    viewer: &Viewer,
    name: &str,
    staged: tempfile::NamedTempFile,
) -> Result<AttachmentView, ApiError> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    std::fs::File::open(staged.path())
        .and_then(|f| f.take(HEAD_BYTES as u64).read_to_end(&mut head))
        .map_err(internal)?;
    let Some(kind) = detect::document_type(&head, staged.path()) else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedType,
            "this kind of file cannot be attached: PDF, DOCX, ODT, RTF, text, PNG, JPEG, XLSX and ODS can",
        ));
    };
    if kind.is_image() {
        let bytes = std::fs::read(staged.path()).map_err(internal)?;
        let stripped = detect::strip_metadata(kind, bytes).map_err(|e| {
            ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedType,
                format!("the picture could not be read: {e}"),
            )
        })?;
        let mut file = std::fs::File::create(staged.path()).map_err(internal)?;
        file.write_all(&stripped).map_err(internal)?;
    }
    let (sha256, size) = digest(staged.path()).map_err(internal)?;
    if size > settings.max_file_bytes {
        return Err(too_large(format!(
            "files may be at most {} bytes",
            settings.max_file_bytes
        )));
    }
    if let Some(scanner) = scanner {
        match scanner.scan(staged.path()) {
            Ok(Verdict::Clean) => {}
            Ok(Verdict::Infected(signature)) => {
                db.audit_refused_upload(viewer, name, &sha256, &signature)?;
                tracing::warn!(user_id = viewer.id.get(), %signature, "upload refused: malware");
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::MalwareDetected,
                    format!("the malware scanner found {signature} in this file"),
                ));
            }
            Err(e) => {
                tracing::error!(error = %e, "clamd could not scan an upload");
                return Err(scanner_unavailable());
            }
        }
    }
    let today = db.uploads_today(viewer)?;
    if today.bytes + size as i64 > settings.daily_quota_bytes {
        return Err(too_large(format!(
            "this upload would pass your daily quota of {} bytes",
            settings.daily_quota_bytes
        )));
    }
    let inline = kind.shown_inline() && !detect::carries_markup(&head);
    let staged = staged.into_temp_path();
    store.put(&sha256, &staged).map_err(internal)?;
    // The store moved the file: nothing is left to delete.
    let _ = staged.keep();
    Ok(db.record_upload(
        viewer,
        &NewUpload {
            name,
            size: size as i64,
            media_type: kind,
            sha256: &sha256,
            inline,
        },
        settings.daily_quota_bytes,
    )?)
}

/// 503 `scanner_unavailable`.
pub fn scanner_unavailable() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::ScannerUnavailable,
        "the malware scanner cannot be reached: uploads are refused until it can",
    )
}

fn digest(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "storing an upload failed");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::Internal,
        "internal error",
    )
}

/// The type a stored attachment is served as.
pub fn content_type(kind: DocumentType) -> &'static str {
    match kind {
        DocumentType::Text => "text/plain; charset=utf-8",
        other => other.as_str(),
    }
}

/// Rewrites a PDF without the author its metadata names (the document
/// information's Author, Creator and Producer, and the XMP packet), stores
/// the new blob and points the attachment at it. Runs on the blocking
/// pool.
pub fn remove_pdf_author(
    db: &Db,
    store: &dyn FileStore,
    viewer: &Viewer,
    id: forum_core::AttachmentId,
) -> Result<AttachmentView, ApiError> {
    let current = db.attachment_to_change(viewer, id)?;
    if current.media_type != DocumentType::Pdf || current.document_author.is_none() {
        return Ok(current);
    }
    let path = store.path(&current.sha256).map_err(internal)?;
    let mut doc = lopdf::Document::load(&path).map_err(internal)?;
    if let Ok(info) = doc
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        && let Ok(dict) = doc.get_dictionary_mut(info)
    {
        for key in [&b"Author"[..], b"Creator", b"Producer"] {
            dict.remove(key);
        }
    }
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.remove(b"Metadata");
    }
    let mut staged = tempfile::NamedTempFile::new_in(store.staging_dir()).map_err(internal)?;
    doc.save_to(&mut staged).map_err(internal)?;
    staged.flush().map_err(internal)?;
    let (sha256, size) = digest(staged.path()).map_err(internal)?;
    let staged = staged.into_temp_path();
    store.put(&sha256, &staged).map_err(internal)?;
    let _ = staged.keep();
    Ok(db.replace_attachment_blob(viewer, id, &sha256, size as i64)?)
}
