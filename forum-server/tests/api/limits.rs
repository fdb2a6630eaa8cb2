//! Rate limits: password guessing is stopped per address whatever headers
//! the client sends; `X-Forwarded-For` counts only behind a trusted proxy;
//! posting is limited per member.

use std::net::IpAddr;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

async fn login_from(
    client: &reqwest::Client,
    address: &str,
    username: &str,
    password: &str,
    forwarded_for: Option<&str>,
) -> (StatusCode, Option<u64>, Value) {
    let mut request = client
        .post(format!("{address}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}));
    if let Some(xff) = forwarded_for {
        request = request
            .header("x-forwarded-for", xff)
            .header("x-real-ip", xff)
            .header("forwarded", format!("for={xff}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (
        status,
        retry_after,
        response.json().await.unwrap_or(Value::Null),
    )
}

fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_from_one_machine_is_stopped_whatever_headers_it_sends() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    app.member(&admin, "amina").await;
    let attacker = client_from("127.0.0.1");

    // Three wrong guesses are answered as wrong; then the address waits,
    // and a new X-Forwarded-For (or X-Real-IP, or Forwarded) each time
    // changes nothing.
    for n in 0..3 {
        let xff = format!("203.0.113.{n}");
        let (status, _, _) = login_from(
            &attacker,
            &app.address,
            "amina",
            "wrong guess 1234",
            Some(&xff),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    for n in 3..8 {
        let xff = format!("198.51.100.{n}");
        let (status, retry_after, body) = login_from(
            &attacker,
            &app.address,
            "Amina",
            "wrong guess 1234",
            Some(&xff),
        )
        .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["error"]["code"], "rate_limited");
        assert!(retry_after.is_some_and(|s| s >= 1), "Retry-After is set");
    }
    // Even the right password waits, from that address.
    let (status, _, _) = login_from(&attacker, &app.address, "amina", PASSWORD, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    // The member, at another address, is not locked out.
    let owner = client_from("127.0.0.2");
    let (status, _, body) = login_from(&owner, &app.address, "amina", PASSWORD, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Spraying many accounts from one address hits the per-address quota.
    let sprayer = client_from("127.0.0.3");
    let started = std::time::Instant::now();
    let mut limited = None;
    for n in 0..40 {
        let (status, _, _) = login_from(
            &sprayer,
            &app.address,
            &format!("user{n}"),
            "wrong guess 1234",
            None,
        )
        .await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(n);
            break;
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // 30 at once, and one more every 2 s while the attempts go on (a slow
    // machine may take that long over 40 logins).
    let refilled = (started.elapsed().as_secs() / 2) as usize;
    assert!(
        limited.is_some_and(|n| (30..=30 + refilled).contains(&n)),
        "30 attempts a minute per address: refused after {limited:?} ({refilled} refilled)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_counts_only_behind_a_trusted_proxy() {
    let app = spawn_with(Storage::new(Backend::Sqlite), |s| {
        s.trusted_proxies = vec!["127.0.0.0/8".to_owned()];
    })
    .await;
    let admin = token(&app.admin().await);
    app.member(&admin, "amina").await;
    let proxy = client_from("127.0.0.1");
    for _ in 0..3 {
        let (status, _, _) = login_from(
            &proxy,
            &app.address,
            "amina",
            "wrong guess 1234",
            Some("203.0.113.5"),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // The guesser waits, even when it prepends an address of its choice
    // (the proxy appends the real one on the right).
    let (status, _, _) = login_from(
        &proxy,
        &app.address,
        "amina",
        PASSWORD,
        Some("198.51.100.7, 203.0.113.5"),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy signs in.
    let (status, _, body) = login_from(
        &proxy,
        &app.address,
        "amina",
        PASSWORD,
        Some("198.51.100.7"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_post_at_a_human_pace_and_staff_are_not_limited() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let member = token(&app.member(&admin, "amina").await);
    let category = app.category(&admin, "medicines").await;
    let thread = app.thread(&admin, category, "Pace", "Start").await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/threads/{thread}/posts");
    let mut created = 0;
    let refused = loop {
        let reply = app
            .post(
                &path,
                Some(&member),
                json!({"body": format!("Reply {created}")}),
            )
            .await;
        if reply.status != StatusCode::CREATED {
            break reply;
        }
        created += 1;
        assert!(created <= 30, "the burst is 30");
    };
    assert_eq!(created, 30);
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.get("retry-after").is_some());
    assert_eq!(
        app.post_count().await,
        31,
        "the refused reply was not stored"
    );
    for n in 0..35 {
        let reply = app
            .post(&path, Some(&admin), json!({"body": format!("Staff {n}")}))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
}

/// On PostgreSQL every process counts together: a guesser alternating
/// between two processes is stopped at the same try as against one, and
/// the account's owner is held back at both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_postgres_stop_a_guesser_at_the_same_try() {
    let app = spawn(Backend::Postgres).await;
    let admin = token(&app.admin().await);
    app.member(&admin, "marie").await;
    let port = crate::durability::free_port();
    let mut other = std::process::Command::new(env!("CARGO_BIN_EXE_forum-server"))
        .arg("serve")
        .env("COMITY_BIND", format!("127.0.0.1:{port}"))
        .env("COMITY_DATA_DIR", app.storage.dir.path().join("other"))
        .env("COMITY_DATABASE_URL", app.storage.database_url())
        .env("COMITY_JWT_SECRET", JWT_SECRET)
        .env("COMITY_SECOND_FACTOR", "optional")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("second forum-server");
    let other_address = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while client
        .get(format!("{other_address}/healthz"))
        .send()
        .await
        .is_err()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "second process never up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let processes = [app.address.clone(), other_address];
    // Three wrong guesses, alternating: each process saw at most two.
    for attempt in 0..3 {
        let (status, _, body) = login_from(
            &client,
            &processes[attempt % 2],
            "marie",
            "wrong password guess",
            None,
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "try {}: {body}",
            attempt + 1
        );
    }
    // The fourth is held back wherever it goes, even with the password.
    for address in processes.iter().rev() {
        let (status, retry_after, body) =
            login_from(&client, address, "marie", "wrong password guess", None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{address}: {body}");
        assert!(retry_after.is_some_and(|s| s >= 1));
        let (status, _, _) = login_from(&client, address, "marie", PASSWORD, None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{address}");
    }
    other.kill().ok();
    other.wait().ok();
}
