//! Signing in, sessions and refresh tokens: created, rotated, listed and
//! ended.

use super::*;

pub(super) fn insert_refresh_token(
    conn: &mut DbConnection,
    session_id: SessionId,
    token: &str,
) -> Result<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(token_hash(token)),
            refresh_tokens::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

pub(super) fn revoke(conn: &mut DbConnection, session_id: SessionId) -> Result<()> {
    let ended: Vec<UserId> = diesel::update(
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
pub(super) fn sessions_revoked(conn: &mut DbConnection, user_id: UserId) -> Result<()> {
    events::append(
        conn,
        &Event::SessionsRevoked(event_payloads::UserRef { user_id }),
        None,
        None,
        Some(user_id),
    )?;
    Ok(())
}

pub(super) fn invalid_refresh() -> CoreError {
    CoreError::unauthenticated(
        ErrorCode::InvalidRefreshToken,
        "the refresh token is not valid",
    )
}

pub(crate) fn revoke_all(conn: &mut DbConnection, user_id: UserId) -> Result<usize> {
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

pub(super) fn revoke_others(
    conn: &mut DbConnection,
    user_id: UserId,
    keep: SessionId,
) -> Result<usize> {
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

impl Db {
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
        let guest_until: Option<NaiveDateTime> = self.read(|conn| {
            Ok(guest_accounts::table
                .find(user.id)
                .select(guest_accounts::expires_at)
                .first(conn)
                .optional()?)
        })?;
        if guest_until.is_some_and(|until| until <= now()) {
            return Err(CoreError::forbidden(
                ErrorCode::AccountExpired,
                "this guest account has ended",
            ));
        }
        Ok(user)
    }

    /// Opens a session for a user who just proved who they are.
    /// `second_factor`: whether they also passed the second factor.
    pub fn create_session(
        &self,
        user_id: UserId,
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
                    session_id = session.id.get(),
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
    pub fn revoke_session(&self, session_id: SessionId) -> Result<()> {
        self.write(|conn| {
            let user: Option<UserId> = sessions::table
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
    pub fn viewer_for_session(
        &self,
        user_id: UserId,
        session_id: SessionId,
    ) -> Result<Option<Viewer>> {
        self.read(|conn| {
            // The session and its member in one query: this runs on every
            // request.
            let found: Option<(Session, User)> = sessions::table
                .inner_join(users::table)
                .filter(sessions::id.eq(session_id))
                .select((Session::as_select(), User::as_select()))
                .first(conn)
                .optional()?;
            let Some((session, user)) =
                found.filter(|(s, _)| s.user_id == user_id && s.revoked_at.is_none())
            else {
                return Ok(None);
            };
            if user.suspended_until.is_some_and(|until| until > now()) {
                return Ok(None);
            }
            let groups = group_members::table
                .filter(group_members::user_id.eq(user.id))
                .select(group_members::group_id)
                .load(conn)?;
            let guest_until: Option<NaiveDateTime> = guest_accounts::table
                .find(user.id)
                .select(guest_accounts::expires_at)
                .first(conn)
                .optional()?;
            if guest_until.is_some_and(|until| until <= now()) {
                return Ok(None);
            }
            let mut viewer = Viewer::from_user(&user, session.id, groups);
            viewer.guest_until = guest_until;
            viewer.feed_generation = super::feeds::generation(conn, user.id)?;
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

    /// A member's live sessions, most recently used first.
    pub fn live_sessions(&self, user_id: UserId) -> Result<Vec<Session>> {
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
    pub fn revoke_own_session(&self, user_id: UserId, session_id: SessionId) -> Result<()> {
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
    pub fn revoke_other_sessions(&self, user_id: UserId, keep: SessionId) -> Result<usize> {
        self.write(|conn| revoke_others(conn, user_id, keep))
    }

    /// An admin ends every session of a member (a stolen account, a
    /// departure): their tokens stop working and their sockets close.
    pub fn end_sessions_of(&self, by: &Viewer, user_id: UserId) -> Result<usize> {
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
}
