//! The TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s steps, ±1 step
//! of clock skew): enrolment, confirmation with ten single-use recovery
//! codes, verification at sign-in, and the policy of who must have it.
//!
//! A code works once: the last accepted time step is stored and only a
//! later step is accepted, with a conditional update so that two sign-ins
//! racing with the same code cannot both win. Recovery codes are 80-bit
//! random values, stored as SHA-256 of their normalised form (no spaces or
//! hyphens, lower case).

use diesel::prelude::*;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::domain::settings::SecondFactorPolicy;
use crate::error::{CoreError, ErrorCode, Result};
use crate::features::accounts::{
    account_updated, load_user, random_bytes, token_hash, verify_password,
};
use crate::now;
use crate::store::db::Db;
use crate::store::db::DbConnection;
use crate::store::ids::*;
use crate::store::rows::User;
use crate::store::schema::{recovery_codes, sessions, site_settings, users};

/// The site setting with which admins require a second factor of everyone,
/// on top of the configured policy.
const EVERYONE_KEY: &str = "second_factor_everyone";

/// Whether an admin required a second factor of every member.
pub(crate) fn required_for_everyone(conn: &mut DbConnection) -> Result<bool> {
    let value: Option<String> = site_settings::table
        .find(EVERYONE_KEY)
        .select(site_settings::value)
        .first(conn)
        .optional()?;
    Ok(value.as_deref() == Some("true"))
}

const ISSUER: &str = "Comity";
const STEP_SECS: u64 = 30;
const RECOVERY_CODES: usize = 10;

/// A started enrolment: show the secret as a QR code and as text.
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    /// Base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://totp/…`, for the QR code.
    pub otpauth_url: String,
}

fn totp(secret_b32: &str, account: &str) -> Result<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_owned())
        .to_bytes()
        .map_err(|e| CoreError::Internal(format!("stored TOTP secret unreadable: {e:?}")))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS,
        bytes,
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .map_err(|e| CoreError::Internal(format!("TOTP setup failed: {e:?}")))
}

fn current_step() -> i64 {
    (chrono::Utc::now().timestamp().max(0) as u64 / STEP_SECS) as i64
}

/// The time step (within ±1 of now) whose code is `code`, if any.
fn matching_step(totp: &TOTP, code: &str) -> Option<i64> {
    let now = current_step();
    (now - 1..=now + 1).find(|step| {
        let expected = totp.generate(*step as u64 * STEP_SECS);
        // Same length; compare without an early exit.
        expected.len() == code.len()
            && expected
                .bytes()
                .zip(code.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    })
}

fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_lowercase()
}

fn invalid_code() -> CoreError {
    CoreError::unauthenticated(
        ErrorCode::InvalidTotp,
        "the authentication code is not valid",
    )
}

/// The member, unless a second factor is already on (409).
fn not_enrolled(user: User) -> Result<User> {
    if user.totp_enabled_at.is_some() {
        return Err(CoreError::conflict(
            ErrorCode::TotpAlreadyEnabled,
            "a second factor is already enabled",
        ));
    }
    Ok(user)
}

fn new_recovery_code() -> String {
    let raw = hex::encode(random_bytes(10));
    format!("{}-{}", &raw[..10], &raw[10..])
}

impl Db {
    /// Sets who must use a second factor (from the server's settings).
    pub fn set_second_factor_policy(&self, policy: SecondFactorPolicy) {
        self.second_factor_policy().set(policy);
    }

    /// Starts (or restarts) enrolment: a fresh 160-bit secret, pending until
    /// confirmed. 409 when a second factor is already on.
    pub fn begin_totp(&self, user_id: UserId) -> Result<TotpEnrolment> {
        let secret = Secret::Raw(random_bytes(20)).to_encoded().to_string();
        self.write(|conn| {
            let user = not_enrolled(load_user(conn, user_id)?)?;
            diesel::update(users::table.find(user_id))
                .set(users::totp_secret.eq(&secret))
                .execute(conn)?;
            let otpauth_url = totp(&secret, &user.username)?.get_url();
            Ok(TotpEnrolment {
                secret: secret.clone(),
                otpauth_url,
            })
        })
    }

    /// Confirms enrolment with a first code: the second factor is on, the
    /// current session counts as verified, and ten recovery codes are
    /// returned (shown once; stored hashed).
    pub fn confirm_totp(
        &self,
        user_id: UserId,
        session_id: SessionId,
        code: &str,
    ) -> Result<Vec<String>> {
        let code = normalise(code);
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        self.write(|conn| {
            let user = not_enrolled(load_user(conn, user_id)?)?;
            let Some(secret) = &user.totp_secret else {
                return Err(CoreError::invalid("code", "start the enrolment first"));
            };
            let Some(step) = matching_step(&totp(secret, &user.username)?, &code) else {
                return Err(CoreError::Invalid {
                    reason: crate::error::Reason::Other,
                    field: "code",
                    code: ErrorCode::InvalidTotp,
                    message: "the authentication code is not valid".to_owned(),
                });
            };
            diesel::update(users::table.find(user_id))
                .set((
                    users::totp_enabled_at.eq(now()),
                    users::totp_last_step.eq(step),
                ))
                .execute(conn)?;
            diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
                .execute(conn)?;
            for code in &codes {
                diesel::insert_into(recovery_codes::table)
                    .values((
                        recovery_codes::user_id.eq(user_id),
                        recovery_codes::code_hash.eq(token_hash(&normalise(code))),
                    ))
                    .execute(conn)?;
            }
            diesel::update(
                sessions::table
                    .filter(sessions::id.eq(session_id))
                    .filter(sessions::user_id.eq(user_id)),
            )
            .set(sessions::second_factor.eq(true))
            .execute(conn)?;
            account_updated(conn, Some(user_id), Some(user_id))?;
            Ok(codes.clone())
        })
    }

