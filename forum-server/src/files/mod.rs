//! Attachments' bytes: where they are kept ([`store`]), what they are
//! ([`detect`]), whether they carry malware ([`scan`]), the text inside
//! them ([`extract`]), and the upload path that ties these together
//! ([`upload`]).

pub mod detect;
pub mod extract;
pub mod s3;
pub mod scan;
pub mod store;
pub mod upload;

pub use s3::{S3Settings, S3Store};
pub use store::{DirStore, FileStore};

/// The store the settings name: the bucket of `[attachments.s3]`, else the
/// data directory's `files/`.
pub fn open_store(settings: &crate::Settings) -> anyhow::Result<std::sync::Arc<dyn FileStore>> {
    Ok(match &settings.attachments.s3 {
        Some(s3) => std::sync::Arc::new(S3Store::open(s3, &settings.data_dir)?),
        None => std::sync::Arc::new(DirStore::open(&settings.files_dir())?),
    })
}

/// What the operator is told at start about attachments: whether uploads
/// are scanned (and whether clamd answers now), and whether text in
/// pictures is read.
pub fn status_lines(settings: &crate::Settings) -> Vec<String> {
    let a = &settings.attachments;
    let scanning = match &a.clamd {
        None => "Attachments are NOT scanned for malware: set [attachments] clamd to clamd's socket or address".to_owned(),
        Some(address) => match scan::Clamd::new(address).ping() {
            Ok(()) => format!("Attachments are scanned by clamd at {address}"),
            Err(e) => format!(
                "Attachments: clamd at {address} does not answer ({e}); uploads are refused until it does"
            ),
        },
    };
    let ocr = match settings.extractor().ok().and_then(|e| e.tesseract) {
        Some(path) => format!("Text in pictures is read by Tesseract ({})", path.display()),
        None => "Tesseract is not installed: text in pictures is not searchable".to_owned(),
    };
    vec![scanning, ocr]
}
