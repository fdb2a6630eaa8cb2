//! Correctness under caching: identities, unread counts and threads are
//! kept in memory and dropped by the event log. Each change below is made
//! through the API and must show on the very next request of the reader,
//! whose caches were warmed first — on both backends, and across two
//! server processes sharing one PostgreSQL database.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, Storage, TestApp, spawn, spawn_with, token};

/// Reads `path` twice as `who` (the second read is served from the
/// caches) and returns the status.
async fn warm(app: &TestApp, path: &str, who: &str) -> StatusCode {
    let first = app.get(path, who).await.status;
    let second = app.get(path, who).await.status;
    assert_eq!(first, second, "{path} changed between two reads");
    second
}

/// A page as `token`'s browser gets it (the access cookie).
/// Whether the thread list across categories shows thread `id` to `token`.
async fn listed(app: &TestApp, token: &str, id: i64) -> bool {
    let list = app.get("/api/v1/threads", token).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.body["threads"]
        .as_array()
        .expect("threads")
        .iter()
        .any(|t| t["id"] == id)
}

async fn html_page(app: &TestApp, path: &str, token: &str) -> String {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", app.address))
        .header("Cookie", format!("comity_access={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

fn bodies(thread: &Value) -> Vec<String> {
    thread["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["body"].as_str().unwrap().to_owned())
        .collect()
}

struct World {
    admin: String,
    reader: String,
    reader_id: i64,
    group: i64,
    open: i64,
    restricted: i64,
}

async fn world(app: &TestApp) -> World {
    let admin = token(&app.admin().await);
    let reader_login = app.member(&admin, "reader").await;
    let reader = token(&reader_login);
    let reader_id = reader_login["user"]["id"].as_i64().unwrap();
    let group = app
        .post("/api/v1/groups", Some(&admin), json!({"name": "Case team"}))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let open = app.category(&admin, "open-room").await;
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
    World {
        admin,
        reader,
        reader_id,
        group,
        open,
        restricted,
    }
}

/// Each change made through `writer` is seen through `reader_app` at once.
async fn every_change_is_seen_at_once(writer: &TestApp, reader_app: &TestApp, w: &World) {
    let thread = writer
        .thread(
            &w.reader,
            w.open,
            "Seizure of falsified insulin",
            "First account",
        )
        .await;
    let id = thread["id"].as_i64().unwrap();
    let first_post = thread["first_post_id"].as_i64().unwrap();
    let path = format!("/api/v1/threads/{id}");

    // An edit.
    assert_eq!(warm(reader_app, &path, &w.reader).await, StatusCode::OK);
    let edited = writer
        .call(
            Method::PATCH,
            &format!("/api/v1/posts/{first_post}"),
            Some(&w.reader),
            Some(json!({"body": "Corrected account", "edit_reason": "typo"})),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let seen = reader_app.get(&path, &w.reader).await;
    assert_eq!(bodies(&seen.body), ["Corrected account"]);

    // A new reply, then a hide.
    let reply = writer
        .post(
            &format!("/api/v1/threads/{id}/posts"),
            Some(&w.reader),
            json!({"body": "Names of the couriers"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let seen = reader_app.get(&path, &w.reader).await;
    assert_eq!(
        bodies(&seen.body),
        ["Corrected account", "Names of the couriers"]
    );
    let reply_id = reply.body["id"].as_i64().unwrap();
    let hidden = writer
        .post(
            &format!("/api/v1/posts/{reply_id}/hide"),
            Some(&w.admin),
            json!({"reason": "personal data"}),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NO_CONTENT, "{}", hidden.body);
    let seen = reader_app.get(&path, &w.reader).await;
    assert_eq!(bodies(&seen.body), ["Corrected account"]);

    // A draft saved, a watch level chosen, a draft posted: the reader's
    // own thread and category pages show each at once.
    let page = format!("/t/{id}");
    let category_page = "/c/open-room";
    let composer = |html: &str| {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse("#reply-body").unwrap();
        doc.select(&sel)
            .next()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    };
    let level = |html: &str, target: &str| {
        let doc = scraper::Html::parse_document(html);
        let sel = scraper::Selector::parse(&format!(
            "form.watch-form:has(input[value=\"{target}\"]) option[selected]"
        ))
        .unwrap();
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value"))
            .map(str::to_owned)
    };
    let thread_target = format!("thread:{id}");
    let category_target = format!("category:{}", w.open);
    for _ in 0..2 {
        let html = html_page(reader_app, &page, &w.reader).await;
        assert_eq!(composer(&html), "");
        assert_eq!(level(&html, &thread_target).as_deref(), Some("watching"));
        let html = html_page(reader_app, category_page, &w.reader).await;
        assert_eq!(level(&html, &category_target).as_deref(), Some("normal"));
    }
    let saved = writer
        .call(
            Method::PUT,
            &format!("/api/v1/threads/{id}/draft"),
            Some(&w.reader),
            Some(json!({"body": "Half-written answer"})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let html = html_page(reader_app, &page, &w.reader).await;
    assert_eq!(composer(&html), "Half-written answer");
    for (target, chosen) in [(&thread_target, "muted"), (&category_target, "watching")] {
        let set = writer
            .call(
                Method::PUT,
                "/api/v1/watches",
                Some(&w.reader),
                Some(json!({"target": target, "level": chosen})),
            )
            .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    }
    let html = html_page(reader_app, &page, &w.reader).await;
    assert_eq!(level(&html, &thread_target).as_deref(), Some("muted"));
    let html = html_page(reader_app, category_page, &w.reader).await;
    assert_eq!(level(&html, &category_target).as_deref(), Some("watching"));
    let posted = writer
        .post(
            &format!("/api/v1/threads/{id}/posts"),
            Some(&w.reader),
            json!({"body": "Half-written answer, finished"}),
        )
        .await;
    assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.body);
    let html = html_page(reader_app, &page, &w.reader).await;
    assert_eq!(composer(&html), "", "posting removed the draft");

    // A move into a category the reader may not see.
    assert_eq!(warm(reader_app, &path, &w.reader).await, StatusCode::OK);
    assert!(listed(reader_app, &w.reader, id).await);
    assert!(listed(reader_app, &w.reader, id).await);
    let moved = writer
        .post(
            &format!("/api/v1/threads/{id}/move"),
            Some(&w.admin),
            json!({"category_id": w.restricted, "reason": "case material"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::NO_CONTENT, "{}", moved.body);
    assert_eq!(
        reader_app.get(&path, &w.reader).await.status,
        StatusCode::NOT_FOUND
    );
    // Nor is it in the list across categories (read in index order, as
    // "not in a category the reader may not see").
    assert!(!listed(reader_app, &w.reader, id).await);
    assert!(listed(writer, &w.admin, id).await);

    // Joining the group opens it; leaving closes it again at once.
    let joined = writer
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{}", w.reader_id),
            Some(&w.admin),
            Some(json!({"groups": [w.group]})),
        )
        .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    assert_eq!(warm(reader_app, &path, &w.reader).await, StatusCode::OK);
    assert!(listed(reader_app, &w.reader, id).await);
    let me = reader_app.get("/api/v1/me", &w.reader).await;
    assert_eq!(me.body["groups"], json!([w.group]));
    let left = writer
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{}", w.reader_id),
            Some(&w.admin),
            Some(json!({"groups": []})),
        )
        .await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.body);
    assert_eq!(
        reader_app.get(&path, &w.reader).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!listed(reader_app, &w.reader, id).await);
    assert_eq!(
        reader_app.get("/api/v1/me", &w.reader).await.body["groups"],
        json!([])
    );

    // A logout ends the token everywhere.
    assert_eq!(
        warm(reader_app, "/api/v1/me", &w.reader).await,
        StatusCode::OK
    );
    let out = writer
        .call(Method::POST, "/api/v1/auth/logout", Some(&w.reader), None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        reader_app.get("/api/v1/me", &w.reader).await.status,
        StatusCode::UNAUTHORIZED
    );

    // A suspension too.
    let again = token(&writer.login("reader", crate::helpers::PASSWORD).await);
    assert_eq!(warm(reader_app, "/api/v1/me", &again).await, StatusCode::OK);
    let suspended = writer
        .post(
            &format!("/api/v1/users/{}/suspend", w.reader_id),
            Some(&w.admin),
            json!({"until": "2099-01-01", "reason": "investigation"}),
        )
        .await;
    assert!(
        suspended.status.is_success(),
        "{} {}",
        suspended.status,
        suspended.body
    );
    assert_eq!(
        reader_app.get("/api/v1/me", &again).await.status,
        StatusCode::UNAUTHORIZED
    );
}

both_backends!(
    changes_are_seen_on_the_very_next_request,
    |backend| async move {
        let app = spawn(backend).await;
        let w = world(&app).await;
        every_change_is_seen_at_once(&app, &app, &w).await;
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgresql_agree_after_each_change() {
    let first = spawn(Backend::Postgres).await;
    let url = first.storage.database_url();
    let second = spawn_with(
        Storage {
            dir: tempfile::tempdir().expect("temp dir"),
            pg: None,
        },
        |settings| settings.database_url = Some(url),
    )
    .await;
    let w = world(&first).await;
    // Written through the first, read through the second…
    every_change_is_seen_at_once(&first, &second, &w).await;
    // …and the other way round.
    let w2 = World {
        reader: token(&first.member(&w.admin, "reader2").await),
        reader_id: 0,
        ..w
    };
    let thread = second
        .thread(
            &w2.reader,
            w2.open,
            "Counterfeit cigarettes",
            "Customs report",
        )
        .await;
    let id = thread["id"].as_i64().unwrap();
    let path = format!("/api/v1/threads/{id}");
    assert_eq!(warm(&first, &path, &w2.reader).await, StatusCode::OK);
    let reply = second
        .post(
            &format!("/api/v1/threads/{id}/posts"),
            Some(&w2.reader),
            json!({"body": "The court accepted the sampling"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(
        bodies(&first.get(&path, &w2.reader).await.body),
        ["Customs report", "The court accepted the sampling"]
    );
    let out = second
        .call(Method::POST, "/api/v1/auth/logout", Some(&w2.reader), None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        first.get("/api/v1/me", &w2.reader).await.status,
        StatusCode::UNAUTHORIZED
    );
}

both_backends!(
    a_thread_answers_304_until_it_changes,
    |backend| async move {
        let app = spawn(backend).await;
        let w = world(&app).await;
        let thread = app
            .thread(&w.reader, w.open, "Tracking and tracing", "Article 8")
            .await;
        let id = thread["id"].as_i64().unwrap();
        let url = format!("{}/api/v1/threads/{id}", app.address);
        let get = |tag: Option<String>, who: String| {
            let client = app.client.clone();
            let url = url.clone();
            async move {
                let mut request = client.get(&url).bearer_auth(who);
                if let Some(tag) = tag {
                    request = request.header("if-none-match", tag);
                }
                request.send().await.unwrap()
            }
        };
        // A copy read before the log's tailer has applied the thread's own
        // creation is dropped when it does (one spare 200): let it settle.
        app.settled().await;
        let first = get(None, w.reader.clone()).await;
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(
            first.headers()["cache-control"],
            "private, no-cache",
            "a member's response is private"
        );
        let tag = first.headers()["etag"].to_str().unwrap().to_owned();
        let again = get(Some(tag.clone()), w.reader.clone()).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert!(again.bytes().await.unwrap().is_empty());
        // Another reader (here: staff, who see hidden posts) never matches.
        let staff = get(Some(tag.clone()), w.admin.clone()).await;
        assert_eq!(staff.status(), StatusCode::OK);
        // A reply changes the tag.
        let reply = app
            .post(
                &format!("/api/v1/threads/{id}/posts"),
                Some(&w.reader),
                json!({"body": "Article 8 applies from 2025"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
        let changed = get(Some(tag.clone()), w.reader.clone()).await;
        assert_eq!(changed.status(), StatusCode::OK);
        assert_ne!(changed.headers()["etag"].to_str().unwrap(), tag);
        let body: Value = changed.json().await.unwrap();
        assert_eq!(bodies(&body).len(), 2);
    }
);

both_backends!(
    large_pages_are_gzipped_and_secrets_are_not,
    |backend| async move {
        let app = spawn(backend).await;
        let w = world(&app).await;
        let long = "The tribunal accepted the laboratory report on the seized insulin. ".repeat(40);
        let thread = app.thread(&w.reader, w.open, "Insulin case", &long).await;
        let id = thread["id"].as_i64().unwrap();
        // reqwest without its gzip feature: the raw body is what was sent.
        let response = app
            .client
            .get(format!("{}/api/v1/threads/{id}", app.address))
            .bearer_auth(&w.reader)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], "gzip");
        let raw = response.bytes().await.unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&raw[..]), &mut text)
            .expect("a gzip body");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(bodies(&body)[0], long);
        assert!(
            raw.len() * 3 < text.len(),
            "compressed: {} of {}",
            raw.len(),
            text.len()
        );
        // Small bodies and clients that do not ask are sent as they are.
        let me = app
            .client
            .get(format!("{}/api/v1/me", app.address))
            .bearer_auth(&w.reader)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert!(me.headers().get("content-encoding").is_none());
        let plain = app
            .client
            .get(format!("{}/api/v1/threads/{id}", app.address))
            .bearer_auth(&w.reader)
            .send()
            .await
            .unwrap();
        assert!(plain.headers().get("content-encoding").is_none());
        // Pages printing kept fragments (the thread's posts, the home
        // page's rows) are compressed from parts, the fragments' compressed
        // once: asked twice, each decompresses (by flate2 and by the
        // system's gzip) to the page sent uncompressed.
        let cookie = format!("comity_access={}", w.reader);
        for path in [format!("/t/{id}"), "/".to_owned()] {
            let get = |gzip: bool| {
                let request = app
                    .client
                    .get(format!("{}{path}", app.address))
                    .header("cookie", cookie.clone());
                let request = if gzip {
                    request.header("accept-encoding", "gzip")
                } else {
                    request
                };
                async move {
                    let response = request.send().await.unwrap();
                    assert_eq!(response.status(), StatusCode::OK);
                    let encoding = response
                        .headers()
                        .get("content-encoding")
                        .map(|v| v.to_str().unwrap().to_owned());
                    (encoding, response.bytes().await.unwrap())
                }
            };
            let (encoding, page) = get(false).await;
            assert_eq!(encoding, None);
            let page = String::from_utf8(page.to_vec()).unwrap();
            assert!(
                page.ends_with("</html>\n") || page.ends_with("</html>"),
                "{path}"
            );
            for _ in 0..2 {
                let (encoding, raw) = get(true).await;
                assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
                let mut text = String::new();
                std::io::Read::read_to_string(
                    &mut flate2::read::GzDecoder::new(&raw[..]),
                    &mut text,
                )
                .expect("a gzip body");
                assert_eq!(text, page, "{path}");
                let mut gunzip = std::process::Command::new("gzip")
                    .arg("-dc")
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .spawn()
                    .expect("gzip is installed");
                let mut input = gunzip.stdin.take().unwrap();
                let sent = raw.clone();
                let writer =
                    std::thread::spawn(move || std::io::Write::write_all(&mut input, &sent));
                let out = gunzip.wait_with_output().unwrap();
                writer.join().unwrap().unwrap();
                assert!(out.status.success(), "gzip -d accepts {path}");
                assert_eq!(String::from_utf8(out.stdout).unwrap(), page, "{path}");
                assert!(
                    raw.len() * 2 < page.len(),
                    "{path}: {} of {}",
                    raw.len(),
                    page.len()
                );
            }
        }
        // The page showing a second-factor secret is never compressed or kept.
        let setup = app
            .client
            .post(format!("{}/settings/totp/begin", app.address))
            .header("cookie", cookie)
            .header("origin", app.address.clone())
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(setup.status(), StatusCode::OK);
        assert_eq!(setup.headers()["cache-control"], "no-store");
        assert!(setup.headers().get("content-encoding").is_none());
    }
);

/// The unread count in page headers follows notifications and reading.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_unread_count_follows_the_log() {
    let app = spawn(Backend::Sqlite).await;
    let w = world(&app).await;
    let author = token(&app.member(&w.admin, "author").await);
    let thread = app
        .thread(&w.reader, w.open, "Watched thread", "Opening")
        .await;
    let id = thread["id"].as_i64().unwrap();
    let count = |who: String| {
        let app = &app;
        async move {
            let page = app
                .client
                .get(format!("{}/", app.address))
                .header("cookie", format!("comity_access={who}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let doc = scraper::Html::parse_document(&page);
            let selector = scraper::Selector::parse("[data-unread]").unwrap();
            doc.select(&selector)
                .next()
                .and_then(|e| e.value().attr("data-unread"))
                .and_then(|n| n.parse::<i64>().ok())
                .unwrap_or(0)
        }
    };
    assert_eq!(count(w.reader.clone()).await, 0);
    assert_eq!(count(w.reader.clone()).await, 0);
    let reply = app
        .post(
            &format!("/api/v1/threads/{id}/posts"),
            Some(&author),
            json!({"body": "A reply the author of the thread is told of"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    app.notified().await;
    assert_eq!(count(w.reader.clone()).await, 1);
    let read = app
        .call(
            Method::POST,
            "/api/v1/notifications/read",
            Some(&w.reader),
            Some(json!({"all": true})),
        )
        .await;
    assert!(read.status.is_success(), "{} {}", read.status, read.body);
    assert_eq!(count(w.reader.clone()).await, 0);
}

both_backends!(
    a_read_asks_for_the_log_head_at_most_once,
    |backend| async move {
        // On PostgreSQL a request reads the log's head once, in the
        // middleware, and everything it then reads (the viewer, the page,
        // the unread count in its header, a miss loaded on the blocking
        // pool) is fresh to that read. A path that skips it pays a second
        // round trip per request; SQLite never reads it.
        let app = spawn(backend).await;
        let w = world(&app).await;
        let thread = app
            .thread(
                &w.reader,
                w.open,
                "Seized insulin",
                "The laboratory report.",
            )
            .await;
        let id = thread["id"].as_i64().unwrap();
        let pages = [
            "/".to_owned(),
            "/c/open-room".to_owned(),
            format!("/t/{id}"),
            "/inbox".to_owned(),
            "/experts".to_owned(),
            "/search?q=insulin".to_owned(),
        ];
        let api = [
            "/api/v1/me".to_owned(),
            "/api/v1/threads".to_owned(),
            format!("/api/v1/threads/{id}"),
            "/api/v1/notifications".to_owned(),
            "/api/v1/search?q=insulin".to_owned(),
        ];
        // Cold (loaded on the blocking pool), then warm (from the caches).
        for round in ["cold", "warm"] {
            let before = app.db.head_reads();
            for path in &pages {
                html_page(&app, path, &w.reader).await;
            }
            for path in &api {
                let reply = app.get(path, &w.reader).await;
                assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
            }
            let reads = app.db.head_reads() - before;
            let requests = (pages.len() + api.len()) as u64;
            match backend {
                Backend::Sqlite => assert_eq!(reads, 0, "{round}"),
                Backend::Postgres => {
                    assert!(
                        (1..=requests).contains(&reads),
                        "{round}: {reads} head reads for {requests} requests"
                    );
                }
            }
        }
    }
);
