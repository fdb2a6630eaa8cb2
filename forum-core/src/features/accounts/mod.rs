//! Accounts: users, invitations, password hashing, sessions and rotating
//! refresh tokens.
//!
//! Passwords are hashed with Argon2id using OWASP's parameters (19 MiB, two
//! passes, one lane). Invitation and refresh tokens are random 256-bit
//! strings; only their SHA-256 is stored. A session is a family of refresh
//! tokens: presenting one that was already used revokes the whole family.

pub mod second_factor;

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::access::Viewer;
use crate::domain::settings::SecondFactorPolicy;
use crate::domain::{CountryCode, DisplayName, Email, NewPassword, Profession, Role, Username};
use crate::error::{CoreError, ErrorCode, Result};
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{self, Event};
use crate::store::events::{self};
use crate::store::ids::*;
use crate::store::rows::{Invitation, NewUser, RefreshToken, Session, User};
use crate::store::schema::{
    feed_tokens, group_members, groups, guest_accounts, invitation_grants, invitations,
    password_resets, refresh_tokens, sessions, users,
};

pub mod erasure;
mod feeds;
mod group_membership;
mod invites;
pub mod members;
pub mod own_data;
mod passwords;
mod sign_in;
pub mod viewer_cache;

pub(crate) use group_membership::*;
use passwords::*;
pub(crate) use sign_in::*;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with Argon2id.
pub fn hash_password(password: &NewPassword) -> Result<String> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| CoreError::Internal(format!("salt encoding failed: {e}")))?;
    argon2()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Internal(format!("password hashing failed: {e}")))
}

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Refuses a password an attacker would guess soon: zxcvbn's estimate must
/// reach "safely unguessable" (score 3 of 4), taking the account's own
/// names into account.
pub fn check_strength(field: &'static str, password: &NewPassword, context: &[&str]) -> Result<()> {
    let estimate = zxcvbn::zxcvbn(password.expose(), context);
    if (estimate.score() as u8) >= 3 {
        return Ok(());
    }
    let hint = estimate
        .feedback()
        .and_then(|f| f.warning().map(|w| w.to_string()))
        .unwrap_or_else(|| "it is too easy to guess".to_owned());
    Err(CoreError::Invalid {
        reason: crate::error::Reason::Other,
        field,
        code: ErrorCode::WeakPassword,
        message: format!(
            "choose a stronger password: {hint}; a few unrelated words make a good one"
        ),
    })
}

/// A hash to verify against when the user does not exist, so that an
/// unknown user costs the same time as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let password = NewPassword::parse(&random_token()).expect("a random token is long enough");
    hash_password(&password).unwrap_or_default()
});

/// `n` random bytes from the thread's CSPRNG.
pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// A random 256-bit token, base64url without padding.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a token, hex; what the database stores.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn invalid_credentials() -> CoreError {
    CoreError::unauthenticated(
        ErrorCode::InvalidCredentials,
        "invalid username or password",
    )
}

/// Input for registration.
pub struct Registration<'a> {
    pub invitation_token: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub country: &'a str,
    pub profession: &'a str,
}

/// What an issued invitation gives back (the token is shown once).
#[derive(Debug, Clone)]
pub struct IssuedInvitation {
    pub token: String,
    pub email: String,
    pub role: Role,
    pub expires_at: NaiveDateTime,
}

/// A new session and its first refresh token.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub session_id: SessionId,
    pub refresh_token: String,
}

/// [`load_user`] for acting on an account: an erased one is refused.
pub(crate) fn load_live_user(conn: &mut DbConnection, user_id: UserId) -> Result<User> {
    let user = load_user(conn, user_id)?;
    if user.is_erased() {
        return Err(CoreError::invalid(
            "user_id",
            "this account was erased on request: nothing more can be done with it",
        ));
    }
    Ok(user)
}

pub(crate) fn load_user(conn: &mut DbConnection, user_id: UserId) -> Result<User> {
    users::table
        .find(user_id)
        .select(User::as_select())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound)
}

fn insert_user(conn: &mut DbConnection, new: &NewUser<'_>) -> Result<User> {
    let taken_name: i64 = users::table
        .filter(users::username.eq(new.username))
        .count()
        .get_result(conn)?;
    if taken_name > 0 {
        return Err(CoreError::conflict(
            ErrorCode::UsernameTaken,
            "this username is taken",
        ));
    }
    let taken_email: i64 = users::table
        .filter(users::email.eq(new.email))
        .count()
        .get_result(conn)?;
    if taken_email > 0 {
        return Err(CoreError::conflict(
            ErrorCode::EmailTaken,
            "an account with this e-mail exists",
        ));
    }
    let id: UserId = diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result(conn)?;
    let user = load_user(conn, id)?;
    events::append(
        conn,
        &Event::UserCreated(event_payloads::UserCreated {
            user_id: user.id,
            username: user.username.clone(),
            role: user.role,
        }),
        None,
        None,
        Some(user.id),
    )?;
    Ok(user)
}

