//! Search that answers questions across languages, through the real server
//! on both backends: natural questions in one language find posts in
//! another (and the reverse), names of instruments and crime areas in every
//! language, ranking by concepts matched, `match=all` as before,
//! `exclude_terms` and "did you mean".

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;
use crate::search::{search, search_path};

/// The thread ids of the first page, best first.
fn threads(results: &Value) -> Vec<i64> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["thread_id"].as_i64().unwrap())
        .collect()
}

async fn post(app: &TestApp, token: &str, body: Value) -> i64 {
    let reply = app.post("/api/v1/threads", Some(token), body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

async fn discussion(
    app: &TestApp,
    token: &str,
    category: i64,
    title: &str,
    body: &str,
    language: &str,
) -> i64 {
    post(
        app,
        token,
        json!({"category_id": category, "title": title, "body": body, "kind": "discussion",
               "jurisdictions": ["FR"], "language": language}),
    )
    .await
}

async fn analysis(
    app: &TestApp,
    token: &str,
    category: i64,
    title: &str,
    language: &str,
    instruments: &[&str],
    crime_areas: &[&str],
) -> i64 {
    post(
        app,
        token,
        json!({"category_id": category, "title": title, "kind": "analysis", "language": language,
               "jurisdictions": ["ES"], "body": title,
               "analysis": {"summary": title, "language": language,
                            "instruments": instruments, "crime_areas": crime_areas}}),
    )
    .await
}

both_backends!(
    natural_questions_find_posts_in_other_languages,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "cases").await;
        let fr_online = discussion(&app, &admin, category,
            "Vente en ligne de médicaments falsifiés",
            "Quelles poursuites pour la vente en ligne de médicaments falsifiés sur les réseaux sociaux ?", "fr").await;
        let en_online = discussion(
            &app,
            &admin,
            category,
            "Online sale of falsified medicines",
            "Which charges apply to the online sale of falsified medicines on social networks?",
            "en",
        )
        .await;
        let es_online = discussion(
            &app,
            &admin,
            category,
            "Venta por internet de medicamentos falsificados",
            "¿Qué delito aplica a la venta por internet de medicamentos falsificados?",
            "es",
        )
        .await;
        let es_smuggling = discussion(
            &app,
            &admin,
            category,
            "Contrabando de cigarrillos a través de la frontera",
            "El contrabando de cigarrillos a través de la frontera terrestre aumenta.",
            "es",
        )
        .await;
        let en_smuggling = discussion(
            &app,
            &admin,
            category,
            "Smuggling of cigarettes across the border",
            "The smuggling of cigarettes across the land border is growing.",
            "en",
        )
        .await;
        let fr_seized = discussion(
            &app,
            &admin,
            category,
            "Saisies en douane",
            "Les contrefaçons de médicaments saisies par la douane au port.",
            "fr",
        )
        .await;
        let en_seized = discussion(
            &app,
            &admin,
            category,
            "Customs seizures",
            "Counterfeit medicines seized by customs at the port.",
            "en",
        )
        .await;
        // Analyses whose text names neither their crime area nor their
        // instrument: the names are indexed with them.
        let fr_area = analysis(
            &app,
            &admin,
            category,
            "Analyse de la loi sur les produits de santé",
            "fr",
            &[],
            &["falsified_medicines"],
        )
        .await;
        let en_area = analysis(
            &app,
            &admin,
            category,
            "Analysis of the health products act",
            "en",
            &[],
            &["falsified_medicines"],
        )
        .await;
        let es_untoc = analysis(
            &app,
            &admin,
            category,
            "Participación en un grupo delictivo organizado",
            "es",
            &["untoc:5"],
            &[],
        )
        .await;
        let fr_untoc = analysis(
            &app,
            &admin,
            category,
            "Participation à un groupe criminel organisé",
            "fr",
            &["untoc"],
            &[],
        )
        .await;
        // Noise that shares a word or two.
        discussion(
            &app,
            &admin,
            category,
            "Border management",
            "Training for border guards.",
            "en",
        )
        .await;
        discussion(
            &app,
            &admin,
            category,
            "Ventes aux enchères",
            "Les ventes aux enchères publiques.",
            "fr",
        )
        .await;
        app.indexed().await;

        let cases: Vec<(&str, Vec<i64>)> = vec![
            (
                "online sale of falsified medicines",
                vec![fr_online, en_online],
            ),
            (
                "vente en ligne de médicaments falsifiés",
                vec![en_online, fr_online],
            ),
            (
                "vente de faux médicaments sur internet",
                vec![fr_online, en_online, es_online],
            ),
            (
                "smuggling of cigarettes across the border",
                vec![es_smuggling, en_smuggling],
            ),
            (
                "contrabando de cigarrillos a través de la frontera",
                vec![en_smuggling, es_smuggling],
            ),
            ("تهريب السجائر عبر الحدود", vec![es_smuggling, en_smuggling]),
            ("counterfeit medicines", vec![fr_seized, en_seized]),
            ("contrefaçons de médicaments", vec![en_seized, fr_seized]),
            ("falsified medicines", vec![fr_area]),
            ("médicaments falsifiés", vec![en_area]),
            ("Palermo Convention", vec![es_untoc, fr_untoc]),
            ("Convention de Palerme", vec![es_untoc]),
            ("CTO", vec![es_untoc]),
            ("Convención de Palermo", vec![fr_untoc]),
            ("اتفاقية باليرمو", vec![es_untoc, fr_untoc]),
        ];
        for (q, wanted) in cases {
            let results = search(&app, &admin, &[("q", q)]).await;
            let found = threads(&results);
            for thread in wanted {
                assert!(
                    found.contains(&thread),
                    "{q:?} missed thread {thread}: {results}"
                );
            }
        }

        // Every result says its language; the expansions are listed.
        let results = search(&app, &admin, &[("q", "online sale of falsified medicines")]).await;
        assert!(
            results["hits"]
                .as_array()
                .unwrap()
                .iter()
                .all(|h| h["language"].is_string())
        );
        let expansions = results["expansions"].as_array().unwrap();
        assert!(
            expansions.iter().any(|e| e["language"] == "fr"),
            "{expansions:?}"
        );
        let french: Vec<String> = expansions
            .iter()
            .filter(|e| e["language"] == "fr")
            .map(|e| e["term"].as_str().unwrap().to_owned())
            .collect();
        // Removing every French expansion leaves the French post unfound…
        let excluded = french.join(",");
        let without = search(
            &app,
            &admin,
            &[
                ("q", "falsified medicines"),
                ("exclude_terms", &excluded),
                ("language", "fr"),
                ("kind", "discussion"),
            ],
        )
        .await;
        for term in &french {
            assert!(
                !without["expansions"]
                    .to_string()
                    .contains(&format!("\"{term}\"")),
                "{term} still listed: {}",
                without["expansions"]
            );
        }
        // …and exact words (match=all) behave as before: no translation.
        let exact = search(
            &app,
            &admin,
            &[
                ("q", "online sale of falsified medicines"),
                ("match", "all"),
            ],
        )
        .await;
        assert_eq!(threads(&exact), vec![en_online], "{exact}");
        assert_eq!(exact["expansions"], json!([]));
        // The page shows the expansions as removable chips, each result's
        // language, and the exact-words switch.
        let page = app
            .client
            .get(format!("{}/search", app.address))
            .query(&[("q", "online sale of falsified medicines")])
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = scraper::Html::parse_document(&page.text().await.unwrap());
        let select = |css: &str| {
            let selector = scraper::Selector::parse(css).unwrap();
            html.select(&selector)
                .map(|e| {
                    (
                        e.text().collect::<String>(),
                        e.value().attr("href").map(str::to_owned),
                    )
                })
                .collect::<Vec<_>>()
        };
        let chips = select(".expansion-chips a");
        assert!(!chips.is_empty());
        assert!(
            chips.iter().all(|(_, href)| href
                .as_deref()
                .is_some_and(|h| h.contains("exclude_terms="))),
            "{chips:?}"
        );
        assert_eq!(select("input#search-match[name=match][value=all]").len(), 1);
        let badges = select(".results .meta .badge");
        assert!(
            badges
                .iter()
                .any(|(text, _)| text == "Français" || text == "French"),
            "{badges:?}"
        );

        // The same names drive the instrument picker's typeahead on /new.
        let new_page = app
            .client
            .get(format!("{}/new", app.address))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let new_page = scraper::Html::parse_document(&new_page);
        let untoc = new_page
            .select(&scraper::Selector::parse("option[value=untoc]").unwrap())
            .next()
            .expect("UNTOC in the picker")
            .value()
            .attr("data-search")
            .unwrap_or_default()
            .to_owned();
        for alias in [
            "Palermo Convention",
            "Convention de Palerme",
            "اتفاقية باليرمو",
        ] {
            assert!(untoc.contains(alias), "{alias} not in {untoc:?}");
        }

        let bad = app
            .get(&search_path(&[("q", "x"), ("match", "some")]), &admin)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.body["error"]["code"], "invalid_field", "{}", bad.body);
    }
);

