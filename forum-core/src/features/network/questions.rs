//! Routed questions: a question thread sent to the members who know its
//! jurisdictions and subject, with a weekly cap per expert and pauses;
//! reminded after a week without an answer, escalated to the moderators
//! after two; answered when a routed expert replies, closed when the asker
//! accepts an answer.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::directory::{ExpertProfile, all_profiles, profile_in};
use crate::access::visibility::{Restrictions, readable, visible_post, visible_thread};
use crate::access::{self, Viewer};
use crate::domain::{CrimeArea, NotificationKind, QuestionStatus, ThreadKind};
use crate::error::{CoreError, ErrorCode, Result};
use crate::features::forum::{NewThreadInput, authors, jurisdictions_of};
use crate::features::notifications::tell;
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::ids::*;
use crate::store::schema::{posts, question_routes, routed_questions, threads, users};
use crate::views::{AuthorView, ThreadSummary};

/// Days without an expert's answer before the experts are reminded.
pub const REMIND_AFTER_DAYS: i64 = 7;
/// Days without an expert's answer before the moderators are told.
pub const ESCALATE_AFTER_DAYS: i64 = 14;
/// How many experts the forum proposes for a question.
pub const PROPOSED: usize = 5;
/// Most experts one question may be routed to.
pub const MAX_ROUTED: usize = 10;

/// A question as its asker sends it.
#[derive(Debug, Clone, Copy)]
pub struct QuestionInput<'a> {
    pub category_id: CategoryId,
    pub title: &'a str,
    pub body: &'a str,
    /// The countries or regions whose law it asks about (at least one).
    pub jurisdictions: &'a [String],
    pub crime_areas: &'a [String],
    /// The experts the asker confirmed (`None`: those the forum proposes).
    pub experts: Option<&'a [UserId]>,
    pub language: Option<&'a str>,
    pub acknowledge_personal_data: Option<&'a str>,
}

/// A routed question and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoutedQuestion {
    pub thread_id: ThreadId,
    pub title: String,
    pub asker: AuthorView,
    pub jurisdictions: Vec<String>,
    pub status: QuestionStatus,
    pub routed_to: Vec<AuthorView>,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::serialize_rfc3339_opt")]
    pub first_answer_at: Option<NaiveDateTime>,
    pub accepted_post_id: Option<PostId>,
}

/// Per jurisdiction, the open questions and how fast experts answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionStats {
    pub jurisdiction: String,
    pub open: i64,
    pub answered: i64,
    /// Median hours from asking to the first expert answer, over the
    /// questions answered.
    pub median_hours_to_answer: Option<f64>,
}

