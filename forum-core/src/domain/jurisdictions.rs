//! The jurisdiction taxonomy: the 249 ISO 3166-1 countries with their names
//! in English, French, Spanish and Arabic, and the regional groupings this
//! field works with — UN M49 regions, sub-regions and intermediate regions,
//! and twelve organisations (EU, Council of Europe, African Union, ECOWAS,
//! SADC, ASEAN, GCC, CARICOM, MERCOSUR, Andean Community, EAEU, Pacific
//! Islands Forum), each with its member countries.
//!
//! Shipped as data (`forum-core/data/`, sources and licences in
//! `docs/data-sources.md`), compiled in, and copied into the `jurisdictions`
//! and `jurisdiction_members` tables whenever the database is migrated
//! (by `store::migrate`), so SQL can expand a region.

use std::collections::HashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

const COUNTRIES_CSV: &str = include_str!("../../data/iso3166-1-names-en-fr-es-ar.csv");
const REGIONS_JSON: &str = include_str!("../../data/regions.json");

/// Country or regional grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JurisdictionKind {
    Country,
    Region,
}

impl JurisdictionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JurisdictionKind::Country => "country",
            JurisdictionKind::Region => "region",
        }
    }
}

/// A country or a regional grouping, with its names.
#[derive(Debug, Clone, Deserialize)]
pub struct Jurisdiction {
    pub code: String,
    /// `iso-3166` for countries, `un-m49` or `organisation` for regions.
    #[serde(default)]
    pub family: String,
    pub name_en: String,
    pub name_fr: String,
    pub name_es: String,
    pub name_ar: String,
    /// For a country, every region it belongs to; for a region, the M49
    /// regions that contain it.
    #[serde(default)]
    pub parents: Vec<String>,
    /// A region's member countries (empty for a country).
    #[serde(default)]
    pub members: Vec<String>,
}

impl Jurisdiction {
    pub fn kind(&self) -> JurisdictionKind {
        if self.members.is_empty() {
            JurisdictionKind::Country
        } else {
            JurisdictionKind::Region
        }
    }

    /// The name in `lang` (`en`, `fr`, `es`, `ar`; else English).
    pub fn name(&self, lang: &str) -> &str {
        match lang {
            "fr" => &self.name_fr,
            "es" => &self.name_es,
            "ar" => &self.name_ar,
            _ => &self.name_en,
        }
    }
}

#[derive(Deserialize)]
struct CountryRow {
    alpha_2: String,
    name_en: String,
    name_fr: String,
    name_es: String,
    name_ar: String,
}

/// Names the shipped table gets wrong, corrected from the UN's official
/// short names: (code, language, name). The source repeats the Latin
/// "Türkiye" where it has no Arabic name.
const NAME_CORRECTIONS: &[(&str, &str, &str)] = &[("TR", "ar", "تركيا")];

struct Taxonomy {
    by_code: BTreeMap<String, Jurisdiction>,
    /// Countries first (by code), then regions in the data's order.
    order: Vec<String>,
}

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(|| {
    let mut by_code = BTreeMap::new();
    let mut order = Vec::new();
    for row in csv::Reader::from_reader(COUNTRIES_CSV.as_bytes()).deserialize::<CountryRow>() {
        let mut row = row.expect("the shipped country table parses");
        for (code, lang, name) in NAME_CORRECTIONS {
            if *code == row.alpha_2 {
                match *lang {
                    "ar" => row.name_ar = (*name).to_owned(),
                    "fr" => row.name_fr = (*name).to_owned(),
                    _ => row.name_es = (*name).to_owned(),
                }
            }
        }
        order.push(row.alpha_2.clone());
        by_code.insert(
            row.alpha_2.clone(),
            Jurisdiction {
                code: row.alpha_2,
                family: "iso-3166".into(),
                name_en: row.name_en,
                name_fr: row.name_fr,
                name_es: row.name_es,
                name_ar: row.name_ar,
                parents: Vec::new(),
                members: Vec::new(),
            },
        );
    }
    order.sort();
    let regions: Vec<Jurisdiction> =
        serde_json::from_str(REGIONS_JSON).expect("the shipped region table parses");
    for region in regions {
        for member in &region.members {
            if let Some(country) = by_code.get_mut(member) {
                country.parents.push(region.code.clone());
            }
        }
        order.push(region.code.clone());
        by_code.insert(region.code.clone(), region);
    }
    Taxonomy { by_code, order }
});

/// Every jurisdiction: countries by code, then regions.
pub fn all() -> impl Iterator<Item = &'static Jurisdiction> {
    TAXONOMY.order.iter().map(|c| &TAXONOMY.by_code[c])
}

/// Every country, by code.
pub fn countries() -> impl Iterator<Item = &'static Jurisdiction> {
    all().filter(|j| j.kind() == JurisdictionKind::Country)
}

/// Every regional grouping.
pub fn regions() -> impl Iterator<Item = &'static Jurisdiction> {
    all().filter(|j| j.kind() == JurisdictionKind::Region)
}

/// A jurisdiction by its code (`FR`, `EU`, `M49-155`).
pub fn get(code: &str) -> Option<&'static Jurisdiction> {
    TAXONOMY.by_code.get(code)
}

