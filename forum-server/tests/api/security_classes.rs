//! The three classes of defect an outside review found, each tested as a
//! class on both backends (`docs/security.md`, "Classes of defect"):
//!
//! 1. a stored event is judged by where its subject is **now** (moved,
//!    hidden, merged), live and replayed;
//! 2. side channels (audit details, flag statistics, a flagger's own
//!    flags) show nothing of a space the reader may not see;
//! 3. every "go back to" parameter is resolved as a browser would, and
//!    stays on the site.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;
use crate::live::{Ws, assert_no_event, connect, next_json, next_of, send};
use crate::moderation::moderator;

/// Every event the socket sends until it stays quiet for `quiet`.
async fn drain(ws: &mut Ws, quiet: Duration) -> Vec<Value> {
    let mut seen = Vec::new();
    while let Some(message) = next_json(ws, quiet).await {
        if message["type"] == "event" {
            seen.push(message);
        }
    }
    seen
}

/// Subscribes with `since` and collects what the replay sends.
async fn replay(app: &TestApp, token: &str, topic: &str, since: i64) -> (Value, Vec<Value>) {
    let mut ws = connect(&app.address, token).await;
    send(
        &mut ws,
        json!({"type": "subscribe", "topics": [topic], "since": since}),
    )
    .await;
    let mut events = Vec::new();
    let subscribed = loop {
        let message = next_json(&mut ws, Duration::from_secs(10))
            .await
            .expect("an answer to subscribe");
        match message["type"].as_str() {
            Some("event") => events.push(message),
            Some("subscribed" | "error") => break message,
            _ => {}
        }
    };
    events.extend(drain(&mut ws, Duration::from_millis(400)).await);
    (subscribed, events)
}

async fn act(app: &TestApp, token: &str, path: &str, body: Value) {
    let reply = app.post(path, Some(token), body).await;
    assert!(
        reply.status.is_success(),
        "{path}: {} {}",
        reply.status,
        reply.body
    );
}

both_backends!(
    stored_events_are_judged_by_where_their_subject_is_now,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let outsider = token(&app.member(&admin, "outsider").await);
        let open = app.category(&admin, "open-room").await;
        let (_group, restricted, _) = crate::live::restricted(&app, &admin).await;
        let before = app.db.last_event_seq().unwrap();

        // A thread started in the open category, with a reply…
        let moved = app
            .thread(
                &admin,
                open,
                "Nightjar seizure route",
                "Route via the free zone",
            )
            .await["id"]
            .as_i64()
            .unwrap();
        crate::notifications::reply(&app, &admin, moved, "Nightjar container numbers").await;
        // …a post in another open thread that a moderator then hides…
        let stays = app
            .thread(&admin, open, "Open discussion", "Nothing secret")
            .await["id"]
            .as_i64()
            .unwrap();
        let hidden =
            crate::notifications::reply(&app, &admin, stays, "Kestrel informant phone").await;
        act(
            &app,
            &admin,
            &format!("/api/v1/posts/{hidden}/hide"),
            json!({"reason": "personal data"}),
        )
        .await;
        // …and a thread that is merged into one in the restricted category.
        let merged = app
            .thread(&admin, open, "Harrier duplicate", "Harrier details")
            .await["id"]
            .as_i64()
            .unwrap();
        let target = app
            .thread(&admin, restricted, "Case room target", "Inside")
            .await["id"]
            .as_i64()
            .unwrap();
        act(
            &app,
            &admin,
            &format!("/api/v1/threads/{merged}/merge"),
            json!({"into": target, "reason": "duplicate"}),
        )
        .await;
        // Now the first thread moves into the restricted category.
        act(
            &app,
            &admin,
            &format!("/api/v1/threads/{moved}/move"),
            json!({"category_id": restricted, "reason": "case material"}),
        )
        .await;

        // Replayed to a member who follows the open category: none of it.
        let (subscribed, events) =
            replay(&app, &outsider, &format!("category:{open}"), before).await;
        assert_eq!(subscribed["type"], "subscribed", "{subscribed}");
        let text = serde_json::to_string(&events).unwrap();
        for secret in ["Nightjar", "Kestrel", "Harrier"] {
            assert!(!text.contains(secret), "{secret} replayed: {text}");
        }
        assert!(
            events.iter().any(|e| e["thread_id"] == stays),
            "the open thread's own events still replay: {text}"
        );
        // The moved thread's topic is refused like an unknown one.
        let (refused, events) = replay(&app, &outsider, &format!("thread:{moved}"), before).await;
        assert_eq!(refused["code"], "not_found", "{refused}");
        assert!(events.is_empty(), "{events:?}");

        // The admin, who sees everything, gets the moved thread's history on
        // the restricted category's topic, where it is now.
        let (_, events) = replay(&app, &admin, &format!("category:{restricted}"), before).await;
        let text = serde_json::to_string(&events).unwrap();
        assert!(text.contains("Nightjar container numbers"), "{text}");
        // Staff still get the hidden post's history.
        let (_, events) = replay(&app, &admin, &format!("category:{open}"), before).await;
        let text = serde_json::to_string(&events).unwrap();
        assert!(text.contains("Kestrel"), "{text}");

        // Live: a reply in the moved thread reaches no outsider either.
        let mut ws = connect(&app.address, &outsider).await;
        send(
            &mut ws,
            json!({"type": "subscribe", "topics": [format!("category:{open}")]}),
        )
        .await;
        next_of(&mut ws, "subscribed").await;
        crate::notifications::reply(&app, &admin, moved, "Nightjar second leg").await;
        assert_no_event(&mut ws, Duration::from_millis(700)).await;

        // Notifications and the inbox show no trace of it.
        app.notified().await;
        let inbox = app.get("/api/v1/notifications", &outsider).await;
        let text = inbox.body.to_string();
        for secret in ["Nightjar", "Kestrel", "Harrier"] {
            assert!(!text.contains(secret), "{secret} in the inbox: {text}");
        }
    }
);

