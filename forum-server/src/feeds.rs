//! Atom feeds (RFC 4287) of a category, a jurisdiction (its regions
//! expanded) or an instrument, for feed readers that cannot sign in: the
//! link carries a secret token, `{member}-{generation}-{mac}`, the MAC an
//! HMAC-SHA256 of the member and their feed generation under a key derived
//! from the server's secret. Nothing is stored but the generation; revoking
//! (Settings) moves it on and every link of the member's dies. A feed is
//! built for the member the token names, through the same access rule as
//! every other read ([`forum_core::Db::viewer_for_feed`], then the thread
//! list). `ETag` and `Last-Modified` let readers ask cheaply.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use atom_syndication::{Entry, Feed, Link, Person, Text};
use forum_core::features::forum::ThreadFilter;
use forum_core::views::ThreadSummary;
use forum_core::{UserId, Viewer};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::startup::AppState;

/// The key feed tokens are derived with.
#[derive(Clone)]
pub struct FeedKey {
    /// The HMAC keyed once (cloned for each token).
    keyed: Hmac<Sha256>,
    /// Tokens already issued, by member and generation (a token never
    /// changes: revoking one moves to the next generation).
    issued: std::sync::Arc<std::sync::RwLock<std::collections::HashMap<(UserId, i64), String>>>,
}

/// Tokens kept at most; past it the memo starts again empty.
const ISSUED_KEPT: usize = 65_536;

impl std::fmt::Debug for FeedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FeedKey(..)")
    }
}

impl FeedKey {
    /// A key of its own for feeds, from the server's signing secret.
    pub fn derive(secret: &[u8]) -> FeedKey {
        let mut hash = Sha256::new();
        hash.update(b"comity feed tokens\0");
        hash.update(secret);
        let key: [u8; 32] = hash.finalize().into();
        FeedKey {
            keyed: Hmac::<Sha256>::new_from_slice(&key).expect("any key length"),
            issued: std::sync::Arc::default(),
        }
    }

    fn mac(&self, user: UserId, generation: i64) -> Hmac<Sha256> {
        let mut mac = self.keyed.clone();
        mac.update(format!("{user}:{generation}").as_bytes());
        mac
    }

    /// `viewer`'s current feed token.
    pub fn token(&self, viewer: &Viewer) -> String {
        let at = (viewer.id, viewer.feed_generation);
        if let Some(token) = self
            .issued
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&at)
        {
            return token.clone();
        }
        let tag = self.mac(viewer.id, viewer.feed_generation).finalize();
        let token = format!(
            "{}-{}-{}",
            viewer.id,
            viewer.feed_generation,
            hex::encode(tag.into_bytes())
        );
        let mut issued = self
            .issued
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if issued.len() >= ISSUED_KEPT {
            issued.clear();
        }
        issued.insert(at, token.clone());
        token
    }

    /// The member and generation a well-formed token with a valid MAC
    /// names (the MAC compared in constant time).
    pub fn check(&self, token: &str) -> Option<(UserId, i64)> {
        let mut parts = token.splitn(3, '-');
        let user: i64 = parts.next()?.parse().ok()?;
        let generation: i64 = parts.next()?.parse().ok()?;
        let tag = hex::decode(parts.next()?).ok()?;
        let user = UserId::from(user);
        self.mac(user, generation).verify_slice(&tag).ok()?;
        Some((user, generation))
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    let mut feeds = crate::routes::grouped::Grouped::default();
    feeds
        .route(
            "/feeds/{token}/category/{slug}.atom",
            web::get().to(category),
        )
        .route(
            "/feeds/{token}/jurisdiction/{code}.atom",
            web::get().to(jurisdiction),
        )
        .route(
            "/feeds/{token}/instrument/{id}.atom",
            web::get().to(instrument),
        )
        .route("/feeds/{token}/search.atom", web::get().to(saved_search));
    feeds.register(cfg);
}

