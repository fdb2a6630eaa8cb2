//! ISO 3166-1 countries with their names in English, French, Spanish and
//! Arabic, shipped as data (`forum-core/data/iso3166-1-names-en-fr-es-ar.csv`,
//! from Debian's iso-codes 4.15.0, LGPL-2.1-or-later; see
//! `docs/data-sources.md`). Regional groupings come with the taxonomy work.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

const COUNTRIES_CSV: &str = include_str!("../data/iso3166-1-names-en-fr-es-ar.csv");

/// A country and its names.
#[derive(Debug, Clone, Deserialize)]
pub struct Country {
    #[serde(rename = "alpha_2")]
    pub code: String,
    pub name_en: String,
    pub name_fr: String,
    pub name_es: String,
    pub name_ar: String,
}

static COUNTRIES: LazyLock<BTreeMap<String, Country>> = LazyLock::new(|| {
    csv::Reader::from_reader(COUNTRIES_CSV.as_bytes())
        .deserialize::<Country>()
        .filter_map(|row| row.ok())
        .map(|c| (c.code.clone(), c))
        .collect()
});

/// Every country, by code.
pub fn countries() -> impl Iterator<Item = &'static Country> {
    COUNTRIES.values()
}

/// Is `code` an ISO 3166-1 alpha-2 country code?
pub fn is_country(code: &str) -> bool {
    COUNTRIES.contains_key(code)
}

/// The name of a country in `lang` (`en`, `fr`, `es`, `ar`; else English).
pub fn country_name(code: &str, lang: &str) -> Option<&'static str> {
    let c = COUNTRIES.get(code)?;
    Some(match lang {
        "fr" => &c.name_fr,
        "es" => &c.name_es,
        "ar" => &c.name_ar,
        _ => &c.name_en,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_countries_with_four_names() {
        assert_eq!(countries().count(), 249);
        assert!(countries().all(|c| !c.name_en.is_empty() && !c.name_ar.is_empty()));
        assert_eq!(country_name("MA", "fr"), Some("Maroc"));
        assert_eq!(country_name("ES", "es"), Some("España"));
        assert!(is_country("FR") && !is_country("ZZ") && !is_country("EU"));
    }
}
