//! Live events over a real websocket client: delivery, exact resume across
//! reconnects and restarts, the access rule on subscriptions and on every
//! event, slow clients, limits, and two server processes on PostgreSQL.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::both_backends;
use crate::helpers::*;

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

const WAIT: Duration = Duration::from_secs(10);

fn request(
    address: &str,
    token: &str,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let url = format!("{}/ws", address.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "authorization",
        HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    request
}

pub(crate) async fn connect(address: &str, token: &str) -> Ws {
    let (ws, _) = tokio_tungstenite::connect_async(request(address, token))
        .await
        .expect("websocket handshake");
    ws
}

pub(crate) async fn send(ws: &mut Ws, value: Value) {
    ws.send(Message::text(value.to_string())).await.unwrap();
}

/// The next JSON message, or `None` when the socket closed or nothing came
/// within `wait`.
pub(crate) async fn next_json(ws: &mut Ws, wait: Duration) -> Option<Value> {
    loop {
        match tokio::time::timeout(wait, ws.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => return Some(serde_json::from_str(&text).unwrap()),
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            _ => return None,
        }
    }
}

/// The next message of `kind` (`event`, `subscribed`, `error`, …),
/// skipping presence and typing notices.
pub(crate) async fn next_of(ws: &mut Ws, kind: &str) -> Value {
    loop {
        let message = next_json(ws, WAIT)
            .await
            .unwrap_or_else(|| panic!("no {kind} message arrived"));
        if message["type"] == kind {
            return message;
        }
        assert!(
            matches!(message["type"].as_str(), Some("presence" | "typing")),
            "expected {kind}, got {message}"
        );
    }
}

/// Asserts that no event arrives within `wait`.
pub(crate) async fn assert_no_event(ws: &mut Ws, wait: Duration) {
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Some(Ok(message))) = tokio::time::timeout_at(deadline, ws.next()).await {
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_ne!(value["type"], "event", "unexpected event {value}");
        }
    }
}

/// The close code the server ends the socket with. Errors on the way (an
/// automatic pong written after the server closed) are read past: the
/// close frame may still be in the buffer.
pub(crate) async fn close_code(ws: &mut Ws) -> Option<u16> {
    for _ in 0..10_000 {
        match tokio::time::timeout(WAIT, ws.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| u16::from(f.code)),
            Ok(Some(Ok(_) | Err(_))) => continue,
            Ok(None) | Err(_) => return None,
        }
    }
    None
}

pub(crate) async fn subscribe(ws: &mut Ws, topics: &[String], since: Option<i64>) -> Value {
    let mut message = json!({"type": "subscribe", "topics": topics});
    if let Some(since) = since {
        message["since"] = json!(since);
    }
    send(ws, message).await;
    next_of(ws, "subscribed").await
}

