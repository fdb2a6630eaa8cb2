//! Moderation on both backends: each action's effect and its audit entry,
//! flags worked as cases, suspension (refused sign-in, closed socket), a
//! thread moved into a restricted space vanishing from every read path for
//! outsiders, and an audit log that detects edits and deletions.

use std::collections::BTreeSet;
use std::time::Duration;

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;
use crate::live::{assert_no_event, close_code, connect, next_of, subscribe};

/// Invites and registers a moderator, then logs them in.
pub(crate) async fn moderator(app: &TestApp, admin: &str, username: &str) -> Value {
    let invitation = app
        .post(
            "/api/v1/invitations",
            Some(admin),
            json!({"email": format!("{username}@example.org"), "role": "moderator"}),
        )
        .await;
    assert_eq!(
        invitation.status,
        StatusCode::CREATED,
        "{}",
        invitation.body
    );
    let registered = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"invitation_token": invitation.body["token"], "username": username,
                   "display_name": username, "password": PASSWORD, "country": "ES",
                   "profession": "judge"}),
        )
        .await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.body
    );
    app.login(username, PASSWORD).await
}

async fn audit(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let reply = app
        .get(&format!("/api/v1/moderation/audit?{query}"), token)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body.as_array().unwrap().clone()
}

async fn act(app: &TestApp, token: &str, path: &str, body: Value) -> StatusCode {
    let reply = app.post(path, Some(token), body).await;
    reply.status
}

