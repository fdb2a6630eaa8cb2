//! Colloquia: a time-boxed expert discussion on one legal problem. Its
//! participants (members, and outside experts on guest accounts that end
//! a week after it closes) form a group; the discussion is a category
//! restricted to that group, opened by a thread holding the agenda. It is
//! read-only before it opens and after it closes (organisers excepted);
//! participants are told when it opens. It ends with conclusions the
//! organisers write in versions, participants endorse, and the organisers
//! publish as a thread in an open category — where every member reads and
//! searches them — linking back to the colloquium.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::access::{self, Viewer};
use crate::domain::markdown;
use crate::domain::{ColloquiumState, Markdown, NotificationKind, Slug, ThreadKind, parse_line};
use crate::error::{CoreError, ErrorCode, Result};
use crate::features::accounts::IssuedInvitation;
use crate::features::forum::{NewThreadInput, PostEdit, authors};
use crate::features::notifications::tell;
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::ids::*;
use crate::store::schema::{
    categories, category_groups, colloquia, colloquium_conclusions, conclusion_endorsements,
    group_members, groups, guest_accounts, posts, users,
};
use crate::views::AuthorView;

/// Days a guest's account outlives the colloquium it was made for.
pub const GUEST_DAYS_AFTER: i64 = 7;

/// A colloquium as its organiser sets it up.
#[derive(Debug, Clone, Copy)]
pub struct ColloquiumInput<'a> {
    pub title: &'a str,
    pub agenda: &'a str,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    /// Members taking part (the organiser always does).
    pub participants: &'a [UserId],
    /// The open category its conclusions are published in.
    pub publish_category_id: CategoryId,
}

/// A participant, and whether they are an outside expert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    #[serde(flatten)]
    pub member: AuthorView,
    pub guest: bool,
    /// The version of the conclusions they endorse, if any.
    pub endorses: Option<i64>,
}

/// One version of a colloquium's conclusions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConclusionsVersion {
    pub version: i64,
    pub body: String,
    #[serde(skip)]
    pub body_html: markdown::SanitizedHtml,
    pub note: String,
    pub author: AuthorView,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::serialize_rfc3339_opt")]
    pub published_at: Option<NaiveDateTime>,
    /// Participants who endorse this version.
    pub endorsements: i64,
}

/// A colloquium as `viewer` may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Colloquium {
    pub id: ColloquiumId,
    pub title: String,
    pub agenda: String,
    #[serde(skip)]
    pub agenda_html: markdown::SanitizedHtml,
    pub state: ColloquiumState,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub opens_at: NaiveDateTime,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub closes_at: NaiveDateTime,
    pub organiser: AuthorView,
    /// The discussion's category (restricted to the participants).
    pub category_id: CategoryId,
    pub category_slug: String,
    /// The thread holding the agenda, where the discussion starts.
    pub thread_id: ThreadId,
    pub publish_category_id: CategoryId,
    pub participants: Vec<Participant>,
    /// Whether `viewer` takes part.
    pub participating: bool,
    /// Whether `viewer` may read the discussion (its category's rule:
    /// participants, and admins).
    pub reads_discussion: bool,
    /// The versions `viewer` may read, newest first: every version for
    /// participants and staff, the published ones for everyone else.
    pub conclusions: Vec<ConclusionsVersion>,
    /// The thread the conclusions are published as, once they are.
    pub conclusions_thread_id: Option<ThreadId>,
}

/// A row of `colloquia`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = colloquia)]
struct Row {
    id: ColloquiumId,
    title: String,
    agenda: String,
    category_id: CategoryId,
    group_id: GroupId,
    thread_id: ThreadId,
    publish_category_id: CategoryId,
    opens_at: NaiveDateTime,
    closes_at: NaiveDateTime,
    created_by: UserId,
    conclusions_thread_id: Option<ThreadId>,
}

fn state_at(
    opens_at: NaiveDateTime,
    closes_at: NaiveDateTime,
    at: NaiveDateTime,
) -> ColloquiumState {
    if at < opens_at {
        ColloquiumState::Upcoming
    } else if at < closes_at {
        ColloquiumState::Open
    } else {
        ColloquiumState::Closed
    }
}

fn organisers_only(viewer: &Viewer) -> Result<()> {
    access::check_second_factor(viewer)?;
    if !access::can_organise_colloquia(viewer) {
        return Err(CoreError::forbidden(
            ErrorCode::ModeratorsOnly,
            "colloquia are organised by moderators and admins",
        ));
    }
    Ok(())
}

