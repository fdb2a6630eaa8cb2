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
use crate::store::rows::{Invitation, NewUser, RefreshToken, Session, User};
use crate::store::schema::{
    group_members, groups, invitations, password_resets, refresh_tokens, sessions, users,
};

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
    pub session_id: i64,
    pub refresh_token: String,
}

pub(crate) fn load_user(conn: &mut DbConnection, user_id: i64) -> Result<User> {
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
    let id: i64 = diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result(conn)?;
    let user = load_user(conn, id)?;
    events::append(
        conn,
        &Event::UserCreated(event_payloads::UserCreated {
            user_id: user.id,
            username: user.username.clone(),
            role: user.role.clone(),
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

    /// Issues a single-use invitation. Moderators may invite members;
    /// admins may invite any role.
    pub fn create_invitation(
        &self,
        by: &Viewer,
        email: &str,
        role: Option<&str>,
        valid_for: Duration,
    ) -> Result<IssuedInvitation> {
        crate::access::check_second_factor(by)?;
        if !crate::access::can_invite(by) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only moderators and admins can invite",
            ));
        }
        let email = Email::parse(email)?;
        let role = match role {
            Some(r) => Role::parse(r)?,
            None => Role::Member,
        };
        if role != Role::Member && by.role != Role::Admin {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins can invite moderators and admins",
            ));
        }
        let token = random_token();
        let created_at = now();
        let expires_at = created_at + valid_for;
        self.write(|conn| {
            diesel::insert_into(invitations::table)
                .values((
                    invitations::token_hash.eq(token_hash(&token)),
                    invitations::email.eq(email.as_str()),
                    invitations::role.eq(role.as_str()),
                    invitations::created_by.eq(by.id),
                    invitations::created_at.eq(created_at),
                    invitations::expires_at.eq(expires_at),
                ))
                .execute(conn)?;
            security(
                conn,
                Some(by.id),
                "invitation.issue",
                format!("email:{}", email.as_str()),
                serde_json::json!({ "role": role.as_str() }),
            )
        })?;
        Ok(IssuedInvitation {
            token,
            email: email.as_str().to_owned(),
            role,
            expires_at,
        })
    }

    /// Looks an invitation up without using it (for the registration page).
    pub fn pending_invitation(&self, token: &str) -> Result<Invitation> {
        let hash = token_hash(token);
        let invitation = self.read(|conn| {
            Ok(invitations::table
                .filter(invitations::token_hash.eq(&hash))
                .select(Invitation::as_select())
                .first(conn)
                .optional()?)
        })?;
        check_invitation(invitation)
    }

    /// Registers a new expert with an invitation; the invitation is used up
    /// in the same transaction.
    pub fn register(&self, input: &Registration<'_>) -> Result<User> {
        let username = Username::parse(input.username)?;
        let display_name = DisplayName::parse(input.display_name)?;
        let country = CountryCode::parse("country", input.country)?;
        let profession = Profession::parse(input.profession)?;
        let password = NewPassword::parse(input.password)?;
        // Check the invitation before paying for the hash.
        let invitation = self.pending_invitation(input.invitation_token)?;
        check_strength(
            "password",
            &password,
            &[username.as_str(), display_name.as_str(), &invitation.email],
        )?;
        let hash = hash_password(&password)?;
        let token_hash = token_hash(input.invitation_token);
        self.write(|conn| {
            let invitation = check_invitation(
                invitations::table
                    .filter(invitations::token_hash.eq(&token_hash))
                    .select(Invitation::as_select())
                    .first(conn)
                    .optional()?,
            )?;
            let user = insert_user(
                conn,
                &NewUser {
                    username: username.as_str(),
                    email: &invitation.email,
                    display_name: display_name.as_str(),
                    password_hash: &hash,
                    role: &invitation.role,
                    country: country.as_str(),
                    profession: profession.as_str(),
                    created_at: now(),
                },
            )?;
            let used = diesel::update(
                invitations::table
                    .filter(invitations::id.eq(invitation.id))
                    .filter(invitations::used_at.is_null()),
            )
            .set((
                invitations::used_at.eq(now()),
                invitations::used_by.eq(user.id),
            ))
            .execute(conn)?;
            if used != 1 {
                return Err(invitation_used());
            }
            security(
                conn,
                Some(user.id),
                "invitation.use",
                format!("user:{}", user.id),
                serde_json::json!({ "invitation_id": invitation.id, "role": user.role }),
            )?;
            Ok(user)
        })
    }

    /// Checks a username and password. Unknown users and wrong passwords
    /// give the same error and take the same time.
    pub fn authenticate(&self, username: &str, password: &str) -> Result<User> {
        let name = username.trim().to_lowercase();
        let user = self.read(|conn| {
            Ok(users::table
                .filter(users::username.eq(&name))
                .select(User::as_select())
                .first(conn)
                .optional()?)
        })?;
        let Some(user) = user else {
            verify_password(password, &DUMMY_HASH);
            return Err(invalid_credentials());
        };
        if !verify_password(password, &user.password_hash) {
            return Err(invalid_credentials());
        }
        if user.suspended_until.is_some_and(|until| until > now()) {
            return Err(CoreError::forbidden(
                ErrorCode::AccountSuspended,
                "this account is suspended",
            ));
        }
        Ok(user)
    }

    /// Opens a session for a user who just proved who they are.
    /// `second_factor`: whether they also passed the second factor.
    pub fn create_session(
        &self,
        user_id: i64,
        user_agent: &str,
        second_factor: bool,
        ip: Option<&str>,
    ) -> Result<IssuedSession> {
        let agent: String = user_agent.chars().take(300).collect();
        let token = random_token();
        self.write(|conn| {
            let at = now();
            let session_id = diesel::insert_into(sessions::table)
                .values((
                    sessions::user_id.eq(user_id),
                    sessions::created_at.eq(at),
                    sessions::last_seen_at.eq(at),
                    sessions::user_agent.eq(&agent),
                    sessions::second_factor.eq(second_factor),
                    sessions::last_ip.eq(ip),
                ))
                .returning(sessions::id)
                .get_result(conn)?;
            insert_refresh_token(conn, session_id, &token)?;
            security(
                conn,
                Some(user_id),
                "login.success",
                format!("user:{user_id}"),
                serde_json::json!({ "session_id": session_id, "ip": ip, "second_factor": second_factor }),
            )?;
            Ok(IssuedSession {
                session_id,
                refresh_token: token,
            })
        })
    }

    /// Trades a refresh token for a new one in the same session. A token
    /// that was already used revokes the whole session — unless it was used
    /// less than `reuse_grace` ago: a browser that sends two requests at once
    /// with the same refresh cookie is not an attacker, so that second use is
    /// refused without ending the session. API clients get no grace.
    pub fn rotate_refresh_token(
        &self,
        token: &str,
        reuse_grace: Duration,
        ip: Option<&str>,
    ) -> Result<(User, IssuedSession)> {
        let hash = token_hash(token);
        // The write commits even when the answer is an error (a reuse
        // revokes the session), hence the nested Result.
        self.write(|conn| {
            let Some(stored) = refresh_tokens::table
                .filter(refresh_tokens::token_hash.eq(&hash))
                .select(RefreshToken::as_select())
                .first(conn)
                .optional()?
            else {
                return Ok(Err(invalid_refresh()));
            };
            let session: Session = sessions::table
                .find(stored.session_id)
                .select(Session::as_select())
                .first(conn)?;
            if session.revoked_at.is_some() {
                return Ok(Err(invalid_refresh()));
            }
            if let Some(used_at) = stored.used_at {
                if now() - used_at < reuse_grace {
                    return Ok(Err(CoreError::unauthenticated(
                        ErrorCode::RefreshTokenJustUsed,
                        "the refresh token was used a moment ago",
                    )));
                }
                // Reuse means the token was stolen or replayed: end the
                // family. The revocation must commit, so this is Ok(Err).
                revoke(conn, session.id)?;
                security(
                    conn,
                    Some(session.user_id),
                    "session.refresh_reuse",
                    format!("user:{}", session.user_id),
                    serde_json::json!({ "session_id": session.id, "ip": ip }),
                )?;
                tracing::warn!(
                    session_id = session.id,
                    "refresh token reuse, session revoked"
                );
                return Ok(Err(invalid_refresh()));
            }
            let user = load_user(conn, session.user_id)?;
            if user.suspended_until.is_some_and(|until| until > now()) {
                return Ok(Err(invalid_refresh()));
            }
            diesel::update(refresh_tokens::table.find(stored.id))
                .set(refresh_tokens::used_at.eq(now()))
                .execute(conn)?;
            diesel::update(sessions::table.find(session.id))
                .set((sessions::last_seen_at.eq(now()), sessions::last_ip.eq(ip)))
                .execute(conn)?;
            let fresh = random_token();
            insert_refresh_token(conn, session.id, &fresh)?;
            Ok(Ok((
                user,
                IssuedSession {
                    session_id: session.id,
                    refresh_token: fresh,
                },
            )))
        })?
    }

    /// Ends a session; its refresh tokens and access tokens stop working.
    pub fn revoke_session(&self, session_id: i64) -> Result<()> {
        self.write(|conn| {
            let user: Option<i64> = sessions::table
                .find(session_id)
                .select(sessions::user_id)
                .first(conn)
                .optional()?;
            revoke(conn, session_id)?;
            if let Some(user) = user {
                security(
                    conn,
                    Some(user),
                    "logout",
                    format!("user:{user}"),
                    serde_json::json!({ "session_id": session_id }),
                )?;
            }
            Ok(())
        })
    }

    /// The viewer behind an access token's user and session, if the session
    /// is live and the account usable.
    pub fn viewer_for_session(&self, user_id: i64, session_id: i64) -> Result<Option<Viewer>> {
        self.read(|conn| {
            let session = sessions::table
                .find(session_id)
                .select(Session::as_select())
                .first(conn)
                .optional()?;
            let Some(session) = session.filter(|s| s.user_id == user_id && s.revoked_at.is_none())
            else {
                return Ok(None);
            };
            let user = load_user(conn, session.user_id)?;
            if user.suspended_until.is_some_and(|until| until > now()) {
                return Ok(None);
            }
            let groups = group_members::table
                .filter(group_members::user_id.eq(user.id))
                .select(group_members::group_id)
                .load(conn)?;
            let mut viewer = Viewer::from_user(&user, session.id, groups);
            let mut policy = self.second_factor_policy().get();
            if policy != SecondFactorPolicy::Everyone
                && crate::features::accounts::second_factor::required_for_everyone(conn)?
            {
                policy = SecondFactorPolicy::Everyone;
            }
            viewer.second_factor_missing =
                policy.requires(viewer.is_staff()) && !session.second_factor;
            Ok(Some(viewer))
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

    /// A user by id.
    pub fn user(&self, user_id: i64) -> Result<User> {
        self.read(|conn| load_user(conn, user_id))
    }
}

fn insert_refresh_token(conn: &mut DbConnection, session_id: i64, token: &str) -> Result<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash(token)),
            refresh_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

fn revoke(conn: &mut DbConnection, session_id: i64) -> Result<()> {
    let ended: Vec<i64> = diesel::update(
        sessions::table
            .find(session_id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now()))
    .returning(sessions::user_id)
    .get_results(conn)?;
    if let Some(&user_id) = ended.first() {
        sessions_revoked(conn, user_id)?;
    }
    Ok(())
}

/// Records that sessions of `user_id` ended, so live connections of that
/// member revalidate at once (on every server process).
fn sessions_revoked(conn: &mut DbConnection, user_id: i64) -> Result<()> {
    events::append(
        conn,
        &Event::SessionsRevoked(event_payloads::UserRef { user_id }),
        None,
        None,
        Some(user_id),
    )?;
    Ok(())
}

fn invalid_refresh() -> CoreError {
    CoreError::unauthenticated(
        ErrorCode::InvalidRefreshToken,
        "the refresh token is not valid",
    )
}

fn invitation_used() -> CoreError {
    CoreError::Invalid {
        field: "invitation_token",
        code: ErrorCode::InvitationUsed,
        message: "this invitation was already used".to_owned(),
    }
}

fn check_invitation(invitation: Option<Invitation>) -> Result<Invitation> {
    let Some(invitation) = invitation else {
        return Err(CoreError::Invalid {
            field: "invitation_token",
            code: ErrorCode::InvitationInvalid,
            message: "this invitation is not valid".to_owned(),
        });
    };
    if invitation.used_at.is_some() {
        return Err(invitation_used());
    }
    if invitation.expires_at <= now() {
        return Err(CoreError::Invalid {
            field: "invitation_token",
            code: ErrorCode::InvitationExpired,
            message: "this invitation has expired".to_owned(),
        });
    }
    Ok(invitation)
}

impl Db {
    /// Ids of the groups a user belongs to.
    pub fn user_groups(&self, user_id: i64) -> Result<Vec<i64>> {
        self.read(|conn| {
            Ok(group_members::table
                .filter(group_members::user_id.eq(user_id))
                .select(group_members::group_id)
                .load(conn)?)
        })
    }
}

impl Db {
    /// Stores a member's interface language (`None` clears it).
    pub fn set_interface_language(&self, user_id: i64, language: Option<&str>) -> Result<()> {
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
            Ok(())
        })
    }
}

