//! The catalogue of international legal instruments analyses cite (UNTOC
//! and its Firearms Protocol, UNCAC, the WHO FCTC and its Protocol, TRIPS,
//! MEDICRIME, the Budapest Convention, CITES, the 1961 and 1988 drug
//! conventions, the Revised Kyoto Convention, the Nicosia Convention), with
//! their addressable articles (`untoc:5`).
//!
//! Shipped as data (`forum-core/data/instruments.json`, built by
//! `forum-core/data/build_instruments.py`; how an operator adds one is in
//! `docs/analyses.md`), compiled in and copied into the `instruments` and
//! `instrument_articles` tables on migration.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

const INSTRUMENTS_JSON: &str = include_str!("../../data/instruments.json");

/// One article of an instrument.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Article {
    /// As the instrument numbers it (`"5"`).
    pub number: String,
    /// Empty when the catalogue does not record it.
    pub title: String,
}

/// An international legal instrument.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Instrument {
    pub id: String,
    pub short_name: String,
    pub title: String,
    pub year: i32,
    /// When its last amendment entered into force: analyses valid as of an
    /// earlier date need review.
    pub amended: Option<NaiveDate>,
    pub articles: Vec<Article>,
}

impl Instrument {
    pub fn article(&self, number: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.number == number)
    }
}

static CATALOGUE: LazyLock<(Vec<Instrument>, BTreeMap<String, usize>)> = LazyLock::new(|| {
    let list: Vec<Instrument> =
        serde_json::from_str(INSTRUMENTS_JSON).expect("the shipped instrument catalogue parses");
    let index = list
        .iter()
        .enumerate()
        .map(|(i, inst)| (inst.id.clone(), i))
        .collect();
    (list, index)
});

/// Every instrument, in catalogue order.
pub fn all() -> &'static [Instrument] {
    &CATALOGUE.0
}

/// An instrument by id (`untoc`, `fctc-protocol`).
pub fn get(id: &str) -> Option<&'static Instrument> {
    CATALOGUE.1.get(id).map(|i| &CATALOGUE.0[*i])
}

/// A reference to an instrument or one of its articles: `untoc` or
/// `untoc:5`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct InstrumentRef {
    pub instrument: String,
    /// Empty for the instrument as a whole.
    pub article: String,
}

impl InstrumentRef {
    /// Parses `id` or `id:article` against the catalogue.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let (id, article) = match raw.split_once(':') {
            Some((id, article)) => (id.trim(), article.trim()),
            None => (raw, ""),
        };
        let id = id.to_ascii_lowercase();
        let short: String = raw.chars().take(60).collect();
        let Some(instrument) = get(&id) else {
            return Err(format!(
                "'{short}' is not an instrument of GET /api/v1/instruments"
            ));
        };
        let article = article
            .trim_start_matches(|c: char| c.is_alphabetic() || c == '.' || c == ' ')
            .to_owned();
        if !article.is_empty() && instrument.article(&article).is_none() {
            return Err(format!(
                "'{short}': {} has no article {article}",
                instrument.short_name
            ));
        }
        Ok(InstrumentRef {
            instrument: id,
            article,
        })
    }

    /// `untoc` or `untoc:5`.
    pub fn key(&self) -> String {
        if self.article.is_empty() {
            self.instrument.clone()
        } else {
            format!("{}:{}", self.instrument, self.article)
        }
    }

    /// "UNTOC art. 5".
    pub fn label(&self) -> String {
        let name = get(&self.instrument).map_or(self.instrument.as_str(), |i| &i.short_name);
        if self.article.is_empty() {
            name.to_owned()
        } else {
            format!("{name} art. {}", self.article)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_has_the_instruments_this_field_cites() {
        for id in [
            "untoc",
            "untoc-firearms",
            "uncac",
            "fctc",
            "fctc-protocol",
            "trips",
            "medicrime",
            "budapest",
            "cites",
            "single-convention-1961",
            "drugs-1988",
            "kyoto-revised",
            "nicosia",
        ] {
            let inst = get(id).unwrap_or_else(|| panic!("{id}"));
            assert!(!inst.articles.is_empty() && inst.year > 1900, "{id}");
        }
        assert_eq!(
            get("untoc").unwrap().article("5").unwrap().title,
            "Criminalization of participation in an organized criminal group"
        );
    }

    #[test]
    fn references_name_an_instrument_and_maybe_an_article() {
        let r = InstrumentRef::parse("UNTOC:art. 5").unwrap();
        assert_eq!(
            (r.key(), r.label()),
            ("untoc:5".into(), "UNTOC art. 5".into())
        );
        assert_eq!(InstrumentRef::parse("trips").unwrap().key(), "trips");
        assert!(InstrumentRef::parse("untoc:99").is_err());
        assert!(InstrumentRef::parse("geneva").is_err());
    }
}
