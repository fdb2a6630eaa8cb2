//! Legal analyses: the structured record of threads of kind `analysis`
//! (summary, jurisdictions, instruments and articles, crime areas, national
//! provisions, case citations, validity dates), endorsements by members for
//! their own country, the comparison matrix, currency ("needs review"), and
//! the copy of the reference data (taxonomy, instruments) in the database.
//!
//! Every read goes through [`crate::access`] by way of the visible
//! categories; every write appends to the event log in its transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::access::MarkRecipients;
use crate::access::visibility::{readable, visible_thread};
use crate::access::{self, Viewer};
use crate::domain::analysis::{
    AnalysisInput, AnalysisRecord, crime_area_filter, instrument_filter, parse_jurisdictions,
};
use crate::domain::instruments::{self as catalogue, InstrumentRef};
use crate::domain::jurisdictions as taxonomy;
use crate::domain::mark::Mark;
use crate::domain::{CrimeArea, JurisdictionCode, ThreadKind, ThreadTitle};
use crate::error::{CoreError, ErrorCode, Result};
use crate::features::forum::summaries;
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{self, Event};
use crate::store::events::{self};
use crate::store::ids::*;
use crate::store::rows::Thread;
use crate::store::schema::*;
use crate::views::ThreadSummary;
use crate::views::{AnalysisView, CompareColumn, EndorsementTally, InstrumentCitation};

mod comparison;
mod endorsing;

pub use comparison::*;

