//! Operating and integrating, through the real server on both backends:
//! `/readyz` says when the schema is not this build's; a member downloads
//! their own data; Atom feeds open in a real feed parser, obey the access
//! rule and marks, answer `304` to a reader that has them, and die when
//! their member revokes them.

use std::io::Read;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

both_backends!(
    readyz_reports_the_database_the_schema_and_the_index,
    |backend| async move {
        let app = spawn(backend).await;
        // Ready once the search index has opened (built, on a fresh start).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let body: Value = loop {
            let ready = app
                .client
                .get(format!("{}/readyz", app.address))
                .send()
                .await
                .unwrap();
            let status = ready.status();
            let body: Value = ready.json().await.unwrap();
            if status == StatusCode::OK {
                break body;
            }
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
            assert_eq!(
                body["index"], "unavailable",
                "only the index may lag: {body}"
            );
            assert!(std::time::Instant::now() < deadline, "never ready: {body}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        assert_eq!(
            body,
            json!({"status": "ready", "database": "ok", "migrations": "current", "index": "ok"})
        );
        // The schema falls behind this build (as when an older copy of the
        // database is put back): not ready, and saying why.
        let forget = "DELETE FROM __diesel_schema_migrations WHERE version = (SELECT MAX(version) FROM __diesel_schema_migrations)";
        let url = app.storage.database_url();
        match backend {
            Backend::Sqlite => diesel::SqliteConnection::establish(&url)
                .unwrap()
                .batch_execute(forget)
                .unwrap(),
            Backend::Postgres => forum_core::store::db::establish_postgres(&url)
                .unwrap()
                .batch_execute(forget)
                .unwrap(),
        }
        let behind = app
            .client
            .get(format!("{}/readyz", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(behind.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body: Value = behind.json().await.unwrap();
        assert_eq!(body["migrations"], "pending");
        assert_eq!(body["status"], "not_ready");
        let alive = app
            .client
            .get(format!("{}/healthz", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(alive.status(), StatusCode::OK, "the process still runs");
    }
);

fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().to_owned(), out)
        })
        .collect()
}

both_backends!(a_member_downloads_their_own_data, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let member = token(&app.member_from(&admin, "fr_judge", "FR", "judge").await);
    let other = token(&app.member_from(&admin, "be_judge", "BE", "judge").await);
    let category = app.category(&admin, "cases").await;
    let file = crate::attachments::upload(
        &app,
        &member,
        "ruling.pdf",
        crate::attachments::pdf(&["Ruling"], "Clerk"),
    )
    .await;
    assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
    let thread = app
        .post("/api/v1/threads", Some(&member), json!({"category_id": category, "title": "Seizure <b>at</b> Le Havre",
              "body": "My first post <script>x</script>", "kind": "discussion", "jurisdictions": ["FR"], "attachments": [file.body["id"]]}))
        .await;
    assert_eq!(thread.status, StatusCode::CREATED, "{}", thread.body);
    let first = thread.body["first_post_id"].as_i64().unwrap();
    let edited = app
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/posts/{first}"),
            Some(&member),
            Some(json!({"body": "My first post, corrected", "edit_reason": "typo"})),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK);
    app.post(
        &format!("/api/v1/threads/{}/posts", thread.body["id"]),
        Some(&other),
        json!({"body": "A colleague's reply, not yours"}),
    )
    .await;
    app.notified().await;

    assert_eq!(
        app.client
            .get(format!("{}/api/v1/me/export", app.address))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let export = app
        .client
        .get(format!("{}/api/v1/me/export", app.address))
        .bearer_auth(&member)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(export.headers()["content-type"], "application/zip");
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("comity-fr_judge.zip")
    );
    let files = unzip(&export.bytes().await.unwrap());
    let data: Value = serde_json::from_slice(&files["data.json"]).unwrap();
    assert_eq!(data["account"]["username"], "fr_judge");
    assert_eq!(data["account"]["email"], "fr_judge@example.org");
    assert_eq!(
        data["posts"].as_array().unwrap().len(),
        1,
        "only their own posts"
    );
    assert_eq!(data["posts"][0]["revisions"].as_array().unwrap().len(), 2);
    assert_eq!(
        data["posts"][0]["revisions"][0]["body"],
        "My first post <script>x</script>"
    );
    assert!(!data.to_string().contains("A colleague's reply"));
    assert!(
        data["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "reply"),
        "{}",
        data["notifications"]
    );
    assert!(!data["sessions"].as_array().unwrap().is_empty());
    let html = String::from_utf8(files["index.html"].clone()).unwrap();
    assert!(
        html.contains("Seizure &#60;b&#62;at&#60;/b&#62; Le Havre")
            || html.contains("Seizure &lt;b&gt;at&lt;/b&gt; Le Havre"),
        "escaped: {html}"
    );
    assert!(
        !html.contains("<script>"),
        "nothing of a post runs in the readable copy"
    );
    let pdf = files
        .iter()
        .find(|(name, _)| name.starts_with("files/") && name.ends_with("-ruling.pdf"))
        .expect("the file");
    assert!(pdf.1.starts_with(b"%PDF"));
});