/// The colloquium `id` if `viewer` sees it, else `NotFound`.
fn visible_row(conn: &mut DbConnection, viewer: &Viewer, id: ColloquiumId) -> Result<Row> {
    let row = colloquia::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound)?;
    if !access::can_see_colloquium(viewer, row.group_id) {
        return Err(CoreError::NotFound);
    }
    Ok(row)
}

/// 423 unless `viewer` may write in `category` now: a colloquium's
/// discussion is read-only outside its dates (organisers excepted); any
/// other category is not concerned. Every post, edit and new thread asks.
pub(crate) fn check_writable(
    conn: &mut DbConnection,
    viewer: &Viewer,
    category: CategoryId,
) -> Result<()> {
    let window: Option<(NaiveDateTime, NaiveDateTime)> = colloquia::table
        .filter(colloquia::category_id.eq(category))
        .select((colloquia::opens_at, colloquia::closes_at))
        .first(conn)
        .optional()?;
    let Some((opens_at, closes_at)) = window else {
        return Ok(());
    };
    let state = state_at(opens_at, closes_at, now());
    if access::can_write_in_colloquium(viewer, state) {
        return Ok(());
    }
    Err(CoreError::Locked {
        message: match state {
            ColloquiumState::Upcoming => "this colloquium has not opened yet",
            _ => "this colloquium is closed",
        }
        .to_owned(),
    })
}

fn participants_of(
    conn: &mut DbConnection,
    group: GroupId,
    colloquium: ColloquiumId,
) -> Result<Vec<Participant>> {
    let ids: Vec<UserId> = group_members::table
        .filter(group_members::group_id.eq(group))
        .select(group_members::user_id)
        .load(conn)?;
    let guests: Vec<UserId> = guest_accounts::table
        .filter(guest_accounts::user_id.eq_any(&ids))
        .select(guest_accounts::user_id)
        .load(conn)?;
    let endorses: HashMap<UserId, i64> = conclusion_endorsements::table
        .filter(conclusion_endorsements::colloquium_id.eq(colloquium))
        .select((
            conclusion_endorsements::user_id,
            conclusion_endorsements::version,
        ))
        .load::<(UserId, i64)>(conn)?
        .into_iter()
        .collect();
    let mut people: Vec<Participant> = authors(conn, ids)?
        .into_values()
        .map(|member| Participant {
            guest: guests.contains(&member.id),
            endorses: endorses.get(&member.id).copied(),
            member,
        })
        .collect();
    people.sort_by(|a, b| {
        a.member
            .display_name
            .to_lowercase()
            .cmp(&b.member.display_name.to_lowercase())
            .then(a.member.id.cmp(&b.member.id))
    });
    Ok(people)
}

fn view_of(conn: &mut DbConnection, viewer: &Viewer, row: Row) -> Result<Colloquium> {
    let participants = participants_of(conn, row.group_id, row.id)?;
    let participating = access::is_colloquium_participant(viewer, row.group_id);
    let reads_discussion = access::can_see_category(viewer, &[row.group_id]);
    let drafts_too = participating || viewer.is_staff();
    let mut query = colloquium_conclusions::table
        .filter(colloquium_conclusions::colloquium_id.eq(row.id))
        .select((
            colloquium_conclusions::version,
            colloquium_conclusions::body,
            colloquium_conclusions::note,
            colloquium_conclusions::author_id,
            colloquium_conclusions::created_at,
            colloquium_conclusions::published_at,
        ))
        .order(colloquium_conclusions::version.desc())
        .into_boxed();
    if !drafts_too {
        query = query.filter(colloquium_conclusions::published_at.is_not_null());
    }
    type VersionRow = (
        i64,
        String,
        String,
        UserId,
        NaiveDateTime,
        Option<NaiveDateTime>,
    );
    let versions: Vec<VersionRow> = query.load(conn)?;
    let mut people = authors(
        conn,
        versions
            .iter()
            .map(|v| v.3)
            .chain(std::iter::once(row.created_by)),
    )?;
    let conclusions = versions
        .into_iter()
        .map(
            |(version, body, note, author, created_at, published_at)| ConclusionsVersion {
                version,
                body_html: markdown::render(&body),
                body,
                note,
                author: people.get(&author).cloned().unwrap_or_else(|| AuthorView {
                    id: author,
                    username: String::new(),
                    display_name: String::new(),
                }),
                created_at,
                published_at,
                endorsements: participants
                    .iter()
                    .filter(|p| p.endorses == Some(version))
                    .count() as i64,
            },
        )
        .collect();
    let category_slug: String = categories::table
        .find(row.category_id)
        .select(categories::slug)
        .first(conn)?;
    let organiser = people
        .remove(&row.created_by)
        .unwrap_or_else(|| AuthorView {
            id: row.created_by,
            username: String::new(),
            display_name: String::new(),
        });
    Ok(Colloquium {
        id: row.id,
        agenda_html: markdown::render(&row.agenda),
        title: row.title,
        agenda: row.agenda,
        state: state_at(row.opens_at, row.closes_at, now()),
        opens_at: row.opens_at,
        closes_at: row.closes_at,
        organiser,
        category_id: row.category_id,
        category_slug,
        thread_id: row.thread_id,
        publish_category_id: row.publish_category_id,
        participants,
        participating,
        reads_discussion,
        conclusions,
        conclusions_thread_id: row.conclusions_thread_id,
    })
}