/// Replaces a thread's jurisdiction tags.
pub(crate) fn replace_tags(
    conn: &mut DbConnection,
    thread_id: ThreadId,
    codes: &[JurisdictionCode],
) -> Result<()> {
    diesel::delete(
        thread_jurisdictions::table.filter(thread_jurisdictions::thread_id.eq(thread_id)),
    )
    .execute(conn)?;
    for code in codes {
        diesel::insert_into(thread_jurisdictions::table)
            .values((
                thread_jurisdictions::thread_id.eq(thread_id),
                thread_jurisdictions::code.eq(code.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A thread as event payloads carry it.
pub(crate) fn thread_payload(t: &ThreadSummary) -> event_payloads::ThreadPayload {
    event_payloads::ThreadPayload {
        id: t.id,
        title: t.title.clone(),
        kind: t.kind,
        category_id: t.category_id,
        jurisdictions: t.jurisdictions.clone(),
        mark: t.mark,
    }
}

/// The analysis record a thread of `kind` may carry: required for analyses
/// (with at least one jurisdiction), refused for other kinds.
pub(crate) fn record_for_kind(
    kind: ThreadKind,
    input: Option<&AnalysisInput>,
    jurisdictions: &[JurisdictionCode],
) -> Result<Option<AnalysisRecord>> {
    match (kind, input) {
        (ThreadKind::Analysis, None) => Err(CoreError::invalid(
            "analysis",
            "an analysis needs its record: summary, language, instruments, crime areas…",
        )),
        (ThreadKind::Analysis, Some(input)) => {
            if jurisdictions.is_empty() {
                return Err(CoreError::invalid_because(
                    "jurisdictions",
                    crate::error::Reason::Empty,
                    "an analysis holds for at least one jurisdiction",
                ));
            }
            input.parse().map(Some)
        }
        (_, Some(_)) => Err(CoreError::invalid(
            "analysis",
            "only threads of kind analysis carry an analysis record",
        )),
        (_, None) => Ok(None),
    }
}

/// Writes (or replaces) a thread's analysis record.
pub(crate) fn store_record(
    conn: &mut DbConnection,
    thread_id: ThreadId,
    record: &AnalysisRecord,
    at: NaiveDateTime,
) -> Result<()> {
    diesel::delete(
        analysis_instruments::table.filter(analysis_instruments::thread_id.eq(thread_id)),
    )
    .execute(conn)?;
    diesel::delete(
        analysis_crime_areas::table.filter(analysis_crime_areas::thread_id.eq(thread_id)),
    )
    .execute(conn)?;
    diesel::delete(analyses::table.filter(analyses::thread_id.eq(thread_id))).execute(conn)?;
    diesel::insert_into(analyses::table)
        .values((
            analyses::thread_id.eq(thread_id),
            analyses::summary.eq(&record.summary),
            analyses::language.eq(&record.language),
            analyses::valid_as_of.eq(record.valid_as_of),
            analyses::review_by.eq(record.review_by),
            analyses::legal_provisions.eq(json(&record.legal_provisions)),
            analyses::case_citations.eq(json(&record.case_citations)),
            analyses::updated_at.eq(at),
        ))
        .execute(conn)?;
    for r in &record.instruments {
        diesel::insert_into(analysis_instruments::table)
            .values((
                analysis_instruments::thread_id.eq(thread_id),
                analysis_instruments::instrument_id.eq(&r.instrument),
                analysis_instruments::article.eq(&r.article),
            ))
            .execute(conn)?;
    }
    for area in &record.crime_areas {
        diesel::insert_into(analysis_crime_areas::table)
            .values((
                analysis_crime_areas::thread_id.eq(thread_id),
                analysis_crime_areas::area.eq(area.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// The record as an event payload (what the search indexer will read).
pub(crate) fn record_payload(record: &AnalysisRecord) -> event_payloads::AnalysisPayload {
    event_payloads::AnalysisPayload {
        summary: record.summary.clone(),
        language: record.language.clone(),
        instruments: record.instruments.iter().map(InstrumentRef::key).collect(),
        crime_areas: record
            .crime_areas
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
        valid_as_of: record.valid_as_of,
        review_by: record.review_by,
    }
}

#[derive(Debug, Clone, Queryable)]
struct AnalysisRow {
    thread_id: ThreadId,
    summary: String,
    language: String,
    valid_as_of: Option<NaiveDate>,
    review_by: Option<NaiveDate>,
    legal_provisions: String,
    case_citations: String,
    updated_at: NaiveDateTime,
}

fn load_rows(conn: &mut DbConnection, ids: &[ThreadId]) -> Result<Vec<AnalysisRow>> {
    Ok(analyses::table
        .filter(analyses::thread_id.eq_any(ids))
        .select((
            analyses::thread_id,
            analyses::summary,
            analyses::language,
            analyses::valid_as_of,
            analyses::review_by,
            analyses::legal_provisions,
            analyses::case_citations,
            analyses::updated_at,
        ))
        .load(conn)?)
}

fn refs_of(
    conn: &mut DbConnection,
    ids: &[ThreadId],
) -> Result<HashMap<ThreadId, Vec<InstrumentRef>>> {
    let rows: Vec<(ThreadId, String, String)> = analysis_instruments::table
        .filter(analysis_instruments::thread_id.eq_any(ids))
        .order((
            analysis_instruments::thread_id,
            analysis_instruments::instrument_id,
            analysis_instruments::article,
        ))
        .select((
            analysis_instruments::thread_id,
            analysis_instruments::instrument_id,
            analysis_instruments::article,
        ))
        .load(conn)?;
    let mut map: HashMap<ThreadId, Vec<InstrumentRef>> = HashMap::new();
    for (id, instrument, article) in rows {
        map.entry(id).or_default().push(InstrumentRef {
            instrument,
            article,
        });
    }
    Ok(map)
}

/// Why an analysis needs review, as of `today`.
fn review_reasons(
    row: &AnalysisRow,
    refs: &[InstrumentRef],
    created: NaiveDate,
    today: NaiveDate,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if row.review_by.is_some_and(|d| d < today) {
        reasons.push("review_by_passed".to_owned());
    }
    let as_of = row.valid_as_of.unwrap_or(created);
    let mut amended: Vec<&str> = refs
        .iter()
        .filter_map(|r| catalogue::get(&r.instrument))
        .filter(|i| i.amended.is_some_and(|a| a > as_of))
        .map(|i| i.id.as_str())
        .collect();
    amended.dedup();
    reasons.extend(
        amended
            .into_iter()
            .map(|id| format!("instrument_amended:{id}")),
    );
    reasons
}

/// The analysis record of `thread`, as `viewer` sees it (the caller checked
/// that the thread is visible).
pub(crate) fn analysis_view(
    conn: &mut DbConnection,
    viewer: &Viewer,
    thread: &Thread,
) -> Result<Option<AnalysisView>> {
    let Some(row) = load_rows(conn, &[thread.id])?.pop() else {
        return Ok(None);
    };
    let refs = refs_of(conn, &[thread.id])?
        .remove(&thread.id)
        .unwrap_or_default();
    let mut areas: Vec<String> = analysis_crime_areas::table
        .filter(analysis_crime_areas::thread_id.eq(thread.id))
        .select(analysis_crime_areas::area)
        .load(conn)?;
    areas.sort_by_key(|a| {
        CrimeArea::parse(a)
            .map(|c| c as usize)
            .unwrap_or(usize::MAX)
    });
    let endorsers: Vec<(UserId, String, String)> = endorsements::table
        .inner_join(users::table)
        .filter(endorsements::thread_id.eq(thread.id))
        .select((
            endorsements::user_id,
            endorsements::jurisdiction,
            users::profession,
        ))
        .load(conn)?;
    let mut tallies: BTreeMap<String, EndorsementTally> = BTreeMap::new();
    let mut mine = None;
    for (user, jurisdiction, profession) in endorsers {
        if user == viewer.id {
            mine = Some(jurisdiction.clone());
        }
        let tally = tallies
            .entry(jurisdiction.clone())
            .or_insert_with(|| EndorsementTally {
                jurisdiction,
                count: 0,
                professions: BTreeMap::new(),
            });
        tally.count += 1;
        *tally.professions.entry(profession).or_default() += 1;
    }
    let reasons = review_reasons(&row, &refs, thread.created_at.date(), now().date());
    Ok(Some(AnalysisView {
        summary: row.summary,
        language: row.language,
        instruments: refs.iter().map(InstrumentCitation::of).collect(),
        crime_areas: areas,
        legal_provisions: serde_json::from_str(&row.legal_provisions).unwrap_or_default(),
        case_citations: serde_json::from_str(&row.case_citations).unwrap_or_default(),
        valid_as_of: row.valid_as_of,
        review_by: row.review_by,
        updated_at: row.updated_at,
        review_reasons: reasons,
        endorsements: tallies.into_values().collect(),
        my_endorsement: mine,
    }))
}

/// Changes to a thread: any field left `None` stays as it is.
#[derive(Debug, Default)]
pub struct ThreadUpdate<'a> {
    pub title: Option<&'a str>,
    pub jurisdictions: Option<&'a [String]>,
    pub analysis: Option<&'a AnalysisInput>,
    /// A new handling mark: any by the author, only a stricter one (or the
    /// same with fewer named readers) by staff.
    pub mark: Option<&'a str>,
    /// Who an `AMBER+STRICT` or `RED` mark admits (with `mark`, or alone
    /// to change the readers of the present mark).
    pub mark_recipients: Option<&'a MarkRecipients>,
    /// The reason to keep a title or summary despite suspected personal
    /// data.
    pub acknowledge_personal_data: Option<&'a str>,
}

/// Whether `smaller` names no reader `larger` does not.
pub(crate) fn names_fewer(smaller: &MarkRecipients, larger: &MarkRecipients) -> bool {
    smaller
        .countries
        .iter()
        .all(|c| larger.countries.contains(c))
        && smaller.groups.iter().all(|g| larger.groups.contains(g))
        && smaller.users.iter().all(|u| larger.users.contains(u))
}

/// The new marking `update` asks of `thread`, checked against who asks;
/// `None` when it leaves the mark alone.
fn new_marking(
    conn: &mut DbConnection,
    viewer: &Viewer,
    thread: &Thread,
    update: &ThreadUpdate<'_>,
) -> Result<Option<(Mark, MarkRecipients)>> {
    if update.mark.is_none() && update.mark_recipients.is_none() {
        return Ok(None);
    }
    let to = update
        .mark
        .map(|m| Mark::parse("mark", m))
        .transpose()?
        .unwrap_or(thread.mark);
    let now = crate::access::visibility::marking_of(conn, thread)?;
    let recipients = match update.mark_recipients {
        Some(r) => r.clone(),
        None if to == thread.mark => now.recipients.clone(),
        None => MarkRecipients::default(),
    }
    .for_mark(to)?;
    crate::features::forum::check_recipients_exist(conn, &recipients)?;
    let tighter =
        to > thread.mark || (to == thread.mark && names_fewer(&recipients, &now.recipients));
    if viewer.id != thread.author_id
        && !(access::can_change_mark(viewer, thread.author_id, thread.mark, to) && tighter)
    {
        return Err(CoreError::forbidden(
            ErrorCode::Forbidden,
            "only the author may loosen a handling mark; moderators may only tighten it",
        ));
    }
    Ok(Some((to, recipients)))
}

impl Db {
    /// Changes a thread's title, jurisdiction tags, analysis record or
    /// handling mark (its author or staff); appends `thread_updated`.
    pub fn update_thread(
        &self,
        viewer: &Viewer,
        thread_id: ThreadId,
        update: &ThreadUpdate<'_>,
    ) -> Result<ThreadSummary> {
        access::check_second_factor(viewer)?;
        let title = update.title.map(ThreadTitle::parse).transpose()?;
        let codes = update.jurisdictions.map(parse_jurisdictions).transpose()?;
        let personal_data = crate::domain::personal_data::screen(
            &[
                (
                    "title",
                    title.as_ref().map(|t| t.as_str()).unwrap_or_default(),
                ),
                (
                    "analysis.summary",
                    update
                        .analysis
                        .map(|a| a.summary.as_str())
                        .unwrap_or_default(),
                ),
            ],
            update.acknowledge_personal_data,
        )?;
        self.write(|conn| {
            let (thread, _) = visible_thread(conn, viewer, thread_id)?;
            if !access::can_edit_thread(viewer, thread.author_id) {
                return Err(CoreError::forbidden(
                    ErrorCode::NotAuthor,
                    "only the author or a moderator may change this thread",
                ));
            }
            let kind = thread.kind;
            let tags: Vec<JurisdictionCode> = match &codes {
                Some(codes) => codes.clone(),
                None => crate::features::forum::jurisdictions_of(conn, &[thread.id])?
                    .remove(&thread.id)
                    .unwrap_or_default()
                    .iter()
                    .map(|c| JurisdictionCode::parse("jurisdictions", c))
                    .collect::<Result<_>>()?,
            };
            if kind == ThreadKind::Analysis && tags.is_empty() {
                return Err(CoreError::invalid_because(
                    "jurisdictions",
                    crate::error::Reason::Empty,
                    "an analysis holds for at least one jurisdiction",
                ));
            }
            let record = match update.analysis {
                Some(input) => record_for_kind(kind, Some(input), &tags)?,
                None => None,
            };
            let marking = new_marking(conn, viewer, &thread, update)?;
            let at = now();
            if let Some((mark, recipients)) = &marking {
                crate::access::visibility::store_marking(conn, thread.id, *mark, recipients)?;
                // Who may read the thread changed: always audited, never
                // with the names themselves beyond their number.
                crate::store::audit::append(
                    conn,
                    crate::store::audit::Entry {
                        actor: Some(viewer.id),
                        action: "thread.mark",
                        target: format!("thread:{}", thread.id),
                        reason: "",
                        details: serde_json::json!({
                            "from": thread.mark.as_str(),
                            "to": mark.as_str(),
                            "countries": recipients.countries,
                            "groups": recipients.groups.len(),
                            "members": recipients.users.len(),
                        }),
                    },
                )?;
            }
            if let Some(title) = &title {
                diesel::update(threads::table.find(thread.id))
                    .set(threads::title.eq(title.as_str()))
                    .execute(conn)?;
            }
            if let Some(codes) = &codes {
                replace_tags(conn, thread.id, codes)?;
            }
            if let Some(record) = &record {
                store_record(conn, thread.id, record, at)?;
            }
            if !personal_data.is_empty() {
                let first: PostId = posts::table
                    .filter(posts::thread_id.eq(thread.id))
                    .select(diesel::dsl::min(posts::id))
                    .first::<Option<PostId>>(conn)?
                    .ok_or(CoreError::NotFound)?;
                crate::features::moderation::open_personal_data_case(
                    conn,
                    first,
                    viewer.id,
                    update.acknowledge_personal_data.unwrap_or_default(),
                    &personal_data,
                )?;
            }
            let fresh = threads::table
                .find(thread.id)
                .select(Thread::as_select())
                .first(conn)?;
            let summary = summaries(conn, vec![fresh])?.remove(0);
            if viewer.id != thread.author_id {
                crate::store::audit::append(
                    conn,
                    crate::store::audit::Entry {
                        actor: Some(viewer.id),
                        action: "thread.update",
                        target: format!("thread:{}", thread.id),
                        reason: "",
                        details: serde_json::json!({ "title": update.title.is_some(),
                            "jurisdictions": update.jurisdictions.is_some(),
                            "analysis": update.analysis.is_some(),
                            "mark": marking.is_some() }),
                    },
                )?;
            }
            events::append(
                conn,
                &Event::ThreadUpdated(event_payloads::ThreadUpdated {
                    thread: thread_payload(&summary),
                    analysis: record.as_ref().map(record_payload),
                }),
                Some(summary.id),
                Some(summary.category_id),
                Some(viewer.id),
            )?;
            Ok(summary)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analysis::{CaseCitationInput, LegalProvisionInput};

    fn input() -> AnalysisInput {
        AnalysisInput {
            summary: "Participation in an organised group is charged under art. 450-1 CP.".into(),
            language: "fr".into(),
            instruments: vec!["untoc:5".into(), "UNTOC:5".into(), "fctc-protocol".into()],
            crime_areas: vec!["counterfeiting".into()],
            case_citations: vec![CaseCitationInput {
                court: "Cour de cassation, chambre criminelle".into(),
                date: Some("2019-03-12".into()),
                reference: "18-80.123".into(),
                ecli: Some("ECLI:FR:CCASS:2019:CR00321".into()),
                jurisdiction: Some("fr".into()),
            }],
            legal_provisions: vec![LegalProvisionInput {
                jurisdiction: "FR".into(),
                text: "Code pénal, art. 450-1".into(),
            }],
            valid_as_of: Some("2024-01-01".into()),
            review_by: Some("2027-01-01".into()),
        }
    }

    #[test]
    fn a_valid_record_parses_and_deduplicates() {
        let r = input().parse().unwrap();
        assert_eq!(r.instruments.len(), 2);
        assert_eq!(r.case_citations[0].jurisdiction.as_deref(), Some("FR"));
    }

    #[test]
    fn each_invalid_field_is_named() {
        type Change = Box<dyn Fn(&mut AnalysisInput)>;
        let cases: Vec<(&str, Change)> = vec![
            ("analysis.summary", Box::new(|i| i.summary = "short".into())),
            (
                "analysis.language",
                Box::new(|i| i.language = "french".into()),
            ),
            (
                "analysis.instruments",
                Box::new(|i| i.instruments = vec!["geneva".into()]),
            ),
            (
                "analysis.instruments",
                Box::new(|i| i.instruments = vec!["untoc:999".into()]),
            ),
            (
                "analysis.crime_areas",
                Box::new(|i| i.crime_areas = vec!["jaywalking".into()]),
            ),
            (
                "analysis.legal_provisions",
                Box::new(|i| i.legal_provisions[0].jurisdiction = "XX".into()),
            ),
            (
                "analysis.case_citations",
                Box::new(|i| i.case_citations[0].ecli = Some("ECLI:bad".into())),
            ),
            (
                "analysis.case_citations",
                Box::new(|i| i.case_citations[0].date = Some("12/03/2019".into())),
            ),
            (
                "analysis.valid_as_of",
                Box::new(|i| i.valid_as_of = Some("2999-01-01".into())),
            ),
            (
                "analysis.review_by",
                Box::new(|i| i.review_by = Some("2020-01-01".into())),
            ),
        ];
        for (field, change) in cases {
            let mut i = input();
            change(&mut i);
            assert_eq!(i.parse().unwrap_err().field(), Some(field));
        }
    }

    #[test]
    fn analyses_need_a_record_and_a_jurisdiction() {
        let fr = vec![JurisdictionCode::parse("j", "FR").unwrap()];
        let e = record_for_kind(ThreadKind::Analysis, None, &fr).unwrap_err();
        assert_eq!(e.field(), Some("analysis"));
        let e = record_for_kind(ThreadKind::Analysis, Some(&input()), &[]).unwrap_err();
        assert_eq!(e.field(), Some("jurisdictions"));
        let e = record_for_kind(ThreadKind::Question, Some(&input()), &fr).unwrap_err();
        assert_eq!(e.field(), Some("analysis"));
        assert!(
            record_for_kind(ThreadKind::Question, None, &fr)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn review_is_due_after_the_date_or_an_amendment() {
        let row = AnalysisRow {
            thread_id: ThreadId::from(1),
            summary: String::new(),
            language: "en".into(),
            valid_as_of: Some(NaiveDate::from_ymd_opt(2010, 1, 1).unwrap()),
            review_by: Some(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()),
            legal_provisions: "[]".into(),
            case_citations: "[]".into(),
            updated_at: now(),
        };
        let trips = InstrumentRef::parse("trips:61").unwrap();
        let untoc = InstrumentRef::parse("untoc").unwrap();
        let created = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(
            review_reasons(&row, &[trips, untoc.clone()], created, today),
            vec!["review_by_passed", "instrument_amended:trips"]
        );
        let early = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        assert!(review_reasons(&row, &[untoc], created, early).is_empty());
    }
}
