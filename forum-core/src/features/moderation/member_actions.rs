//! Moderators' and admins' actions on members: suspension, and groups
//! (which restricted categories name).

use super::*;
use crate::store::rows::User;

impl Db {
    /// Suspends a member until `until` (UTC): they cannot sign in, post or
    /// keep a session or a live socket.
    pub fn suspend(
        &self,
        viewer: &Viewer,
        user_id: UserId,
        until: NaiveDateTime,
        why: &str,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        if until <= now() {
            return Err(CoreError::invalid("until", "must be in the future"));
        }
        self.write(|conn| {
            let target = suspendable(conn, viewer, user_id, "you may not suspend this member")?;
            diesel::update(users::table.find(target.id))
                .set((
                    users::suspended_until.eq(Some(until)),
                    users::suspension_reason.eq(Some(&why)),
                ))
                .execute(conn)?;
            crate::features::accounts::revoke_all(conn, target.id)?;
            record(
                conn,
                viewer,
                None,
                &Event::UserSuspended(event_payloads::UserSuspended {
                    user_id: target.id,
                    until: crate::rfc3339(until),
                }),
                Entry {
                    actor: Some(viewer.id),
                    action: "user.suspend",
                    target: format!("user:{}", target.id),
                    reason: &why,
                    details: serde_json::json!({ "until": crate::rfc3339(until) }),
                },
            )?;
            Ok(())
        })
    }

    /// Lifts a suspension.
    pub fn unsuspend(&self, viewer: &Viewer, user_id: UserId, why: &str) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let target = suspendable(
                conn,
                viewer,
                user_id,
                "you may not change this member's suspension",
            )?;
            diesel::update(users::table.find(target.id))
                .set((
                    users::suspended_until.eq(None::<NaiveDateTime>),
                    users::suspension_reason.eq(None::<String>),
                ))
                .execute(conn)?;
            record(
                conn,
                viewer,
                None,
                &Event::UserReinstated(event_payloads::UserRef { user_id: target.id }),
                Entry {
                    actor: Some(viewer.id),
                    action: "user.unsuspend",
                    target: format!("user:{}", target.id),
                    reason: &why,
                    details: serde_json::json!({}),
                },
            )?;
            Ok(())
        })
    }

    /// Every group, with its members' ids (admins and moderators).
    pub fn groups(&self, viewer: &Viewer) -> Result<Vec<GroupView>> {
        moderator_reading(viewer)?;
        self.read(|conn| {
            let groups: Vec<(GroupId, String)> = groups::table
                .order(groups::id.asc())
                .select((groups::id, groups::name))
                .load(conn)?;
            let members: Vec<(GroupId, UserId)> = group_members::table
                .select((group_members::group_id, group_members::user_id))
                .load(conn)?;
            Ok(groups
                .into_iter()
                .map(|(id, name)| GroupView {
                    id,
                    name,
                    members: members.iter().filter(|m| m.0 == id).map(|m| m.1).collect(),
                })
                .collect())
        })
    }

    /// An admin creates a group (audited).
    pub fn create_group_as(&self, viewer: &Viewer, name: &str) -> Result<GroupId> {
        access::check_second_factor(viewer)?;
        if !access::can_manage_groups(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins manage groups",
            ));
        }
        let name = parse_line("name", name, 1, 80)?;
        self.write(|conn| {
            let id = crate::features::accounts::create_group_in(conn, &name)?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "group.create",
                    target: format!("group:{id}"),
                    reason: "",
                    details: serde_json::json!({ "name": name }),
                },
            )?;
            Ok(id)
        })
    }

    /// An admin adds a member to a group or removes them (audited).
    pub fn set_group_membership_as(
        &self,
        viewer: &Viewer,
        group_id: GroupId,
        user_id: UserId,
        member: bool,
    ) -> Result<()> {
        access::check_second_factor(viewer)?;
        if !access::can_manage_groups(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins manage groups",
            ));
        }
        self.write(|conn| {
            crate::features::accounts::change_membership_as(
                conn, viewer.id, group_id, user_id, member,
            )
        })
    }
}

/// A group and its members.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub id: GroupId,
    pub name: String,
    pub members: Vec<UserId>,
}

/// The member `viewer` may suspend or reinstate, else `refusal` (403).
fn suspendable(
    conn: &mut DbConnection,
    viewer: &Viewer,
    user_id: UserId,
    refusal: &str,
) -> Result<User> {
    let target = crate::features::accounts::load_live_user(conn, user_id)?;
    let role = target.role;
    if !access::can_suspend(viewer, target.id, role) {
        return Err(CoreError::forbidden(ErrorCode::Forbidden, refusal));
    }
    Ok(target)
}
