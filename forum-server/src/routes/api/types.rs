//! Request and response bodies of the API, with their OpenAPI schemas.

use forum_core::access::MarkRecipients;
use forum_core::domain::analysis::{AnalysisInput, CaseCitationInput, LegalProvisionInput};
use forum_core::rfc3339;
use forum_core::store::rows::User;
use forum_core::views::AnalysisView;
use forum_core::views::{
    AuthorView, CategoryView, PostView, RevisionView, ThreadRef, ThreadSummary,
};
use forum_core::{AttachmentId, CategoryId, GroupId, PostId, ThreadId, UserId};
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
    #[schema(value_type = Vec<i64>)]
    pub groups: Vec<GroupId>,
    /// Interface language preference, if set.
    pub language: Option<String>,
    /// The secret in the caller's feed links (`/feeds/{token}/…`); absent
    /// where the caller's session is not resolved yet (sign-in answers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_token: Option<String>,
}

impl MeBody {
    /// The caller as the middleware resolved them (no query).
    pub fn of_viewer(viewer: &forum_core::Viewer) -> Self {
        MeBody {
            id: viewer.id.into(),
            username: viewer.username.to_string(),
            display_name: viewer.display_name.to_string(),
            role: viewer.role.as_str().to_owned(),
            country: viewer.country.to_string(),
            profession: viewer.profession.to_string(),
            groups: viewer.groups.to_vec(),
            language: viewer.language.as_deref().map(str::to_owned),
            feed_token: None,
        }
    }

