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
//! * A page kept as rendered ([`RenderedPages`], [`kept_response`]) is
//!   sent as its parts, not copied into one buffer. For a client that
//!   takes gzip ([`takes_gzip`]) each part is compressed once and its
//!   compressed bytes are reused by every page that prints it
//!   ([`gzip_spliced`]).

use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, EntityTag, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use views::Fragment;

/// Smaller bodies are sent as they are: gzip would save little.
const MIN_GZIP_BYTES: usize = 1024;

tokio::task_local! {
    /// Whether the client of the request being handled takes gzip.
    static TAKES_GZIP: bool;
}

/// Whether the request being handled takes gzip ([`finish_response`]
/// compresses its answer if large enough).
pub fn takes_gzip() -> bool {
    TAKES_GZIP.try_with(|gzip| *gzip).unwrap_or(false)
}

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

/// Adds the security headers ([`super::add_security_headers`]) and
/// `Cache-Control` where a handler set none, and gzips large HTML and JSON
/// bodies for clients that accept it.
pub async fn finish_response(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let gzip = accepts_gzip(&req);
    let res = TAKES_GZIP
        .scope(gzip, next.call(req))
        .await?
        .map_into_boxed_body();
    let (req, mut res) = res.into_parts();
    super::add_security_headers(res.headers_mut());
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
    let spliced = res.extensions().get::<Spliced>().cloned();
    let (mut res, body) = res.into_parts();
    if let Some(spliced) = spliced.filter(|s| s.size >= MIN_GZIP_BYTES as u64) {
        res.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        let compressed = gzip_spliced(&spliced.pieces);
        return Ok(ServiceResponse::new(
            req,
            res.set_body(BoxBody::new(compressed)),
        ));
    }
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

/// A page's parts, in the response's extensions for [`finish_response`].
#[derive(Clone)]
struct Spliced {
    pieces: Arc<[Fragment]>,
    size: u64,
}

/// The body of a [`kept_response`]: its parts one after another.
struct SplicedBody {
    spliced: Spliced,
    next: usize,
}

impl MessageBody for SplicedBody {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.spliced.size)
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let Some(piece) = self.spliced.pieces.get(self.next) else {
            return Poll::Ready(None);
        };
        let bytes = Bytes::from_owner(piece.clone());
        self.next += 1;
        Poll::Ready(Some(Ok(bytes)))
    }
}

/// An HTML page made of kept `parts` ([`RenderedPages`]): sent as they
/// are kept, not copied into one buffer, and for a client that takes
/// gzip, compressed from each part's compressed form, made once.
pub fn kept_response(status: StatusCode, parts: &Arc<[Fragment]>) -> HttpResponse {
    let size = parts.iter().map(|p| p.len() as u64).sum();
    let spliced = Spliced {
        pieces: parts.clone(),
        size,
    };
    let mut res = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(SplicedBody {
            spliced: spliced.clone(),
            next: 0,
        });
    res.extensions_mut().insert(spliced);
    res
}

/// Part of a gzip member: raw deflate ending on a byte boundary with the
/// stream left open (a sync flush), and the CRC-32 of its text.
struct Deflated {
    bytes: Vec<u8>,
    crc: crc32fast::Hasher,
}

thread_local! {
    /// This worker's compressor for [`Deflated::of`]: making one sets up
    /// its tables (hundreds of kilobytes, a tenth of a gzipped thread
    /// page's cost when made for each part), a reset only clears them.
    static DEFLATE: std::cell::RefCell<Option<flate2::Compress>> =
        const { std::cell::RefCell::new(None) };
}

impl Deflated {
    fn of(text: &[u8]) -> Deflated {
        let mut bytes = Vec::with_capacity(text.len() / 4 + 64);
        DEFLATE.with(|kept| {
            let mut kept = kept.borrow_mut();
            let compress = kept
                .get_or_insert_with(|| flate2::Compress::new(flate2::Compression::fast(), false));
            compress.reset();
            let mut rest = text;
            loop {
                if bytes.len() == bytes.capacity() {
                    bytes.reserve(bytes.capacity().max(64));
                }
                let before = compress.total_in();
                // Into a `Vec` with room, this fails only on a bug.
                if compress
                    .compress_vec(rest, &mut bytes, flate2::FlushCompress::Sync)
                    .is_err()
                {
                    tracing::error!("deflate failed");
                    break;
                }
                let read = usize::try_from(compress.total_in() - before).unwrap_or(rest.len());
                rest = &rest[read.min(rest.len())..];
                // The flush is complete once it left room in the output.
                if rest.is_empty() && bytes.len() < bytes.capacity() {
                    break;
                }
            }
        });
        let mut crc = crc32fast::Hasher::new();
        crc.update(text);
        Deflated { bytes, crc }
    }
}

/// One gzip member for the whole page. Each part is compressed on its
/// own (it refers to nothing before it) and ends with a sync flush, so the
/// parts' deflate blocks follow one another as one stream (RFC 1951): a
/// kept part is compressed once, the first time a gzipped page prints it.
/// The CRC-32 of the whole is combined from the parts' (RFC 1952).
fn gzip_spliced(pieces: &[Fragment]) -> Vec<u8> {
    let size: usize = pieces.iter().map(Fragment::len).sum();
    let mut out = Vec::with_capacity(size / 4 + 64);
    // ID1 ID2, deflate, no flags, no time, no extra flags, unknown system.
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    let mut crc = crc32fast::Hasher::new();
    for piece in pieces {
        let fresh;
        let deflated = match piece.derived(|text| Deflated::of(text.as_bytes())) {
            Some(kept) => kept,
            None => {
                fresh = Deflated::of(piece.as_ref());
                &fresh
            }
        };
        out.extend_from_slice(&deflated.bytes);
        crc.combine(&deflated.crc);
    }
    // The last block: empty, fixed Huffman codes, marked final.
    out.extend_from_slice(&[0x03, 0x00]);
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out
}

