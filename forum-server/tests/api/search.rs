//! Search through the real server: freshness, facets and filters,
//! stemming and cross-lingual retrieval, access, hides and moves, crash
//! recovery, `reindex`, and a broken index.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

pub(crate) fn search_path(query: &[(&str, &str)]) -> String {
    let url = reqwest::Url::parse_with_params("http://comity.test/api/v1/search", query).unwrap();
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

pub(crate) async fn search(app: &TestApp, token: &str, query: &[(&str, &str)]) -> Value {
    let reply = app.get(&search_path(query), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{query:?}: {}", reply.body);
    reply.body
}

fn post_ids(results: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["post_id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

/// Creates a thread; returns (thread id, first post id).
async fn thread(
    app: &TestApp,
    token: &str,
    category: i64,
    title: &str,
    body: &str,
    jurisdictions: &[&str],
    language: &str,
) -> (i64, i64) {
    let reply = app
        .post(
            "/api/v1/threads",
            Some(token),
            json!({"category_id": category, "title": title, "body": body, "kind": "question",
                   "jurisdictions": jurisdictions, "language": language}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    (
        reply.body["id"].as_i64().unwrap(),
        reply.body["first_post_id"].as_i64().unwrap(),
    )
}

async fn restricted_setup(app: &TestApp, admin: &str) -> (i64, String, String) {
    let insider = app.member(admin, "insider").await;
    let insider_id = insider["user"]["id"].as_i64().unwrap();
    let outsider = token(&app.member(admin, "outsider").await);
    let group = app
        .post("/api/v1/groups", Some(admin), json!({"name": "Case team"}))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let added = app
        .post(
            &format!("/api/v1/groups/{group}/members"),
            Some(admin),
            json!({"user_id": insider_id}),
        )
        .await;
    assert_eq!(added.status, StatusCode::NO_CONTENT);
    let room = app
        .post(
            "/api/v1/categories",
            Some(admin),
            json!({"slug": "case-room", "name": "Case room", "restricted_to_groups": [group]}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let insider = token(&app.login("insider", PASSWORD).await);
    (room, insider, outsider)
}

both_backends!(
    a_new_post_is_searchable_within_two_seconds,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "tobacco").await;
        let (thread_id, _) = thread(
            &app,
            &admin,
            category,
            "Tax stamps",
            "On tax stamps.",
            &["FR"],
            "en",
        )
        .await;
        let started = Instant::now();
        let reply = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&admin),
                json!({"body": "A shipment of xylophagous cigarettes was seized."}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
        let post = reply.body["id"].as_i64().unwrap();
        loop {
            let found = search(&app, &admin, &[("q", "xylophagous")]).await;
            if post_ids(&found) == [post] {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "not searchable after 2 s"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        eprintln!(
            "searchable {} ms after the 201",
            started.elapsed().as_millis()
        );
    }
);

both_backends!(
    facets_filters_snippets_and_validation,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "marie").await);
        let category = app.category(&admin, "ip").await;
        let (_, fr) = thread(
            &app,
            &member,
            category,
            "Counterfeit perfume in Marseille",
            "The <script>alert(1)</script> perfume was counterfeit.",
            &["FR"],
            "en",
        )
        .await;
        let (_, es) = thread(
            &app,
            &member,
            category,
            "Counterfeit watches in Valencia",
            "Counterfeit watches seized at the port.",
            &["ES"],
            "en",
        )
        .await;
        let (_, ma) = thread(
            &app,
            &member,
            category,
            "Counterfeit medicines in Casablanca",
            "Counterfeit medicines and the customs code.",
            &["MA"],
            "en",
        )
        .await;
        let (_, eu) = thread(
            &app,
            &member,
            category,
            "Counterfeiting and the EU customs regulation",
            "Regulation 608/2013 on counterfeit goods.",
            &["EU"],
            "en",
        )
        .await;
        let (_, _) = thread(
            &app,
            &member,
            category,
            "Leases",
            "Nothing to do with it.",
            &["FR"],
            "en",
        )
        .await;
        app.indexed().await;

        let all = search(&app, &member, &[("q", "counterfeit")]).await;
        assert_eq!(all["total"], 4, "{all}");
        assert_eq!(
            all["facets_exact"], true,
            "small result sets are tallied exactly"
        );
        assert_eq!(post_ids(&all), {
            let mut v = vec![fr, es, ma, eu];
            v.sort();
            v
        });
        let facets: BTreeMap<String, u64> =
            serde_json::from_value(all["facets"]["jurisdiction"].clone()).unwrap();
        assert_eq!(facets["EU"], 3, "{facets:?}");
        assert_eq!(facets["FR"], 1);
        assert_eq!(facets["MA"], 1);
        assert_eq!(all["facets"]["kind"]["question"], 4);
        assert_eq!(all["facets"]["language"]["en"], 4);
        // Every facet count is what filtering on it returns.
        for (code, count) in &facets {
            let filtered = search(
                &app,
                &member,
                &[("q", "counterfeit"), ("jurisdiction", code)],
            )
            .await;
            assert_eq!(filtered["total"].as_u64().unwrap(), *count, "{code}");
        }
        let in_eu = search(
            &app,
            &member,
            &[("q", "counterfeit"), ("jurisdiction", "EU")],
        )
        .await;
        assert_eq!(post_ids(&in_eu), {
            let mut v = vec![fr, es, eu];
            v.sort();
            v
        });
        // Snippets are escaped, then highlighted.
        let perfume = search(&app, &member, &[("q", "perfume counterfeiting")]).await;
        let snippet = perfume["hits"][0]["snippet_html"].as_str().unwrap();
        assert!(snippet.contains("<b>counterfeit</b>"), "{snippet}");
        assert!(!snippet.contains("<script"), "{snippet}");
        // Phrases, exclusion, OR.
        assert_eq!(
            post_ids(&search(&app, &member, &[("q", "\"counterfeit watches\"")]).await),
            [es]
        );
        assert_eq!(
            search(&app, &member, &[("q", "counterfeit -watches")]).await["total"],
            3
        );
        let either = search(&app, &member, &[("q", "perfume OR watches")]).await;
        assert_eq!(post_ids(&either), {
            let mut v = vec![fr, es];
            v.sort();
            v
        });
        // Paging and sorting.
        let page = search(
            &app,
            &member,
            &[
                ("q", "counterfeit"),
                ("per_page", "3"),
                ("page", "2"),
                ("sort", "newest"),
            ],
        )
        .await;
        assert_eq!(page["total"], 4);
        assert_eq!(post_ids(&page), [fr]);
        // Author and date filters.
        let mine = search(&app, &member, &[("q", "counterfeit"), ("author", "marie")]).await;
        assert_eq!(mine["total"], 4);
        let old = search(&app, &member, &[("q", "counterfeit"), ("to", "2020-01-01")]).await;
        assert_eq!(old["total"], 0);

        for (param, value) in [
            ("jurisdiction", "XX"),
            ("instrument", "nope"),
            ("crime_area", "nope"),
            ("kind", "nope"),
            ("from", "yesterday"),
            ("author", "nobody"),
            ("page", "0"),
            ("per_page", "500"),
            ("sort", "random"),
            ("category", "999999"),
        ] {
            let reply = app
                .get(&search_path(&[("q", "x"), (param, value)]), &member)
                .await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{param}={value}"
            );
            let field = reply.body["error"]["field"].as_str().unwrap();
            assert!(
                param.contains(field) || field.contains(param),
                "{param}: {}",
                reply.body
            );
        }
        let long = "x".repeat(1001);
        let reply = app.get(&search_path(&[("q", &long)]), &member).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        let anonymous = app
            .call(Method::GET, "/api/v1/search?q=x", None, None)
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
);

both_backends!(stemming_in_four_languages, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "langs").await;
    let (_, fr) = thread(
        &app,
        &admin,
        category,
        "Saisie en douane",
        "La contrefaçon de parfums est un délit.",
        &["FR"],
        "fr",
    )
    .await;
    let (_, es) = thread(
        &app,
        &admin,
        category,
        "Decomiso de cigarrillos",
        "Los contrabandistas vendían cigarrillos.",
        &["UY"],
        "es",
    )
    .await;
    let (_, ar) = thread(
        &app,
        &admin,
        category,
        "قرار المحكمة",
        "أصدرت المحكمة حكمها في قضية التهريب.",
        &["TN"],
        "ar",
    )
    .await;
    app.indexed().await;
    assert!(post_ids(&search(&app, &admin, &[("q", "contrefaçons")]).await).contains(&fr));
    assert_eq!(
        post_ids(&search(&app, &admin, &[("q", "cigarrillo contrabandista")]).await),
        [es]
    );
    assert_eq!(
        post_ids(&search(&app, &admin, &[("q", "محكمة")]).await),
        [ar]
    );
});

/// Lines `n` of the aligned UN devset where the English side contains an
/// English glossary term of a concept and the `language` side one of the
/// concept's terms in that language, but not the English words: such a
/// sentence can only be found from English through the glossary.
fn aligned_examples(language: &str, wanted: usize) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/un-parallel/devset");
    let read = |lang: &str| {
        std::fs::read_to_string(dir.join(format!("UNv1.0.devset.{lang}")))
            .unwrap_or_else(|e| panic!("the UN devset ({lang}) must be at {}: {e}", dir.display()))
    };
    let english = read("en");
    let other = read(language);
    let mut found = Vec::new();
    let glossary = search_index::Glossary::shipped();
    for (en_line, line) in english.lines().zip(other.lines()) {
        let en_lower = en_line.to_lowercase();
        let lower = line.to_lowercase();
        let hit = glossary.concepts().iter().find_map(|concept| {
            let en_term = concept
                .terms
                .iter()
                .filter(|(l, t)| *l == "en" && t.split_whitespace().count() >= 2)
                .map(|(_, t)| t.to_lowercase())
                .find(|t| en_lower.contains(t.as_str()))?;
            let in_other = concept
                .terms
                .iter()
                .any(|(l, t)| *l == language && lower.contains(&t.to_lowercase()));
            let leaks = en_term.split_whitespace().any(|w| lower.contains(w));
            (in_other && !leaks).then_some(en_term)
        });
        if let Some(term) = hit
            && !found.iter().any(|(t, _)| *t == term)
        {
            found.push((term, line.to_owned()));
        }
        if found.len() == wanted {
            break;
        }
    }
    found
}

both_backends!(
    english_queries_find_french_spanish_and_arabic_posts,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "un").await;
        let mut cases = Vec::new();
        for language in ["fr", "es", "ar"] {
            let examples = aligned_examples(language, 2);
            assert!(
                !examples.is_empty(),
                "no aligned {language} example in the devset"
            );
            for (i, (term, sentence)) in examples.into_iter().enumerate() {
                let (_, post) = thread(
                    &app,
                    &admin,
                    category,
                    &format!("{language} {i}"),
                    &sentence,
                    &["FR"],
                    language,
                )
                .await;
                cases.push((term, post, language));
            }
        }
        app.indexed().await;
        for (term, post, language) in cases {
            let found = search(&app, &admin, &[("q", &term), ("language", language)]).await;
            assert!(
                post_ids(&found).contains(&post),
                "{term:?} did not find the {language} sentence: {found}"
            );
        }
    }
);

