//! Feed links: who a feed token stands for. The token itself is the
//! server's to derive (from its secret, the member's id and their feed
//! generation) and check; forum-core keeps the generation, moves it on when
//! the member revokes their links, and gives the feed reader the member's
//! [`Viewer`], so a feed obeys exactly the access rule.

use super::*;

/// The member's feed generation (0 until they first revoke their links).
pub(crate) fn generation(conn: &mut DbConnection, user: UserId) -> Result<i64> {
    Ok(feed_tokens::table
        .find(user)
        .select(feed_tokens::generation)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

impl Db {
    /// Revokes every feed link of `viewer`'s: their tokens stop working
    /// at once (cached viewers are dropped); the new generation is returned.
    pub fn revoke_feed_links(&self, viewer: &Viewer) -> Result<i64> {
        crate::access::check_second_factor(viewer)?;
        self.write(|conn| {
            let next = generation(conn, viewer.id)? + 1;
            let updated = diesel::update(feed_tokens::table.find(viewer.id))
                .set(feed_tokens::generation.eq(next))
                .execute(conn)?;
            if updated == 0 {
                diesel::insert_into(feed_tokens::table)
                    .values((
                        feed_tokens::user_id.eq(viewer.id),
                        feed_tokens::generation.eq(next),
                    ))
                    .execute(conn)?;
            }
            security(
                conn,
                Some(viewer.id),
                "feeds.revoke",
                format!("user:{}", viewer.id),
                serde_json::json!({}),
            )?;
            account_updated(conn, Some(viewer.id), Some(viewer.id))?;
            Ok(next)
        })
    }

    /// The member a feed token of `generation` names, as a viewer without a
    /// session — `None` when the generation was revoked, or the account is
    /// suspended or an ended guest's.
    pub fn viewer_for_feed(
        &self,
        user: UserId,
        generation_of_token: i64,
    ) -> Result<Option<Viewer>> {
        self.read(|conn| {
            let Some(found) = users::table
                .find(user)
                .select(User::as_select())
                .first(conn)
                .optional()?
            else {
                return Ok(None);
            };
            if generation(conn, user)? != generation_of_token
                || found.suspended_until.is_some_and(|until| until > now())
            {
                return Ok(None);
            }
            let guest_until: Option<NaiveDateTime> = guest_accounts::table
                .find(user)
                .select(guest_accounts::expires_at)
                .first(conn)
                .optional()?;
            if guest_until.is_some_and(|until| until <= now()) {
                return Ok(None);
            }
            let groups = group_members::table
                .filter(group_members::user_id.eq(user))
                .select(group_members::group_id)
                .load(conn)?;
            let mut viewer = Viewer::from_user(&found, SessionId::from(0), groups);
            viewer.guest_until = guest_until;
            viewer.feed_generation = generation_of_token;
            Ok(Some(viewer))
        })
    }
}
