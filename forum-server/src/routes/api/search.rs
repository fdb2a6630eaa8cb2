//! Search: results with facets, title suggestions, related analyses.

use forum_core::{CategoryId, PostId, ThreadId};
use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Member;
use crate::error::ApiError;
use crate::search::{self, SearchRequest};
use crate::startup::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// Words, "quoted phrases", `-exclusions`, `OR`.
    #[serde(default)]
    pub q: String,
    /// A country or region code; a region also matches its members.
    pub jurisdiction: Option<String>,
    /// `untoc` or `untoc:5`.
    pub instrument: Option<String>,
    pub crime_area: Option<String>,
    pub kind: Option<String>,
    /// ISO 639-1.
    pub language: Option<String>,
    pub category: Option<i64>,
    /// A username.
    pub author: Option<String>,
    /// YYYY-MM-DD, inclusive.
    pub from: Option<String>,
    /// YYYY-MM-DD, inclusive.
    pub to: Option<String>,
    /// `relevance` (default) or `newest`.
    pub sort: Option<String>,
    /// 1-based.
    pub page: Option<usize>,
    /// 1–50, default 20.
    pub per_page: Option<usize>,
    /// `any` (default): ranked, every word scored and translated into the
    /// other languages; `all`: every word required, glossary phrases only.
    #[serde(rename = "match")]
    #[param(rename = "match")]
    pub match_mode: Option<String>,
    /// Expansions not to search, comma-separated, as listed in
    /// `expansions`.
    pub exclude_terms: Option<String>,
}

