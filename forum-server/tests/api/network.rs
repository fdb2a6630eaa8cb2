//! The expert network through the real server, on both backends: the
//! directory with its filters (regional expansion, languages, subjects)
//! and each member's visibility choice; routed questions — proposals,
//! the weekly cap and pauses, answered and accepted, reminders and
//! escalation on a clock the test moves; the coverage of analyses.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

fn id(login: &Value) -> i64 {
    login["user"]["id"].as_i64().unwrap()
}

fn ids(list: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = list
        .as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    ids
}

async fn profile(app: &TestApp, token: &str, body: Value) -> Reply {
    app.call(Method::PATCH, "/api/v1/me", Some(token), Some(body))
        .await
}

/// Members who know Moroccan law, and some who may not be found.
struct People {
    admin: String,
    moderator: String,
    asker: String,
    asker_id: i64,
    customs: (String, i64),
    judge: (String, i64),
    scholar: (String, i64),
    hidden: i64,
    staff_only: i64,
    paused: i64,
}

async fn people(app: &TestApp) -> People {
    let admin = token(&app.admin().await);
    let moderator = token(&crate::moderation::moderator(app, &admin, "mod_net").await);
    let asker_login = app
        .member_from(&admin, "es_asker", "ES", "prosecutor")
        .await;
    let mut made = Vec::new();
    for (name, country, profession, body) in [
        (
            "ma_customs",
            "MA",
            "customs",
            json!({"display_name": "Zineb Alaoui", "organisation": "Administration des douanes",
                "languages": ["fr", "ar"], "crime_areas": ["smuggling", "illicit_tobacco"],
                "instruments": ["fctc-protocol"], "bio": "Customs law and tobacco smuggling."}),
        ),
        (
            "dz_judge",
            "DZ",
            "judge",
            json!({"display_name": "Émile Benali", "languages": ["ar"],
                "expertise_jurisdictions": ["MA"], "crime_areas": ["smuggling"]}),
        ),
        (
            "fr_scholar",
            "FR",
            "academic",
            json!({"display_name": "Ana Duval", "languages": ["fr", "en"],
                "expertise_jurisdictions": ["M49-015"]}),
        ),
        (
            "ma_hidden",
            "MA",
            "customs",
            json!({"display_name": "Hidden", "directory_visibility": "hidden", "languages": ["fr"]}),
        ),
        (
            "ma_staff",
            "MA",
            "police",
            json!({"display_name": "Staff only", "directory_visibility": "staff"}),
        ),
        (
            "ma_paused",
            "MA",
            "customs",
            json!({"display_name": "Paused", "routing_paused": true, "crime_areas": ["smuggling"]}),
        ),
    ] {
        let login = app.member_from(&admin, name, country, profession).await;
        let t = token(&login);
        let saved = profile(app, &t, body).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        made.push((t, id(&login)));
    }
    let mut made = made.into_iter();
    let mut next = || made.next().unwrap();
    People {
        admin,
        moderator,
        asker: token(&asker_login),
        asker_id: id(&asker_login),
        customs: next(),
        judge: next(),
        scholar: next(),
        hidden: next().1,
        staff_only: next().1,
        paused: next().1,
    }
}