/// Serialised bodies and rendered fragments by the tag of what they show
/// (a thread copy's tag for one kind of reader, a list page's version in
/// one language): the same bytes are sent again without building them. A
/// tag names one immutable view, so an entry is never stale, only unused;
/// past [`Rendered::BUDGET`] bytes the cache starts again empty.
pub struct Rendered<V = actix_web::web::Bytes> {
    entries: std::sync::Mutex<(std::collections::HashMap<String, V>, usize)>,
}

/// Pages rendered before, by everything they show: a page value (its
/// template's fields) equal to one rendered before is sent as it was
/// rendered then, without rendering it again. Rendering is a function of
/// those fields alone, so an equal value is the same page, whoever asks;
/// a value with anything different (a later log position, an unread
/// count, a draft, another copy of the posts) is a different page. An
/// entry weighs its whole page, the fragments it shares included (it
/// keeps them alive); past its budget the cache starts again empty.
pub struct RenderedPages<T> {
    entries: std::sync::Mutex<(RenderedMap<T>, usize)>,
    budget: usize,
}

type RenderedMap<T> = std::collections::HashMap<u64, (T, Arc<[Fragment]>)>;

impl<T> RenderedPages<T> {
    /// Keeps up to `budget` bytes of pages.
    pub fn with_budget(budget: usize) -> Self {
        RenderedPages {
            entries: std::sync::Mutex::default(),
            budget,
        }
    }
}

impl<T: views::Template + std::hash::Hash + Eq> RenderedPages<T> {
    /// `page` as rendered: kept from an equal page, or rendered and kept.
    pub fn render(&self, page: T) -> Result<Arc<[Fragment]>, views::RenderError> {
        use std::hash::BuildHasher;
        let hash = rustc_hash::FxBuildHasher.hash_one(&page);
        let lock = || {
            self.entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some((kept, parts)) = lock().0.get(&hash)
            && *kept == page
        {
            return Ok(parts.clone());
        }
        let parts: Arc<[Fragment]> = views::render_kept(&page)?.into();
        let weight = |parts: &[Fragment]| parts.iter().map(Fragment::len).sum::<usize>();
        let mut guard = lock();
        let (entries, total) = &mut *guard;
        if *total + weight(&parts) > self.budget {
            entries.clear();
            *total = 0;
        }
        *total += weight(&parts);
        if let Some((_, replaced)) = entries.insert(hash, (page, parts.clone())) {
            *total -= weight(&replaced);
        }
        Ok(parts)
    }
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

#[cfg(test)]
mod rendered_pages_tests {
    use super::*;

    #[derive(askama::Template)]
    #[template(source = "<li>{{ text }}</li>", ext = "html")]
    struct Item<'a> {
        text: &'a str,
    }

    #[derive(askama::Template, Hash, PartialEq, Eq)]
    #[template(source = "<h1>{{ title }}</h1><ul>{{ items }}</ul>", ext = "html")]
    struct Page {
        title: String,
        items: Fragment,
    }

    fn text(parts: &[Fragment]) -> String {
        parts.iter().map(Fragment::as_str).collect()
    }

    #[test]
    fn an_equal_page_is_sent_as_rendered_and_any_difference_renders_anew() {
        let pages = RenderedPages::with_budget(1 << 20);
        let items = Fragment::render(&Item { text: "a & b" }).unwrap();
        let page = |title: &str, items: &Fragment| Page {
            title: title.to_owned(),
            items: items.clone(),
        };
        let first = pages.render(page("One", &items)).unwrap();
        assert_eq!(text(&first), "<h1>One</h1><ul><li>a &#38; b</li></ul>");
        // The kept fragment is printed as it is, not copied.
        assert!(first.contains(&items));
        let again = pages.render(page("One", &items)).unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "an equal page is not rendered again"
        );

        let other_title = pages.render(page("Two", &items)).unwrap();
        assert_eq!(
            text(&other_title),
            "<h1>Two</h1><ul><li>a &#38; b</li></ul>"
        );

        // Another copy of the same text is another fragment: a page that
        // prints it is rendered for it, never served from the other.
        let edited = Fragment::render(&Item { text: "a & c" }).unwrap();
        let with_edit = pages.render(page("One", &edited)).unwrap();
        assert_eq!(text(&with_edit), "<h1>One</h1><ul><li>a &#38; c</li></ul>");
        let same_text = Fragment::render(&Item { text: "a & b" }).unwrap();
        let copy = pages.render(page("One", &same_text)).unwrap();
        assert!(!Arc::ptr_eq(&first, &copy));
        assert!(copy.contains(&same_text));
    }

    #[test]
    fn past_its_budget_the_cache_starts_again() {
        let items = Fragment::render(&Item { text: "x" }).unwrap();
        let page = |title: &str| Page {
            title: title.to_owned(),
            items: items.clone(),
        };
        // Each page weighs 30 bytes: two fit in 64, the third empties it.
        let pages = RenderedPages::with_budget(64);
        let first = pages.render(page("01")).unwrap();
        assert_eq!(first.iter().map(Fragment::len).sum::<usize>(), 30);
        pages.render(page("02")).unwrap();
        assert!(Arc::ptr_eq(&first, &pages.render(page("01")).unwrap()));
        pages.render(page("03")).unwrap();
        let after = pages.render(page("01")).unwrap();
        assert!(!Arc::ptr_eq(&first, &after), "the first page was let go");
        assert_eq!(text(&first), text(&after));
        let total = pages.entries.lock().unwrap().1;
        assert!(total <= 64, "{total} bytes kept");
    }
}
