//! Endorsements: a member vouches that an analysis holds for their own
//! country.

use super::*;

impl Db {
    /// Endorses an analysis as accurate for the viewer's country.
    pub fn endorse(&self, viewer: &Viewer, thread_id: ThreadId, jurisdiction: &str) -> Result<()> {
        access::check_second_factor(viewer)?;
        let code = JurisdictionCode::parse("jurisdiction", jurisdiction)?;
        self.write(|conn| {
            let (thread, category) = visible_thread(conn, viewer, thread_id)?;
            if thread.kind != ThreadKind::Analysis {
                return Err(CoreError::invalid(
                    "jurisdiction",
                    "only analyses can be endorsed",
                ));
            }
            let tags = crate::features::forum::jurisdictions_of(conn, &[thread.id])?
                .remove(&thread.id)
                .unwrap_or_default();
            if let Some(reason) =
                access::endorsement_refused(viewer, thread.author_id, &tags, code.as_str())
            {
                return Err(CoreError::invalid("jurisdiction", reason));
            }
            let existing = endorsements::table
                .find((thread.id, viewer.id))
                .select(endorsements::jurisdiction)
                .first::<String>(conn)
                .optional()?;
            if existing.is_some() {
                return Err(CoreError::conflict(
                    ErrorCode::AlreadyEndorsed,
                    "you already endorsed this analysis; withdraw it first",
                ));
            }
            diesel::insert_into(endorsements::table)
                .values((
                    endorsements::thread_id.eq(thread.id),
                    endorsements::user_id.eq(viewer.id),
                    endorsements::jurisdiction.eq(code.as_str()),
                    endorsements::created_at.eq(now()),
                ))
                .execute(conn)?;
            events::append(
                conn,
                &Event::EndorsementAdded(event_payloads::EndorsementAdded {
                    thread_id: thread.id,
                    author_id: thread.author_id,
                    jurisdiction: code.as_str().to_owned(),
                }),
                Some(thread.id),
                Some(category.id),
                Some(viewer.id),
            )?;
            Ok(())
        })
    }

    /// Withdraws the viewer's endorsement of an analysis, if any.
    pub fn withdraw_endorsement(&self, viewer: &Viewer, thread_id: ThreadId) -> Result<()> {
        access::check_second_factor(viewer)?;
        self.write(|conn| {
            let (thread, category) = visible_thread(conn, viewer, thread_id)?;
            let removed =
                diesel::delete(endorsements::table.find((thread.id, viewer.id))).execute(conn)?;
            if removed > 0 {
                events::append(
                    conn,
                    &Event::EndorsementWithdrawn(event_payloads::ThreadRef {
                        thread_id: thread.id,
                    }),
                    Some(thread.id),
                    Some(category.id),
                    Some(viewer.id),
                )?;
            }
            Ok(())
        })
    }
}
