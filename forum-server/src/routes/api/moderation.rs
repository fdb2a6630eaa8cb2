//! Moderation: actions with reasons, flags worked as cases, groups and the
//! audit log.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use forum_core::CoreError;
use forum_core::domain::FlagStatus;
use forum_core::features::moderation::{FlagCase, FlagView};
use forum_core::store::audit::AuditFilter;
use forum_core::{CategoryId, FlagId, GroupId, PostId, ThreadId, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Member;
use crate::error::ApiError;
use crate::routes::block;
use crate::startup::AppState;

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonRequest {
    /// Why (3–500 characters); kept in the audit log.
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveRequest {
    #[schema(value_type = i64)]
    pub category_id: CategoryId,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SlowModeRequest {
    /// Seconds a member waits between replies (0 turns slow mode off).
    pub seconds: i64,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MergeRequest {
    /// The thread that receives the posts.
    #[schema(value_type = i64)]
    pub into: ThreadId,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SplitRequest {
    /// Replies to move (not the opening post).
    #[schema(value_type = Vec<i64>)]
    pub post_ids: Vec<PostId>,
    /// Title of the new thread.
    pub title: String,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SuspendRequest {
    /// RFC 3339 time or `YYYY-MM-DD` (the start of that day, UTC).
    pub until: String,
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct FlagRequest {
    /// `inaccurate_law | personal_data | confidential | off_topic | abusive | spam | other`.
    pub reason: String,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolveRequest {
    /// `dismiss | hide_post | edit_post | warn_user`.
    pub action: String,
    /// The reason, told to the flagger (and the edit reason for `edit_post`).
    pub note: String,
    /// The post's new Markdown, for `edit_post`.
    pub body: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignRequest {
    /// A moderator or admin; absent or null unassigns.
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<UserId>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NoteRequest {
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupRequest {
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupMemberRequest {
    #[schema(value_type = i64)]
    pub user_id: UserId,
    /// `false` removes the member; default `true`.
    pub member: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct QueueQuery {
    /// `open` (default), `resolved` or `all`.
    pub status: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct AuditQuery {
    /// A username.
    pub actor: Option<String>,
    /// An action (`thread.lock`) or a family (`thread.`).
    pub action: Option<String>,
    /// `post:12`, `thread:3`, `user:5`, `group:2`, `flag:9` …
    pub target: Option<String>,
    /// Entries older than this id (paging back).
    pub before: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagBody {
    pub id: i64,
    #[schema(value_type = i64)]
    pub post_id: PostId,
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    pub thread_title: String,
    pub flagger: String,
    pub reason: String,
    pub note: String,
    /// `open` or `resolved`.
    pub status: String,
    pub assignee: Option<String>,
    pub resolution: Option<String>,
    pub resolution_note: Option<String>,
    pub created_at: String,
    pub resolved_at: Option<String>,
}

impl From<FlagView> for FlagBody {
    fn from(f: FlagView) -> Self {
        FlagBody {
            id: f.id.into(),
            post_id: f.post_id,
            thread_id: f.thread_id,
            thread_title: f.thread_title,
            flagger: f.flagger,
            reason: f.reason,
            note: f.note,
            status: f.status.to_string(),
            assignee: f.assignee,
            resolution: f.resolution,
            resolution_note: f.resolution_note,
            created_at: forum_core::rfc3339(f.created_at),
            resolved_at: f.resolved_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagCaseBody {
    pub flag: FlagBody,
    pub post_body: String,
    pub post_author: String,
    /// Private moderator notes, oldest first.
    pub notes: Vec<FlagNoteBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagNoteBody {
    pub author: String,
    pub body: String,
    pub created_at: String,
}

impl From<FlagCase> for FlagCaseBody {
    fn from(c: FlagCase) -> Self {
        FlagCaseBody {
            flag: c.flag.into(),
            post_body: c.post_body,
            post_author: c.post_author,
            notes: c
                .notes
                .into_iter()
                .map(|n| FlagNoteBody {
                    author: n.author,
                    body: n.body,
                    created_at: forum_core::rfc3339(n.created_at),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagStatsBody {
    pub reason: String,
    pub total: i64,
    pub open: i64,
    pub resolved: i64,
    pub mean_hours_to_resolution: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryBody {
    pub id: i64,
    pub at: String,
    pub actor: Option<AuditActorBody>,
    pub action: String,
    pub target: String,
    pub reason: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The entry is about a space you may not see: `target`, `reason` and
    /// `details` are withheld (empty, null). Admins see every entry whole.
    pub restricted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditActorBody {
    pub id: i64,
    pub username: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupBody {
    pub id: i64,
    pub name: String,
    #[schema(value_type = Vec<i64>)]
    pub members: Vec<UserId>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedBody {
    pub id: i64,
}

fn until(raw: &str) -> Result<NaiveDateTime, ApiError> {
    let raw = raw.trim();
    DateTime::parse_from_rfc3339(raw)
        .map(|d| d.naive_utc())
        .or_else(|_| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
        .map_err(|_| {
            CoreError::invalid("until", "must be an RFC 3339 time or a date YYYY-MM-DD").into()
        })
}

macro_rules! action {
    ($(#[$m:meta])* $name:ident, $id_type:ty, $body:ty, |$db:ident, $viewer:ident, $id:ident, $b:ident| $call:expr) => {
        $(#[$m])*
        pub async fn $name(
            state: web::Data<AppState>,
            member: Member,
            path: web::Path<$id_type>,
            body: web::Json<$body>,
        ) -> Result<HttpResponse, ApiError> {
            let $db = state.db.clone();
            let $id = path.into_inner();
            let $b = body.into_inner();
            let $viewer = member.0.viewer;
            block(move || $call).await?;
            Ok(HttpResponse::NoContent().finish())
        }
    };
}

const ID: &str = "the numeric id in the path";

action!(
    #[utoipa::path(post, path = "/api/v1/posts/{id}/hide", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    hide_post,
    PostId,
    ReasonRequest,
    |db, viewer, id, b| db.hide_post(&viewer, id, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/posts/{id}/restore", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    restore_post,
    PostId,
    ReasonRequest,
    |db, viewer, id, b| db.restore_post(&viewer, id, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/break-glass", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    break_glass,
    ThreadId,
    ReasonRequest,
    |db, viewer, id, b| db.break_glass(&viewer, id, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/lock", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    lock,
    ThreadId,
    ReasonRequest,
    |db, viewer, id, b| db.set_locked(&viewer, id, true, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/unlock", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    unlock,
    ThreadId,
    ReasonRequest,
    |db, viewer, id, b| db.set_locked(&viewer, id, false, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/pin", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    pin,
    ThreadId,
    ReasonRequest,
    |db, viewer, id, b| db.set_pinned(&viewer, id, true, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/unpin", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    unpin,
    ThreadId,
    ReasonRequest,
    |db, viewer, id, b| db.set_pinned(&viewer, id, false, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/move", request_body = MoveRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    move_thread,
    ThreadId,
    MoveRequest,
    |db, viewer, id, b| db.move_thread(&viewer, id, b.category_id, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/users/{id}/unsuspend", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    unsuspend,
    UserId,
    ReasonRequest,
    |db, viewer, id, b| db.unsuspend(&viewer, id, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/moderation/flags/{id}/assign", request_body = AssignRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    assign_flag,
    FlagId,
    AssignRequest,
    |db, viewer, id, b| db.assign_flag(&viewer, id, b.assignee_id)
);
action!(
    #[utoipa::path(post, path = "/api/v1/moderation/flags/{id}/notes", request_body = NoteRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    note_flag,
    FlagId,
    NoteRequest,
    |db, viewer, id, b| db.add_flag_note(&viewer, id, &b.body)
);
action!(
    #[utoipa::path(post, path = "/api/v1/moderation/flags/{id}/resolve", request_body = ResolveRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    resolve_flag,
    FlagId,
    ResolveRequest,
    |db, viewer, id, b| db.resolve_flag(&viewer, id, &b.action, &b.note, b.body.as_deref())
);
action!(
    #[utoipa::path(post, path = "/api/v1/groups/{id}/members", request_body = GroupMemberRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
    group_member,
    GroupId,
    GroupMemberRequest,
    |db, viewer, id, b| db.set_group_membership_as(
        &viewer,
        id,
        b.user_id,
        b.member.unwrap_or(true)
    )
);

action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/slow-mode", request_body = SlowModeRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    slow_mode,
    ThreadId,
    SlowModeRequest,
    |db, viewer, id, b| db.set_slow_mode(&viewer, id, b.seconds, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/feature", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    feature,
    ThreadId,
    ReasonRequest,
    |db, viewer, id, b| db.set_featured(&viewer, id, true, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/unfeature", request_body = ReasonRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    unfeature,
    ThreadId,
    ReasonRequest,
    |db, viewer, id, b| db.set_featured(&viewer, id, false, &b.reason)
);
action!(
    #[utoipa::path(post, path = "/api/v1/threads/{id}/merge", request_body = MergeRequest, params(("id" = i64, Path, description = ID)),
        responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
    merge,
    ThreadId,
    MergeRequest,
    |db, viewer, id, b| db.merge_threads(&viewer, id, b.into, &b.reason)
);

#[utoipa::path(post, path = "/api/v1/threads/{id}/split", request_body = SplitRequest, params(("id" = i64, Path, description = ID)),
    responses((status = 201, body = CreatedBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn split(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
    body: web::Json<SplitRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let new = state
        .run(move |db| db.split_thread(&member.0.viewer, id, &b.post_ids, &b.title, &b.reason))
        .await?;
    Ok(HttpResponse::Created().json(CreatedBody { id: new.into() }))
}

#[utoipa::path(get, path = "/api/v1/analyses/featured", responses((status = 200, body = [crate::routes::api::types::ThreadBody])))]
pub async fn featured(
    state: web::Data<AppState>,
    member: Member,
) -> Result<HttpResponse, ApiError> {
    let threads = state
        .run(move |db| db.featured_analyses(&member.0.viewer))
        .await?;
    Ok(HttpResponse::Ok().json(
        threads
            .into_iter()
            .map(crate::routes::api::types::ThreadBody::from)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(post, path = "/api/v1/users/{id}/suspend", request_body = SuspendRequest, params(("id" = i64, Path, description = ID)),
    responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn suspend(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<UserId>,
    body: web::Json<SuspendRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let until = until(&b.until)?;
    state
        .run(move |db| db.suspend(&member.0.viewer, id, until, &b.reason))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(post, path = "/api/v1/posts/{id}/flags", request_body = FlagRequest, params(("id" = i64, Path, description = ID)),
    responses((status = 201, body = CreatedBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn flag_post(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<PostId>,
    body: web::Json<FlagRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let b = body.into_inner();
    let flag = state
        .run(move |db| {
            db.flag_post(
                &member.0.viewer,
                id,
                &b.reason,
                b.note.as_deref().unwrap_or_default(),
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedBody { id: flag.into() }))
}

#[utoipa::path(get, path = "/api/v1/moderation/flags", params(QueueQuery),
    responses((status = 200, body = [FlagBody]), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn queue(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<QueueQuery>,
) -> Result<HttpResponse, ApiError> {
    let status = match query.into_inner().status.as_deref() {
        None | Some("") => Some(FlagStatus::Open),
        Some("all") => None,
        Some(s) => Some(FlagStatus::parse(s)?),
    };
    let flags = state
        .run(move |db| db.flag_queue(&member.0.viewer, status))
        .await?;
    Ok(HttpResponse::Ok().json(flags.into_iter().map(FlagBody::from).collect::<Vec<_>>()))
}

#[utoipa::path(get, path = "/api/v1/moderation/flags/{id}", params(("id" = i64, Path, description = ID)),
    responses((status = 200, body = FlagCaseBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn flag_case(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<FlagId>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let case = state
        .run(move |db| db.flag_case(&member.0.viewer, id))
        .await?;
    Ok(HttpResponse::Ok().json(FlagCaseBody::from(case)))
}

#[utoipa::path(get, path = "/api/v1/moderation/stats",
    responses((status = 200, body = [FlagStatsBody]), (status = 403, body = crate::error::ErrorBody)))]
pub async fn stats(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let stats = state.run(move |db| db.flag_stats(&member.0.viewer)).await?;
    Ok(HttpResponse::Ok().json(
        stats
            .into_iter()
            .map(|s| FlagStatsBody {
                reason: s.reason,
                total: s.total,
                open: s.open,
                resolved: s.resolved,
                mean_hours_to_resolution: s.mean_hours_to_resolution,
            })
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(get, path = "/api/v1/moderation/audit", params(AuditQuery),
    responses((status = 200, body = [AuditEntryBody]), (status = 403, body = crate::error::ErrorBody)))]
pub async fn audit(
    state: web::Data<AppState>,
    member: Member,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let filter = AuditFilter {
        actor: q.actor,
        action: q.action,
        target: q.target,
        before: q.before,
    };
    let entries = state
        .run(move |db| db.audit_entries(&member.0.viewer, &filter))
        .await?;
    Ok(HttpResponse::Ok().json(
        entries
            .into_iter()
            .map(|e| AuditEntryBody {
                id: e.id,
                at: forum_core::rfc3339(e.at),
                actor: e.actor.map(|a| AuditActorBody {
                    id: a.id,
                    username: a.username,
                }),
                action: e.action,
                target: e.target,
                reason: e.reason,
                details: e.details,
                restricted: e.restricted,
            })
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(get, path = "/api/v1/groups",
    responses((status = 200, body = [GroupBody]), (status = 403, body = crate::error::ErrorBody)))]
pub async fn groups(state: web::Data<AppState>, member: Member) -> Result<HttpResponse, ApiError> {
    let groups = state.run(move |db| db.groups(&member.0.viewer)).await?;
    Ok(HttpResponse::Ok().json(
        groups
            .into_iter()
            .map(|g| GroupBody {
                id: g.id.into(),
                name: g.name,
                members: g.members,
            })
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(post, path = "/api/v1/groups", request_body = GroupRequest,
    responses((status = 201, body = CreatedBody), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_group(
    state: web::Data<AppState>,
    member: Member,
    body: web::Json<GroupRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = body.into_inner().name;
    let id = state
        .run(move |db| db.create_group_as(&member.0.viewer, &name))
        .await?;
    Ok(HttpResponse::Created().json(CreatedBody { id: id.into() }))
}
