//! E-mail through a real SMTP server started by the test: immediate
//! e-mails, digests of what is unread, the one-click unsubscribe link, the
//! preferences, and access checked again when e-mail is sent.

use forum_server::config::EmailSettings;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;
use crate::notifications::{new_thread, page, reply, texts, watch};
use crate::smtp::{Received, SMTP_PASSWORD, SMTP_USER, SmtpServer};

/// A server that sends e-mail to a fresh SMTP server.
async fn spawn_mailing(backend: Backend) -> (TestApp, SmtpServer) {
    let smtp = SmtpServer::start();
    let port = smtp.port;
    let app = spawn_with(Storage::new(backend), move |s| {
        s.email = EmailSettings {
            smtp_host: Some("127.0.0.1".into()),
            smtp_port: Some(port),
            tls: "none".into(),
            username: Some(SMTP_USER.into()),
            password: Some(SMTP_PASSWORD.into()),
            from: Some("Comity <forum@comity.test>".into()),
            ..EmailSettings::default()
        };
    })
    .await;
    assert!(app.mailer.is_some());
    (app, smtp)
}

/// A category only `members` (user ids) may enter.
async fn closed_room(app: &TestApp, admin: &str, slug: &str, members: &[i64]) -> (i64, i64) {
    let group = app
        .post(
            "/api/v1/groups",
            Some(admin),
            json!({"name": format!("Team {slug}")}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    for member in members {
        let joined = app
            .post(
                &format!("/api/v1/groups/{group}/members"),
                Some(admin),
                json!({"user_id": member}),
            )
            .await;
        assert_eq!(joined.status, StatusCode::NO_CONTENT);
    }
    let room = app
        .post(
            "/api/v1/categories",
            Some(admin),
            json!({"slug": slug, "name": format!("Room {slug}"), "restricted_to_groups": [group]}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    (room, group)
}

async fn set_email(app: &TestApp, token: &str, body: serde_json::Value) -> Reply {
    app.call(Method::PUT, "/api/v1/me/email", Some(token), Some(body))
        .await
}

/// A member's (immediate, digest) e-mail choices, as the API gives them.
async fn choices(app: &TestApp, token: &str) -> (String, String) {
    let prefs = app.get("/api/v1/me/email", token).await;
    assert_eq!(prefs.status, StatusCode::OK, "{}", prefs.body);
    (
        prefs.body["immediate"].as_str().unwrap().to_owned(),
        prefs.body["digest"].as_str().unwrap().to_owned(),
    )
}

fn subjects(mails: &[Received]) -> Vec<String> {
    mails.iter().map(Received::subject).collect()
}

both_backends!(
    a_member_watching_morocco_hears_of_analyses_and_answers_and_never_of_a_closed_room,
    |backend| async move {
        let (app, smtp) = spawn_mailing(backend).await;
        let admin = token(&app.admin().await);
        let maria = token(&app.member_from(&admin, "maria", "MA", "judge").await);
        let bob_login = app.member_from(&admin, "bob", "ES", "prosecutor").await;
        let bob = token(&bob_login);
        let carol = token(&app.member_from(&admin, "carol", "FR", "customs").await);
        let (room, _) = closed_room(
            &app,
            &admin,
            "case-room",
            &[bob_login["user"]["id"].as_i64().unwrap()],
        )
        .await;
        let general = app.category(&admin, "general").await;
        assert_eq!(
            watch(&app, &maria, "jurisdiction:MA", "watching").await,
            StatusCode::OK
        );

        let question = app
            .thread(
                &maria,
                general,
                "Falsified medicines in transit through Tanger Med",
                "Which offence applies to goods only in transit?",
            )
            .await["id"]
            .as_i64()
            .unwrap();
        new_thread(&app, &bob, general, "analysis", &["MA"]).await;
        reply(
            &app,
            &carol,
            question,
            "The customs code applies at the border.",
        )
        .await;
        // The same in a room Maria cannot enter: nothing, not even a mention.
        new_thread(&app, &bob, room, "analysis", &["MA"]).await;
        app.thread(
            &bob,
            room,
            "Operation Atlas",
            "Ask @maria? No: she is not in the team.",
        )
        .await;
        app.mailed().await;

        let mails = smtp.wait_for("maria@example.org", 2).await;
        assert_eq!(
            subjects(&mails),
            [
                "[Comity] New in what you watch: “A analysis on [\"MA\"]”",
                "[Comity] carol (FR) replied in “Falsified medicines in transit through Tanger Med”",
            ],
        );
        assert_eq!(smtp.messages().len(), 2, "{:?}", subjects(&smtp.messages()));
        for mail in &mails {
            assert_eq!(mail.header("From").unwrap(), "Comity <forum@comity.test>");
            assert_eq!(mail.header("Auto-Submitted").unwrap(), "auto-generated");
            assert_eq!(
                mail.header("List-Unsubscribe").unwrap(),
                format!("<{}>", mail.unsubscribe_link())
            );
            assert_eq!(
                mail.header("List-Unsubscribe-Post").unwrap(),
                "List-Unsubscribe=One-Click"
            );
            let body = mail.body();
            assert!(body.contains(&format!("{}/inbox/", app.address)), "{body}");
            assert!(!body.contains("Atlas"), "{body}");
        }
        // Nothing more arrives for the closed room, however long one waits
        // for the mailer: everything due was handled.
        app.mailed().await;
        assert_eq!(smtp.messages().len(), 2);
    }
);

both_backends!(
    one_email_per_unread_notification_and_direct_means_direct,
    |backend| async move {
        let (app, smtp) = spawn_mailing(backend).await;
        let admin = token(&app.admin().await);
        let alice = token(&app.member_from(&admin, "alice", "FR", "judge").await);
        let bob = token(&app.member_from(&admin, "bob", "ES", "prosecutor").await);
        let general = app.category(&admin, "general").await;
        let thread = app
            .thread(&alice, general, "Tobacco tax stamps", "Question.")
            .await["id"]
            .as_i64()
            .unwrap();
        for i in 0..3 {
            reply(&app, &bob, thread, &format!("Answer {i}")).await;
        }
        app.mailed().await;
        // Three replies collapse into one unread notification: one e-mail.
        assert_eq!(smtp.to("alice@example.org").len(), 1);
        let read = app
            .post(
                "/api/v1/notifications/read",
                Some(&alice),
                json!({"all": true}),
            )
            .await;
        assert_eq!(read.status, StatusCode::NO_CONTENT);
        reply(&app, &bob, thread, "Answer after reading").await;
        app.mailed().await;
        assert_eq!(smtp.wait_for("alice@example.org", 2).await.len(), 2);

        // `direct`: a reply in a thread Alice only watches is not e-mailed;
        // a quote of her post is.
        let set = set_email(&app, &alice, json!({"immediate": "direct"})).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        let other = app
            .thread(&bob, general, "Free zones", "Where do goods stand?")
            .await["id"]
            .as_i64()
            .unwrap();
        let alices = reply(&app, &alice, other, "In no country at all.").await;
        app.post(
            "/api/v1/notifications/read",
            Some(&alice),
            json!({"all": true}),
        )
        .await;
        reply(&app, &bob, other, "A reply to the thread, not to Alice.").await;
        app.mailed().await;
        assert_eq!(smtp.to("alice@example.org").len(), 2);
        // Bob quotes her with the "Quote" link, which fills in the reply.
        let (status, doc) = page(&app, &format!("/t/{other}?quote={alices}"), &bob).await;
        assert_eq!(status, StatusCode::OK);
        let draft = texts(&doc, "#reply-body").remove(0);
        assert_eq!(
            draft,
            format!("> [@alice](/t/{other}#post-{alices}):\n> In no country at all.")
        );
        assert_eq!(
            doc.select(&scraper::Selector::parse("input[name=reply_to]").unwrap())
                .next()
                .unwrap()
                .value()
                .attr("value"),
            Some(alices.to_string().as_str())
        );
        reply(&app, &bob, other, &format!("{draft}\n\nNot so.")).await;
        let mails = smtp.wait_for("alice@example.org", 3).await;
        assert_eq!(
            mails[2].subject(),
            "[Comity] bob (ES) quoted you in “Free zones”"
        );
        let list = app.get("/api/v1/notifications?unread=true", &alice).await;
        let kinds: Vec<&str> = list.body["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["quote", "reply"], "{}", list.body);
    }
);

both_backends!(
    the_unsubscribe_link_works_without_signing_in,
    |backend| async move {
        let (app, smtp) = spawn_mailing(backend).await;
        let admin = token(&app.admin().await);
        let alice = token(&app.member_from(&admin, "alice", "FR", "judge").await);
        let bob = token(&app.member_from(&admin, "bob", "ES", "prosecutor").await);
        let general = app.category(&admin, "general").await;
        app.thread(
            &bob,
            general,
            "Cigarette smuggling",
            "What does @alice think?",
        )
        .await;
        let mail = smtp.wait_for("alice@example.org", 1).await.remove(0);
        assert_eq!(
            mail.subject(),
            "[Comity] bob (ES) mentioned you in “Cigarette smuggling”"
        );
        let link = mail.unsubscribe_link();
        assert!(link.starts_with(&format!("{}/email/unsubscribe?token=", app.address)));

        // No cookies, no bearer: a stranger's browser.
        let stranger = reqwest::Client::new();
        let asked = stranger.get(&link).send().await.unwrap();
        assert_eq!(asked.status(), StatusCode::OK);
        let html = scraper::Html::parse_document(&asked.text().await.unwrap());
        assert_eq!(
            texts(&html, "form[action='/email/unsubscribe'] button"),
            ["Stop all e-mail"]
        );
        // Following the link changes nothing by itself (mail scanners do).
        let prefs = app.get("/api/v1/me/email", &alice).await;
        assert_eq!(prefs.body["immediate"], "watching");
        assert_eq!(prefs.body["digest"], "weekly");
        assert_eq!(prefs.body["address"], "alice@example.org");
        assert_eq!(prefs.body["enabled"], true);

        // A forged or altered token is refused, and a token is no key.
        let token_value = link.split("token=").nth(1).unwrap().to_owned();
        // One character of the signature changed (not the last, whose low
        // bits are padding).
        let mut forged: Vec<char> = token_value.chars().collect();
        let at = forged.len() - 10;
        forged[at] = if forged[at] == 'A' { 'B' } else { 'A' };
        let forged: String = forged.into_iter().collect();
        for bad in [forged.as_str(), "nonsense", ""] {
            let refused = stranger
                .post(format!("{}/email/unsubscribe", app.address))
                .form(&[("token", bad)])
                .send()
                .await
                .unwrap();
            assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{bad}");
        }
        let as_bearer = app.get("/api/v1/me", &token_value).await;
        assert_eq!(as_bearer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            app.get("/api/v1/me/email", &alice).await.body["immediate"],
            "watching"
        );

        // The page's one button.
        let done = stranger
            .post(format!("{}/email/unsubscribe", app.address))
            .form(&[("token", token_value.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), StatusCode::OK);
        assert_eq!(choices(&app, &alice).await, ("off".into(), "off".into()));
        app.thread(&bob, general, "Second question", "And now, @alice?")
            .await;
        app.mailed().await;
        assert_eq!(smtp.to("alice@example.org").len(), 1);

        // RFC 8058: the mail client posts `List-Unsubscribe=One-Click` to the link.
        let set = set_email(
            &app,
            &alice,
            json!({"immediate": "direct", "digest": "daily"}),
        )
        .await;
        assert_eq!(set.status, StatusCode::OK);
        let one_click = stranger
            .post(&link)
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(one_click.status(), StatusCode::OK);
        assert_eq!(choices(&app, &alice).await, ("off".into(), "off".into()));
    }
);

both_backends!(
    digests_hold_exactly_what_is_unread_and_still_visible,
    |backend| async move {
        let (app, smtp) = spawn_mailing(backend).await;
        let mailer = app.mailer.clone().unwrap();
        let admin = token(&app.admin().await);
        let maria_login = app.member_from(&admin, "maria", "MA", "judge").await;
        let maria_id = maria_login["user"]["id"].as_i64().unwrap();
        let maria = token(&maria_login);
        let bob = token(&app.member_from(&admin, "bob", "ES", "prosecutor").await);
        let (room, group) = closed_room(&app, &admin, "task-force", &[maria_id]).await;
        let general = app.category(&admin, "general").await;
        let set = set_email(&app, &maria, json!({"immediate": "off", "digest": "daily"})).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        assert_eq!(set.body["digest"], "daily");

        let question = app
            .thread(
                &maria,
                general,
                "Seized cigarettes as evidence",
                "How long must they be kept?",
            )
            .await["id"]
            .as_i64()
            .unwrap();
        reply(&app, &bob, question, "Until judgment.").await;
        reply(&app, &bob, question, "Samples only, in Spain.").await;
        app.thread(
            &bob,
            general,
            "Destruction orders",
            "@maria, what do Moroccan courts order?",
        )
        .await;
        let read_thread = app
            .thread(&bob, general, "Already read", "@maria has seen this one.")
            .await["id"]
            .as_i64()
            .unwrap();
        app.thread(&admin, room, "Operation Sirocco", "Team only. @maria")
            .await;
        app.notified().await;
        let unread = app.get("/api/v1/notifications?unread=true", &maria).await;
        assert_eq!(unread.body["unread"], 4, "{}", unread.body);
        let seen: Vec<i64> = unread.body["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["thread_id"] == read_thread)
            .map(|n| n["id"].as_i64().unwrap())
            .collect();
        app.post(
            "/api/v1/notifications/read",
            Some(&maria),
            json!({"ids": seen}),
        )
        .await;
        // Maria leaves the task force before the digest goes out.
        let left = app
            .post(
                &format!("/api/v1/groups/{group}/members"),
                Some(&admin),
                json!({"user_id": maria_id, "member": false}),
            )
            .await;
        assert_eq!(left.status, StatusCode::NO_CONTENT);

        // Not due yet: a day has not passed.
        let db = app.db.clone();
        let m = mailer.clone();
        let now = forum_core::now();
        let sent = tokio::task::spawn_blocking(move || m.send_digests(&db, now))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sent, 0);
        assert!(
            smtp.to("maria@example.org").is_empty(),
            "immediate e-mail is off"
        );

        let tomorrow = now + chrono::Duration::hours(25);
        let db = app.db.clone();
        let m = mailer.clone();
        let sent = tokio::task::spawn_blocking(move || m.send_digests(&db, tomorrow))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sent, 1);
        let mails = smtp.wait_for("maria@example.org", 1).await;
        assert_eq!(mails.len(), 1);
        let digest = &mails[0];
        assert_eq!(
            digest.subject(),
            "[Comity] 2 notifications you have not read"
        );
        let body = digest.body();
        let lines: Vec<&str> = body.lines().filter(|l| l.starts_with("* ")).collect();
        assert_eq!(
            lines,
            [
                "* bob (ES) mentioned you in “Destruction orders”",
                "* 2 new replies in “Seized cigarettes as evidence”",
            ],
            "{body}"
        );
        assert!(
            !body.contains("Sirocco") && !body.contains("Already read"),
            "{body}"
        );
        assert!(digest.header("List-Unsubscribe").is_some());

        // The period restarted: nothing new, nothing sent.
        let db = app.db.clone();
        let later = tomorrow + chrono::Duration::hours(1);
        let sent = tokio::task::spawn_blocking(move || mailer.send_digests(&db, later))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sent, 0);
        assert_eq!(smtp.to("maria@example.org").len(), 1);
    }
);

both_backends!(
    email_preferences_through_the_api_and_the_settings_page,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let alice = token(&app.member_from(&admin, "alice", "FR", "judge").await);
        let prefs = app.get("/api/v1/me/email", &alice).await;
        assert_eq!(prefs.status, StatusCode::OK);
        assert_eq!(prefs.body["enabled"], false, "no SMTP server in this test");
        // Without a mailer nothing is marked for e-mail (nothing piles up
        // to be sent the day SMTP is configured).
        let bob = token(&app.member_from(&admin, "bob", "ES", "prosecutor").await);
        let general = app.category(&admin, "general").await;
        app.thread(&bob, general, "A question", "@alice?").await;
        app.notified().await;
        assert_eq!(
            app.get("/api/v1/notifications", &alice).await.body["unread"],
            1
        );
        assert_eq!(app.db.pending_emails().unwrap(), 0);

        for (body, field) in [
            (json!({"immediate": "always"}), "immediate"),
            (json!({"digest": "hourly"}), "digest"),
            (json!({"immediate": 3}), ""),
            (json!({"frequency": "daily"}), ""),
        ] {
            let refused = set_email(&app, &alice, body.clone()).await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            if !field.is_empty() {
                assert_eq!(refused.body["error"]["field"], field, "{}", refused.body);
            }
        }
        assert_eq!(
            app.get("/api/v1/me/email", &alice).await.body["immediate"],
            "watching"
        );
        let anonymous = app
            .call(
                Method::PUT,
                "/api/v1/me/email",
                None,
                Some(json!({"digest": "off"})),
            )
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

        let (status, doc) = page(&app, "/settings", &alice).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            texts(&doc, "#email_immediate option[selected]"),
            ["Those, and everything I watch"]
        );
        assert_eq!(texts(&doc, "#email_digest option[selected]"), ["Weekly"]);
        assert_eq!(
            texts(&doc, "#email .notice").len(),
            1,
            "the page says e-mail is off"
        );
        let saved = app
            .client
            .post(format!("{}/settings/email", app.address))
            .bearer_auth(&alice)
            .form(&[("immediate", "direct"), ("digest", "daily")])
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
        let (_, doc) = page(&app, "/settings?done=email", &alice).await;
        assert_eq!(
            texts(&doc, "#email_immediate option[selected]"),
            ["Mentions, quotes and replies to me"]
        );
        assert_eq!(texts(&doc, "#email_digest option[selected]"), ["Daily"]);
        let bad = app
            .client
            .post(format!("{}/settings/email", app.address))
            .bearer_auth(&alice)
            .form(&[("immediate", "loud"), ("digest", "daily")])
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            choices(&app, &alice).await,
            ("direct".into(), "daily".into())
        );
    }
);

both_backends!(
    an_email_held_up_by_the_smtp_server_is_checked_again_when_it_goes,
    |backend| async move {
        let (app, smtp) = spawn_mailing(backend).await;
        let mailer = app.mailer.clone().unwrap();
        let admin = token(&app.admin().await);
        let maria_login = app.member_from(&admin, "maria", "MA", "judge").await;
        let maria_id = maria_login["user"]["id"].as_i64().unwrap();
        let maria = token(&maria_login);
        let bob = token(&app.member_from(&admin, "bob", "ES", "prosecutor").await);
        let (room, group) = closed_room(&app, &admin, "task-force", &[maria_id]).await;
        let general = app.category(&admin, "general").await;
        assert_eq!(
            watch(&app, &maria, &format!("category:{general}"), "watching").await,
            StatusCode::OK
        );

        smtp.refuse(true);
        app.thread(&admin, room, "Operation Sirocco", "Team only. @maria")
            .await;
        // Due because Maria watches the category…
        app.thread(
            &bob,
            general,
            "Another matter",
            "Nothing for Maria in particular.",
        )
        .await;
        app.thread(
            &bob,
            general,
            "Open question",
            "@maria, a question for you.",
        )
        .await;
        app.notified().await;
        smtp.wait_for_refusal().await;
        // Maria leaves the task force while her e-mails wait.
        let left = app
            .post(
                &format!("/api/v1/groups/{group}/members"),
                Some(&admin),
                json!({"user_id": maria_id, "member": false}),
            )
            .await;
        assert_eq!(left.status, StatusCode::NO_CONTENT);
        // …and then she asks for e-mail only about what is addressed to her.
        let set = set_email(&app, &maria, json!({"immediate": "direct"})).await;
        assert_eq!(set.status, StatusCode::OK);
        smtp.refuse(false);
        // The server's mailer backs off after a failure; send what is due now.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while app.db.pending_emails().unwrap() > 0 {
            assert!(std::time::Instant::now() < deadline, "e-mail still waiting");
            let (db, m) = (app.db.clone(), mailer.clone());
            tokio::task::spawn_blocking(move || m.send_due(&db))
                .await
                .unwrap()
                .unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let mails = smtp.to("maria@example.org");
        assert_eq!(
            subjects(&mails),
            ["[Comity] bob (ES) mentioned you in “Open question”"]
        );
    }
);

/// Starts the real binary with `env` and returns the stdout lines up to the
/// one about e-mail (or everything, when it exits first) and whether it
/// was still running.
fn start_and_read(storage: &Storage, env: &[(&str, &str)]) -> (Vec<String>, bool) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_forum-server"))
        .arg("serve")
        .envs(env.iter().copied())
        .env("COMITY_BIND", "127.0.0.1:0")
        .env("COMITY_DATA_DIR", storage.data_dir())
        .env("COMITY_DATABASE_URL", storage.database_url())
        .env("COMITY_JWT_SECRET", JWT_SECRET)
        .env("RUST_LOG", "off")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start forum-server");
    // Running: it got as far as saying what it does with e-mail (it says so
    // once it listens); otherwise its output ended, so it stopped. Read on
    // a thread, so a server that listens without ever saying it fails the
    // test after a minute instead of hanging it.
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = Vec::new();
        let mut running = false;
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            running = line.starts_with("E-mail");
            lines.push(line);
            if running {
                break;
            }
        }
        let _ = tx.send((lines, running));
    });
    let (mut lines, running) = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .unwrap_or_else(|_| (vec!["no e-mail line within 60 s".to_owned()], false));
    let _ = child.kill();
    let status = child.wait().unwrap();
    if !running || !status.success() {
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
        lines.extend(err.lines().map(str::to_owned));
    }
    (lines, running)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_is_told_whether_email_is_on() {
    let storage = Storage::new(Backend::Sqlite);
    let (lines, running) = start_and_read(&storage, &[]);
    assert!(running, "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("E-mail is off: no SMTP server is configured")),
        "{lines:?}"
    );

    let smtp = SmtpServer::start();
    let port = smtp.port.to_string();
    let (lines, running) = start_and_read(
        &storage,
        &[
            ("COMITY_SMTP_HOST", "127.0.0.1"),
            ("COMITY_SMTP_PORT", &port),
            ("COMITY_SMTP_TLS", "none"),
            ("COMITY_SMTP_FROM", "Comity <forum@comity.test>"),
        ],
    );
    assert!(running, "{lines:?}");
    assert!(
        lines.contains(&format!(
            "E-mail goes through 127.0.0.1:{port} (none) from Comity <forum@comity.test>."
        )),
        "{lines:?}"
    );

    // A half-done configuration is refused at start, saying what is missing.
    let (lines, running) = start_and_read(&storage, &[("COMITY_SMTP_HOST", "127.0.0.1")]);
    assert!(!running);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("[email] from is required with smtp_host")),
        "{lines:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_is_required_and_the_configured_ca_is_trusted() {
    let (smtp, ca) = SmtpServer::start_tls();
    let storage = Storage::new(Backend::Sqlite);
    let ca_file = storage.dir.path().join("smtp-ca.pem");
    std::fs::write(&ca_file, ca).unwrap();
    let port = smtp.port;
    let app = spawn_with(storage, move |s| {
        s.email = EmailSettings {
            smtp_host: Some("127.0.0.1".into()),
            smtp_port: Some(port),
            tls: "starttls".into(),
            username: Some(SMTP_USER.into()),
            password: Some(SMTP_PASSWORD.into()),
            from: Some("Comity <forum@comity.test>".into()),
            ca_file: Some(ca_file),
            ..EmailSettings::default()
        };
    })
    .await;
    let admin = token(&app.admin().await);
    app.member_from(&admin, "alice", "FR", "judge").await;
    let general = app.category(&admin, "general").await;
    app.thread(&admin, general, "Over TLS", "@alice, this goes encrypted.")
        .await;
    let mails = smtp.wait_for("alice@example.org", 1).await;
    assert!(mails[0].tls, "the e-mail came in the clear");
    assert_eq!(
        mails[0].subject(),
        "[Comity] admin mentioned you in “Over TLS”"
    );

    // Without trusting that CA, nothing is sent: no fallback to plain text.
    let (untrusted, _) = SmtpServer::start_tls();
    let port = untrusted.port;
    let app = spawn_with(Storage::new(Backend::Sqlite), move |s| {
        s.email = EmailSettings {
            smtp_host: Some("127.0.0.1".into()),
            smtp_port: Some(port),
            tls: "starttls".into(),
            username: Some(SMTP_USER.into()),
            password: Some(SMTP_PASSWORD.into()),
            from: Some("Comity <forum@comity.test>".into()),
            ..EmailSettings::default()
        };
    })
    .await;
    let admin = token(&app.admin().await);
    app.member_from(&admin, "alice", "FR", "judge").await;
    let general = app.category(&admin, "general").await;
    app.thread(&admin, general, "Over TLS", "@alice, this goes encrypted.")
        .await;
    app.notified().await;
    let mailer = app.mailer.clone().unwrap();
    let db = app.db.clone();
    let sent = tokio::task::spawn_blocking(move || mailer.send_due(&db))
        .await
        .unwrap();
    assert!(sent.is_err() || sent.unwrap() == 0);
    assert!(untrusted.messages().is_empty());
    assert_eq!(app.db.pending_emails().unwrap(), 1, "kept for a retry");
}

