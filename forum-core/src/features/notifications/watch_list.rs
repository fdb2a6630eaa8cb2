//! What members watch (threads, categories, jurisdictions, instruments)
//! and at which level.

use super::*;

impl Db {
    /// Sets `viewer`'s watch level on a target. Threads and categories the
    /// viewer may not see are not found.
    pub fn set_watch(&self, viewer: &Viewer, target: &str, level: &str) -> Result<WatchView> {
        let target = WatchTarget::parse(target)?;
        let level = WatchLevel::parse(level)?;
        self.write(|conn| {
            match &target {
                WatchTarget::Thread(id) => {
                    crate::access::visibility::visible_thread(conn, viewer, *id)?;
                }
                WatchTarget::Category(id) => {
                    crate::access::visibility::visible_category(conn, viewer, *id)?;
                }
                WatchTarget::Jurisdiction(_) | WatchTarget::Instrument(_) => {}
            }
            let key = target.to_string();
            diesel::delete(
                watches::table
                    .filter(watches::user_id.eq(viewer.id))
                    .filter(watches::target.eq(&key)),
            )
            .execute(conn)?;
            diesel::insert_into(watches::table)
                .values((
                    watches::user_id.eq(viewer.id),
                    watches::target.eq(&key),
                    watches::level.eq(level.as_str()),
                    watches::updated_at.eq(now()),
                ))
                .execute(conn)?;
            crate::features::forum::reader_state::member_state_changed(conn, viewer.id)?;
            Ok(WatchView {
                target: key,
                level: level.as_str().to_owned(),
            })
        })
    }

    /// `viewer`'s level on one target: their explicit choice, else the
    /// default (watching threads they posted in, tracking their country,
    /// normal otherwise).
    pub fn watch_level(&self, viewer: &Viewer, target: &str) -> Result<WatchLevel> {
        let target = WatchTarget::parse(target)?;
        self.read(|conn| {
            let explicit: Option<String> = watches::table
                .filter(watches::user_id.eq(viewer.id))
                .filter(watches::target.eq(target.to_string()))
                .select(watches::level)
                .first(conn)
                .optional()?;
            if let Some(level) = explicit.and_then(|l| WatchLevel::parse(&l).ok()) {
                return Ok(level);
            }
            Ok(match &target {
                WatchTarget::Thread(id) => {
                    level_on_thread(conn, viewer.id, *id)?.unwrap_or(WatchLevel::Normal)
                }
                WatchTarget::Jurisdiction(code) if **code == *viewer.country => {
                    WatchLevel::Tracking
                }
                _ => WatchLevel::Normal,
            })
        })
    }

    /// `viewer`'s explicit watches (threads they can no longer see left
    /// out).
    pub fn watches(&self, viewer: &Viewer) -> Result<Vec<WatchView>> {
        self.read(|conn| {
            let rows: Vec<(String, String)> = watches::table
                .filter(watches::user_id.eq(viewer.id))
                .order(watches::target.asc())
                .select((watches::target, watches::level))
                .load(conn)?;
            let restrictions = Restrictions::load(conn)?;
            let mut out = Vec::with_capacity(rows.len());
            for (target, level) in rows {
                let visible = match WatchTarget::parse(&target) {
                    Ok(WatchTarget::Thread(id)) => thread_visible(conn, viewer, id, &restrictions)?,
                    Ok(WatchTarget::Category(id)) => category_visible(viewer, id, &restrictions),
                    Ok(_) => true,
                    Err(_) => false,
                };
                if visible {
                    out.push(WatchView { target, level });
                }
            }
            Ok(out)
        })
    }
}