impl Db {
    /// A member's live sessions, most recently used first.
    pub fn live_sessions(&self, user_id: i64) -> Result<Vec<Session>> {
        self.read(|conn| {
            Ok(sessions::table
                .filter(sessions::user_id.eq(user_id))
                .filter(sessions::revoked_at.is_null())
                .order((sessions::last_seen_at.desc(), sessions::id.desc()))
                .select(Session::as_select())
                .load(conn)?)
        })
    }

    /// Ends one of the member's own sessions; `NotFound` for anyone else's
    /// or one already ended.
    pub fn revoke_own_session(&self, user_id: i64, session_id: i64) -> Result<()> {
        self.write(|conn| {
            let ended = diesel::update(
                sessions::table
                    .filter(sessions::id.eq(session_id))
                    .filter(sessions::user_id.eq(user_id))
                    .filter(sessions::revoked_at.is_null()),
            )
            .set(sessions::revoked_at.eq(now()))
            .execute(conn)?;
            if ended == 0 {
                return Err(CoreError::NotFound);
            }
            sessions_revoked(conn, user_id)
        })
    }

    /// Ends every session of the member but `keep`; returns how many.
    pub fn revoke_other_sessions(&self, user_id: i64, keep: i64) -> Result<usize> {
        self.write(|conn| revoke_others(conn, user_id, keep))
    }

