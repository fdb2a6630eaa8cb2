//! Flags on posts, worked as cases: raise, queue, assign, note, resolve,
//! and the figures.

use super::*;

/// A flag as the queue and the flagger see it.
#[derive(Debug, Clone, Serialize)]
pub struct FlagView {
    pub id: FlagId,
    pub post_id: PostId,
    pub thread_id: ThreadId,
    pub thread_title: String,
    pub flagger: String,
    pub reason: String,
    pub note: String,
    pub status: FlagStatus,
    pub assignee: Option<String>,
    pub resolution: Option<String>,
    pub resolution_note: Option<String>,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<String>,
}

/// A private moderator note on a flag.
#[derive(Debug, Clone, Serialize)]
pub struct FlagNote {
    pub author: String,
    pub body: String,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
}

/// A flag with its notes and the flagged post's text.
#[derive(Debug, Clone, Serialize)]
pub struct FlagCase {
    pub flag: FlagView,
    pub post_body: String,
    /// The post as readers see it (sanitised), for the case page.
    #[serde(skip)]
    pub post_html: crate::domain::markdown::SanitizedHtml,
    pub post_author: String,
    pub notes: Vec<FlagNote>,
}

/// Flags of one reason: how many, how many open, and how long resolution
/// took on average.
#[derive(Debug, Clone, Serialize)]
pub struct FlagStats {
    pub reason: String,
    pub total: i64,
    pub open: i64,
    pub resolved: i64,
    /// Mean hours from flag to resolution, over resolved flags.
    pub mean_hours_to_resolution: Option<f64>,
}

type FlagRow = (
    FlagId,
    PostId,
    UserId,
    String,
    String,
    String,
    Option<UserId>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

fn flag_views(conn: &mut DbConnection, rows: Vec<FlagRow>) -> Result<Vec<FlagView>> {
    let post_ids: Vec<PostId> = rows.iter().map(|r| r.1).collect();
    let threads_of: BTreeMap<PostId, (ThreadId, String)> = posts::table
        .inner_join(threads::table)
        .filter(posts::id.eq_any(&post_ids))
        .select((posts::id, threads::id, threads::title))
        .load::<(PostId, ThreadId, String)>(conn)?
        .into_iter()
        .map(|(p, t, title)| (p, (t, title)))
        .collect();
    let user_ids: Vec<UserId> = rows
        .iter()
        .flat_map(|r| [Some(r.2), r.6])
        .flatten()
        .collect();
    let names: BTreeMap<UserId, String> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::username))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(
            |(
                id,
                post_id,
                flagger,
                reason,
                note,
                status,
                assignee,
                resolution,
                resolution_note,
                created_at,
                resolved_at,
            )| {
                let (thread_id, thread_title) =
                    threads_of.get(&post_id).cloned().unwrap_or_default();
                Ok(FlagView {
                    id,
                    post_id,
                    thread_id,
                    thread_title,
                    flagger: names.get(&flagger).cloned().unwrap_or_default(),
                    reason,
                    note,
                    status: status.try_into()?,
                    assignee: assignee.and_then(|a| names.get(&a).cloned()),
                    resolution,
                    resolution_note,
                    created_at,
                    resolved_at: resolved_at.map(crate::rfc3339),
                })
            },
        )
        .collect()
}

macro_rules! flag_columns {
    () => {
        (
            flags::id,
            flags::post_id,
            flags::flagger_id,
            flags::reason,
            flags::note,
            flags::status,
            flags::assignee_id,
            flags::resolution,
            flags::resolution_note,
            flags::created_at,
            flags::resolved_at,
        )
    };
}

/// Flags on posts in categories `viewer` may see.
fn visible_flag(conn: &mut DbConnection, viewer: &Viewer, id: FlagId) -> Result<FlagRow> {
    let row: FlagRow = flags::table
        .find(id)
        .select(flag_columns!())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound)?;
    visible_post(conn, viewer, row.1)?;
    Ok(row)
}

fn open_flag(row: &FlagRow) -> Result<()> {
    if row.5 != FlagStatus::Open.as_str() {
        return Err(CoreError::conflict(
            ErrorCode::FlagResolved,
            "this flag is already resolved",
        ));
    }
    Ok(())
}

