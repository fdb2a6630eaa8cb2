//! The notifier: turns events of the log into notifications for the
//! members they concern (replies, mentions, quotes, watched threads and
//! places, endorsements, moderation), judged by where each subject is
//! now, and marks the ones due by e-mail.

use super::*;

/// One notifier at a time, whatever the number of processes (PostgreSQL;
/// SQLite has one writer). Its own lock id: 721131 is migrations, 721132
/// event appends, 721133 the audit chain (taken after 721132, so sharing it
/// here would deadlock with moderation actions). The digest pass takes it
/// too, so no notification commits behind a digest's cut-off.
pub(crate) fn notifier_lock(conn: &mut DbConnection) -> Result<()> {
    if let DbConnection::Pg(pg) = conn {
        diesel::connection::SimpleConnection::batch_execute(
            pg,
            "SELECT pg_advisory_xact_lock(721134)",
        )?;
    }
    Ok(())
}

pub(super) fn store_cursor(conn: &mut DbConnection, seq: i64) -> Result<()> {
    diesel::delete(site_settings::table.filter(site_settings::key.eq(CURSOR_KEY))).execute(conn)?;
    diesel::insert_into(site_settings::table)
        .values((
            site_settings::key.eq(CURSOR_KEY),
            site_settings::value.eq(seq.to_string()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Why a member hears of something, which decides whether it is e-mailed
/// at once (see [`crate::features::notifications::email::ImmediateMail`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Why {
    /// Addressed to them: a mention, a quote or a reply to their post or
    /// question, a moderator's action on their content, a review reminder.
    Direct,
    /// Something they set (or were defaulted) to `watching`.
    Watched,
    /// Anything else (tracking, endorsements, flag outcomes): inbox and
    /// digest only.
    Other,
}

/// One notification to give.
pub(super) struct Notice {
    user: UserId,
    kind: NotificationKind,
    /// What happened, when the kind covers several actions.
    detail: Option<&'static str>,
    thread: Option<ThreadId>,
    post: Option<PostId>,
    actor: Option<UserId>,
    why: Why,
}

/// Derives notifications from events, inside the notifier's transaction.
pub(super) struct Notifier {
    restrictions: Restrictions,
    /// Recipients as the access rule sees them (None: suspended or gone).
    viewers: HashMap<UserId, Option<Viewer>>,
    /// Recipients' immediate e-mail choice.
    mail: HashMap<UserId, crate::features::notifications::email::ImmediateMail>,
    /// Whether e-mail is sent at all.
    email_on: bool,
}

/// Tells `user` directly, outside the log's derivations (a `moderation`
/// notice with `detail` about `thread`): for acts the log's events do not
/// name, such as an admin breaking the glass on a `RED` thread.
pub(crate) fn notify_directly(
    conn: &mut DbConnection,
    user: UserId,
    actor: UserId,
    thread: ThreadId,
    detail: &'static str,
) -> Result<()> {
    tell(
        conn,
        user,
        Some(actor),
        thread,
        NotificationKind::Moderation,
        Some(detail),
        false,
    )
}

/// Tells `user` of `kind` about `thread` directly, as a notice addressed
/// to them (routed questions and their reminders, accepted answers):
/// e-mailed at once when `email_on` and the member's choice covers direct
/// notices. Nobody hears of a thread they may not read.
pub(crate) fn tell(
    conn: &mut DbConnection,
    user: UserId,
    actor: Option<UserId>,
    thread: ThreadId,
    kind: NotificationKind,
    detail: Option<&'static str>,
    email_on: bool,
) -> Result<()> {
    let Some(recipient) = super::recipient(conn, user)? else {
        return Ok(());
    };
    let restrictions = Restrictions::load(conn)?;
    let email = (email_on
        && crate::features::notifications::email::preferences_of(conn, user)?
            .immediate
            .covers(Why::Direct))
    .then_some(Why::Direct);
    give(
        conn,
        &Notice {
            user,
            kind,
            detail,
            thread: Some(thread),
            post: None,
            actor,
            why: Why::Direct,
        },
        email,
        &recipient,
        &restrictions,
    )
}

/// Adds the notice, or bumps the member's unread notification of the same
/// kind about the same thread; then appends a `notification` event for the
/// recipient's live inbox.
/// With `email`, the notification is marked for immediate e-mail (with
/// why: a direct reason outranks watching) unless one was already sent
/// about it since it was last read.
pub(super) fn give(
    conn: &mut DbConnection,
    n: &Notice,
    email: Option<Why>,
    recipient: &Viewer,
    restrictions: &Restrictions,
) -> Result<()> {
    let at = now();
    let mut existing = notifications::table
        .filter(notifications::user_id.eq(n.user))
        .filter(notifications::kind.eq(n.kind.as_str()))
        .filter(notifications::read_at.is_null())
        .into_boxed();
    existing = match n.thread {
        Some(thread) => existing.filter(notifications::thread_id.eq(thread)),
        None => existing.filter(notifications::thread_id.is_null()),
    };
    let candidate: Option<NotificationId> =
        existing.select(notifications::id).first(conn).optional()?;
    // The bump is conditional, so a member marking it read (or a mailer
    // claiming it) meanwhile is never undone by this stale read: a
    // notification read in between gets a new one instead.
    let bumped = match candidate {
        Some(id) => {
            let changed = diesel::update(
                notifications::table
                    .find(id)
                    .filter(notifications::read_at.is_null()),
            )
            .set((
                notifications::count.eq(notifications::count + 1i64),
                notifications::post_id.eq(n.post),
                notifications::actor_id.eq(n.actor),
                notifications::updated_at.eq(at),
                notifications::detail.eq(n.detail),
            ))
            .execute(conn)?;
            (changed == 1).then_some(id)
        }
        None => None,
    };
    let id = match bumped {
        Some(id) => {
            if let Some(why) = email {
                // Due unless already e-mailed, waiting or in flight: one
                // e-mail per unread notification.
                diesel::update(
                    notifications::table.find(id).filter(
                        notifications::email_state
                            .is_null()
                            .or(notifications::email_state.eq("skipped")),
                    ),
                )
                .set((
                    notifications::email_state.eq("due"),
                    notifications::email_why.eq(why.as_str()),
                ))
                .execute(conn)?;
                if why == Why::Direct {
                    diesel::update(
                        notifications::table
                            .find(id)
                            .filter(notifications::email_state.eq("due")),
                    )
                    .set(notifications::email_why.eq(why.as_str()))
                    .execute(conn)?;
                }
            }
            id
        }
        None => diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(n.user),
                notifications::kind.eq(n.kind.as_str()),
                notifications::thread_id.eq(n.thread),
                notifications::post_id.eq(n.post),
                notifications::actor_id.eq(n.actor),
                notifications::count.eq(1i64),
                notifications::created_at.eq(at),
                notifications::updated_at.eq(at),
                notifications::email_state.eq(email.map(|_| "due")),
                notifications::email_why.eq(email.map(Why::as_str)),
                notifications::detail.eq(n.detail),
            ))
            .returning(notifications::id)
            .get_result(conn)?,
    };
    let count: i64 = notifications::table
        .find(id)
        .select(notifications::count)
        .first(conn)?;
    // The total the header shows: only what the member may see now.
    let unread = unread_total(conn, recipient, restrictions)?;
    events::append(
        conn,
        &Event::Notification(event_payloads::Notification {
            user_id: n.user,
            notification: event_payloads::NotificationBody {
                id,
                kind: n.kind,
                thread_id: n.thread,
                post_id: n.post,
                actor_id: n.actor,
                count,
            },
            unread,
        }),
        None,
        None,
        n.actor,
    )?;
    Ok(())
}

impl Why {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Why::Direct => "direct",
            Why::Watched => "watched",
            Why::Other => "other",
        }
    }
}

