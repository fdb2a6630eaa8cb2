//! The audit log as moderators and admins read it: filtered, newest first,
//! with the things a reader may not see withheld.

use diesel::prelude::*;

use crate::access::scopes::record_scopes;
use crate::access::{self, Viewer};
use crate::error::{CoreError, ErrorCode, Result};
use crate::store::audit::{AUDIT_PAGE, AuditActor, AuditFilter, AuditView, ViewRow};
use crate::store::db::Db;
use crate::store::schema::{audit_log, users};

impl Db {
    /// Every action the log holds, sorted (the audit page's picker offers
    /// what can be found, not names one must already know).
    pub fn audit_actions(&self, viewer: &Viewer) -> Result<Vec<String>> {
        if !access::can_read_audit(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::ModeratorsOnly,
                "only moderators read the audit log",
            ));
        }
        self.read(|conn| {
            Ok(audit_log::table
                .select(audit_log::action)
                .distinct()
                .order(audit_log::action.asc())
                .load(conn)?)
        })
    }

    /// The log, newest first, filtered (moderators and admins).
    pub fn audit_entries(&self, viewer: &Viewer, filter: &AuditFilter) -> Result<Vec<AuditView>> {
        if !access::can_read_audit(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::ModeratorsOnly,
                "only moderators read the audit log",
            ));
        }
        self.read(|conn| {
            let mut query = audit_log::table
                .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_id)))
                .into_boxed();
            if let Some(actor) = filter.actor.as_deref().filter(|a| !a.is_empty()) {
                query = query.filter(users::username.eq(actor.trim().to_lowercase()));
            }
            if let Some(action) = filter.action.as_deref().filter(|a| !a.is_empty()) {
                query = if let Some(prefix) = action.strip_suffix('.') {
                    query.filter(
                        audit_log::action.like(format!("{}.%", prefix.replace(['%', '_'], ""))),
                    )
                } else {
                    query.filter(audit_log::action.eq(action.to_owned()))
                };
            }
            if let Some(target) = filter.target.as_deref().filter(|t| !t.is_empty()) {
                query = query.filter(audit_log::target.eq(target.to_owned()));
            }
            if let Some(before) = filter.before {
                query = query.filter(audit_log::id.lt(before));
            }
            let rows: Vec<ViewRow> = query
                .order(audit_log::id.desc())
                .limit(AUDIT_PAGE)
                .select((
                    audit_log::id,
                    audit_log::at,
                    audit_log::actor_id,
                    users::username.nullable(),
                    audit_log::action,
                    audit_log::target,
                    audit_log::reason,
                    audit_log::details,
                ))
                .load(conn)?;
            let mut views: Vec<AuditView> = rows
                .into_iter()
                .map(
                    |(id, at, actor, username, action, target, reason, details)| AuditView {
                        id,
                        at,
                        actor: actor.map(|id| AuditActor {
                            id,
                            username: username.unwrap_or_default(),
                        }),
                        action,
                        target,
                        reason,
                        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
                        restricted: false,
                    },
                )
                .collect();
            if !viewer.is_admin() {
                let scopes = record_scopes(conn, &views)?;
                for (view, scope) in views.iter_mut().zip(scopes) {
                    if !access::can_see_record_details(viewer, &scope) {
                        view.restricted = true;
                        view.target = String::new();
                        view.reason = String::new();
                        view.details = serde_json::Value::Null;
                    }
                }
            }
            Ok(views)
        })
    }
}
