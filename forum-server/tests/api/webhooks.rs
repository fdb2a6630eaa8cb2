//! Webhooks through the real server on both backends, to a real HTTP
//! receiver started by the test: every delivery's HMAC-SHA256 signature
//! verifies; only what an outsider may receive leaves (open categories,
//! `CLEAR` now — not `GREEN`, not a restricted category, not a stricter
//! reply); a receiver that fails gets the same event again after a back-off
//! and sees every event once, in order; an endpoint that keeps failing is
//! disabled, its log says why, and an admin enables it again. Only admins
//! manage webhooks.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::both_backends;
use crate::helpers::*;

/// One request the receiver got, and what it answered.
#[derive(Clone, Debug)]
struct Received {
    delivery: String,
    kind: String,
    timestamp: i64,
    signature: String,
    body: String,
    answered: u16,
}

#[derive(Default)]
struct Receiver {
    got: Mutex<Vec<Received>>,
    /// Answer 500 to this many more requests.
    fail_next: Mutex<u32>,
}

async fn receive(req: HttpRequest, body: web::Bytes, state: web::Data<Receiver>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let answered = {
        let mut fail = state.fail_next.lock().unwrap();
        if *fail > 0 {
            *fail -= 1;
            500
        } else {
            200
        }
    };
    state.got.lock().unwrap().push(Received {
        delivery: header("Comity-Delivery"),
        kind: header("Comity-Event"),
        timestamp: header("Comity-Timestamp").parse().unwrap_or(0),
        signature: header("Comity-Signature"),
        body: String::from_utf8(body.to_vec()).unwrap(),
        answered,
    });
    HttpResponse::build(actix_web::http::StatusCode::from_u16(answered).unwrap()).finish()
}

/// A receiver on a free port: its URL and what it got.
fn start_receiver() -> (String, web::Data<Receiver>) {
    let state = web::Data::new(Receiver::default());
    let data = state.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/hook", web::post().to(receive))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    (format!("http://127.0.0.1:{port}/hook"), state)
}

fn verifies(secret: &str, r: &Received) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{}.{}", r.timestamp, r.body).as_bytes());
    r.signature == format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

async fn until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

