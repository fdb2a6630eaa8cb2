//! Where analyses exist: how many analyses a reader may read are tagged
//! with each jurisdiction, and with each jurisdiction and instrument (or
//! crime area). Counts are of direct tags: an analysis tagged `EU` counts
//! for `EU`, not for each member state.

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;
use serde::Serialize;

use crate::access::Viewer;
use crate::access::visibility::readable;
use crate::domain::{CrimeArea, ThreadKind};
use crate::error::{CoreError, Result};
use crate::store::db::Db;
use crate::store::ids::*;
use crate::store::schema::{analyses, analysis_crime_areas, analysis_instruments, threads};

/// What the coverage is counted over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageFilter {
    /// Only analyses citing this instrument.
    pub instrument: Option<String>,
    /// Only analyses filed under this crime area.
    pub crime_area: Option<String>,
    /// Only analyses whose law was stated as of the last two years.
    pub recent: bool,
    /// The matrix's columns: crime areas instead of instruments.
    pub by_crime_area: bool,
}

impl CoverageFilter {
    /// Checks the values: an unknown one is a 422 naming its parameter.
    pub fn validated(self) -> Result<CoverageFilter> {
        let blank = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let instrument = blank(self.instrument).map(|i| i.to_ascii_lowercase());
        if let Some(i) = &instrument
            && crate::domain::instruments::get(i).is_none()
        {
            return Err(CoreError::invalid("instrument", "unknown instrument"));
        }
        let crime_area = blank(self.crime_area)
            .map(|c| {
                CrimeArea::parse(&c)
                    .map(|c| c.as_str().to_owned())
                    .map_err(|_| CoreError::invalid("crime_area", "unknown crime area"))
            })
            .transpose()?;
        Ok(CoverageFilter {
            instrument,
            crime_area,
            ..self
        })
    }
}

/// Analyses per jurisdiction tag, and per tag and instrument (or crime
/// area).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub jurisdictions: BTreeMap<String, i64>,
    pub matrix: BTreeMap<String, BTreeMap<String, i64>>,
}

impl Db {
    /// The coverage of the analyses `viewer` may read, under `filter`.
    pub fn coverage(&self, viewer: &Viewer, filter: &CoverageFilter) -> Result<Coverage> {
        self.read(|conn| {
            let readable = readable(conn, viewer)?;
            let mut query = threads::table
                .inner_join(analyses::table)
                .filter(threads::kind.eq(ThreadKind::Analysis.as_str()))
                .filter(threads::category_id.eq_any(&readable.categories))
                .filter(threads::id.ne_all(&readable.hidden_threads))
                .select(threads::id)
                .into_boxed();
            if filter.recent {
                let since = crate::now().date() - chrono::Duration::days(730);
                query = query.filter(analyses::valid_as_of.ge(since));
            }
            if let Some(i) = &filter.instrument {
                let citing = analysis_instruments::table
                    .filter(analysis_instruments::instrument_id.eq(i.clone()))
                    .select(analysis_instruments::thread_id);
                query = query.filter(threads::id.eq_any(citing));
            }
            if let Some(c) = &filter.crime_area {
                let filed = analysis_crime_areas::table
                    .filter(analysis_crime_areas::area.eq(c.clone()))
                    .select(analysis_crime_areas::thread_id);
                query = query.filter(threads::id.eq_any(filed));
            }
            let ids: Vec<ThreadId> = query.load(conn)?;
            let tags = crate::features::forum::jurisdictions_of(conn, &ids)?;
            let columns: Vec<(ThreadId, String)> = if filter.by_crime_area {
                analysis_crime_areas::table
                    .filter(analysis_crime_areas::thread_id.eq_any(&ids))
                    .select((analysis_crime_areas::thread_id, analysis_crime_areas::area))
                    .load(conn)?
            } else {
                analysis_instruments::table
                    .filter(analysis_instruments::thread_id.eq_any(&ids))
                    .select((
                        analysis_instruments::thread_id,
                        analysis_instruments::instrument_id,
                    ))
                    .load(conn)?
            };
            let mut of: HashMap<ThreadId, HashSet<String>> = HashMap::new();
            for (thread, column) in columns {
                of.entry(thread).or_default().insert(column);
            }
            let mut coverage = Coverage::default();
            for (thread, codes) in tags {
                for code in codes {
                    *coverage.jurisdictions.entry(code.clone()).or_default() += 1;
                    let row = coverage.matrix.entry(code).or_default();
                    for column in of.get(&thread).into_iter().flatten() {
                        *row.entry(column.clone()).or_default() += 1;
                    }
                }
            }
            Ok(coverage)
        })
    }
}
