//! Webhooks: admins register endpoints that receive the forum's events as
//! they happen. Each endpoint follows the event log from where it was
//! registered with a cursor of its own, so delivery is at least once and in
//! order: the cursor moves past an event only when the endpoint answered
//! 2xx (or when the event may not leave the forum). A failure waits, with
//! the wait doubling, and the endpoint is disabled after
//! [`MAX_FAILURES`] failures in a row; every attempt is in its delivery
//! log. Only what an outsider may receive leaves: the one rule
//! [`crate::access::may_leave_the_forum`], asked of every event now, not as
//! it was logged. The server's worker signs and sends; this module decides
//! what is sent and keeps the books. A lease lets one process of several
//! deliver an endpoint's events at a time.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::access::{self, Viewer};
use crate::domain::mark::Mark;
use crate::error::{CoreError, ErrorCode, Result};
use crate::now;
use crate::store::audit::{self, Entry};
use crate::store::db::{Db, DbConnection};
use crate::store::ids::*;
use crate::store::rows::EventRow;
use crate::store::schema::{events, posts, threads, webhook_deliveries, webhooks};

/// Consecutive failures after which an endpoint is disabled, by default.
pub const MAX_FAILURES: i64 = 8;
/// The event kinds an endpoint may ask for: what happens to threads and
/// posts. Nothing about members, sessions or notifications ever leaves.
pub const KINDS: &[&str] = &[
    "thread_created",
    "post_created",
    "post_edited",
    "post_hidden",
    "post_restored",
    "thread_locked",
    "thread_updated",
];
/// Events read from the log per look.
const BATCH: i64 = 200;

/// An endpoint as admins see it (never its secret, after creation).
#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    pub id: WebhookId,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: NaiveDateTime,
    /// The last event it has been given (or that was not for it).
    pub cursor: i64,
    /// Failures in a row (0 after a success).
    pub failures: i64,
    pub next_attempt_at: Option<NaiveDateTime>,
    /// Set when it failed too many times in a row.
    pub disabled_at: Option<NaiveDateTime>,
}

/// One event delivered (or being retried) to an endpoint.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRecord {
    pub seq: i64,
    pub kind: String,
    /// `delivered`, `retrying` or `failed` (the endpoint was disabled).
    pub status: String,
    pub attempts: i64,
    pub response_code: Option<i32>,
    pub error: Option<String>,
    pub first_attempt_at: NaiveDateTime,
    pub last_attempt_at: NaiveDateTime,
}

/// The next event an endpoint is to receive.
#[derive(Debug, Clone)]
pub struct Due {
    pub webhook_id: WebhookId,
    pub url: String,
    pub secret: String,
    pub seq: i64,
    pub kind: String,
    /// The JSON body to send.
    pub body: String,
}

/// seq, kind, status, attempts, code, error, first and last attempt.
type DeliveryRow = (
    i64,
    String,
    String,
    i64,
    Option<i32>,
    Option<String>,
    NaiveDateTime,
    NaiveDateTime,
);

type Row = (
    WebhookId,
    String,
    String,
    NaiveDateTime,
    i64,
    i64,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

fn webhook(row: Row) -> Webhook {
    let (id, url, events, created_at, cursor, failures, next_attempt_at, disabled_at) = row;
    Webhook {
        id,
        url,
        events: events.split(',').map(str::to_owned).collect(),
        created_at,
        cursor,
        failures,
        next_attempt_at,
        disabled_at,
    }
}

fn admins_only(viewer: &Viewer) -> Result<()> {
    access::check_second_factor(viewer)?;
    if !access::can_manage_roles(viewer) {
        return Err(CoreError::forbidden(
            ErrorCode::Forbidden,
            "only admins manage webhooks",
        ));
    }
    Ok(())
}

fn load(conn: &mut DbConnection, id: WebhookId) -> Result<Webhook> {
    webhooks::table
        .find(id)
        .select((
            webhooks::id,
            webhooks::url,
            webhooks::events,
            webhooks::created_at,
            webhooks::cursor_seq,
            webhooks::failures,
            webhooks::next_attempt_at,
            webhooks::disabled_at,
        ))
        .first::<Row>(conn)
        .optional()?
        .map(webhook)
        .ok_or(CoreError::NotFound)
}

/// How an endpoint that fails is retried (the operator's `[webhooks]`).
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// The first wait; each failure in a row doubles it (at most an hour).
    pub base_ms: i64,
    /// Failures in a row after which the endpoint is disabled.
    pub disable_after: i64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base_ms: 5_000,
            disable_after: MAX_FAILURES,
        }
    }
}

/// The wait after `failures` failures in a row: the base, doubled for each
/// failure after the first, at most an hour.
pub fn backoff(failures: i64, base_ms: i64) -> Duration {
    let ms = base_ms
        .max(1)
        .saturating_mul(1i64 << (failures - 1).clamp(0, 30));
    Duration::milliseconds(ms.min(3_600_000))
}