both_backends!(
    restricted_threads_are_not_named_in_email_unless_the_operator_allows_it,
    |backend| async move {
        for allowed in [false, true] {
            let smtp = SmtpServer::start();
            let port = smtp.port;
            let app = spawn_with(Storage::new(backend), move |s| {
                s.email = EmailSettings {
                    smtp_host: Some("127.0.0.1".into()),
                    smtp_port: Some(port),
                    tls: "none".into(),
                    username: Some(SMTP_USER.into()),
                    password: Some(SMTP_PASSWORD.into()),
                    from: Some("Comity <forum@comity.test>".into()),
                    restricted_titles: allowed,
                    ..EmailSettings::default()
                };
            })
            .await;
            let admin = token(&app.admin().await);
            let maria_login = app.member_from(&admin, "maria", "MA", "judge").await;
            let maria_id = maria_login["user"]["id"].as_i64().unwrap();
            let (room, _) = closed_room(&app, &admin, "task-force", &[maria_id]).await;
            let general = app.category(&admin, "general").await;
            app.thread(&admin, room, "Operation Sirocco", "Team only. @maria")
                .await;
            app.thread(&admin, general, "Open matter", "And here, @maria.")
                .await;
            let mails = smtp.wait_for("maria@example.org", 2).await;
            let room_line = if allowed {
                "[Comity] admin mentioned you in “Operation Sirocco”"
            } else {
                "[Comity] admin mentioned you in “a thread in a restricted space”"
            };
            assert_eq!(
                subjects(&mails),
                [room_line, "[Comity] admin mentioned you in “Open matter”"]
            );
            assert_eq!(mails[0].body().contains("Sirocco"), allowed);
        }
    }
);