both_backends!(
    restricted_posts_never_reach_outsiders,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let (room, insider, outsider) = restricted_setup(&app, &admin).await;
        let open = app.category(&admin, "open").await;
        let (_, secret) = thread(
            &app,
            &insider,
            room,
            "Operation Quokka informant",
            "Quokka details.",
            &["FR"],
            "en",
        )
        .await;
        let (moved, moved_post) = thread(
            &app,
            &admin,
            open,
            "Quokka seizure report",
            "Quokka public summary.",
            &["ES"],
            "en",
        )
        .await;
        app.indexed().await;

        let inside = search(&app, &insider, &[("q", "quokka")]).await;
        assert_eq!(post_ids(&inside), {
            let mut v = vec![secret, moved_post];
            v.sort();
            v
        });
        let outside = search(&app, &outsider, &[("q", "quokka")]).await;
        assert_eq!(post_ids(&outside), [moved_post]);
        assert_eq!(outside["total"], 1);
        assert!(
            outside["facets"]["jurisdiction"].get("FR").is_none(),
            "{outside}"
        );
        let suggestions = app.get("/api/v1/search/suggest?q=opera", &outsider).await;
        assert_eq!(suggestions.body, json!([]));
        let suggestions = app.get("/api/v1/search/suggest?q=opera", &insider).await;
        assert_eq!(suggestions.body[0]["title"], "Operation Quokka informant");

        // Moved into the restricted room: gone for the outsider at once (the
        // database recheck), and from counts once the index has the move.
        let reply = app
            .post(
                &format!("/api/v1/threads/{moved}/move"),
                Some(&admin),
                json!({"category_id": room, "reason": "operational"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
        let right_after = search(&app, &outsider, &[("q", "quokka")]).await;
        assert_eq!(right_after["hits"], json!([]));
        app.indexed().await;
        let later = search(&app, &outsider, &[("q", "quokka")]).await;
        assert_eq!(later["total"], 0);
        assert_eq!(later["facets"]["jurisdiction"], json!({}));
        assert_eq!(
            app.get("/api/v1/search/suggest?q=quokka", &outsider)
                .await
                .body,
            json!([])
        );
        assert_eq!(search(&app, &insider, &[("q", "quokka")]).await["total"], 2);
        assert_eq!(search(&app, &admin, &[("q", "quokka")]).await["total"], 2);
    }
);

both_backends!(
    hidden_and_edited_posts_follow_the_database,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "wildlife").await;
        let (thread_id, _) = thread(
            &app,
            &admin,
            category,
            "Pangolin scales",
            "Scales seized.",
            &["FR"],
            "en",
        )
        .await;
        let reply = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&admin),
                json!({"body": "A shipment from Zanzibar too."}),
            )
            .await;
        let post = reply.body["id"].as_i64().unwrap();
        app.indexed().await;
        assert_eq!(
            post_ids(&search(&app, &admin, &[("q", "zanzibar")]).await),
            [post]
        );

        let hidden = app
            .post(
                &format!("/api/v1/posts/{post}/hide"),
                Some(&admin),
                json!({"reason": "duplicate"}),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::NO_CONTENT, "{}", hidden.body);
        app.indexed().await;
        assert_eq!(search(&app, &admin, &[("q", "zanzibar")]).await["total"], 0);
        let restored = app
            .post(
                &format!("/api/v1/posts/{post}/restore"),
                Some(&admin),
                json!({"reason": "mistake"}),
            )
            .await;
        assert_eq!(restored.status, StatusCode::NO_CONTENT);
        app.indexed().await;
        assert_eq!(search(&app, &admin, &[("q", "zanzibar")]).await["total"], 1);

        let edited = app
            .call(
                Method::PATCH,
                &format!("/api/v1/posts/{post}"),
                Some(&admin),
                Some(json!({"body": "A shipment from Tanganyika too."})),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        app.indexed().await;
        assert_eq!(search(&app, &admin, &[("q", "zanzibar")]).await["total"], 0);
        assert_eq!(
            post_ids(&search(&app, &admin, &[("q", "tanganyika")]).await),
            [post]
        );
    }
);

