//! A thread exported for a court file: what the exporter may read of it
//! (the thread, every post they see with its revisions, the analysis
//! record, the marks, the files' SHA-256), the audit chain's head at that
//! moment, and who exported it when. The export is itself audited; the
//! server signs and packs it (`forum-server`'s `export` module).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::access::Viewer;
use crate::error::Result;
use crate::now;
use crate::store::audit::{self, Entry};
use crate::store::db::Db;
use crate::store::ids::*;
use crate::store::schema::audit_log;
use crate::views::{AnalysisView, AuthorView, PostView, RevisionView, ThreadSummary};

/// A post with its history, as exported.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedPost {
    #[serde(flatten)]
    pub post: PostView,
    pub revisions: Vec<RevisionView>,
}

/// The audit chain at export time: its last entry.
#[derive(Debug, Clone, Serialize)]
pub struct ChainHead {
    pub entry_id: i64,
    pub hash: String,
}

/// Everything a bundle certifies.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadExport {
    pub thread: ThreadSummary,
    pub analysis: Option<AnalysisView>,
    pub posts: Vec<ExportedPost>,
    pub exported_by: AuthorView,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub exported_at: NaiveDateTime,
    /// The audit chain's head once this export was recorded in it.
    pub audit_head: Option<ChainHead>,
}

impl ThreadExport {
    /// The strictest mark of what it holds: the thread's, or a post's
    /// stricter one. The bundle carries it on every page.
    pub fn strictest_mark(&self) -> crate::domain::mark::Mark {
        self.posts
            .iter()
            .map(|p| p.post.mark)
            .fold(self.thread.mark, Ord::max)
    }
}

impl Db {
    /// What `viewer` may read of a thread, for an export; records the
    /// export in the audit log (`thread.export`) first, so the head the
    /// bundle names includes it.
    pub fn export_thread(&self, viewer: &Viewer, thread_id: ThreadId) -> Result<ThreadExport> {
        let view = self.thread(viewer, thread_id)?;
        let mut posts = Vec::with_capacity(view.posts.len());
        for post in view.posts {
            let revisions = self.revisions(viewer, post.id)?;
            posts.push(ExportedPost { post, revisions });
        }
        let at = now();
        let head = self.write(|conn| {
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "thread.export",
                    target: format!("thread:{thread_id}"),
                    reason: "",
                    details: serde_json::json!({
                        "posts": posts.len(),
                        "mark": view.thread.mark.as_str(),
                    }),
                },
            )?;
            Ok(audit_log::table
                .order(audit_log::id.desc())
                .select((audit_log::id, audit_log::hash))
                .first::<(i64, String)>(conn)
                .optional()?
                .map(|(entry_id, hash)| ChainHead { entry_id, hash }))
        })?;
        Ok(ThreadExport {
            thread: view.thread,
            analysis: view.analysis,
            posts,
            exported_by: AuthorView {
                id: viewer.id,
                username: viewer.username.to_string(),
                display_name: viewer.display_name.to_string(),
            },
            exported_at: at,
            audit_head: head,
        })
    }
}