impl Db {
    /// An admin registers an endpoint for `events` (kinds from [`KINDS`]);
    /// it receives what happens from now on, signed with `secret`.
    pub fn create_webhook(
        &self,
        viewer: &Viewer,
        url: &str,
        events: &[String],
        secret: &str,
    ) -> Result<Webhook> {
        admins_only(viewer)?;
        let parsed = url::Url::parse(url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .ok_or_else(|| CoreError::invalid("url", "give the endpoint's http(s) address"))?;
        if url.len() > 2_000 {
            return Err(CoreError::invalid("url", "at most 2,000 characters"));
        }
        let mut kinds: Vec<&str> = Vec::new();
        for kind in events {
            let known = KINDS.iter().find(|k| **k == kind.as_str()).ok_or_else(|| {
                CoreError::invalid(
                    "events",
                    format!("unknown event kind {kind:?}; one of {}", KINDS.join(", ")),
                )
            })?;
            if !kinds.contains(known) {
                kinds.push(known);
            }
        }
        if kinds.is_empty() {
            return Err(CoreError::invalid(
                "events",
                "choose at least one event kind",
            ));
        }
        if secret.len() < 32 {
            return Err(CoreError::Internal(
                "a webhook secret is at least 32 bytes".into(),
            ));
        }
        self.write(|conn| {
            let head: i64 = events::table
                .select(diesel::dsl::max(events::seq))
                .first::<Option<i64>>(conn)?
                .unwrap_or(0);
            let at = now();
            let id: WebhookId = diesel::insert_into(webhooks::table)
                .values((
                    webhooks::url.eq(parsed.as_str()),
                    webhooks::secret.eq(secret),
                    webhooks::events.eq(kinds.join(",")),
                    webhooks::created_by.eq(Some(viewer.id)),
                    webhooks::created_at.eq(at),
                    webhooks::cursor_seq.eq(head),
                    webhooks::failures.eq(0i64),
                ))
                .returning(webhooks::id)
                .get_result(conn)?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "webhook.create",
                    target: format!("webhook:{id}"),
                    reason: "",
                    details: serde_json::json!({"url": parsed.as_str(), "events": kinds}),
                },
            )?;
            load(conn, id)
        })
    }

    /// Every endpoint, newest first.
    pub fn webhooks(&self, viewer: &Viewer) -> Result<Vec<Webhook>> {
        admins_only(viewer)?;
        self.read(|conn| {
            Ok(webhooks::table
                .order(webhooks::id.desc())
                .select((
                    webhooks::id,
                    webhooks::url,
                    webhooks::events,
                    webhooks::created_at,
                    webhooks::cursor_seq,
                    webhooks::failures,
                    webhooks::next_attempt_at,
                    webhooks::disabled_at,
                ))
                .load::<Row>(conn)?
                .into_iter()
                .map(webhook)
                .collect())
        })
    }

    /// Removes an endpoint and its delivery log.
    pub fn delete_webhook(&self, viewer: &Viewer, id: WebhookId) -> Result<()> {
        admins_only(viewer)?;
        self.write(|conn| {
            let hook = load(conn, id)?;
            diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id)))
                .execute(conn)?;
            diesel::delete(webhooks::table.find(id)).execute(conn)?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "webhook.delete",
                    target: format!("webhook:{id}"),
                    reason: "",
                    details: serde_json::json!({"url": hook.url}),
                },
            )?;
            Ok(())
        })
    }

    /// Enables a disabled endpoint again: it resumes with the event it
    /// failed on.
    pub fn enable_webhook(&self, viewer: &Viewer, id: WebhookId) -> Result<Webhook> {
        admins_only(viewer)?;
        self.write(|conn| {
            load(conn, id)?;
            diesel::update(webhooks::table.find(id))
                .set((
                    webhooks::disabled_at.eq(None::<NaiveDateTime>),
                    webhooks::failures.eq(0i64),
                    webhooks::next_attempt_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "webhook.enable",
                    target: format!("webhook:{id}"),
                    reason: "",
                    details: serde_json::json!({}),
                },
            )?;
            load(conn, id)
        })
    }

    /// An endpoint's delivery log, newest first.
    pub fn webhook_deliveries(
        &self,
        viewer: &Viewer,
        id: WebhookId,
        limit: i64,
    ) -> Result<Vec<DeliveryRecord>> {
        admins_only(viewer)?;
        self.read(|conn| {
            load(conn, id)?;
            let rows: Vec<DeliveryRow> = webhook_deliveries::table
                .filter(webhook_deliveries::webhook_id.eq(id))
                .order(webhook_deliveries::seq.desc())
                .limit(limit.clamp(1, 500))
                .select((
                    webhook_deliveries::seq,
                    webhook_deliveries::kind,
                    webhook_deliveries::status,
                    webhook_deliveries::attempts,
                    webhook_deliveries::response_code,
                    webhook_deliveries::error,
                    webhook_deliveries::first_attempt_at,
                    webhook_deliveries::last_attempt_at,
                ))
                .load(conn)?;
            Ok(rows
                .into_iter()
                .map(
                    |(seq, kind, status, attempts, code, error, first, last)| DeliveryRecord {
                        seq,
                        kind,
                        status,
                        attempts,
                        response_code: code,
                        error,
                        first_attempt_at: first,
                        last_attempt_at: last,
                    },
                )
                .collect())
        })
    }

    /// The endpoints that may be given an event now: enabled, not waiting
    /// for a retry, and leased to `owner` (a process of several) for
    /// `lease`. Each returned endpoint is this process's until the lease
    /// ends.
    pub fn claim_webhooks(&self, owner: &str, lease: Duration) -> Result<Vec<WebhookId>> {
        // Most forums have none: look before taking the write lock.
        let any: i64 = self.read(|conn| {
            Ok(webhooks::table
                .filter(webhooks::disabled_at.is_null())
                .count()
                .get_result(conn)?)
        })?;
        if any == 0 {
            return Ok(Vec::new());
        }
        self.write(|conn| {
            let at = now();
            let candidates: Vec<WebhookId> = webhooks::table
                .filter(webhooks::disabled_at.is_null())
                .filter(
                    webhooks::next_attempt_at
                        .is_null()
                        .or(webhooks::next_attempt_at.le(at)),
                )
                .filter(
                    webhooks::lease_until
                        .is_null()
                        .or(webhooks::lease_until.lt(at))
                        .or(webhooks::lease_owner.eq(owner)),
                )
                .select(webhooks::id)
                .load(conn)?;
            if !candidates.is_empty() {
                diesel::update(webhooks::table.filter(webhooks::id.eq_any(&candidates)))
                    .set((
                        webhooks::lease_until.eq(at + lease),
                        webhooks::lease_owner.eq(owner),
                    ))
                    .execute(conn)?;
            }
            Ok(candidates)
        })
    }

    /// The next event endpoint `id` is to receive, moving its cursor past
    /// events that are not for it (another kind, or not allowed to leave
    /// the forum). `None`: it is up to date.
    pub fn next_webhook_delivery(&self, id: WebhookId) -> Result<Option<Due>> {
        loop {
            let (hook, secret) = self.read(|conn| {
                let hook = load(conn, id)?;
                let secret: String = webhooks::table
                    .find(id)
                    .select(webhooks::secret)
                    .first(conn)?;
                Ok((hook, secret))
            })?;
            if hook.disabled_at.is_some() {
                return Ok(None);
            }
            let batch = self.events_after(hook.cursor, BATCH)?;
            let Some(last) = batch.last().map(|e| e.seq) else {
                return Ok(None);
            };
            let wanted: Vec<&EventRow> = batch
                .iter()
                .filter(|e| hook.events.contains(&e.kind))
                .collect();
            let owned: Vec<EventRow> = wanted.iter().map(|e| (*e).clone()).collect();
            let scopes = self.event_scopes(&owned)?;
            let marks = self.read(|conn| effective_marks(conn, &owned))?;
            for ((event, scope), mark) in owned.iter().zip(&scopes).zip(marks) {
                if access::may_leave_the_forum(scope, mark) {
                    let body = delivery_body(id, event)?;
                    // Skipped events before it are behind the cursor now.
                    self.move_webhook_cursor(id, event.seq - 1)?;
                    return Ok(Some(Due {
                        webhook_id: id,
                        url: hook.url,
                        secret,
                        seq: event.seq,
                        kind: event.kind.clone(),
                        body,
                    }));
                }
            }
            // Nothing in this batch is for it.
            self.move_webhook_cursor(id, last)?;
        }
    }

    fn move_webhook_cursor(&self, id: WebhookId, to: i64) -> Result<()> {
        self.write(|conn| {
            diesel::update(webhooks::table.find(id).filter(webhooks::cursor_seq.lt(to)))
                .set(webhooks::cursor_seq.eq(to))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Endpoint `id` answered 2xx to event `seq`: the cursor moves on.
    pub fn webhook_delivered(&self, id: WebhookId, due: &Due, code: i32) -> Result<()> {
        self.write(|conn| {
            record_attempt(conn, id, due, "delivered", Some(code), None)?;
            diesel::update(webhooks::table.find(id))
                .set((
                    webhooks::cursor_seq.eq(due.seq),
                    webhooks::failures.eq(0i64),
                    webhooks::next_attempt_at.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Endpoint `id` did not take event `seq`: it is tried again after the
    /// back-off, and the endpoint is disabled after [`MAX_FAILURES`] in a
    /// row. Returns whether it was disabled now.
    pub fn webhook_failed(
        &self,
        id: WebhookId,
        due: &Due,
        code: Option<i32>,
        error: &str,
        policy: RetryPolicy,
    ) -> Result<bool> {
        self.write(|conn| {
            let hook = load(conn, id)?;
            let failures = hook.failures + 1;
            let disable = failures >= policy.disable_after.max(1);
            let error: String = error.chars().take(500).collect();
            record_attempt(
                conn,
                id,
                due,
                if disable { "failed" } else { "retrying" },
                code,
                Some(&error),
            )?;
            let at = now();
            diesel::update(webhooks::table.find(id))
                .set((
                    webhooks::failures.eq(failures),
                    webhooks::next_attempt_at.eq(Some(at + backoff(failures, policy.base_ms))),
                    webhooks::disabled_at.eq(disable.then_some(at)),
                ))
                .execute(conn)?;
            if disable {
                audit::append(
                    conn,
                    Entry {
                        actor: None,
                        action: "webhook.disable",
                        target: format!("webhook:{id}"),
                        reason: "",
                        details: serde_json::json!({"failures": failures, "seq": due.seq}),
                    },
                )?;
            }
            Ok(disable)
        })
    }
}

fn record_attempt(
    conn: &mut DbConnection,
    id: WebhookId,
    due: &Due,
    status: &str,
    code: Option<i32>,
    error: Option<&str>,
) -> Result<()> {
    let at = now();
    let updated = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(id))
            .filter(webhook_deliveries::seq.eq(due.seq)),
    )
    .set((
        webhook_deliveries::status.eq(status),
        webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
        webhook_deliveries::response_code.eq(code),
        webhook_deliveries::error.eq(error),
        webhook_deliveries::last_attempt_at.eq(at),
    ))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(webhook_deliveries::table)
            .values((
                webhook_deliveries::webhook_id.eq(id),
                webhook_deliveries::seq.eq(due.seq),
                webhook_deliveries::kind.eq(&due.kind),
                webhook_deliveries::status.eq(status),
                webhook_deliveries::attempts.eq(1i64),
                webhook_deliveries::response_code.eq(code),
                webhook_deliveries::error.eq(error),
                webhook_deliveries::first_attempt_at.eq(at),
                webhook_deliveries::last_attempt_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Each event's mark now: its thread's, or its post's own when stricter.
fn effective_marks(conn: &mut DbConnection, rows: &[EventRow]) -> Result<Vec<Option<Mark>>> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let event = row.event();
        let post = event.as_ref().and_then(|e| e.post_id());
        let thread = match post {
            Some(p) => posts::table
                .find(p)
                .select(posts::thread_id)
                .first::<ThreadId>(conn)
                .optional()?,
            None => row
                .thread_id
                .or_else(|| event.as_ref().and_then(|e| e.named_thread())),
        };
        let thread_mark: Option<String> = match thread {
            Some(t) => threads::table
                .find(t)
                .select(threads::mark)
                .first(conn)
                .optional()?,
            None => None,
        };
        let post_mark: Option<String> = match post {
            Some(p) => posts::table
                .find(p)
                .select(posts::mark)
                .first::<Option<String>>(conn)
                .optional()?
                .flatten(),
            None => None,
        };
        let parse = |m: Option<String>| m.and_then(|m| Mark::parse("mark", &m).ok());
        out.push(match (parse(thread_mark), parse(post_mark)) {
            (Some(t), Some(p)) => Some(t.max(p)),
            (Some(t), None) => Some(t),
            (None, _) => None,
        });
    }
    Ok(out)
}

/// What an endpoint receives: the delivery's idempotency key, the event's
/// place in the log, its kind, and what the log says (as on the websocket).
fn delivery_body(id: WebhookId, event: &EventRow) -> Result<String> {
    let data: serde_json::Value = serde_json::from_str(&event.payload)
        .map_err(|e| CoreError::Internal(format!("event {} unreadable: {e}", event.seq)))?;
    Ok(serde_json::json!({
        "delivery": format!("{id}-{}", event.seq),
        "seq": event.seq,
        "kind": event.kind,
        "thread_id": event.thread_id,
        "created_at": event.created_at.and_utc().to_rfc3339(),
        "data": data,
    })
    .to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_and_stops_at_an_hour() {
        assert_eq!(backoff(1, 5_000), Duration::seconds(5));
        assert_eq!(backoff(2, 5_000), Duration::seconds(10));
        assert_eq!(backoff(4, 5_000), Duration::seconds(40));
        assert_eq!(backoff(40, 5_000), Duration::seconds(3600));
    }
}
