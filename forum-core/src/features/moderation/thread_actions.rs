//! Moderators' actions on threads: lock, pin, move, slow mode, feature,
//! merge and split.

use super::*;

impl Db {
    /// Locks or unlocks a thread (locked: replies from staff only).
    pub fn set_locked(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        locked: bool,
        why: &str,
    ) -> Result<()> {
        self.moderate_thread(viewer, thread_id, why, |conn, thread| {
            diesel::update(threads::table.find(thread.id))
                .set(threads::locked.eq(locked))
                .execute(conn)?;
            Ok(Recorded {
                event: Event::ThreadLocked(event_payloads::ThreadLocked {
                    thread_id: thread.id,
                    locked,
                }),
                action: if locked {
                    "thread.lock"
                } else {
                    "thread.unlock"
                },
                details: serde_json::json!({}),
            })
        })
    }

    /// Pins or unpins a thread at the top of its category.
    pub fn set_pinned(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        pinned: bool,
        why: &str,
    ) -> Result<()> {
        self.moderate_thread(viewer, thread_id, why, |conn, thread| {
            diesel::update(threads::table.find(thread.id))
                .set(threads::pinned.eq(pinned))
                .execute(conn)?;
            Ok(Recorded {
                event: Event::ThreadPinned(event_payloads::ThreadPinned {
                    thread_id: thread.id,
                    pinned,
                }),
                action: if pinned { "thread.pin" } else { "thread.unpin" },
                details: serde_json::json!({}),
            })
        })
    }