    /// Changes a member's password after checking the current one, and
    /// ends every other session (a stolen session dies with the change).
    pub fn change_password(
        &self,
        user_id: i64,
        keep_session: i64,
        current: &str,
        new: &str,
    ) -> Result<usize> {
        let user = self.user(user_id)?;
        if !verify_password(current, &user.password_hash) {
            return Err(CoreError::Invalid {
                field: "current_password",
                code: ErrorCode::WrongPassword,
                message: "the current password is not correct".to_owned(),
            });
        }
        let new = new_password_for(&user, new)?;
        if new.expose() == current {
            return Err(CoreError::invalid(
                "new_password",
                "must differ from the current password",
            ));
        }
        let hash = hash_password(&new)?;
        self.write(|conn| {
            diesel::update(users::table.find(user_id))
                .set(users::password_hash.eq(&hash))
                .execute(conn)?;
            revoke_others(conn, user_id, keep_session)
        })
    }
}

/// A member's new password (field `new_password`), long enough and not
/// guessable from their own names.
fn new_password_for(user: &User, new: &str) -> Result<NewPassword> {
    let new = NewPassword::parse(new).map_err(|_| CoreError::Invalid {
        field: "new_password",
        code: ErrorCode::InvalidField,
        message: "must be at least 12 characters".to_owned(),
    })?;
    check_strength(
        "new_password",
        &new,
        &[&user.username, &user.email, &user.display_name],
    )?;
    Ok(new)
}