both_backends!(
    the_directory_finds_who_knows_a_jurisdiction_and_respects_each_choice,
    |backend| async move {
        let app = spawn(backend).await;
        let p = people(&app).await;
        let (customs, judge, scholar) = (p.customs.1, p.judge.1, p.scholar.1);

        // Bad values are refused by field, and change nothing.
        let before = app.get("/api/v1/me/profile", &p.customs.0).await;
        assert_eq!(before.body["organisation"], "Administration des douanes");
        for (body, field) in [
            (json!({"languages": ["fr", "french"]}), "languages"),
            (json!({"crime_areas": ["jaywalking"]}), "crime_areas"),
            (json!({"instruments": ["no-such-treaty"]}), "instruments"),
            (
                json!({"expertise_jurisdictions": ["ZZ"]}),
                "expertise_jurisdictions",
            ),
            (
                json!({"directory_visibility": "public"}),
                "directory_visibility",
            ),
            (
                json!({"bio": "x".repeat(2001), "organisation": "Changed"}),
                "bio",
            ),
        ] {
            let refused = profile(&app, &p.customs.0, body).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                refused.body
            );
            assert_eq!(refused.body["error"]["field"], field, "{}", refused.body);
        }
        assert_eq!(
            app.get("/api/v1/me/profile", &p.customs.0).await.body,
            before.body,
            "nothing changed"
        );

        // Who knows Moroccan law: its members, a judge who named it, a
        // scholar of Northern Africa — not the hidden member, nor (for a
        // member) the one visible to staff only.
        let found = app.get("/api/v1/experts?jurisdiction=MA", &p.asker).await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        let mut expected = vec![customs, judge, scholar, p.paused];
        expected.sort_unstable();
        assert_eq!(ids(&found.body), expected, "{}", found.body);
        let staff_view = app
            .get("/api/v1/experts?jurisdiction=MA", &p.moderator)
            .await;
        assert!(ids(&staff_view.body).contains(&p.staff_only));
        assert!(!ids(&staff_view.body).contains(&p.hidden));
        // In French or Arabic.
        let french = app
            .get("/api/v1/experts?jurisdiction=MA&language=fr", &p.asker)
            .await;
        let mut want = vec![customs, scholar];
        want.sort_unstable();
        assert_eq!(ids(&french.body), want);
        let arabic = app
            .get("/api/v1/experts?jurisdiction=MA&language=ar", &p.asker)
            .await;
        let mut want = vec![customs, judge];
        want.sort_unstable();
        assert_eq!(ids(&arabic.body), want);
        // A region finds its members' experts too.
        let region = app
            .get("/api/v1/experts?jurisdiction=M49-015", &p.asker)
            .await;
        for who in [customs, judge, scholar] {
            assert!(ids(&region.body).contains(&who), "{}", region.body);
        }
        let subject = app
            .get(
                "/api/v1/experts?crime_area=illicit_tobacco&instrument=fctc-protocol&profession=customs",
                &p.asker,
            )
            .await;
        assert_eq!(ids(&subject.body), vec![customs]);
        for (query, field) in [
            ("jurisdiction=XX", "jurisdiction"),
            ("language=klingon", "language"),
            ("crime_area=jaywalking", "crime_area"),
            ("instrument=nope", "instrument"),
            ("profession=astronaut", "profession"),
        ] {
            let refused = app.get(&format!("/api/v1/experts?{query}"), &p.asker).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert_eq!(refused.body["error"]["field"], field, "{query}");
        }
        // In the reader's alphabetical order: Ana, Émile, Zineb (not É
        // after Z).
        let ordered = app
            .call(
                Method::GET,
                "/api/v1/experts?jurisdiction=MA&language=fr",
                Some(&p.asker),
                None,
            )
            .await;
        assert_eq!(ordered.body[0]["display_name"], "Ana Duval");
        let all = app.get("/api/v1/experts?jurisdiction=MA", &p.asker).await;
        let names: Vec<&str> = all
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["display_name"].as_str().unwrap())
            .collect();
        let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
        assert!(at("Ana Duval") < at("Émile Benali"), "{names:?}");
        assert!(at("Émile Benali") < at("Zineb Alaoui"), "{names:?}");

        // A profile the reader may not find is not found; one's own is.
        assert_eq!(
            app.get(&format!("/api/v1/experts/{}", p.hidden), &p.asker)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("/api/v1/experts/{}", p.staff_only), &p.asker)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let shown = app
            .get(&format!("/api/v1/experts/{customs}"), &p.asker)
            .await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert_eq!(shown.body["languages"], json!(["ar", "fr"]));
        assert_eq!(shown.body["contributions"]["analyses"], 0);
        assert!(
            shown.body.get("directory_visibility").is_none(),
            "a member's choices are theirs"
        );
        // The directory page shows the same people.
        let page = reqwest::Client::new()
            .get(format!(
                "{}/experts?jurisdiction=MA&language=ar",
                app.address
            ))
            .bearer_auth(&p.asker)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        assert!(html.contains("Zineb Alaoui") && html.contains("Émile Benali"));
        assert!(!html.contains("Ana Duval") && !html.contains("Hidden"));
        let _ = (&p.admin, p.asker_id);
        app.stop().await;
    }
);

