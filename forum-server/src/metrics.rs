//! Prometheus metrics at `GET /metrics` (the `metrics` facade, rendered by
//! `metrics-exporter-prometheus`): requests and their latency per route,
//! rate-limit refusals, websocket connections and the connections dropped
//! for lagging, the event log's head and how far each follower (hub,
//! indexer, notifier) is behind it, the database pools, the search index's
//! size and commits, e-mails sent and failed. On the main address it is
//! open to loopback clients; anyone else needs `Authorization: Bearer
//! <metrics_token>` (config), and without a token configured gets 403. With
//! `metrics_bind` set it is also served, open, on that address alone.

use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use metrics::{Counter, Histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use rustc_hash::FxHashMap;

use crate::startup::AppState;

/// Latency buckets, seconds.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// How often buffered histogram samples are folded into their buckets.
const UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The process's recorder (one per process: several servers in one test
/// process share it, each scrape renders it whole).
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), BUCKETS)
            .expect("buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was installed already; /metrics shows this one");
        }
        // Histogram samples wait in a buffer until upkeep folds them into
        // their buckets: without it, a server nobody scrapes would keep
        // every request's latency for ever.
        let upkeep = handle.clone();
        let started = std::thread::Builder::new()
            .name("metrics-upkeep".to_owned())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            });
        if let Err(err) = started {
            tracing::warn!(%err, "no metrics upkeep thread: histograms fold only when scraped");
        }
        handle
    })
}

/// Middleware: counts each request and times it, by method, route pattern
/// (never the path itself: ids would make a series each) and status, and
/// logs it (target `comity::http`, level info): method, path (never the
/// query string), status and time, except the probes' and scrapes' paths.
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = method_label(req.method());
    let response = next.call(req).await?;
    let route = response.request().match_pattern();
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    let path = response.request().path();
    if !matches!(path, "/healthz" | "/readyz" | "/metrics") {
        // The method as sent: a log line is one request, not a series.
        tracing::info!(
            target: "comity::http",
            "{} {path} {status} {:.6}ms",
            response.request().method(),
            seconds * 1000.0
        );
    }
    ROUTE_HANDLES.with_borrow_mut(|handles| {
        let key = (method, status, route);
        let (count, time) = match handles.get(&key) {
            Some(found) => found,
            None => {
                let (method, status, route) = key.clone();
                let route = route.unwrap_or_else(|| "unmatched".to_owned());
                let count = metrics::counter!(
                    "comity_http_requests_total",
                    "method" => method,
                    "route" => route.clone(),
                    "status" => status.to_string()
                );
                let time = metrics::histogram!(
                    "comity_http_request_duration_seconds",
                    "method" => method,
                    "route" => route
                );
                handles.entry(key).or_insert((count, time))
            }
        };
        count.increment(1);
        time.record(seconds);
    });
    Ok(response)
}

/// A request's method as a label: the registered methods by name, any
/// other as `OTHER` (a label value per invented method would make a
/// series each).
fn method_label(method: &Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "CONNECT" => "CONNECT",
        "TRACE" => "TRACE",
        _ => "OTHER",
    }
}

/// Method, status and route pattern.
type RouteKey = (&'static str, u16, Option<String>);

thread_local! {
    /// Each worker's handles to its requests' series, so a request updates
    /// them without building and looking up their labelled keys (the
    /// recorder's handles stay valid: it never expires a series). Bounded
    /// by the routes, the methods above and the status codes.
    static ROUTE_HANDLES: RefCell<FxHashMap<RouteKey, (Counter, Histogram)>> =
        RefCell::new(FxHashMap::default());
}

/// Whether `req` may read the metrics: a loopback client, or the token.
fn allowed(state: &AppState, req: &HttpRequest) -> bool {
    if state.limits.client_ip(req).is_loopback() {
        return true;
    }
    let Some(expected) = state.settings.metrics_token.as_deref() else {
        return false;
    };
    let given = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    use subtle::ConstantTimeEq;
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// The bytes under `dir` (the search index's size).
fn size_of(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => size_of(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// `GET /metrics` on the main address: loopback clients or the token.
pub async fn scrape(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    if !allowed(&state, &req) {
        let refusal = crate::error::ApiError::new(
            actix_web::http::StatusCode::FORBIDDEN,
            forum_core::error::ErrorCode::Forbidden,
            "metrics are open to loopback clients or with the metrics token",
        );
        return actix_web::ResponseError::error_response(&refusal);
    }
    render(&state).await
}

/// `GET /metrics` on `metrics_bind`, the operator's own address: open.
pub async fn scrape_on_metrics_bind(state: web::Data<AppState>) -> HttpResponse {
    render(&state).await
}

async fn render(state: &AppState) -> HttpResponse {
    let db = state.db.clone();
    let dir = state.settings.search_dir();
    let positions = crate::http::head::blocking(move || {
        let head = db.last_event_seq()?;
        let notifier = db.notifier_position()?;
        Ok::<_, forum_core::CoreError>((head, notifier, size_of(&dir)))
    })
    .await;
    if let Ok(Ok((head, notifier, index_bytes))) = positions {
        metrics::gauge!("comity_event_log_head").set(head as f64);
        metrics::counter!("comity_log_head_reads_total").absolute(state.db.head_reads());
        for (follower, at) in [
            ("hub", state.hub.head()),
            ("indexer", state.search.indexed_seq()),
            ("notifier", notifier),
        ] {
            metrics::gauge!("comity_follower_lag_events", "follower" => follower)
                .set((head - at).max(0) as f64);
        }
        metrics::gauge!("comity_search_index_bytes").set(index_bytes as f64);
    }
    let live = state.hub.stats();
    metrics::gauge!("comity_websocket_connections").set(live.connections as f64);
    metrics::gauge!("comity_websocket_members").set(live.users as f64);
    let (read, write) = state.db.pool_use();
    for (pool, used) in [("read", read), ("write", write)] {
        metrics::gauge!("comity_db_pool_connections", "pool" => pool)
            .set(f64::from(used.connections));
        metrics::gauge!("comity_db_pool_idle", "pool" => pool).set(f64::from(used.idle));
    }
    metrics::gauge!("comity_search_ready").set(if state.search.index().is_ok() {
        1.0
    } else {
        0.0
    });
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(handle().render())
}