/// Ends every live session of a member (and tells their sockets).
/// Writes a security event to the audit log.
fn security(
    conn: &mut DbConnection,
    actor: Option<i64>,
    action: &str,
    target: String,
    details: serde_json::Value,
) -> Result<()> {
    crate::store::audit::append(
        conn,
        crate::store::audit::Entry {
            actor,
            action,
            target,
            reason: "",
            details,
        },
    )
    .map(|_| ())
}

pub(crate) fn revoke_all(conn: &mut DbConnection, user_id: i64) -> Result<usize> {
    let ended = diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now()))
    .execute(conn)?;
    sessions_revoked(conn, user_id)?;
    Ok(ended)
}

fn revoke_others(conn: &mut DbConnection, user_id: i64, keep: i64) -> Result<usize> {
    let ended = diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now()))
    .execute(conn)?;
    if ended > 0 {
        sessions_revoked(conn, user_id)?;
    }
    Ok(ended)
}

/// Shortcuts for tests: they skip the access check and the audit log, so
/// they exist only with the `test-support` feature (never in the server).
#[cfg(feature = "test-support")]
impl Db {
    /// Creates a group (restricted categories name groups).
    pub fn create_group(&self, name: &str) -> Result<i64> {
        let name = crate::domain::parse_line("name", name, 1, 80)?;
        self.write(|conn| create_group_in(conn, &name))
    }

