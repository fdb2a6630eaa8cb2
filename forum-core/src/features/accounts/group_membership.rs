//! Groups: restricted categories name them; membership decides what a
//! member may see.

use super::*;

/// Creates a group named `name` (already checked).
pub(crate) fn create_group_in(conn: &mut DbConnection, name: &str) -> Result<GroupId> {
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
    group_id: GroupId,
    user_id: UserId,
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

/// A staff member adds or removes a group member: the change, its
/// `membership_changed` event and its audit entry, in the caller's
/// transaction.
pub(crate) fn change_membership_as(
    conn: &mut DbConnection,
    actor: UserId,
    group_id: GroupId,
    user_id: UserId,
    member: bool,
) -> Result<()> {
    set_membership_in(conn, group_id, user_id, member)?;
    crate::store::audit::append(
        conn,
        crate::store::audit::Entry {
            actor: Some(actor),
            action: if member {
                "group.member_add"
            } else {
                "group.member_remove"
            },
            target: format!("group:{group_id}"),
            reason: "",
            details: serde_json::json!({ "user_id": user_id }),
        },
    )?;
    Ok(())
}

impl Db {
    /// Ids of the groups a user belongs to.
    pub fn user_groups(&self, user_id: UserId) -> Result<Vec<GroupId>> {
        self.read(|conn| {
            Ok(group_members::table
                .filter(group_members::user_id.eq(user_id))
                .select(group_members::group_id)
                .load(conn)?)
        })
    }
}
