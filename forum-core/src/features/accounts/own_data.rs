//! A member's own data, for their data-protection request: their account,
//! directory profile, posts with every revision, threads, notifications
//! and sessions. It is a read path like any other: posts in threads the
//! member may no longer read (moved into a restricted category, marked
//! away from them) are counted, not copied — their text is the forum's to
//! give on an admin's decision.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::*;
use crate::store::schema::posts;
use crate::views::{PostView, RevisionView, ThreadSummary};

/// The account, as the member registered it.
#[derive(Debug, Clone, Serialize)]
pub struct OwnAccount {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub country: String,
    pub profession: String,
    pub language: Option<String>,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    pub second_factor: bool,
}

/// One of the member's posts, with its thread's title and revisions.
#[derive(Debug, Clone, Serialize)]
pub struct OwnPost {
    pub thread_title: String,
    pub post: PostView,
    pub revisions: Vec<RevisionView>,
}

/// A session, as the member's devices opened it.
#[derive(Debug, Clone, Serialize)]
pub struct OwnSession {
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub last_seen_at: NaiveDateTime,
    pub user_agent: String,
    pub last_ip: Option<String>,
    #[serde(serialize_with = "crate::serialize_rfc3339_opt")]
    pub revoked_at: Option<NaiveDateTime>,
    pub second_factor: bool,
}

/// Everything [`Db::own_data`] gives.
#[derive(Debug, Clone, Serialize)]
pub struct OwnData {
    pub account: OwnAccount,
    pub profile: Option<crate::features::network::ExpertProfile>,
    pub posts: Vec<OwnPost>,
    /// Posts of the member's in threads they may no longer read.
    pub withheld_posts: usize,
    pub threads: Vec<ThreadSummary>,
    pub notifications: Vec<crate::features::notifications::NotificationView>,
    pub sessions: Vec<OwnSession>,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub exported_at: NaiveDateTime,
}

impl Db {
    /// `viewer`'s own data (see the module).
    pub fn own_data(&self, viewer: &Viewer) -> Result<OwnData> {
        let user = self.read(|conn| {
            Ok(users::table
                .find(viewer.id)
                .select(User::as_select())
                .first(conn)?)
        })?;
        let ids: Vec<PostId> = self.read(|conn| {
            Ok(posts::table
                .filter(posts::author_id.eq(viewer.id))
                .order(posts::id.asc())
                .select(posts::id)
                .load(conn)?)
        })?;
        let mut own = Vec::new();
        let mut withheld = 0;
        let mut titles: std::collections::HashMap<ThreadId, String> = Default::default();
        for id in ids {
            match self.post(viewer, id) {
                Ok(post) => {
                    let revisions = self.revisions(viewer, id)?;
                    let thread_title = match titles.get(&post.thread_id) {
                        Some(title) => title.clone(),
                        None => {
                            let title = self.read(|conn| {
                                crate::access::visibility::visible_thread(
                                    conn,
                                    viewer,
                                    post.thread_id,
                                )
                                .map(|(t, _)| t.title)
                            })?;
                            titles.insert(post.thread_id, title.clone());
                            title
                        }
                    };
                    own.push(OwnPost {
                        thread_title,
                        post,
                        revisions,
                    });
                }
                Err(CoreError::NotFound) => withheld += 1,
                Err(e) => return Err(e),
            }
        }
        let sessions = self.read(|conn| {
            Ok(sessions::table
                .filter(sessions::user_id.eq(viewer.id))
                .order(sessions::id.asc())
                .select(Session::as_select())
                .load(conn)?)
        })?;
        Ok(OwnData {
            account: OwnAccount {
                id: user.id,
                username: user.username,
                display_name: user.display_name,
                email: user.email,
                role: user.role,
                country: user.country,
                profession: user.profession,
                language: user.language,
                created_at: user.created_at,
                second_factor: user.totp_enabled_at.is_some(),
            },
            profile: self.expert_profile(viewer, viewer.id).ok(),
            posts: own,
            withheld_posts: withheld,
            threads: self.threads_by_author(viewer, viewer.id)?,
            notifications: self.notifications(viewer, false)?.0,
            sessions: sessions
                .into_iter()
                .map(|s| OwnSession {
                    created_at: s.created_at,
                    last_seen_at: s.last_seen_at,
                    user_agent: s.user_agent,
                    last_ip: s.last_ip,
                    revoked_at: s.revoked_at,
                    second_factor: s.second_factor,
                })
                .collect(),
            exported_at: now(),
        })
    }
}