/// A saved search as a feed: the search page's parameters (`q`,
/// `jurisdiction`, `instrument`, `kind`, …) in the feed's address, the
/// newest matching posts first, through the same search and the same
/// access rule as `GET /api/v1/search` for the feed's member.
async fn saved_search(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    params: web::Query<crate::routes::api::search::SearchParams>,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    let Some((user, generation)) = state.feed_key.check(&token) else {
        return Err(forum_core::CoreError::NotFound.into());
    };
    let mut params = params.into_inner();
    params.sort.get_or_insert_with(|| "newest".to_owned());
    params.per_page.get_or_insert(50);
    let title = if params.q.trim().is_empty() {
        "search".to_owned()
    } else {
        format!("search: {}", params.q.trim())
    };
    let request = params.request();
    let app = state.clone().into_inner();
    let outcome = crate::http::head::blocking(move || {
        let viewer = app
            .db
            .viewer_for_feed(user, generation)?
            .ok_or(forum_core::CoreError::NotFound)?;
        crate::search::find(&app.db, &app.search, &viewer, &request)
    })
    .await
    .map_err(ApiError::internal)??;
    let base = state.links.base().trim_end_matches('/').to_owned();
    let at = |t: chrono::NaiveDateTime| t.and_utc().fixed_offset();
    let updated = outcome
        .hits
        .iter()
        .map(|h| h.post.created_at)
        .max()
        .unwrap_or_default();
    let mut fingerprint = String::new();
    let entries: Vec<Entry> = outcome
        .hits
        .iter()
        .map(|h| {
            let p = &h.post;
            fingerprint.push_str(&format!("{}:{};", p.post_id, p.created_at));
            let url = format!("{base}/t/{}#post-{}", p.thread_id, p.post_id);
            Entry {
                id: url.clone(),
                title: Text::plain(p.title.clone()),
                updated: at(p.created_at),
                published: Some(at(p.created_at)),
                authors: vec![Person {
                    name: p.author_display_name.clone(),
                    ..Person::default()
                }],
                links: vec![Link {
                    href: url,
                    rel: "alternate".to_owned(),
                    ..Link::default()
                }],
                summary: Some(Text::html(format!(
                    "{} · {} · TLP:{}",
                    h.snippet_html,
                    p.jurisdictions.join(", "),
                    p.mark.as_str()
                ))),
                categories: p
                    .jurisdictions
                    .iter()
                    .map(|j| atom_syndication::Category {
                        term: j.clone(),
                        ..atom_syndication::Category::default()
                    })
                    .collect(),
                ..Entry::default()
            }
        })
        .collect();
    let self_url = format!(
        "{base}{}{}",
        req.path(),
        req.uri()
            .query()
            .map(|q| format!("?{q}"))
            .unwrap_or_default()
    );
    Ok(respond(
        &req,
        &base,
        &self_url,
        &title,
        updated,
        &fingerprint,
        entries,
    ))
}

/// What a feed is of.
enum Subject {
    Category(String),
    Jurisdiction(String),
    Instrument(String),
}

async fn category(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (token, slug) = path.into_inner();
    feed(state, req, token, Subject::Category(slug)).await
}

async fn jurisdiction(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (token, code) = path.into_inner();
    feed(state, req, token, Subject::Jurisdiction(code)).await
}

async fn instrument(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (token, id) = path.into_inner();
    feed(state, req, token, Subject::Instrument(id)).await
}

async fn feed(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: String,
    subject: Subject,
) -> Result<HttpResponse, ApiError> {
    // A bad or revoked token is a feed that does not exist.
    let Some((user, generation)) = state.feed_key.check(&token) else {
        return Err(forum_core::CoreError::NotFound.into());
    };
    let (title, threads) = state
        .run(move |db| {
            let viewer = db
                .viewer_for_feed(user, generation)?
                .ok_or(forum_core::CoreError::NotFound)?;
            let mut filter = ThreadFilter {
                page: 1,
                ..ThreadFilter::default()
            };
            let title = match &subject {
                Subject::Category(slug) => {
                    let category = db.category_by_slug(&viewer, slug)?;
                    filter.category_id = Some(category.id);
                    category.name
                }
                Subject::Jurisdiction(code) => {
                    let code = code.to_ascii_uppercase();
                    let known = forum_core::domain::jurisdictions::get(&code)
                        .ok_or(forum_core::CoreError::NotFound)?;
                    filter.jurisdiction = Some(code);
                    known.name_en.clone()
                }
                Subject::Instrument(id) => {
                    let known = forum_core::domain::instruments::get(id)
                        .ok_or(forum_core::CoreError::NotFound)?;
                    filter.instrument = Some(id.clone());
                    known.short_name.clone()
                }
            };
            let (mut threads, _) = db.threads(&viewer, &filter)?;
            threads.sort_by_key(|t| std::cmp::Reverse(t.last_post_at));
            Ok((title, threads))
        })
        .await?;
    let updated = threads
        .iter()
        .map(|t| t.last_post_at)
        .max()
        .unwrap_or_default();
    let fingerprint: String = threads
        .iter()
        .map(|t| format!("{}:{}:{};", t.id, t.last_post_at, t.title))
        .collect();
    let base = state.links.base().trim_end_matches('/').to_owned();
    let self_url = format!("{base}{}", req.path());
    let entries = thread_entries(&base, &threads);
    Ok(respond(
        &req,
        &base,
        &self_url,
        &title,
        updated,
        &fingerprint,
        entries,
    ))
}