both_backends!(
    side_channels_show_nothing_of_a_space_the_reader_cannot_see,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let outside_moderator = token(&moderator(&app, &admin, "modout").await);
        let member = token(&app.member(&admin, "flagger").await);
        let open = app.category(&admin, "open-room").await;
        let (_group, restricted, inside) = crate::live::restricted(&app, &admin).await;

        // A merge, a move, a hide and a lock in the restricted space.
        let duplicate = app
            .thread(
                &admin,
                restricted,
                "Operation Ossprey duplicate",
                "Ossprey notes",
            )
            .await["id"]
            .as_i64()
            .unwrap();
        act(
            &app,
            &admin,
            &format!("/api/v1/threads/{duplicate}/merge"),
            json!({"into": inside, "reason": "Ossprey belongs with Pangea"}),
        )
        .await;
        let leaving = app
            .thread(
                &admin,
                open,
                "Operation Grebe leads",
                "Grebe starts in the open",
            )
            .await["id"]
            .as_i64()
            .unwrap();
        // A member flags a post there before it moves.
        let flagged = app
            .get(&format!("/api/v1/threads/{leaving}"), &member)
            .await
            .body["posts"][0]["id"]
            .as_i64()
            .unwrap();
        let flag = app
            .post(
                &format!("/api/v1/posts/{flagged}/flags"),
                Some(&member),
                json!({"reason": "confidential", "note": "names a suspect"}),
            )
            .await;
        assert_eq!(flag.status, StatusCode::CREATED, "{}", flag.body);
        let flag = flag.body["id"].as_i64().unwrap();
        act(
            &app,
            &admin,
            &format!("/api/v1/moderation/flags/{flag}/resolve"),
            json!({"action": "dismiss", "note": "Grebe is fine to name"}),
        )
        .await;
        act(
            &app,
            &admin,
            &format!("/api/v1/threads/{leaving}/move"),
            json!({"category_id": restricted, "reason": "Grebe is case material"}),
        )
        .await;
        act(
            &app,
            &admin,
            &format!("/api/v1/threads/{inside}/lock"),
            json!({"reason": "Pangea closed"}),
        )
        .await;
        // And one action in the open space, which stays readable.
        let public = app.thread(&admin, open, "Open thread", "Hello").await["id"]
            .as_i64()
            .unwrap();
        act(
            &app,
            &admin,
            &format!("/api/v1/threads/{public}/pin"),
            json!({"reason": "useful for all"}),
        )
        .await;

        // The moderator outside the group: the entries, without details.
        let log = app
            .get("/api/v1/moderation/audit", &outside_moderator)
            .await;
        assert_eq!(log.status, StatusCode::OK, "{}", log.body);
        let text = log.body.to_string();
        for secret in ["Ossprey", "Pangea", "Grebe"] {
            assert!(!text.contains(secret), "{secret} in the audit log: {text}");
        }
        let entries = log.body.as_array().unwrap();
        let by_action = |action: &str| {
            entries
                .iter()
                .find(|e| e["action"] == action)
                .unwrap_or_else(|| panic!("no {action} entry in {text}"))
                .clone()
        };
        for action in ["thread.merge", "thread.move", "thread.lock"] {
            let entry = by_action(action);
            assert_eq!(entry["restricted"], true, "{entry}");
            assert_eq!(entry["details"], Value::Null, "{entry}");
        }
        let pin = by_action("thread.pin");
        assert_eq!(pin["restricted"], false, "{pin}");
        assert_eq!(pin["reason"], "useful for all");
        // The page says the same.
        let page = app
            .client
            .get(format!("{}/moderation/audit", app.address))
            .bearer_auth(&outside_moderator)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let html = page.text().await.unwrap();
        for secret in ["Ossprey", "Pangea", "Grebe"] {
            assert!(!html.contains(secret), "{secret} on the audit page");
        }
        assert!(html.contains("useful for all"));

        // An admin reads every entry whole.
        let full = app
            .get("/api/v1/moderation/audit", &admin)
            .await
            .body
            .to_string();
        for secret in ["Ossprey", "Pangea", "Grebe"] {
            assert!(
                full.contains(secret),
                "{secret} missing for the admin: {full}"
            );
        }

        // Flag statistics count only what the reader may see.
        let total = |stats: &Value| -> i64 {
            stats
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["total"].as_i64().unwrap())
                .sum()
        };
        assert_eq!(
            total(&app.get("/api/v1/moderation/stats", &admin).await.body),
            1
        );
        assert_eq!(
            total(
                &app.get("/api/v1/moderation/stats", &outside_moderator)
                    .await
                    .body
            ),
            0
        );
        // The flagger keeps the flag's status, not the thread's title nor
        // the moderator's note about a post they may no longer see.
        let mine = app.get("/api/v1/me/flags", &member).await;
        assert_eq!(mine.body[0]["status"], "resolved", "{}", mine.body);
        assert!(!mine.body.to_string().contains("Grebe"), "{}", mine.body);
    }
);