/// Stores an open flag on `post_id` and audits it (`flag.create`, with
/// `details` beside the flag's id).
fn insert_flag(
    conn: &mut DbConnection,
    post_id: PostId,
    flagger: UserId,
    reason: &str,
    note: &str,
    mut details: serde_json::Value,
) -> Result<FlagId> {
    let id: FlagId = diesel::insert_into(flags::table)
        .values((
            flags::post_id.eq(post_id),
            flags::flagger_id.eq(flagger),
            flags::reason.eq(reason),
            flags::note.eq(note),
            flags::status.eq(FlagStatus::Open.as_str()),
            flags::created_at.eq(now()),
        ))
        .returning(flags::id)
        .get_result(conn)?;
    details["flag_id"] = serde_json::json!(id);
    audit::append(
        conn,
        Entry {
            actor: Some(flagger),
            action: "flag.create",
            target: format!("post:{post_id}"),
            reason,
            details,
        },
    )?;
    Ok(id)
}

/// Opens a `personal_data` case on `post_id` in the moderation queue: its
/// author posted despite suspected personal data, with `reason`. The case
/// names the kinds found, never the text. Nothing found, no case.
pub(crate) fn open_personal_data_case(
    conn: &mut DbConnection,
    post_id: PostId,
    author: UserId,
    reason: &str,
    kinds: &[crate::domain::personal_data::PiiKind],
) -> Result<Option<FlagId>> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let note = format!(
        "Posted despite suspected personal data ({}): {}",
        kinds.join(", "),
        reason.trim()
    );
    let id = insert_flag(
        conn,
        post_id,
        author,
        "personal_data",
        &note,
        serde_json::json!({ "personal_data": kinds }),
    )?;
    Ok(Some(id))
}

impl Db {
    /// A member flags a post they can see.
    pub fn flag_post(
        &self,
        viewer: &Viewer,
        post_id: PostId,
        why: &str,
        note: &str,
    ) -> Result<FlagId> {
        access::check_second_factor(viewer)?;
        let why = why.trim();
        if !FLAG_REASONS.contains(&why) {
            return Err(CoreError::invalid(
                "reason",
                format!("must be one of: {}", FLAG_REASONS.join(", ")),
            ));
        }
        let note = parse_text("note", note, 1000)?;
        self.write(|conn| {
            let (post, _) = visible_post(conn, viewer, post_id)?;
            let open: i64 = flags::table
                .filter(flags::post_id.eq(post.id))
                .filter(flags::flagger_id.eq(viewer.id))
                .filter(flags::status.eq(FlagStatus::Open.as_str()))
                .count()
                .get_result(conn)?;
            if open > 0 {
                return Err(CoreError::conflict(
                    ErrorCode::AlreadyFlagged,
                    "you already flagged this post; a moderator will look at it",
                ));
            }
            let id = insert_flag(conn, post.id, viewer.id, why, &note, serde_json::json!({}))?;
            Ok(id)
        })
    }

    /// The moderation queue: flags with `status` (`None`: all), on posts
    /// the moderator may see, oldest open first.
    pub fn flag_queue(&self, viewer: &Viewer, status: Option<FlagStatus>) -> Result<Vec<FlagView>> {
        moderator_reading(viewer)?;
        self.read(|conn| {
            let mut query = flags::table.select(flag_columns!()).into_boxed();
            if let Some(s) = status {
                query = query.filter(flags::status.eq(s.as_str()));
            }
            let rows: Vec<FlagRow> = query.order(flags::id.asc()).limit(500).load(conn)?;
            let visible: Vec<FlagRow> = rows
                .into_iter()
                .filter(|r| visible_post_exists(conn, viewer, r.1))
                .collect();
            flag_views(conn, visible)
        })
    }