/// The index's fingerprints, and those of an index built from scratch from
/// the database.
async fn incremental_and_rebuilt(app: &TestApp) -> (BTreeMap<u64, u64>, BTreeMap<u64, u64>) {
    app.indexed().await;
    let live = app.search.index().unwrap().fingerprints().unwrap();
    let db = app.db.clone();
    let rebuilt = tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("search");
        forum_server::workers::indexer::reindex(&db, &target).unwrap();
        search_index::SearchIndex::open_or_create(&target)
            .unwrap()
            .fingerprints()
            .unwrap()
    })
    .await
    .unwrap();
    (live, rebuilt)
}

both_backends!(reindex_equals_the_incremental_index, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let (room, _, _) = restricted_setup(&app, &admin).await;
    let category = app.category(&admin, "firearms").await;
    let (a, _) = thread(
        &app,
        &admin,
        category,
        "Marking of firearms",
        "Article 8.",
        &["EU"],
        "en",
    )
    .await;
    let (b, _) = thread(
        &app,
        &admin,
        category,
        "Deactivation",
        "Standards.",
        &["DE"],
        "en",
    )
    .await;
    let mut replies = Vec::new();
    for i in 0..4 {
        let reply = app
            .post(
                &format!("/api/v1/threads/{a}/posts"),
                Some(&admin),
                json!({"body": format!("Reply {i}")}),
            )
            .await;
        replies.push(reply.body["id"].as_i64().unwrap());
    }
    app.call(
        Method::PATCH,
        &format!("/api/v1/posts/{}", replies[0]),
        Some(&admin),
        Some(json!({"body": "Edited reply"})),
    )
    .await;
    app.post(
        &format!("/api/v1/posts/{}/hide", replies[1]),
        Some(&admin),
        json!({"reason": "spam"}),
    )
    .await;
    let split = app
        .post(
            &format!("/api/v1/threads/{a}/split"),
            Some(&admin),
            json!({"post_ids": [replies[2]], "title": "Split off", "reason": "off topic"}),
        )
        .await;
    assert_eq!(split.status, StatusCode::CREATED, "{}", split.body);
    let merged = app
        .post(
            &format!("/api/v1/threads/{b}/merge"),
            Some(&admin),
            json!({"into": a, "reason": "same subject"}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::NO_CONTENT, "{}", merged.body);

    let moved = app
        .post(
            &format!("/api/v1/threads/{a}/move"),
            Some(&admin),
            json!({"category_id": room, "reason": "restricted material"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::NO_CONTENT);
    let retagged = app
        .call(
            Method::PATCH,
            &format!("/api/v1/threads/{a}"),
            Some(&admin),
            Some(json!({"title": "Marking and tracing", "jurisdictions": ["FR", "DE"]})),
        )
        .await;
    assert_eq!(retagged.status, StatusCode::OK, "{}", retagged.body);

    let (live, rebuilt) = incremental_and_rebuilt(&app).await;
    // Two opening posts and four replies, one hidden; one reply split off.
    assert_eq!(live.len(), 5, "{live:?}");
    assert_eq!(live, rebuilt);
});

both_backends!(the_index_catches_up_after_kill_9, |backend| async move {
    let storage = Storage::new(backend);
    let app = spawn_with(storage, |_| {}).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "alcohol").await;
    let (thread_id, _) = thread(
        &app,
        &admin,
        category,
        "Illicit spirits",
        "Methanol.",
        &["FR"],
        "en",
    )
    .await;
    app.indexed().await;
    let storage = app.stop().await;

    // The real binary, committing the index only every ten minutes: every
    // post below is in the database, none in the index, when it dies.
    let client = reqwest::Client::new();
    let mut server = crate::durability::Server::start_with(
        &storage,
        crate::durability::free_port(),
        &[("COMITY_SEARCH_COMMIT_INTERVAL_MS", "600000")],
    );
    server.wait_healthy(&client).await;
    let access = server.login(&client).await;
    for i in 0..10 {
        let reply = client
            .post(format!(
                "{}/api/v1/threads/{thread_id}/posts",
                server.address
            ))
            .bearer_auth(&access)
            .json(&json!({"body": format!("Moonshine seizure number {i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::CREATED);
    }
    server.kill_9();

    let app = spawn_with(storage, |_| {}).await;
    let admin = token(&app.login("admin", PASSWORD).await);
    let (live, rebuilt) = incremental_and_rebuilt(&app).await;
    assert_eq!(live.len(), 11);
    assert_eq!(live, rebuilt);
    assert_eq!(
        search(&app, &admin, &[("q", "moonshine")]).await["total"],
        10
    );
});

both_backends!(
    a_corrupt_index_is_rebuilt_while_pages_serve,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "pesticides").await;
        let (thread_id, _) = thread(
            &app,
            &admin,
            category,
            "Illegal pesticides",
            "Fipronil.",
            &["FR"],
            "en",
        )
        .await;
        app.indexed().await;
        let storage = app.stop().await;
        let meta = storage.data_dir().join("search/meta.json");
        std::fs::write(&meta, b"{ this is not json").unwrap();

        let app = spawn_with(storage, |_| {}).await;
        let admin = token(&app.login("admin", PASSWORD).await);
        let page = app
            .client
            .get(format!("{}/t/{thread_id}", app.address))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        app.indexed().await;
        assert_eq!(search(&app, &admin, &[("q", "fipronil")]).await["total"], 1);
    }
);

both_backends!(
    an_unusable_index_answers_503_and_pages_still_serve,
    |backend| async move {
        let storage = Storage::new(backend);
        // A regular file where the index directory's parent should be: the
        // index can be neither opened nor built.
        let blocker = storage.data_dir().join("blocker");
        std::fs::create_dir_all(storage.data_dir()).unwrap();
        std::fs::write(&blocker, b"not a directory").unwrap();
        let app = spawn_with(storage, |s| s.search.dir = Some(blocker.join("search"))).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "fuel").await;
        let (thread_id, _) = thread(
            &app,
            &admin,
            category,
            "Fuel smuggling",
            "Diesel.",
            &["FR"],
            "en",
        )
        .await;
        let deadline = Instant::now() + Duration::from_secs(10);
        let reply = loop {
            let reply = app.get(&search_path(&[("q", "diesel")]), &admin).await;
            if reply.status != StatusCode::SERVICE_UNAVAILABLE
                || reply.body["error"]["code"] == "search_unavailable"
            {
                break reply;
            }
            assert!(Instant::now() < deadline);
        };
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            reply.body
        );
        assert_eq!(reply.body["error"]["code"], "search_unavailable");
        assert!(reply.headers.contains_key("retry-after"));
        let page = app
            .client
            .get(format!("{}/t/{thread_id}", app.address))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let page = app
            .client
            .get(format!("{}/search?q=diesel", app.address))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            app.get(&format!("/api/v1/threads/{thread_id}"), &admin)
                .await
                .status,
            StatusCode::OK
        );
    }
);