both_backends!(
    amber_threads_never_leave_the_forum_by_email,
    |backend| async move {
        // Even where the operator allows restricted titles in e-mail.
        let smtp = SmtpServer::start();
        let port = smtp.port;
        let app = spawn_with(Storage::new(backend), move |s| {
            s.email = EmailSettings {
                smtp_host: Some("127.0.0.1".into()),
                smtp_port: Some(port),
                tls: "none".into(),
                username: Some(SMTP_USER.into()),
                password: Some(SMTP_PASSWORD.into()),
                from: Some("Comity <forum@comity.test>".into()),
                restricted_titles: true,
                ..EmailSettings::default()
            };
        })
        .await;
        let admin = token(&app.admin().await);
        app.member_from(&admin, "maria", "MA", "judge").await;
        let general = app.category(&admin, "general").await;
        for (title, mark) in [("Operation Sirocco", "AMBER"), ("Open matter", "GREEN")] {
            let created = app
                .post(
                    "/api/v1/threads",
                    Some(&admin),
                    json!({"category_id": general, "title": title, "kind": "discussion",
                        "body": format!("{title}: a word for @maria."), "jurisdictions": ["MA"],
                        "mark": mark}),
                )
                .await;
            assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        }
        let mails = smtp.wait_for("maria@example.org", 2).await;
        assert_eq!(
            subjects(&mails),
            [
                "[Comity] admin mentioned you in “a marked thread”",
                "[Comity] admin mentioned you in “Open matter”"
            ]
        );
        assert!(!mails[0].body().contains("Sirocco"), "{}", mails[0].body());
    }
);
