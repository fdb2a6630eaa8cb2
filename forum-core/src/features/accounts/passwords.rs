//! Changing a password, and one-time reset links issued by admins.

use super::*;

/// A member's new password (field `new_password`), long enough and not
/// guessable from their own names.
pub(super) fn new_password_for(user: &User, new: &str) -> Result<NewPassword> {
    let new = NewPassword::parse(new).map_err(|_| CoreError::Invalid {
        reason: crate::error::Reason::Other,
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
pub(super) fn security(
    conn: &mut DbConnection,
    actor: Option<UserId>,
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

/// A password reset link's secret part, shown once to the admin.
#[derive(Debug, Clone)]
pub struct IssuedReset {
    pub token: String,
    pub expires_at: NaiveDateTime,
}

impl Db {
    /// Changes a member's password after checking the current one, and
    /// ends every other session (a stolen session dies with the change).
    pub fn change_password(
        &self,
        user_id: UserId,
        keep_session: SessionId,
        current: &str,
        new: &str,
    ) -> Result<usize> {
        let user = self.user(user_id)?;
        if !verify_password(current, &user.password_hash) {
            return Err(CoreError::Invalid {
                reason: crate::error::Reason::Other,
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

    /// An admin issues a one-time password reset link for a member (e-mail
    /// may be off); it expires after `valid_for`.
    pub fn issue_password_reset(
        &self,
        by: &Viewer,
        user_id: UserId,
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
            super::load_live_user(conn, user_id)?;
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
                Some((user_id, expires_at, None)) if expires_at > now() => {
                    load_user(conn, UserId::from(user_id))
                }
                _ => Err(CoreError::Invalid {
                    reason: crate::error::Reason::Other,
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
                    reason: crate::error::Reason::Other,
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
