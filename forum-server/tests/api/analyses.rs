//! Legal analyses: the taxonomy and catalogue, the analysis record and its
//! validation, regional tags, the instrument and jurisdiction pages, the
//! comparison matrix, endorsements, the review list, tag edits and
//! citations — on both backends.

use diesel::prelude::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

/// An analysis record as the API takes it.
fn record(summary: &str, instruments: &[&str], areas: &[&str]) -> Value {
    json!({
        "summary": summary,
        "language": "en",
        "instruments": instruments,
        "crime_areas": areas,
        "legal_provisions": [{"jurisdiction": "FR", "text": "Code pénal, art. 450-1"}],
        "case_citations": [{"court": "Cour de cassation, chambre criminelle", "date": "2019-03-12",
                            "reference": "18-80.123", "ecli": "ECLI:FR:CCASS:2019:CR00321"}],
        "valid_as_of": "2024-06-01",
        "review_by": "2030-06-01",
    })
}

async fn analysis(
    app: &TestApp,
    token: &str,
    category: i64,
    title: &str,
    jurisdictions: &[&str],
    record: Value,
) -> i64 {
    let reply = app
        .post(
            "/api/v1/threads",
            Some(token),
            json!({"category_id": category, "title": title, "kind": "analysis",
                   "jurisdictions": jurisdictions, "body": "The analysis in full.", "analysis": record}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

fn ids(list: &Value) -> Vec<i64> {
    list["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

async fn html(app: &TestApp, path: &str, token: &str) -> (StatusCode, String) {
    let client = reqwest::Client::new();
    let reply = client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = reply.status();
    (status, reply.text().await.unwrap())
}

both_backends!(
    the_taxonomy_and_catalogue_are_served_and_in_the_database,
    |backend| async move {
        let app = spawn(backend).await;
        let list = reqwest::get(format!("{}/api/v1/jurisdictions", app.address))
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        let all = list.as_array().unwrap();
        let countries: Vec<&Value> = all.iter().filter(|j| j["kind"] == "country").collect();
        assert_eq!(countries.len(), 249);
        let codes: Vec<&str> = all.iter().map(|j| j["code"].as_str().unwrap()).collect();
        let eu = all.iter().find(|j| j["code"] == "EU").unwrap();
        assert_eq!(eu["kind"], "region");
        assert_eq!(eu["members"].as_array().unwrap().len(), 27);
        for region in all.iter().filter(|j| j["kind"] == "region") {
            for member in region["members"].as_array().unwrap() {
                assert!(codes.contains(&member.as_str().unwrap()), "{region}");
            }
        }
        for org in [
            "COE",
            "AFRICAN-UNION",
            "ECOWAS",
            "SADC",
            "ASEAN",
            "GCC",
            "CARICOM",
            "MERCOSUR",
            "CAN",
            "EAEU",
            "PIF",
        ] {
            assert!(codes.contains(&org), "{org}");
        }
        let ma = all.iter().find(|j| j["code"] == "MA").unwrap();
        assert_eq!(ma["names"]["fr"], "Maroc");
        assert!(
            ma["parents"]
                .as_array()
                .unwrap()
                .contains(&json!("AFRICAN-UNION"))
        );

        let instruments = reqwest::get(format!("{}/api/v1/instruments", app.address))
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        let untoc = instruments
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == "untoc")
            .unwrap();
        assert_eq!(untoc["short_name"], "UNTOC");
        assert_eq!(untoc["articles"][4]["key"], "untoc:5");
        assert!(instruments.as_array().unwrap().len() >= 13);

        // The same data, copied into the database by the migration.
        let db = app.db.clone();
        let (rows, members, articles) = tokio::task::spawn_blocking(move || {
            use forum_core::store::schema::{
                instrument_articles, jurisdiction_members, jurisdictions,
            };
            db.read(|conn| {
                let rows: i64 = jurisdictions::table.count().get_result(conn)?;
                let members: i64 = jurisdiction_members::table
                    .filter(jurisdiction_members::region.eq("EU"))
                    .count()
                    .get_result(conn)?;
                let articles: i64 = instrument_articles::table
                    .filter(instrument_articles::instrument_id.eq("untoc"))
                    .count()
                    .get_result(conn)?;
                Ok((rows, members, articles))
            })
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(rows as usize, all.len());
        assert_eq!(members, 27);
        assert_eq!(
            articles as usize,
            untoc["articles"].as_array().unwrap().len()
        );
    }
);

both_backends!(
    an_invalid_analysis_names_the_field_and_stores_nothing,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "marie").await);
        let category = app.category(&admin, "medicines").await;
        let before_posts = app.post_count().await;
        let good = record(
            "Organised counterfeiting is charged as participation.",
            &["untoc:5"],
            &["counterfeiting"],
        );
        let with = |field: &str, value: Value| {
            let mut r = good.clone();
            r[field] = value;
            r
        };
        let cases = [
            (json!(["FR", "XX"]), good.clone(), "jurisdictions"),
            (json!([]), good.clone(), "jurisdictions"),
            (json!(["FR"]), Value::Null, "analysis"),
            (
                json!(["FR"]),
                with("instruments", json!(["geneva-1949"])),
                "analysis.instruments",
            ),
            (
                json!(["FR"]),
                with("instruments", json!(["untoc:999"])),
                "analysis.instruments",
            ),
            (
                json!(["FR"]),
                with("crime_areas", json!(["jaywalking"])),
                "analysis.crime_areas",
            ),
            (
                json!(["FR"]),
                with("language", json!("french")),
                "analysis.language",
            ),
            (
                json!(["FR"]),
                with("summary", json!("")),
                "analysis.summary",
            ),
            (
                json!(["FR"]),
                with("review_by", json!("2020-01-01")),
                "analysis.review_by",
            ),
            (
                json!(["FR"]),
                with(
                    "case_citations",
                    json!([{"court": "CC", "reference": "1", "ecli": "ECLI:nope"}]),
                ),
                "analysis.case_citations",
            ),
            (
                json!(["FR"]),
                with(
                    "legal_provisions",
                    json!([{"jurisdiction": "ZZ", "text": "x"}]),
                ),
                "analysis.legal_provisions",
            ),
        ];
        for (jurisdictions, analysis, field) in cases {
            let mut body = json!({"category_id": category, "title": "Participation offences",
                                  "kind": "analysis", "jurisdictions": jurisdictions, "body": "Text."});
            if !analysis.is_null() {
                body["analysis"] = analysis;
            }
            let reply = app.post("/api/v1/threads", Some(&member), body).await;
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}: {}",
                reply.body
            );
            assert_eq!(reply.body["error"]["field"], field, "{}", reply.body);
        }
        // A discussion cannot carry a record.
        let reply = app
            .post(
                "/api/v1/threads",
                Some(&member),
                json!({"category_id": category, "title": "Just talking", "kind": "discussion",
                       "jurisdictions": ["FR"], "body": "Text.", "analysis": good}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert_eq!(reply.body["error"]["field"], "analysis");
        assert_eq!(app.post_count().await, before_posts, "nothing was stored");
        let list = app.get("/api/v1/threads", &member).await;
        assert_eq!(ids(&list.body), Vec::<i64>::new());
    }
);

both_backends!(
    an_analysis_reaches_its_countries_regions_instrument_and_comparison,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "marie").await);
        let category = app.category(&admin, "medicines").await;
        let fr_es = analysis(
            &app,
            &member,
            category,
            "Participation in an organised group: France and Spain",
            &["FR", "ES"],
            record(
                "Both countries charge participation under UNTOC art. 5.",
                &["untoc:5"],
                &["counterfeiting"],
            ),
        )
        .await;
        let eu = analysis(
            &app,
            &member,
            category,
            "The EU customs regulation and tobacco",
            &["EU"],
            record(
                "Regulation 608/2013 governs customs detentions of tobacco.",
                &["fctc-protocol:15"],
                &["illicit_tobacco"],
            ),
        )
        .await;
        let question = app
            .post(
                "/api/v1/threads",
                Some(&member),
                json!({"category_id": category, "title": "Moroccan practice?", "kind": "question",
                       "jurisdictions": ["MA"], "body": "How does Morocco charge this?"}),
            )
            .await;
        assert_eq!(question.status, StatusCode::CREATED, "{}", question.body);

        let shown = app.get(&format!("/api/v1/threads/{fr_es}"), &member).await;
        let a = &shown.body["thread"]["analysis"];
        assert_eq!(
            a["summary"],
            "Both countries charge participation under UNTOC art. 5."
        );
        assert_eq!(a["instruments"][0]["key"], "untoc:5");
        assert_eq!(
            a["instruments"][0]["article_title"],
            "Criminalization of participation in an organized criminal group"
        );
        assert_eq!(a["case_citations"][0]["ecli"], "ECLI:FR:CCASS:2019:CR00321");
        assert_eq!(a["crime_areas"], json!(["counterfeiting"]));
        assert_eq!(a["review_reasons"], json!([]));
        assert!(a["updated_at"].as_str().unwrap().ends_with('Z'), "{a}");

        // Country lists include threads tagged with a region they belong to.
        let fr = app.get("/api/v1/threads?jurisdiction=FR", &member).await;
        assert_eq!(ids(&fr.body), vec![eu, fr_es]);
        let de = app.get("/api/v1/threads?jurisdiction=DE", &member).await;
        assert_eq!(ids(&de.body), vec![eu]);
        let ma = app.get("/api/v1/threads?jurisdiction=MA", &member).await;
        assert_eq!(ma.body["threads"].as_array().unwrap().len(), 1);
        let region = app.get("/api/v1/threads?jurisdiction=EU", &member).await;
        assert_eq!(
            ids(&region.body),
            vec![eu, fr_es],
            "a region lists its members' threads"
        );
        let by_area = app
            .get("/api/v1/threads?crime_area=illicit_tobacco", &member)
            .await;
        assert_eq!(ids(&by_area.body), vec![eu]);
        let by_article = app.get("/api/v1/threads?instrument=untoc:5", &member).await;
        assert_eq!(ids(&by_article.body), vec![fr_es]);
        let bad = app
            .get("/api/v1/threads?crime_area=jaywalking", &member)
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.body["error"]["field"], "crime_area");

        // The comparison: one column each, MA a gap.
        let compare = app
            .get(
                "/api/v1/compare?instrument=untoc&jurisdictions=FR,ES,MA",
                &member,
            )
            .await;
        assert_eq!(compare.status, StatusCode::OK, "{}", compare.body);
        let columns = compare.body["columns"].as_array().unwrap();
        assert_eq!(columns.len(), 3);
        assert_eq!(columns[0]["jurisdiction"], "FR");
        assert_eq!(columns[0]["analyses"][0]["thread_id"], fr_es);
        assert_eq!(columns[1]["analyses"][0]["thread_id"], fr_es);
        assert_eq!(columns[2]["analyses"], json!([]), "MA is a gap");
        let tobacco = app
            .get(
                "/api/v1/compare?crime_area=illicit_tobacco&jurisdictions=DE,MA",
                &member,
            )
            .await;
        assert_eq!(tobacco.body["columns"][0]["analyses"][0]["thread_id"], eu);
        let none = app.get("/api/v1/compare?jurisdictions=", &member).await;
        assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Pages: the jurisdiction page marks regional threads, the
        // instrument page groups by article, the matrix offers to ask.
        let (status, page) = html(&app, "/j/DE", &member).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("The EU customs regulation and tobacco") && page.contains("regional")
        );
        let (_, page) = html(&app, "/i/untoc", &member).await;
        assert!(
            page.contains("id=\"group-art-5\"") && page.contains("France and Spain"),
            "{page}"
        );
        let (_, page) = html(
            &app,
            "/compare?instrument=untoc&jurisdictions=FR,MA",
            &member,
        )
        .await;
        assert!(
            page.contains("jurisdictions=MA&#38;title=What+is+the+law+in+Morocco+on+UNTOC%3F\">Ask experts from Morocco</a>"),
            "{page}"
        );
        let (_, page) = html(
            &app,
            "/?crime_area=illicit_tobacco&jurisdiction=de",
            &member,
        )
        .await;
        assert!(
            page.contains("The EU customs regulation and tobacco"),
            "{page}"
        );
        assert!(!page.contains("France and Spain") && !page.contains("Moroccan practice"));
        let (_, page) = html(&app, "/c/medicines?kind=question", &member).await;
        assert!(page.contains("Moroccan practice") && !page.contains("France and Spain"));
        let (status, _) = html(&app, "/j/XX", &member).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = html(&app, "/i/geneva", &member).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
);

