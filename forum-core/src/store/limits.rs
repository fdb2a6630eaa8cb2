//! Rate limits and login-failure counters kept in the database, so that
//! every process of one forum on PostgreSQL counts together: a guesser is
//! stopped after the same number of tries whichever process it reaches.
//! Each check is one atomic statement (an upsert that only moves a key's
//! state when the request is allowed); the algorithm is the generic cell
//! rate algorithm, as the in-process limiter (`governor`) uses. Times are
//! microseconds since the epoch, from the caller's clock.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::db::Db;
use super::schema::{login_failures, rate_limits};
use crate::Result;

/// A quota: one request per `interval_us`, with bursts of `burst`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gcra {
    pub interval_us: i64,
    pub burst: i64,
}

impl Gcra {
    fn tolerance_us(self) -> i64 {
        self.interval_us * (self.burst.max(1) - 1)
    }
}

#[derive(QueryableByName)]
struct Tat {
    #[diesel(sql_type = BigInt)]
    tat: i64,
}

impl Db {
    /// Takes one request of `key` under `quota` at `now_us`: `Ok(Ok(()))`
    /// when allowed, `Ok(Err(wait_us))` when refused. PostgreSQL only.
    pub fn take_rate_token(
        &self,
        key: &str,
        quota: Gcra,
        now_us: i64,
    ) -> Result<std::result::Result<(), i64>> {
        self.write(|conn| {
            let allowed: Option<Tat> = diesel::sql_query(
                "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3) \
                 ON CONFLICT (key) DO UPDATE SET tat = GREATEST(rate_limits.tat, $2) + $3 \
                 WHERE GREATEST(rate_limits.tat, $2) - $2 <= $4 \
                 RETURNING tat",
            )
            .bind::<Text, _>(key)
            .bind::<BigInt, _>(now_us)
            .bind::<BigInt, _>(quota.interval_us)
            .bind::<BigInt, _>(quota.tolerance_us())
            .get_result(conn)
            .optional()?;
            if allowed.is_some() {
                return Ok(Ok(()));
            }
            let tat: i64 = rate_limits::table
                .find(key)
                .select(rate_limits::tat)
                .first(conn)?;
            Ok(Err((tat - now_us - quota.tolerance_us()).max(1)))
        })
    }

    /// Until when (µs) `account` from `ip` must wait after failed logins.
    pub fn login_blocked_until(&self, account: &str, ip: &str) -> Result<Option<i64>> {
        self.read(|conn| {
            Ok(login_failures::table
                .find((account, ip))
                .select(login_failures::until_us)
                .first(conn)
                .optional()?)
        })
    }

    /// Counts a failed login of `account` from `ip`; `wait` turns the count
    /// into how long the next attempt waits (µs). Returns the count.
    pub fn record_login_failure(
        &self,
        account: &str,
        ip: &str,
        now_us: i64,
        wait: impl Fn(i64) -> i64,
    ) -> Result<i64> {
        self.write(|conn| {
            let count = diesel::sql_query(
                "INSERT INTO login_failures (account, ip, count, until_us) VALUES ($1, $2, 1, $3) \
                 ON CONFLICT (account, ip) DO UPDATE SET count = login_failures.count + 1 \
                 RETURNING count AS tat",
            )
            .bind::<Text, _>(account)
            .bind::<Text, _>(ip)
            .bind::<BigInt, _>(now_us)
            .get_result::<Tat>(conn)?
            .tat;
            let wait_us = wait(count);
            if wait_us > 0 {
                diesel::update(login_failures::table.find((account, ip)))
                    .set(login_failures::until_us.eq(now_us + wait_us))
                    .execute(conn)?;
            }
            Ok(count)
        })
    }

    /// A successful login clears `account`'s failures from `ip`.
    pub fn clear_login_failures(&self, account: &str, ip: &str) -> Result<()> {
        self.write(|conn| {
            diesel::delete(login_failures::table.find((account, ip))).execute(conn)?;
            Ok(())
        })
    }

    /// Forgets limiter state that no longer holds anything back.
    pub fn forget_idle_limits(&self, before_us: i64) -> Result<()> {
        self.write(|conn| {
            diesel::delete(rate_limits::table.filter(rate_limits::tat.lt(before_us)))
                .execute(conn)?;
            diesel::delete(login_failures::table.filter(login_failures::until_us.lt(before_us)))
                .execute(conn)?;
            Ok(())
        })
    }
}