async fn reply(app: &TestApp, token: &str, thread_id: i64, body: &str) -> i64 {
    let reply = app
        .post(
            &format!("/api/v1/threads/{thread_id}/posts"),
            Some(token),
            json!({ "body": body }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_i64().unwrap()
}

/// An admin, a member, a category and a thread.
struct Scene {
    admin: String,
    member: String,
    category: i64,
    thread: i64,
}

async fn scene(app: &TestApp) -> Scene {
    let admin = token(&app.admin().await);
    let member = token(&app.member(&admin, "amina").await);
    let category = app.category(&admin, "medicines").await;
    let thread = app
        .thread(
            &admin,
            category,
            "Falsified medicines online",
            "Who charges what?",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    Scene {
        admin,
        member,
        category,
        thread,
    }
}

both_backends!(
    a_reply_reaches_thread_and_category_subscribers,
    |backend| async move {
        let app = spawn(backend).await;
        let s = scene(&app).await;
        let mut on_thread = connect(&app.address, &s.member).await;
        let subscribed = subscribe(&mut on_thread, &[format!("thread:{}", s.thread)], None).await;
        assert_eq!(
            subscribed["topics"],
            json!([format!("thread:{}", s.thread)])
        );
        let mut on_category = connect(&app.address, &s.member).await;
        subscribe(
            &mut on_category,
            &[format!("category:{}", s.category)],
            None,
        )
        .await;

        let id = reply(&app, &s.admin, s.thread, "Article 5 **MEDICRIME**").await;
        let event = next_of(&mut on_thread, "event").await;
        assert_eq!(event["kind"], "post_created");
        assert_eq!(event["topic"], format!("thread:{}", s.thread));
        assert_eq!(event["thread_id"], s.thread);
        assert_eq!(event["post"]["id"], id);
        assert_eq!(event["post"]["author"]["username"], "admin");
        assert!(
            event["post"]["body_html"]
                .as_str()
                .unwrap()
                .contains("<strong>MEDICRIME</strong>")
        );
        let shown = app
            .get(&format!("/api/v1/threads/{}", s.thread), &s.member)
            .await;
        assert_eq!(
            event["post"], shown.body["posts"][1],
            "same shape as GET thread"
        );

        let event = next_of(&mut on_category, "event").await;
        assert_eq!(event["topic"], format!("category:{}", s.category));
        assert_eq!(event["post"]["id"], id);

        // Edits follow.
        let edited = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/posts/{id}"),
                Some(&s.admin),
                Some(json!({"body": "Article 5 and 6", "edit_reason": "typo"})),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK);
        let event = next_of(&mut on_thread, "event").await;
        assert_eq!(event["kind"], "post_edited");
        assert_eq!(event["post"]["body"], "Article 5 and 6");

        // So do new titles and jurisdiction tags.
        let retagged = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/threads/{}", s.thread),
                Some(&s.admin),
                Some(json!({"title": "Falsified medicines sold online", "jurisdictions": ["MA", "EU"]})),
            )
            .await;
        assert_eq!(retagged.status, StatusCode::OK, "{}", retagged.body);
        let event = next_of(&mut on_thread, "event").await;
        assert_eq!(event["kind"], "thread_updated");
        assert_eq!(event["thread"]["title"], "Falsified medicines sold online");
        assert_eq!(event["thread"]["jurisdictions"], json!(["EU", "MA"]));
    }
);

both_backends!(
    resume_with_since_is_exact_across_reconnects_and_restarts,
    |backend| async move {
        let app = spawn(backend).await;
        let s = scene(&app).await;
        let topic = format!("thread:{}", s.thread);
        let mut ws = connect(&app.address, &s.member).await;
        subscribe(&mut ws, std::slice::from_ref(&topic), None).await;
        reply(&app, &s.admin, s.thread, "before the disconnect").await;
        let seen = next_of(&mut ws, "event").await["seq"].as_i64().unwrap();
        ws.close(None).await.unwrap();
        drop(ws);

        let mut missed = Vec::new();
        for n in 0..50 {
            missed.push(reply(&app, &s.admin, s.thread, &format!("reply {n} while away")).await);
        }

        // Replayed in order, exactly once, before anything live.
        let mut ws = connect(&app.address, &s.member).await;
        send(
            &mut ws,
            json!({"type": "subscribe", "topics": [topic], "since": seen}),
        )
        .await;
        let mut replayed = Vec::new();
        let mut last_seq = seen;
        for _ in 0..50 {
            let event = next_of(&mut ws, "event").await;
            let seq = event["seq"].as_i64().unwrap();
            assert!(seq > last_seq, "seq goes up");
            last_seq = seq;
            replayed.push(event["post"]["id"].as_i64().unwrap());
        }
        assert_eq!(replayed, missed);
        let subscribed = next_of(&mut ws, "subscribed").await;
        assert_eq!(subscribed["seq"], last_seq);
        let live = reply(&app, &s.admin, s.thread, "live again").await;
        let event = next_of(&mut ws, "event").await;
        assert_eq!(event["post"]["id"], live, "no duplicate after the replay");
        drop(ws);

        // The same stream after a restart of the server.
        let storage = app.stop().await;
        let app = spawn_with(storage, |_| {}).await;
        let member = token(&app.login("amina", PASSWORD).await);
        let mut ws = connect(&app.address, &member).await;
        send(
            &mut ws,
            json!({"type": "subscribe", "topics": [topic], "since": seen}),
        )
        .await;
        let mut again = Vec::new();
        for _ in 0..51 {
            again.push(
                next_of(&mut ws, "event").await["post"]["id"]
                    .as_i64()
                    .unwrap(),
            );
        }
        missed.push(live);
        assert_eq!(again, missed);
        next_of(&mut ws, "subscribed").await;

        // A seq from the future (another database) asks for a resync.
        send(&mut ws, json!({"type": "subscribe", "topics": [format!("category:{}", s.category)], "since": last_seq + 1000})).await;
        let resync = next_of(&mut ws, "resync").await;
        assert_eq!(
            resync["topics"],
            json!([format!("category:{}", s.category)])
        );
    }
);

/// A restricted category with one group, and a member of that group.
pub(crate) async fn restricted(app: &TestApp, admin: &str) -> (i64, i64, i64) {
    let db = app.db.clone();
    let group = tokio::task::spawn_blocking(move || db.create_group("Customs working group"))
        .await
        .unwrap()
        .unwrap();
    let reply = app
        .post(
            "/api/v1/categories",
            Some(admin),
            json!({"slug": "case-room", "name": "Case room", "restricted_to_groups": [group]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let category = reply.body["id"].as_i64().unwrap();
    let thread = app
        .thread(
            admin,
            category,
            "Operation Pangea seizures",
            "Restricted facts",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    (group.into(), category, thread)
}

both_backends!(
    restricted_topics_are_refused_and_never_leak,
    |backend| async move {
        let app = spawn(backend).await;
        let s = scene(&app).await;
        let (_group, category, thread) = restricted(&app, &s.admin).await;
        let mut ws = connect(&app.address, &s.member).await;
        // The open thread and category subscribe; the restricted ones answer
        // exactly like ones that do not exist.
        send(
            &mut ws,
            json!({"type": "subscribe", "topics": [
            format!("thread:{thread}"), format!("category:{category}"), "thread:999999",
            format!("category:{}", s.category), "bogus:1"
        ], "since": 0}),
        )
        .await;
        let mut errors = Vec::new();
        loop {
            let message = next_json(&mut ws, WAIT).await.expect("message");
            match message["type"].as_str() {
                Some("error") => errors.push((message["code"].clone(), message["topic"].clone())),
                Some("event") => assert_ne!(message["category_id"], category, "leaked {message}"),
                Some("subscribed") => {
                    assert_eq!(
                        message["topics"],
                        json!([format!("category:{}", s.category)])
                    );
                    break;
                }
                _ => {}
            }
        }
        assert_eq!(
            errors,
            vec![
                (json!("not_found"), json!(format!("thread:{thread}"))),
                (json!("not_found"), json!(format!("category:{category}"))),
                (json!("not_found"), json!("thread:999999")),
                (json!("unknown_topic"), json!("bogus:1")),
            ]
        );
        // A reply in the restricted thread reaches no one outside the group,
        // not even a subscriber of every open topic.
        reply(&app, &s.admin, thread, "Seizure figures for the group").await;
        assert_no_event(&mut ws, Duration::from_millis(700)).await;
    }
);

both_backends!(losing_access_stops_events_at_once, |backend| async move {
    let app = spawn(backend).await;
    let s = scene(&app).await;
    let (group, _category, thread) = restricted(&app, &s.admin).await;
    let member_id = app.get("/api/v1/me", &s.member).await.body["id"]
        .as_i64()
        .unwrap();
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || {
        db.set_group_membership(group.into(), member_id.into(), true)
    })
    .await
    .unwrap()
    .unwrap();
    // Groups are read at sign-in; a fresh session carries the new group.
    let member = token(&app.login("amina", PASSWORD).await);
    let mut ws = connect(&app.address, &member).await;
    subscribe(&mut ws, &[format!("thread:{thread}")], None).await;
    let first = reply(&app, &s.admin, thread, "first, visible").await;
    assert_eq!(next_of(&mut ws, "event").await["post"]["id"], first);

    let db = app.db.clone();
    tokio::task::spawn_blocking(move || {
        db.set_group_membership(group.into(), member_id.into(), false)
    })
    .await
    .unwrap()
    .unwrap();
    let dropped = next_of(&mut ws, "unsubscribed").await;
    assert_eq!(dropped["topic"], format!("thread:{thread}"));
    reply(&app, &s.admin, thread, "second, after removal").await;
    assert_no_event(&mut ws, Duration::from_millis(700)).await;

    // Logging out closes every socket of that session.
    let mut open = connect(&app.address, &s.member).await;
    subscribe(&mut open, &[format!("thread:{}", s.thread)], None).await;
    let out = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/logout",
            Some(&s.member),
            None,
        )
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(close_code(&mut open).await, Some(1008));
    // And the token no longer opens one.
    let refused = tokio_tungstenite::connect_async(request(&app.address, &s.member)).await;
    assert!(refused.is_err());
});

/// A client whose socket reads almost nothing and that never reads.
async fn stalled_client(address: &str, token: &str) -> Ws {
    let addr: std::net::SocketAddr = address.trim_start_matches("http://").parse().unwrap();
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&addr.into()).unwrap();
    socket.set_nonblocking(true).unwrap();
    let stream = TcpStream::from_std(socket.into()).unwrap();
    let (ws, _) =
        tokio_tungstenite::client_async(request(address, token), MaybeTlsStream::Plain(stream))
            .await
            .unwrap();
    ws
}

both_backends!(
    a_stalled_reader_is_closed_while_others_keep_up,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.live.queue_capacity = 64;
            s.live.max_connections_per_user = 100;
        })
        .await;
        let s = scene(&app).await;
        let topic = format!("thread:{}", s.thread);
        let mut stalled = stalled_client(&app.address, &s.member).await;
        subscribe(&mut stalled, std::slice::from_ref(&topic), None).await;
        let mut readers = Vec::new();
        for _ in 0..50 {
            let mut ws = connect(&app.address, &s.member).await;
            subscribe(&mut ws, std::slice::from_ref(&topic), None).await;
            readers.push(ws);
        }
        // Each reader collects the seqs of the replies it gets, concurrently
        // (and cheaply: without parsing whole messages).
        const REPLIES: usize = 250;
        let counting: Vec<_> = readers
            .into_iter()
            .map(|mut ws| {
                tokio::spawn(async move {
                    let mut seqs = Vec::new();
                    while seqs.len() < REPLIES {
                        match tokio::time::timeout(WAIT, ws.next()).await {
                            Ok(Some(Ok(Message::Text(text)))) => {
                                if text.contains("\"kind\":\"post_created\"") {
                                    let at = text.rfind("\"seq\":").unwrap() + 6;
                                    let rest = &text[at..];
                                    let end = rest.find([',', '}']).unwrap();
                                    seqs.push(rest[..end].parse::<i64>().unwrap());
                                }
                            }
                            Ok(Some(Ok(_))) => {}
                            other => panic!("reader ended with {other:?}"),
                        }
                    }
                    seqs
                })
            })
            .collect();
        let body = "Evidence of falsified medicines offered online. ".repeat(400);
        let mut posted = Vec::new();
        for _ in 0..REPLIES {
            posted.push(reply(&app, &s.admin, s.thread, &body).await);
        }
        let mut first: Option<Vec<i64>> = None;
        for reader in counting {
            let seqs = reader.await.unwrap();
            assert!(seqs.windows(2).all(|w| w[0] < w[1]), "in order, once each");
            match &first {
                Some(first) => assert_eq!(&seqs, first, "every reader got the same replies"),
                None => first = Some(seqs),
            }
        }
        assert_eq!(posted.len(), REPLIES);
        // The stalled one was cut off with 1013 ("try again later") after
        // what its queue held.
        let mut received = 0;
        let code = loop {
            match tokio::time::timeout(WAIT, stalled.next()).await {
                Ok(Some(Ok(Message::Close(frame)))) => break frame.map(|f| u16::from(f.code)),
                Ok(Some(Ok(Message::Text(_)))) => received += 1,
                Ok(Some(Ok(_))) => {}
                _ => break None,
            }
        };
        assert_eq!(code, Some(1013));
        assert!(received < REPLIES);
    }
);