both_backends!(
    each_action_takes_effect_and_is_audited,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let moderator = token(&moderator(&app, &admin, "mod").await);
        let member = token(&app.member(&admin, "marie").await);
        let category = app.category(&admin, "medicines").await;
        let other = app.category(&admin, "tobacco").await;
        let thread = app
            .thread(&member, category, "Seizure of falsified vaccines", "First")
            .await;
        let id = thread["id"].as_i64().unwrap();
        let reply = app
            .post(
                &format!("/api/v1/threads/{id}/posts"),
                Some(&member),
                json!({"body": "Call me on +33 6 12 34 56 78",
                       "acknowledge_personal_data": {"reason": "for the moderation test"}}),
            )
            .await;
        let post = reply.body["id"].as_i64().unwrap();

        // A reason is required, members may not act, nothing changes.
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/posts/{post}/hide"),
                json!({"reason": ""})
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            act(
                &app,
                &member,
                &format!("/api/v1/posts/{post}/hide"),
                json!({"reason": "personal data"})
            )
            .await,
            StatusCode::FORBIDDEN
        );
        let shown = app.get(&format!("/api/v1/threads/{id}"), &member).await;
        assert_eq!(shown.body["posts"].as_array().unwrap().len(), 2);

        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/posts/{post}/hide"),
                json!({"reason": "personal data"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        let shown = app.get(&format!("/api/v1/threads/{id}"), &member).await;
        assert_eq!(
            shown.body["posts"].as_array().unwrap().len(),
            1,
            "hidden from members"
        );
        let revisions = app
            .get(&format!("/api/v1/posts/{post}/revisions"), &member)
            .await;
        assert_eq!(revisions.status, StatusCode::NOT_FOUND);
        let shown = app.get(&format!("/api/v1/threads/{id}"), &moderator).await;
        assert_eq!(
            shown.body["posts"].as_array().unwrap().len(),
            2,
            "moderators still see it"
        );
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/posts/{post}/restore"),
                json!({"reason": "number removed"})
            )
            .await,
            StatusCode::NO_CONTENT
        );

        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{id}/lock"),
                json!({"reason": "settled"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        let refused = app
            .post(
                &format!("/api/v1/threads/{id}/posts"),
                Some(&member),
                json!({"body": "One more thing"}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::LOCKED);
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{id}/unlock"),
                json!({"reason": "new facts"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{id}/pin"),
                json!({"reason": "reference"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        let listed = app
            .get(&format!("/api/v1/threads?category={category}"), &member)
            .await;
        assert_eq!(listed.body["threads"][0]["pinned"], true);
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{id}/move"),
                json!({"category_id": other, "reason": "about tobacco"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        let shown = app.get(&format!("/api/v1/threads/{id}"), &member).await;
        assert_eq!(shown.body["thread"]["category_id"], other);
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{id}/move"),
                json!({"category_id": 999999, "reason": "nowhere"})
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        let entries = audit(&app, &admin, &format!("target=thread:{id}")).await;
        let actions: Vec<&str> = entries
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            ["thread.move", "thread.pin", "thread.unlock", "thread.lock"]
        );
        assert_eq!(entries[0]["actor"]["username"], "mod");
        assert_eq!(entries[0]["reason"], "about tobacco");
        assert_eq!(
            entries[0]["details"],
            json!({"from": category, "to": other})
        );
        let post_entries = audit(&app, &moderator, &format!("target=post:{post}")).await;
        let actions: Vec<&str> = post_entries
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        // The reply was posted despite its phone number: a personal-data
        // case opened with it.
        assert_eq!(actions, ["post.restore", "post.hide", "flag.create"]);
        let by_family = audit(&app, &admin, "action=thread.&actor=mod").await;
        assert_eq!(by_family.len(), 4);
        let denied = app.get("/api/v1/moderation/audit", &member).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);

        // Security events are in the same log.
        let failed = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "marie", "password": "not the password"}),
            )
            .await;
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
        let failures = audit(&app, &admin, "action=login.failure").await;
        assert_eq!(failures[0]["target"], "username:marie");
        let logins = audit(&app, &admin, "action=login.success&actor=marie").await;
        assert!(!logins.is_empty());
        let categories = audit(&app, &admin, "action=category.create").await;
        assert_eq!(categories.len(), 2);
        let invitations = audit(&app, &admin, "action=invitation.").await;
        assert_eq!(invitations.len(), 4, "two issued, two used");
        let check = tokio::task::spawn_blocking({
            let db = app.db.clone();
            move || db.verify_audit()
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(check.first_broken, None);
    }
);

both_backends!(flags_are_worked_as_cases, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let moderator_login = moderator(&app, &admin, "mod").await;
    let moderator_id = moderator_login["user"]["id"].as_i64().unwrap();
    let moderator = token(&moderator_login);
    let flagger = token(&app.member(&admin, "marie").await);
    let author = token(&app.member(&admin, "jean").await);
    let category = app.category(&admin, "medicines").await;
    let thread = app
        .thread(
            &author,
            category,
            "An analysis with a mistake",
            "Article 5 is wrong",
        )
        .await;
    let post = thread["first_post_id"].as_i64().unwrap();

    let bad = app
        .post(
            &format!("/api/v1/posts/{post}/flags"),
            Some(&flagger),
            json!({"reason": "boring"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "reason");
    let flag = app
        .post(
            &format!("/api/v1/posts/{post}/flags"),
            Some(&flagger),
            json!({"reason": "inaccurate_law", "note": "Art. 5 was amended in 2019"}),
        )
        .await;
    assert_eq!(flag.status, StatusCode::CREATED, "{}", flag.body);
    let flag = flag.body["id"].as_i64().unwrap();
    let again = app
        .post(
            &format!("/api/v1/posts/{post}/flags"),
            Some(&flagger),
            json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let denied = app.get("/api/v1/moderation/flags", &flagger).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let queue = app
        .get("/api/v1/moderation/flags?status=open", &moderator)
        .await;
    assert_eq!(queue.body[0]["id"], flag);
    assert_eq!(queue.body[0]["reason"], "inaccurate_law");
    assert_eq!(queue.body[0]["flagger"], "marie");

    let path = format!("/api/v1/moderation/flags/{flag}");
    assert_eq!(
        act(
            &app,
            &moderator,
            &format!("{path}/assign"),
            json!({"assignee_id": moderator_id})
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        act(
            &app,
            &moderator,
            &format!("{path}/assign"),
            json!({"assignee_id": 424242})
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        act(
            &app,
            &moderator,
            &format!("{path}/notes"),
            json!({"body": "Checked the 2019 amendment: the flag is right."})
        )
        .await,
        StatusCode::NO_CONTENT
    );
    let case = app.get(&path, &moderator).await;
    assert_eq!(case.body["flag"]["assignee"], "mod");
    assert_eq!(
        case.body["notes"][0]["body"],
        "Checked the 2019 amendment: the flag is right."
    );
    assert_eq!(case.body["post_author"], "jean");

    assert_eq!(
        act(
            &app,
            &moderator,
            &format!("{path}/resolve"),
            json!({"action": "ban", "note": "x"})
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        act(
            &app,
            &moderator,
            &format!("{path}/resolve"),
            json!({"action": "hide_post", "note": "Outdated since the 2019 amendment"})
        )
        .await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        act(
            &app,
            &moderator,
            &format!("{path}/resolve"),
            json!({"action": "dismiss", "note": "again"})
        )
        .await,
        StatusCode::CONFLICT
    );
    let shown = app
        .get(&format!("/api/v1/threads/{}", thread["id"]), &flagger)
        .await;
    assert_eq!(shown.body["posts"], json!([]), "the post is hidden");

    let mine = app.get("/api/v1/me/flags", &flagger).await;
    assert_eq!(mine.body[0]["status"], "resolved");
    assert_eq!(mine.body[0]["resolution"], "hide_post");
    // The queue filters by status: the resolved flag left `open`.
    for (status, listed) in [("open", 0), ("resolved", 1), ("all", 1), ("", 0)] {
        let queue = app
            .get(
                &format!("/api/v1/moderation/flags?status={status}"),
                &moderator,
            )
            .await;
        assert_eq!(queue.status, StatusCode::OK, "{status}: {}", queue.body);
        assert_eq!(queue.body.as_array().unwrap().len(), listed, "{status}");
    }
    let unknown = app
        .get("/api/v1/moderation/flags?status=pending", &moderator)
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["error"]["field"], "status", "{}", unknown.body);
    assert_eq!(
        mine.body[0]["resolution_note"],
        "Outdated since the 2019 amendment"
    );
    let open = app.get("/api/v1/moderation/flags", &moderator).await;
    assert_eq!(open.body, json!([]));
    let stats = app.get("/api/v1/moderation/stats", &moderator).await;
    let inaccurate = stats
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["reason"] == "inaccurate_law")
        .unwrap();
    assert_eq!(
        (
            inaccurate["total"].as_i64(),
            inaccurate["resolved"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert!(inaccurate["mean_hours_to_resolution"].as_f64().unwrap() >= 0.0);
    let entries = audit(&app, &admin, &format!("target=flag:{flag}")).await;
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["flag.resolve", "flag.assign"]);

    // Resolved by editing, with the note as the edit reason.
    let reply = app
        .post(
            &format!("/api/v1/threads/{}/posts", thread["id"]),
            Some(&author),
            json!({"body": "Contact the judge at judge@example.org",
                   "acknowledge_personal_data": {"reason": "for the moderation test"}}),
        )
        .await;
    let second = reply.body["id"].as_i64().unwrap();
    let flag = app
        .post(
            &format!("/api/v1/posts/{second}/flags"),
            Some(&flagger),
            json!({"reason": "personal_data"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        act(
            &app,
            &moderator,
            &format!("/api/v1/moderation/flags/{flag}/resolve"),
            json!({"action": "edit_post", "note": "e-mail address removed"})
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an edit needs the new text"
    );
    assert_eq!(
        act(&app, &moderator, &format!("/api/v1/moderation/flags/{flag}/resolve"),
            json!({"action": "edit_post", "note": "e-mail address removed", "body": "Contact the judge through the court"})).await,
        StatusCode::NO_CONTENT
    );
    let revisions = app
        .get(&format!("/api/v1/posts/{second}/revisions"), &author)
        .await;
    assert_eq!(
        revisions.body[1]["body"],
        "Contact the judge through the court"
    );
    assert_eq!(revisions.body[1]["reason"], "e-mail address removed");
    let edits = audit(
        &app,
        &admin,
        &format!("target=post:{second}&action=post.edit"),
    )
    .await;
    assert_eq!(edits[0]["actor"]["username"], "mod");
});

both_backends!(
    a_suspended_member_is_refused_and_disconnected,
    |backend| async move {
        let app = spawn(backend).await;
        let admin_login = app.admin().await;
        let admin_id = admin_login["user"]["id"].as_i64().unwrap();
        let admin = token(&admin_login);
        let moderator = token(&moderator(&app, &admin, "mod").await);
        let login = app.member(&admin, "marie").await;
        let member_id = login["user"]["id"].as_i64().unwrap();
        let member = token(&login);
        let category = app.category(&admin, "medicines").await;
        let thread = app.thread(&admin, category, "Live thread", "Body").await["id"]
            .as_i64()
            .unwrap();
        let mut ws = connect(&app.address, &member).await;
        subscribe(&mut ws, &[format!("thread:{thread}")], None).await;

        let until = (chrono::Utc::now() + chrono::Duration::days(7)).to_rfc3339();
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/users/{admin_id}/suspend"),
                json!({"until": until, "reason": "overruled me"})
            )
            .await,
            StatusCode::FORBIDDEN,
            "moderators do not suspend admins"
        );
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/users/{member_id}/suspend"),
                json!({"until": "2001-01-01", "reason": "past"})
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/users/{member_id}/suspend"),
                json!({"until": until, "reason": "posted confidential case files"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(close_code(&mut ws).await, Some(1008), "the socket closes");
        let refused = app.get("/api/v1/me", &member).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        let login = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "marie", "password": PASSWORD}),
            )
            .await;
        assert_eq!(login.status, StatusCode::FORBIDDEN, "{}", login.body);
        assert_eq!(login.body["error"]["code"], "account_suspended");
        let entries = audit(
            &app,
            &admin,
            &format!("target=user:{member_id}&action=user.suspend"),
        )
        .await;
        assert_eq!(entries[0]["reason"], "posted confidential case files");

        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/users/{member_id}/unsuspend"),
                json!({"reason": "appeal granted"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        let login = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "marie", "password": PASSWORD}),
            )
            .await;
        assert_eq!(login.status, StatusCode::OK);
    }
);

both_backends!(
    a_thread_moved_into_a_restricted_space_vanishes_for_outsiders,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let insider_login = app.member(&admin, "insider").await;
        let insider_id = insider_login["user"]["id"].as_i64().unwrap();
        let outsider = token(&app.member(&admin, "outsider").await);
        let open = app.category(&admin, "medicines").await;
        let group = app
            .post("/api/v1/groups", Some(&admin), json!({"name": "Case team"}))
            .await;
        assert_eq!(group.status, StatusCode::CREATED, "{}", group.body);
        let group = group.body["id"].as_i64().unwrap();
        assert_eq!(
            act(
                &app,
                &admin,
                &format!("/api/v1/groups/{group}/members"),
                json!({"user_id": insider_id})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        let insider = token(&app.login("insider", PASSWORD).await);
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
        let created = app
            .thread(&admin, open, "Operation Pangea XVII", "Seizures so far")
            .await;
        let id = created["id"].as_i64().unwrap();
        let post = created["first_post_id"].as_i64().unwrap();
        let mut ws = connect(&app.address, &outsider).await;
        subscribe(&mut ws, &[format!("thread:{id}")], None).await;
        assert_eq!(
            app.get(&format!("/api/v1/threads/{id}"), &outsider)
                .await
                .status,
            StatusCode::OK
        );

        assert_eq!(
            act(
                &app,
                &admin,
                &format!("/api/v1/threads/{id}/move"),
                json!({"category_id": restricted, "reason": "operational details"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        let paths = [
            format!("/api/v1/threads/{id}"),
            format!("/api/v1/posts/{post}/revisions"),
        ];
        for path in &paths {
            assert_eq!(
                app.get(path, &outsider).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
            assert_eq!(
                app.get(path, &insider).await.status,
                StatusCode::OK,
                "{path}"
            );
        }
        let list = app.get("/api/v1/threads", &outsider).await;
        assert_eq!(list.body["threads"], json!([]));
        let list = app.get("/api/v1/threads", &insider).await;
        assert_eq!(list.body["threads"][0]["id"], id);
        let client = reqwest::Client::new();
        for (path, present) in [(format!("/t/{id}"), false), ("/u/admin".to_owned(), false)] {
            let page = client
                .get(format!("{}{path}", app.address))
                .bearer_auth(&outsider)
                .send()
                .await
                .unwrap();
            let status = page.status();
            let text = page.text().await.unwrap();
            assert_eq!(
                text.contains("Operation Pangea"),
                present,
                "{path} {status}"
            );
        }
        let flag = app
            .post(
                &format!("/api/v1/posts/{post}/flags"),
                Some(&outsider),
                json!({"reason": "spam"}),
            )
            .await;
        assert_eq!(flag.status, StatusCode::NOT_FOUND);
        app.post(
            &format!("/api/v1/threads/{id}/posts"),
            Some(&admin),
            json!({"body": "New seizure in Lyon"}),
        )
        .await;
        assert_no_event(&mut ws, Duration::from_millis(1500)).await;
        let mut inside = connect(&app.address, &insider).await;
        subscribe(&mut inside, &[format!("thread:{id}")], None).await;
        app.post(
            &format!("/api/v1/threads/{id}/posts"),
            Some(&admin),
            json!({"body": "And in Marseille"}),
        )
        .await;
        let event = next_of(&mut inside, "event").await;
        assert_eq!(event["post"]["body"], "And in Marseille");
    }
);

both_backends!(
    the_audit_log_detects_edits_and_deletions,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "medicines").await;
        let thread = app.thread(&admin, category, "A thread", "Body").await["id"]
            .as_i64()
            .unwrap();
        for action in ["lock", "unlock", "pin", "unpin"] {
            assert_eq!(
                act(
                    &app,
                    &admin,
                    &format!("/api/v1/threads/{thread}/{action}"),
                    json!({"reason": "testing the chain"})
                )
                .await,
                StatusCode::NO_CONTENT
            );
        }
        let verify = |db: forum_core::Db| async move {
            tokio::task::spawn_blocking(move || db.verify_audit())
                .await
                .unwrap()
                .unwrap()
        };
        let clean = verify(app.db.clone()).await;
        assert_eq!(clean.first_broken, None);
        assert!(clean.entries >= 5, "{clean:?}");
        let entries = audit(&app, &admin, "action=thread.").await;
        let (unlock, pin) = (
            entries[2]["id"].as_i64().unwrap(),
            entries[1]["id"].as_i64().unwrap(),
        );

        // Someone with database access rewrites a reason…
        let db = app.db.clone();
        tokio::task::spawn_blocking(move || {
            use forum_core::store::schema::audit_log;
            db.write(|conn| {
                diesel::update(audit_log::table.find(unlock))
                    .set(audit_log::reason.eq("nothing to see"))
                    .execute(conn)?;
                Ok(())
            })
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(verify(app.db.clone()).await.first_broken, Some(unlock));

        // …or, on a fresh copy of the story, deletes an entry.
        let db = app.db.clone();
        tokio::task::spawn_blocking(move || {
            use forum_core::store::schema::audit_log;
            db.write(|conn| {
                diesel::update(audit_log::table.find(unlock))
                    .set(audit_log::reason.eq("testing the chain"))
                    .execute(conn)?;
                diesel::delete(audit_log::table.find(unlock)).execute(conn)?;
                Ok(())
            })
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(
            verify(app.db.clone()).await.first_broken,
            Some(pin),
            "the next entry's link breaks"
        );

        // The command operators run says the same and exits non-zero.
        if backend == Backend::Sqlite {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_forum-server"))
                .args(["audit", "verify"])
                .env("COMITY_DATA_DIR", app.storage.data_dir())
                .env("COMITY_DATABASE_URL", app.storage.database_url())
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert_eq!(out.status.code(), Some(2), "{stdout}");
            assert!(
                stdout.contains(&format!("BROKEN at entry {pin}")),
                "{stdout}"
            );
        }
    }
);

both_backends!(
    slow_mode_featuring_merging_and_splitting,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let moderator = token(&moderator(&app, &admin, "mod").await);
        let member = token(&app.member(&admin, "marie").await);
        let category = app.category(&admin, "medicines").await;
        let thread = app.thread(&admin, category, "Busy thread", "Opening").await["id"]
            .as_i64()
            .unwrap();
        let reply = |token: String, thread: i64, body: &'static str| {
            let app = &app;
            async move {
                app.post(
                    &format!("/api/v1/threads/{thread}/posts"),
                    Some(&token),
                    json!({"body": body}),
                )
                .await
            }
        };

        // Slow mode: one reply, then wait; staff are not slowed.
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{thread}/slow-mode"),
                json!({"seconds": 3600, "reason": "heated"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            reply(member.clone(), thread, "First").await.status,
            StatusCode::CREATED
        );
        let slowed = reply(member.clone(), thread, "Second").await;
        assert_eq!(
            slowed.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            slowed.body
        );
        assert_eq!(slowed.body["error"]["code"], "slow_mode");
        assert_eq!(
            reply(moderator.clone(), thread, "Staff reply").await.status,
            StatusCode::CREATED
        );
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{thread}/slow-mode"),
                json!({"seconds": 0, "reason": "calm again"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            reply(member.clone(), thread, "Second").await.status,
            StatusCode::CREATED
        );

        // Featuring is for analyses.
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{thread}/feature"),
                json!({"reason": "good"})
            )
            .await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let analysis = app
            .post("/api/v1/threads", Some(&member),
                  json!({"category_id": category, "title": "MEDICRIME in France", "kind": "analysis",
                         "jurisdictions": ["FR"], "body": "Body",
                         "analysis": {"summary": "France ratified MEDICRIME in 2016.", "language": "en"}}))
            .await;
        let analysis = analysis.body["id"].as_i64().unwrap();
        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{analysis}/feature"),
                json!({"reason": "model analysis"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        let featured = app.get("/api/v1/analyses/featured", &member).await;
        assert_eq!(featured.body[0]["id"], analysis);

        // Split two replies off, then merge them back.
        let shown = app
            .get(&format!("/api/v1/threads/{thread}"), &moderator)
            .await;
        let posts: Vec<i64> = shown.body["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert_eq!(posts.len(), 4);
        let refused = app
            .post(&format!("/api/v1/threads/{thread}/split"), Some(&moderator),
                  json!({"post_ids": [posts[0]], "title": "Opening elsewhere", "reason": "off topic"}))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the opening post stays"
        );
        let split = app
            .post(&format!("/api/v1/threads/{thread}/split"), Some(&moderator),
                  json!({"post_ids": [posts[2], posts[3]], "title": "A side discussion", "reason": "off topic"}))
            .await;
        assert_eq!(split.status, StatusCode::CREATED, "{}", split.body);
        let new = split.body["id"].as_i64().unwrap();
        let old = app.get(&format!("/api/v1/threads/{thread}"), &member).await;
        assert_eq!(old.body["thread"]["post_count"], 2);
        let side = app.get(&format!("/api/v1/threads/{new}"), &member).await;
        assert_eq!(side.body["thread"]["title"], "A side discussion");
        assert_eq!(side.body["thread"]["post_count"], 2);
        assert_eq!(side.body["posts"][0]["id"], posts[2]);

        assert_eq!(
            act(
                &app,
                &moderator,
                &format!("/api/v1/threads/{new}/merge"),
                json!({"into": thread, "reason": "back on topic"})
            )
            .await,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            app.get(&format!("/api/v1/threads/{new}"), &member)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let merged = app.get(&format!("/api/v1/threads/{thread}"), &member).await;
        let ids: Vec<i64> = merged.body["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, posts);
        assert_eq!(merged.body["thread"]["post_count"], 4);
        let entries = audit(&app, &admin, "action=thread.").await;
        let actions: BTreeSet<&str> = entries
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        for a in [
            "thread.slow_mode",
            "thread.feature",
            "thread.split",
            "thread.merge",
        ] {
            assert!(actions.contains(a), "{a}: {actions:?}");
        }
    }
);