impl Db {
    /// Number of admin accounts (the server tells the operator how to make
    /// the first one when there is none).
    pub fn admin_count(&self) -> Result<i64> {
        self.read(|conn| {
            Ok(users::table
                .filter(users::role.eq(Role::Admin.as_str()))
                .count()
                .get_result(conn)?)
        })
    }

    /// Creates an admin account (operator CLI).
    pub fn create_admin(&self, username: &str, email: &str, password: &str) -> Result<User> {
        let username = Username::parse(username)?;
        let email = Email::parse(email)?;
        let password = NewPassword::parse(password)?;
        check_strength("password", &password, &[username.as_str(), email.as_str()])?;
        let hash = hash_password(&password)?;
        self.write(|conn| {
            insert_user(
                conn,
                &NewUser {
                    username: username.as_str(),
                    email: email.as_str(),
                    display_name: username.as_str(),
                    password_hash: &hash,
                    role: Role::Admin.as_str(),
                    country: "ZZ",
                    profession: Profession::Other.as_str(),
                    created_at: now(),
                },
            )
        })
    }

    /// A user by username (profiles).
    pub fn user_by_username(&self, username: &str) -> Result<User> {
        let name = username.trim().to_lowercase();
        self.read(|conn| {
            users::table
                .filter(users::username.eq(&name))
                .select(User::as_select())
                .first(conn)
                .optional()?
                .ok_or(CoreError::NotFound)
        })
    }

    /// The ids of the members named by username, in order (`InvalidInput`
    /// on `field` naming the first that does not exist).
    pub fn user_ids_named(&self, field: &'static str, names: &[String]) -> Result<Vec<UserId>> {
        self.read(|conn| {
            names
                .iter()
                .map(|name| {
                    let name = name.trim().trim_start_matches('@').to_lowercase();
                    users::table
                        .filter(users::username.eq(&name))
                        .select(users::id)
                        .first::<UserId>(conn)
                        .optional()?
                        .ok_or_else(|| {
                            CoreError::invalid(field, format!("no member is called {name}"))
                        })
                })
                .collect()
        })
    }

    /// A user by id.
    pub fn user(&self, user_id: UserId) -> Result<User> {
        self.read(|conn| load_user(conn, user_id))
    }
}

impl Db {
    /// Stores a member's interface language (`None` clears it).
    pub fn set_interface_language(&self, user_id: UserId, language: Option<&str>) -> Result<()> {
        if let Some(code) = language
            && !matches!(code, "en" | "fr" | "es" | "ar")
        {
            return Err(CoreError::invalid(
                "language",
                "must be one of: en, fr, es, ar",
            ));
        }
        self.write(|conn| {
            diesel::update(users::table.find(user_id))
                .set(users::language.eq(language))
                .execute(conn)?;
            account_updated(conn, Some(user_id), Some(user_id))?;
            Ok(())
        })
    }
}

/// Logs that how `user_id` (`None`: every member) is identified changed,
/// in the caller's transaction: caches of who is asking drop it.
pub(crate) fn account_updated(
    conn: &mut DbConnection,
    user_id: Option<UserId>,
    actor: Option<UserId>,
) -> Result<()> {
    crate::store::events::append(
        conn,
        &crate::store::event_payloads::Event::AccountUpdated(
            crate::store::event_payloads::AccountUpdated { user_id },
        ),
        None,
        None,
        actor,
    )?;
    Ok(())
}

/// Shortcuts for tests: they skip the access check and the audit log, so
/// they exist only with the `test-support` feature (never in the server).
#[cfg(feature = "test-support")]
impl Db {
    /// Creates a group (restricted categories name groups).
    pub fn create_group(&self, name: &str) -> Result<GroupId> {
        let name = crate::domain::parse_line("name", name, 1, 80)?;
        self.write(|conn| create_group_in(conn, &name))
    }

    /// Adds (`member: true`) or removes a member of a group; what they may
    /// see changes with the commit, on every read path.
    pub fn set_group_membership(
        &self,
        group_id: GroupId,
        user_id: UserId,
        member: bool,
    ) -> Result<()> {
        self.write(|conn| set_membership_in(conn, group_id, user_id, member))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        for weak in [
            "aaaaaaaaaaaa",
            "password1234",
            "qwertyuiop12",
            "marie.dupont1",
        ] {
            let password = NewPassword::parse(weak).unwrap();
            let err = check_strength("password", &password, &["marie.dupont"]).unwrap_err();
            assert_eq!(err.code(), ErrorCode::WeakPassword, "{weak}");
            assert_eq!(err.field(), Some("password"));
        }
        for strong in [
            "a long enough passphrase",
            "correct horse battery",
            "another long passphrase",
            "a new long passphrase",
        ] {
            let password = NewPassword::parse(strong).unwrap();
            assert!(
                check_strength("password", &password, &["admin"]).is_ok(),
                "{strong}"
            );
        }
    }
}