both_backends!(
    members_endorse_for_their_own_covered_country_once,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let author = token(&app.member(&admin, "marie").await);
        let judge = token(&app.member_from(&admin, "lucia", "ES", "judge").await);
        let prosecutor = token(&app.member_from(&admin, "pablo", "ES", "prosecutor").await);
        let moroccan = token(&app.member_from(&admin, "amina", "MA", "judge").await);
        let category = app.category(&admin, "medicines").await;
        let id = analysis(
            &app,
            &author,
            category,
            "Trademark counterfeiting in the EU",
            &["EU"],
            record(
                "Counterfeit goods are seized under Regulation 608/2013.",
                &["trips:51"],
                &["counterfeiting"],
            ),
        )
        .await;
        let path = format!("/api/v1/threads/{id}/endorsements");
        let ok = app
            .post(&path, Some(&judge), json!({"jurisdiction": "ES"}))
            .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
        let again = app
            .post(&path, Some(&judge), json!({"jurisdiction": "ES"}))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        let not_mine = app
            .post(&path, Some(&prosecutor), json!({"jurisdiction": "FR"}))
            .await;
        assert_eq!(
            not_mine.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            not_mine.body
        );
        assert_eq!(not_mine.body["error"]["field"], "jurisdiction");
        let uncovered = app
            .post(&path, Some(&moroccan), json!({"jurisdiction": "MA"}))
            .await;
        assert_eq!(
            uncovered.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            uncovered.body
        );
        let own = app
            .post(&path, Some(&author), json!({"jurisdiction": "FR"}))
            .await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", own.body);
        let second = app
            .post(&path, Some(&prosecutor), json!({"jurisdiction": "ES"}))
            .await;
        assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);

        let shown = app.get(&format!("/api/v1/threads/{id}"), &judge).await;
        let tally = &shown.body["thread"]["analysis"]["endorsements"];
        assert_eq!(
            tally,
            &json!([{"jurisdiction": "ES", "count": 2,
                                    "professions": {"judge": 1, "prosecutor": 1}}])
        );
        assert_eq!(shown.body["thread"]["analysis"]["my_endorsement"], "ES");
        let (_, page) = html(&app, &format!("/t/{id}"), &judge).await;
        assert!(
            page.contains("Accurate for Spain: judge ×1, prosecutor ×1"),
            "{page}"
        );

        let withdrawn = app
            .call(Method::DELETE, &format!("{path}/mine"), Some(&judge), None)
            .await;
        assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);
        let shown = app.get(&format!("/api/v1/threads/{id}"), &judge).await;
        assert_eq!(
            shown.body["thread"]["analysis"]["endorsements"][0]["count"],
            1
        );
        assert_eq!(
            shown.body["thread"]["analysis"]["my_endorsement"],
            Value::Null
        );

        let question = app.thread(&author, category, "A question", "Body").await["id"]
            .as_i64()
            .unwrap();
        let refused = app
            .post(
                &format!("/api/v1/threads/{question}/endorsements"),
                Some(&judge),
                json!({"jurisdiction": "ES"}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let unknown = app
            .post(
                "/api/v1/threads/999999/endorsements",
                Some(&judge),
                json!({"jurisdiction": "ES"}),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
);

both_backends!(
    moderators_see_analyses_due_for_review,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "marie").await);
        let category = app.category(&admin, "medicines").await;
        let mut overdue = record(
            "Written before the last review date passed.",
            &["untoc"],
            &["other"],
        );
        overdue["valid_as_of"] = json!("2020-01-01");
        overdue["review_by"] = json!("2021-01-01");
        let overdue = analysis(
            &app,
            &member,
            category,
            "Overdue analysis",
            &["FR"],
            overdue,
        )
        .await;
        let mut amended = record(
            "Relies on TRIPS as it stood in 2010.",
            &["trips:61"],
            &["piracy"],
        );
        amended["valid_as_of"] = json!("2010-01-01");
        let amended = analysis(
            &app,
            &member,
            category,
            "Pre-amendment TRIPS",
            &["FR"],
            amended,
        )
        .await;
        let current = analysis(
            &app,
            &member,
            category,
            "Current analysis",
            &["FR"],
            record("Still accurate in every respect.", &["untoc"], &["other"]),
        )
        .await;

        let list = app.get("/api/v1/analyses/review", &admin).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let due: Vec<(i64, Value)> = list
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["thread"]["id"].as_i64().unwrap(), i["reasons"].clone()))
            .collect();
        assert!(
            due.contains(&(overdue, json!(["review_by_passed"]))),
            "{due:?}"
        );
        assert!(
            due.contains(&(amended, json!(["instrument_amended:trips"]))),
            "{due:?}"
        );
        assert!(!due.iter().any(|(id, _)| *id == current));
        let shown = app
            .get(&format!("/api/v1/threads/{overdue}"), &member)
            .await;
        assert_eq!(
            shown.body["thread"]["analysis"]["review_reasons"],
            json!(["review_by_passed"])
        );
        let refused = app.get("/api/v1/analyses/review", &member).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let (_, page) = html(&app, "/analyses/review", &admin).await;
        assert!(page.contains("Overdue analysis") && !page.contains("Current analysis"));
    }
);

