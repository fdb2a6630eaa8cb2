//! Rate limits and login throttling: in this process's memory on SQLite
//! (one process), in the database on PostgreSQL so that every process of
//! the forum counts together (`forum_core::store::limits`, the same
//! algorithm and quotas).
//!
//! Who is asking is the socket's peer address. Only when the operator names
//! trusted proxies is `X-Forwarded-For` read — from the right, skipping
//! trusted hops — so a client cannot mint itself a fresh bucket by sending
//! a header (the hole Lemmy had).
//!
//! Logins are limited per peer address and per account, and failed
//! attempts slow down exponentially per (account, address): a guesser from
//! one machine is stopped whatever it sends, while the account's owner at
//! another address is only held back by the looser per-account quota.

use forum_core::error::ErrorCode;
use forum_core::store::limits::Gcra;
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use ipnet::IpNet;

use crate::error::ApiError;

/// Failed logins from one address for one account before they slow down.
const FREE_FAILURES: u32 = 3;
/// The longest wait a run of failures imposes.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

struct Failures {
    count: u32,
    until: Instant,
}

/// 30 attempts a minute from one address.
const LOGIN_PEER: Gcra = Gcra {
    interval_us: 2_000_000,
    burst: 30,
};
/// 20 at once, then one a minute, per account, from anywhere.
const LOGIN_ACCOUNT: Gcra = Gcra {
    interval_us: 60_000_000,
    burst: 20,
};
/// 10 registrations an hour from one address.
const REGISTER_PEER: Gcra = Gcra {
    interval_us: 360_000_000,
    burst: 10,
};
/// 30 at once, then 20 a minute, per member.
const POST_MEMBER: Gcra = Gcra {
    interval_us: 3_000_000,
    burst: 30,
};

fn quota(g: Gcra) -> Quota {
    Quota::with_period(Duration::from_micros(g.interval_us as u64))
        .expect("a positive period")
        .allow_burst(NonZeroU32::new(g.burst as u32).expect("positive burst"))
}

fn now_us() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// How long the next attempt waits after `count` failures in a row.
fn failure_wait(count: u32) -> Duration {
    if count >= FREE_FAILURES {
        let exponent = (count - FREE_FAILURES).min(20);
        Duration::from_secs(1u64 << exponent).min(MAX_BACKOFF)
    } else {
        Duration::ZERO
    }
}

/// The limiters of the forum: this process's, or the database's.
pub struct Limits {
    trusted: Vec<IpNet>,
    /// On PostgreSQL: the limits every process shares.
    shared: Option<forum_core::Db>,
    login_peer: DefaultKeyedRateLimiter<IpAddr>,
    login_account: DefaultKeyedRateLimiter<String>,
    register_peer: DefaultKeyedRateLimiter<IpAddr>,
    post_member: DefaultKeyedRateLimiter<forum_core::UserId>,
    failures: Mutex<HashMap<(String, IpAddr), Failures>>,
}

impl Limits {
    /// Limits trusting `trusted` proxies (IP addresses or CIDR ranges), and
    /// a task that forgets idle keys every minute while they live.
    /// `shared`: the database, when its limits are to be shared
    /// (PostgreSQL).
    pub fn start(trusted: Vec<IpNet>, shared: Option<forum_core::Db>) -> Arc<Limits> {
        let limits = Arc::new(Limits {
            trusted,
            shared,
            login_peer: RateLimiter::keyed(quota(LOGIN_PEER)),
            login_account: RateLimiter::keyed(quota(LOGIN_ACCOUNT)),
            register_peer: RateLimiter::keyed(quota(REGISTER_PEER)),
            // Staff are exempt.
            post_member: RateLimiter::keyed(quota(POST_MEMBER)),
            failures: Mutex::default(),
        });
        tokio::spawn(forget_idle(Arc::downgrade(&limits)));
        limits
    }

    /// The client's address: the peer, or — only behind a trusted proxy —
    /// the rightmost untrusted `X-Forwarded-For` entry.
    pub fn client_ip(&self, req: &HttpRequest) -> IpAddr {
        let peer = req
            .peer_addr()
            .map(|a| a.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if !self.is_trusted(peer) {
            return peer;
        }
        let hops: Vec<IpAddr> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| hop.trim().parse().ok())
            .collect();
        hops.iter()
            .rev()
            .copied()
            .find(|ip| !self.is_trusted(*ip))
            .unwrap_or(peer)
    }

    fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|net| net.contains(&ip))
    }

    /// Runs `f` on the shared limits, off the async threads.
    async fn shared<T: Send + 'static>(
        &self,
        f: impl FnOnce(&forum_core::Db) -> forum_core::Result<T> + Send + 'static,
    ) -> Option<Result<T, ApiError>> {
        let db = self.shared.clone()?;
        Some(match tokio::task::spawn_blocking(move || f(&db)).await {
            Ok(result) => result.map_err(ApiError::from),
            Err(e) => Err(ApiError::internal(e)),
        })
    }

    /// One request of `key` under `quota`, shared or local.
    async fn take<K: std::hash::Hash + Eq + Clone>(
        &self,
        limiter: &DefaultKeyedRateLimiter<K>,
        key: &K,
        name: String,
        g: Gcra,
    ) -> Result<(), ApiError> {
        match self
            .shared(move |db| db.take_rate_token(&name, g, now_us()))
            .await
        {
            Some(result) => {
                result?.map_err(|wait_us| too_many(Duration::from_micros(wait_us.max(1) as u64)))
            }
            None => check(limiter, key),
        }
    }

    /// May this login attempt proceed?
    pub async fn check_login(&self, username: &str, ip: IpAddr) -> Result<(), ApiError> {
        let account = username.trim().to_lowercase();
        let blocked = {
            let (a, i) = (account.clone(), ip.to_string());
            self.shared(move |db| db.login_blocked_until(&a, &i)).await
        };
        match blocked {
            Some(until) => {
                if let Some(until) = until?
                    && until > now_us()
                {
                    return Err(too_many(Duration::from_micros((until - now_us()) as u64)));
                }
            }
            None => {
                let now = Instant::now();
                if let Some(f) = self
                    .failures
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get(&(account.clone(), ip))
                    && f.until > now
                {
                    return Err(too_many(f.until - now));
                }
            }
        }
        self.take(
            &self.login_peer,
            &ip,
            format!("login_peer:{ip}"),
            LOGIN_PEER,
        )
        .await?;
        self.take(
            &self.login_account,
            &account,
            format!("login_account:{account}"),
            LOGIN_ACCOUNT,
        )
        .await
    }

    /// Records a failed login: from the fourth on, each doubles the wait.
    pub async fn login_failed(&self, username: &str, ip: IpAddr) {
        let account = username.trim().to_lowercase();
        let (a, i) = (account.clone(), ip.to_string());
        let recorded = self
            .shared(move |db| {
                db.record_login_failure(&a, &i, now_us(), |count| {
                    failure_wait(u32::try_from(count).unwrap_or(u32::MAX)).as_micros() as i64
                })
            })
            .await;
        match recorded {
            Some(Ok(_)) => {}
            Some(Err(e)) => tracing::warn!(error = %e.message, "could not count a failed login"),
            None => {
                let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
                let entry = failures.entry((account, ip)).or_insert(Failures {
                    count: 0,
                    until: Instant::now(),
                });
                entry.count += 1;
                let wait = failure_wait(entry.count);
                if !wait.is_zero() {
                    entry.until = Instant::now() + wait;
                }
            }
        }
    }

    /// A successful login clears that address's failures for the account.
    pub async fn login_succeeded(&self, username: &str, ip: IpAddr) {
        let account = username.trim().to_lowercase();
        let (a, i) = (account.clone(), ip.to_string());
        match self.shared(move |db| db.clear_login_failures(&a, &i)).await {
            Some(Ok(())) => {}
            Some(Err(e)) => tracing::warn!(error = %e.message, "could not clear failed logins"),
            None => {
                self.failures
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&(account, ip));
            }
        }
    }

    pub async fn check_register(&self, ip: IpAddr) -> Result<(), ApiError> {
        self.take(
            &self.register_peer,
            &ip,
            format!("register_peer:{ip}"),
            REGISTER_PEER,
        )
        .await
    }

    /// Posting (threads and replies) per member; staff are not limited.
    pub async fn check_post(&self, viewer: &forum_core::Viewer) -> Result<(), ApiError> {
        if viewer.is_staff() {
            return Ok(());
        }
        self.take(
            &self.post_member,
            &viewer.id,
            format!("post_member:{}", viewer.id),
            POST_MEMBER,
        )
        .await
    }
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), ApiError> {
    limiter
        .check_key(key)
        .map_err(|not_until| too_many(not_until.wait_time_from(limiter.clock().now())))
}

fn too_many(wait: Duration) -> ApiError {
    metrics::counter!("comity_rate_limited_total").increment(1);
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    ApiError {
        retry_after: Some(secs.max(1)),
        ..ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            format!("too many attempts; retry in {} s", secs.max(1)),
        )
    }
}

async fn forget_idle(limits: Weak<Limits>) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    loop {
        every.tick().await;
        let Some(limits) = limits.upgrade() else {
            return;
        };
        limits.login_peer.retain_recent();
        limits.login_account.retain_recent();
        limits.register_peer.retain_recent();
        limits.post_member.retain_recent();
        if let Some(db) = limits.shared.clone() {
            // Nothing older than the longest wait holds anyone back.
            let before = now_us() - MAX_BACKOFF.as_micros() as i64 - 3_600_000_000;
            let _ = tokio::task::spawn_blocking(move || db.forget_idle_limits(before)).await;
        }
        if let Some(stale) = Instant::now().checked_sub(MAX_BACKOFF) {
            limits
                .failures
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|_, f| f.until > stale);
        }
    }
}
