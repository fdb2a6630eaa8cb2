//! Categories, threads, posts, edits, revisions, validation and the event
//! log.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends!(threads_posts_and_edits_round_trip, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let member = token(&app.member(&admin, "marie").await);
    let category = app.category(&admin, "medicines").await;

    let created = app
        .post(
            "/api/v1/threads",
            Some(&member),
            json!({"category_id": category, "title": "Falsified medicines under MEDICRIME",
                   "body": "Article 5 requires[^1] criminalising manufacture.\n\n[^1]: CETS 211.",
                   "kind": "question", "jurisdictions": ["fr", "MA", "FR"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let thread_id = created.body["id"].as_i64().unwrap();
    let first_post = created.body["first_post_id"].as_i64().unwrap();
    assert_eq!(created.body["jurisdictions"], json!(["FR", "MA"]));
    assert_eq!(created.body["kind"], "question");

    let reply = app
        .post(
            &format!("/api/v1/threads/{thread_id}/posts"),
            Some(&admin),
            json!({"body": "In Morocco, see <script>alert(1)</script> **Law 17-04**.", "reply_to": first_post}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let reply_id = reply.body["id"].as_i64().unwrap();
    let html = reply.body["body_html"].as_str().unwrap();
    assert!(
        html.contains("<strong>Law 17-04</strong>") && !html.contains("<script"),
        "{html}"
    );

    let shown = app
        .get(&format!("/api/v1/threads/{thread_id}"), &member)
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(
        shown.body["thread"]["title"],
        "Falsified medicines under MEDICRIME"
    );
    assert_eq!(shown.body["thread"]["locked"], false);
    let posts = shown.body["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[1]["reply_to"], first_post);
    assert_eq!(posts[1]["author"]["username"], "admin");
    assert!(
        posts[0]["body_html"]
            .as_str()
            .unwrap()
            .contains("footnote-definition")
    );

    // Edit twice; every revision is kept.
    let edit = |body: &'static str, reason: Option<&'static str>| {
        let app = &app;
        let member = member.clone();
        async move {
            app.call(
                Method::PATCH,
                &format!("/api/v1/posts/{first_post}"),
                Some(&member),
                Some(json!({"body": body, "edit_reason": reason})),
            )
            .await
        }
    };
    let e1 = edit(
        "Article 5 requires criminalising manufacture and supply.",
        Some("added supply"),
    )
    .await;
    assert_eq!(e1.status, StatusCode::OK, "{}", e1.body);
    assert_eq!(e1.body["revision"], 2);
    assert!(e1.body["edited_at"].is_string());
    let e2 = edit(
        "Articles 5 and 6 require criminalising manufacture and supply.",
        None,
    )
    .await;
    assert_eq!(e2.status, StatusCode::OK);
    let revisions = app
        .get(&format!("/api/v1/posts/{first_post}/revisions"), &member)
        .await;
    let list = revisions.body.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["revision"], 1);
    assert!(
        list[0]["body"]
            .as_str()
            .unwrap()
            .starts_with("Article 5 requires[^1]")
    );
    assert_eq!(list[1]["reason"], "added supply");
    assert_eq!(list[2]["edited_by"]["username"], "marie");

    // Someone else's post cannot be edited by a member.
    let foreign = app
        .call(
            Method::PATCH,
            &format!("/api/v1/posts/{reply_id}"),
            Some(&member),
            Some(json!({"body": "mine now"})),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);

    let list = app
        .get(&format!("/api/v1/threads?category={category}"), &member)
        .await;
    assert_eq!(list.body["threads"][0]["post_count"], 2);
    let by_code = app.get("/api/v1/threads?jurisdiction=ma", &member).await;
    assert_eq!(by_code.body["threads"].as_array().unwrap().len(), 1);
    let other_code = app.get("/api/v1/threads?jurisdiction=ES", &member).await;
    assert_eq!(other_code.body["threads"].as_array().unwrap().len(), 0);
    let by_kind = app.get("/api/v1/threads?kind=analysis", &member).await;
    assert_eq!(by_kind.body["threads"].as_array().unwrap().len(), 0);

    // Several threads by one author all name the author.
    app.thread(&member, category, "A second question", "Body")
        .await;
    let all = app.get("/api/v1/threads", &member).await;
    let threads = all.body["threads"].as_array().unwrap();
    assert_eq!(threads.len(), 2);
    for t in threads {
        assert_eq!(t["author"]["username"], "marie", "{t}");
    }
});

both_backends!(
    changes_are_written_to_the_event_log_in_order,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "ip-crime").await;
        let start = {
            let db = app.db.clone();
            tokio::task::spawn_blocking(move || db.last_event_seq())
                .await
                .unwrap()
                .unwrap()
        };
        let thread = app
            .thread(&admin, category, "Trademark counterfeiting", "Opening post")
            .await;
        let thread_id = thread["id"].as_i64().unwrap();
        let reply = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&admin),
                json!({"body": "A reply"}),
            )
            .await;
        let reply_id = reply.body["id"].as_i64().unwrap();
        app.call(
            Method::PATCH,
            &format!("/api/v1/posts/{reply_id}"),
            Some(&admin),
            Some(json!({"body": "Edited"})),
        )
        .await;
        let db = app.db.clone();
        let events = tokio::task::spawn_blocking(move || db.events_after(start, 100))
            .await
            .unwrap()
            .unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["thread_created", "post_created", "post_edited"]);
        assert!(events.windows(2).all(|w| w[0].seq < w[1].seq));
        assert!(events.iter().all(|e| {
            e.thread_id == Some(thread_id.into()) && e.category_id == Some(category.into())
        }));
        let payload: serde_json::Value = serde_json::from_str(&events[2].payload).unwrap();
        assert_eq!(payload["post"]["body"], "Edited");
        let db = app.db.clone();
        let tail = tokio::task::spawn_blocking(move || db.events_after(events[1].seq, 100))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(tail.len(), 1);
    }
);