both_backends!(
    webhooks_deliver_only_what_may_leave_signed_once_in_order_and_back_off,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.webhooks.retry_base_ms = 50;
            s.webhooks.disable_after = 3;
        })
        .await;
        let admin = token(&app.admin().await);
        let ben = app.member(&admin, "ben").await;
        let member = token(&ben);
        let open = app.category(&admin, "open").await;
        let group = app
            .post("/api/v1/groups", Some(&admin), json!({"name": "Case team"}))
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let closed = app
            .post(
                "/api/v1/categories",
                Some(&admin),
                json!({"slug": "case-room", "name": "Case room", "restricted_to_groups": [group]}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        // Ben writes in the case room too.
        let joined = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/users/{}", ben["user"]["id"]),
                Some(&admin),
                Some(json!({"groups": [group]})),
            )
            .await;
        assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
        let (url, receiver) = start_receiver();

        // Only admins; a clear refusal for what cannot be.
        let hook = json!({"url": url, "events": ["thread_created", "post_created"]});
        let refused = app
            .post("/api/v1/admin/webhooks", Some(&member), hook.clone())
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let bad = app
            .post(
                "/api/v1/admin/webhooks",
                Some(&admin),
                json!({"url": "ftp://example.org/x", "events": ["post_created"]}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.body["error"]["field"], "url");
        let unknown = app
            .post(
                "/api/v1/admin/webhooks",
                Some(&admin),
                json!({"url": url, "events": ["user_created"]}),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(unknown.body["error"]["field"], "events");
        assert_eq!(
            app.get("/api/v1/admin/webhooks", &admin).await.body,
            json!([])
        );

        let created = app.post("/api/v1/admin/webhooks", Some(&admin), hook).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let hook_id = created.body["id"].as_i64().unwrap();
        let secret = created.body["secret"].as_str().unwrap().to_owned();
        assert!(secret.len() >= 32);
        assert_eq!(created.body["status"], "active");
        let listed = app.get("/api/v1/admin/webhooks", &admin).await.body;
        assert!(
            listed[0].get("secret").is_none(),
            "the secret is shown once"
        );

        // The first two attempts fail: the same event comes again.
        *receiver.fail_next.lock().unwrap() = 2;
        let thread = |category: i64, title: &str, mark: &str| {
            let app = &app;
            let member = member.clone();
            let title = title.to_owned();
            let mark = mark.to_owned();
            async move {
                let r = app
                    .post(
                        "/api/v1/threads",
                        Some(&member),
                        json!({"category_id": category, "title": title, "kind": "discussion",
                               "body": format!("{title}: the facts."), "mark": mark}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
                r.body["id"].as_i64().unwrap()
            }
        };
        let public = thread(open, "Clear seizure statistics", "CLEAR").await;
        thread(open, "Green community working notes", "GREEN").await;
        thread(closed, "Clear note in the case room", "CLEAR").await;
        let reply = |body: &str, mark: Option<&str>| {
            let mut b = json!({"body": body});
            if let Some(m) = mark {
                b["mark"] = json!(m);
            }
            let app = &app;
            let member = member.clone();
            async move {
                let r = app
                    .post(&format!("/api/v1/threads/{public}/posts"), Some(&member), b)
                    .await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            }
        };
        reply("Public figures for the second quarter.", None).await;
        reply("Amber detail: the informant's route.", Some("AMBER")).await;
        reply("Public figures for the third quarter.", None).await;

        // What reaches the receiver and is accepted: the clear thread and
        // its two clear replies, each once, in the log's order.
        let accepted = until("three deliveries accepted", || {
            let got = receiver.got.lock().unwrap();
            let ok: Vec<Received> = got.iter().filter(|r| r.answered == 200).cloned().collect();
            (ok.len() >= 3).then_some(ok)
        })
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let got = receiver.got.lock().unwrap().clone();
        assert_eq!(
            got.iter().filter(|r| r.answered == 500).count(),
            2,
            "two failures"
        );
        assert_eq!(
            got.iter().filter(|r| r.answered == 200).count(),
            3,
            "{got:#?}"
        );
        assert_eq!(
            got[0].delivery, got[1].delivery,
            "a failed delivery is retried with the same key"
        );
        assert_eq!(got[1].delivery, got[2].delivery);
        let keys: HashSet<&str> = accepted.iter().map(|r| r.delivery.as_str()).collect();
        assert_eq!(keys.len(), 3, "each event accepted once");
        let now = chrono::Utc::now().timestamp();
        for r in &got {
            assert!(verifies(&secret, r), "signature of {}", r.delivery);
            assert!(!verifies("whsec_another", r));
            assert!((now - r.timestamp).abs() < 300);
        }
        let bodies: Vec<Value> = accepted
            .iter()
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect();
        let seqs: Vec<i64> = bodies.iter().map(|b| b["seq"].as_i64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in order: {seqs:?}");
        assert_eq!(accepted[0].kind, "thread_created");
        assert_eq!(bodies[0]["thread_id"], public);
        assert_eq!(
            bodies[0]["delivery"].as_str().unwrap(),
            accepted[0].delivery
        );
        let all = got.iter().map(|r| r.body.as_str()).collect::<String>();
        assert!(all.contains("second quarter") && all.contains("third quarter"));
        for secret_text in ["Green community", "case room", "informant"] {
            assert!(!all.contains(secret_text), "{secret_text} left the forum");
        }
        let log = app
            .get(
                &format!("/api/v1/admin/webhooks/{hook_id}/deliveries"),
                &admin,
            )
            .await
            .body;
        let first = log
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["seq"] == seqs[0])
            .unwrap();
        assert_eq!(first["attempts"], 3);
        assert_eq!(first["status"], "delivered");
        assert_eq!(first["response_code"], 200);

        // An endpoint nobody answers is disabled after three failures.
        let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let dead_url = format!("http://{}/hook", dead.local_addr().unwrap());
        drop(dead);
        let gone = app
            .post(
                "/api/v1/admin/webhooks",
                Some(&admin),
                json!({"url": dead_url, "events": ["post_created"]}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        reply("Public figures for the fourth quarter.", None).await;
        let disabled = tokio::time::timeout(Duration::from_secs(30), async {
            loop {
                let list = app.get("/api/v1/admin/webhooks", &admin).await.body;
                if let Some(h) = list
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|h| h["id"] == gone && h["status"] == "disabled")
                {
                    return h.clone();
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await
        .expect("the dead endpoint is disabled");
        assert_eq!(disabled["failures"], 3);
        let log = app
            .get(&format!("/api/v1/admin/webhooks/{gone}/deliveries"), &admin)
            .await
            .body;
        assert_eq!(log[0]["status"], "failed");
        assert_eq!(log[0]["attempts"], 3);
        assert_eq!(log[0]["error"], "could not connect");
        let enabled = app
            .post(
                &format!("/api/v1/admin/webhooks/{gone}/enable"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(enabled.status, StatusCode::OK);
        assert_ne!(enabled.body["status"], "disabled");
        // The live endpoint got the fourth quarter too, once.
        until("the fourth quarter", || {
            let got = receiver.got.lock().unwrap();
            got.iter()
                .any(|r| r.answered == 200 && r.body.contains("fourth quarter"))
                .then_some(())
        })
        .await;
        let deleted = app
            .call(
                reqwest::Method::DELETE,
                &format!("/api/v1/admin/webhooks/{gone}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        let audit = app.get("/api/v1/moderation/audit", &admin).await.body;
        let actions: Vec<&str> = audit
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        for action in [
            "webhook.create",
            "webhook.disable",
            "webhook.enable",
            "webhook.delete",
        ] {
            assert!(actions.contains(&action), "{action} audited: {actions:?}");
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_add_and_remove_webhooks_on_their_page_and_see_the_secret_once() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    app.member(&admin, "omar").await;
    let browser = crate::pages::signed_in(&app, "admin").await;
    let (status, html, _) = browser.get("/admin/webhooks").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No endpoint yet."), "{html}");
    // Refused with what was typed kept.
    let (status, _, html) = browser
        .submit(
            "/admin/webhooks",
            &[("url", "https://partner.example.org/comity")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("choose at least one event kind"), "{html}");
    assert!(html.contains("value=\"https://partner.example.org/comity\""));
    let (status, location, _) = browser
        .submit(
            "/admin/webhooks",
            &[
                ("url", "https://partner.example.org/comity"),
                ("events", "post_created"),
                ("events", "thread_created"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html, _) = browser.get(&location).await;
    assert!(html.contains("id=\"webhook-secret\""), "{html}");
    assert!(html.contains("whsec_"));
    assert!(html.contains("partner.example.org/comity"));
    let (_, html, _) = browser.get("/admin/webhooks").await;
    assert!(!html.contains("whsec_"), "the secret is shown once");
    let id = app.get("/api/v1/admin/webhooks", &admin).await.body[0]["id"]
        .as_i64()
        .unwrap();
    let (status, _, _) = browser
        .submit(&format!("/admin/webhooks/{id}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/admin/webhooks", &admin).await.body,
        json!([])
    );
    // Not for others.
    let omar = crate::pages::signed_in(&app, "omar").await;
    let (status, _, _) = omar.get("/admin/webhooks").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
