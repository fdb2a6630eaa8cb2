//! Advice requests to the legal office: a member country's officer files a
//! confidential request on a specific case (a thread marked `RED` naming
//! the office's group, so only the requester and the office read it, on
//! every path), with its files. The office works it through received →
//! assigned → advice given → closed, with a due date, private notes and a
//! record of each step (and the audit log). Once closed, and only with the
//! requester's consent, the office may publish an anonymised analysis that
//! links back to the request.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::access::{self, MarkRecipients, Viewer};
use crate::domain::analysis::AnalysisInput;
use crate::domain::mark::Mark;
use crate::domain::{AdviceStatus, NotificationKind, ThreadKind};
use crate::error::{CoreError, ErrorCode, Result};
use crate::features::forum::{NewPost, NewThreadInput, authors};
use crate::features::notifications::tell;
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::ids::*;
use crate::store::schema::{
    advice_notes, advice_requests, advice_steps, group_members, groups, threads,
};
use crate::views::AuthorView;

/// How the office is found and how long it has by default.
#[derive(Debug, Clone, Copy)]
pub struct AdviceOffice<'a> {
    /// The name of the legal office's group (made, empty, when missing:
    /// admins add its staff).
    pub group: &'a str,
    /// Days from filing to the due date, unless the office sets another.
    pub due_days: i64,
}

/// A request as its officer files it.
#[derive(Debug, Clone, Copy)]
pub struct AdviceInput<'a> {
    pub category_id: CategoryId,
    pub title: &'a str,
    pub body: &'a str,
    pub jurisdictions: &'a [String],
    pub attachments: &'a [AttachmentId],
    pub language: Option<&'a str>,
    pub acknowledge_personal_data: Option<&'a str>,
}

/// One step of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdviceStep {
    pub action: String,
    pub detail: String,
    pub actor: AuthorView,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub at: NaiveDateTime,
}

/// A private note of the office's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdviceNote {
    pub author: AuthorView,
    pub body: String,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
}

/// An advice request as `viewer` may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdviceRequest {
    pub thread_id: ThreadId,
    pub title: String,
    pub requester: AuthorView,
    pub status: AdviceStatus,
    pub assignee: Option<AuthorView>,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub due_at: NaiveDateTime,
    /// Past its due date without advice.
    pub overdue: bool,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::serialize_rfc3339_opt")]
    pub closed_at: Option<NaiveDateTime>,
    pub advice_post_id: Option<PostId>,
    pub publish_consent: bool,
    pub published_thread_id: Option<ThreadId>,
    pub steps: Vec<AdviceStep>,
    /// The office's notes: empty for the requester.
    pub notes: Vec<AdviceNote>,
    /// Whether `viewer` works in the office.
    pub office: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = advice_requests)]
struct Row {
    thread_id: ThreadId,
    requester_id: UserId,
    office_group_id: GroupId,
    status: String,
    assignee_id: Option<UserId>,
    due_at: NaiveDateTime,
    advice_post_id: Option<PostId>,
    publish_consent: bool,
    published_thread_id: Option<ThreadId>,
    created_at: NaiveDateTime,
    closed_at: Option<NaiveDateTime>,
}

/// The office's group, made (empty) when missing.
fn office_group(conn: &mut DbConnection, name: &str) -> Result<GroupId> {
    let found: Option<GroupId> = groups::table
        .filter(groups::name.eq(name))
        .select(groups::id)
        .first(conn)
        .optional()?;
    match found {
        Some(id) => Ok(id),
        None => crate::features::accounts::create_group_in(conn, name),
    }
}

fn step(
    conn: &mut DbConnection,
    thread: ThreadId,
    actor: UserId,
    action: &'static str,
    detail: &str,
) -> Result<()> {
    diesel::insert_into(advice_steps::table)
        .values((
            advice_steps::thread_id.eq(thread),
            advice_steps::actor_id.eq(actor),
            advice_steps::action.eq(action),
            advice_steps::detail.eq(detail),
            advice_steps::at.eq(now()),
        ))
        .execute(conn)?;
    crate::store::audit::append(
        conn,
        crate::store::audit::Entry {
            actor: Some(actor),
            action: match action {
                "received" => "advice.request",
                "assigned" => "advice.assign",
                "note" => "advice.note",
                "advice_given" => "advice.give",
                "consent" => "advice.consent",
                "closed" => "advice.close",
                _ => "advice.publish",
            },
            target: format!("thread:{thread}"),
            reason: "",
            details: serde_json::json!({}),
        },
    )?;
    Ok(())
}