impl Notifier {
    fn new(conn: &mut DbConnection, email_on: bool) -> Result<Notifier> {
        Ok(Notifier {
            restrictions: Restrictions::load(conn)?,
            viewers: HashMap::new(),
            mail: HashMap::new(),
            email_on,
        })
    }

    /// Whether a notice to `user` for this reason is to be e-mailed at once.
    fn emails(&mut self, conn: &mut DbConnection, user: UserId, why: Why) -> Result<bool> {
        if !self.email_on {
            return Ok(false);
        }
        let choice = match self.mail.get(&user) {
            Some(choice) => *choice,
            None => {
                let choice =
                    crate::features::notifications::email::preferences_of(conn, user)?.immediate;
                self.mail.insert(user, choice);
                choice
            }
        };
        Ok(choice.covers(why))
    }

    /// Gives the notifications `event` brings, judged by where its subject
    /// is now (`scope`), not where it was logged.
    fn consider(
        &mut self,
        conn: &mut DbConnection,
        event: &EventRow,
        scope: &access::EventScope,
    ) -> Result<()> {
        if scope.gone {
            return Ok(());
        }
        let Some(typed) = event.event() else {
            return Ok(());
        };
        let thread = scope.thread_id;
        let actor = event.actor_id;
        let mut notices: Vec<Notice> = Vec::new();
        let mut notice =
            |user: Option<UserId>, kind: NotificationKind, post: Option<PostId>, why: Why| {
                if let Some(user) = user {
                    notices.push(Notice {
                        user,
                        kind,
                        detail: None,
                        thread,
                        post,
                        actor,
                        why,
                    });
                }
            };
        match &typed {
            Event::PostCreated(created) => {
                let post = &created.post;
                let post_id = Some(post.id);
                let body = post.body.as_str();
                // A reply to a post is addressed to its author; a reply to
                // the thread, to whoever started it.
                let addressee = match (post.reply_to, thread) {
                    (Some(parent), _) => posts::table
                        .find(parent)
                        .select(posts::author_id)
                        .first::<UserId>(conn)
                        .optional()?,
                    (None, Some(thread)) => threads::table
                        .find(thread)
                        .select(threads::author_id)
                        .first::<UserId>(conn)
                        .optional()?,
                    (None, None) => None,
                };
                notice(addressee, NotificationKind::Reply, post_id, Why::Direct);
                for user in mentioned(conn, body)? {
                    notice(Some(user), NotificationKind::Mention, post_id, Why::Direct);
                }
                for user in quoted_authors(conn, body)? {
                    notice(Some(user), NotificationKind::Quote, post_id, Why::Direct);
                }
                if let Some(thread) = thread {
                    for user in thread_watchers(conn, thread)? {
                        notice(Some(user), NotificationKind::Reply, post_id, Why::Watched);
                    }
                }
            }
            Event::ThreadCreated(created) => {
                let post_id = Some(created.post.id);
                let body = created.post.body.as_str();
                for user in mentioned(conn, body)? {
                    notice(Some(user), NotificationKind::Mention, post_id, Why::Direct);
                }
                for user in quoted_authors(conn, body)? {
                    notice(Some(user), NotificationKind::Quote, post_id, Why::Direct);
                }
                for (user, watching) in new_thread_audience(conn, scope, created)? {
                    let why = if watching { Why::Watched } else { Why::Other };
                    notice(Some(user), NotificationKind::NewThread, post_id, why);
                }
            }
            Event::EndorsementAdded(added) => notice(
                Some(added.author_id),
                NotificationKind::Endorsement,
                None,
                Why::Other,
            ),
            Event::FlagResolved(resolved) => {
                notice(
                    Some(resolved.flagger_id),
                    NotificationKind::FlagOutcome,
                    Some(resolved.post_id),
                    Why::Other,
                );
                // A hide reaches the author through its own `post_hidden`.
                if resolved.resolution == "edit_post" || resolved.resolution == "warn_user" {
                    notice(
                        Some(resolved.author_id),
                        NotificationKind::Moderation,
                        Some(resolved.post_id),
                        Why::Direct,
                    );
                }
            }
            Event::PostHidden(hidden) => notice(
                Some(hidden.author_id),
                NotificationKind::Moderation,
                Some(hidden.post_id),
                Why::Direct,
            ),
            _ => {}
        }

        // Which moderation action, for the member it was taken on.
        let detail = match &typed {
            Event::PostHidden(_) => Some("post_hidden"),
            Event::FlagResolved(r) if r.resolution == "edit_post" => Some("post_edited"),
            Event::FlagResolved(r) if r.resolution == "warn_user" => Some("warned"),
            _ => None,
        };
        for n in notices
            .iter_mut()
            .filter(|n| n.kind == NotificationKind::Moderation)
        {
            n.detail = detail;
        }

        // One notification per member and event, the most specific first
        // (a mention or a direct reply beats "a reply in a watched thread").
        let mut given: HashSet<UserId> = HashSet::new();
        for n in notices {
            if Some(n.user) == n.actor || !given.insert(n.user) {
                continue;
            }
            if !self.may_receive(conn, n.user, scope)? {
                continue;
            }
            if let Some(thread) = n.thread
                && level_on_thread(conn, n.user, thread)? == Some(WatchLevel::Muted)
            {
                continue;
            }
            let email = self.emails(conn, n.user, n.why)?.then_some(n.why);
            // may_see above cached the recipient.
            let Some(viewer) = self.viewers.get(&n.user).cloned().flatten() else {
                continue;
            };
            give(conn, &n, email, &viewer, &self.restrictions)?;
        }
        Ok(())
    }

