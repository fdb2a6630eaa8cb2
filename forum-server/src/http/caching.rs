//! What HTTP does for speed: `Cache-Control` on every dynamic response,
//! gzip for HTML and JSON over 1 KiB, and the `If-None-Match` check
//! handlers with an `ETag` use.
//!
//! * Dynamic responses without their own `Cache-Control` get
//!   `private, no-cache`: a browser may keep a member's page but must ask
//!   before showing it again (an `ETag` makes that a `304`), and no shared
//!   cache stores it.
//! * Compression is skipped for responses marked `no-store` — the pages
//!   that show a secret once (invitation and reset links, second-factor
//!   secrets and recovery codes) — so that no secret shares a compressed
//!   body with text a visitor controls (BREACH).

use std::io::Write;

use actix_web::HttpRequest;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, EntityTag, HeaderValue};
use actix_web::middleware::Next;

/// Smaller bodies are sent as they are: gzip would save little.
const MIN_GZIP_BYTES: usize = 1024;

/// Whether the request's `If-None-Match` names `etag` (or `*`).
pub fn none_match(req: &HttpRequest, etag: &EntityTag) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|candidate| {
            candidate == "*"
                || candidate
                    .parse::<EntityTag>()
                    .is_ok_and(|tag| tag.weak_eq(etag))
        })
}

/// Whether `Accept-Encoding` allows gzip (a `q=0` refuses it).
fn accepts_gzip(req: &ServiceRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

fn is_text(res: &actix_web::HttpResponse<BoxBody>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"))
}

fn has_no_store(res: &actix_web::HttpResponse<BoxBody>) -> bool {
    res.headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"))
}

/// Adds `Cache-Control` where a handler set none, and gzips large HTML and
/// JSON bodies for clients that accept it.
pub async fn finish_response(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let gzip = accepts_gzip(&req);
    let res = next.call(req).await?.map_into_boxed_body();
    let (req, mut res) = res.into_parts();
    if !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
    if !is_text(&res) || has_no_store(&res) || res.headers().contains_key(header::CONTENT_ENCODING)
    {
        return Ok(ServiceResponse::new(req, res));
    }
    res.headers_mut()
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    if !gzip || !res.status().is_success() {
        return Ok(ServiceResponse::new(req, res));
    }
    let (mut res, body) = res.into_parts();
    let body = match body.try_into_bytes() {
        Ok(bytes) if bytes.len() >= MIN_GZIP_BYTES => {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(bytes.len() / 4),
                flate2::Compression::fast(),
            );
            match encoder.write_all(&bytes).and_then(|()| encoder.finish()) {
                Ok(compressed) => {
                    res.headers_mut()
                        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                    BoxBody::new(compressed)
                }
                Err(_) => BoxBody::new(bytes),
            }
        }
        Ok(bytes) => BoxBody::new(bytes),
        Err(body) => body,
    };
    Ok(ServiceResponse::new(req, res.set_body(body)))
}

/// Serialised bodies and rendered fragments by the tag of what they show
/// (a thread copy's tag for one kind of reader, a list page's version in
/// one language): the same bytes are sent again without building them. A
/// tag names one immutable view, so an entry is never stale, only unused;
/// past [`Rendered::BUDGET`] bytes the cache starts again empty.
pub struct Rendered<V = actix_web::web::Bytes> {
    entries: std::sync::Mutex<(std::collections::HashMap<String, V>, usize)>,
}

/// What a [`Rendered`] entry weighs against the budget.
pub trait Weight {
    fn weight(&self) -> usize;
}

impl Weight for actix_web::web::Bytes {
    fn weight(&self) -> usize {
        self.len()
    }
}

impl Weight for views::Fragment {
    fn weight(&self) -> usize {
        self.len()
    }
}

impl<V> Default for Rendered<V> {
    fn default() -> Self {
        Rendered {
            entries: std::sync::Mutex::default(),
        }
    }
}

impl<V: Weight + Clone> Rendered<V> {
    const BUDGET: usize = 32 << 20;

    pub fn get(&self, tag: &str) -> Option<V> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .0
            .get(tag)
            .cloned()
    }

    /// Keeps `body` under `tag` and gives it back.
    pub fn put(&self, tag: String, body: V) -> V {
        let mut guard = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (entries, total) = &mut *guard;
        if *total + body.weight() > Self::BUDGET {
            entries.clear();
            *total = 0;
        }
        *total += body.weight();
        entries.insert(tag, body.clone());
        body
    }

    /// The entry under `tag`, made by `make` when there is none.
    pub fn get_or_put<E>(&self, tag: String, make: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        match self.get(&tag) {
            Some(found) => Ok(found),
            None => Ok(self.put(tag, make()?)),
        }
    }
}