fn parse_targets(
    jurisdictions: &[String],
    crime_areas: &[String],
) -> Result<(Vec<String>, Vec<String>)> {
    let mut codes = Vec::new();
    for raw in jurisdictions {
        let code = raw.trim().to_ascii_uppercase();
        if crate::domain::jurisdictions::get(&code).is_none() {
            return Err(CoreError::invalid(
                "jurisdictions",
                format!(
                    "'{}' is not a country or region code",
                    raw.chars().take(20).collect::<String>()
                ),
            ));
        }
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    if codes.is_empty() {
        return Err(CoreError::invalid(
            "jurisdictions",
            "name at least one country or region whose law you ask about",
        ));
    }
    let areas = crime_areas
        .iter()
        .map(|a| {
            CrimeArea::parse(a)
                .map(|c| c.as_str().to_owned())
                .map_err(|_| {
                    CoreError::invalid("crime_areas", format!("'{a}' is not a crime area"))
                })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((codes, areas))
}

/// Questions routed to each member since `since`.
fn loads(conn: &mut DbConnection, since: NaiveDateTime) -> Result<HashMap<UserId, i64>> {
    let rows: Vec<UserId> = question_routes::table
        .filter(question_routes::routed_at.gt(since))
        .select(question_routes::expert_id)
        .load(conn)?;
    let mut map = HashMap::new();
    for id in rows {
        *map.entry(id).or_insert(0) += 1;
    }
    Ok(map)
}

/// How many questions routed to each member since `since` they answered.
fn answered_by(conn: &mut DbConnection, since: NaiveDateTime) -> Result<HashMap<UserId, i64>> {
    let rows: Vec<(UserId, ThreadId)> = question_routes::table
        .inner_join(
            posts::table.on(posts::thread_id
                .eq(question_routes::thread_id)
                .and(posts::author_id.eq(question_routes::expert_id))),
        )
        .filter(question_routes::routed_at.gt(since))
        .select((question_routes::expert_id, question_routes::thread_id))
        .distinct()
        .load(conn)?;
    let mut map = HashMap::new();
    for (id, _) in rows {
        *map.entry(id).or_insert(0) += 1;
    }
    Ok(map)
}

/// The experts who may take a question from `asker` in `category` now:
/// in the directory the asker sees, not the asker, not paused, under the
/// weekly cap, and able to read the category.
fn eligible(
    conn: &mut DbConnection,
    asker: &Viewer,
    category: CategoryId,
    weekly_cap: i64,
    at: NaiveDateTime,
) -> Result<(Vec<ExpertProfile>, HashMap<UserId, i64>)> {
    let loads = loads(conn, at - Duration::days(7))?;
    let restrictions = Restrictions::load(conn)?;
    // An open category: every member may read it, no need to ask.
    let open = restrictions.groups_of(category).is_empty();
    let mut out = Vec::new();
    for p in all_profiles(conn)? {
        if p.id == asker.id
            || p.routing_paused
            || !access::can_see_in_directory(asker, p.directory_visibility)
            || loads.get(&p.id).copied().unwrap_or(0) >= weekly_cap
        {
            continue;
        }
        if open {
            out.push(p);
            continue;
        }
        let Some(expert) = crate::features::notifications::recipient(conn, p.id)? else {
            continue;
        };
        if restrictions.can_see(&expert, category) {
            out.push(p);
        }
    }
    Ok((out, loads))
}

/// The experts the forum proposes for a question about `codes` and
/// `areas` from `asker`, best first: those of a named country before
/// those who know its law, then those sharing more of its crime areas,
/// then those speaking the asker's languages, then those who answered
/// more routed questions in the last 90 days.
fn propose_in(
    conn: &mut DbConnection,
    asker: &Viewer,
    category: CategoryId,
    codes: &[String],
    areas: &[String],
    weekly_cap: i64,
    at: NaiveDateTime,
) -> Result<Vec<ExpertProfile>> {
    let (eligible, _) = eligible(conn, asker, category, weekly_cap, at)?;
    let answered = answered_by(conn, at - Duration::days(90))?;
    let asker_profile = profile_in(conn, asker.id)?;
    let mut speaks: HashSet<String> = asker_profile.languages.into_iter().collect();
    speaks.extend(asker.language.as_deref().map(str::to_owned));
    let mut scored: Vec<((u8, usize, bool, i64), ExpertProfile)> = eligible
        .into_iter()
        .filter_map(|p| {
            let place = if codes
                .iter()
                .any(|c| crate::domain::jurisdictions::covers(c, &p.country))
            {
                2
            } else if codes.iter().any(|c| p.knows(c)) {
                1
            } else {
                return None;
            };
            let subject = areas.iter().filter(|a| p.crime_areas.contains(a)).count();
            let language = p.languages.iter().any(|l| speaks.contains(l));
            let answers = answered.get(&p.id).copied().unwrap_or(0);
            Some(((place, subject, language, answers), p))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
    Ok(scored.into_iter().map(|(_, p)| p).take(PROPOSED).collect())
}

/// The experts `asker` confirmed, each checked: in their directory, taking
/// questions, under the cap, able to read the category. 422 `experts`
/// naming the first who is not.
fn confirmed_in(
    conn: &mut DbConnection,
    asker: &Viewer,
    category: CategoryId,
    chosen: &[UserId],
    weekly_cap: i64,
    at: NaiveDateTime,
) -> Result<Vec<ExpertProfile>> {
    if chosen.len() > MAX_ROUTED {
        return Err(CoreError::invalid(
            "experts",
            format!("route a question to at most {MAX_ROUTED} experts"),
        ));
    }
    let (eligible, loads) = eligible(conn, asker, category, weekly_cap, at)?;
    let mut out: Vec<ExpertProfile> = Vec::new();
    for id in chosen {
        if out.iter().any(|p| p.id == *id) {
            continue;
        }
        match eligible.iter().find(|p| p.id == *id) {
            Some(p) => out.push(p.clone()),
            None => {
                let why = match profile_in(conn, *id) {
                    Ok(p) if p.id == asker.id => {
                        "you cannot route a question to yourself".to_owned()
                    }
                    Ok(p)
                        if access::can_see_in_directory(asker, p.directory_visibility)
                            && p.routing_paused =>
                    {
                        format!("{} is not taking routed questions for now", p.username)
                    }
                    Ok(p)
                        if access::can_see_in_directory(asker, p.directory_visibility)
                            && loads.get(&p.id).copied().unwrap_or(0) >= weekly_cap =>
                    {
                        format!(
                            "{} already has {weekly_cap} routed questions this week",
                            p.username
                        )
                    }
                    Ok(p) if access::can_see_in_directory(asker, p.directory_visibility) => {
                        format!("{} cannot read this category", p.username)
                    }
                    _ => format!("no expert {id} in the directory"),
                };
                return Err(CoreError::invalid("experts", why));
            }
        }
    }
    Ok(out)
}

fn question_views(conn: &mut DbConnection, ids: &[ThreadId]) -> Result<Vec<RoutedQuestion>> {
    type Row = (
        ThreadId,
        UserId,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<PostId>,
        String,
    );
    let rows: Vec<Row> = routed_questions::table
        .inner_join(threads::table)
        .filter(routed_questions::thread_id.eq_any(ids))
        .select((
            routed_questions::thread_id,
            routed_questions::asker_id,
            routed_questions::status,
            routed_questions::created_at,
            routed_questions::first_answer_at,
            routed_questions::accepted_post_id,
            threads::title,
        ))
        .order(routed_questions::created_at.desc())
        .load(conn)?;
    let routes: Vec<(ThreadId, UserId)> = question_routes::table
        .filter(question_routes::thread_id.eq_any(ids))
        .select((question_routes::thread_id, question_routes::expert_id))
        .order((question_routes::thread_id, question_routes::expert_id))
        .load(conn)?;
    let people = authors(
        conn,
        rows.iter().map(|r| r.1).chain(routes.iter().map(|r| r.1)),
    )?;
    let mut codes = jurisdictions_of(conn, ids)?;
    let person = |id: UserId| {
        people.get(&id).cloned().unwrap_or_else(|| AuthorView {
            id,
            username: String::new(),
            display_name: String::new(),
        })
    };
    rows.into_iter()
        .map(
            |(thread_id, asker, status, created_at, first_answer_at, accepted_post_id, title)| {
                Ok(RoutedQuestion {
                    thread_id,
                    title,
                    asker: person(asker),
                    jurisdictions: codes.remove(&thread_id).unwrap_or_default(),
                    status: QuestionStatus::parse(&status)?,
                    routed_to: routes
                        .iter()
                        .filter(|r| r.0 == thread_id)
                        .map(|r| person(r.1))
                        .collect(),
                    created_at,
                    first_answer_at,
                    accepted_post_id,
                })
            },
        )
        .collect()
}

/// A reply was posted in `thread` by `author` at `at`: the first reply by
/// one of its routed experts answers the question.
pub(crate) fn on_reply(
    conn: &mut DbConnection,
    thread: ThreadId,
    author: UserId,
    at: NaiveDateTime,
) -> Result<()> {
    let routed: i64 = question_routes::table
        .filter(question_routes::thread_id.eq(thread))
        .filter(question_routes::expert_id.eq(author))
        .count()
        .get_result(conn)?;
    if routed == 0 {
        return Ok(());
    }
    diesel::update(
        routed_questions::table
            .find(thread)
            .filter(routed_questions::first_answer_at.is_null()),
    )
    .set(routed_questions::first_answer_at.eq(at))
    .execute(conn)?;
    diesel::update(
        routed_questions::table
            .find(thread)
            .filter(routed_questions::status.eq(QuestionStatus::Open.as_str())),
    )
    .set(routed_questions::status.eq(QuestionStatus::Answered.as_str()))
    .execute(conn)?;
    Ok(())
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

impl Db {
    /// The experts the forum proposes for a question from `viewer` in
    /// `category` about `jurisdictions` and `crime_areas` (best first; see
    /// the module).
    pub fn propose_experts(
        &self,
        viewer: &Viewer,
        category: CategoryId,
        jurisdictions: &[String],
        crime_areas: &[String],
        weekly_cap: i64,
    ) -> Result<Vec<ExpertProfile>> {
        let (codes, areas) = parse_targets(jurisdictions, crime_areas)?;
        self.read(|conn| {
            crate::access::visibility::visible_category(conn, viewer, category)
                .map_err(|_| CoreError::invalid("category_id", "unknown category"))?;
            propose_in(conn, viewer, category, &codes, &areas, weekly_cap, now())
        })
    }

    /// Opens a question thread and routes it to the experts `input` names
    /// (or those proposed), in one transaction: each expert is told (and
    /// e-mailed when they chose immediate e-mail). Returns the thread and
    /// the experts it went to.
    pub fn ask_question(
        &self,
        viewer: &Viewer,
        input: &QuestionInput<'_>,
        weekly_cap: i64,
    ) -> Result<(ThreadSummary, Vec<UserId>)> {
        let (codes, areas) = parse_targets(input.jurisdictions, input.crime_areas)?;
        let email_on = self.email_on();
        let thread = NewThreadInput {
            category_id: input.category_id,
            title: input.title,
            body: input.body,
            kind: ThreadKind::Question.as_str(),
            jurisdictions: &codes,
            language: input.language,
            analysis: None,
            attachments: &[],
            mark: None,
            mark_recipients: None,
            acknowledge_personal_data: input.acknowledge_personal_data,
        };
        let (summary, _, routed) = self.create_thread_with(viewer, &thread, |conn, summary| {
            let at = summary.created_at;
            let experts = match input.experts {
                Some(chosen) => {
                    confirmed_in(conn, viewer, summary.category_id, chosen, weekly_cap, at)?
                }
                None => propose_in(
                    conn,
                    viewer,
                    summary.category_id,
                    &codes,
                    &areas,
                    weekly_cap,
                    at,
                )?,
            };
            diesel::insert_into(routed_questions::table)
                .values((
                    routed_questions::thread_id.eq(summary.id),
                    routed_questions::asker_id.eq(viewer.id),
                    routed_questions::status.eq(QuestionStatus::Open.as_str()),
                    routed_questions::created_at.eq(at),
                ))
                .execute(conn)?;
            let mut routed = Vec::new();
            for expert in experts {
                diesel::insert_into(question_routes::table)
                    .values((
                        question_routes::thread_id.eq(summary.id),
                        question_routes::expert_id.eq(expert.id),
                        question_routes::routed_at.eq(at),
                    ))
                    .execute(conn)?;
                tell(
                    conn,
                    expert.id,
                    Some(viewer.id),
                    summary.id,
                    NotificationKind::RoutedQuestion,
                    None,
                    email_on,
                )?;
                routed.push(expert.id);
            }
            Ok(routed)
        })?;
        Ok((summary, routed))
    }

    /// A routed question in a thread `viewer` may read.
    pub fn routed_question(&self, viewer: &Viewer, thread: ThreadId) -> Result<RoutedQuestion> {
        self.read(|conn| {
            visible_thread(conn, viewer, thread)?;
            question_views(conn, &[thread])?
                .pop()
                .ok_or(CoreError::NotFound)
        })
    }

    /// The routed questions `viewer` may read: moderators see every one,
    /// others those they asked or were routed; newest first, `status` only when
    /// given.
    pub fn routed_questions(
        &self,
        viewer: &Viewer,
        status: Option<QuestionStatus>,
    ) -> Result<Vec<RoutedQuestion>> {
        self.read(|conn| {
            let readable = readable(conn, viewer)?;
            let mut query = routed_questions::table
                .inner_join(threads::table)
                .filter(threads::category_id.eq_any(&readable.categories))
                .filter(threads::id.ne_all(&readable.hidden_threads))
                .select(routed_questions::thread_id)
                .into_boxed();
            if let Some(status) = status {
                query = query.filter(routed_questions::status.eq(status.as_str()));
            }
            if !access::can_moderate(viewer) {
                let mine = question_routes::table
                    .filter(question_routes::expert_id.eq(viewer.id))
                    .select(question_routes::thread_id);
                query = query.filter(
                    routed_questions::asker_id
                        .eq(viewer.id)
                        .or(routed_questions::thread_id.eq_any(mine)),
                );
            }
            let ids: Vec<ThreadId> = query.load(conn)?;
            question_views(conn, &ids)
        })
    }

    /// Per jurisdiction named by the routed questions `viewer` may read:
    /// how many are open, how many were answered, and the median time to
    /// the first expert answer. Moderators only (403 `moderators_only`).
    pub fn question_stats(&self, viewer: &Viewer) -> Result<Vec<QuestionStats>> {
        crate::features::moderation::moderator_reading(viewer)?;
        let questions = self.routed_questions(viewer, None)?;
        let mut by: std::collections::BTreeMap<String, (i64, i64, Vec<f64>)> = Default::default();
        for q in &questions {
            for code in &q.jurisdictions {
                let entry = by.entry(code.clone()).or_default();
                if q.status == QuestionStatus::Open {
                    entry.0 += 1;
                }
                if let Some(first) = q.first_answer_at {
                    entry.1 += 1;
                    entry
                        .2
                        .push((first - q.created_at).num_seconds() as f64 / 3600.0);
                }
            }
        }
        Ok(by
            .into_iter()
            .map(|(jurisdiction, (open, answered, hours))| QuestionStats {
                jurisdiction,
                open,
                answered,
                median_hours_to_answer: median(hours),
            })
            .collect())
    }

    /// The asker accepts `post` as the answer to their routed question;
    /// its author is told.
    pub fn accept_answer(
        &self,
        viewer: &Viewer,
        thread: ThreadId,
        post: PostId,
    ) -> Result<RoutedQuestion> {
        access::check_second_factor(viewer)?;
        let email_on = self.email_on();
        self.write(|conn| {
            visible_thread(conn, viewer, thread)?;
            let asker: UserId = routed_questions::table
                .find(thread)
                .select(routed_questions::asker_id)
                .first(conn)
                .optional()?
                .ok_or(CoreError::NotFound)?;
            if asker != viewer.id {
                return Err(CoreError::forbidden(
                    ErrorCode::Forbidden,
                    "only the member who asked may accept an answer",
                ));
            }
            let answer = match visible_post(conn, viewer, post) {
                Ok((p, _)) if p.thread_id == thread && p.author_id != viewer.id => p,
                _ => {
                    return Err(CoreError::invalid(
                        "post_id",
                        "accept a reply by someone else in this question's thread",
                    ));
                }
            };
            diesel::update(routed_questions::table.find(thread))
                .set((
                    routed_questions::status.eq(QuestionStatus::Accepted.as_str()),
                    routed_questions::accepted_post_id.eq(answer.id),
                ))
                .execute(conn)?;
            tell(
                conn,
                answer.author_id,
                Some(viewer.id),
                thread,
                NotificationKind::AnswerAccepted,
                None,
                email_on,
            )?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "question.accept",
                    target: format!("thread:{thread}"),
                    reason: "",
                    details: serde_json::json!({ "post_id": answer.id }),
                },
            )?;
            question_views(conn, &[thread])?
                .pop()
                .ok_or(CoreError::NotFound)
        })
    }

    /// Reminders and escalation, as of `at` (the clock is a parameter so a
    /// test can run a fortnight at once): a question no routed expert has
    /// answered for [`REMIND_AFTER_DAYS`] is recalled to its experts, once;
    /// after [`ESCALATE_AFTER_DAYS`], every moderator is told, once.
    /// Returns how many notifications it gave.
    pub fn notify_routing_due(&self, at: NaiveDateTime) -> Result<usize> {
        let email_on = self.email_on();
        self.write(|conn| {
            // Several processes running this together remind once.
            crate::features::notifications::notifier_lock(conn)?;
            let mut given = 0;
            let unanswered = || {
                routed_questions::table
                    .filter(routed_questions::status.eq(QuestionStatus::Open.as_str()))
                    .filter(routed_questions::first_answer_at.is_null())
            };
            let remind: Vec<(ThreadId, UserId)> = unanswered()
                .filter(routed_questions::reminded_at.is_null())
                .filter(routed_questions::created_at.le(at - Duration::days(REMIND_AFTER_DAYS)))
                .select((routed_questions::thread_id, routed_questions::asker_id))
                .load(conn)?;
            for (thread, asker) in remind {
                let experts: Vec<UserId> = question_routes::table
                    .filter(question_routes::thread_id.eq(thread))
                    .select(question_routes::expert_id)
                    .load(conn)?;
                for expert in experts {
                    tell(
                        conn,
                        expert,
                        Some(asker),
                        thread,
                        NotificationKind::RoutedQuestion,
                        Some("reminder"),
                        email_on,
                    )?;
                    given += 1;
                }
                diesel::update(routed_questions::table.find(thread))
                    .set(routed_questions::reminded_at.eq(at))
                    .execute(conn)?;
            }
            let escalate: Vec<(ThreadId, UserId)> = unanswered()
                .filter(routed_questions::escalated_at.is_null())
                .filter(routed_questions::created_at.le(at - Duration::days(ESCALATE_AFTER_DAYS)))
                .select((routed_questions::thread_id, routed_questions::asker_id))
                .load(conn)?;
            let staff: Vec<UserId> = users::table
                .filter(users::role.ne(crate::domain::Role::Member.as_str()))
                .select(users::id)
                .load(conn)?;
            for (thread, asker) in escalate {
                for moderator in &staff {
                    tell(
                        conn,
                        *moderator,
                        Some(asker),
                        thread,
                        NotificationKind::RoutedQuestion,
                        Some("escalated"),
                        email_on,
                    )?;
                    given += 1;
                }
                diesel::update(routed_questions::table.find(thread))
                    .set(routed_questions::escalated_at.eq(at))
                    .execute(conn)?;
            }
            Ok(given)
        })
    }
}