async fn page(app: &TestApp, path: &str, token: &str) -> (StatusCode, scraper::Html) {
    let reply = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = reply.status();
    (
        status,
        scraper::Html::parse_document(&reply.text().await.unwrap()),
    )
}

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

both_backends!(
    the_search_page_refines_with_links_and_chips,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "customs").await;
        thread(
            &app,
            &admin,
            category,
            "Transit of counterfeit goods",
            "Counterfeit <b>sneakers</b> in transit.",
            &["FR"],
            "en",
        )
        .await;
        thread(
            &app,
            &admin,
            category,
            "Counterfeit sneakers in Algeciras",
            "Counterfeit goods in the port.",
            &["ES"],
            "en",
        )
        .await;
        let (fr_analysis, _) = {
            let reply = app
            .post("/api/v1/threads", Some(&admin),
                json!({"category_id": category, "title": "Falsified medicines sold online in France",
                       "kind": "analysis", "jurisdictions": ["FR"], "body": "Online pharmacies selling falsified medicines.",
                       "analysis": {"summary": "Falsified medicines offered by illegal online pharmacies.", "language": "en",
                                    "crime_areas": ["falsified_medicines"]}}))
            .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            (reply.body["id"].as_i64().unwrap(), ())
        };
        let reply = app
        .post("/api/v1/threads", Some(&admin),
            json!({"category_id": category, "title": "Illegal online pharmacies in Spain",
                   "kind": "analysis", "jurisdictions": ["ES"], "body": "Falsified medicines sold by online pharmacies.",
                   "analysis": {"summary": "Online pharmacies and falsified medicines.", "language": "en",
                                "crime_areas": ["falsified_medicines"]}}))
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let es_analysis = reply.body["id"].as_i64().unwrap();
        app.indexed().await;

        // Exact words (`match=all`): ranked, translated search also finds
        // the analyses filed under falsified medicines (« medicamentos
        // falsificados »), which this test of links and chips does not want.
        let (status, doc) = page(&app, "/search?q=counterfeit&match=all", &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(select(&doc, ".results > li").len(), 2);
        let snippets: Vec<String> = select(&doc, ".snippet")
            .iter()
            .map(|e| e.inner_html())
            .collect();
        assert!(
            snippets.iter().any(|s| s.contains("<b>Counterfeit</b>")),
            "{snippets:?}"
        );
        assert!(
            snippets.iter().all(|s| !s.contains("<b>sneakers</b>")),
            "{snippets:?}"
        );
        // The France facet narrows the results; its chip removes the filter.
        let france = select(&doc, ".facets a")
            .into_iter()
            .find(|a| a.text().collect::<String>() == "France")
            .expect("a France facet")
            .value()
            .attr("href")
            .unwrap()
            .to_owned();
        let (_, narrowed) = page(&app, &france, &admin).await;
        assert_eq!(select(&narrowed, ".results > li").len(), 1);
        let chip = select(&narrowed, ".filter-chips a");
        assert_eq!(chip.len(), 1);
        assert!(
            chip[0]
                .value()
                .attr("aria-label")
                .unwrap()
                .contains("France")
        );
        let (_, widened) = page(&app, chip[0].value().attr("href").unwrap(), &admin).await;
        assert_eq!(select(&widened, ".results > li").len(), 2);
        // A bad filter re-renders the form with the error.
        let (status, doc) = page(&app, "/search?q=x&from=yesterday", &admin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(select(&doc, "p.error[role=alert]").len(), 1);

        // Related analyses: the Spanish one on the French one's page.
        let (_, thread_page) = page(&app, &format!("/t/{fr_analysis}"), &admin).await;
        let related: Vec<String> = select(&thread_page, ".related a")
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect();
        assert_eq!(related, [format!("/t/{es_analysis}")]);
        let api = app
            .get(&format!("/api/v1/threads/{fr_analysis}/related"), &admin)
            .await;
        assert_eq!(api.body[0]["thread_id"], es_analysis);
    }
);

