//! Invitations (membership is closed: every member is invited) and
//! registration with one.

use super::*;

pub(super) fn invitation_used() -> CoreError {
    CoreError::Invalid {
        reason: crate::error::Reason::Other,
        field: "invitation_token",
        code: ErrorCode::InvitationUsed,
        message: "this invitation was already used".to_owned(),
    }
}

pub(super) fn check_invitation(invitation: Option<Invitation>) -> Result<Invitation> {
    let Some(invitation) = invitation else {
        return Err(CoreError::Invalid {
            reason: crate::error::Reason::Other,
            field: "invitation_token",
            code: ErrorCode::InvitationInvalid,
            message: "this invitation is not valid".to_owned(),
        });
    };
    if invitation.revoked_at.is_some() {
        return Err(CoreError::Invalid {
            reason: crate::error::Reason::Other,
            field: "invitation_token",
            code: ErrorCode::InvitationInvalid,
            message: "this invitation was withdrawn".to_owned(),
        });
    }
    if invitation.used_at.is_some() {
        return Err(invitation_used());
    }
    if invitation.expires_at <= now() {
        return Err(CoreError::Invalid {
            reason: crate::error::Reason::Other,
            field: "invitation_token",
            code: ErrorCode::InvitationExpired,
            message: "this invitation has expired".to_owned(),
        });
    }
    Ok(invitation)
}

impl Db {
    /// Issues a single-use invitation. Moderators may invite members;
    /// admins may invite any role.
    pub fn create_invitation(
        &self,
        by: &Viewer,
        email: &str,
        role: Option<&str>,
        valid_for: Duration,
    ) -> Result<IssuedInvitation> {
        self.create_invitation_with(by, email, role, valid_for, None)
    }

    /// [`Db::create_invitation`], granting on registration a group and,
    /// when `grant.1` is given, a guest account ending then (an outside
    /// expert invited to a colloquium).
    pub(crate) fn create_invitation_with(
        &self,
        by: &Viewer,
        email: &str,
        role: Option<&str>,
        valid_for: Duration,
        grant: Option<(GroupId, Option<NaiveDateTime>)>,
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
            let id: InvitationId = diesel::insert_into(invitations::table)
                .values((
                    invitations::token_hash.eq(token_hash(&token)),
                    invitations::email.eq(email.as_str()),
                    invitations::role.eq(role.as_str()),
                    invitations::created_by.eq(by.id),
                    invitations::created_at.eq(created_at),
                    invitations::expires_at.eq(expires_at),
                ))
                .returning(invitations::id)
                .get_result(conn)?;
            if let Some((group, guest_until)) = grant {
                diesel::insert_into(invitation_grants::table)
                    .values((
                        invitation_grants::invitation_id.eq(id),
                        invitation_grants::group_id.eq(group),
                        invitation_grants::guest_until.eq(guest_until),
                    ))
                    .execute(conn)?;
            }
            security(
                conn,
                Some(by.id),
                "invitation.issue",
                format!("email:{}", email.as_str()),
                serde_json::json!({
                    "role": role.as_str(),
                    "group_id": grant.map(|g| g.0),
                    "guest": grant.is_some_and(|g| g.1.is_some()),
                }),
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
                    role: invitation.role.as_str(),
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
            // What the invitation grants besides the role: a group (a
            // colloquium's) and, for an outside expert, the account's end.
            let grant: Option<(GroupId, Option<NaiveDateTime>)> = invitation_grants::table
                .find(invitation.id)
                .select((invitation_grants::group_id, invitation_grants::guest_until))
                .first(conn)
                .optional()?;
            if let Some((group, guest_until)) = grant {
                super::group_membership::set_membership_in(conn, group, user.id, true)?;
                if let Some(until) = guest_until {
                    diesel::insert_into(guest_accounts::table)
                        .values((
                            guest_accounts::user_id.eq(user.id),
                            guest_accounts::expires_at.eq(until),
                        ))
                        .execute(conn)?;
                }
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
}