both_backends!(
    bad_input_is_refused_and_nothing_is_stored,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "smuggling").await;
        let thread = app
            .thread(&admin, category, "Customs seizures", "Body")
            .await;
        let thread_id = thread["id"].as_i64().unwrap();
        let before = app.post_count().await;

        let cases = [
            (
                "/api/v1/threads",
                json!({"category_id": category, "title": "", "body": "x", "kind": "discussion"}),
                422,
                Some("title"),
            ),
            (
                "/api/v1/threads",
                json!({"category_id": category, "title": "Fine title", "body": "   ", "kind": "discussion"}),
                422,
                None,
            ),
            (
                "/api/v1/threads",
                json!({"category_id": category, "title": "Fine title", "body": "x", "kind": "rant"}),
                422,
                Some("kind"),
            ),
            (
                "/api/v1/threads",
                json!({"category_id": category, "title": "Fine title", "body": "x", "kind": "discussion", "jurisdictions": ["France"]}),
                422,
                Some("jurisdictions"),
            ),
            (
                "/api/v1/threads",
                json!({"category_id": 999, "title": "Fine title", "body": "x", "kind": "discussion"}),
                422,
                Some("category_id"),
            ),
            (
                "/api/v1/threads",
                json!({"title": "Fine title", "body": "x", "kind": "discussion"}),
                422,
                Some("category_id"),
            ),
            (
                "/api/v1/threads",
                json!({"category_id": "one", "title": "Fine title", "body": "x", "kind": "discussion"}),
                422,
                None,
            ),
            (
                &format!("/api/v1/threads/{thread_id}/posts"),
                json!({"body": ""}),
                422,
                Some("body"),
            ),
            (
                &format!("/api/v1/threads/{thread_id}/posts"),
                json!({"body": "ok", "reply_to": 987654}),
                422,
                Some("reply_to"),
            ),
            (
                "/api/v1/threads/987654/posts",
                json!({"body": "ok"}),
                404,
                None,
            ),
        ];
        for (path, body, status, field) in cases {
            let reply = app.post(path, Some(&admin), body.clone()).await;
            assert_eq!(
                reply.status.as_u16(),
                status,
                "{path} {body}: {}",
                reply.body
            );
            assert!(reply.body["error"]["code"].is_string(), "{}", reply.body);
            assert!(reply.body["error"]["message"].is_string(), "{}", reply.body);
            if let Some(field) = field {
                assert_eq!(reply.body["error"]["field"], field, "{body}");
            }
        }

        // Malformed JSON is a 400.
        let malformed = app
            .client
            .post(format!("{}/api/v1/threads/{thread_id}/posts", app.address))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body("{\"body\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);

        // Over the request size limit: 413.
        let huge = "x".repeat(2 * 1024 * 1024);
        let oversize = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&admin),
                json!({"body": huge}),
            )
            .await;
        assert_eq!(oversize.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(oversize.body["error"]["code"], "payload_too_large");
        // Under the byte limit but over the body length limit: 422.
        let long = "é".repeat(100_001);
        let too_long = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&admin),
                json!({"body": long}),
            )
            .await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);

        assert_eq!(
            app.post_count().await,
            before,
            "no failed request stored anything"
        );
        let shown = app
            .get(&format!("/api/v1/threads/{thread_id}"), &admin)
            .await;
        assert_eq!(shown.body["posts"].as_array().unwrap().len(), 1);
        let unauthenticated = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                None,
                json!({"body": "hi"}),
            )
            .await;
        assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
    }
);

both_backends!(categories_are_admin_only_and_unique, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let member = token(&app.member(&admin, "jose").await);
    let refused = app
        .post(
            "/api/v1/categories",
            Some(&member),
            json!({"slug": "x1", "name": "X"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    app.category(&admin, "wildlife").await;
    let dup = app
        .post(
            "/api/v1/categories",
            Some(&admin),
            json!({"slug": "wildlife", "name": "Again"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    let bad = app
        .post(
            "/api/v1/categories",
            Some(&admin),
            json!({"slug": "Bad Slug", "name": "X"}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "slug");
    let restricted = app
        .post(
            "/api/v1/categories",
            Some(&admin),
            json!({"slug": "secret", "name": "S", "restricted_to_groups": [42]}),
        )
        .await;
    assert_eq!(restricted.status, StatusCode::UNPROCESSABLE_ENTITY);
    let listed = app.get("/api/v1/categories", &member).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert_eq!(listed.body[0]["slug"], "wildlife");
    assert_eq!(listed.body[0]["restricted_to_groups"], json!([]));
});

both_backends!(openapi_and_health_are_served, |backend| async move {
    let app = spawn(backend).await;
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let doc: serde_json::Value = app
        .client
        .get(format!("{}/api/v1/openapi.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/auth/login",
        "/api/v1/threads",
        "/api/v1/threads/{id}/posts",
        "/api/v1/posts/{id}/revisions",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from OpenAPI"
        );
    }
    let unknown = app.get("/api/v1/nothing-here", "x").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["error"]["code"], "not_found");
});