/// The feed, or `304` for a reader that has it (`ETag` from `fingerprint`,
/// `Last-Modified` from `updated`).
fn respond(
    req: &HttpRequest,
    base: &str,
    self_url: &str,
    title: &str,
    updated: chrono::NaiveDateTime,
    fingerprint: &str,
    entries: Vec<Entry>,
) -> HttpResponse {
    let etag = format!(
        "\"{}\"",
        &hex::encode(Sha256::digest(fingerprint.as_bytes()))[..32]
    );
    let last_modified = updated
        .and_utc()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let unchanged = match req.headers().get(header::IF_NONE_MATCH) {
        Some(tags) => tags
            .to_str()
            .is_ok_and(|t| t.split(',').any(|tag| tag.trim() == etag)),
        None => req
            .headers()
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
            .is_some_and(|since| updated.and_utc().timestamp() <= since.timestamp()),
    };
    if unchanged {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::LAST_MODIFIED, last_modified))
            .finish();
    }
    let body = atom(base, self_url, title, updated, entries);
    HttpResponse::Ok()
        .content_type("application/atom+xml; charset=utf-8")
        .insert_header((header::ETAG, etag))
        .insert_header((header::LAST_MODIFIED, last_modified))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(body)
}

/// The Atom document.
fn atom(
    base: &str,
    self_url: &str,
    title: &str,
    updated: chrono::NaiveDateTime,
    entries: Vec<Entry>,
) -> String {
    let at = |t: chrono::NaiveDateTime| t.and_utc().fixed_offset();
    let link = |href: String, rel: &str| Link {
        href,
        rel: rel.to_owned(),
        ..Link::default()
    };
    let feed = Feed {
        id: self_url.to_owned(),
        title: Text::plain(format!("Comity — {title}")),
        updated: at(updated),
        links: vec![
            link(self_url.to_owned(), "self"),
            link(base.to_owned(), "alternate"),
        ],
        generator: Some(atom_syndication::Generator {
            value: "Comity".to_owned(),
            ..atom_syndication::Generator::default()
        }),
        entries,
        ..Feed::default()
    };
    feed.to_string()
}

/// One entry per thread, newest activity first.
fn thread_entries(base: &str, threads: &[ThreadSummary]) -> Vec<Entry> {
    let at = |t: chrono::NaiveDateTime| t.and_utc().fixed_offset();
    let link = |href: String, rel: &str| Link {
        href,
        rel: rel.to_owned(),
        ..Link::default()
    };
    threads
        .iter()
        .map(|t| {
            let url = format!("{base}/t/{}", t.id);
            let mut summary = format!(
                "{} · {} · TLP:{}",
                t.category_name,
                t.jurisdictions.join(", "),
                t.mark
            );
            if let Some(s) = &t.summary {
                summary = format!("{s}\n\n{summary}");
            }
            Entry {
                id: url.clone(),
                title: Text::plain(t.title.clone()),
                updated: at(t.last_post_at),
                published: Some(at(t.created_at)),
                authors: vec![Person {
                    name: t.author.display_name.clone(),
                    ..Person::default()
                }],
                links: vec![link(url, "alternate")],
                summary: Some(Text::plain(summary)),
                categories: t
                    .jurisdictions
                    .iter()
                    .map(|j| atom_syndication::Category {
                        term: j.clone(),
                        ..atom_syndication::Category::default()
                    })
                    .collect(),
                ..Entry::default()
            }
        })
        .collect()
}
