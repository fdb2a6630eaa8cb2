//! Erasure on request, through the real server on both backends: an admin
//! erases a member; the account becomes "Former member #N" at once (its
//! token, sign-in and feed link die, the log's copies of its name change);
//! under the default policy the posts stay, signed by the former member;
//! under `erased_posts = "remove"` their text and files leave the thread,
//! the revisions, the event log and the search index. Only admins erase,
//! never themselves, and the audit says who did it and why.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Rows of `table` whose `column` holds `needle`, read straight from the
/// database.
fn rows_holding(app: &TestApp, table: &str, column: &str, needle: &str) -> i64 {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM {table} WHERE {column} LIKE '%{}%'",
        needle.replace('\'', "''")
    );
    let url = app.storage.database_url();
    let count: Count = match app.db.backend() {
        forum_core::Backend::Sqlite => diesel::sql_query(sql)
            .get_result(&mut diesel::SqliteConnection::establish(&url).unwrap())
            .unwrap(),
        forum_core::Backend::Postgres => diesel::sql_query(sql)
            .get_result(&mut forum_core::store::db::establish_postgres(&url).unwrap())
            .unwrap(),
    };
    count.n
}

struct Scene {
    admin: String,
    ana: String,
    ana_id: i64,
    ben: String,
    thread_id: i64,
    file_id: i64,
    feed: String,
}

async fn scene(app: &TestApp) -> Scene {
    let admin = token(&app.admin().await);
    let ana = token(&app.member(&admin, "ana").await);
    let ben = token(&app.member(&admin, "ben").await);
    let me = app.get("/api/v1/me", &ana).await.body;
    let ana_id = me["id"].as_i64().unwrap();
    let category = app.category(&admin, "cases").await;
    let thread = app
        .thread(
            &ana,
            category,
            "Quarantined zolgensma parcels",
            "Customs at the port held zolgensma parcels under article 5.",
        )
        .await;
    let thread_id = thread["id"].as_i64().unwrap();
    let file = crate::attachments::upload(
        app,
        &ana,
        "ruling.pdf",
        crate::attachments::pdf(&["Ruling on the zolgensma parcels"], "Court"),
    )
    .await;
    assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
    let file_id = file.body["id"].as_i64().unwrap();
    let reply = app
        .post(
            &format!("/api/v1/threads/{thread_id}/posts"),
            Some(&ana),
            json!({"body": "The ruling on the quinacrine shipment is attached.", "attachments": [file_id]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let answer = app
        .post(
            &format!("/api/v1/threads/{thread_id}/posts"),
            Some(&ben),
            json!({"body": "Thank you, our court ruled alike."}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED);
    let feed = format!(
        "/feeds/{}/category/cases.atom",
        me["feed_token"].as_str().unwrap()
    );
    Scene {
        admin,
        ana,
        ana_id,
        ben,
        thread_id,
        file_id,
        feed,
    }
}

/// What every erasure does to the account, whatever becomes of the posts.
async fn the_account_is_gone(app: &TestApp, s: &Scene, erased: &Value) {
    let former = format!("Former member #{}", s.ana_id);
    assert_eq!(erased["display_name"], former.as_str());
    // The token dies at once, and the name no longer signs in.
    assert_eq!(
        app.get("/api/v1/me", &s.ana).await.status,
        StatusCode::UNAUTHORIZED
    );
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "ana", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED, "{}", login.body);
    let feed = app
        .client
        .get(format!("{}{}", app.address, s.feed))
        .send()
        .await
        .unwrap();
    assert_eq!(feed.status(), StatusCode::NOT_FOUND, "the feed link dies");
    // Their posts are signed by the former member.
    let thread = app
        .get(&format!("/api/v1/threads/{}", s.thread_id), &s.ben)
        .await
        .body;
    let theirs: Vec<&Value> = thread["posts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["author"]["id"] == s.ana_id)
        .collect();
    assert_eq!(theirs.len(), 2);
    for post in &theirs {
        assert_eq!(post["author"]["display_name"], former.as_str());
        assert_eq!(
            post["author"]["username"],
            format!("former-member-{}", s.ana_id)
        );
    }
    let members = app.get("/api/v1/users?q=ana", &s.admin).await.body;
    assert!(
        members
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["username"] != "ana"),
        "{members}"
    );
    // Nothing in the database still names them.
    assert_eq!(rows_holding(app, "users", "email", "ana@"), 0);
    assert_eq!(rows_holding(app, "events", "payload", "\"ana\""), 0);
    // Audited: who, why; nothing of what was erased.
    let audit = app.get("/api/v1/moderation/audit", &s.admin).await.body;
    let entry = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "user.erase")
        .unwrap_or_else(|| panic!("an audit entry: {audit}"));
    assert_eq!(entry["target"], format!("user:{}", s.ana_id));
    assert_eq!(entry["reason"], "data-protection request of 2 December");
    assert_eq!(entry["actor"]["username"], "admin");
}

async fn erase(app: &TestApp, by: &str, user_id: i64) -> crate::helpers::Reply {
    app.post(
        &format!("/api/v1/users/{user_id}/erase"),
        Some(by),
        json!({"reason": "data-protection request of 2 December"}),
    )
    .await
}

both_backends!(
    an_erased_member_becomes_a_former_member_and_keeps_their_posts_by_default,
    |backend| async move {
        let app = spawn(backend).await;
        let s = scene(&app).await;
        // Only admins, never themselves, with a reason.
        assert_eq!(
            erase(&app, &s.ben, s.ana_id).await.status,
            StatusCode::FORBIDDEN
        );
        let admin_id = app.get("/api/v1/me", &s.admin).await.body["id"]
            .as_i64()
            .unwrap();
        let own = erase(&app, &s.admin, admin_id).await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(own.body["error"]["field"], "user_id");
        let silent = app
            .post(
                &format!("/api/v1/users/{}/erase", s.ana_id),
                Some(&s.admin),
                json!({"reason": ""}),
            )
            .await;
        assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.get("/api/v1/me", &s.ana).await.status, StatusCode::OK);
        assert_eq!(
            erase(&app, &s.admin, 999_999).await.status,
            StatusCode::NOT_FOUND
        );

        let erased = erase(&app, &s.admin, s.ana_id).await;
        assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
        assert_eq!(erased.body["posts"], "keep");
        assert_eq!(erased.body["posts_kept"], 2);
        the_account_is_gone(&app, &s, &erased.body).await;
        // The posts and the file stay.
        let thread = app
            .get(&format!("/api/v1/threads/{}", s.thread_id), &s.ben)
            .await
            .body;
        assert_eq!(thread["thread"]["title"], "Quarantined zolgensma parcels");
        assert!(
            thread["posts"][1]["body"]
                .as_str()
                .unwrap()
                .contains("quinacrine")
        );
        let file = app
            .client
            .get(format!("{}/files/{}/ruling.pdf", app.address, s.file_id))
            .bearer_auth(&s.ben)
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), StatusCode::OK);
        // The account is inert: no reset link, no reinstating, no role.
        let reset = app
            .post(
                &format!("/api/v1/users/{}/password-reset", s.ana_id),
                Some(&s.admin),
                json!({}),
            )
            .await;
        assert_eq!(
            reset.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reset.body
        );
        let role = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/users/{}", s.ana_id),
                Some(&s.admin),
                Some(json!({"role": "admin"})),
            )
            .await;
        assert_eq!(
            role.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            role.body
        );
        // Again: nothing more happens.
        let again = erase(&app, &s.admin, s.ana_id).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.body["posts_kept"], 0);
    }
);