    /// Moves a thread to another category the moderator may see. Who may
    /// read it changes with the commit, on every read path.
    pub fn move_thread(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        category_id: CategoryId,
        why: &str,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let (thread, from) = visible_thread(conn, viewer, thread_id)?;
            let to = visible_category(conn, viewer, category_id).map_err(|e| match e {
                CoreError::NotFound => CoreError::invalid("category_id", "unknown category"),
                other => other,
            })?;
            if to.id == from.id {
                return Ok(());
            }
            diesel::update(threads::table.find(thread.id))
                .set(threads::category_id.eq(to.id))
                .execute(conn)?;
            events::append(
                conn,
                &Event::ThreadMoved(event_payloads::ThreadMoved {
                    thread_id: thread.id,
                    from: from.id,
                    to: to.id,
                }),
                Some(thread.id),
                Some(to.id),
                Some(viewer.id),
            )?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "thread.move",
                    target: format!("thread:{}", thread.id),
                    reason: &why,
                    details: serde_json::json!({ "from": from.id, "to": to.id }),
                },
            )?;
            Ok(())
        })
    }

    /// Sets slow mode on a thread: members wait `seconds` between replies
    /// there (0 turns it off; at most a day).
    pub fn set_slow_mode(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        seconds: i64,
        why: &str,
    ) -> Result<()> {
        require_moderator(viewer)?;
        reason(why)?;
        if !(0..=86_400).contains(&seconds) {
            return Err(CoreError::invalid("seconds", "must be between 0 and 86400"));
        }
        self.moderate_thread(viewer, thread_id, why, |conn, thread| {
            diesel::update(threads::table.find(thread.id))
                .set(threads::slow_mode_seconds.eq(seconds))
                .execute(conn)?;
            Ok(Recorded {
                event: Event::ThreadSlowMode(event_payloads::ThreadSlowMode {
                    thread_id: thread.id,
                    seconds,
                }),
                action: "thread.slow_mode",
                details: serde_json::json!({ "seconds": seconds }),
            })
        })
    }

    /// Adds an analysis to the curated "Featured analyses" list, or takes
    /// it off.
    pub fn set_featured(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        featured: bool,
        why: &str,
    ) -> Result<()> {
        self.moderate_thread(viewer, thread_id, why, |conn, thread| {
            if thread.kind != ThreadKind::Analysis {
                return Err(CoreError::invalid("kind", "only analyses can be featured"));
            }
            diesel::update(threads::table.find(thread.id))
                .set(threads::featured_at.eq(featured.then(now)))
                .execute(conn)?;
            Ok(Recorded {
                event: Event::ThreadFeatured(event_payloads::ThreadFeatured {
                    thread_id: thread.id,
                    featured,
                }),
                action: if featured {
                    "thread.feature"
                } else {
                    "thread.unfeature"
                },
                details: serde_json::json!({}),
            })
        })
    }

    /// One moderator's change to one thread, in one transaction: checks
    /// the role and the reason, finds the thread `viewer` may see, lets
    /// `change` update it, then appends the event and the audit entry
    /// `change` describes.
    fn moderate_thread(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        why: &str,
        change: impl FnOnce(&mut DbConnection, &Thread) -> Result<Recorded>,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let (thread, _) = visible_thread(conn, viewer, thread_id)?;
            let recorded = change(conn, &thread)?;
            record(
                conn,
                viewer,
                Some(&thread),
                &recorded.event,
                Entry {
                    actor: Some(viewer.id),
                    action: recorded.action,
                    target: format!("thread:{}", thread.id),
                    reason: &why,
                    details: recorded.details,
                },
            )
        })
    }

    /// The featured analyses `viewer` may see, most recently featured
    /// first.
    pub fn featured_analyses(&self, viewer: &Viewer) -> Result<Vec<crate::views::ThreadSummary>> {
        self.read(|conn| {
            let readable = crate::access::visibility::readable(conn, viewer)?;
            featured_in(conn, &readable)
        })
    }

    /// An admin opens a `RED` thread, or the `RED` replies of a thread,
    /// they are not named on: "break the glass". Audited with the reason,
    /// and each author told at once; the admin then reads them like a
    /// named member.
    pub fn break_glass(&self, viewer: &Viewer, thread_id: ThreadId, why: &str) -> Result<()> {
        use crate::domain::mark::Mark;
        crate::access::check_second_factor(viewer)?;
        if !viewer.is_admin() {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "only an admin may break the glass on a RED thread",
            ));
        }
        let why = reason(why)?;
        self.write(|conn| {
            let thread: Thread = threads::table
                .find(thread_id)
                .select(Thread::as_select())
                .first(conn)
                .optional()?
                .ok_or(CoreError::NotFound)?;
            // Admins see every category: only the marks stand in the way.
            crate::access::visibility::visible_category(conn, viewer, thread.category_id)?;
            let red_posts: Vec<Post> = posts::table
                .filter(posts::thread_id.eq(thread.id))
                .filter(posts::mark.eq(Mark::Red.as_str()))
                .select(Post::as_select())
                .load(conn)?;
            if thread.mark != Mark::Red && red_posts.is_empty() {
                return Err(CoreError::invalid(
                    "thread",
                    "only a RED thread or RED replies have glass to break; admins read the others already",
                ));
            }
            let mut opened = Vec::new();
            let marking = crate::access::visibility::marking_of(conn, &thread)?;
            if thread.mark == Mark::Red && !crate::access::can_see_marking(viewer, &marking) {
                diesel::insert_into(mark_recipients::table)
                    .values((
                        mark_recipients::thread_id.eq(thread.id),
                        mark_recipients::kind.eq("break_glass"),
                        mark_recipients::value.eq(viewer.id.get().to_string()),
                    ))
                    .execute(conn)?;
                opened.push((format!("thread:{}", thread.id), thread.author_id));
            }
            for post in &red_posts {
                let sees = crate::access::visibility::post_marking_of(conn, post)?
                    .is_none_or(|m| crate::access::can_see_marking(viewer, &m));
                if sees {
                    continue;
                }
                diesel::insert_into(post_mark_recipients::table)
                    .values((
                        post_mark_recipients::post_id.eq(post.id),
                        post_mark_recipients::kind.eq("break_glass"),
                        post_mark_recipients::value.eq(viewer.id.get().to_string()),
                    ))
                    .execute(conn)?;
                opened.push((format!("post:{}", post.id), post.author_id));
            }
            if opened.is_empty() {
                return Ok(());
            }
            let mut told = Vec::new();
            for (target, author) in &opened {
                audit::append(
                    conn,
                    Entry {
                        actor: Some(viewer.id),
                        action: "thread.break_glass",
                        target: target.clone(),
                        reason: &why,
                        details: serde_json::json!({ "author": author, "thread_id": thread.id }),
                    },
                )?;
                if !told.contains(author) {
                    told.push(*author);
                    crate::features::notifications::notify_directly(
                        conn,
                        *author,
                        viewer.id,
                        thread.id,
                        "break_glass",
                    )?;
                }
            }
            // Who may read it changed: the caches and the index follow.
            let summary = crate::features::forum::summaries(conn, vec![thread])?.remove(0);
            events::append(
                conn,
                &Event::ThreadUpdated(event_payloads::ThreadUpdated {
                    thread: crate::features::analyses::thread_payload(&summary),
                    analysis: None,
                }),
                Some(summary.id),
                Some(summary.category_id),
                Some(viewer.id),
            )?;
            Ok(())
        })
    }

    /// Merges thread `source` into `target`: its posts move over (kept in
    /// time order with the target's), and `source` is gone.
    pub fn merge_threads(
        &self,
        viewer: &Viewer,
        source: ThreadId,
        target: ThreadId,
        why: &str,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        self.write(|conn| {
            let (from, _) = visible_thread(conn, viewer, source)?;
            if source == target {
                return Err(CoreError::invalid("into", "a thread cannot be merged into itself"));
            }
            let (into, _) = visible_thread(conn, viewer, target).map_err(|e| match e {
                CoreError::NotFound => CoreError::invalid("into", "unknown thread"),
                other => other,
            })?;
            // Posts take the mark of the thread they join: never a looser
            // one, nor other named readers.
            let (from_marking, into_marking) = (
                crate::access::visibility::marking_of(conn, &from)?,
                crate::access::visibility::marking_of(conn, &into)?,
            );
            if into.mark < from.mark
                || (from.mark.names_readers() && from_marking != into_marking)
            {
                return Err(CoreError::invalid(
                    "into",
                    "a thread can only be merged into one with the same handling mark and readers, or a stricter mark",
                ));
            }
            let moved = diesel::update(posts::table.filter(posts::thread_id.eq(from.id)))
                .set(posts::thread_id.eq(into.id))
                .execute(conn)?;
            diesel::update(thread_citations::table.filter(thread_citations::source_thread.eq(from.id)))
                .set(thread_citations::source_thread.eq(into.id))
                .execute(conn)?;
            diesel::delete(threads::table.find(from.id)).execute(conn)?;
            refresh_counts(conn, into.id)?;
            events::append(conn, &Event::ThreadMerged(event_payloads::ThreadMerged { from: from.id, into: into.id, posts: moved as i64 }), Some(into.id), Some(into.category_id), Some(viewer.id))?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "thread.merge",
                    target: format!("thread:{}", from.id),
                    reason: &why,
                    details: serde_json::json!({ "into": into.id, "posts": moved, "title": from.title }),
                },
            )?;
            Ok(())
        })
    }

    /// Splits replies of a thread into a new thread in the same category,
    /// titled `title`; returns its id. The opening post stays.
    pub fn split_thread(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        post_ids: &[PostId],
        title: &str,
        why: &str,
    ) -> Result<ThreadId> {
        require_moderator(viewer)?;
        let why = reason(why)?;
        let title = crate::domain::ThreadTitle::parse(title)?;
        if post_ids.is_empty() || post_ids.len() > 1000 {
            return Err(CoreError::invalid("post_ids", "name 1 to 1000 replies"));
        }
        self.write(|conn| {
            let (thread, _) = visible_thread(conn, viewer, thread_id)?;
            if thread.mark.names_readers() {
                // A new thread would have another author, and so other
                // readers.
                return Err(CoreError::invalid(
                    "post_ids",
                    "a thread whose handling mark names its readers cannot be split",
                ));
            }
            let first: PostId = posts::table
                .filter(posts::thread_id.eq(thread.id))
                .select(diesel::dsl::min(posts::id))
                .first::<Option<PostId>>(conn)?
                .unwrap_or_default();
            let mut chosen: Vec<(PostId, UserId, NaiveDateTime, String)> = posts::table
                .filter(posts::thread_id.eq(thread.id))
                .filter(posts::id.eq_any(post_ids))
                .order(posts::id.asc())
                .select((
                    posts::id,
                    posts::author_id,
                    posts::created_at,
                    posts::language,
                ))
                .load(conn)?;
            chosen.dedup_by_key(|p| p.0);
            let mut wanted = post_ids.to_vec();
            wanted.sort_unstable();
            wanted.dedup();
            if chosen.len() != wanted.len() || chosen.iter().any(|p| p.0 == first) {
                return Err(CoreError::invalid(
                    "post_ids",
                    "name replies of this thread (not its opening post)",
                ));
            }
            let (_, author, created, language) = chosen[0].clone();
            let new_id: ThreadId = diesel::insert_into(threads::table)
                .values((
                    threads::category_id.eq(thread.category_id),
                    threads::author_id.eq(author),
                    threads::title.eq(title.as_str()),
                    threads::kind.eq("discussion"),
                    threads::locked.eq(false),
                    threads::pinned.eq(false),
                    threads::post_count.eq(0i64),
                    threads::created_at.eq(created),
                    threads::last_post_at.eq(created),
                    threads::language.eq(language),
                    threads::mark.eq(thread.mark.as_str()),
                ))
                .returning(threads::id)
                .get_result(conn)?;
            let ids: Vec<PostId> = chosen.iter().map(|p| p.0).collect();
            diesel::update(posts::table.filter(posts::id.eq_any(&ids)))
                .set((
                    posts::thread_id.eq(new_id),
                    posts::reply_to.eq(None::<PostId>),
                ))
                .execute(conn)?;
            diesel::update(
                posts::table
                    .filter(posts::thread_id.eq(thread.id))
                    .filter(posts::reply_to.eq_any(&ids)),
            )
            .set(posts::reply_to.eq(None::<PostId>))
            .execute(conn)?;
            refresh_counts(conn, thread.id)?;
            refresh_counts(conn, new_id)?;
            events::append(
                conn,
                &Event::ThreadSplit(event_payloads::ThreadSplit {
                    from: thread.id,
                    into: new_id,
                    post_ids: ids.clone(),
                }),
                Some(thread.id),
                Some(thread.category_id),
                Some(viewer.id),
            )?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "thread.split",
                    target: format!("thread:{}", thread.id),
                    reason: &why,
                    details: serde_json::json!({ "into": new_id, "post_ids": ids }),
                },
            )?;
            Ok(new_id)
        })
    }
}

/// The featured analyses `readable` admits, most recently featured first.
pub(crate) fn featured_in(
    conn: &mut DbConnection,
    readable: &crate::access::visibility::Readable,
) -> Result<Vec<crate::views::ThreadSummary>> {
    let rows: Vec<Thread> = crate::features::forum::threads_across(readable)
        .filter(threads::featured_at.is_not_null())
        .order(threads::featured_at.desc())
        .limit(20)
        .select(Thread::as_select())
        .load(conn)?;
    crate::features::forum::summaries(conn, rows)
}
