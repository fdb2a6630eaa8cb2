//! A page form as it arrives: urlencoded, or multipart when it carries
//! files (the reply and new-thread forms, which attach files without
//! JavaScript). Files are staged as they arrive, refused past the size
//! limit, then stored as the member's uploads like the API's.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpMessage, HttpRequest, web};
use forum_core::{AttachmentId, Viewer};
use futures_util::StreamExt;
use std::io::Write;

use super::PageError;
use crate::files::upload;
use crate::startup::AppState;

/// Why a post may not carry `count` files, in the reader's words.
pub fn too_many_files(state: &AppState, count: usize, lang: views::Lang) -> Option<String> {
    let max = state.settings.attachments.max_files_per_post;
    (count > max).then(|| {
        upload::too_large(format!("a post may carry at most {max} files")).localized_message(lang)
    })
}

/// The text fields of a form, and its files.
pub struct Submission {
    pub fields: Vec<(String, String)>,
    /// (the name the browser gave, the staged bytes)
    pub files: Vec<(String, tempfile::NamedTempFile)>,
    /// A file over the size limit, or more files than a post may carry:
    /// refused before anything is stored.
    pub too_large: bool,
}

fn malformed() -> PageError {
    PageError::new(StatusCode::BAD_REQUEST, "The form was not complete.")
}

impl Submission {
    /// Reads the body of `req`.
    pub async fn read(
        req: &HttpRequest,
        payload: web::Payload,
        state: &AppState,
    ) -> Result<Submission, PageError> {
        let limit = state.settings.max_body_bytes;
        if req.content_type() != "multipart/form-data" {
            let body = payload.to_bytes_limited(limit).await.map_err(|_| {
                PageError::new(StatusCode::PAYLOAD_TOO_LARGE, "The form is too long.")
            })?;
            let body = body.map_err(|_| malformed())?;
            return Ok(Submission {
                fields: url::form_urlencoded::parse(&body).into_owned().collect(),
                files: Vec::new(),
                too_large: false,
            });
        }
        let max_file = state.settings.attachments.max_file_bytes;
        let max_files = state.settings.attachments.max_files_per_post;
        let mut multipart = Multipart::new(req.headers(), payload);
        let mut submission = Submission {
            fields: Vec::new(),
            files: Vec::new(),
            too_large: false,
        };
        let mut text_bytes = 0usize;
        while let Some(field) = multipart.next().await {
            let mut field = field.map_err(|_| malformed())?;
            let (name, filename) = match field.content_disposition() {
                Some(cd) => (
                    cd.get_name().unwrap_or_default().to_owned(),
                    cd.get_filename().map(str::to_owned),
                ),
                None => (String::new(), None),
            };
            match filename {
                Some(filename) => {
                    // An empty file input sends a part with no name.
                    let wanted = !filename.is_empty() && name == "files";
                    if wanted && submission.files.len() >= max_files {
                        submission.too_large = true;
                    }
                    let mut staged = (wanted && !submission.too_large)
                        .then(|| tempfile::NamedTempFile::new_in(state.files.staging_dir()))
                        .transpose()
                        .map_err(|_| malformed())?;
                    let mut size = 0u64;
                    while let Some(chunk) = field.next().await {
                        let chunk = chunk.map_err(|_| malformed())?;
                        size += chunk.len() as u64;
                        if size > max_file {
                            submission.too_large = true;
                            staged = None;
                        }
                        if let Some(file) = staged.as_mut() {
                            file.write_all(&chunk).map_err(|_| malformed())?;
                        }
                    }
                    if let Some(file) = staged.filter(|_| size > 0) {
                        submission.files.push((filename, file));
                    }
                }
                None => {
                    let mut value = Vec::new();
                    while let Some(chunk) = field.next().await {
                        let chunk = chunk.map_err(|_| malformed())?;
                        text_bytes += chunk.len();
                        if text_bytes > limit {
                            return Err(PageError::new(
                                StatusCode::PAYLOAD_TOO_LARGE,
                                "The form is too long.",
                            ));
                        }
                        value.extend_from_slice(&chunk);
                    }
                    let value = String::from_utf8(value).map_err(|_| malformed())?;
                    submission.fields.push((name, value));
                }
            }
        }
        Ok(submission)
    }

    /// The text fields, urlencoded again (what the forms' parsers read).
    pub fn urlencoded(&self) -> Vec<u8> {
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.fields)
            .finish()
            .into_bytes()
    }

    /// The value of field `name` (the first), or "".
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// Stores the files as `viewer`'s uploads: their ids, or why they were
    /// refused, in the reader's words (nothing of a refused file is kept).
    pub async fn store_files(
        self,
        state: &web::Data<AppState>,
        viewer: &Viewer,
        lang: views::Lang,
    ) -> Result<Result<Vec<AttachmentId>, String>, PageError> {
        let settings = state.settings.attachments.clone();
        if self.too_large {
            let refusal = upload::too_large(format!(
                "files may be at most {} bytes, and a post may carry {} of them",
                settings.max_file_bytes, settings.max_files_per_post
            ));
            return Ok(Err(refusal.localized_message(lang)));
        }
        let mut ids = Vec::new();
        for (name, file) in self.files {
            let (db, store, scanner, viewer) = (
                state.db.clone(),
                state.files.clone(),
                state.scanner.clone(),
                viewer.clone(),
            );
            let settings = settings.clone();
            let stored = crate::http::head::blocking(move || {
                upload::finish(
                    &db,
                    &*store,
                    scanner.as_ref(),
                    &settings,
                    &viewer,
                    &name,
                    file,
                )
            })
            .await
            .map_err(crate::error::ApiError::from)?;
            match stored {
                Ok(view) => ids.push(view.id),
                Err(refusal)
                    if refusal.status.is_client_error()
                        || refusal.status == StatusCode::SERVICE_UNAVAILABLE =>
                {
                    return Ok(Err(refusal.localized_message(lang)));
                }
                Err(other) => return Err(other.into()),
            }
        }
        Ok(Ok(ids))
    }
}
