//! Notifications derived from the event log, watch levels, the live inbox,
//! and access at every step.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;
use crate::live::{connect, next_of, subscribe};

async fn inbox(app: &TestApp, token: &str) -> Value {
    app.notified().await;
    let reply = app.get("/api/v1/notifications", token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

fn kinds(inbox: &Value) -> Vec<(String, i64, i64)> {
    inbox["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_owned(),
                n["thread_id"].as_i64().unwrap_or(0),
                n["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

pub(crate) async fn watch(app: &TestApp, token: &str, target: &str, level: &str) -> StatusCode {
    app.call(
        Method::PUT,
        "/api/v1/watches",
        Some(token),
        Some(json!({"target": target, "level": level})),
    )
    .await
    .status
}

pub(crate) async fn reply(app: &TestApp, token: &str, thread: i64, body: &str) -> i64 {
    let reply = app
        .post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(token),
            json!({"body": body}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

pub(crate) async fn new_thread(
    app: &TestApp,
    token: &str,
    category: i64,
    kind: &str,
    tags: &[&str],
) -> i64 {
    let mut body = json!({"category_id": category, "title": format!("A {kind} on {tags:?}"),
                          "body": "Text.", "kind": kind, "jurisdictions": tags});
    if kind == "analysis" {
        body["analysis"] = json!({"summary": "What the law says, in short.", "language": "en"});
    }
    let created = app.post("/api/v1/threads", Some(token), body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["id"].as_i64().unwrap()
}

both_backends!(
    replies_collapse_mentions_notify_and_muting_silences,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let alice = token(&app.member_from(&admin, "alice", "FR", "judge").await);
        let bob = token(&app.member_from(&admin, "bob", "ES", "prosecutor").await);
        let category = app.category(&admin, "general").await;
        let thread = app
            .thread(&alice, category, "Transit seizures", "Question.")
            .await["id"]
            .as_i64()
            .unwrap();
        assert_eq!(inbox(&app, &alice).await["unread"], 0);

        for i in 0..5 {
            reply(&app, &bob, thread, &format!("Answer {i}")).await;
        }
        let list = inbox(&app, &alice).await;
        assert_eq!(kinds(&list), [("reply".to_owned(), thread, 5)], "{list}");
        assert_eq!(list["unread"], 1);
        assert_eq!(list["notifications"][0]["actor"]["username"], "bob");
        // Bob watches the thread he replied to, but hears nothing of his own posts.
        assert_eq!(inbox(&app, &bob).await["unread"], 0);

        let other = app
            .thread(&bob, category, "Free zones", "What does @alice think?")
            .await["id"]
            .as_i64()
            .unwrap();
        let list = inbox(&app, &alice).await;
        assert!(
            kinds(&list).contains(&("mention".to_owned(), other, 1)),
            "{list}"
        );

        let read = app
            .post(
                "/api/v1/notifications/read",
                Some(&alice),
                json!({"all": true}),
            )
            .await;
        assert_eq!(read.status, StatusCode::NO_CONTENT);
        assert_eq!(inbox(&app, &alice).await["unread"], 0);
        // A read notification is not bumped: a new reply makes a new one.
        reply(&app, &bob, thread, "One more").await;
        app.notified().await;
        let list = app.get("/api/v1/notifications?unread=true", &alice).await;
        assert_eq!(kinds(&list.body), [("reply".to_owned(), thread, 1)]);
        let id = list.body["notifications"][0]["id"].as_i64().unwrap();
        let read = app
            .post(
                "/api/v1/notifications/read",
                Some(&alice),
                json!({"ids": [id]}),
            )
            .await;
        assert_eq!(read.status, StatusCode::NO_CONTENT);

        assert_eq!(
            watch(&app, &alice, &format!("thread:{thread}"), "muted").await,
            StatusCode::OK
        );
        reply(&app, &bob, thread, "Anyone? @alice").await;
        assert_eq!(inbox(&app, &alice).await["unread"], 0);
        let watches = app.get("/api/v1/watches", &alice).await;
        assert_eq!(
            watches.body,
            json!([{"target": format!("thread:{thread}"), "level": "muted"}])
        );
    }
);

both_backends!(
    new_threads_reach_who_watches_their_jurisdiction,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let carol = token(&app.member_from(&admin, "carol", "MA", "judge").await);
        let dave = token(&app.member_from(&admin, "dave", "FR", "customs").await);
        let erin = token(&app.member_from(&admin, "erin", "DE", "police").await);
        let category = app.category(&admin, "analyses").await;
        assert_eq!(
            watch(&app, &carol, "jurisdiction:MA", "watching").await,
            StatusCode::OK
        );
        assert_eq!(
            watch(&app, &erin, "jurisdiction:FR", "watching").await,
            StatusCode::OK
        );

        // An analysis for the whole EU: Dave tracks France by default, Erin
        // watches France; a region tag covers its members.
        let eu = new_thread(&app, &admin, category, "analysis", &["EU"]).await;
        assert_eq!(
            kinds(&inbox(&app, &dave).await),
            [("new_thread".to_owned(), eu, 1)]
        );
        assert_eq!(
            kinds(&inbox(&app, &erin).await),
            [("new_thread".to_owned(), eu, 1)]
        );
        assert_eq!(inbox(&app, &carol).await["unread"], 0);

        // A question on Morocco: Carol watches Morocco; tracking France does
        // not bring Dave questions.
        let ma = new_thread(&app, &admin, category, "question", &["MA"]).await;
        assert_eq!(
            kinds(&inbox(&app, &carol).await),
            [("new_thread".to_owned(), ma, 1)]
        );
        assert_eq!(inbox(&app, &dave).await["unread"], 1);

        // Muting one's own country silences it.
        assert_eq!(
            watch(&app, &dave, "jurisdiction:FR", "muted").await,
            StatusCode::OK
        );
        new_thread(&app, &admin, category, "analysis", &["FR"]).await;
        assert_eq!(inbox(&app, &dave).await["unread"], 1);
        assert_eq!(inbox(&app, &erin).await["unread"], 2);
    }
);

both_backends!(
    nothing_about_a_space_one_cannot_enter,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let insider_login = app.member(&admin, "insider").await;
        let insider_id = insider_login["user"]["id"].as_i64().unwrap();
        let outsider = token(&app.member(&admin, "outsider").await);
        let group = app
            .post("/api/v1/groups", Some(&admin), json!({"name": "Case team"}))
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let joined = app
            .post(
                &format!("/api/v1/groups/{group}/members"),
                Some(&admin),
                json!({"user_id": insider_id}),
            )
            .await;
        assert_eq!(joined.status, StatusCode::NO_CONTENT);
        let room = app
            .post(
                "/api/v1/categories",
                Some(&admin),
                json!({"slug": "case-room", "name": "Case room", "restricted_to_groups": [group]}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let insider = token(&app.login("insider", PASSWORD).await);
        assert_eq!(
            watch(&app, &insider, &format!("category:{room}"), "watching").await,
            StatusCode::OK
        );
        assert_eq!(
            watch(&app, &outsider, &format!("category:{room}"), "watching").await,
            StatusCode::NOT_FOUND
        );

        let first = app
            .thread(
                &admin,
                room,
                "Operation Kestrel",
                "Plan. @outsider should not hear of it",
            )
            .await["id"]
            .as_i64()
            .unwrap();
        assert_eq!(
            kinds(&inbox(&app, &insider).await),
            [("new_thread".to_owned(), first, 1)]
        );
        assert_eq!(inbox(&app, &outsider).await["unread"], 0);

        let left = app
            .post(
                &format!("/api/v1/groups/{group}/members"),
                Some(&admin),
                json!({"user_id": insider_id, "member": false}),
            )
            .await;
        assert_eq!(left.status, StatusCode::NO_CONTENT);
        app.thread(&admin, room, "Operation Kestrel II", "More.")
            .await;
        reply(&app, &admin, first, "Update for the team").await;
        let list = inbox(&app, &insider).await;
        assert_eq!(list["notifications"], json!([]), "{list}");
        assert_eq!(list["unread"], 0);
        assert_eq!(app.get("/api/v1/watches", &insider).await.body, json!([]));

        // The live total agrees: the room's unread notifications no longer count.
        let mut ws = connect(&app.address, &insider).await;
        subscribe(&mut ws, &["inbox".to_owned()], None).await;
        let open = app.category(&admin, "open").await;
        app.thread(&admin, open, "Open matter", "@insider, a question.")
            .await;
        let event = next_of(&mut ws, "event").await;
        assert_eq!(event["notification"]["kind"], "mention");
        assert_eq!(event["unread"], 1, "{event}");
        assert_eq!(inbox(&app, &insider).await["unread"], 1);
    }
);

both_backends!(the_inbox_is_live_over_the_websocket, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let alice = token(&app.member(&admin, "alice").await);
    let bob = token(&app.member(&admin, "bob").await);
    let category = app.category(&admin, "live").await;
    let thread = app
        .thread(&alice, category, "Live question", "Anyone?")
        .await["id"]
        .as_i64()
        .unwrap();
    app.notified().await;
    let mut ws = connect(&app.address, &alice).await;
    subscribe(&mut ws, &["inbox".to_owned()], None).await;
    let mut bobs = connect(&app.address, &bob).await;
    subscribe(&mut bobs, &["inbox".to_owned()], None).await;
    reply(&app, &bob, thread, "Here").await;
    let event = next_of(&mut ws, "event").await;
    assert_eq!(event["topic"], "inbox");
    assert_eq!(event["kind"], "notification");
    assert_eq!(event["notification"]["kind"], "reply");
    assert_eq!(event["notification"]["thread_id"], thread);
    assert_eq!(event["unread"], 1);
    reply(&app, &bob, thread, "And here").await;
    let event = next_of(&mut ws, "event").await;
    assert_eq!(event["notification"]["count"], 2);
    assert_eq!(event["unread"], 1);
    // Nobody else's inbox hears it.
    crate::live::assert_no_event(&mut bobs, std::time::Duration::from_millis(500)).await;
});

both_backends!(
    endorsements_flags_and_moderation_notify_the_people_concerned,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let alice = token(&app.member_from(&admin, "alice", "FR", "judge").await);
        let bob = token(&app.member_from(&admin, "bob", "ES", "prosecutor").await);
        let category = app.category(&admin, "analyses").await;
        let analysis = new_thread(&app, &alice, category, "analysis", &["ES"]).await;
        let endorsed = app
            .post(
                &format!("/api/v1/threads/{analysis}/endorsements"),
                Some(&bob),
                json!({"jurisdiction": "ES"}),
            )
            .await;
        assert_eq!(endorsed.status, StatusCode::CREATED, "{}", endorsed.body);
        let list = inbox(&app, &alice).await;
        assert!(
            kinds(&list).contains(&("endorsement".to_owned(), analysis, 1)),
            "{list}"
        );

        let post = reply(&app, &alice, analysis, "A detail").await;
        let flag = app
            .post(
                &format!("/api/v1/posts/{post}/flags"),
                Some(&bob),
                json!({"reason": "inaccurate_law"}),
            )
            .await;
        assert_eq!(flag.status, StatusCode::CREATED, "{}", flag.body);
        let flag = flag.body["id"].as_i64().unwrap();
        let resolved = app
            .post(
                &format!("/api/v1/moderation/flags/{flag}/resolve"),
                Some(&admin),
                json!({"action": "hide_post", "note": "outdated provision"}),
            )
            .await;
        assert!(resolved.status.is_success(), "{}", resolved.body);
        let list = inbox(&app, &bob).await;
        assert!(
            kinds(&list)
                .iter()
                .any(|(k, t, _)| k == "flag_outcome" && *t == analysis),
            "{list}"
        );
        let list = inbox(&app, &alice).await;
        assert!(
            kinds(&list)
                .iter()
                .any(|(k, t, c)| k == "moderation" && *t == analysis && *c == 1),
            "{list}"
        );
        // It says which action was taken.
        let moderation = list["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["kind"] == "moderation")
            .unwrap();
        assert_eq!(moderation["detail"], "post_hidden", "{list}");
    }
);

both_backends!(
    watch_and_read_requests_are_validated,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "member").await);
        for (target, level, field) in [
            ("user:1", "watching", "target"),
            ("jurisdiction:XX", "watching", "target"),
            ("instrument:nope", "muted", "target"),
            ("jurisdiction:FR", "loud", "level"),
        ] {
            let reply = app
                .call(
                    Method::PUT,
                    "/api/v1/watches",
                    Some(&member),
                    Some(json!({"target": target, "level": level})),
                )
                .await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{target}");
            assert_eq!(reply.body["error"]["field"], field);
        }
        assert_eq!(
            watch(&app, &member, "thread:999999", "watching").await,
            StatusCode::NOT_FOUND
        );
        for body in [json!({}), json!({"ids": [1], "all": true})] {
            let reply = app
                .post("/api/v1/notifications/read", Some(&member), body)
                .await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        assert_eq!(app.get("/api/v1/watches", &member).await.body, json!([]));
        let anonymous = app
            .call(Method::GET, "/api/v1/notifications", None, None)
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }
);

pub(crate) async fn page(app: &TestApp, path: &str, token: &str) -> (StatusCode, scraper::Html) {
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

pub(crate) fn texts(doc: &scraper::Html, css: &str) -> Vec<String> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

both_backends!(
    the_inbox_page_the_header_count_and_the_watch_forms,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let alice = token(&app.member_from(&admin, "alice", "FR", "judge").await);
        let bob = token(&app.member_from(&admin, "bob", "ES", "prosecutor").await);
        let category = app.category(&admin, "pages").await;
        let thread = app
            .thread(&alice, category, "Tobacco tax stamps", "How?")
            .await["id"]
            .as_i64()
            .unwrap();
        reply(&app, &bob, thread, "Like this").await;
        reply(&app, &bob, thread, "And this").await;
        app.notified().await;

        let (status, doc) = page(&app, "/inbox", &alice).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(texts(&doc, "#unread-number"), ["1"]);
        let items = texts(&doc, ".notifications li.unread a");
        assert_eq!(items, ["2 new replies in “Tobacco tax stamps”"]);
        // Opening it marks it read and leads to the post.
        let href = doc
            .select(&scraper::Selector::parse(".notifications a").unwrap())
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap()
            .to_owned();
        let opened = app
            .client
            .get(format!("{}{href}", app.address))
            .bearer_auth(&alice)
            .send()
            .await
            .unwrap();
        assert_eq!(opened.status(), StatusCode::SEE_OTHER);
        assert!(
            opened.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with(&format!("/t/{thread}#post-"))
        );
        let (_, doc) = page(&app, "/inbox", &alice).await;
        assert!(texts(&doc, "#unread-number") == ["0"]);
        assert!(texts(&doc, ".notifications li.unread").is_empty());

        // The thread page offers the level, defaulting to watching for its author.
        let (_, doc) = page(&app, &format!("/t/{thread}"), &alice).await;
        let selected = texts(&doc, ".watch-form option[selected]");
        assert_eq!(selected, ["Watching"]);
        let muted = app
            .client
            .post(format!("{}/watch", app.address))
            .bearer_auth(&alice)
            .form(&[
                ("target", format!("thread:{thread}")),
                ("level", "muted".into()),
                ("next", format!("/t/{thread}")),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(muted.status(), StatusCode::SEE_OTHER);
        let (_, doc) = page(&app, &format!("/t/{thread}"), &alice).await;
        assert_eq!(texts(&doc, ".watch-form option[selected]"), ["Muted"]);
        let (_, doc) = page(&app, "/j/FR", &alice).await;
        assert_eq!(texts(&doc, ".watch-form option[selected]"), ["Tracking"]);
        // Categories and instruments have the same control.
        let (_, doc) = page(&app, "/c/pages", &alice).await;
        assert_eq!(
            texts(
                &doc,
                "#watch-category-{category} option[selected]"
                    .replace("{category}", &category.to_string())
                    .as_str()
            ),
            ["Normal"]
        );
        let (_, doc) = page(&app, "/i/medicrime", &alice).await;
        assert_eq!(
            texts(&doc, "#watch-instrument-medicrime option[selected]"),
            ["Normal"]
        );
        let (_, doc) = page(&app, "/inbox", &alice).await;
        assert_eq!(texts(&doc, "#watches-heading ~ ul li label"), ["Thread #1"]);
        // The form returns only to a local path.
        for next in ["//evil.example", "/\\evil.example", "https://evil.example"] {
            let sent = app
                .client
                .post(format!("{}/watch", app.address))
                .bearer_auth(&alice)
                .form(&[
                    ("target", "jurisdiction:FR"),
                    ("level", "watching"),
                    ("next", next),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(sent.headers()["location"], "/", "{next}");
        }
    }
);

both_backends!(
    authors_are_reminded_once_when_a_review_date_passes,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let alice = token(&app.member_from(&admin, "alice", "FR", "judge").await);
        let category = app.category(&admin, "reviews").await;
        let created = app
        .post("/api/v1/threads", Some(&alice),
            json!({"category_id": category, "title": "Counterfeit pesticides in France", "kind": "analysis",
                   "jurisdictions": ["FR"], "body": "Text.",
                   "analysis": {"summary": "What the law says, in short.", "language": "en",
                                "valid_as_of": "2024-01-01", "review_by": "2025-01-01"}}))
        .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let thread = created.body["id"].as_i64().unwrap();
        // The check runs when the server starts (then hourly).
        let storage = app.stop().await;
        let app = spawn_with(storage, |_| {}).await;
        let alice = token(&app.login("alice", PASSWORD).await);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let list = inbox(&app, &alice).await;
            if kinds(&list).contains(&("review_due".to_owned(), thread, 1)) {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no reminder: {list}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        // Once: another start does not repeat it.
        let storage = app.stop().await;
        let app = spawn_with(storage, |_| {}).await;
        let alice = token(&app.login("alice", PASSWORD).await);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let list = inbox(&app, &alice).await;
        assert_eq!(
            kinds(&list)
                .iter()
                .filter(|(k, ..)| k == "review_due")
                .count(),
            1,
            "{list}"
        );
        assert_eq!(list["notifications"][0]["count"], 1);
    }
);
