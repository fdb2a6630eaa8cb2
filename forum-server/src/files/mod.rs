//! Attachments' bytes: where they are kept ([`store`]), what they are
//! ([`detect`]), whether they carry malware ([`scan`]), the text inside
//! them ([`extract`]), and the upload path that ties these together
//! ([`upload`]).

pub mod detect;
pub mod extract;
pub mod scan;
pub mod store;
pub mod upload;

pub use store::{DirStore, FileStore};

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