fn reindex_command(storage: &Storage) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_forum-server"))
        .arg("reindex")
        .env("COMITY_DATA_DIR", storage.data_dir())
        .env("COMITY_DATABASE_URL", storage.database_url())
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

both_backends!(
    the_reindex_command_refuses_a_running_server_and_rebuilds_a_stopped_one,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "cyber").await;
        thread(
            &app,
            &admin,
            category,
            "Darknet vendors",
            "Marketplaces.",
            &["FR"],
            "en",
        )
        .await;
        thread(
            &app,
            &admin,
            category,
            "Phishing kits",
            "Kits.",
            &["ES"],
            "en",
        )
        .await;
        app.indexed().await;
        let before = app.search.index().unwrap().fingerprints().unwrap();

        let running = reindex_command(&app.storage);
        let stderr = String::from_utf8_lossy(&running.stderr);
        assert!(!running.status.success());
        assert!(stderr.contains("stop the server first"), "{stderr}");

        let storage = app.stop().await;
        // The stopped server's indexer lets go of the index within a second.
        let deadline = Instant::now() + Duration::from_secs(10);
        let out = loop {
            let out = reindex_command(&storage);
            if out.status.success() || Instant::now() > deadline {
                break out;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("search index rebuilt") && stdout.contains(" 2 posts"),
            "{stdout}"
        );
        let after = search_index::SearchIndex::open_or_create(&storage.data_dir().join("search"))
            .unwrap()
            .fingerprints()
            .unwrap();
        assert_eq!(before, after);
    }
);

