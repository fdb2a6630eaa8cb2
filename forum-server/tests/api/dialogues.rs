//! Dialogue publications through the real server, on both backends: staff
//! compile "Country dialogue: Morocco 2026" from analyses and a
//! colloquium's conclusions; only CLEAR and GREEN material goes in, and a
//! chapter later marked stricter leaves the page and the PDF.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

fn record(summary: &str) -> Value {
    json!({
        "summary": summary,
        "language": "en",
        "instruments": ["fctc-protocol"],
        "crime_areas": ["illicit_tobacco"],
        "legal_provisions": [{"jurisdiction": "MA", "text": "Code des douanes, art. 281"}],
        "case_citations": [{"court": "Cour de cassation (Maroc)", "date": "2021-05-12", "reference": "1234/2021"}],
        "valid_as_of": "2026-01-01",
        "review_by": "2030-01-01",
    })
}

async fn analysis(app: &TestApp, token: &str, category: i64, title: &str, mark: &str) -> i64 {
    let reply = app
        .post(
            "/api/v1/threads",
            Some(token),
            json!({"category_id": category, "title": title, "kind": "analysis", "jurisdictions": ["MA"],
                   "body": format!("{title}: the analysis in full."), "mark": mark,
                   "analysis": record(&format!("{title} in one paragraph."))}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

both_backends!(
    a_dialogue_publishes_only_green_material_with_contents_citations_and_a_pdf,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let office = token(&crate::moderation::moderator(&app, &admin, "legal_office").await);
        let author = token(&app.member_from(&admin, "ma_judge", "MA", "judge").await);
        let reader = token(
            &app.member_from(&admin, "es_reader", "ES", "prosecutor")
                .await,
        );
        let category = app.category(&admin, "analyses").await;
        let green = analysis(
            &app,
            &author,
            category,
            "Smuggling of cigarettes in Morocco",
            "GREEN",
        )
        .await;
        let clear = analysis(
            &app,
            &author,
            category,
            "Customs penalties in Morocco",
            "CLEAR",
        )
        .await;
        let amber = analysis(&app, &author, category, "A pending Moroccan case", "AMBER").await;
        let discussion = app
            .thread(&author, category, "Just a discussion", "Talk.")
            .await["id"]
            .as_i64()
            .unwrap();
        let now = chrono::Utc::now();
        let colloquium = app
            .post("/api/v1/colloquia", Some(&office), json!({"title": "Online sales of falsified cigarettes",
                "agenda": "1. Offences", "opens_at": (now - chrono::Duration::days(2)).to_rfc3339(),
                "closes_at": (now - chrono::Duration::days(1)).to_rfc3339(), "publish_category_id": category}))
            .await;
        let colloquium = colloquium.body["id"].as_i64().unwrap();
        app.post(
            &format!("/api/v1/colloquia/{colloquium}/conclusions"),
            Some(&office),
            json!({"body": "Online sales are illicit trade."}),
        )
        .await;
        let published = app
            .post(
                &format!("/api/v1/colloquia/{colloquium}/conclusions/publish"),
                Some(&office),
                json!({}),
            )
            .await;
        let conclusions = published.body["conclusions_thread_id"].as_i64().unwrap();

        // Refused compilations store nothing.
        let base = json!({"title": "Country dialogue: Morocco 2026", "intro": "What Moroccan law says, **in brief**.",
                          "jurisdictions": ["MA"], "thread_ids": [green, conclusions, clear]});
        assert_eq!(
            app.post("/api/v1/dialogues", Some(&author), base.clone())
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        for threads in [
            json!([amber]),
            json!([discussion]),
            json!([green, green]),
            json!([999_999]),
            json!([]),
        ] {
            let mut body = base.clone();
            body["thread_ids"] = threads.clone();
            let refused = app.post("/api/v1/dialogues", Some(&office), body).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{threads}: {}",
                refused.body
            );
            assert_eq!(refused.body["error"]["field"], "thread_ids");
        }
        let mut bad = base.clone();
        bad["jurisdictions"] = json!(["XX"]);
        assert_eq!(
            app.post("/api/v1/dialogues", Some(&office), bad)
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(app.get("/api/v1/dialogues", &reader).await.body, json!([]));

        let created = app
            .post("/api/v1/dialogues", Some(&office), base.clone())
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.body["id"].as_i64().unwrap();
        let d = app
            .get(&format!("/api/v1/dialogues/{id}"), &reader)
            .await
            .body;
        let order: Vec<i64> = d["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["thread_id"].as_i64().unwrap())
            .collect();
        assert_eq!(
            order,
            vec![green, conclusions, clear],
            "in the order compiled"
        );
        assert_eq!(d["mark"], "GREEN");
        assert_eq!(
            d["chapters"][0]["summary"],
            "Smuggling of cigarettes in Morocco in one paragraph."
        );
        assert_eq!(
            d["chapters"][0]["legal_provisions"],
            json!(["MA: Code des douanes, art. 281"])
        );
        assert_eq!(
            d["chapters"][0]["case_citations"],
            json!(["Cour de cassation (Maroc), 2021-05-12, 1234/2021"])
        );
        assert_eq!(d["chapters"][1]["colloquium_id"], colloquium);
        assert!(
            d["intro_html"]
                .as_str()
                .unwrap()
                .contains("<strong>in brief</strong>")
        );
        assert_eq!(
            app.get("/api/v1/dialogues", &reader).await.body[0]["chapters"],
            3
        );

        // The page: a title page, contents, chapters with citations.
        let page = app
            .client
            .get(format!("{}/dialogues/{id}", app.address))
            .bearer_auth(&reader)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.unwrap();
        for needle in [
            "id=\"contents-heading\"",
            "href=\"#chapter-3\"",
            "Cite as:",
            "Code des douanes, art. 281",
            "TLP:GREEN",
        ] {
            assert!(page.contains(needle), "{needle}");
        }
        // The PDF: the mark on every page, every chapter, its contents.
        let pdf = app
            .client
            .get(format!("{}/api/v1/dialogues/{id}/pdf", app.address))
            .bearer_auth(&reader)
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), StatusCode::OK);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let pdf = String::from_utf8_lossy(&pdf.bytes().await.unwrap()).into_owned();
        assert!(pdf.starts_with("%PDF"));
        for needle in [
            "TLP:GREEN - page 1 of",
            "CONTENTS",
            "SMUGGLING OF CIGARETTES IN MOROCCO",
            "Online sales are illicit trade.",
            "Cite as:",
        ] {
            assert!(pdf.contains(needle), "{needle} in the PDF");
        }

        // A chapter marked AMBER since leaves the page and the PDF.
        let remarked = app
            .call(
                Method::PATCH,
                &format!("/api/v1/threads/{green}"),
                Some(&author),
                Some(json!({"mark": "AMBER"})),
            )
            .await;
        assert_eq!(remarked.status, StatusCode::OK, "{}", remarked.body);
        let d = app
            .get(&format!("/api/v1/dialogues/{id}"), &reader)
            .await
            .body;
        assert_eq!(d["chapters"].as_array().unwrap().len(), 2, "{d}");
        assert_eq!(d["omitted"], 1);
        let pdf = app
            .client
            .get(format!("{}/dialogues/{id}/pdf", app.address))
            .bearer_auth(&reader)
            .send()
            .await
            .unwrap();
        let pdf = String::from_utf8_lossy(&pdf.bytes().await.unwrap()).into_owned();
        assert!(
            !pdf.contains("SMUGGLING OF CIGARETTES"),
            "the AMBER chapter is gone from the PDF"
        );
        assert!(!pdf.contains("TLP:AMBER"));

        // Staff edit it (the same rules apply).
        let mut edit = base.clone();
        edit["thread_ids"] = json!([clear]);
        let updated = app
            .call(
                Method::PUT,
                &format!("/api/v1/dialogues/{id}"),
                Some(&office),
                Some(edit),
            )
            .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        assert_eq!(updated.body["chapters"].as_array().unwrap().len(), 1);
        assert_eq!(updated.body["mark"], "CLEAR");
        let mut edit = base.clone();
        edit["thread_ids"] = json!([green]);
        assert_eq!(
            app.call(
                Method::PUT,
                &format!("/api/v1/dialogues/{id}"),
                Some(&office),
                Some(edit)
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            app.call(
                Method::PUT,
                &format!("/api/v1/dialogues/{id}"),
                Some(&author),
                Some(base)
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
    }
);