    /// One flag with its private notes (moderators).
    pub fn flag_case(&self, viewer: &Viewer, id: FlagId) -> Result<FlagCase> {
        moderator_reading(viewer)?;
        self.read(|conn| {
            let row = visible_flag(conn, viewer, id)?;
            let (post, _) = visible_post(conn, viewer, row.1)?;
            let author: String = users::table
                .find(post.author_id)
                .select(users::username)
                .first(conn)?;
            let notes = flag_notes::table
                .inner_join(users::table.on(users::id.eq(flag_notes::author_id)))
                .filter(flag_notes::flag_id.eq(id))
                .order(flag_notes::id.asc())
                .select((users::username, flag_notes::body, flag_notes::created_at))
                .load::<(String, String, NaiveDateTime)>(conn)?
                .into_iter()
                .map(|(author, body, created_at)| FlagNote {
                    author,
                    body,
                    created_at,
                })
                .collect();
            let flag = flag_views(conn, vec![row])?.remove(0);
            Ok(FlagCase {
                flag,
                post_html: crate::domain::markdown::SanitizedHtml::from_stored(post.body_html),
                post_body: post.body,
                post_author: author,
                notes,
            })
        })
    }

    /// Assigns an open flag to a moderator (or to nobody).
    pub fn assign_flag(&self, viewer: &Viewer, id: FlagId, assignee: Option<UserId>) -> Result<()> {
        require_moderator(viewer)?;
        self.write(|conn| {
            let row = visible_flag(conn, viewer, id)?;
            open_flag(&row)?;
            if let Some(a) = assignee {
                let user = crate::features::accounts::load_user(conn, a)
                    .map_err(|_| CoreError::invalid("assignee_id", "unknown member"))?;
                if !user.role.is_staff() {
                    return Err(CoreError::invalid(
                        "assignee_id",
                        "must be a moderator or an admin",
                    ));
                }
            }
            diesel::update(flags::table.find(id))
                .set(flags::assignee_id.eq(assignee))
                .execute(conn)?;
            audit::append(
                conn,
                Entry {
                    actor: Some(viewer.id),
                    action: "flag.assign",
                    target: format!("flag:{id}"),
                    reason: "",
                    details: serde_json::json!({ "assignee_id": assignee }),
                },
            )?;
            Ok(())
        })
    }

