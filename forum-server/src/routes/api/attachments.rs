//! Attachments: the upload (`POST /api/v1/attachments`, multipart), a
//! moderator hiding one, and the file itself (`GET /files/{id}/{name}`),
//! served as safely as the best file hosts do: only where its post is
//! visible, downloaded unless it is a PDF or picture without markup, and
//! even then in a sandbox with sniffing off.

use actix_files::NamedFile;
use actix_multipart::{Multipart, MultipartError};
use actix_web::http::StatusCode;
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{HttpRequest, HttpResponse, web};
use forum_core::AttachmentId;
use forum_core::error::ErrorCode;
use futures_util::StreamExt;
use serde::Deserialize;
use std::io::Write;

use super::types::AttachmentBody;
use crate::auth::Member;
use crate::error::ApiError;
use crate::files::upload::{self, too_large};
use crate::startup::AppState;

fn multipart_error(e: MultipartError) -> ApiError {
    match e {
        MultipartError::ContentTypeMissing
        | MultipartError::ContentTypeParse
        | MultipartError::ContentTypeIncompatible
        | MultipartError::BoundaryMissing => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "send the file as multipart/form-data, in a part named file",
        ),
        other => ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
            format!("the multipart body does not parse: {other}"),
        ),
    }
}

/// The multipart body of an upload (for the OpenAPI document).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[utoipa::path(post, path = "/api/v1/attachments",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentBody), (status = 400, body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody), (status = 503, body = crate::error::ErrorBody)))]
pub async fn upload(
    state: web::Data<AppState>,
    member: Member,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    state.limits.check_post(&member.0.viewer).await?;
    let settings = state.settings.attachments.clone();
    let viewer = member.0.viewer.clone();
    let today = state.run(move |db| db.uploads_today(&viewer)).await?;
    if today.bytes >= settings.daily_quota_bytes {
        return Err(too_large(format!(
            "you reached your daily quota of {} bytes",
            settings.daily_quota_bytes
        )));
    }
    let mut staged: Option<(String, tempfile::NamedTempFile)> = None;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(multipart_error)?;
        let is_file = field
            .content_disposition()
            .and_then(|cd| cd.get_name())
            .is_some_and(|name| name == "file");
        if !is_file || staged.is_some() {
            // Other parts are read and dropped.
            while let Some(chunk) = field.next().await {
                chunk.map_err(multipart_error)?;
            }
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .unwrap_or_default()
            .to_owned();
        let mut file = tempfile::NamedTempFile::new_in(state.files.staging_dir())
            .map_err(|e| ApiError::from(forum_core::CoreError::Internal(e.to_string())))?;
        let mut size: u64 = 0;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(multipart_error)?;
            size += chunk.len() as u64;
            if size > settings.max_file_bytes {
                return Err(too_large(format!(
                    "files may be at most {} bytes",
                    settings.max_file_bytes
                )));
            }
            file.write_all(&chunk)
                .map_err(|e| ApiError::from(forum_core::CoreError::Internal(e.to_string())))?;
        }
        staged = Some((name, file));
    }
    let Some((name, file)) = staged else {
        return Err(ApiError::invalid(
            "file",
            "send the file in a part named file",
        ));
    };
    let viewer = member.0.viewer.clone();
    let db = state.db.clone();
    let store = state.files.clone();
    let scanner = state.scanner.clone();
    let view = crate::http::head::blocking(move || {
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
    .await??;
    tracing::info!(
        attachment_id = view.id.get(),
        size = view.size,
        media_type = view.media_type.as_str(),
        "file uploaded"
    );
    Ok(HttpResponse::Created().json(AttachmentBody::from(view)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct HideAttachmentRequest {
    /// `true` hides it, `false` shows it again.
    pub hidden: bool,
    /// Why (required to hide).
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/attachments/{id}/visibility", params(("id" = i64, Path, description = "the numeric id in the path")),
    request_body = HideAttachmentRequest,
    responses((status = 200, body = AttachmentBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn set_visibility(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<AttachmentId>,
    body: web::Json<HideAttachmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let view = state
        .run(move |db| db.hide_attachment(&member.0.viewer, id, b.hidden, &b.reason))
        .await?;
    Ok(HttpResponse::Ok().json(AttachmentBody::from(view)))
}

#[utoipa::path(post, path = "/api/v1/attachments/{id}/remove-author", params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = AttachmentBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
/// Removes the author a PDF's metadata names (its uploader or staff).
pub async fn remove_author(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<AttachmentId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (db, store) = (state.db.clone(), state.files.clone());
    let view = crate::http::head::blocking(move || {
        upload::remove_pdf_author(&db, &*store, &member.0.viewer, id)
    })
    .await??;
    Ok(HttpResponse::Ok().json(AttachmentBody::from(view)))
}

/// `GET /files/{id}/{name}`: the file, for a member who may see its post.
pub async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<(AttachmentId, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, _name) = path.into_inner();
    let attachment = state
        .run(move |db| db.attachment_for_download(&member.0.viewer, id))
        .await?;
    let store = state.files.clone();
    let sha256 = attachment.sha256.clone();
    let file = crate::http::head::blocking(move || store.path(&sha256).and_then(NamedFile::open))
        .await?
        .map_err(|e| {
            tracing::error!(attachment_id = id.get(), error = %e, "an attachment's blob is missing");
            ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "not found")
        })?;
    let inline = attachment.inline;
    let mime: mime::Mime = upload::content_type(attachment.media_type)
        .parse()
        .unwrap_or(mime::APPLICATION_OCTET_STREAM);
    let file = file
        .set_content_type(mime)
        .set_content_disposition(disposition(&attachment.name, inline))
        .use_last_modified(false);
    let mut response = file.into_response(&req);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("sandbox; default-src 'none'; frame-ancestors 'self'"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-cache"),
    );
    headers.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        header::HeaderValue::from_static("same-origin"),
    );
    Ok(response)
}

/// `inline` or `attachment`, with the name twice: an ASCII fallback and
/// the UTF-8 name (RFC 6266 / RFC 8187).
fn disposition(name: &str, inline: bool) -> ContentDisposition {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| !matches!(c, '"' | '\\'))
        .collect();
    ContentDisposition {
        disposition: if inline {
            DispositionType::Inline
        } else {
            DispositionType::Attachment
        },
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    }
}
