//! Request and response bodies of the API, with their OpenAPI schemas.

use forum_core::models::{AuthorView, CategoryView, PostView, RevisionView, ThreadSummary, User};
use forum_core::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct MeBody {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub country: String,
    pub profession: String,
    pub groups: Vec<i64>,
    /// Interface language preference, if set.
    pub language: Option<String>,
}

impl MeBody {
    pub fn of(user: &User, groups: Vec<i64>) -> Self {
        MeBody {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role.clone(),
            country: user.country.clone(),
            profession: user.profession.clone(),
            groups,
            language: user.language.clone(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    pub totp_code: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: MeBody,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub invitation_token: String,
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub country: String,
    pub profession: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterResponse {
    pub user: MeBody,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitationRequest {
    pub email: String,
    pub role: Option<String>,
    pub groups: Option<Vec<i64>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationResponse {
    pub token: String,
    pub url: String,
    pub email: String,
    pub role: String,
    pub expires_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryBody {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub restricted_to_groups: Vec<i64>,
    pub thread_count: i64,
}

impl From<CategoryView> for CategoryBody {
    fn from(c: CategoryView) -> Self {
        CategoryBody {
            id: c.id,
            slug: c.slug,
            name: c.name,
            description: c.description,
            restricted_to_groups: c.restricted_to_groups,
            thread_count: c.thread_count,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCategoryRequest {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub restricted_to_groups: Option<Vec<i64>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorBody {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

impl From<AuthorView> for AuthorBody {
    fn from(a: AuthorView) -> Self {
        AuthorBody {
            id: a.id,
            username: a.username,
            display_name: a.display_name,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadBody {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub category_id: i64,
    pub author: AuthorBody,
    pub jurisdictions: Vec<String>,
    pub locked: bool,
    pub pinned: bool,
    pub post_count: i64,
    pub created_at: String,
    pub last_post_at: String,
    /// Language of the opening post (ISO 639-1, or `und`).
    pub language: String,
}

impl From<ThreadSummary> for ThreadBody {
    fn from(t: ThreadSummary) -> Self {
        ThreadBody {
            id: t.id,
            title: t.title,
            kind: t.kind,
            category_id: t.category_id,
            author: t.author.into(),
            jurisdictions: t.jurisdictions,
            locked: t.locked,
            pinned: t.pinned,
            post_count: t.post_count,
            created_at: rfc3339(t.created_at),
            last_post_at: rfc3339(t.last_post_at),
            language: t.language,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadList {
    pub threads: Vec<ThreadBody>,
    pub next_page: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct ThreadQuery {
    pub category: Option<i64>,
    pub jurisdiction: Option<String>,
    pub kind: Option<String>,
    /// Content language (ISO 639-1) of the opening post.
    pub language: Option<String>,
    pub page: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewThreadRequest {
    pub category_id: i64,
    pub title: String,
    pub body: String,
    pub kind: String,
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    /// ISO 639-1 language of the body; detected when absent.
    pub language: Option<String>,
    /// The structured analysis record (its own issue); accepted and ignored
    /// until then.
    #[schema(value_type = Option<Object>)]
    pub analysis: Option<serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewThreadResponse {
    pub first_post_id: i64,
    #[serde(flatten)]
    pub thread: ThreadBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostBody {
    pub id: i64,
    pub thread_id: i64,
    pub author: AuthorBody,
    pub body: String,
    pub body_html: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub reply_to: Option<i64>,
    pub revision: i64,
    /// ISO 639-1 language of the body, declared or detected (`und`).
    pub language: String,
}

impl From<PostView> for PostBody {
    fn from(p: PostView) -> Self {
        PostBody {
            id: p.id,
            thread_id: p.thread_id,
            author: p.author.into(),
            body: p.body,
            body_html: p.body_html.into_string(),
            created_at: rfc3339(p.created_at),
            edited_at: p.edited_at.map(rfc3339),
            reply_to: p.reply_to,
            revision: p.revision,
            language: p.language,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadWithPosts {
    pub thread: ThreadBody,
    pub posts: Vec<PostBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPostRequest {
    pub body: String,
    pub reply_to: Option<i64>,
    /// ISO 639-1 language of the body; detected when absent.
    pub language: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EditPostRequest {
    pub body: String,
    pub edit_reason: Option<String>,
    /// ISO 639-1 language of the new body; detected when absent.
    pub language: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionBody {
    pub revision: i64,
    pub body: String,
    pub edited_by: AuthorBody,
    pub edited_at: String,
    pub reason: Option<String>,
}

impl From<RevisionView> for RevisionBody {
    fn from(r: RevisionView) -> Self {
        RevisionBody {
            revision: r.revision,
            body: r.body,
            edited_by: r.edited_by.into(),
            edited_at: rfc3339(r.edited_at),
            reason: r.reason,
        }
    }
}