both_backends!(handshake_and_frame_limits, |backend| async move {
    let app = spawn_with(Storage::new(backend), |s| {
        s.live.max_connections_per_user = 3;
        s.live.max_frame_bytes = 4096;
    })
    .await;
    let s = scene(&app).await;

    // Another site's page cannot open a socket on the member's behalf.
    let mut cross = request(&app.address, &s.member);
    cross
        .headers_mut()
        .insert("origin", HeaderValue::from_static("https://evil.example"));
    match tokio_tungstenite::connect_async(cross).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("cross-site handshake was not refused: {other:?}"),
    }
    let mut same = request(&app.address, &s.member);
    let origin = app.address.clone();
    same.headers_mut()
        .insert("origin", HeaderValue::from_str(&origin).unwrap());
    let mut ws = tokio_tungstenite::connect_async(same)
        .await
        .expect("same origin")
        .0;

    // No credentials, no socket; a query-string token works.
    let anonymous = format!("{}/ws", app.address.replacen("http", "ws", 1));
    match tokio_tungstenite::connect_async(anonymous.as_str()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 401)
        }
        other => panic!("anonymous handshake was not refused: {other:?}"),
    }
    let with_query = format!("{anonymous}?access_token={}", s.member);
    let (mut by_query, _) = tokio_tungstenite::connect_async(with_query.as_str())
        .await
        .unwrap();
    subscribe(&mut by_query, &[format!("thread:{}", s.thread)], None).await;

    // A per-member cap: three are open (ws, by_query, this one).
    let _third = connect(&app.address, &s.member).await;
    match tokio_tungstenite::connect_async(request(&app.address, &s.member)).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 429)
        }
        other => panic!("fourth connection was not refused: {other:?}"),
    }

    // Garbage gets an error message; an oversized frame closes with 1009.
    ws.send(Message::text("not json")).await.unwrap();
    assert_eq!(next_of(&mut ws, "error").await["code"], "bad_request");
    ws.send(Message::text("x".repeat(5000))).await.unwrap();
    assert_eq!(close_code(&mut ws).await, Some(1009));
});