both_backends!(return_paths_never_leave_the_site, |backend| async move {
    let app = spawn(backend).await;
    let admin = app.admin().await;
    let admin_token = token(&admin);
    let site = url::Url::parse(&format!("{}/t/1", app.address)).unwrap();
    let stays_on_site = |location: &str| {
        let resolved = site
            .join(location)
            .unwrap_or_else(|e| panic!("{location:?}: {e}"));
        assert_eq!(
            resolved.origin(),
            site.origin(),
            "{location:?} leaves the site"
        );
        assert!(!location.starts_with("//"), "{location:?}");
    };
    let candidates = [
        "/\t/evil.example",
        "/\r\n/evil.example",
        "\t//evil.example",
        "/\\evil.example",
        "//evil.example",
        "/.//evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "/\u{1}/x",
        "/t/1#post-2",
    ];
    for next in candidates {
        // The language switcher (anonymous).
        let reply = app
            .client
            .post(format!("{}/language", app.address))
            .header("Origin", &app.address)
            .header("Sec-Fetch-Site", "same-origin")
            .form(&[("lang", "fr"), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::SEE_OTHER, "{next:?}");
        stays_on_site(reply.headers()["location"].to_str().unwrap());

        // The sign-in page of a member already signed in.
        let reply = app
            .client
            .get(format!("{}/login", app.address))
            .query(&[("next", next)])
            .bearer_auth(&admin_token)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::SEE_OTHER, "{next:?}");
        stays_on_site(reply.headers()["location"].to_str().unwrap());

        // Signing in through the form.
        let reply = app
            .client
            .post(format!("{}/login", app.address))
            .header("Origin", &app.address)
            .header("Sec-Fetch-Site", "same-origin")
            .form(&[
                ("username", "admin"),
                ("password", PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::SEE_OTHER, "{next:?}");
        stays_on_site(reply.headers()["location"].to_str().unwrap());
    }
    // A local path with its query and fragment is kept.
    let reply = app
        .client
        .get(format!("{}/login", app.address))
        .query(&[("next", "/t/1?x=1#post-2")])
        .bearer_auth(&admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.headers()["location"], "/t/1?x=1#post-2");
});
