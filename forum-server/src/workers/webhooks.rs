//! The webhook worker: gives each registered endpoint the events it asked
//! for, in order, at least once (`forum_core::features::webhooks` keeps
//! the cursors, the delivery log and the rule of what may leave). Each
//! delivery is a `POST` of JSON signed with the endpoint's secret:
//!
//! * `Comity-Delivery: <webhook>-<seq>` — the idempotency key: a receiver
//!   that sees a key twice (a retry after a lost answer) ignores it;
//! * `Comity-Event: <kind>`;
//! * `Comity-Timestamp: <unix seconds>`;
//! * `Comity-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
//!
//! Receivers recompute the signature and refuse a timestamp more than
//! [`REPLAY_WINDOW_SECS`] from their clock. Woken by the hub on every
//! publish; looks every second otherwise.

use std::sync::Arc;
use std::time::Duration;

use forum_core::Db;
use forum_core::features::webhooks::{Due, RetryPolicy};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::live::Hub;

/// How far a delivery's timestamp may be from the receiver's clock.
pub const REPLAY_WINDOW_SECS: i64 = 300;
/// How long one process keeps the endpoints it delivers to.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
/// The longest a receiver may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
const IDLE_POLL: Duration = Duration::from_secs(1);

/// The `Comity-Signature` value for `body` sent at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// A new endpoint secret: 32 random bytes.
pub fn new_secret() -> String {
    format!(
        "whsec_{}",
        hex::encode((0..32).map(|_| rand::random::<u8>()).collect::<Vec<u8>>())
    )
}

/// Keeps delivering until `hub` is dropped.
pub fn start(db: Db, hub: &Arc<Hub>, policy: RetryPolicy) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Comity-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let owner = format!(
        "{}-{}",
        std::process::id(),
        hex::encode(rand::random::<[u8; 6]>())
    );
    let mut published = hub.subscribe();
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_due(&db, &client, &owner, policy).await {
                tracing::warn!(error = %e, "webhooks: delivery round failed; retrying");
            }
            tokio::select! {
                woken = published.recv() => {
                    if let Err(tokio::sync::broadcast::error::RecvError::Closed) = woken {
                        return;
                    }
                }
                _ = tokio::time::sleep(IDLE_POLL) => {}
            }
        }
    });
    Ok(())
}

/// One round: every endpoint this process holds gets what is waiting for
/// it, until it is up to date or fails.
async fn deliver_due(
    db: &Db,
    client: &reqwest::Client,
    owner: &str,
    policy: RetryPolicy,
) -> anyhow::Result<()> {
    let claimed = {
        let db = db.clone();
        let owner = owner.to_owned();
        tokio::task::spawn_blocking(move || db.claim_webhooks(&owner, LEASE)).await??
    };
    for id in claimed {
        loop {
            let next = {
                let db = db.clone();
                tokio::task::spawn_blocking(move || db.next_webhook_delivery(id)).await??
            };
            let Some(due) = next else { break };
            let outcome = send(client, &due).await;
            let db2 = db.clone();
            let delivered = match outcome {
                Ok(code) => {
                    metrics::counter!("comity_webhook_deliveries_total", "outcome" => "delivered")
                        .increment(1);
                    tokio::task::spawn_blocking(move || db2.webhook_delivered(id, &due, code))
                        .await??;
                    true
                }
                Err((code, error)) => {
                    metrics::counter!("comity_webhook_deliveries_total", "outcome" => "failed")
                        .increment(1);
                    let url = due.url.clone();
                    let disabled = tokio::task::spawn_blocking(move || {
                        db2.webhook_failed(id, &due, code, &error, policy)
                    })
                    .await??;
                    if disabled {
                        tracing::warn!(webhook = id.get(), %url, "webhook disabled after repeated failures");
                    }
                    false
                }
            };
            if !delivered {
                break;
            }
        }
    }
    Ok(())
}

/// Sends one delivery: `Ok(status)` for 2xx, else the status (if any) and
/// what went wrong.
async fn send(client: &reqwest::Client, due: &Due) -> Result<i32, (Option<i32>, String)> {
    let timestamp = chrono::Utc::now().timestamp();
    let answer = client
        .post(&due.url)
        .header("Content-Type", "application/json")
        .header("Comity-Delivery", format!("{}-{}", due.webhook_id, due.seq))
        .header("Comity-Event", &due.kind)
        .header("Comity-Timestamp", timestamp.to_string())
        .header("Comity-Signature", sign(&due.secret, timestamp, &due.body))
        .body(due.body.clone())
        .send()
        .await;
    match answer {
        Ok(r) if r.status().is_success() => Ok(i32::from(r.status().as_u16())),
        Ok(r) => Err((
            Some(i32::from(r.status().as_u16())),
            format!("answered {}", r.status()),
        )),
        Err(e) => Err((None, without_url(&e))),
    }
}

/// A transport error without the URL (it may carry credentials).
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    kind.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_the_timestamp_and_the_body() {
        let a = sign("whsec_x", 1_700_000_000, "{\"seq\":1}");
        assert!(a.starts_with("v1=") && a.len() == 3 + 64);
        assert_ne!(a, sign("whsec_x", 1_700_000_001, "{\"seq\":1}"));
        assert_ne!(a, sign("whsec_x", 1_700_000_000, "{\"seq\":2}"));
        assert_ne!(a, sign("whsec_y", 1_700_000_000, "{\"seq\":1}"));
    }
}