both_backends!(
    feeds_open_in_a_reader_obey_the_access_rule_and_can_be_revoked,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let french = token(&app.member_from(&admin, "fr_judge", "FR", "judge").await);
        let belgian = token(&app.member_from(&admin, "be_judge", "BE", "judge").await);
        let category = app.category(&admin, "cases").await;
        let group = app
            .post("/api/v1/groups", Some(&admin), json!({"name": "Customs"}))
            .await
            .body["id"]
            .clone();
        let restricted = app
            .post(
                "/api/v1/categories",
                Some(&admin),
                json!({"slug": "customs", "name": "Customs", "restricted_to_groups": [group]}),
            )
            .await;
        assert_eq!(restricted.status, StatusCode::CREATED);
        app.post(
            "/api/v1/threads",
            Some(&french),
            json!({"category_id": category, "title": "Falsified medicines sold online",
        "body": "Open to all.", "kind": "discussion", "jurisdictions": ["FR"]}),
        )
        .await;
        let marked = app
        .post("/api/v1/threads", Some(&belgian), json!({"category_id": category, "title": "A Belgian-only case",
            "body": "For Belgians.", "kind": "discussion", "jurisdictions": ["FR"], "mark": "AMBER+STRICT",
            "mark_recipients": {"countries": ["BE"]}}))
        .await;
        assert_eq!(marked.status, StatusCode::CREATED, "{}", marked.body);

        let me = app.get("/api/v1/me", &french).await.body;
        let feed_token = me["feed_token"].as_str().expect("a feed token").to_owned();
        let get = |path: String, etag: Option<String>| {
            let client = app.client.clone();
            let url = format!("{}{path}", app.address);
            async move {
                let mut request = client.get(url);
                if let Some(etag) = etag {
                    request = request.header("If-None-Match", etag);
                }
                request.send().await.unwrap()
            }
        };
        let feed = get(format!("/feeds/{feed_token}/category/cases.atom"), None).await;
        assert_eq!(feed.status(), StatusCode::OK);
        assert!(
            feed.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/atom+xml")
        );
        let etag = feed.headers()["etag"].to_str().unwrap().to_owned();
        let parsed = feed_rs::parser::parse(&feed.bytes().await.unwrap()[..]).expect("valid Atom");
        let titles: Vec<String> = parsed
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        assert_eq!(
            titles,
            vec!["Falsified medicines sold online"],
            "the marked thread is not in a French judge's feed"
        );
        assert!(
            parsed.entries[0].links[0]
                .href
                .ends_with(&format!("/t/{}", 1))
        );
        // The Belgian's feed has both.
        let belgian_token = app.get("/api/v1/me", &belgian).await.body["feed_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let theirs = get(format!("/feeds/{belgian_token}/category/cases.atom"), None).await;
        let parsed = feed_rs::parser::parse(&theirs.bytes().await.unwrap()[..]).unwrap();
        assert_eq!(parsed.entries.len(), 2);
        // Regions expanded: a thread tagged FR is in the EU's feed.
        let eu = get(format!("/feeds/{feed_token}/jurisdiction/EU.atom"), None).await;
        assert_eq!(eu.status(), StatusCode::OK);
        let parsed = feed_rs::parser::parse(&eu.bytes().await.unwrap()[..]).unwrap();
        assert_eq!(parsed.entries.len(), 1);
        // A restricted category is no feed for an outsider; nor is a bad token.
        assert_eq!(
            get(format!("/feeds/{feed_token}/category/customs.atom"), None)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        let forged = format!("{}-0-{}", me["id"], "00".repeat(32));
        assert_eq!(
            get(format!("/feeds/{forged}/category/cases.atom"), None)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        // Unchanged: 304.
        assert_eq!(
            get(
                format!("/feeds/{feed_token}/category/cases.atom"),
                Some(etag)
            )
            .await
            .status(),
            StatusCode::NOT_MODIFIED
        );
        // A saved search as a feed: the same search and the same rule.
        app.indexed().await;
        let search = |token: &str| format!("/feeds/{token}/search.atom?q=case&jurisdiction=FR");
        let found = get(search(&feed_token), None).await;
        assert_eq!(found.status(), StatusCode::OK);
        let search_etag = found.headers()["etag"].to_str().unwrap().to_owned();
        let parsed = feed_rs::parser::parse(&found.bytes().await.unwrap()[..]).expect("valid Atom");
        assert!(
            parsed.entries.is_empty(),
            "the Belgian-only case is not in a French judge's search"
        );
        let theirs = get(search(&belgian_token), None).await;
        let parsed = feed_rs::parser::parse(&theirs.bytes().await.unwrap()[..]).unwrap();
        let titles: Vec<String> = parsed
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        assert_eq!(titles, vec!["A Belgian-only case"]);
        let all = get(format!("/feeds/{feed_token}/search.atom?q=medicines"), None).await;
        let parsed = feed_rs::parser::parse(&all.bytes().await.unwrap()[..]).unwrap();
        assert_eq!(parsed.entries.len(), 1);
        assert!(parsed.title.unwrap().content.contains("search: medicines"));
        assert_eq!(
            get(search(&feed_token), Some(search_etag)).await.status(),
            StatusCode::NOT_MODIFIED
        );
        assert_eq!(
            get(
                format!("/feeds/{feed_token}/search.atom?q=x&sort=sideways"),
                None
            )
            .await
            .status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        // The search page offers its feed.
        let (_, html, _) = crate::pages::signed_in(&app, "fr_judge")
            .await
            .get("/search?q=medicines")
            .await;
        assert!(
            html.contains(&format!("/feeds/{feed_token}/search.atom?q=medicines")),
            "{html}"
        );
        // Revoked: the old link dies, the new one works.
        let revoked = app
            .post("/api/v1/me/feed-token", Some(&french), json!({}))
            .await;
        assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
        let fresh = revoked.body["feed_token"].as_str().unwrap().to_owned();
        assert_ne!(fresh, feed_token);
        assert_eq!(
            get(format!("/feeds/{feed_token}/category/cases.atom"), None)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(format!("/feeds/{fresh}/category/cases.atom"), None)
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            app.get("/api/v1/me", &french).await.body["feed_token"],
            fresh.as_str()
        );
    }
);

both_backends!(
    metrics_scrape_cleanly_for_loopback_or_with_the_token,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.trusted_proxies = vec!["127.0.0.1/32".to_owned()];
            s.metrics_token = Some("a-long-metrics-token-for-tests".to_owned());
            s.metrics_bind = Some("127.0.0.1:0".parse().unwrap());
        })
        .await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "cases").await;
        let thread = app.thread(&admin, category, "Metrics thread", "Body").await["id"]
            .as_i64()
            .unwrap();
        assert_eq!(
            app.get(&format!("/api/v1/threads/{thread}"), &admin)
                .await
                .status,
            StatusCode::OK
        );
        app.indexed().await;
        let scrape = |forwarded: Option<&'static str>, bearer: Option<&'static str>| {
            let mut request = app.client.get(format!("{}/metrics", app.address));
            if let Some(ip) = forwarded {
                request = request.header("X-Forwarded-For", ip);
            }
            if let Some(t) = bearer {
                request = request.bearer_auth(t);
            }
            request.send()
        };
        let local = scrape(None, None).await.unwrap();
        assert_eq!(local.status(), StatusCode::OK);
        assert!(
            local.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain; version=0.0.4")
        );
        let text = local.text().await.unwrap();
        let parsed =
            openmetrics_parser::prometheus::parse_prometheus(&text).expect("Prometheus text");
        // The samples of family `name`, as (labels, value).
        let samples = |name: &str| -> Vec<(std::collections::HashMap<String, String>, String)> {
            let family = parsed
                .families
                .get(name)
                .unwrap_or_else(|| panic!("no {name} in {text}"));
            family
                .iter_samples()
                .map(|s| {
                    let set = s.get_labelset().unwrap();
                    let labels = family
                        .get_label_names()
                        .iter()
                        .filter_map(|k| {
                            set.get_label_value(k)
                                .map(|v| (k.to_string(), v.to_owned()))
                        })
                        .collect();
                    (labels, format!("{:?}", s.value))
                })
                .collect()
        };
        // The recorder is the process's: other tests' requests are in it
        // too, so look for this request's own series.
        let routed = |name: &str, route: &str| {
            samples(name).into_iter().find(|(labels, _)| {
                labels.get("route").map(String::as_str) == Some(route)
                    && labels.get("method").map(String::as_str) == Some("GET")
                    && labels.get("status").is_none_or(|status| status == "200")
            })
        };
        routed("comity_http_requests_total", "/api/v1/threads/{id}")
            .expect("GET /api/v1/threads/{id} 200, by route pattern");
        assert!(
            routed(
                "comity_http_request_duration_seconds",
                "/api/v1/threads/{id}"
            )
            .is_some(),
            "latency histogram"
        );
        assert!(
            !text.contains(&format!("/api/v1/threads/{thread}\"")),
            "paths with ids never become series"
        );
        let head = samples("comity_event_log_head");
        assert!(!head[0].1.contains("Int(0)"), "the log's head: {:?}", head);
        let followers: Vec<String> = samples("comity_follower_lag_events")
            .into_iter()
            .filter_map(|(labels, _)| labels.get("follower").cloned())
            .collect();
        for follower in ["hub", "indexer", "notifier"] {
            assert!(followers.iter().any(|f| f == follower), "{follower}");
        }
        for name in [
            "comity_websocket_connections",
            "comity_db_pool_connections",
            "comity_search_index_bytes",
        ] {
            assert!(!samples(name).is_empty(), "{name}");
        }
        // A client beyond the proxy: only with the token.
        let outside = scrape(Some("203.0.113.9"), None).await.unwrap();
        assert_eq!(outside.status(), StatusCode::FORBIDDEN);
        let body: Value = outside.json().await.unwrap();
        assert_eq!(body["error"]["code"], "forbidden");
        assert_eq!(
            scrape(Some("203.0.113.9"), Some("a-wrong-token-of-some-length"))
                .await
                .unwrap()
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            scrape(Some("203.0.113.9"), Some("a-long-metrics-token-for-tests"))
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
        // `metrics_bind`: the metrics, and nothing else, on their own address.
        let own = format!(
            "http://127.0.0.1:{}",
            app.metrics_port.expect("metrics_bind listens")
        );
        let there = app
            .client
            .get(format!("{own}/metrics"))
            .header("X-Forwarded-For", "203.0.113.9")
            .send()
            .await
            .unwrap();
        assert_eq!(there.status(), StatusCode::OK);
        assert!(
            there
                .text()
                .await
                .unwrap()
                .contains("comity_http_requests_total")
        );
        assert_eq!(
            app.client
                .get(format!("{own}/api/v1/me"))
                .bearer_auth(&admin)
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND
        );
    }
);