    /// Adds a private moderator note to a flag.
    pub fn add_flag_note(&self, viewer: &Viewer, id: FlagId, body: &str) -> Result<()> {
        require_moderator(viewer)?;
        let body = parse_text("body", body, 4000)?;
        if body.is_empty() {
            return Err(CoreError::invalid("body", "must not be empty"));
        }
        self.write(|conn| {
            visible_flag(conn, viewer, id)?;
            diesel::insert_into(flag_notes::table)
                .values((
                    flag_notes::flag_id.eq(id),
                    flag_notes::author_id.eq(viewer.id),
                    flag_notes::body.eq(&body),
                    flag_notes::created_at.eq(now()),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Resolves a flag: `dismiss`, `hide_post` (hides it, with the note as
    /// the reason), `edit_post` (a new revision with `body`, the note as
    /// the edit reason) or `warn_user`. The flagger sees the outcome.
    pub fn resolve_flag(
        &self,
        viewer: &Viewer,
        id: FlagId,
        action: &str,
        note: &str,
        body: Option<&str>,
    ) -> Result<()> {
        require_moderator(viewer)?;
        let action = action.trim();
        if !FLAG_RESOLUTIONS.contains(&action) {
            return Err(CoreError::invalid(
                "action",
                format!("must be one of: {}", FLAG_RESOLUTIONS.join(", ")),
            ));
        }
        let note = reason(note)
            .map_err(|_| CoreError::invalid("note", "give a reason of 3 to 500 characters"))?;
        let edit = if action == "edit_post" {
            let body = crate::domain::Markdown::parse(body.unwrap_or_default())?;
            let language = crate::domain::ContentLanguage::detect(body.as_str());
            let html = crate::domain::markdown::render(body.as_str());
            Some((body, html, language))
        } else {
            None
        };
        self.write(|conn| {
            let row = visible_flag(conn, viewer, id)?;
            open_flag(&row)?;
            let (post, thread) = visible_post(conn, viewer, row.1)?;
            if action == "hide_post" && !post.hidden {
                set_hidden(conn, viewer, &post, &thread, true, &note)?;
            }
            if let Some((body, html, language)) = &edit {
                crate::features::forum::apply_edit(
                    conn,
                    viewer,
                    &post,
                    &thread,
                    &crate::features::forum::PostContent {
                        body,
                        html,
                        language,
                    },
                    Some(&note),
                    None,
                )?;
            }
            diesel::update(flags::table.find(id))
                .set((
                    flags::status.eq(FlagStatus::Resolved.as_str()),
                    flags::resolution.eq(action),
                    flags::resolution_note.eq(&note),
                    flags::resolved_by.eq(viewer.id),
                    flags::resolved_at.eq(now()),
                ))
                .execute(conn)?;
            record(
                conn,
                viewer,
                Some(&thread),
                &Event::FlagResolved(event_payloads::FlagResolved {
                    flag_id: id,
                    flagger_id: row.2,
                    post_id: post.id,
                    author_id: post.author_id,
                    resolution: action.to_owned(),
                }),
                Entry {
                    actor: Some(viewer.id),
                    action: "flag.resolve",
                    target: format!("flag:{id}"),
                    reason: &note,
                    details: serde_json::json!({ "resolution": action, "post_id": post.id }),
                },
            )?;
            Ok(())
        })
    }

    /// The flags `viewer` raised, with their outcomes.
    pub fn my_flags(&self, viewer: &Viewer) -> Result<Vec<FlagView>> {
        self.read(|conn| {
            let rows: Vec<FlagRow> = flags::table
                .filter(flags::flagger_id.eq(viewer.id))
                .order(flags::id.desc())
                .limit(200)
                .select(flag_columns!())
                .load(conn)?;
            let mut views = flag_views(conn, rows)?;
            // The private notes stay private; the resolution note is the
            // moderator's answer to the flagger.
            // A post the flagger may no longer see (moved into a restricted
            // category, merged away) keeps its flag's status, not the
            // thread's title nor the moderator's note about it.
            for v in &mut views {
                if !visible_post_exists(conn, viewer, v.post_id) {
                    v.thread_title.clear();
                }
                if !post_space_visible(conn, viewer, v.post_id) {
                    v.resolution_note = None;
                }
            }
            Ok(views)
        })
    }

    /// Flags per reason: counts and mean time to resolution.
    pub fn flag_stats(&self, viewer: &Viewer) -> Result<Vec<FlagStats>> {
        moderator_reading(viewer)?;
        self.read(|conn| {
            // Only flags on posts in spaces the reader may see count: a
            // count is a side channel too.
            let readable = crate::access::visibility::readable(conn, viewer)?;
            let rows: Vec<(String, String, NaiveDateTime, Option<NaiveDateTime>)> = flags::table
                .inner_join(posts::table.on(posts::id.eq(flags::post_id)))
                .inner_join(threads::table.on(threads::id.eq(posts::thread_id)))
                .filter(threads::category_id.eq_any(readable.categories))
                .filter(threads::id.ne_all(readable.hidden_threads))
                .filter(posts::id.ne_all(readable.hidden_posts))
                .select((
                    flags::reason,
                    flags::status,
                    flags::created_at,
                    flags::resolved_at,
                ))
                .load(conn)?;
            Ok(FLAG_REASONS
                .iter()
                .map(|r| {
                    let of: Vec<_> = rows.iter().filter(|row| row.0 == *r).collect();
                    let hours: Vec<f64> = of
                        .iter()
                        .filter_map(|row| {
                            row.3
                                .map(|done| (done - row.2).num_seconds() as f64 / 3600.0)
                        })
                        .collect();
                    FlagStats {
                        reason: (*r).to_owned(),
                        total: of.len() as i64,
                        open: of
                            .iter()
                            .filter(|row| row.1 == FlagStatus::Open.as_str())
                            .count() as i64,
                        resolved: hours.len() as i64,
                        mean_hours_to_resolution: (!hours.is_empty())
                            .then(|| hours.iter().sum::<f64>() / hours.len() as f64),
                    }
                })
                .collect())
        })
    }
}
