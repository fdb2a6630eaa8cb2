//! The member directory staff work from: finding members, an admin
//! changing a member's role and groups, and pending invitations (listed,
//! revoked).

use super::*;
use crate::store::audit::{self, Entry};

/// Which members a staff list shows.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Part of the username or display name (case-insensitive).
    pub query: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub role: Option<Role>,
}

/// One member as the staff list shows them.
#[derive(Debug, Clone)]
pub struct MemberSummary {
    pub user: User,
    pub groups: Vec<GroupId>,
}

/// An invitation not yet used, revoked or expired.
#[derive(Debug, Clone)]
pub struct PendingInvitation {
    pub id: InvitationId,
    pub email: String,
    pub role: Role,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// The most members one list shows.
pub const MEMBER_LIST_LIMIT: i64 = 200;

/// PostgreSQL advisory lock taken before counting admins, so two admins
/// demoting each other at once cannot both pass the last-admin check
/// (721131–721136 are the migrations, the log, the audit chain, the
/// notifier and the mailers).
const ROLE_LOCK: i64 = 721137;

fn admins_only(viewer: &Viewer) -> Result<()> {
    crate::access::check_second_factor(viewer)?;
    if !crate::access::can_manage_roles(viewer) {
        return Err(CoreError::forbidden(
            ErrorCode::Forbidden,
            "only admins change roles and groups",
        ));
    }
    Ok(())
}

impl Db {
    /// Members matching `filter`, by username (staff only).
    pub fn members(&self, viewer: &Viewer, filter: &MemberFilter) -> Result<Vec<MemberSummary>> {
        if !crate::access::can_list_members(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::ModeratorsOnly,
                "for moderators and admins",
            ));
        }
        let country = match filter.country.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => Some(CountryCode::parse("country", c)?.as_str().to_owned()),
            _ => None,
        };
        let pattern = filter
            .query
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| {
                let escaped: String = q
                    .to_lowercase()
                    .chars()
                    .filter(|c| !matches!(c, '%' | '_' | '\\'))
                    .collect();
                format!("%{escaped}%")
            });
        self.read(|conn| {
            let mut query = users::table.select(User::as_select()).into_boxed();
            if let Some(country) = &country {
                query = query.filter(users::country.eq(country.clone()));
            }
            if let Some(role) = filter.role {
                query = query.filter(users::role.eq(role.as_str()));
            }
            if let Some(pattern) = &pattern {
                query = query.filter(
                    users::username.like(pattern.clone()).or(diesel::dsl::sql::<
                        diesel::sql_types::Bool,
                    >(
                        "LOWER(display_name) LIKE "
                    )
                    .bind::<diesel::sql_types::Text, _>(pattern.clone())),
                );
            }
            let users: Vec<User> = query
                .order(users::username.asc())
                .limit(MEMBER_LIST_LIMIT)
                .load(conn)?;
            let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
            let memberships: Vec<(UserId, GroupId)> = group_members::table
                .filter(group_members::user_id.eq_any(&ids))
                .select((group_members::user_id, group_members::group_id))
                .load(conn)?;
            Ok(users
                .into_iter()
                .map(|user| {
                    let groups = memberships
                        .iter()
                        .filter(|m| m.0 == user.id)
                        .map(|m| m.1)
                        .collect();
                    MemberSummary { user, groups }
                })
                .collect())
        })
    }

    /// An admin changes a member's role and/or the exact set of groups
    /// they belong to, in one transaction, audited. What the member may see
    /// and do changes with the commit; their live connections revalidate.
    /// The last admin cannot lose the role (`last_admin`).
    pub fn update_member(
        &self,
        viewer: &Viewer,
        user_id: UserId,
        role: Option<&str>,
        groups: Option<&[GroupId]>,
    ) -> Result<MemberSummary> {
        admins_only(viewer)?;
        let role = role.map(Role::parse).transpose()?;
        let wanted: Option<Vec<GroupId>> = groups.map(|g| {
            let mut g = g.to_vec();
            g.sort_unstable();
            g.dedup();
            g
        });
        self.write(|conn| {
            if let DbConnection::Pg(pg) = conn {
                diesel::connection::SimpleConnection::batch_execute(
                    pg,
                    &format!("SELECT pg_advisory_xact_lock({ROLE_LOCK})"),
                )?;
            }
            let target = super::load_live_user(conn, user_id)?;
            if let Some(role) = role
                && role != target.role
            {
                if target.role == Role::Admin {
                    let admins: i64 = users::table
                        .filter(users::role.eq(Role::Admin.as_str()))
                        .count()
                        .get_result(conn)?;
                    if admins <= 1 {
                        return Err(CoreError::Invalid {
                            reason: crate::error::Reason::Other,
                            field: "role",
                            code: ErrorCode::LastAdmin,
                            message: "the forum needs at least one admin: make another member admin first".to_owned(),
                        });
                    }
                }
                diesel::update(users::table.find(target.id))
                    .set(users::role.eq(role.as_str()))
                    .execute(conn)?;
                events::append(
                    conn,
                    &Event::RoleChanged(event_payloads::RoleChanged {
                        user_id: target.id,
                        role,
                    }),
                    None,
                    None,
                    Some(target.id),
                )?;
                audit::append(
                    conn,
                    Entry {
                        actor: Some(viewer.id),
                        action: "user.role",
                        target: format!("user:{}", target.id),
                        reason: "",
                        details: serde_json::json!({
                            "from": target.role.as_str(),
                            "to": role.as_str(),
                        }),
                    },
                )?;
            }
            if let Some(wanted) = &wanted {
                let known: Vec<GroupId> = groups::table
                    .filter(groups::id.eq_any(wanted))
                    .select(groups::id)
                    .load(conn)?;
                if let Some(unknown) = wanted.iter().find(|g| !known.contains(g)) {
                    return Err(CoreError::invalid(
                        "groups",
                        format!("there is no group {unknown}"),
                    ));
                }
                let current: Vec<GroupId> = group_members::table
                    .filter(group_members::user_id.eq(target.id))
                    .select(group_members::group_id)
                    .load(conn)?;
                let changes = wanted
                    .iter()
                    .filter(|g| !current.contains(g))
                    .map(|&g| (g, true))
                    .chain(
                        current
                            .iter()
                            .filter(|g| !wanted.contains(g))
                            .map(|&g| (g, false)),
                    )
                    .collect::<Vec<_>>();
                for (group_id, member) in changes {
                    change_membership_as(conn, viewer.id, group_id, target.id, member)?;
                }
            }
            let user = load_user(conn, target.id)?;
            let groups = group_members::table
                .filter(group_members::user_id.eq(user.id))
                .select(group_members::group_id)
                .order(group_members::group_id.asc())
                .load(conn)?;
            Ok(MemberSummary { user, groups })
        })
    }

    /// Invitations not yet used, revoked or expired, newest first: all of
    /// them for admins, a moderator's own for a moderator.
    pub fn pending_invitations(&self, viewer: &Viewer) -> Result<Vec<PendingInvitation>> {
        if !crate::access::can_invite(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::ModeratorsOnly,
                "for moderators and admins",
            ));
        }
        let everyone = viewer.is_admin();
        self.read(|conn| {
            let mut query = invitations::table
                .inner_join(users::table.on(users::id.eq(invitations::created_by)))
                .filter(invitations::used_at.is_null())
                .filter(invitations::revoked_at.is_null())
                .filter(invitations::expires_at.gt(now()))
                .select((
                    invitations::id,
                    invitations::email,
                    invitations::role,
                    users::username,
                    invitations::created_at,
                    invitations::expires_at,
                ))
                .into_boxed();
            if !everyone {
                query = query.filter(invitations::created_by.eq(viewer.id));
            }
            let rows: Vec<(
                InvitationId,
                String,
                String,
                String,
                NaiveDateTime,
                NaiveDateTime,
            )> = query.order(invitations::id.desc()).load(conn)?;
            rows.into_iter()
                .map(|(id, email, role, created_by, created_at, expires_at)| {
                    Ok(PendingInvitation {
                        id,
                        email,
                        role: Role::parse(&role)?,
                        created_by,
                        created_at,
                        expires_at,
                    })
                })
                .collect()
        })
    }

    /// Withdraws a pending invitation (audited): its link stops working.
    /// Admins revoke any; moderators their own. Unknown, used or already
    /// revoked invitations are 404.
    pub fn revoke_invitation(&self, viewer: &Viewer, invitation_id: InvitationId) -> Result<()> {
        crate::access::check_second_factor(viewer)?;
        if !crate::access::can_invite(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::ModeratorsOnly,
                "for moderators and admins",
            ));
        }
        self.write(|conn| {
            let invitation: Invitation = invitations::table
                .find(invitation_id)
                .select(Invitation::as_select())
                .first(conn)
                .optional()?
                .ok_or(CoreError::NotFound)?;
            if invitation.used_at.is_some()
                || invitation.revoked_at.is_some()
                || (!viewer.is_admin() && invitation.created_by != viewer.id)
            {
                return Err(CoreError::NotFound);
            }
            diesel::update(invitations::table.find(invitation.id))
                .set(invitations::revoked_at.eq(Some(now())))
                .execute(conn)?;
            security(
                conn,
                Some(viewer.id),
                "invitation.revoke",
                format!("email:{}", invitation.email),
                serde_json::json!({ "invitation_id": invitation.id }),
            )
        })
    }
}