both_backends!(
    under_the_remove_policy_an_erased_members_text_and_files_leave_every_copy,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.privacy.erased_posts = "remove".to_owned();
        })
        .await;
        let s = scene(&app).await;
        // An edit leaves a revision holding the first text.
        let thread = app
            .get(&format!("/api/v1/threads/{}", s.thread_id), &s.ana)
            .await
            .body;
        let reply_id = thread["posts"][1]["id"].as_i64().unwrap();
        let edited = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/posts/{reply_id}"),
                Some(&s.ana),
                Some(json!({"body": "The ruling on the mepacrine shipment is attached."})),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        app.indexed().await;
        let found = app.get("/api/v1/search?q=mepacrine", &s.ben).await.body;
        assert_eq!(found["total"], 1, "{found}");

        let erased = erase(&app, &s.admin, s.ana_id).await;
        assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
        assert_eq!(erased.body["posts"], "remove");
        assert_eq!(erased.body["posts_removed"], 2);
        the_account_is_gone(&app, &s, &erased.body).await;

        let thread = app
            .get(&format!("/api/v1/threads/{}", s.thread_id), &s.ben)
            .await
            .body;
        let notice = "[removed at the author's request]";
        assert_eq!(thread["thread"]["title"], notice);
        assert_eq!(thread["posts"][0]["body"], notice);
        assert_eq!(thread["posts"][1]["body"], notice);
        assert_eq!(
            thread["posts"][2]["body"], "Thank you, our court ruled alike.",
            "others' replies stay"
        );
        let file = app
            .client
            .get(format!("{}/files/{}/ruling.pdf", app.address, s.file_id))
            .bearer_auth(&s.ben)
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), StatusCode::NOT_FOUND);
        for word in ["zolgensma", "quinacrine", "mepacrine"] {
            for (table, column) in [
                ("posts", "body"),
                ("post_revisions", "body"),
                ("threads", "title"),
                ("events", "payload"),
                ("attachment_pages", "body"),
            ] {
                assert_eq!(
                    rows_holding(&app, table, column, word),
                    0,
                    "{word} left in {table}.{column}"
                );
            }
        }
        app.indexed().await;
        for word in ["zolgensma", "quinacrine", "mepacrine"] {
            let found = app
                .get(&format!("/api/v1/search?q={word}"), &s.admin)
                .await
                .body;
            assert_eq!(found["total"], 0, "{word} is still found: {found}");
        }
    }
);