both_backends!(
    presence_typing_and_churn_leave_nothing_behind,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.live.max_connections_per_user = 1000;
        })
        .await;
        let s = scene(&app).await;
        let topic = format!("thread:{}", s.thread);
        let mut first = connect(&app.address, &s.member).await;
        subscribe(&mut first, std::slice::from_ref(&topic), None).await;
        let mut second = connect(&app.address, &s.admin).await;
        subscribe(&mut second, std::slice::from_ref(&topic), None).await;
        // Two distinct members view the thread.
        loop {
            let message = next_of(&mut first, "presence").await;
            if message["viewers"] == 2 {
                break;
            }
        }
        send(&mut second, json!({"type": "typing", "topic": topic})).await;
        let typing = next_of(&mut first, "typing").await;
        assert_eq!(typing["user"]["username"], "admin");
        drop(second);
        loop {
            if next_of(&mut first, "presence").await["viewers"] == 1 {
                break;
            }
        }
        drop(first);

        // Many connect/disconnect cycles, some closing cleanly, some just
        // dropping the TCP connection.
        for n in 0..300 {
            let mut ws = connect(&app.address, &s.member).await;
            subscribe(&mut ws, std::slice::from_ref(&topic), None).await;
            if n % 2 == 0 {
                ws.close(None).await.unwrap();
            }
        }
        // Only admins see the hub's counts.
        let refused = app.get("/api/v1/admin/live", &s.member).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let stats = app.hub.stats();
            let shown = app.get("/api/v1/admin/live", &s.admin).await;
            assert_eq!(shown.status, StatusCode::OK);
            assert_eq!(shown.body["head"], stats.head);
            if stats.connections == 0 {
                assert_eq!(stats.users, 0);
                assert_eq!(stats.watched_threads, 0);
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "connections left: {stats:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_postgres_share_the_stream_presence_and_typing() {
    let storage = Storage::new(Backend::Postgres);
    // Polling is slowed to a minute: only the database's notification can
    // deliver in time.
    let config = storage.dir.path().join("comity.toml");
    std::fs::write(&config, "[live]\npoll_interval_ms = 60000\n").unwrap();
    let app = spawn_with(storage, |s| s.live.poll_interval_ms = 60_000).await;
    let s = scene(&app).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut other = std::process::Command::new(env!("CARGO_BIN_EXE_forum-server"))
        .arg("serve")
        .env("COMITY_CONFIG", &config)
        .env("COMITY_BIND", format!("127.0.0.1:{port}"))
        .env("COMITY_DATA_DIR", app.storage.dir.path().join("other"))
        .env("COMITY_DATABASE_URL", app.storage.database_url())
        .env("COMITY_JWT_SECRET", JWT_SECRET)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("second forum-server");
    let other_address = format!("http://127.0.0.1:{port}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while app
        .client
        .get(format!("{other_address}/healthz"))
        .send()
        .await
        .is_err()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "second server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut ws = connect(&other_address, &s.member).await;
    subscribe(&mut ws, &[format!("thread:{}", s.thread)], None).await;
    let id = reply(&app, &s.admin, s.thread, "posted through the first process").await;
    let event = tokio::time::timeout(Duration::from_secs(3), next_of(&mut ws, "event"))
        .await
        .expect("delivered by the other process well before its poll");
    assert_eq!(event["post"]["id"], id);

    // Presence and typing cross processes too: the admin views the thread
    // on the first process, the member on the other.
    let topic = format!("thread:{}", s.thread);
    let mut here = connect(&app.address, &s.admin).await;
    subscribe(&mut here, std::slice::from_ref(&topic), None).await;
    let both = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if next_of(&mut here, "presence").await["viewers"] == 2 {
                break;
            }
        }
    })
    .await;
    assert!(both.is_ok(), "the other process's viewer is counted here");
    send(&mut ws, json!({"type": "typing", "topic": topic})).await;
    let typing = tokio::time::timeout(Duration::from_secs(5), next_of(&mut here, "typing"))
        .await
        .expect("typing on the other process shows here");
    assert_eq!(typing["user"]["username"], "amina");
    drop(ws);
    let one = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if next_of(&mut here, "presence").await["viewers"] == 1 {
                break;
            }
        }
    })
    .await;
    assert!(one.is_ok(), "the member left on the other process");
    let _ = other.kill();
    let _ = other.wait();
}

