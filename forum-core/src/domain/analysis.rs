//! The record of a legal analysis as a client sends it and as it is kept:
//! summary, language, instruments and articles, crime areas, national
//! provisions, case citations and validity dates, each checked before
//! anything is stored. No storage here.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::domain::instruments::InstrumentRef;
use crate::domain::{CrimeArea, JurisdictionCode, parse_line, parse_text};
use crate::error::{CoreError, Reason, Result};
use crate::now;

/// Most jurisdiction tags on one thread.
pub const MAX_JURISDICTIONS: usize = 50;
/// Most entries in each list of an analysis record.
const MAX_ENTRIES: usize = 50;

/// An analysis record as a client sends it. Every field is checked by
/// [`AnalysisInput::parse`]; nothing is stored unless all are valid.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnalysisInput {
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub language: String,
    /// `untoc` or `untoc:5`.
    #[serde(default)]
    pub instruments: Vec<String>,
    #[serde(default)]
    pub crime_areas: Vec<String>,
    #[serde(default)]
    pub case_citations: Vec<CaseCitationInput>,
    #[serde(default)]
    pub legal_provisions: Vec<LegalProvisionInput>,
    /// `YYYY-MM-DD`.
    pub valid_as_of: Option<String>,
    /// `YYYY-MM-DD`.
    pub review_by: Option<String>,
}

/// A court decision as a client sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseCitationInput {
    #[serde(default)]
    pub court: String,
    pub date: Option<String>,
    #[serde(default)]
    pub reference: String,
    pub ecli: Option<String>,
    pub jurisdiction: Option<String>,
}

/// A national provision as a client sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LegalProvisionInput {
    #[serde(default)]
    pub jurisdiction: String,
    #[serde(default)]
    pub text: String,
}

/// A court decision an analysis relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseCitation {
    pub court: String,
    pub date: Option<NaiveDate>,
    pub reference: String,
    /// European Case Law Identifier, when the decision has one.
    pub ecli: Option<String>,
    pub jurisdiction: Option<String>,
}

impl CaseCitation {
    /// One line to cite it by: `court, date, reference (ECLI)`.
    pub fn cite(&self) -> String {
        format!(
            "{}, {}, {}{}",
            self.court,
            self.date.map(|d| d.to_string()).unwrap_or_default(),
            self.reference,
            self.ecli
                .as_ref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        )
    }
}

/// A provision of national law an analysis relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalProvision {
    pub jurisdiction: String,
    pub text: String,
}

/// A valid analysis record.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisRecord {
    pub summary: String,
    pub language: String,
    pub instruments: Vec<InstrumentRef>,
    pub crime_areas: Vec<CrimeArea>,
    pub case_citations: Vec<CaseCitation>,
    pub legal_provisions: Vec<LegalProvision>,
    pub valid_as_of: Option<NaiveDate>,
    pub review_by: Option<NaiveDate>,
}

/// `ECLI:<country>:<court>:<year>:<number>`, as in the Council of the EU
/// conclusions on ECLI (2011/C 127/01).
pub static ECLI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ECLI:[A-Z]{2}:[A-Z0-9.]{1,7}:[0-9]{4}:[A-Za-z0-9.]{1,25}$").expect("valid")
});

pub(crate) fn parse_date(field: &'static str, raw: Option<&str>) -> Result<Option<NaiveDate>> {
    match raw.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                CoreError::invalid_because(field, Reason::Date, "must be a date written YYYY-MM-DD")
            }),
    }
}

fn check_count<T>(field: &'static str, list: &[T]) -> Result<()> {
    if list.len() > MAX_ENTRIES {
        return Err(CoreError::invalid_because(
            field,
            Reason::TooMany { max: MAX_ENTRIES },
            format!("at most {MAX_ENTRIES} entries"),
        ));
    }
    Ok(())
}

