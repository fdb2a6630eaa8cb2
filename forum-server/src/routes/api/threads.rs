//! Threads: list, create, show.

use actix_web::{HttpResponse, web};
use forum_core::access::MarkRecipients;
use forum_core::domain::ThreadKind;
use forum_core::domain::analysis::AnalysisInput;
use forum_core::features::analyses::ThreadUpdate;
use forum_core::features::forum::{NewThreadInput, ThreadFilter};
use forum_core::{CategoryId, ThreadId};

use super::types::*;
use crate::auth::Member;
use crate::error::ApiError;
use crate::routes::block;
use crate::startup::AppState;

#[utoipa::path(get, path = "/api/v1/threads", params(ThreadQuery), responses((status = 200, body = ThreadList)))]
pub async fn list(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<ThreadQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let kind = q
        .kind
        .as_deref()
        .map(ThreadKind::parse)
        .transpose()
        .map_err(ApiError::from)?;
    let filter = ThreadFilter {
        category_id: q.category.map(CategoryId::from),
        jurisdiction: q.jurisdiction.filter(|j| !j.is_empty()),
        kind,
        crime_area: q.crime_area.filter(|a| !a.is_empty()),
        instrument: q.instrument.filter(|i| !i.is_empty()),
        language: q.language.filter(|l| !l.is_empty()),
        page: q.page.unwrap_or(1),
        before: q.before,
        featured: false,
    };
    let kept = state.at_request_head(|| {
        state
            .db
            .thread_list_kept(&state.lists, &member.0.viewer, &filter)
    });
    let page = match kept {
        Some(page) => page,
        None => {
            let state = state.clone();
            block(move || {
                state
                    .db
                    .thread_list_cached(&state.lists, &member.0.viewer, &filter)
            })
            .await?
        }
    };
    // The same page as read is the same JSON for everyone given it.
    let body = state
        .rendered
        .get_or_put(format!("list:{}", page.version), || {
            serde_json::to_vec(&ThreadList {
                threads: page.threads.iter().cloned().map(ThreadBody::from).collect(),
                next_page: page.next_page,
                next_before: page.next_before.clone(),
            })
            .map(Into::into)
            .map_err(ApiError::internal)
        })?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

#[utoipa::path(post, path = "/api/v1/threads", request_body = NewThreadRequest,
    responses((status = 201, body = NewThreadResponse), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<NewThreadRequest>,
) -> Result<HttpResponse, ApiError> {
    state.limits.check_post(&member.0.viewer).await?;
    let b = body.into_inner();
    super::posts::check_file_count(&state, b.attachments.len())?;
    let analysis: Option<AnalysisInput> = b.analysis.map(Into::into);
    let recipients: Option<MarkRecipients> = b.mark_recipients.map(Into::into);
    let (thread, post) = state
        .run(move |db| {
            db.create_thread(
                &member.0.viewer,
                &NewThreadInput {
                    category_id: b.category_id,
                    title: &b.title,
                    body: &b.body,
                    kind: &b.kind,
                    jurisdictions: &b.jurisdictions,
                    language: b.language.as_deref(),
                    analysis: analysis.as_ref(),
                    attachments: &b.attachments,
                    mark: b.mark.as_deref(),
                    mark_recipients: recipients.as_ref(),
                    acknowledge_personal_data: b
                        .acknowledge_personal_data
                        .as_ref()
                        .map(|a| a.reason.as_str()),
                },
            )
        })
        .await?;
    tracing::info!(
        thread_id = thread.id.get(),
        post_id = post.id.get(),
        "thread created"
    );
    Ok(HttpResponse::Created().json(NewThreadResponse {
        first_post_id: post.id,
        thread: thread.into(),
    }))
}

#[utoipa::path(get, path = "/api/v1/threads/{id}", params(("id" = i64, Path, description = "the numeric id in the path")), responses((status = 200, body = ThreadWithPosts), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let kept = state.at_request_head(|| {
        forum_core::features::forum::thread_cache::cached_thread(
            &state.threads,
            &state.db,
            &member.0.viewer,
            id,
        )
    });
    let found = match kept {
        Some(found) => found?,
        None => {
            let state = state.clone();
            let viewer = member.0.viewer.clone();
            block(move || state.db.thread_cached(&state.threads, &viewer, id)).await?
        }
    };
    // The tag names the copy of the thread and what this reader sees of
    // it: a client holding it has exactly this body.
    let etag = actix_web::http::header::EntityTag::new_strong(found.tag.clone());
    if crate::http::caching::none_match(&req, &etag) {
        return Ok(HttpResponse::NotModified()
            .insert_header(actix_web::http::header::ETag(etag))
            .finish());
    }
    // Kept under the tag and what it was serialised as.
    let key = format!("json:{}", found.tag);
    let body = match state.rendered.get(&key) {
        Some(body) => body,
        None => {
            let view = found.view(&member.0.viewer)?;
            let body = serde_json::to_vec(&ThreadWithPosts {
                thread: ThreadDetail {
                    thread: view.thread.into(),
                    analysis: view.analysis,
                    cited_by: view.cited_by.into_iter().map(Into::into).collect(),
                },
                posts: view.posts.into_iter().map(PostBody::from).collect(),
            })
            .map_err(ApiError::internal)?;
            state.rendered.put(key, body.into())
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header(actix_web::http::header::ETag(etag))
        .content_type("application/json")
        .body(body))
}

