//! Erasure on request (data protection): an admin erases a member. The
//! account row stays, so kept posts still have an author, but it becomes
//! "Former member #N" with nothing of the person left: name, e-mail,
//! profile, expertise, second factor, groups, watches, drafts,
//! notifications and feed links go; every session ends and every token
//! dies at once (the account is also suspended for good, so no path can
//! revive it). Their posts are kept or removed as the operator decided
//! ([`ErasedPosts`]); removed posts lose their text and files from every
//! stored copy ([`crate::features::redaction`]'s purge), and the search
//! index follows the `post_edited` events. The logged events that named
//! the member now name the former member. One transaction, audited
//! (`user.erase`) without anything of what was erased.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::access::Viewer;
use crate::error::{CoreError, ErrorCode, Result};
use crate::now;
use crate::store::audit::{self, Entry};
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{self, Event};
use crate::store::events;
use crate::store::ids::*;
use crate::store::schema::{
    drafts, email_preferences, erasures, events as event_log, feed_tokens, group_members,
    notifications, password_resets, posts, profiles, recovery_codes, sessions, user_expertise,
    users, watches,
};

/// What becomes of an erased member's posts (the operator's policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasedPosts {
    /// They stay, signed "Former member #N".
    Keep,
    /// Their text and files are removed from every stored copy; the posts
    /// remain as a notice so replies keep their place.
    Remove,
}

impl ErasedPosts {
    pub fn parse(value: &str) -> Option<ErasedPosts> {
        match value {
            "keep" => Some(ErasedPosts::Keep),
            "remove" => Some(ErasedPosts::Remove),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ErasedPosts::Keep => "keep",
            ErasedPosts::Remove => "remove",
        }
    }
}

/// What an erasure did.
#[derive(Debug, Clone)]
pub struct Erasure {
    pub user_id: UserId,
    /// The name the account carries from now on.
    pub display_name: String,
    pub posts_kept: usize,
    pub posts_removed: usize,
    /// Blobs no row names any more: the server deletes them now.
    pub blobs_to_delete: Vec<String>,
}

/// The name an erased account carries.
pub fn former_name(user_id: UserId) -> String {
    format!("Former member #{user_id}")
}

/// Every object in `value` that is member `user_id` (an `id` or a
/// `user_id` beside a `username`) gets the former member's names; returns
/// how many.
fn rename_in_json(
    value: &mut serde_json::Value,
    user_id: UserId,
    username: &str,
    name: &str,
) -> usize {
    match value {
        serde_json::Value::Object(map) => {
            let mut n = 0;
            let is_them = ["id", "user_id"]
                .iter()
                .any(|k| map.get(*k).and_then(|v| v.as_i64()) == Some(user_id.get()));
            if is_them && map.contains_key("username") {
                map.insert("username".into(), username.into());
                if map.contains_key("display_name") {
                    map.insert("display_name".into(), name.into());
                }
                n += 1;
            }
            n + map
                .values_mut()
                .map(|v| rename_in_json(v, user_id, username, name))
                .sum::<usize>()
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .map(|v| rename_in_json(v, user_id, username, name))
            .sum(),
        _ => 0,
    }
}

impl Db {
    /// An admin erases member `user_id` (see the module). Not oneself (so
    /// an admin always remains); erasing again changes nothing more.
    pub fn erase_member(
        &self,
        viewer: &Viewer,
        user_id: UserId,
        reason: &str,
        policy: ErasedPosts,
    ) -> Result<Erasure> {
        crate::access::check_second_factor(viewer)?;
        if !crate::access::can_manage_roles(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only admins erase members",
            ));
        }
        let reason = crate::domain::parse_line("reason", reason, 3, 300)?;
        if user_id == viewer.id {
            return Err(CoreError::invalid(
                "user_id",
                "an admin cannot erase their own account: ask another admin",
            ));
        }
        self.write(|conn| erase_in(conn, viewer.id, user_id, &reason, policy))
    }
}

