//! Rate limits and login throttling, per process.
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

fn quota_per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).expect("positive quota"))
}

fn quota_per_hour(per_hour: u32, burst: u32) -> Quota {
    Quota::per_hour(NonZeroU32::new(per_hour).expect("positive quota"))
        .allow_burst(NonZeroU32::new(burst).expect("positive burst"))
}

struct Failures {
    count: u32,
    until: Instant,
}

/// The limiters of one server process.
pub struct Limits {
    trusted: Vec<IpNet>,
    login_peer: DefaultKeyedRateLimiter<IpAddr>,
    login_account: DefaultKeyedRateLimiter<String>,
    register_peer: DefaultKeyedRateLimiter<IpAddr>,
    post_member: DefaultKeyedRateLimiter<forum_core::UserId>,
    failures: Mutex<HashMap<(String, IpAddr), Failures>>,
}

impl Limits {
    /// Limits trusting `trusted` proxies (IP addresses or CIDR ranges), and
    /// a task that forgets idle keys every minute while they live.
    pub fn start(trusted: Vec<IpNet>) -> Arc<Limits> {
        let limits = Arc::new(Limits {
            trusted,
            // 30 attempts a minute from one address.
            login_peer: RateLimiter::keyed(quota_per_minute(30)),
            // 20 at once, then one a minute, per account, from anywhere.
            login_account: RateLimiter::keyed(quota_per_hour(60, 20)),
            // 10 registrations an hour from one address.
            register_peer: RateLimiter::keyed(quota_per_hour(10, 10)),
            // 30 at once, then 20 a minute, per member (staff are exempt).
            post_member: RateLimiter::keyed(
                quota_per_minute(20).allow_burst(NonZeroU32::new(30).expect("positive burst")),
            ),
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

    /// May this login attempt proceed?
    pub fn check_login(&self, username: &str, ip: IpAddr) -> Result<(), ApiError> {
        let account = username.trim().to_lowercase();
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
        check(&self.login_peer, &ip)?;
        check(&self.login_account, &account)
    }

    /// Records a failed login: from the fourth on, each doubles the wait.
    pub fn login_failed(&self, username: &str, ip: IpAddr) {
        let account = username.trim().to_lowercase();
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = failures.entry((account, ip)).or_insert(Failures {
            count: 0,
            until: Instant::now(),
        });
        entry.count += 1;
        if entry.count >= FREE_FAILURES {
            let exponent = (entry.count - FREE_FAILURES).min(20);
            let wait = Duration::from_secs(1u64 << exponent).min(MAX_BACKOFF);
            entry.until = Instant::now() + wait;
        }
    }

    /// A successful login clears that address's failures for the account.
    pub fn login_succeeded(&self, username: &str, ip: IpAddr) {
        let account = username.trim().to_lowercase();
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&(account, ip));
    }

    pub fn check_register(&self, ip: IpAddr) -> Result<(), ApiError> {
        check(&self.register_peer, &ip)
    }

    /// Posting (threads and replies) per member; staff are not limited.
    pub fn check_post(&self, viewer: &forum_core::Viewer) -> Result<(), ApiError> {
        if viewer.is_staff() {
            return Ok(());
        }
        check(&self.post_member, &viewer.id)
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
        if let Some(stale) = Instant::now().checked_sub(MAX_BACKOFF) {
            limits
                .failures
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|_, f| f.until > stale);
        }
    }
}