    /// Turns the second factor off, given the password and a current code
    /// (or a recovery code). Every session of the member loses its
    /// verified mark.
    pub fn disable_totp(&self, user_id: UserId, password: &str, code: &str) -> Result<()> {
        let user = self.user(user_id)?;
        if !verify_password(password, &user.password_hash) {
            return Err(CoreError::Invalid {
                reason: crate::error::Reason::Other,
                field: "password",
                code: ErrorCode::WrongPassword,
                message: "the password is not correct".to_owned(),
            });
        }
        if user.totp_enabled_at.is_none() {
            return Err(CoreError::NotFound);
        }
        self.verify_second_factor(&user, Some(code))?;
        self.write(|conn| {
            diesel::update(users::table.find(user_id))
                .set((
                    users::totp_secret.eq(None::<String>),
                    users::totp_enabled_at.eq(None::<chrono::NaiveDateTime>),
                    users::totp_last_step.eq(None::<i64>),
                ))
                .execute(conn)?;
            diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
                .execute(conn)?;
            diesel::update(sessions::table.filter(sessions::user_id.eq(user_id)))
                .set(sessions::second_factor.eq(false))
                .execute(conn)?;
            account_updated(conn, Some(user_id), Some(user_id))?;
            Ok(())
        })
    }

    /// At sign-in, after the password: `Ok(true)` when the member has a
    /// second factor and `code` is a fresh TOTP code or an unused recovery
    /// code (each then spent), `Ok(false)` when they have none, 401
    /// `totp_required` / `invalid_totp` otherwise.
    pub fn verify_second_factor(&self, user: &User, code: Option<&str>) -> Result<bool> {
        let (Some(secret), Some(_)) = (&user.totp_secret, user.totp_enabled_at) else {
            return Ok(false);
        };
        let Some(code) = code.map(normalise).filter(|c| !c.is_empty()) else {
            return Err(CoreError::unauthenticated(
                ErrorCode::TotpRequired,
                "this account needs a code from its authenticator app",
            ));
        };
        if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
            let Some(step) = matching_step(&totp(secret, &user.username)?, &code) else {
                return Err(invalid_code());
            };
            let accepted = self.write(|conn| {
                Ok(diesel::update(
                    users::table.find(user.id).filter(
                        users::totp_last_step
                            .is_null()
                            .or(users::totp_last_step.lt(step)),
                    ),
                )
                .set(users::totp_last_step.eq(step))
                .execute(conn)?)
            })?;
            return if accepted == 1 {
                Ok(true)
            } else {
                // The same (or an older) code again: a replay.
                Err(invalid_code())
            };
        }
        let spent = self.write(|conn| {
            Ok(diesel::update(
                recovery_codes::table
                    .filter(recovery_codes::user_id.eq(user.id))
                    .filter(recovery_codes::code_hash.eq(token_hash(&code)))
                    .filter(recovery_codes::used_at.is_null()),
            )
            .set(recovery_codes::used_at.eq(now()))
            .execute(conn)?)
        })?;
        if spent == 1 {
            Ok(true)
        } else {
            Err(invalid_code())
        }
    }

    /// An enrolment started and not yet confirmed, to show again.
    pub fn pending_totp(&self, user_id: UserId) -> Result<Option<TotpEnrolment>> {
        let user = self.user(user_id)?;
        match (&user.totp_secret, user.totp_enabled_at) {
            (Some(secret), None) => Ok(Some(TotpEnrolment {
                secret: secret.clone(),
                otpauth_url: totp(secret, &user.username)?.get_url(),
            })),
            _ => Ok(None),
        }
    }

    /// Whether admins required a second factor of every member.
    pub fn second_factor_required_for_everyone(&self) -> Result<bool> {
        self.read(required_for_everyone)
    }

    /// An admin requires (or stops requiring) a second factor of every
    /// member; the configured policy still applies underneath.
    pub fn require_second_factor_for_everyone(&self, by: &crate::Viewer, on: bool) -> Result<()> {
        crate::access::check_second_factor(by)?;
        if !crate::access::can_manage_users(by) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins can do this",
            ));
        }
        let value = if on { "true" } else { "false" };
        self.write(|conn| {
            let updated = diesel::update(site_settings::table.find(EVERYONE_KEY))
                .set(site_settings::value.eq(value))
                .execute(conn)?;
            if updated == 0 {
                diesel::insert_into(site_settings::table)
                    .values((
                        site_settings::key.eq(EVERYONE_KEY),
                        site_settings::value.eq(value),
                    ))
                    .execute(conn)?;
            }
            account_updated(conn, None, Some(by.id))?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(by.id),
                    action: "settings.second_factor_everyone",
                    target: "site".to_owned(),
                    reason: "",
                    details: serde_json::json!({ "on": on }),
                },
            )?;
            Ok(())
        })
    }

    /// Whether a member has a second factor on (for the settings page).
    pub fn totp_enabled(&self, user_id: UserId) -> Result<bool> {
        self.read(|conn| Ok(load_user(conn, user_id)?.totp_enabled_at.is_some()))
    }
}