impl AnalysisInput {
    /// Checks every field; the first invalid one is named in the error.
    pub fn parse(&self) -> Result<AnalysisRecord> {
        let summary = parse_text("analysis.summary", &self.summary, 2000)?;
        if summary.chars().count() < 10 {
            return Err(CoreError::invalid_because(
                "analysis.summary",
                Reason::TooShort { min: 10 },
                "must be at least 10 characters",
            ));
        }
        let language = self.language.trim().to_ascii_lowercase();
        if language.len() != 2 || !language.chars().all(|c| c.is_ascii_lowercase()) {
            return Err(CoreError::invalid_because(
                "analysis.language",
                Reason::UnknownCode,
                "must be an ISO 639-1 code such as en, fr, es or ar",
            ));
        }
        check_count("analysis.instruments", &self.instruments)?;
        let mut refs: Vec<InstrumentRef> = Vec::new();
        for raw in &self.instruments {
            let r = InstrumentRef::parse(raw)
                .map_err(|m| CoreError::invalid("analysis.instruments", m))?;
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        check_count("analysis.crime_areas", &self.crime_areas)?;
        let mut areas = Vec::new();
        for raw in &self.crime_areas {
            let area = CrimeArea::parse(raw)?;
            if !areas.contains(&area) {
                areas.push(area);
            }
        }
        check_count("analysis.legal_provisions", &self.legal_provisions)?;
        let mut provisions = Vec::new();
        for p in &self.legal_provisions {
            let code = JurisdictionCode::parse("analysis.legal_provisions", &p.jurisdiction)?;
            provisions.push(LegalProvision {
                jurisdiction: code.as_str().to_owned(),
                text: parse_line("analysis.legal_provisions", &p.text, 1, 500)?,
            });
        }
        check_count("analysis.case_citations", &self.case_citations)?;
        let mut cases = Vec::new();
        for c in &self.case_citations {
            let field = "analysis.case_citations";
            let ecli = match c.ecli.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                None => None,
                Some(e) if ECLI.is_match(e) => Some(e.to_owned()),
                Some(_) => {
                    return Err(CoreError::invalid(
                        field,
                        "ecli must read ECLI:<country>:<court>:<year>:<number>",
                    ));
                }
            };
            let jurisdiction = c
                .jurisdiction
                .as_deref()
                .filter(|j| !j.trim().is_empty())
                .map(|j| JurisdictionCode::parse(field, j).map(|c| c.as_str().to_owned()))
                .transpose()?;
            cases.push(CaseCitation {
                court: parse_line(field, &c.court, 1, 200)?,
                date: parse_date(field, c.date.as_deref())?,
                reference: parse_line(field, &c.reference, 1, 200)?,
                ecli,
                jurisdiction,
            });
        }
        let valid_as_of = parse_date("analysis.valid_as_of", self.valid_as_of.as_deref())?;
        let review_by = parse_date("analysis.review_by", self.review_by.as_deref())?;
        if let Some(valid) = valid_as_of
            && valid > now().date() + chrono::Days::new(1)
        {
            return Err(CoreError::invalid(
                "analysis.valid_as_of",
                "must not be in the future",
            ));
        }
        if let (Some(valid), Some(review)) = (valid_as_of, review_by)
            && review <= valid
        {
            return Err(CoreError::invalid(
                "analysis.review_by",
                "must be after valid_as_of",
            ));
        }
        Ok(AnalysisRecord {
            summary,
            language,
            instruments: refs,
            crime_areas: areas,
            case_citations: cases,
            legal_provisions: provisions,
            valid_as_of,
            review_by,
        })
    }
}

/// Jurisdiction tags as a client sends them: known codes, deduplicated, at
/// most [`MAX_JURISDICTIONS`].
pub fn parse_jurisdictions(raw: &[String]) -> Result<Vec<JurisdictionCode>> {
    if raw.len() > MAX_JURISDICTIONS {
        return Err(CoreError::invalid_because(
            "jurisdictions",
            Reason::TooMany {
                max: MAX_JURISDICTIONS,
            },
            format!("at most {MAX_JURISDICTIONS} jurisdictions"),
        ));
    }
    let mut codes = Vec::new();
    for r in raw {
        let code = JurisdictionCode::parse("jurisdictions", r)?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

/// An `instrument` filter (`untoc`, `untoc:5`); blank means none.
pub fn instrument_filter(raw: Option<&str>) -> Result<Option<InstrumentRef>> {
    raw.filter(|i| !i.trim().is_empty())
        .map(|i| InstrumentRef::parse(i).map_err(|m| CoreError::invalid("instrument", m)))
        .transpose()
}

/// A `crime_area` filter; blank means none.
pub fn crime_area_filter(raw: Option<&str>) -> Result<Option<CrimeArea>> {
    raw.filter(|a| !a.trim().is_empty())
        .map(|a| {
            CrimeArea::parse(a).map_err(|_| CoreError::invalid("crime_area", "unknown crime area"))
        })
        .transpose()
}