/// The request in `thread` if `viewer` may read the thread (the `RED`
/// mark: requester and office), else `NotFound`.
fn visible_row(conn: &mut DbConnection, viewer: &Viewer, thread: ThreadId) -> Result<Row> {
    crate::access::visibility::visible_thread(conn, viewer, thread)?;
    advice_requests::table
        .find(thread)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or(CoreError::NotFound)
}

/// 403 unless `viewer` works in the office of `row`.
fn office_only(viewer: &Viewer, row: &Row) -> Result<()> {
    access::check_second_factor(viewer)?;
    if !access::is_legal_office(viewer, row.office_group_id) {
        return Err(CoreError::forbidden(
            ErrorCode::Forbidden,
            "only the legal office does this",
        ));
    }
    Ok(())
}

fn status_of(row: &Row) -> Result<AdviceStatus> {
    AdviceStatus::parse(&row.status)
}

fn view_of(conn: &mut DbConnection, viewer: &Viewer, row: Row) -> Result<AdviceRequest> {
    let office = access::is_legal_office(viewer, row.office_group_id);
    let title: String = threads::table
        .find(row.thread_id)
        .select(threads::title)
        .first(conn)?;
    type StepRow = (String, String, UserId, NaiveDateTime);
    let steps: Vec<StepRow> = advice_steps::table
        .filter(advice_steps::thread_id.eq(row.thread_id))
        .order(advice_steps::id.asc())
        .select((
            advice_steps::action,
            advice_steps::detail,
            advice_steps::actor_id,
            advice_steps::at,
        ))
        .load(conn)?;
    let notes: Vec<(UserId, String, NaiveDateTime)> = if office {
        advice_notes::table
            .filter(advice_notes::thread_id.eq(row.thread_id))
            .order(advice_notes::id.asc())
            .select((
                advice_notes::author_id,
                advice_notes::body,
                advice_notes::created_at,
            ))
            .load(conn)?
    } else {
        Vec::new()
    };
    let people = authors(
        conn,
        steps
            .iter()
            .map(|s| s.2)
            .chain(notes.iter().map(|n| n.0))
            .chain([row.requester_id])
            .chain(row.assignee_id),
    )?;
    let person = |id: UserId| {
        people.get(&id).cloned().unwrap_or_else(|| AuthorView {
            id,
            username: String::new(),
            display_name: String::new(),
        })
    };
    let status = status_of(&row)?;
    Ok(AdviceRequest {
        thread_id: row.thread_id,
        title,
        requester: person(row.requester_id),
        overdue: matches!(status, AdviceStatus::Received | AdviceStatus::Assigned)
            && row.due_at < now(),
        status,
        assignee: row.assignee_id.map(person),
        due_at: row.due_at,
        created_at: row.created_at,
        closed_at: row.closed_at,
        advice_post_id: row.advice_post_id,
        publish_consent: row.publish_consent,
        published_thread_id: row.published_thread_id,
        steps: steps
            .into_iter()
            .map(|(action, detail, actor, at)| AdviceStep {
                action,
                detail,
                actor: person(actor),
                at,
            })
            .collect(),
        notes: notes
            .into_iter()
            .map(|(author, body, created_at)| AdviceNote {
                author: person(author),
                body,
                created_at,
            })
            .collect(),
        office,
    })
}