/// Members `ids` all exist and are not guests (outside experts are invited
/// by e-mail), else 422 on `field`.
fn check_members(conn: &mut DbConnection, ids: &[UserId], field: &'static str) -> Result<()> {
    let known: Vec<UserId> = users::table
        .filter(users::id.eq_any(ids))
        .select(users::id)
        .load(conn)?;
    if ids.iter().any(|id| !known.contains(id)) {
        return Err(CoreError::invalid(field, "unknown member"));
    }
    Ok(())
}

impl Db {
    /// Sets a colloquium up (organisers): its participants' group, its
    /// discussion category restricted to that group, and the thread holding
    /// its agenda. 422 on a bad title, agenda or dates, an unknown member,
    /// or a publication category that is not open to every member.
    pub fn create_colloquium(
        &self,
        viewer: &Viewer,
        input: &ColloquiumInput<'_>,
    ) -> Result<Colloquium> {
        organisers_only(viewer)?;
        let title = parse_line("title", input.title, 3, 150)?;
        if input.agenda.trim().is_empty() {
            return Err(CoreError::invalid("agenda", "write the agenda"));
        }
        let agenda = Markdown::parse(input.agenda)
            .map_err(|_| CoreError::invalid("agenda", "the agenda is too long"))?;
        if input.closes_at <= input.opens_at {
            return Err(CoreError::invalid(
                "closes_at",
                "a colloquium closes after it opens",
            ));
        }
        crate::domain::personal_data::screen(
            &[("title", &title), ("agenda", agenda.as_str())],
            None,
        )?;
        let mut participants: Vec<UserId> = input.participants.to_vec();
        participants.push(viewer.id);
        participants.sort_unstable();
        participants.dedup();
        let suffix = format!("{:08x}", rand::random::<u32>());
        // First the space: the group, its members and the category.
        let (category, group) = self.write(|conn| {
            check_members(conn, &participants, "participants")?;
            let open: bool = categories::table
                .find(input.publish_category_id)
                .count()
                .get_result::<i64>(conn)?
                == 1
                && category_groups::table
                    .filter(category_groups::category_id.eq(input.publish_category_id))
                    .count()
                    .get_result::<i64>(conn)?
                    == 0;
            if !open {
                return Err(CoreError::invalid(
                    "publish_category_id",
                    "publish in a category open to every member",
                ));
            }
            let group =
                crate::features::accounts::create_group_in(conn, &format!("Colloquium {suffix}"))?;
            for member in &participants {
                crate::features::accounts::set_membership_in(conn, group, *member, true)?;
            }
            let category = crate::features::forum::insert_category(
                conn,
                viewer,
                &Slug::parse(&format!("colloquium-{suffix}"))?,
                &format!("Colloquium: {title}"),
                "",
                &[group],
            )?;
            Ok((category.id, group))
        })?;
        // Then the agenda's thread, and the colloquium with it.
        let thread = NewThreadInput {
            category_id: category,
            title: &title,
            body: agenda.as_str(),
            kind: ThreadKind::Discussion.as_str(),
            jurisdictions: &[],
            language: None,
            analysis: None,
            attachments: &[],
            mark: None,
            mark_recipients: None,
            acknowledge_personal_data: None,
        };
        // The organiser joined the group in the commit above.
        let mut organiser = viewer.clone();
        organiser.groups = organiser.groups.iter().copied().chain([group]).collect();
        let created = self.create_thread_with(&organiser, &thread, |conn, summary| {
            let id: ColloquiumId = diesel::insert_into(colloquia::table)
                .values((
                    colloquia::title.eq(&title),
                    colloquia::agenda.eq(agenda.as_str()),
                    colloquia::category_id.eq(category),
                    colloquia::group_id.eq(group),
                    colloquia::thread_id.eq(summary.id),
                    colloquia::publish_category_id.eq(input.publish_category_id),
                    colloquia::opens_at.eq(input.opens_at),
                    colloquia::closes_at.eq(input.closes_at),
                    colloquia::created_by.eq(viewer.id),
                    colloquia::created_at.eq(summary.created_at),
                ))
                .returning(colloquia::id)
                .get_result(conn)?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "colloquium.create",
                    target: format!("colloquium:{id}"),
                    reason: "",
                    details: serde_json::json!({ "participants": participants.len() }),
                },
            )?;
            Ok(id)
        });
        match created {
            Ok((_, _, id)) => self.colloquium(viewer, id),
            Err(err) => {
                // Nothing of a colloquium that was refused stays behind.
                self.write(|conn| {
                    diesel::delete(
                        category_groups::table.filter(category_groups::category_id.eq(category)),
                    )
                    .execute(conn)?;
                    diesel::delete(categories::table.find(category)).execute(conn)?;
                    diesel::delete(group_members::table.filter(group_members::group_id.eq(group)))
                        .execute(conn)?;
                    diesel::delete(groups::table.find(group)).execute(conn)?;
                    Ok(())
                })?;
                Err(err)
            }
        }
    }

    /// One colloquium `viewer` sees.
    pub fn colloquium(&self, viewer: &Viewer, id: ColloquiumId) -> Result<Colloquium> {
        self.read(|conn| {
            let row = visible_row(conn, viewer, id)?;
            view_of(conn, viewer, row)
        })
    }

    /// The colloquia `viewer` sees, the next to open first, then the
    /// open, then the closed (most recent first).
    pub fn colloquia(&self, viewer: &Viewer) -> Result<Vec<Colloquium>> {
        self.read(|conn| {
            let rows: Vec<Row> = colloquia::table
                .select(Row::as_select())
                .order(colloquia::opens_at.desc())
                .load(conn)?;
            let mut list = Vec::new();
            for row in rows {
                if access::can_see_colloquium(viewer, row.group_id) {
                    list.push(view_of(conn, viewer, row)?);
                }
            }
            list.sort_by_key(|c| match c.state {
                ColloquiumState::Open => 0,
                ColloquiumState::Upcoming => 1,
                ColloquiumState::Closed => 2,
            });
            Ok(list)
        })
    }

    /// Adds members to a colloquium (organisers); they see its discussion
    /// from the commit on.
    pub fn add_colloquium_participants(
        &self,
        viewer: &Viewer,
        id: ColloquiumId,
        members: &[UserId],
    ) -> Result<Colloquium> {
        organisers_only(viewer)?;
        if members.is_empty() {
            return Err(CoreError::invalid("user_ids", "name at least one member"));
        }
        self.write(|conn| {
            let row = visible_row(conn, viewer, id)?;
            check_members(conn, members, "user_ids")?;
            for member in members {
                crate::features::accounts::set_membership_in(conn, row.group_id, *member, true)?;
            }
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "colloquium.participants",
                    target: format!("colloquium:{id}"),
                    reason: "",
                    details: serde_json::json!({ "added": members.len() }),
                },
            )?;
            Ok(())
        })?;
        self.colloquium(viewer, id)
    }

    /// Invites an outside expert (organisers): a single-use invitation,
    /// valid until the colloquium closes, whose account joins its
    /// participants and ends [`GUEST_DAYS_AFTER`] days after it closes.
    /// A guest sees this colloquium and nothing else of the forum.
    pub fn invite_colloquium_guest(
        &self,
        viewer: &Viewer,
        id: ColloquiumId,
        email: &str,
    ) -> Result<IssuedInvitation> {
        organisers_only(viewer)?;
        let row = self.read(|conn| visible_row(conn, viewer, id))?;
        let at = now();
        if row.closes_at <= at {
            return Err(CoreError::invalid("email", "this colloquium is closed"));
        }
        let until = row.closes_at + Duration::days(GUEST_DAYS_AFTER);
        self.create_invitation_with(
            viewer,
            email,
            None,
            row.closes_at - at,
            Some((row.group_id, Some(until))),
        )
    }

    /// Writes a new version of a colloquium's conclusions (organisers).
    pub fn write_conclusions(
        &self,
        viewer: &Viewer,
        id: ColloquiumId,
        body: &str,
        note: &str,
    ) -> Result<Colloquium> {
        organisers_only(viewer)?;
        let body = Markdown::parse(body)?;
        let note = crate::domain::parse_text("note", note, 500)?;
        self.write(|conn| {
            visible_row(conn, viewer, id)?;
            let last: Option<i64> = colloquium_conclusions::table
                .filter(colloquium_conclusions::colloquium_id.eq(id))
                .select(diesel::dsl::max(colloquium_conclusions::version))
                .first(conn)?;
            let version = last.unwrap_or(0) + 1;
            diesel::insert_into(colloquium_conclusions::table)
                .values((
                    colloquium_conclusions::colloquium_id.eq(id),
                    colloquium_conclusions::version.eq(version),
                    colloquium_conclusions::body.eq(body.as_str()),
                    colloquium_conclusions::note.eq(&note),
                    colloquium_conclusions::author_id.eq(viewer.id),
                    colloquium_conclusions::created_at.eq(now()),
                ))
                .execute(conn)?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "colloquium.conclusions",
                    target: format!("colloquium:{id}"),
                    reason: "",
                    details: serde_json::json!({ "version": version }),
                },
            )?;
            Ok(())
        })?;
        self.colloquium(viewer, id)
    }

    /// Publishes the latest version of the conclusions (organisers): the
    /// first time as a thread in the colloquium's publication category,
    /// later as a new revision of that thread's opening post. 422 when
    /// there are none or the latest is already published.
    pub fn publish_conclusions(&self, viewer: &Viewer, id: ColloquiumId) -> Result<Colloquium> {
        organisers_only(viewer)?;
        let (row, latest) = self.read(|conn| {
            let row = visible_row(conn, viewer, id)?;
            let latest: Option<(i64, String, Option<NaiveDateTime>)> =
                colloquium_conclusions::table
                    .filter(colloquium_conclusions::colloquium_id.eq(id))
                    .order(colloquium_conclusions::version.desc())
                    .select((
                        colloquium_conclusions::version,
                        colloquium_conclusions::body,
                        colloquium_conclusions::published_at,
                    ))
                    .first(conn)
                    .optional()?;
            Ok((row, latest))
        })?;
        let Some((version, body, published)) = latest else {
            return Err(CoreError::invalid("version", "write the conclusions first"));
        };
        if published.is_some() {
            return Err(CoreError::invalid(
                "version",
                "the latest version is already published",
            ));
        }
        let text = format!(
            "{body}\n\n---\n\n*Conclusions of the colloquium [{title}](/colloquia/{id}), version {version}.*",
            title = row.title.replace(['[', ']'], ""),
        );
        let mark_published = |conn: &mut DbConnection| -> Result<()> {
            diesel::update(
                colloquium_conclusions::table
                    .filter(colloquium_conclusions::colloquium_id.eq(id))
                    .filter(colloquium_conclusions::version.eq(version)),
            )
            .set(colloquium_conclusions::published_at.eq(now()))
            .execute(conn)?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "colloquium.publish",
                    target: format!("colloquium:{id}"),
                    reason: "",
                    details: serde_json::json!({ "version": version }),
                },
            )?;
            Ok(())
        };
        match row.conclusions_thread_id {
            None => {
                let title = format!("Conclusions: {}", row.title);
                let thread = NewThreadInput {
                    category_id: row.publish_category_id,
                    title: &title,
                    body: &text,
                    kind: ThreadKind::Discussion.as_str(),
                    jurisdictions: &[],
                    language: None,
                    analysis: None,
                    attachments: &[],
                    mark: None,
                    mark_recipients: None,
                    acknowledge_personal_data: None,
                };
                self.create_thread_with(viewer, &thread, |conn, summary| {
                    diesel::update(colloquia::table.find(id))
                        .set(colloquia::conclusions_thread_id.eq(summary.id))
                        .execute(conn)?;
                    mark_published(conn)
                })?;
            }
            Some(thread) => {
                let first: PostId = self.read(|conn| {
                    Ok(posts::table
                        .filter(posts::thread_id.eq(thread))
                        .order(posts::id.asc())
                        .select(posts::id)
                        .first(conn)?)
                })?;
                let reason = format!("Version {version}");
                self.edit_post(
                    viewer,
                    first,
                    &PostEdit {
                        body: &text,
                        reason: Some(&reason),
                        language: None,
                        attachments: None,
                        acknowledge_personal_data: None,
                        mark: None,
                        mark_recipients: None,
                    },
                )?;
                self.write(mark_published)?;
            }
        }
        self.colloquium(viewer, id)
    }

    /// A participant endorses the latest version of the conclusions
    /// (replacing an endorsement of an earlier one). 403 for others, 422
    /// when there are none yet.
    pub fn endorse_conclusions(&self, viewer: &Viewer, id: ColloquiumId) -> Result<Colloquium> {
        access::check_second_factor(viewer)?;
        self.write(|conn| {
            let row = visible_row(conn, viewer, id)?;
            if !access::is_colloquium_participant(viewer, row.group_id) {
                return Err(CoreError::forbidden(
                    ErrorCode::Forbidden,
                    "only participants endorse the conclusions",
                ));
            }
            let latest: Option<i64> = colloquium_conclusions::table
                .filter(colloquium_conclusions::colloquium_id.eq(id))
                .select(diesel::dsl::max(colloquium_conclusions::version))
                .first(conn)?;
            let Some(version) = latest else {
                return Err(CoreError::invalid(
                    "version",
                    "there are no conclusions yet",
                ));
            };
            diesel::delete(
                conclusion_endorsements::table
                    .filter(conclusion_endorsements::colloquium_id.eq(id))
                    .filter(conclusion_endorsements::user_id.eq(viewer.id)),
            )
            .execute(conn)?;
            diesel::insert_into(conclusion_endorsements::table)
                .values((
                    conclusion_endorsements::colloquium_id.eq(id),
                    conclusion_endorsements::user_id.eq(viewer.id),
                    conclusion_endorsements::version.eq(version),
                    conclusion_endorsements::created_at.eq(now()),
                ))
                .execute(conn)?;
            Ok(())
        })?;
        self.colloquium(viewer, id)
    }

    /// Tells the participants of every colloquium that opened by `at` and
    /// is not closed, once (the clock is a parameter so a test can move
    /// it). Returns how many were told.
    pub fn notify_colloquia_due(&self, at: NaiveDateTime) -> Result<usize> {
        let email_on = self.email_on();
        self.write(|conn| {
            crate::features::notifications::notifier_lock(conn)?;
            let due: Vec<(ColloquiumId, GroupId, ThreadId, UserId)> = colloquia::table
                .filter(colloquia::opened_notified_at.is_null())
                .filter(colloquia::opens_at.le(at))
                .filter(colloquia::closes_at.gt(at))
                .select((
                    colloquia::id,
                    colloquia::group_id,
                    colloquia::thread_id,
                    colloquia::created_by,
                ))
                .load(conn)?;
            let mut told = 0;
            for (id, group, thread, organiser) in due {
                let members: Vec<UserId> = group_members::table
                    .filter(group_members::group_id.eq(group))
                    .select(group_members::user_id)
                    .load(conn)?;
                for member in members.into_iter().filter(|m| *m != organiser) {
                    tell(
                        conn,
                        member,
                        Some(organiser),
                        thread,
                        NotificationKind::ColloquiumOpened,
                        None,
                        email_on,
                    )?;
                    told += 1;
                }
                diesel::update(colloquia::table.find(id))
                    .set(colloquia::opened_notified_at.eq(at))
                    .execute(conn)?;
            }
            Ok(told)
        })
    }
}

/// Shortcuts for tests (only with the `test-support` feature).
#[cfg(feature = "test-support")]
impl Db {
    /// Moves the end of a guest's account (to see it end without waiting).
    pub fn set_guest_expiry(&self, user: UserId, at: NaiveDateTime) -> Result<()> {
        self.write(|conn| {
            diesel::update(guest_accounts::table.find(user))
                .set(guest_accounts::expires_at.eq(at))
                .execute(conn)?;
            crate::features::accounts::account_updated(conn, Some(user), None)
        })
    }
}
