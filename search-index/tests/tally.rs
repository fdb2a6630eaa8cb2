//! Totals and facet counts on large result sets: exact up to
//! `tally::EXACT_UP_TO` matches, estimated from a sample beyond.

use search_index::tally::{EXACT_UP_TO, STRIDE};
use search_index::{IndexDoc, JurisdictionTag, MEMBERS_KEY, SearchIndex, SearchQuery, Sort};

const YEAR: i64 = 365 * 24 * 3600;
/// 2020-01-01T00:00:00Z.
const START: i64 = 1_577_836_800;

/// Post `n` of a synthetic forum: every third post mentions "seizure",
/// every post mentions "customs"; countries and years rotate so each facet
/// value has a known share.
fn post(n: u64, posts: u64) -> IndexDoc {
    let countries = ["FR", "ES", "MA", "EG"];
    let country = countries[(n % 4) as usize];
    let within = if matches!(country, "FR" | "ES") {
        vec!["EU".to_owned()]
    } else {
        Vec::new()
    };
    let body = if n.is_multiple_of(3) {
        "customs seizure of falsified medicines"
    } else {
        "customs cooperation between prosecutors"
    };
    IndexDoc {
        post_id: n + 1,
        thread_id: n / 10 + 1,
        title: format!("Thread {}", n / 10),
        opening: n.is_multiple_of(10),
        body_text: body.to_owned(),
        language: if (n / 4).is_multiple_of(2) {
            "en"
        } else {
            "fr"
        }
        .to_owned(),
        jurisdictions: vec![JurisdictionTag {
            code: country.to_owned(),
            within,
        }],
        kind: "question".to_owned(),
        category_id: 1,
        acl: vec![MEMBERS_KEY.to_owned()],
        // Four years, in indexing order.
        created_at: START + (n * 4 * YEAR as u64 / posts) as i64,
        ..IndexDoc::default()
    }
}

/// An index of `posts` synthetic posts, committed in several batches so it
/// has several segments.
fn index_of(posts: u64) -> SearchIndex {
    let index = SearchIndex::open_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    for n in 0..posts {
        writer.add(&post(n, posts)).unwrap();
        if n % 12_000 == 11_999 {
            writer.commit(n as i64 + 1).unwrap();
        }
    }
    writer.commit(posts as i64 + 1).unwrap();
    index
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_owned(),
        acl: vec![MEMBERS_KEY.to_owned()],
        limit: 20,
        match_all: true,
        ..SearchQuery::default()
    }
}

fn within(estimate: u64, truth: u64, tolerance: f64) -> bool {
    (estimate as f64 - truth as f64).abs() <= truth as f64 * tolerance
}

/// Whether an estimated facet count is within five standard errors of
/// the truth: the first `EXACT_UP_TO` matches are counted, the rest are a
/// one-in-`STRIDE` sample, so the error is that of a binomial draw over
/// the sampled part. A biased sample (one value over- or
/// under-represented) lands far outside.
fn plausible(estimate: u64, truth: u64, total: usize) -> bool {
    let share = truth as f64 / total as f64;
    let sampled = (total - EXACT_UP_TO) as f64 / STRIDE as f64;
    let error = STRIDE as f64 * (sampled * share * (1.0 - share)).sqrt();
    (estimate as f64 - truth as f64).abs() <= 5.0 * error
}

#[test]
fn totals_are_exact_up_to_the_limit_and_estimated_beyond() {
    let posts = 60_000;
    let index = index_of(posts);

    // "seizure": 20,000 matches — over the limit, so the facets are
    // estimated; the total is exact.
    let seizure = index.search(&query("seizure")).unwrap();
    assert!(!seizure.facets_exact);
    assert_eq!(seizure.total, 20_000);
    assert_eq!(seizure.hits.len(), 20, "the page is complete");
    let by_country = &seizure.facets.jurisdiction;
    for (code, truth) in [("FR", 5_000), ("ES", 5_000), ("MA", 5_000), ("EG", 5_000)] {
        assert!(
            plausible(by_country[code], truth, seizure.total),
            "{code}: {by_country:?}"
        );
    }
    assert!(
        plausible(by_country["EU"], 10_000, seizure.total),
        "{by_country:?}"
    );
    // The sample spans the whole period, not only its start.
    let years = &seizure.facets.year;
    for year in ["2020", "2021", "2022", "2023"] {
        assert!(
            plausible(years[year], 5_000, seizure.total),
            "{year}: {years:?}"
        );
    }

    // Narrowed under the limit: exact, and each facet count is exactly
    // what filtering on that value returns.
    let mut in_morocco = query("seizure");
    in_morocco.filters.jurisdiction = Some("MA".into());
    let morocco = index.search(&in_morocco).unwrap();
    assert!(morocco.facets_exact);
    assert_eq!(morocco.total, 5_000);
    assert!(morocco.total <= EXACT_UP_TO);
    assert_eq!(morocco.facets.jurisdiction["MA"], 5_000);
    assert_eq!(morocco.facets.language["en"], 2_500);
    assert_eq!(morocco.facets.language["fr"], 2_500);
    let years: u64 = morocco.facets.year.values().sum();
    assert_eq!(years, 5_000);

    // Exactly at the limit is still exact.
    let mut ten_thousand = query("seizure");
    ten_thousand.filters.jurisdiction = Some("EU".into());
    let eu = index.search(&ten_thousand).unwrap();
    assert!(eu.facets_exact, "{}", eu.total);
    assert_eq!(eu.total, 10_000);
    assert_eq!(eu.facets.jurisdiction["EU"], 10_000);

    // Everything matches: estimated, and the newest post comes first.
    let mut newest = query("customs");
    newest.sort = Sort::Newest;
    let all = index.search(&newest).unwrap();
    assert!(!all.facets_exact);
    assert_eq!(all.total as u64, posts);
    let languages: u64 = all.facets.language.values().sum();
    assert!(within(languages, posts, 0.05), "{languages}");
    assert_eq!(all.hits[0].post_id, posts);
}

#[test]
fn small_result_sets_agree_with_the_hits() {
    let index = index_of(3_000);
    let results = index
        .search(&SearchQuery {
            limit: 1_000,
            ..query("seizure")
        })
        .unwrap();
    assert!(results.facets_exact);
    assert_eq!(results.total, 1_000);
    assert_eq!(results.hits.len(), 1_000);
    let languages: u64 = results.facets.language.values().sum();
    assert_eq!(languages, 1_000);
}