    pub fn of(user: &User, groups: Vec<GroupId>) -> Self {
        MeBody {
            id: user.id.into(),
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            country: user.country.clone(),
            profession: user.profession.clone(),
            groups,
            language: user.language.clone(),
            feed_token: None,
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
    #[schema(value_type = Option<Vec<i64>>)]
    pub groups: Option<Vec<GroupId>>,
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
    #[schema(value_type = Vec<i64>)]
    pub restricted_to_groups: Vec<GroupId>,
    pub thread_count: i64,
}

impl From<CategoryView> for CategoryBody {
    fn from(c: CategoryView) -> Self {
        CategoryBody {
            id: c.id.into(),
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
    #[schema(value_type = Option<Vec<i64>>)]
    pub restricted_to_groups: Option<Vec<GroupId>>,
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
            id: a.id.into(),
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
    #[schema(value_type = i64)]
    pub category_id: CategoryId,
    pub author: AuthorBody,
    pub jurisdictions: Vec<String>,
    pub locked: bool,
    pub pinned: bool,
    pub post_count: i64,
    pub created_at: String,
    pub last_post_at: String,
    /// Language of the opening post (ISO 639-1, or `und`).
    pub language: String,
    /// The analysis summary, for threads of kind `analysis`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Seconds members wait between replies (0: no slow mode).
    pub slow_mode_seconds: i64,
    /// In the "Featured analyses" list.
    pub featured: bool,
    /// Handling mark (TLP 2.0): `CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT`
    /// or `RED`.
    #[schema(example = "GREEN")]
    pub mark: String,
    /// Who an `AMBER+STRICT` or `RED` mark admits besides its author.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark_recipients: Option<MarkRecipientsBody>,
}

/// Who a mark admits: countries and groups for `AMBER+STRICT`, members by
/// id for `RED`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct MarkRecipientsBody {
    /// ISO 3166-1 alpha-2 codes.
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub groups: Vec<GroupId>,
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub users: Vec<UserId>,
}

impl From<MarkRecipients> for MarkRecipientsBody {
    fn from(r: MarkRecipients) -> Self {
        MarkRecipientsBody {
            countries: r.countries,
            groups: r.groups,
            users: r.users,
        }
    }
}

impl From<MarkRecipientsBody> for MarkRecipients {
    fn from(r: MarkRecipientsBody) -> Self {
        MarkRecipients {
            countries: r.countries,
            groups: r.groups,
            users: r.users,
        }
    }
}

impl From<ThreadSummary> for ThreadBody {
    fn from(t: ThreadSummary) -> Self {
        ThreadBody {
            id: t.id.into(),
            title: t.title,
            kind: t.kind.to_string(),
            category_id: t.category_id,
            author: t.author.into(),
            jurisdictions: t.jurisdictions,
            locked: t.locked,
            pinned: t.pinned,
            post_count: t.post_count,
            created_at: rfc3339(t.created_at),
            last_post_at: rfc3339(t.last_post_at),
            language: t.language,
            summary: t.summary,
            slow_mode_seconds: t.slow_mode_seconds,
            featured: t.featured,
            mark: t.mark.as_str().to_owned(),
            mark_recipients: t.mark_recipients.map(Into::into),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadList {
    pub threads: Vec<ThreadBody>,
    /// The next page's number (absent when this page came by cursor).
    pub next_page: Option<i64>,
    /// Pass as `before` for the next page: the same cost at any depth.
    pub next_before: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct ThreadQuery {
    pub category: Option<i64>,
    pub jurisdiction: Option<String>,
    pub kind: Option<String>,
    /// Content language (ISO 639-1) of the opening post.
    pub language: Option<String>,
    /// Analyses filed under this crime area.
    pub crime_area: Option<String>,
    /// Analyses citing this instrument (`untoc`) or article (`untoc:5`).
    pub instrument: Option<String>,
    pub page: Option<i64>,
    /// The `next_before` of the previous page (instead of `page`).
    pub before: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewThreadRequest {
    #[schema(value_type = i64)]
    pub category_id: CategoryId,
    pub title: String,
    pub body: String,
    pub kind: String,
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    /// ISO 639-1 language of the body; detected when absent.
    pub language: Option<String>,
    /// The structured record; required when `kind` is `analysis`, refused
    /// otherwise.
    pub analysis: Option<AnalysisRequest>,
    /// Uploads of yours (`POST /api/v1/attachments`) to attach.
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub attachments: Vec<AttachmentId>,
    /// Handling mark: `CLEAR`, `GREEN` (default), `AMBER`, `AMBER+STRICT`
    /// or `RED`.
    pub mark: Option<String>,
    /// Required for `AMBER+STRICT` (countries, groups) and `RED` (users, groups).
    pub mark_recipients: Option<MarkRecipientsBody>,
    /// Post despite suspected personal data (`personal_data_suspected`):
    /// the reason is kept in a case for the moderators.
    pub acknowledge_personal_data: Option<AcknowledgeBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewThreadResponse {
    #[schema(value_type = i64)]
    pub first_post_id: PostId,
    #[serde(flatten)]
    pub thread: ThreadBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostBody {
    pub id: i64,
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    pub author: AuthorBody,
    pub body: String,
    pub body_html: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub reply_to: Option<PostId>,
    pub revision: i64,
    /// ISO 639-1 language of the body, declared or detected (`und`).
    pub language: String,
    /// Hidden by a moderator (only moderators see hidden posts).
    pub hidden: bool,
    /// The files on its current revision.
    pub attachments: Vec<AttachmentBody>,
    /// Handling mark: its own when stricter than its thread's, else its
    /// thread's.
    #[schema(example = "GREEN")]
    pub mark: String,
    /// Who the post's own `AMBER+STRICT` or `RED` mark admits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark_recipients: Option<MarkRecipientsBody>,
}

/// A file attached to a post (or uploaded, waiting to be used).
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentBody {
    #[schema(value_type = i64)]
    pub id: AttachmentId,
    pub name: String,
    pub size: i64,
    pub media_type: String,
    pub sha256: String,
    /// Where to fetch it: `/files/{id}/{name}`.
    pub url: String,
    /// Pages of text read from it, once read.
    pub pages: Option<i64>,
    /// The language of its text, once read.
    pub language: Option<String>,
    /// `pending`, `done`, `failed` or `none` (no text to read).
    pub extraction: String,
    /// Why the text could not be read, when `extraction` is `failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extraction_error: Option<String>,
    /// Hidden by a moderator (only moderators see hidden files).
    pub hidden: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_reason: Option<String>,
}

impl From<forum_core::views::AttachmentView> for AttachmentBody {
    fn from(a: forum_core::views::AttachmentView) -> Self {
        AttachmentBody {
            url: views::file_url(a.id, &a.name),
            id: a.id,
            name: a.name,
            size: a.size,
            media_type: a.media_type.as_str().to_owned(),
            sha256: a.sha256,
            pages: a.pages,
            language: a.language,
            extraction: a.extraction.as_str().to_owned(),
            extraction_error: a.extraction_error,
            hidden: a.hidden,
            hidden_reason: a.hidden_reason,
        }
    }
}

impl From<PostView> for PostBody {
    fn from(p: PostView) -> Self {
        PostBody {
            id: p.id.into(),
            thread_id: p.thread_id,
            author: p.author.into(),
            body: p.body,
            body_html: p.body_html.into_string(),
            created_at: rfc3339(p.created_at),
            edited_at: p.edited_at.map(rfc3339),
            reply_to: p.reply_to,
            revision: p.revision,
            language: p.language,
            hidden: p.hidden,
            mark: p.mark.as_str().to_owned(),
            mark_recipients: p.mark_recipients.map(Into::into),
            attachments: p
                .attachments
                .into_iter()
                .map(AttachmentBody::from)
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadWithPosts {
    pub thread: ThreadDetail,
    pub posts: Vec<PostBody>,
}

/// A thread with its analysis record and the threads citing it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadDetail {
    #[serde(flatten)]
    pub thread: ThreadBody,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub analysis: Option<AnalysisView>,
    /// Threads you may see that cite this one.
    pub cited_by: Vec<ThreadRefBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadRefBody {
    pub id: i64,
    pub title: String,
    pub kind: String,
}

impl From<ThreadRef> for ThreadRefBody {
    fn from(t: ThreadRef) -> Self {
        ThreadRefBody {
            id: t.id.into(),
            title: t.title,
            kind: t.kind.to_string(),
        }
    }
}

/// An analysis record, as sent.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AnalysisRequest {
    pub summary: String,
    /// ISO 639-1.
    pub language: String,
    /// Instrument ids (`untoc`) or articles (`untoc:5`).
    #[serde(default)]
    pub instruments: Vec<String>,
    /// `counterfeiting | piracy | illicit_tobacco | illicit_alcohol |
    /// falsified_medicines | illicit_pesticides | wildlife | smuggling |
    /// money_laundering | other`.
    #[serde(default)]
    pub crime_areas: Vec<String>,
    #[serde(default)]
    pub case_citations: Vec<CaseCitationRequest>,
    #[serde(default)]
    pub legal_provisions: Vec<LegalProvisionRequest>,
    /// `YYYY-MM-DD`.
    pub valid_as_of: Option<String>,
    /// `YYYY-MM-DD`.
    pub review_by: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CaseCitationRequest {
    pub court: String,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub reference: String,
    /// `ECLI:<country>:<court>:<year>:<number>`, when there is one.
    pub ecli: Option<String>,
    pub jurisdiction: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct LegalProvisionRequest {
    pub jurisdiction: String,
    pub text: String,
}

impl From<AnalysisRequest> for AnalysisInput {
    fn from(a: AnalysisRequest) -> Self {
        AnalysisInput {
            summary: a.summary,
            language: a.language,
            instruments: a.instruments,
            crime_areas: a.crime_areas,
            case_citations: a
                .case_citations
                .into_iter()
                .map(|c| CaseCitationInput {
                    court: c.court,
                    date: c.date,
                    reference: c.reference,
                    ecli: c.ecli,
                    jurisdiction: c.jurisdiction,
                })
                .collect(),
            legal_provisions: a
                .legal_provisions
                .into_iter()
                .map(|p| LegalProvisionInput {
                    jurisdiction: p.jurisdiction,
                    text: p.text,
                })
                .collect(),
            valid_as_of: a.valid_as_of,
            review_by: a.review_by,
        }
    }
}

/// Changes to a thread (its author or a moderator); absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateThreadRequest {
    pub title: Option<String>,
    pub jurisdictions: Option<Vec<String>>,
    pub analysis: Option<AnalysisRequest>,
    /// A new handling mark: any by the author; moderators may only tighten.
    pub mark: Option<String>,
    /// Who an `AMBER+STRICT` or `RED` mark admits.
    pub mark_recipients: Option<MarkRecipientsBody>,
    /// Post despite suspected personal data (`personal_data_suspected`):
    /// the reason is kept in a case for the moderators.
    pub acknowledge_personal_data: Option<AcknowledgeBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JurisdictionBody {
    pub code: String,
    /// English name.
    pub name: String,
    /// `country` or `region`.
    pub kind: &'static str,
    /// `iso-3166`, `un-m49` or `organisation`.
    pub family: String,
    /// For a country, the regions it belongs to; for a region, the M49
    /// regions containing it.
    pub parents: Vec<String>,
    /// A region's member countries.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    pub names: LocalNames,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LocalNames {
    pub en: String,
    pub fr: String,
    pub es: String,
    pub ar: String,
}

impl From<&forum_core::domain::jurisdictions::Jurisdiction> for JurisdictionBody {
    fn from(j: &forum_core::domain::jurisdictions::Jurisdiction) -> Self {
        JurisdictionBody {
            code: j.code.clone(),
            name: j.name_en.clone(),
            kind: j.kind().as_str(),
            family: j.family.clone(),
            parents: j.parents.clone(),
            members: j.members.clone(),
            names: LocalNames {
                en: j.name_en.clone(),
                fr: j.name_fr.clone(),
                es: j.name_es.clone(),
                ar: j.name_ar.clone(),
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InstrumentBody {
    pub id: String,
    pub short_name: String,
    pub title: String,
    pub year: i32,
    /// When its last amendment entered into force.
    pub amended: Option<String>,
    pub articles: Vec<ArticleBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleBody {
    pub number: String,
    /// `untoc:5`.
    pub key: String,
    pub title: String,
}

impl From<&forum_core::domain::instruments::Instrument> for InstrumentBody {
    fn from(i: &forum_core::domain::instruments::Instrument) -> Self {
        InstrumentBody {
            id: i.id.clone(),
            short_name: i.short_name.clone(),
            title: i.title.clone(),
            year: i.year,
            amended: i.amended.map(|d| d.to_string()),
            articles: i
                .articles
                .iter()
                .map(|a| ArticleBody {
                    number: a.number.clone(),
                    key: format!("{}:{}", i.id, a.number),
                    title: a.title.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema, utoipa::IntoParams)]
pub struct CompareQueryParams {
    /// `fctc-protocol` or `untoc:5`.
    pub instrument: Option<String>,
    pub crime_area: Option<String>,
    /// Comma-separated codes: `FR,ES,MA`.
    pub jurisdictions: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompareBody {
    pub columns: Vec<CompareColumnBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompareColumnBody {
    pub jurisdiction: String,
    /// Empty: a gap — nobody has written an analysis for this jurisdiction.
    pub analyses: Vec<CompareCell>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompareCell {
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    pub title: String,
    pub summary: Option<String>,
    pub jurisdictions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EndorseRequest {
    /// Your own country, covered by the analysis.
    pub jurisdiction: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewItem {
    pub thread: ThreadBody,
    /// `review_by_passed`, `instrument_amended:<id>`.
    pub reasons: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPostRequest {
    pub body: String,
    /// The reply's handling mark: its thread's (the default) or stricter,
    /// never looser (422).
    pub mark: Option<String>,
    /// Who an `AMBER+STRICT` (countries, groups) or `RED` (users, groups) reply
    /// admits besides its author; a reader must also be one of the
    /// thread's.
    pub mark_recipients: Option<MarkRecipientsBody>,
    #[schema(value_type = Option<i64>)]
    pub reply_to: Option<PostId>,
    /// ISO 639-1 language of the body; detected when absent.
    pub language: Option<String>,
    /// Uploads of yours (`POST /api/v1/attachments`) to attach.
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub attachments: Vec<AttachmentId>,
    /// Post despite suspected personal data (`personal_data_suspected`):
    /// the reason is kept in a case for the moderators.
    pub acknowledge_personal_data: Option<AcknowledgeBody>,
}

/// Why the author posts despite suspected personal data.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AcknowledgeBody {
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EditPostRequest {
    pub body: String,
    pub edit_reason: Option<String>,
    /// A new handling mark for the post, never looser than its thread's:
    /// any by the author, only a stricter one by moderators. Absent: as it
    /// is.
    pub mark: Option<String>,
    /// Who an `AMBER+STRICT` or `RED` mark admits.
    pub mark_recipients: Option<MarkRecipientsBody>,
    /// ISO 639-1 language of the new body; detected when absent.
    pub language: Option<String>,
    /// The files of the new revision: those kept and new uploads of yours;
    /// absent leaves them as they are.
    #[schema(value_type = Option<Vec<i64>>)]
    pub attachments: Option<Vec<AttachmentId>>,
    /// Post despite suspected personal data (`personal_data_suspected`):
    /// the reason is kept in a case for the moderators.
    pub acknowledge_personal_data: Option<AcknowledgeBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionBody {
    pub revision: i64,
    pub body: String,
    pub edited_by: AuthorBody,
    pub edited_at: String,
    pub reason: Option<String>,
    /// Files this revision removed from the post (shown to moderators
    /// only; empty for members).
    pub removed_attachments: Vec<AttachmentBody>,
}

impl From<RevisionView> for RevisionBody {
    fn from(r: RevisionView) -> Self {
        RevisionBody {
            revision: r.revision,
            body: r.body,
            edited_by: r.edited_by.into(),
            edited_at: rfc3339(r.edited_at),
            reason: r.reason,
            removed_attachments: r
                .removed_attachments
                .into_iter()
                .map(AttachmentBody::from)
                .collect(),
        }
    }
}