both_backends!(
    authors_and_moderators_retag_threads_through_the_log,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let author = token(&app.member(&admin, "marie").await);
        let other = token(&app.member(&admin, "jean").await);
        let category = app.category(&admin, "medicines").await;
        let id = app
            .thread(&author, category, "Seizures at the border", "Body")
            .await["id"]
            .as_i64()
            .unwrap();
        let path = format!("/api/v1/threads/{id}");
        let patch = |token: String, body: Value| {
            let app = &app;
            let path = path.clone();
            async move {
                app.call(Method::PATCH, &path, Some(&token), Some(body))
                    .await
            }
        };
        let ok = patch(author.clone(), json!({"jurisdictions": ["ma", "ECOWAS"]})).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert_eq!(ok.body["jurisdictions"], json!(["ECOWAS", "MA"]));
        let bad = patch(author.clone(), json!({"jurisdictions": ["MA", "Atlantis"]})).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.body["error"]["field"], "jurisdictions");
        let refused = patch(other.clone(), json!({"jurisdictions": ["FR"]})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        let moderated = patch(
            admin.clone(),
            json!({"title": "Seizures at the Moroccan border"}),
        )
        .await;
        assert_eq!(moderated.status, StatusCode::OK, "{}", moderated.body);
        assert_eq!(
            moderated.body["jurisdictions"],
            json!(["ECOWAS", "MA"]),
            "unchanged"
        );
        let sn = app.get("/api/v1/threads?jurisdiction=SN", &other).await;
        assert_eq!(ids(&sn.body), vec![id], "ECOWAS covers Senegal");

        let db = app.db.clone();
        let updates = tokio::task::spawn_blocking(move || {
            db.events_after(0, 1000).map(|events| {
                events
                    .into_iter()
                    .filter(|e| e.kind == "thread_updated")
                    .count()
            })
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(updates, 2, "each accepted change is in the event log");
    }
);

both_backends!(
    citations_link_and_cited_by_respects_access,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "marie").await);
        let open = app.category(&admin, "medicines").await;
        let target = analysis(
            &app,
            &member,
            open,
            "UNTOC participation offences",
            &["FR"],
            record(
                "Participation is an autonomous offence in France.",
                &["untoc:5"],
                &["other"],
            ),
        )
        .await;
        let db = app.db.clone();
        let group = tokio::task::spawn_blocking(move || db.create_group("Case team"))
            .await
            .unwrap()
            .unwrap();
        let restricted = app
            .post(
                "/api/v1/categories",
                Some(&admin),
                json!({"slug": "case-room", "name": "Case room", "restricted_to_groups": [group]}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let public = app
            .thread(
                &member,
                open,
                "Follow-up",
                &format!("Building on #{target} and UNTOC art. 5, ask @marie."),
            )
            .await;
        let html = public["body_html"].as_str().unwrap_or_default().to_owned();
        let public_id = public["id"].as_i64().unwrap();
        let secret_id = app
            .thread(
                &admin,
                restricted,
                "Operation in progress",
                &format!("See #{target}."),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let first = app
            .get(&format!("/api/v1/threads/{public_id}"), &member)
            .await;
        let body_html = first.body["posts"][0]["body_html"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            body_html.contains(&format!("href=\"/t/{target}\"")),
            "{body_html} {html}"
        );
        assert!(body_html.contains("href=\"/i/untoc#art-5\""), "{body_html}");
        assert!(body_html.contains("href=\"/u/marie\""), "{body_html}");

        let as_member = app.get(&format!("/api/v1/threads/{target}"), &member).await;
        assert_eq!(
            as_member.body["thread"]["cited_by"],
            json!([{"id": public_id, "title": "Follow-up", "kind": "discussion"}]),
            "the restricted citing thread stays invisible"
        );
        let as_admin = app.get(&format!("/api/v1/threads/{target}"), &admin).await;
        let citing: Vec<i64> = as_admin.body["thread"]["cited_by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(citing, vec![public_id, secret_id]);
    }
);

#[path = "../../../forum-core/tests/support/html_audit.rs"]
mod html_audit;

/// Attack strings beside citations, through the whole server path: the API
/// stores and returns them, the thread page shows them, and neither lets
/// anything that runs script through. A sample of each corpus keeps it
/// quick; the renderer alone sees every string in `forum-core/tests/xss.rs`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xss_beside_citations_survives_neither_api_nor_page() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "medicines").await;
    let target = app
        .thread(&admin, category, "The cited thread", "Body")
        .await["id"]
        .as_i64()
        .unwrap();
    let thread = app.thread(&admin, category, "Attack strings", "Body").await["id"]
        .as_i64()
        .unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/xss");
    let mut payloads = Vec::new();
    for corpus in ["vectors.jsonl", "more-vectors.jsonl"] {
        let text = std::fs::read_to_string(root.join(corpus)).expect("the shared XSS corpus");
        payloads.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .step_by(20)
                .map(|l| {
                    serde_json::from_str::<Value>(l).unwrap()["payload"]
                        .as_str()
                        .unwrap()
                        .to_owned()
                }),
        );
    }
    assert!(payloads.len() > 400, "{} payloads", payloads.len());
    let mut failures = Vec::new();
    for payload in &payloads {
        let body =
            format!("#{target} @admin {payload} UNTOC art. 5{payload} ECLI:FR:CCASS:2019:CR00321");
        let reply = app
            .post(
                &format!("/api/v1/threads/{thread}/posts"),
                Some(&admin),
                json!({"body": body}),
            )
            .await;
        if reply.status != StatusCode::CREATED {
            continue; // refused input (e.g. a NUL character) stores nothing
        }
        let found = html_audit::violations(reply.body["body_html"].as_str().unwrap());
        if !found.is_empty() {
            failures.push(format!("{payload:?}: {found:?}"));
        }
    }
    let (status, page) = html(&app, &format!("/t/{thread}"), &admin).await;
    assert_eq!(status, StatusCode::OK);
    let doc = scraper::Html::parse_document(&page);
    for post in doc.select(&scraper::Selector::parse(".post-body").unwrap()) {
        let found = html_audit::violations(&post.inner_html());
        if !found.is_empty() {
            failures.push(format!("page: {found:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} got through:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let cited = app.get(&format!("/api/v1/threads/{target}"), &admin).await;
    assert_eq!(cited.body["thread"]["cited_by"][0]["id"], thread);
}
