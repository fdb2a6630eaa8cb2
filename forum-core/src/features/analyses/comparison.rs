//! Reading analyses side by side: the comparison matrix, the analyses
//! citing an instrument, and the ones due for review.

use super::*;

/// Summaries of analyses `viewer` may read among `ids`, most recent
/// first.
pub(super) fn visible_analyses(
    conn: &mut DbConnection,
    viewer: &Viewer,
    ids: Option<Vec<ThreadId>>,
) -> Result<Vec<Thread>> {
    let readable = readable(conn, viewer)?;
    let mut query = threads::table
        .filter(threads::category_id.eq_any(readable.categories))
        .filter(threads::id.ne_all(readable.hidden_threads))
        .filter(threads::kind.eq(ThreadKind::Analysis.as_str()))
        .into_boxed();
    if let Some(ids) = ids {
        query = query.filter(threads::id.eq_any(ids));
    }
    Ok(query
        .order((threads::last_post_at.desc(), threads::id.desc()))
        .limit(500)
        .select(Thread::as_select())
        .load(conn)?)
}

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct CompareQuery {
    /// `untoc` or `untoc:5`.
    pub instrument: Option<String>,
    pub crime_area: Option<String>,
    pub jurisdictions: Vec<String>,
}

/// Most columns in one comparison.
pub const MAX_COMPARE: usize = 12;

pub(super) fn matching_ids(
    conn: &mut DbConnection,
    instrument: Option<&InstrumentRef>,
    area: Option<CrimeArea>,
) -> Result<Option<Vec<ThreadId>>> {
    let mut ids: Option<Vec<ThreadId>> = None;
    if let Some(r) = instrument {
        let mut q = analysis_instruments::table
            .filter(analysis_instruments::instrument_id.eq(r.instrument.clone()))
            .select(analysis_instruments::thread_id)
            .into_boxed();
        if !r.article.is_empty() {
            q = q.filter(analysis_instruments::article.eq(r.article.clone()));
        }
        ids = Some(q.load(conn)?);
    }
    if let Some(area) = area {
        let with_area: Vec<ThreadId> = analysis_crime_areas::table
            .filter(analysis_crime_areas::area.eq(area.as_str()))
            .select(analysis_crime_areas::thread_id)
            .load(conn)?;
        ids = Some(match ids {
            None => with_area,
            Some(prev) => prev.into_iter().filter(|i| with_area.contains(i)).collect(),
        });
    }
    Ok(ids)
}

impl Db {
    /// The comparison matrix: one column per jurisdiction, with the
    /// visible analyses that hold for it (a region tag counts for its
    /// members) and match the instrument and crime area.
    pub fn compare(&self, viewer: &Viewer, query: &CompareQuery) -> Result<Vec<CompareColumn>> {
        let instrument = instrument_filter(query.instrument.as_deref())?;
        let area = crime_area_filter(query.crime_area.as_deref())?;
        if query.jurisdictions.is_empty() || query.jurisdictions.len() > MAX_COMPARE {
            return Err(CoreError::invalid(
                "jurisdictions",
                format!("compare 1 to {MAX_COMPARE} jurisdictions"),
            ));
        }
        let mut columns = Vec::new();
        for raw in &query.jurisdictions {
            let code = JurisdictionCode::parse("jurisdictions", raw)?;
            if !columns.contains(&code) {
                columns.push(code);
            }
        }
        self.read(|conn| {
            let ids = matching_ids(conn, instrument.as_ref(), area)?;
            let rows = visible_analyses(conn, viewer, ids)?;
            let all = summaries(conn, rows)?;
            Ok(columns
                .iter()
                .map(|code| {
                    let related = taxonomy::related_tags(code.as_str());
                    CompareColumn {
                        jurisdiction: code.as_str().to_owned(),
                        analyses: all
                            .iter()
                            .filter(|t| t.jurisdictions.iter().any(|j| related.contains(j)))
                            .cloned()
                            .collect(),
                    }
                })
                .collect())
        })
    }

    /// Visible analyses citing an instrument, grouped by article (`""`:
    /// the instrument as a whole), articles in the instrument's order.
    pub fn analyses_citing(
        &self,
        viewer: &Viewer,
        instrument_id: &str,
    ) -> Result<Vec<(String, Vec<ThreadSummary>)>> {
        let Some(instrument) = catalogue::get(instrument_id) else {
            return Err(CoreError::NotFound);
        };
        self.read(|conn| {
            let rows: Vec<(ThreadId, String)> = analysis_instruments::table
                .filter(analysis_instruments::instrument_id.eq(&instrument.id))
                .select((
                    analysis_instruments::thread_id,
                    analysis_instruments::article,
                ))
                .load(conn)?;
            let ids: Vec<ThreadId> = rows.iter().map(|r| r.0).collect();
            let threads = visible_analyses(conn, viewer, Some(ids))?;
            let by_id: HashMap<ThreadId, ThreadSummary> = summaries(conn, threads)?
                .into_iter()
                .map(|t| (t.id, t))
                .collect();
            let position = |article: &str| {
                instrument
                    .articles
                    .iter()
                    .position(|a| a.number == article)
                    .map_or(0, |p| p + 1)
            };
            let mut groups: BTreeMap<usize, (String, Vec<ThreadSummary>)> = BTreeMap::new();
            for (id, article) in rows {
                if let Some(t) = by_id.get(&id) {
                    let entry = groups
                        .entry(position(&article))
                        .or_insert_with(|| (article.clone(), Vec::new()));
                    if !entry.1.iter().any(|x| x.id == id) {
                        entry.1.push(t.clone());
                    }
                }
            }
            Ok(groups.into_values().collect())
        })
    }

    /// Analyses past their review-by date or citing an instrument amended
    /// after they were valid, with the reasons (staff only).
    pub fn analyses_needing_review(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<(ThreadSummary, Vec<String>)>> {
        if !access::can_review_analyses(viewer) {
            return Err(CoreError::forbidden(
                ErrorCode::ModeratorsOnly,
                "only moderators see the review list",
            ));
        }
        self.read(|conn| {
            let threads = visible_analyses(conn, viewer, None)?;
            let ids: Vec<ThreadId> = threads.iter().map(|t| t.id).collect();
            let rows: HashMap<ThreadId, AnalysisRow> = load_rows(conn, &ids)?
                .into_iter()
                .map(|r| (r.thread_id, r))
                .collect();
            let refs = refs_of(conn, &ids)?;
            let today = now().date();
            let mut due = Vec::new();
            let mut due_threads = Vec::new();
            for t in threads {
                let Some(row) = rows.get(&t.id) else { continue };
                let reasons = review_reasons(
                    row,
                    refs.get(&t.id).map(Vec::as_slice).unwrap_or(&[]),
                    t.created_at.date(),
                    today,
                );
                if !reasons.is_empty() {
                    due.push(reasons);
                    due_threads.push(t);
                }
            }
            Ok(summaries(conn, due_threads)?.into_iter().zip(due).collect())
        })
    }
}