both_backends!(
    posts_matching_every_concept_rank_first,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "cases").await;
        let partial = discussion(
            &app,
            &admin,
            category,
            "Perfume",
            "Counterfeit perfume sold at markets.",
            "en",
        )
        .await;
        let all = discussion(
            &app,
            &admin,
            category,
            "Seizure",
            "Customs seizure of counterfeit perfume at the airport.",
            "en",
        )
        .await;
        let unrelated = discussion(
            &app,
            &admin,
            category,
            "Tobacco",
            "Tobacco excise rates.",
            "en",
        )
        .await;
        app.indexed().await;
        let results = search(
            &app,
            &admin,
            &[("q", "customs seizure of counterfeit perfume")],
        )
        .await;
        let found = threads(&results);
        assert_eq!(found.first(), Some(&all), "{results}");
        assert!(
            found.contains(&partial),
            "a partial match still counts: {results}"
        );
        assert!(!found.contains(&unrelated), "{results}");
        // One word without any match does not empty the result…
        let results = search(&app, &admin, &[("q", "counterfeit perfume zanzibar")]).await;
        assert!(threads(&results).contains(&all), "{results}");
        // …but `+word` is required and `-word` excluded.
        let results = search(&app, &admin, &[("q", "counterfeit perfume +zanzibar")]).await;
        assert_eq!(results["total"], 0, "{results}");
        let results = search(&app, &admin, &[("q", "counterfeit perfume -airport")]).await;
        assert_eq!(threads(&results), vec![partial], "{results}");
        // A typo gets a suggestion.
        let results = search(&app, &admin, &[("q", "perfuem")]).await;
        assert_eq!(results["total"], 0);
        assert_eq!(results["suggestion"], "perfume", "{results}");
    }
);