    /// Is `user` an active member who may receive an event whose subject
    /// is, now, `scope`? The access rule decides.
    fn may_receive(
        &mut self,
        conn: &mut DbConnection,
        user: UserId,
        scope: &access::EventScope,
    ) -> Result<bool> {
        if let std::collections::hash_map::Entry::Vacant(entry) = self.viewers.entry(user) {
            entry.insert(recipient(conn, user)?);
        }
        Ok(self.viewers[&user]
            .as_ref()
            .is_some_and(|viewer| access::can_see_event(viewer, scope)))
    }
}

impl Db {
    /// The notifier: derives notifications from the events after its
    /// stored position (at most one batch), in one transaction with the new
    /// position. Returns how many events it read. On first run it starts at
    /// the head of the log: history does not notify.
    pub fn notify_from_log(&self) -> Result<usize> {
        let email_on = self.email_on();
        self.write(|conn| {
            notifier_lock(conn)?;
            let stored: Option<String> = site_settings::table
                .filter(site_settings::key.eq(CURSOR_KEY))
                .select(site_settings::value)
                .first(conn)
                .optional()?;
            let cursor = match stored.and_then(|v| v.parse::<i64>().ok()) {
                Some(seq) => seq,
                None => {
                    let head = crate::store::schema::events::table
                        .select(diesel::dsl::max(crate::store::schema::events::seq))
                        .first::<Option<i64>>(conn)?
                        .unwrap_or(0);
                    store_cursor(conn, head)?;
                    return Ok(0);
                }
            };
            let batch: Vec<EventRow> = crate::store::schema::events::table
                .filter(crate::store::schema::events::seq.gt(cursor))
                .order(crate::store::schema::events::seq.asc())
                .limit(NOTIFIER_BATCH)
                .select(EventRow::as_select())
                .load(conn)?;
            let Some(last) = batch.last().map(|e| e.seq) else {
                return Ok(0);
            };
            let mut notifier = Notifier::new(conn, email_on)?;
            let scopes = crate::access::scopes::scopes(conn, &batch, &notifier.restrictions)?;
            for (event, scope) in batch.iter().zip(&scopes) {
                notifier.consider(conn, event, scope)?;
            }
            store_cursor(conn, last)?;
            Ok(batch.len())
        })
    }