    /// Adds (`member: true`) or removes a member of a group; what they may
    /// see changes with the commit, on every read path.
    pub fn set_group_membership(&self, group_id: i64, user_id: i64, member: bool) -> Result<()> {
        self.write(|conn| set_membership_in(conn, group_id, user_id, member))
    }
}

/// Creates a group named `name` (already checked).
pub(crate) fn create_group_in(conn: &mut DbConnection, name: &str) -> Result<i64> {
    let taken: i64 = groups::table
        .filter(groups::name.eq(name))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(CoreError::conflict(
            ErrorCode::GroupExists,
            "a group with this name exists",
        ));
    }
    let id = diesel::insert_into(groups::table)
        .values((groups::name.eq(name), groups::created_at.eq(now())))
        .returning(groups::id)
        .get_result(conn)?;
    events::append(
        conn,
        &Event::GroupCreated(event_payloads::GroupCreated {
            group_id: id,
            name: name.to_owned(),
        }),
        None,
        None,
        None,
    )?;
    Ok(id)
}

/// Adds or removes a group member; `membership_changed` when it changed.
pub(crate) fn set_membership_in(
    conn: &mut DbConnection,
    group_id: i64,
    user_id: i64,
    member: bool,
) -> Result<()> {
    load_user(conn, user_id)?;
    let known: i64 = groups::table.find(group_id).count().get_result(conn)?;
    if known == 0 {
        return Err(CoreError::NotFound);
    }
    let already: i64 = group_members::table
        .filter(group_members::group_id.eq(group_id))
        .filter(group_members::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    let changed = if member {
        if already > 0 {
            0
        } else {
            diesel::insert_into(group_members::table)
                .values((
                    group_members::group_id.eq(group_id),
                    group_members::user_id.eq(user_id),
                ))
                .execute(conn)?
        }
    } else {
        diesel::delete(
            group_members::table
                .filter(group_members::group_id.eq(group_id))
                .filter(group_members::user_id.eq(user_id)),
        )
        .execute(conn)?
    };
    if changed > 0 {
        events::append(
            conn,
            &Event::MembershipChanged(event_payloads::MembershipChanged {
                user_id,
                group_id,
                member,
            }),
            None,
            None,
            Some(user_id),
        )?;
    }
    Ok(())
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

/// A password reset link's secret part, shown once to the admin.
#[derive(Debug, Clone)]
pub struct IssuedReset {
    pub token: String,
    pub expires_at: NaiveDateTime,
}

impl Db {
    /// An admin ends every session of a member (a stolen account, a
    /// departure): their tokens stop working and their sockets close.
    pub fn end_sessions_of(&self, by: &Viewer, user_id: i64) -> Result<usize> {
        crate::access::check_second_factor(by)?;
        if !crate::access::can_manage_users(by) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins can do this",
            ));
        }
        self.write(|conn| {
            load_user(conn, user_id)?;
            let ended = revoke_all(conn, user_id)?;
            security(
                conn,
                Some(by.id),
                "user.end_sessions",
                format!("user:{user_id}"),
                serde_json::json!({ "sessions": ended }),
            )?;
            Ok(ended)
        })
    }

    /// An admin issues a one-time password reset link for a member (e-mail
    /// may be off); it expires after `valid_for`.
    pub fn issue_password_reset(
        &self,
        by: &Viewer,
        user_id: i64,
        valid_for: Duration,
    ) -> Result<IssuedReset> {
        crate::access::check_second_factor(by)?;
        if !crate::access::can_manage_users(by) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins can do this",
            ));
        }
        let token = random_token();
        self.write(|conn| {
            load_user(conn, user_id)?;
            let at = now();
            let expires_at = at + valid_for;
            diesel::insert_into(password_resets::table)
                .values((
                    password_resets::token_hash.eq(token_hash(&token)),
                    password_resets::user_id.eq(user_id),
                    password_resets::created_by.eq(by.id),
                    password_resets::created_at.eq(at),
                    password_resets::expires_at.eq(expires_at),
                ))
                .execute(conn)?;
            security(
                conn,
                Some(by.id),
                "user.reset_link",
                format!("user:{user_id}"),
                serde_json::json!({}),
            )?;
            Ok(IssuedReset {
                token: token.clone(),
                expires_at,
            })
        })
    }

    /// The member a usable reset token is for.
    pub fn password_reset_user(&self, token: &str) -> Result<User> {
        let hash = token_hash(token);
        self.read(|conn| {
            let row: Option<(i64, NaiveDateTime, Option<NaiveDateTime>)> = password_resets::table
                .filter(password_resets::token_hash.eq(&hash))
                .select((
                    password_resets::user_id,
                    password_resets::expires_at,
                    password_resets::used_at,
                ))
                .first(conn)
                .optional()?;
            match row {
                Some((user_id, expires_at, None)) if expires_at > now() => load_user(conn, user_id),
                _ => Err(CoreError::Invalid {
                    field: "token",
                    code: ErrorCode::ResetLinkInvalid,
                    message: "this reset link is not valid (used, expired or unknown)".to_owned(),
                }),
            }
        })
    }

    /// Sets a new password through a reset link: the link is spent and
    /// every session of the member ends.
    pub fn reset_password(&self, token: &str, new: &str) -> Result<User> {
        let user = self.password_reset_user(token)?;
        let new = new_password_for(&user, new)?;
        let hash = hash_password(&new)?;
        let token_hash = token_hash(token);
        self.write(|conn| {
            let spent = diesel::update(
                password_resets::table
                    .filter(password_resets::token_hash.eq(&token_hash))
                    .filter(password_resets::used_at.is_null()),
            )
            .set(password_resets::used_at.eq(now()))
            .execute(conn)?;
            if spent != 1 {
                return Err(CoreError::Invalid {
                    field: "token",
                    code: ErrorCode::ResetLinkInvalid,
                    message: "this reset link is not valid (used, expired or unknown)".to_owned(),
                });
            }
            diesel::update(users::table.find(user.id))
                .set(users::password_hash.eq(&hash))
                .execute(conn)?;
            revoke_all(conn, user.id)?;
            security(
                conn,
                Some(user.id),
                "user.password_reset",
                format!("user:{}", user.id),
                serde_json::json!({}),
            )?;
            Ok(user.clone())
        })
    }
}