fn erase_in(
    conn: &mut DbConnection,
    actor: UserId,
    user_id: UserId,
    reason: &str,
    policy: ErasedPosts,
) -> Result<Erasure> {
    let user = super::load_user(conn, user_id)?;
    let display_name = former_name(user_id);
    let done: Option<String> = erasures::table
        .find(user_id)
        .select(erasures::posts)
        .first(conn)
        .optional()?;
    if done.is_some() {
        return Ok(Erasure {
            user_id,
            display_name,
            posts_kept: 0,
            posts_removed: 0,
            blobs_to_delete: Vec::new(),
        });
    }
    let username = format!("{}{user_id}", crate::domain::ERASED_USERNAME_PREFIX);

    // The posts, as the operator decided.
    let their_posts: Vec<PostId> = posts::table
        .filter(posts::author_id.eq(user_id))
        .order(posts::id.asc())
        .select(posts::id)
        .load(conn)?;
    let mut blobs = Vec::new();
    let (kept, removed) = match policy {
        ErasedPosts::Keep => (their_posts.len(), 0),
        ErasedPosts::Remove => {
            for &post_id in &their_posts {
                let (post, freed) = crate::features::redaction::purge_post(conn, post_id)?;
                blobs.extend(freed);
                let thread: crate::store::rows::Thread = crate::store::schema::threads::table
                    .find(post.thread_id)
                    .first(conn)?;
                let author = crate::views::AuthorView {
                    id: user_id,
                    username: username.clone(),
                    display_name: display_name.clone(),
                };
                let view = crate::features::forum::post_view(post, author, thread.mark);
                events::append(
                    conn,
                    &Event::PostEdited(event_payloads::PostEdited {
                        post: crate::features::forum::post_payload(&view),
                        reason: Some(ERASURE_REASON.to_owned()),
                    }),
                    Some(thread.id),
                    Some(thread.category_id),
                    Some(actor),
                )?;
            }
            (0, their_posts.len())
        }
    };

    // Nothing of the person stays on the account.
    diesel::update(users::table.find(user_id))
        .set((
            users::username.eq(&username),
            users::email.eq(format!("erased-{user_id}@invalid.invalid")),
            users::display_name.eq(&display_name),
            users::password_hash.eq("!erased"),
            users::profession.eq(""),
            users::language.eq(None::<String>),
            users::totp_secret.eq(None::<String>),
            users::totp_enabled_at.eq(None::<chrono::NaiveDateTime>),
            users::totp_last_step.eq(None::<i64>),
            users::role.eq(crate::domain::Role::Member.as_str()),
            users::suspended_until
                .eq(NaiveDate::from_ymd_opt(9999, 12, 31).and_then(|d| d.and_hms_opt(0, 0, 0))),
            users::suspension_reason.eq(Some("erased")),
        ))
        .execute(conn)?;
    diesel::delete(profiles::table.filter(profiles::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(user_expertise::table.filter(user_expertise::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(group_members::table.filter(group_members::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(watches::table.filter(watches::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(drafts::table.filter(drafts::user_id.eq(user_id))).execute(conn)?;
    diesel::delete(email_preferences::table.filter(email_preferences::user_id.eq(user_id)))
        .execute(conn)?;
    // Their inbox and anything waiting to be e-mailed to them.
    diesel::delete(notifications::table.filter(notifications::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(password_resets::table.filter(password_resets::user_id.eq(user_id)))
        .execute(conn)?;
    // Feed links die: the generation moves on.
    let generation: Option<i64> = feed_tokens::table
        .find(user_id)
        .select(feed_tokens::generation)
        .first(conn)
        .optional()?;
    match generation {
        Some(g) => {
            diesel::update(feed_tokens::table.find(user_id))
                .set(feed_tokens::generation.eq(g + 1))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(feed_tokens::table)
                .values((
                    feed_tokens::user_id.eq(user_id),
                    feed_tokens::generation.eq(1),
                ))
                .execute(conn)?;
        }
    }
    // Every session ends (refresh tokens are a session's) and says nothing
    // of the device.
    diesel::update(sessions::table.filter(sessions::user_id.eq(user_id)))
        .set((sessions::revoked_at.eq(now()), sessions::user_agent.eq("")))
        .execute(conn)?;

    // The log's copies of their name.
    let old_name = serde_json::to_string(&user.username.to_string()).unwrap_or_default();
    let pattern = format!(
        "%{}%",
        old_name
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let rows: Vec<(i64, String)> = event_log::table
        .filter(
            event_log::actor_id
                .eq(user_id)
                .or(event_log::payload.like(pattern).escape('\\')),
        )
        .select((event_log::seq, event_log::payload))
        .load(conn)?;
    for (seq, payload) in rows {
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&payload) else {
            continue;
        };
        if rename_in_json(&mut value, user_id, &username, &display_name) > 0 {
            diesel::update(event_log::table.filter(event_log::seq.eq(seq)))
                .set(event_log::payload.eq(value.to_string()))
                .execute(conn)?;
        }
    }

    diesel::insert_into(erasures::table)
        .values((
            erasures::user_id.eq(user_id),
            erasures::erased_at.eq(now()),
            erasures::erased_by.eq(Some(actor)),
            erasures::posts.eq(policy.as_str()),
        ))
        .execute(conn)?;
    events::append(
        conn,
        &Event::SessionsRevoked(event_payloads::UserRef { user_id }),
        None,
        None,
        Some(user_id),
    )?;
    events::append(
        conn,
        &Event::AccountUpdated(event_payloads::AccountUpdated {
            user_id: Some(user_id),
        }),
        None,
        None,
        Some(actor),
    )?;
    audit::append(
        conn,
        Entry {
            actor: Some(actor),
            action: "user.erase",
            target: format!("user:{user_id}"),
            reason,
            details: serde_json::json!({
                "posts": policy.as_str(),
                "posts_kept": kept,
                "posts_removed": removed,
                "files_removed": blobs.len(),
            }),
        },
    )?;
    Ok(Erasure {
        user_id,
        display_name,
        posts_kept: kept,
        posts_removed: removed,
        blobs_to_delete: blobs,
    })
}

/// The reason the `post_edited` events of an erasure carry.
pub const ERASURE_REASON: &str = "erasure";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_member_in_a_payload_gets_the_former_names() {
        let mut v = serde_json::json!({
            "post": {"id": 9, "author": {"id": 4, "username": "ana", "display_name": "Ana Ruiz"}},
            "actor": {"id": 5, "username": "ben"}
        });
        assert_eq!(
            rename_in_json(
                &mut v,
                UserId::from(4),
                "former-member-4",
                "Former member #4"
            ),
            1
        );
        assert_eq!(v["post"]["author"]["username"], "former-member-4");
        assert_eq!(v["post"]["author"]["display_name"], "Former member #4");
        assert_eq!(v["actor"]["username"], "ben");
        let mut created = serde_json::json!({"user_id": 4, "username": "ana"});
        assert_eq!(
            rename_in_json(
                &mut created,
                UserId::from(4),
                "former-member-4",
                "Former member #4"
            ),
            1
        );
        assert_eq!(created["username"], "former-member-4");
    }
}