both_backends!(
    a_silent_client_is_dropped_after_the_idle_timeout,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.live.ping_interval_secs = 1;
            s.live.idle_timeout_secs = 2;
        })
        .await;
        let s = scene(&app).await;
        let mut answering = connect(&app.address, &s.member).await;
        let mut silent = connect(&app.address, &s.member).await;
        subscribe(&mut silent, &[format!("thread:{}", s.thread)], None).await;
        // One client keeps reading (and so answers pings); the other reads
        // nothing for longer than the timeout.
        let keep_reading = tokio::spawn(async move {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(4);
            let mut pings = 0;
            while let Ok(Some(Ok(message))) =
                tokio::time::timeout_at(deadline, answering.next()).await
            {
                if matches!(message, Message::Ping(_)) {
                    pings += 1;
                }
            }
            (pings, answering)
        });
        tokio::time::sleep(Duration::from_secs(4)).await;
        // Dropped: told 1001 ("going away"), or, when the close frame did
        // not reach a client that never reads, its connection simply ends.
        // Never still open.
        let started = tokio::time::Instant::now();
        let code = close_code(&mut silent).await;
        assert!(
            code == Some(1001) || (code.is_none() && started.elapsed() < WAIT),
            "the silent client was not dropped: {code:?} after {:?}",
            started.elapsed()
        );
        let (pings, mut answering) = keep_reading.await.unwrap();
        assert!(pings >= 2, "the server pings every second here ({pings})");
        subscribe(&mut answering, &[format!("thread:{}", s.thread)], None).await;
    }
);

both_backends!(
    a_move_is_pushed_without_naming_where_the_thread_came_from,
    |backend| async move {
        let app = spawn(backend).await;
        let s = scene(&app).await;
        let (_group, restricted_category, thread) = restricted(&app, &s.admin).await;
        let mut ws = connect(&app.address, &s.member).await;
        subscribe(&mut ws, &[format!("category:{}", s.category)], None).await;
        let moved = app
            .post(
                &format!("/api/v1/threads/{thread}/move"),
                Some(&s.admin),
                json!({"category_id": s.category, "reason": "belongs with the open cases"}),
            )
            .await;
        assert!(moved.status.is_success(), "{}", moved.body);
        let event = next_of(&mut ws, "event").await;
        assert_eq!(event["kind"], "thread_moved");
        assert_eq!(event["thread_id"], thread);
        // The restricted category it left is not named to a member
        // outside its group.
        assert!(
            event.get("from").is_none() && event.get("to").is_none(),
            "{event}"
        );
        let mut keys: Vec<&str> = event
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["category_id", "kind", "seq", "thread_id", "topic", "type"],
            "{event}"
        );
        assert_ne!(event["category_id"], restricted_category, "{event}");
    }
);