impl SearchParams {
    pub fn request(self) -> SearchRequest {
        SearchRequest {
            q: self.q,
            filters: forum_core::features::index_feed::SearchFilterInput {
                jurisdiction: self.jurisdiction,
                instrument: self.instrument,
                crime_area: self.crime_area,
                kind: self.kind,
                language: self.language,
                category: self.category.map(CategoryId::from),
                author: self.author,
                from: self.from,
                to: self.to,
            },
            sort: self.sort,
            page: self.page,
            per_page: self.per_page,
            match_mode: self.match_mode,
            exclude_terms: self
                .exclude_terms
                .map(|t| {
                    t.split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchBody {
    /// Matching posts the caller may see (all pages).
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<SearchHitBody>,
    pub facets: SearchFacetsBody,
    /// False when more than 10,000 posts match: the facet counts are then
    /// estimates from a sample spread over the index (`total` is exact).
    pub facets_exact: bool,
    /// Terms in other languages the search also looked for; each can be
    /// left out with `exclude_terms`.
    pub expansions: Vec<ExpansionBody>,
    /// A spelling the index knows, when a word matched nothing.
    pub suggestion: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpansionBody {
    pub term: String,
    /// `en`, `fr`, `es` or `ar`.
    pub language: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitBody {
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    #[schema(value_type = i64)]
    pub post_id: PostId,
    pub title: String,
    /// The thread's handling mark (TLP 2.0).
    #[schema(example = "GREEN")]
    pub mark: String,
    /// Escaped text of the post with `<b>` around the matched words.
    pub snippet_html: String,
    pub jurisdictions: Vec<String>,
    pub kind: String,
    pub score: f32,
    pub language: String,
    pub author: String,
    pub created_at: String,
    /// Set when the match is inside one of the post's files: which, and
    /// on what page (the snippet is from that page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_attachment: Option<FoundInBody>,
}

/// "in *judgment.pdf*, p. 3".
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundInBody {
    #[schema(value_type = i64)]
    pub id: forum_core::AttachmentId,
    pub name: String,
    pub page: i64,
    /// The file: `/files/{id}/{name}`.
    pub url: String,
}

/// Counts of the matching posts per value, for the whole result set.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchFacetsBody {
    /// Regions count their members' posts: `EU` is what
    /// `jurisdiction=EU` returns.
    pub jurisdiction: BTreeMap<String, u64>,
    pub instrument: BTreeMap<String, u64>,
    pub crime_area: BTreeMap<String, u64>,
    pub kind: BTreeMap<String, u64>,
    pub language: BTreeMap<String, u64>,
    pub category: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
}

impl From<search_index::FacetTotals> for SearchFacetsBody {
    fn from(f: search_index::FacetTotals) -> Self {
        SearchFacetsBody {
            jurisdiction: f.jurisdiction,
            instrument: f.instrument,
            crime_area: f.crime_area,
            kind: f.kind,
            language: f.language,
            category: f.category,
            year: f.year,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/search", params(SearchParams),
    responses((status = 200, body = SearchBody), (status = 422, body = crate::error::ErrorBody),
              (status = 503, body = crate::error::ErrorBody)))]
pub async fn search(
    state: web::Data<AppState>,
    member: Member,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, ApiError> {
    let request = params.into_inner().request();
    let state = state.into_inner();
    let outcome = crate::http::head::blocking(move || {
        search::find(&state.db, &state.search, &member.0.viewer, &request)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(HttpResponse::Ok().json(SearchBody {
        total: outcome.total,
        page: outcome.page,
        per_page: outcome.per_page,
        hits: outcome
            .hits
            .into_iter()
            .map(|found| SearchHitBody {
                thread_id: found.post.thread_id,
                post_id: found.post.post_id,
                title: found.post.title,
                mark: found.post.mark.as_str().to_owned(),
                snippet_html: found.snippet_html,
                jurisdictions: found.post.jurisdictions,
                kind: found.post.kind.to_string(),
                score: found.score,
                language: found.post.language,
                author: found.post.author_username,
                created_at: forum_core::rfc3339(found.post.created_at),
                in_attachment: found.in_attachment.map(|f| FoundInBody {
                    url: views::file_url(f.attachment_id, &f.name),
                    id: f.attachment_id,
                    name: f.name,
                    page: f.page,
                }),
            })
            .collect(),
        facets: outcome.facets.into(),
        facets_exact: outcome.facets_exact,
        expansions: outcome
            .expansions
            .into_iter()
            .map(|e| ExpansionBody {
                term: e.term,
                language: e.language,
            })
            .collect(),
        suggestion: outcome.suggestion,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SuggestParams {
    /// What the member typed so far.
    #[serde(default)]
    pub q: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionBody {
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    pub title: String,
}

#[utoipa::path(get, path = "/api/v1/search/suggest", params(SuggestParams),
    responses((status = 200, body = [SuggestionBody]), (status = 503, body = crate::error::ErrorBody)))]
pub async fn suggest(
    state: web::Data<AppState>,
    member: Member,
    params: web::Query<SuggestParams>,
) -> Result<HttpResponse, ApiError> {
    let prefix = params.into_inner().q;
    let state = state.into_inner();
    let titles = crate::http::head::blocking(move || {
        search::suggest(&state.db, &state.search, &member.0.viewer, &prefix)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(HttpResponse::Ok().json(
        titles
            .into_iter()
            .map(|(thread_id, title)| SuggestionBody { thread_id, title })
            .collect::<Vec<_>>(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedBody {
    #[schema(value_type = i64)]
    pub thread_id: ThreadId,
    pub title: String,
    pub jurisdictions: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/threads/{id}/related",
    params(("id" = i64, Path, description = "the numeric id in the path")),
    responses((status = 200, body = [RelatedBody]), (status = 404, body = crate::error::ErrorBody),
              (status = 503, body = crate::error::ErrorBody)))]
pub async fn related(
    state: web::Data<AppState>,
    member: Member,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, ApiError> {
    let thread_id = path.into_inner();
    let viewer = member.0.viewer.clone();
    // 404 unless the caller may see the thread.
    state
        .run(move |db| db.visible_thread_category(&viewer, thread_id))
        .await?;
    let state = state.into_inner();
    let related = crate::http::head::blocking(move || {
        search::related(&state.db, &state.search, &member.0.viewer, thread_id, 5)
    })
    .await
    .map_err(ApiError::internal)??;
    Ok(HttpResponse::Ok().json(
        related
            .into_iter()
            .map(|hit| RelatedBody {
                thread_id: hit.thread_id,
                title: hit.title,
                jurisdictions: hit.jurisdictions,
            })
            .collect::<Vec<_>>(),
    ))
}
