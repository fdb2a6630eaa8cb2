//! Advice requests to the legal office through the real server, on both
//! backends: a Moroccan officer files a confidential request with a file;
//! only they and the office ever see it (thread, list, search, file,
//! notifications); the office assigns it, keeps private notes, gives its
//! advice and closes it; with the requester's consent it publishes an
//! anonymised analysis linking back.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

fn user_id(login: &Value) -> i64 {
    login["user"]["id"].as_i64().unwrap()
}

both_backends!(
    an_advice_request_is_seen_only_by_its_requester_and_the_office_and_published_with_consent,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let moderator = token(&crate::moderation::moderator(&app, &admin, "mod_advice").await);
        let counsel_login = app
            .member_from(&admin, "lo_counsel", "FR", "prosecutor")
            .await;
        let second_login = app.member_from(&admin, "lo_second", "ES", "judge").await;
        let requester_login = app.member_from(&admin, "ma_officer", "MA", "customs").await;
        let colleague = token(
            &app.member_from(&admin, "ma_colleague", "MA", "customs")
                .await,
        );
        let office = app
            .post(
                "/api/v1/groups",
                Some(&admin),
                json!({"name": "Legal office"}),
            )
            .await;
        assert_eq!(office.status, StatusCode::CREATED, "{}", office.body);
        let office = office.body["id"].as_i64().unwrap();
        for login in [&counsel_login, &second_login] {
            let added = app
                .post(
                    &format!("/api/v1/groups/{office}/members"),
                    Some(&admin),
                    json!({"user_id": user_id(login)}),
                )
                .await;
            assert!(added.status.is_success(), "{}", added.body);
        }
        let counsel = token(&app.login("lo_counsel", PASSWORD).await);
        let second = token(&app.login("lo_second", PASSWORD).await);
        let second_id = user_id(&second_login);
        let requester = token(&requester_login);
        let category = app.category(&admin, "cases").await;

        // Filed with a file; a bad request stores nothing.
        let file = crate::attachments::upload(
            &app,
            &requester,
            "seizure-report.pdf",
            crate::attachments::pdf(
                &["Seizure of 4,000 packs of falsified cigarettes: xylophone"],
                "Customs",
            ),
        )
        .await;
        assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
        let file_url = file.body["url"].as_str().unwrap().to_owned();
        let refused = app
            .post(
                "/api/v1/advice",
                Some(&requester),
                json!({"category_id": category, "title": "x", "body": "Case"}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(app.get("/api/v1/advice", &requester).await.body, json!([]));
        let filed = app
            .post(
                "/api/v1/advice",
                Some(&requester),
                json!({"category_id": category, "title": "Online sale of falsified cigarettes: which offence?",
                       "body": "Our customs seized a parcel ordered online: xylophone. Which offence applies under the FCTC Protocol?",
                       "jurisdictions": ["MA"], "attachments": [file.body["id"]]}),
            )
            .await;
        assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
        let thread = filed.body["thread_id"].as_i64().unwrap();
        assert_eq!(filed.body["status"], "received");
        assert_eq!(filed.body["office"], false);
        let due =
            chrono::DateTime::parse_from_rfc3339(filed.body["due_at"].as_str().unwrap()).unwrap();
        let days = (due.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_days();
        assert!((29..=30).contains(&days), "due in 30 days: {days}");
        let as_thread = app
            .get(&format!("/api/v1/threads/{thread}"), &requester)
            .await;
        assert_eq!(
            as_thread.body["thread"]["mark"], "RED",
            "{}",
            as_thread.body
        );

        // Only the requester and the office see it, on every path.
        app.indexed().await;
        app.notified().await;
        for (who, t, sees) in [
            ("requester", &requester, true),
            ("counsel", &counsel, true),
            ("second", &second, true),
            ("colleague", &colleague, false),
            ("moderator", &moderator, false),
            ("admin", &admin, false),
        ] {
            let status = |ok: bool| {
                if ok {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                }
            };
            assert_eq!(
                app.get(&format!("/api/v1/advice/{thread}"), t).await.status,
                status(sees),
                "{who} request"
            );
            assert_eq!(
                app.get(&format!("/api/v1/threads/{thread}"), t)
                    .await
                    .status,
                status(sees),
                "{who} thread"
            );
            let listed = app.get("/api/v1/advice", t).await.body;
            assert_eq!(
                listed.as_array().unwrap().len(),
                usize::from(sees),
                "{who} list: {listed}"
            );
            let threads = app.get("/api/v1/threads", t).await.body.to_string();
            assert_eq!(
                threads.contains("falsified cigarettes"),
                sees,
                "{who} thread list"
            );
            let found = app.get("/api/v1/search?q=xylophone", t).await;
            assert_eq!(
                found.body["total"].as_i64().unwrap() > 0,
                sees,
                "{who} search: {}",
                found.body
            );
            let fetched = app
                .client
                .get(format!("{}{file_url}", app.address))
                .bearer_auth(t)
                .send()
                .await
                .unwrap();
            assert_eq!(fetched.status(), status(sees), "{who} file");
            let page = app
                .client
                .get(format!("{}/advice/{thread}", app.address))
                .bearer_auth(t)
                .send()
                .await
                .unwrap();
            assert_eq!(page.status(), status(sees), "{who} page");
        }
        let inbox = app.get("/api/v1/notifications", &counsel).await;
        assert!(
            inbox.body["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["kind"] == "advice_requested" && n["thread_id"] == thread),
            "{}",
            inbox.body
        );
        assert!(
            !app.get("/api/v1/notifications", &colleague)
                .await
                .body
                .to_string()
                .contains("advice_requested")
        );

        // The office works it: assigned (only to one of its own, only by
        // the office), private notes, advice, closed.
        let by_requester = app
            .post(
                &format!("/api/v1/advice/{thread}/assign"),
                Some(&requester),
                json!({}),
            )
            .await;
        assert_eq!(by_requester.status, StatusCode::FORBIDDEN);
        let outsider = app
            .post(
                &format!("/api/v1/advice/{thread}/assign"),
                Some(&counsel),
                json!({"assignee_id": user_id(&requester_login)}),
            )
            .await;
        assert_eq!(outsider.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(outsider.body["error"]["field"], "assignee_id");
        let due_at = (chrono::Utc::now() + chrono::Duration::days(10)).to_rfc3339();
        let assigned = app
            .post(
                &format!("/api/v1/advice/{thread}/assign"),
                Some(&counsel),
                json!({"assignee_id": second_id, "due_at": due_at}),
            )
            .await;
        assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
        assert_eq!(assigned.body["status"], "assigned");
        assert_eq!(assigned.body["assignee"]["id"], second_id);
        let noted = app
            .post(
                &format!("/api/v1/advice/{thread}/notes"),
                Some(&counsel),
                json!({"body": "Compare the Tangier judgment of 2021."}),
            )
            .await;
        assert_eq!(noted.status, StatusCode::CREATED, "{}", noted.body);
        assert_eq!(
            app.get(&format!("/api/v1/advice/{thread}"), &second)
                .await
                .body["notes"][0]["body"],
            "Compare the Tangier judgment of 2021."
        );
        let for_requester = app
            .get(&format!("/api/v1/advice/{thread}"), &requester)
            .await
            .body;
        assert_eq!(
            for_requester["notes"],
            json!([]),
            "notes stay in the office"
        );
        assert!(!for_requester.to_string().contains("Tangier"));
        assert_eq!(
            app.post(
                &format!("/api/v1/advice/{thread}/notes"),
                Some(&requester),
                json!({"body": "mine"})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let early = app
            .post(
                &format!("/api/v1/advice/{thread}/publish"),
                Some(&counsel),
                json!({"category_id": category, "title": "t", "body": "b", "analysis": {}}),
            )
            .await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            early.body
        );
        let advised = app
            .post(&format!("/api/v1/advice/{thread}/advice"), Some(&second), json!({"body": "Article 14 of the Protocol: illicit trade by online sale is an offence to establish."}))
            .await;
        assert_eq!(advised.status, StatusCode::OK, "{}", advised.body);
        assert_eq!(advised.body["status"], "advice_given");
        let advice_post = advised.body["advice_post_id"].as_i64().unwrap();
        let thread_view = app
            .get(&format!("/api/v1/threads/{thread}"), &requester)
            .await
            .body;
        assert!(
            thread_view["posts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == advice_post),
            "the requester reads the advice"
        );
        app.notified().await;
        let inbox = app.get("/api/v1/notifications", &requester).await;
        assert!(
            inbox.body["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["kind"] == "advice_given" && n["thread_id"] == thread),
            "{}",
            inbox.body
        );
        assert_eq!(
            app.post(
                &format!("/api/v1/advice/{thread}/close"),
                Some(&requester),
                json!({})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let closed = app
            .post(
                &format!("/api/v1/advice/{thread}/close"),
                Some(&counsel),
                json!({}),
            )
            .await;
        assert_eq!(closed.body["status"], "closed", "{}", closed.body);

        // Published only with the requester's consent, as an analysis
        // every member reads, linking back.
        let analysis = json!({
            "summary": "Online sales of falsified cigarettes are illicit trade under the FCTC Protocol.",
            "language": "en", "instruments": ["fctc-protocol"], "crime_areas": ["illicit_tobacco"],
            "legal_provisions": [{"jurisdiction": "MA", "text": "Code des douanes, art. 281"}],
            "case_citations": [], "valid_as_of": "2026-01-01", "review_by": "2028-01-01",
        });
        let publication = json!({"category_id": category, "title": "Online sales of falsified cigarettes under the Protocol",
                                 "body": "A customs administration asked which offence applies; the office advised Article 14.",
                                 "jurisdictions": ["MA"], "analysis": analysis});
        let no_consent = app
            .post(
                &format!("/api/v1/advice/{thread}/publish"),
                Some(&counsel),
                publication.clone(),
            )
            .await;
        assert_eq!(no_consent.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(no_consent.body["error"]["field"], "consent");
        assert_eq!(
            app.post(
                &format!("/api/v1/advice/{thread}/consent"),
                Some(&counsel),
                json!({"consent": true})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let consented = app
            .post(
                &format!("/api/v1/advice/{thread}/consent"),
                Some(&requester),
                json!({"consent": true}),
            )
            .await;
        assert_eq!(
            consented.body["publish_consent"], true,
            "{}",
            consented.body
        );
        let published = app
            .post(
                &format!("/api/v1/advice/{thread}/publish"),
                Some(&counsel),
                publication.clone(),
            )
            .await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        let analysis_thread = published.body["published_thread_id"].as_i64().unwrap();
        let read = app
            .get(&format!("/api/v1/threads/{analysis_thread}"), &colleague)
            .await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(read.body["thread"]["kind"], "analysis");
        assert!(
            read.body.to_string().contains(&format!("/advice/{thread}")),
            "links back"
        );
        assert!(
            !read.body.to_string().contains("xylophone"),
            "nothing of the request itself"
        );
        assert_eq!(
            app.get(&format!("/api/v1/advice/{thread}"), &colleague)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.post(
                &format!("/api/v1/advice/{thread}/publish"),
                Some(&counsel),
                publication
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        // Every step is on record, for both sides.
        let steps: Vec<String> = app
            .get(&format!("/api/v1/advice/{thread}"), &requester)
            .await
            .body["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["action"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            steps,
            [
                "received",
                "assigned",
                "note",
                "advice_given",
                "closed",
                "consent",
                "published"
            ]
        );
    }
);