/// Is `code` an ISO 3166-1 alpha-2 country code?
pub fn is_country(code: &str) -> bool {
    get(code).is_some_and(|j| j.kind() == JurisdictionKind::Country)
}

/// The name of a jurisdiction in `lang` (`en`, `fr`, `es`, `ar`; else English).
pub fn name(code: &str, lang: &str) -> Option<&'static str> {
    get(code).map(|j| j.name(lang))
}

/// The name of a country in `lang`.
pub fn country_name(code: &str, lang: &str) -> Option<&'static str> {
    get(code)
        .filter(|j| j.kind() == JurisdictionKind::Country)
        .map(|j| j.name(lang))
}

/// Does a thread tagged `tag` hold for `country`? (The tag is the country,
/// or a region it belongs to.)
pub fn covers(tag: &str, country: &str) -> bool {
    tag == country || get(tag).is_some_and(|j| j.members.iter().any(|m| m == country))
}

/// Every region that contains `code`: for a country, the regions listing
/// it; for a region, the other regions whose members include all of its
/// members (Western Europe is within Europe). Unknown codes are within
/// nothing.
pub fn containing(code: &str) -> &'static [String] {
    static CONTAINING: std::sync::LazyLock<HashMap<String, Vec<String>>> =
        std::sync::LazyLock::new(|| {
            all()
                .map(|j| {
                    let within = match j.kind() {
                        JurisdictionKind::Country => j.parents.clone(),
                        JurisdictionKind::Region => regions()
                            .filter(|r| {
                                r.code != j.code
                                    && !j.members.is_empty()
                                    && j.members.iter().all(|m| r.members.contains(m))
                            })
                            .map(|r| r.code.clone())
                            .collect(),
                    };
                    (j.code.clone(), within)
                })
                .collect()
        });
    CONTAINING.get(code).map(Vec::as_slice).unwrap_or(&[])
}

/// The tags whose threads a jurisdiction's page lists: the code itself;
/// for a country, every region it belongs to; for a region, its member
/// countries and the regions it contains.
pub fn related_tags(code: &str) -> Vec<String> {
    let Some(j) = get(code) else {
        return Vec::new();
    };
    let mut tags: BTreeSet<String> = BTreeSet::from([j.code.clone()]);
    match j.kind() {
        JurisdictionKind::Country => tags.extend(j.parents.iter().cloned()),
        JurisdictionKind::Region => {
            let members: BTreeSet<&String> = j.members.iter().collect();
            tags.extend(j.members.iter().cloned());
            tags.extend(
                regions()
                    .filter(|r| r.members.iter().all(|m| members.contains(m)))
                    .map(|r| r.code.clone()),
            );
        }
    }
    tags.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_countries_with_four_names() {
        assert_eq!(countries().count(), 249);
        assert!(countries().all(|c| !c.name_en.is_empty() && !c.name_ar.is_empty()));
        // Every Arabic name is written in Arabic script.
        let latin: Vec<&str> = countries()
            .filter(|c| {
                c.name_ar
                    .chars()
                    .any(|ch| ch.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&ch))
            })
            .map(|c| c.code.as_str())
            .collect();
        assert!(latin.is_empty(), "Arabic names in Latin script: {latin:?}");
        assert_eq!(country_name("MA", "fr"), Some("Maroc"));
        assert_eq!(country_name("ES", "es"), Some("España"));
        assert!(is_country("FR") && !is_country("ZZ") && !is_country("EU"));
    }

    #[test]
    fn regions_have_known_members_and_four_names() {
        let eu = get("EU").unwrap();
        assert_eq!(eu.kind(), JurisdictionKind::Region);
        assert_eq!(eu.members.len(), 27);
        assert!(!eu.members.contains(&"GB".to_string()));
        assert_eq!(get("COE").unwrap().members.len(), 46);
        assert_eq!(get("AFRICAN-UNION").unwrap().members.len(), 55);
        assert_eq!(get("GCC").unwrap().members.len(), 6);
        for r in regions() {
            assert!(r.members.iter().all(|m| is_country(m)), "{}", r.code);
            assert!(r.parents.iter().all(|p| get(p).is_some()), "{}", r.code);
            for lang in ["en", "fr", "es", "ar"] {
                assert!(!r.name(lang).is_empty(), "{} {lang}", r.code);
            }
        }
        for family in ["un-m49", "organisation"] {
            assert!(regions().any(|r| r.family == family));
        }
    }

    #[test]
    fn a_country_belongs_to_several_regions() {
        let fr = get("FR").unwrap();
        for region in ["EU", "COE", "M49-150", "M49-155"] {
            assert!(fr.parents.iter().any(|p| p == region), "{region}");
            assert!(covers(region, "FR"));
        }
        assert!(!covers("GCC", "FR"));
        let ma = related_tags("MA");
        assert!(ma.contains(&"AFRICAN-UNION".to_string()) && ma.contains(&"MA".to_string()));
        let europe = related_tags("M49-150");
        assert!(europe.contains(&"M49-155".to_string()) && europe.contains(&"FR".to_string()));
        assert!(
            !europe.contains(&"EU".to_string()),
            "the EU is not inside M49 Europe (CY)"
        );
    }
}