#[utoipa::path(patch, path = "/api/v1/threads/{id}", request_body = UpdateThreadRequest,
    params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = ThreadBody), (status = 403, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<UpdateThreadRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let analysis: Option<AnalysisInput> = b.analysis.map(Into::into);
    let recipients: Option<MarkRecipients> = b.mark_recipients.map(Into::into);
    let thread = state
        .run(move |db| {
            db.update_thread(
                &member.0.viewer,
                id,
                &ThreadUpdate {
                    title: b.title.as_deref(),
                    jurisdictions: b.jurisdictions.as_deref(),
                    analysis: analysis.as_ref(),
                    mark: b.mark.as_deref(),
                    mark_recipients: recipients.as_ref(),
                    acknowledge_personal_data: b
                        .acknowledge_personal_data
                        .as_ref()
                        .map(|a| a.reason.as_str()),
                },
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(ThreadBody::from(thread)))
}

/// `?files=true` puts the files themselves in the bundle.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    pub files: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/threads/{id}/export",
    params(("id" = i64, Path, description = "the numeric id in the path"), ExportQuery),
    responses((status = 200, description = "the signed bundle (application/zip)", content_type = "application/zip"),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn export(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let viewer = member.0.viewer.clone();
    let export = state.run(move |db| db.export_thread(&viewer, id)).await?;
    let with_files = query.files.unwrap_or(false);
    let store = state.files.clone();
    let key = state.export_key.clone();
    let bytes = crate::http::head::blocking(move || -> anyhow::Result<Vec<u8>> {
        let mut files = Vec::new();
        if with_files {
            for post in &export.posts {
                for file in &post.post.attachments {
                    let path = store.path(&file.sha256)?;
                    files.push(crate::export::BundledFile {
                        name: format!("{}-{}", file.id, file.name),
                        bytes: std::fs::read(path)?,
                    });
                }
            }
        }
        crate::export::bundle(&export, &key, files)
    })
    .await?
    .map_err(ApiError::internal)?;
    tracing::info!(thread_id = id.get(), bytes = bytes.len(), "thread exported");
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"comity-thread-{id}.zip\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes))
}

/// The public key exports are signed with.
pub async fn export_key(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "algorithm": "Ed25519",
        "key_id": state.export_key.key_id(),
        "public_key": state.export_key.public_base64(),
    }))
}