    /// Reminds the authors of analyses whose review-by date has passed:
    /// one `review_due` notification per analysis and date (a new date set
    /// after the review brings a new reminder when it passes). Returns how
    /// many reminders it gave.
    pub fn notify_review_due(&self) -> Result<usize> {
        let email_on = self.email_on();
        self.write(|conn| {
            // Several processes starting together remind once.
            notifier_lock(conn)?;
            let today = now().date();
            let due: Vec<(ThreadId, UserId, chrono::NaiveDate)> = analyses::table
                .inner_join(threads::table)
                .filter(analyses::review_by.lt(today))
                .select((
                    threads::id,
                    threads::author_id,
                    analyses::review_by.assume_not_null(),
                ))
                .load(conn)?;
            let mut notifier = Notifier::new(conn, email_on)?;
            let mut given = 0;
            for (thread, author, review_by) in due {
                let since = review_by.and_time(chrono::NaiveTime::MIN);
                let reminded: i64 = notifications::table
                    .filter(notifications::user_id.eq(author))
                    .filter(notifications::kind.eq(NotificationKind::ReviewDue.as_str()))
                    .filter(notifications::thread_id.eq(thread))
                    .filter(notifications::created_at.ge(since))
                    .count()
                    .get_result(conn)?;
                let category: CategoryId = threads::table
                    .find(thread)
                    .select(threads::category_id)
                    .first(conn)?;
                let scope = access::EventScope {
                    thread_id: Some(thread),
                    category_id: Some(category),
                    restricted_to: notifier
                        .restrictions
                        .get(&category)
                        .cloned()
                        .unwrap_or_default(),
                    marking: notifier.restrictions.marking(thread).cloned(),
                    ..access::EventScope::default()
                };
                if reminded > 0 || !notifier.may_receive(conn, author, &scope)? {
                    continue;
                }
                let email = notifier
                    .emails(conn, author, Why::Direct)?
                    .then_some(Why::Direct);
                let Some(viewer) = notifier.viewers.get(&author).cloned().flatten() else {
                    continue;
                };
                give(
                    conn,
                    &Notice {
                        user: author,
                        kind: NotificationKind::ReviewDue,
                        detail: None,
                        thread: Some(thread),
                        post: None,
                        actor: None,
                        why: Why::Direct,
                    },
                    email,
                    &viewer,
                    &notifier.restrictions,
                )?;
                given += 1;
            }
            Ok(given)
        })
    }

    /// The last event the notifier has considered (0 before its first run).
    pub fn notifier_position(&self) -> Result<i64> {
        self.read(|conn| {
            let stored: Option<String> = site_settings::table
                .filter(site_settings::key.eq(CURSOR_KEY))
                .select(site_settings::value)
                .first(conn)
                .optional()?;
            Ok(stored.and_then(|v| v.parse().ok()).unwrap_or(0))
        })
    }
}