impl Db {
    /// Files a request to the legal office: a `RED` thread naming the
    /// office's group, with its files; every member of the office is told.
    pub fn request_advice(
        &self,
        viewer: &Viewer,
        input: &AdviceInput<'_>,
        office: &AdviceOffice<'_>,
    ) -> Result<AdviceRequest> {
        access::check_second_factor(viewer)?;
        if !access::can_request_advice(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::Forbidden,
                "guests cannot ask the legal office",
            ));
        }
        let group = self.write(|conn| office_group(conn, office.group))?;
        let recipients = MarkRecipients {
            groups: vec![group],
            ..MarkRecipients::default()
        };
        let email_on = self.email_on();
        let thread = NewThreadInput {
            category_id: input.category_id,
            title: input.title,
            body: input.body,
            kind: ThreadKind::Discussion.as_str(),
            jurisdictions: input.jurisdictions,
            language: input.language,
            analysis: None,
            attachments: input.attachments,
            mark: Some(Mark::Red.as_str()),
            mark_recipients: Some(&recipients),
            acknowledge_personal_data: input.acknowledge_personal_data,
        };
        let due_days = office.due_days;
        let (summary, _, ()) = self.create_thread_with(viewer, &thread, |conn, summary| {
            diesel::insert_into(advice_requests::table)
                .values((
                    advice_requests::thread_id.eq(summary.id),
                    advice_requests::requester_id.eq(viewer.id),
                    advice_requests::office_group_id.eq(group),
                    advice_requests::status.eq(AdviceStatus::Received.as_str()),
                    advice_requests::due_at.eq(summary.created_at + Duration::days(due_days)),
                    advice_requests::created_at.eq(summary.created_at),
                ))
                .execute(conn)?;
            step(conn, summary.id, viewer.id, "received", "")?;
            let staff: Vec<UserId> = group_members::table
                .filter(group_members::group_id.eq(group))
                .select(group_members::user_id)
                .load(conn)?;
            for member in staff.into_iter().filter(|m| *m != viewer.id) {
                tell(
                    conn,
                    member,
                    Some(viewer.id),
                    summary.id,
                    NotificationKind::AdviceRequested,
                    None,
                    email_on,
                )?;
            }
            Ok(())
        })?;
        self.advice_request(viewer, summary.id)
    }

    /// One request `viewer` may read (requester, office).
    pub fn advice_request(&self, viewer: &Viewer, thread: ThreadId) -> Result<AdviceRequest> {
        self.read(|conn| {
            let row = visible_row(conn, viewer, thread)?;
            view_of(conn, viewer, row)
        })
    }

    /// The requests `viewer` may read: their own, and for the office every
    /// one; open ones first by due date, then the closed.
    pub fn advice_requests(&self, viewer: &Viewer) -> Result<Vec<AdviceRequest>> {
        self.read(|conn| {
            let readable = crate::access::visibility::readable(conn, viewer)?;
            let rows: Vec<Row> = advice_requests::table
                .inner_join(threads::table)
                .filter(threads::category_id.eq_any(&readable.categories))
                .filter(threads::id.ne_all(&readable.hidden_threads))
                .order(advice_requests::due_at.asc())
                .select(Row::as_select())
                .load(conn)?;
            let mut list = Vec::new();
            for row in rows {
                list.push(view_of(conn, viewer, row)?);
            }
            list.sort_by_key(|r| r.status == AdviceStatus::Closed);
            Ok(list)
        })
    }

    /// The members of the office handling request `thread`, by name (the
    /// office only: empty for anyone else).
    pub fn advice_office_members(
        &self,
        viewer: &Viewer,
        thread: ThreadId,
    ) -> Result<Vec<AuthorView>> {
        self.read(|conn| {
            let row = visible_row(conn, viewer, thread)?;
            if !access::is_legal_office(viewer, row.office_group_id) {
                return Ok(Vec::new());
            }
            let ids: Vec<UserId> = group_members::table
                .filter(group_members::group_id.eq(row.office_group_id))
                .select(group_members::user_id)
                .load(conn)?;
            let mut people: Vec<AuthorView> = authors(conn, ids)?.into_values().collect();
            people.sort_by(|a, b| a.display_name.cmp(&b.display_name));
            Ok(people)
        })
    }

    /// The office assigns a request to one of its members (`None`: the
    /// caller), optionally with a new due date. 422 `assignee_id` for
    /// someone outside the office, `status` once advice was given.
    pub fn assign_advice(
        &self,
        viewer: &Viewer,
        thread: ThreadId,
        assignee: Option<UserId>,
        due_at: Option<NaiveDateTime>,
    ) -> Result<AdviceRequest> {
        self.write(|conn| {
            let row = visible_row(conn, viewer, thread)?;
            office_only(viewer, &row)?;
            if !matches!(
                status_of(&row)?,
                AdviceStatus::Received | AdviceStatus::Assigned
            ) {
                return Err(CoreError::invalid(
                    "status",
                    "advice was already given on this request",
                ));
            }
            let assignee = assignee.unwrap_or(viewer.id);
            let in_office: i64 = group_members::table
                .filter(group_members::group_id.eq(row.office_group_id))
                .filter(group_members::user_id.eq(assignee))
                .count()
                .get_result(conn)?;
            if in_office == 0 {
                return Err(CoreError::invalid(
                    "assignee_id",
                    "assign the request to a member of the legal office",
                ));
            }
            diesel::update(advice_requests::table.find(thread))
                .set((
                    advice_requests::status.eq(AdviceStatus::Assigned.as_str()),
                    advice_requests::assignee_id.eq(assignee),
                    advice_requests::due_at.eq(due_at.unwrap_or(row.due_at)),
                ))
                .execute(conn)?;
            let name = authors(conn, [assignee])?
                .remove(&assignee)
                .map(|a| a.display_name)
                .unwrap_or_default();
            step(conn, thread, viewer.id, "assigned", &name)?;
            let row = visible_row(conn, viewer, thread)?;
            view_of(conn, viewer, row)
        })
    }

    /// The office keeps a private note on a request.
    pub fn note_advice(
        &self,
        viewer: &Viewer,
        thread: ThreadId,
        body: &str,
    ) -> Result<AdviceRequest> {
        let body = crate::domain::parse_text("body", body, 10_000)?;
        if body.trim().is_empty() {
            return Err(CoreError::invalid("body", "write the note"));
        }
        self.write(|conn| {
            let row = visible_row(conn, viewer, thread)?;
            office_only(viewer, &row)?;
            diesel::insert_into(advice_notes::table)
                .values((
                    advice_notes::thread_id.eq(thread),
                    advice_notes::author_id.eq(viewer.id),
                    advice_notes::body.eq(&body),
                    advice_notes::created_at.eq(now()),
                ))
                .execute(conn)?;
            step(conn, thread, viewer.id, "note", "")?;
            let row = visible_row(conn, viewer, thread)?;
            view_of(conn, viewer, row)
        })
    }

    /// The office gives its advice: a reply in the request's thread (as
    /// `RED` as the thread), the request `advice_given`, the requester
    /// told.
    pub fn give_advice(
        &self,
        viewer: &Viewer,
        thread: ThreadId,
        body: &str,
    ) -> Result<AdviceRequest> {
        let row = self.read(|conn| visible_row(conn, viewer, thread))?;
        office_only(viewer, &row)?;
        if status_of(&row)? == AdviceStatus::Closed {
            return Err(CoreError::invalid("status", "this request is closed"));
        }
        let post = self.create_post(
            viewer,
            thread,
            &NewPost {
                body,
                ..NewPost::default()
            },
        )?;
        let email_on = self.email_on();
        self.write(|conn| {
            diesel::update(advice_requests::table.find(thread))
                .set((
                    advice_requests::status.eq(AdviceStatus::AdviceGiven.as_str()),
                    advice_requests::advice_post_id.eq(post.id),
                    advice_requests::assignee_id.eq(row.assignee_id.unwrap_or(viewer.id)),
                ))
                .execute(conn)?;
            step(conn, thread, viewer.id, "advice_given", "")?;
            tell(
                conn,
                row.requester_id,
                Some(viewer.id),
                thread,
                NotificationKind::AdviceGiven,
                None,
                email_on,
            )?;
            let row = visible_row(conn, viewer, thread)?;
            view_of(conn, viewer, row)
        })
    }

    /// The requester agrees (or no longer agrees) to an anonymised
    /// publication of the advice.
    pub fn consent_to_publish(
        &self,
        viewer: &Viewer,
        thread: ThreadId,
        consent: bool,
    ) -> Result<AdviceRequest> {
        access::check_second_factor(viewer)?;
        self.write(|conn| {
            let row = visible_row(conn, viewer, thread)?;
            if row.requester_id != viewer.id {
                return Err(CoreError::forbidden(
                    ErrorCode::Forbidden,
                    "only the requester consents",
                ));
            }
            diesel::update(advice_requests::table.find(thread))
                .set(advice_requests::publish_consent.eq(consent))
                .execute(conn)?;
            step(
                conn,
                thread,
                viewer.id,
                "consent",
                if consent { "yes" } else { "no" },
            )?;
            let row = visible_row(conn, viewer, thread)?;
            view_of(conn, viewer, row)
        })
    }

    /// The office closes a request.
    pub fn close_advice(&self, viewer: &Viewer, thread: ThreadId) -> Result<AdviceRequest> {
        self.write(|conn| {
            let row = visible_row(conn, viewer, thread)?;
            office_only(viewer, &row)?;
            if status_of(&row)? == AdviceStatus::Closed {
                return Err(CoreError::invalid(
                    "status",
                    "this request is already closed",
                ));
            }
            diesel::update(advice_requests::table.find(thread))
                .set((
                    advice_requests::status.eq(AdviceStatus::Closed.as_str()),
                    advice_requests::closed_at.eq(now()),
                ))
                .execute(conn)?;
            step(conn, thread, viewer.id, "closed", "")?;
            let row = visible_row(conn, viewer, thread)?;
            view_of(conn, viewer, row)
        })
    }

    /// The office publishes the advice, anonymised by its own hand, as an
    /// analysis (`GREEN`) in `analysis.category_id`, linking back to the
    /// request: only once it is closed, with advice given and the
    /// requester's consent (422 `status` or `consent` otherwise), and once.
    pub fn publish_advice(
        &self,
        viewer: &Viewer,
        thread: ThreadId,
        analysis: &PublishedAdvice<'_>,
    ) -> Result<AdviceRequest> {
        let row = self.read(|conn| visible_row(conn, viewer, thread))?;
        office_only(viewer, &row)?;
        if status_of(&row)? != AdviceStatus::Closed || row.advice_post_id.is_none() {
            return Err(CoreError::invalid(
                "status",
                "publish a request once advice was given and it is closed",
            ));
        }
        if !row.publish_consent {
            return Err(CoreError::invalid(
                "consent",
                "the requester has not agreed to a publication",
            ));
        }
        if row.published_thread_id.is_some() {
            return Err(CoreError::invalid(
                "status",
                "this advice is already published",
            ));
        }
        let body = format!(
            "{}\n\n---\n\n*Published, anonymised and with the requester's consent, from [an advice request of the legal office](/advice/{thread}).*",
            analysis.body.trim_end()
        );
        let input = NewThreadInput {
            category_id: analysis.category_id,
            title: analysis.title,
            body: &body,
            kind: ThreadKind::Analysis.as_str(),
            jurisdictions: analysis.jurisdictions,
            language: None,
            analysis: Some(analysis.analysis),
            attachments: &[],
            mark: Some(Mark::Green.as_str()),
            mark_recipients: None,
            acknowledge_personal_data: None,
        };
        self.create_thread_with(viewer, &input, |conn, summary| {
            diesel::update(advice_requests::table.find(thread))
                .set(advice_requests::published_thread_id.eq(summary.id))
                .execute(conn)?;
            step(
                conn,
                thread,
                viewer.id,
                "published",
                &summary.id.to_string(),
            )
        })?;
        self.advice_request(viewer, thread)
    }
}

/// The anonymised analysis the office publishes from a request.
#[derive(Debug, Clone, Copy)]
pub struct PublishedAdvice<'a> {
    pub category_id: CategoryId,
    pub title: &'a str,
    pub body: &'a str,
    pub jurisdictions: &'a [String],
    pub analysis: &'a AnalysisInput,
}