/// Reads the server's standard output until a line contains `marker`; the
/// rest is drained by a thread (a closed pipe would end the server).
fn lines_until(child: &mut std::process::Child, marker: &str) -> Vec<String> {
    use std::io::BufRead;
    let out = child.stdout.take().expect("piped stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(60)) {
        let done = line.contains(marker);
        lines.push(line);
        if done {
            return lines;
        }
    }
    panic!("the server never said {marker:?}: {lines:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_are_json_lines_or_plain_text_and_one_server_holds_a_data_directory() {
    let storage = Storage::new(Backend::Sqlite);
    let start = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_forum-server"))
            .arg("serve")
            .env(
                "COMITY_BIND",
                format!("127.0.0.1:{}", crate::durability::free_port()),
            )
            .env("COMITY_DATA_DIR", storage.data_dir())
            .env("COMITY_DATABASE_URL", storage.database_url())
            .env("COMITY_LOG_FORMAT", format)
            .env("RUST_LOG", "info")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };

    let mut json_server = start("json");
    let lines = lines_until(&mut json_server, "comity is listening");
    let events: Vec<Value> = lines
        .iter()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let listening = events
        .iter()
        .find(|e| e["message"] == "comity is listening")
        .unwrap_or_else(|| panic!("a JSON event says it listens: {lines:?}"));
    assert_eq!(listening["level"], "INFO");
    assert!(
        listening["address"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    assert!(listening["timestamp"].is_string());

    // A second server on the same data directory is refused.
    let second = start("text").wait_with_output().unwrap();
    assert!(!second.status.success());
    let said = String::from_utf8_lossy(&second.stderr);
    assert!(said.contains("another forum-server process uses"), "{said}");
    json_server.kill().unwrap();
    json_server.wait().unwrap();

    // Plain text into a pipe: no colour codes.
    let mut text_server = start("text");
    let lines = lines_until(&mut text_server, "comity is listening");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("INFO") && l.contains("comity is listening"))
    );
    assert!(lines.iter().all(|l| !l.contains('\u{1b}')), "{lines:?}");
    text_server.kill().unwrap();
    text_server.wait().unwrap();

    // A format the server does not know is a clear refusal.
    let unknown = start("yaml").wait_with_output().unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("log_format must be text or json"));
}