both_backends!(
    an_index_ahead_of_a_restored_database_is_rebuilt,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "restore").await;
        thread(
            &app,
            &admin,
            category,
            "Before the backup",
            "Old.",
            &["FR"],
            "en",
        )
        .await;
        app.indexed().await;
        let head = app.db.last_event_seq().unwrap();
        let storage = app.stop().await;
        // As if the database had been restored from an older backup while the
        // index kept its newer position.
        let dir = storage.data_dir().join("search");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let index = search_index::SearchIndex::open_or_create(&dir).unwrap();
            if let Ok(mut writer) = index.writer() {
                writer.commit(head + 1_000).unwrap();
                writer.finish().unwrap();
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the stopped server kept the index"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        let app = spawn_with(storage, |_| {}).await;
        let admin = token(&app.login("admin", PASSWORD).await);
        let (_, post) = thread(
            &app,
            &admin,
            category,
            "After the restore",
            "Quetzal.",
            &["FR"],
            "en",
        )
        .await;
        app.indexed().await;
        assert_eq!(
            post_ids(&search(&app, &admin, &[("q", "quetzal")]).await),
            [post]
        );
        assert_eq!(search(&app, &admin, &[("q", "backup")]).await["total"], 1);
    }
);

both_backends!(
    a_foreign_directory_is_never_replaced,
    |backend| async move {
        let storage = Storage::new(backend);
        let foreign = storage.data_dir().join("elsewhere");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("precious.txt"), b"keep me").unwrap();
        let app = spawn_with(storage, |s| s.search.dir = Some(foreign.clone())).await;
        let admin = token(&app.admin().await);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let reply = app.get(&search_path(&[("q", "x")]), &admin).await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            std::fs::read(foreign.join("precious.txt")).unwrap(),
            b"keep me"
        );
        assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 1);
        // Field syntax is plain words, never an error.
        let app2 = spawn(backend).await;
        let admin2 = token(&app2.admin().await);
        app2.indexed().await;
        for q in [
            "text_any:*",
            "acl:*",
            "author_id:*",
            "title_en:[a TO z]",
            "untoc:5",
        ] {
            let reply = app2.get(&search_path(&[("q", q)]), &admin2).await;
            assert_eq!(reply.status, StatusCode::OK, "{q}: {}", reply.body);
        }
    }
);