both_backends!(
    a_question_reaches_the_experts_is_answered_and_accepted,
    |backend| async move {
        let app = spawn(backend).await;
        let p = people(&app).await;
        let cases = app.category(&p.admin, "cases").await;
        let (customs, judge, scholar) = (p.customs.1, p.judge.1, p.scholar.1);

        // Proposals: of Morocco first, sharing the subject first; never
        // the hidden, the staff-only or the paused member.
        let proposed = app
            .get(
                &format!(
                    "/api/v1/experts/proposals?category_id={cases}&jurisdictions=MA&crime_areas=smuggling"
                ),
                &p.asker,
            )
            .await;
        assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
        let order: Vec<i64> = proposed
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect();
        assert_eq!(order[0], customs, "{}", proposed.body);
        for absent in [p.hidden, p.staff_only, p.paused, p.asker_id] {
            assert!(!order.contains(&absent), "{}", proposed.body);
        }
        let mut routed_expected = vec![customs, judge, scholar];
        routed_expected.sort_unstable();

        // Refused questions store nothing.
        for (body, field) in [
            (
                json!({"category_id": cases, "title": "A question", "body": "Body", "jurisdictions": []}),
                "jurisdictions",
            ),
            (
                json!({"category_id": cases, "title": "A question", "body": "Body", "jurisdictions": ["MA"], "experts": [p.hidden]}),
                "experts",
            ),
            (
                json!({"category_id": cases, "title": "A question", "body": "Body", "jurisdictions": ["MA"], "experts": [p.paused]}),
                "experts",
            ),
            (
                json!({"category_id": cases, "title": "A question", "body": "Body", "jurisdictions": ["MA"], "crime_areas": ["nope"]}),
                "crime_areas",
            ),
        ] {
            let refused = app.post("/api/v1/questions", Some(&p.asker), body).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                refused.body
            );
            assert_eq!(refused.body["error"]["field"], field, "{}", refused.body);
        }
        let listed = app.get("/api/v1/threads", &p.asker).await;
        assert_eq!(listed.body["threads"], json!([]), "nothing stored");

        let asked = app
            .post(
                "/api/v1/questions",
                Some(&p.asker),
                json!({"category_id": cases,
                    "title": "Customs seizure of cigarettes in transit at Tanger Med",
                    "body": "Which offence applies to goods in transit?",
                    "jurisdictions": ["MA"], "crime_areas": ["smuggling"],
                    "experts": [customs, judge, scholar]}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
        let question = asked.body["thread_id"].as_i64().unwrap();
        let mut routed: Vec<i64> = asked.body["routed_to"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect();
        routed.sort_unstable();
        assert_eq!(routed, routed_expected);
        for (expert, _) in [&p.customs, &p.judge, &p.scholar] {
            let inbox = app.get("/api/v1/notifications", expert).await;
            assert!(
                inbox.body["notifications"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|n| n["kind"] == "routed_question" && n["thread_id"] == question),
                "{}",
                inbox.body
            );
        }
        let shown = app
            .get(&format!("/api/v1/questions/{question}"), &p.asker)
            .await;
        assert_eq!(shown.body["status"], "open", "{}", shown.body);
        assert_eq!(shown.body["first_answer_at"], Value::Null);

        // Two more questions fill Zineb's week (cap 3): a fourth is not
        // proposed to her, and naming her is refused.
        let mut unanswered = 0;
        for n in 0..2 {
            let more = app
                .post(
                    "/api/v1/questions",
                    Some(&p.asker),
                    json!({"category_id": cases, "title": format!("Tobacco question {n}"),
                        "body": "Another question.", "jurisdictions": ["MA"],
                        "experts": [customs]}),
                )
                .await;
            assert_eq!(more.status, StatusCode::CREATED, "{}", more.body);
            unanswered = more.body["thread_id"].as_i64().unwrap();
        }
        let capped = app
            .post(
                "/api/v1/questions",
                Some(&p.asker),
                json!({"category_id": cases, "title": "One too many", "body": "B",
                    "jurisdictions": ["MA"], "experts": [customs]}),
            )
            .await;
        assert_eq!(
            capped.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            capped.body
        );
        assert_eq!(capped.body["error"]["field"], "experts");
        let proposed = app
            .get(
                &format!("/api/v1/experts/proposals?category_id={cases}&jurisdictions=MA"),
                &p.asker,
            )
            .await;
        assert!(!ids(&proposed.body).contains(&customs), "{}", proposed.body);

        // The judge answers: answered. Only the asker may accept, and not
        // their own post.
        let answer = app
            .post(
                &format!("/api/v1/threads/{question}/posts"),
                Some(&p.judge.0),
                json!({"body": "Article 282 of the Customs Code applies to goods in transit."}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        let answer_id = answer.body["id"].as_i64().unwrap();
        let shown = app
            .get(&format!("/api/v1/questions/{question}"), &p.asker)
            .await;
        assert_eq!(shown.body["status"], "answered", "{}", shown.body);
        assert!(shown.body["first_answer_at"].is_string());
        let own = app
            .post(
                &format!("/api/v1/threads/{question}/posts"),
                Some(&p.asker),
                json!({"body": "Thank you."}),
            )
            .await;
        let refused = app
            .post(
                &format!("/api/v1/questions/{question}/accept"),
                Some(&p.judge.0),
                json!({"post_id": answer_id}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        let refused = app
            .post(
                &format!("/api/v1/questions/{question}/accept"),
                Some(&p.asker),
                json!({"post_id": own.body["id"]}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let accepted = app
            .post(
                &format!("/api/v1/questions/{question}/accept"),
                Some(&p.asker),
                json!({"post_id": answer_id}),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
        assert_eq!(accepted.body["status"], "accepted");
        assert_eq!(accepted.body["accepted_post_id"], answer_id);
        let inbox = app.get("/api/v1/notifications", &p.judge.0).await;
        assert!(
            inbox.body["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["kind"] == "answer_accepted" && n["thread_id"] == question),
            "{}",
            inbox.body
        );
        let judge_profile = app.get(&format!("/api/v1/experts/{judge}"), &p.asker).await;
        assert_eq!(judge_profile.body["contributions"]["answers_accepted"], 1);

        // A week later the unanswered questions are recalled to their
        // experts, once; a fortnight later the moderators hear of them.
        let db = app.db.clone();
        let now = chrono::Utc::now().naive_utc();
        let reminded = tokio::task::spawn_blocking({
            let db = db.clone();
            move || {
                let first = db
                    .notify_routing_due(now + chrono::Duration::days(8))
                    .unwrap();
                let again = db
                    .notify_routing_due(now + chrono::Duration::days(9))
                    .unwrap();
                (first, again)
            }
        })
        .await
        .unwrap();
        assert_eq!(
            reminded,
            (2, 0),
            "two open questions, one expert each, once"
        );
        let inbox = app.get("/api/v1/notifications", &p.customs.0).await;
        assert!(
            inbox.body.to_string().contains("reminder"),
            "{}",
            inbox.body
        );
        let moderator_inbox = app.get("/api/v1/notifications", &p.moderator).await;
        assert!(!moderator_inbox.body.to_string().contains("escalated"));
        let escalated = tokio::task::spawn_blocking(move || {
            db.notify_routing_due(now + chrono::Duration::days(15))
                .unwrap()
        })
        .await
        .unwrap();
        assert_eq!(escalated, 4, "two questions × two staff (admin, moderator)");
        let moderator_inbox = app.get("/api/v1/notifications", &p.moderator).await;
        assert!(
            moderator_inbox.body["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["kind"] == "routed_question" && n["thread_id"] == unanswered),
            "{}",
            moderator_inbox.body
        );
        // Staff see the figures per country.
        let stats = app.get("/api/v1/questions/stats", &p.moderator).await;
        assert_eq!(stats.status, StatusCode::OK, "{}", stats.body);
        let ma = stats
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["jurisdiction"] == "MA")
            .cloned()
            .unwrap();
        assert_eq!(ma["open"], 2, "{ma}");
        assert_eq!(ma["answered"], 1, "{ma}");
        assert!(ma["median_hours_to_answer"].is_number(), "{ma}");
        assert_eq!(
            app.get("/api/v1/questions/stats", &p.asker).await.status,
            StatusCode::FORBIDDEN
        );
        let mine = app.get("/api/v1/questions?status=open", &p.customs.0).await;
        assert_eq!(mine.body.as_array().unwrap().len(), 2, "{}", mine.body);
        app.stop().await;
    }
);

both_backends!(
    a_routed_question_is_only_for_its_threads_readers,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let insider_login = app.member(&admin, "insider").await;
        let insider = token(&insider_login);
        let expert_login = app.member_from(&admin, "be_expert", "BE", "judge").await;
        let outsider = token(&app.member_from(&admin, "outsider", "BE", "judge").await);
        let group = app
            .post(
                "/api/v1/groups",
                Some(&admin),
                json!({"name": "Legal office"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        for member in [id(&insider_login), id(&expert_login)] {
            let joined = app
                .post(
                    &format!("/api/v1/groups/{group}/members"),
                    Some(&admin),
                    json!({"user_id": member}),
                )
                .await;
            assert_eq!(joined.status, StatusCode::NO_CONTENT);
        }
        let closed = app
            .post(
                "/api/v1/categories",
                Some(&admin),
                json!({"slug": "advice", "name": "Advice", "restricted_to_groups": [group]}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let asked = app
            .post(
                "/api/v1/questions",
                Some(&insider),
                json!({"category_id": closed, "title": "Closed question", "body": "B",
                    "jurisdictions": ["BE"]}),
            )
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
        assert_eq!(
            asked.body["routed_to"],
            json!([id(&expert_login)]),
            "only an expert who may read the category"
        );
        let question = asked.body["thread_id"].as_i64().unwrap();
        let shown = app
            .get(&format!("/api/v1/questions/{question}"), &outsider)
            .await;
        assert_eq!(shown.status, StatusCode::NOT_FOUND);
        let accept = app
            .post(
                &format!("/api/v1/questions/{question}/accept"),
                Some(&outsider),
                json!({"post_id": 1}),
            )
            .await;
        assert_eq!(accept.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.get("/api/v1/questions", &outsider).await.body,
            json!([])
        );
        assert_eq!(
            app.get(&format!("/api/v1/questions/{question}"), &insider)
                .await
                .status,
            StatusCode::OK
        );
        app.stop().await;
    }
);

both_backends!(
    coverage_counts_the_analyses_a_reader_may_read,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let cases = app.category(&admin, "cases").await;
        let author = token(&app.member_from(&admin, "author", "FR", "judge").await);
        let spaniard = token(&app.member_from(&admin, "es_reader", "ES", "judge").await);
        let analysis = |title: &str, codes: Value, instruments: Value, extra: Value| {
            let mut body = json!({"category_id": cases, "kind": "analysis", "title": title,
                "body": "Body of the analysis.", "jurisdictions": codes,
                "analysis": {"summary": "A summary of the analysis.", "language": "en",
                    "instruments": instruments, "crime_areas": ["illicit_tobacco"],
                    "legal_provisions": [], "case_citations": [],
                    "valid_as_of": "2026-01-01", "review_by": "2030-01-01"}});
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            body
        };
        for (title, codes, instruments, extra) in [
            (
                "Protocol in France",
                json!(["FR"]),
                json!(["fctc-protocol"]),
                json!({}),
            ),
            (
                "Palermo in France",
                json!(["FR"]),
                json!(["untoc"]),
                json!({}),
            ),
            (
                "Protocol across the EU",
                json!(["EU", "BE"]),
                json!(["fctc-protocol"]),
                json!({}),
            ),
            (
                "Marked for France only",
                json!(["MA"]),
                json!(["fctc-protocol"]),
                json!({"mark": "AMBER+STRICT", "mark_recipients": {"countries": ["FR"]}}),
            ),
        ] {
            let made = app
                .post(
                    "/api/v1/threads",
                    Some(&author),
                    analysis(title, codes, instruments, extra),
                )
                .await;
            assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        }
        let seen = app.get("/api/v1/coverage", &author).await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
        assert_eq!(
            seen.body["jurisdictions"],
            json!({"BE": 1, "EU": 1, "FR": 2, "MA": 1})
        );
        assert_eq!(
            seen.body["matrix"]["FR"],
            json!({"fctc-protocol": 1, "untoc": 1})
        );
        let protocol = app
            .get("/api/v1/coverage?instrument=fctc-protocol", &author)
            .await;
        assert_eq!(
            protocol.body["jurisdictions"],
            json!({"BE": 1, "EU": 1, "FR": 1, "MA": 1})
        );
        let by_area = app.get("/api/v1/coverage?by=crime_area", &author).await;
        assert_eq!(by_area.body["matrix"]["FR"], json!({"illicit_tobacco": 2}));
        // The marked analysis is no trace for the Spaniard.
        let spanish = app.get("/api/v1/coverage", &spaniard).await;
        assert_eq!(
            spanish.body["jurisdictions"],
            json!({"BE": 1, "EU": 1, "FR": 2})
        );
        // The map: one shape per country, each with its title and count;
        // a gap in the table leads to a question.
        let page = reqwest::Client::new()
            .get(format!("{}/coverage", app.address))
            .bearer_auth(&spaniard)
            .header("Accept-Language", "en")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        let shapes = html.matches("<path ").count();
        assert!(shapes > 150, "{shapes} shapes");
        let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
        assert_eq!(
            svg.matches("<title").count(),
            shapes + 1,
            "a title per shape, and the map's"
        );
        assert!(html.contains("<title>France (FR): 2 analyses</title>"));
        assert!(
            html.contains("<title>Morocco (MA): 0 analyses</title>"),
            "the marked analysis is no trace"
        );
        assert!(
            html.contains("/questions/new?jurisdictions=BE&#38;instrument=untoc"),
            "a gap leads to a question"
        );
        for (query, field) in [
            ("instrument=nope", "instrument"),
            ("crime_area=nope", "crime_area"),
            ("by=colour", "by"),
        ] {
            let refused = app.get(&format!("/api/v1/coverage?{query}"), &author).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            assert_eq!(refused.body["error"]["field"], field);
        }
        app.stop().await;
    }
);
