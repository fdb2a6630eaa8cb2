//! Colloquia through the real server, on both backends: the legal office
//! runs a colloquium on online sales of falsified medicines — members and
//! an outside expert on a guest account discuss it while it is open (and
//! not before or after), participants hear when it opens, the organisers
//! write conclusions in versions that participants endorse, and publish
//! them where every member reads and searches them; a calendar entry.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("an id in {v}"))
}

fn at(offset: chrono::Duration) -> String {
    (chrono::Utc::now() + offset).to_rfc3339()
}

fn thread_ids(list: &Value) -> Vec<i64> {
    list["threads"]
        .as_array()
        .or(list.as_array())
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

async fn reply(app: &TestApp, token: &str, thread: i64, body: &str) -> Reply {
    app.post(
        &format!("/api/v1/threads/{thread}/posts"),
        Some(token),
        json!({ "body": body }),
    )
    .await
}

both_backends!(
    a_colloquium_runs_in_its_dates_with_a_guest_and_publishes_versioned_conclusions,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let office = token(&crate::moderation::moderator(&app, &admin, "legal_office").await);
        let fr = app.member_from(&admin, "fr_judge", "FR", "judge").await;
        let ma = app.member_from(&admin, "ma_customs", "MA", "customs").await;
        let outsider = token(
            &app.member_from(&admin, "es_prosecutor", "ES", "prosecutor")
                .await,
        );
        let (fr_id, fr) = (fr["user"]["id"].as_i64().unwrap(), token(&fr));
        let (ma_id, ma) = (ma["user"]["id"].as_i64().unwrap(), token(&ma));
        let open_category = app.category(&admin, "analyses").await;
        let general = app
            .thread(
                &outsider,
                open_category,
                "A general thread",
                "Open to every member: quinoa.",
            )
            .await;
        let general = id(&general);

        // Refused set-ups store nothing.
        let base = json!({
            "title": "Online sales of falsified medicines",
            "agenda": "1. Jurisdiction over foreign websites\n2. Evidence from platforms",
            "opens_at": at(chrono::Duration::minutes(-1)),
            "closes_at": at(chrono::Duration::hours(3)),
            "participants": [fr_id, ma_id],
            "publish_category_id": open_category,
        });
        let restricted_group = app
            .post("/api/v1/groups", Some(&admin), json!({"name": "customs"}))
            .await;
        assert_eq!(
            restricted_group.status,
            StatusCode::CREATED,
            "{}",
            restricted_group.body
        );
        let restricted = app
            .post(
                "/api/v1/categories",
                Some(&admin),
                json!({"slug": "customs-only", "name": "Customs", "restricted_to_groups": [id(&restricted_group.body)]}),
            )
            .await;
        for (change, field) in [
            (
                json!({"closes_at": at(chrono::Duration::hours(-1))}),
                "closes_at",
            ),
            (json!({"opens_at": "next tuesday"}), "opens_at"),
            (json!({"participants": [fr_id, 999_999]}), "participants"),
            (
                json!({"publish_category_id": id(&restricted.body)}),
                "publish_category_id",
            ),
            (json!({"agenda": "  "}), "agenda"),
            (json!({"title": "x"}), "title"),
        ] {
            let mut body = base.clone();
            body.as_object_mut()
                .unwrap()
                .extend(change.as_object().unwrap().clone());
            let refused = app.post("/api/v1/colloquia", Some(&office), body).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}: {}",
                refused.body
            );
            assert_eq!(refused.body["error"]["field"], field, "{}", refused.body);
        }
        let by_member = app.post("/api/v1/colloquia", Some(&fr), base.clone()).await;
        assert_eq!(
            by_member.status,
            StatusCode::FORBIDDEN,
            "{}",
            by_member.body
        );
        assert_eq!(app.get("/api/v1/colloquia", &office).await.body, json!([]));
        let categories_before = app.get("/api/v1/categories", &admin).await.body;

        // The legal office sets it up: open now, for three hours.
        let created = app
            .post("/api/v1/colloquia", Some(&office), base.clone())
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let colloquium = id(&created.body);
        let c = &created.body;
        assert_eq!(c["state"], "open");
        assert_eq!(c["participants"].as_array().unwrap().len(), 3, "{c}");
        assert!(c["agenda_html"].as_str().unwrap().contains("<li>"), "{c}");
        let discussion = c["thread_id"].as_i64().unwrap();
        let space = c["category_id"].as_i64().unwrap();
        assert_eq!(
            app.get("/api/v1/categories", &admin)
                .await
                .body
                .as_array()
                .unwrap()
                .len(),
            categories_before.as_array().unwrap().len() + 1
        );

        // Participants discuss; other members see the colloquium, not the
        // discussion.
        let posted = reply(
            &app,
            &fr,
            discussion,
            "Article 5 reaches websites aimed at French buyers: zircon.",
        )
        .await;
        assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.body);
        assert_eq!(
            reply(
                &app,
                &ma,
                discussion,
                "Moroccan customs seize at the border."
            )
            .await
            .status,
            StatusCode::CREATED
        );
        assert_eq!(
            app.get(&format!("/api/v1/threads/{discussion}"), &outsider)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            reply(&app, &outsider, discussion, "May I?").await.status,
            StatusCode::NOT_FOUND
        );
        let seen = app
            .get(&format!("/api/v1/colloquia/{colloquium}"), &outsider)
            .await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
        assert_eq!(seen.body["participating"], false);
        let listed: Vec<i64> = app
            .get("/api/v1/categories", &outsider)
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(id)
            .collect();
        assert!(!listed.contains(&space), "{listed:?}");
        app.indexed().await;
        assert_eq!(
            app.get("/api/v1/search?q=zircon", &outsider).await.body["total"],
            0
        );
        assert_eq!(
            app.get("/api/v1/search?q=zircon", &ma).await.body["total"],
            1
        );

        // An outside expert joins on a guest account: this colloquium and
        // nothing else of the forum.
        let invited = app
            .post(
                &format!("/api/v1/colloquia/{colloquium}/guests"),
                Some(&office),
                json!({"email": "expert@who.example"}),
            )
            .await;
        assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
        let registered = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({"invitation_token": invited.body["token"], "username": "who_expert",
                       "display_name": "Outside expert", "password": PASSWORD,
                       "country": "CH", "profession": "academic"}),
            )
            .await;
        assert_eq!(
            registered.status,
            StatusCode::CREATED,
            "{}",
            registered.body
        );
        let guest_login = app.login("who_expert", PASSWORD).await;
        let guest_id = guest_login["user"]["id"].as_i64().unwrap();
        let guest = token(&guest_login);
        assert_eq!(
            reply(&app, &guest, discussion, "From the WHO side: zircon.")
                .await
                .status,
            StatusCode::CREATED
        );
        let mine = app.get("/api/v1/colloquia", &guest).await.body;
        assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
        let categories = app.get("/api/v1/categories", &guest).await.body;
        assert_eq!(
            categories.as_array().unwrap().len(),
            1,
            "only the colloquium's: {categories}"
        );
        assert_eq!(
            app.get(&format!("/api/v1/threads/{general}"), &guest)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert!(!thread_ids(&app.get("/api/v1/threads", &guest).await.body).contains(&general));
        assert_eq!(app.get("/api/v1/experts", &guest).await.body, json!([]));
        assert_eq!(
            app.get(&format!("/api/v1/experts/{fr_id}"), &guest)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("/api/v1/experts/{fr_id}"), &outsider)
                .await
                .status,
            StatusCode::OK
        );
        app.indexed().await;
        assert_eq!(
            app.get("/api/v1/search?q=quinoa", &guest).await.body["total"],
            0
        );
        assert_eq!(
            app.get("/api/v1/search?q=quinoa", &outsider).await.body["total"],
            1
        );

        // Read-only before it opens and after it closes; organisers may
        // write at any time.
        let mut later = base.clone();
        later["title"] = json!("Cross-border evidence");
        later["opens_at"] = json!(at(chrono::Duration::hours(2)));
        later["closes_at"] = json!(at(chrono::Duration::hours(5)));
        later["participants"] = json!([fr_id]);
        let upcoming = app.post("/api/v1/colloquia", Some(&office), later).await;
        assert_eq!(upcoming.body["state"], "upcoming", "{}", upcoming.body);
        let upcoming_thread = upcoming.body["thread_id"].as_i64().unwrap();
        let early = reply(&app, &fr, upcoming_thread, "Too early?").await;
        assert_eq!(early.status, StatusCode::LOCKED, "{}", early.body);
        assert_eq!(early.body["error"]["code"], "thread_locked");
        let new_thread = app
            .post("/api/v1/threads", Some(&fr), json!({"category_id": upcoming.body["category_id"], "title": "Early thread", "body": "Too early", "kind": "discussion", "jurisdictions": []}))
            .await;
        assert_eq!(new_thread.status, StatusCode::LOCKED, "{}", new_thread.body);
        assert_eq!(
            reply(&app, &office, upcoming_thread, "Welcome; we open at two.")
                .await
                .status,
            StatusCode::CREATED
        );
        let mut past = base.clone();
        past["title"] = json!("Last year's colloquium");
        past["opens_at"] = json!(at(chrono::Duration::days(-30)));
        past["closes_at"] = json!(at(chrono::Duration::days(-29)));
        let closed = app.post("/api/v1/colloquia", Some(&office), past).await;
        assert_eq!(closed.body["state"], "closed", "{}", closed.body);
        let late = reply(
            &app,
            &ma,
            closed.body["thread_id"].as_i64().unwrap(),
            "Too late?",
        )
        .await;
        assert_eq!(late.status, StatusCode::LOCKED, "{}", late.body);

        // Participants hear when a colloquium opens, once; not those of
        // one that closed, nor its organiser.
        let db = app.db.clone();
        let now = chrono::Utc::now().naive_utc();
        let told = tokio::task::spawn_blocking(move || {
            let first = db
                .notify_colloquia_due(now + chrono::Duration::hours(3))
                .unwrap();
            let again = db
                .notify_colloquia_due(now + chrono::Duration::hours(3))
                .unwrap();
            (first, again)
        })
        .await
        .unwrap();
        // The first closes at +3h (not open then): only the second's FR judge.
        assert_eq!(told, (1, 0));
        let inbox = app.get("/api/v1/notifications", &fr).await;
        assert!(
            inbox.body["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["kind"] == "colloquium_opened" && n["thread_id"] == upcoming_thread),
            "{}",
            inbox.body
        );
        let db = app.db.clone();
        let told = tokio::task::spawn_blocking(move || db.notify_colloquia_due(now).unwrap())
            .await
            .unwrap();
        assert_eq!(told, 3, "the open one: two members and the guest");

        // Conclusions in versions: drafts for participants and staff,
        // endorsed by participants, published for every member.
        let draft = app
            .post(&format!("/api/v1/colloquia/{colloquium}/conclusions"), Some(&office), json!({"body": "1. Courts have jurisdiction over sites aimed at their market.", "note": "first draft"}))
            .await;
        assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
        assert_eq!(draft.body["conclusions"][0]["version"], 1);
        let by_participant = app
            .post(
                &format!("/api/v1/colloquia/{colloquium}/conclusions"),
                Some(&fr),
                json!({"body": "mine"}),
            )
            .await;
        assert_eq!(by_participant.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.get(&format!("/api/v1/colloquia/{colloquium}"), &fr)
                .await
                .body["conclusions"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            app.get(&format!("/api/v1/colloquia/{colloquium}"), &outsider)
                .await
                .body["conclusions"],
            json!([])
        );
        let endorsed = app
            .post(
                &format!("/api/v1/colloquia/{colloquium}/conclusions/endorse"),
                Some(&fr),
                json!({}),
            )
            .await;
        assert_eq!(endorsed.status, StatusCode::OK, "{}", endorsed.body);
        assert_eq!(
            app.post(
                &format!("/api/v1/colloquia/{colloquium}/conclusions/endorse"),
                Some(&outsider),
                json!({})
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let v2 = app
            .post(&format!("/api/v1/colloquia/{colloquium}/conclusions"), Some(&office), json!({"body": "1. Courts have jurisdiction over sites aimed at their market.\n2. Platforms' records are admissible: marmalade.", "note": "evidence added"}))
            .await;
        let versions = v2.body["conclusions"].as_array().unwrap();
        assert_eq!(
            versions
                .iter()
                .map(|v| v["version"].as_i64().unwrap())
                .collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert_eq!(
            (
                versions[0]["endorsements"].as_i64(),
                versions[1]["endorsements"].as_i64()
            ),
            (Some(0), Some(1))
        );
        assert_eq!(
            app.post(
                &format!("/api/v1/colloquia/{colloquium}/conclusions/endorse"),
                Some(&ma),
                json!({})
            )
            .await
            .status,
            StatusCode::OK
        );
        let published = app
            .post(
                &format!("/api/v1/colloquia/{colloquium}/conclusions/publish"),
                Some(&office),
                json!({}),
            )
            .await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        let conclusions_thread = published.body["conclusions_thread_id"].as_i64().unwrap();
        let again = app
            .post(
                &format!("/api/v1/colloquia/{colloquium}/conclusions/publish"),
                Some(&office),
                json!({}),
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            again.body
        );
        let outsider_view = app
            .get(&format!("/api/v1/colloquia/{colloquium}"), &outsider)
            .await
            .body;
        let visible = outsider_view["conclusions"].as_array().unwrap();
        assert_eq!(
            visible.len(),
            1,
            "the published version only: {outsider_view}"
        );
        assert_eq!(visible[0]["version"], 2);
        assert_eq!(visible[0]["endorsements"], 1);
        let thread = app
            .get(&format!("/api/v1/threads/{conclusions_thread}"), &outsider)
            .await;
        assert_eq!(thread.status, StatusCode::OK, "{}", thread.body);
        assert!(
            thread
                .body
                .to_string()
                .contains(&format!("/colloquia/{colloquium}")),
            "links back"
        );
        app.indexed().await;
        assert_eq!(
            app.get("/api/v1/search?q=marmalade", &outsider).await.body["total"],
            1
        );

        // A third version republishes as a revision of the same post.
        app.post(
            &format!("/api/v1/colloquia/{colloquium}/conclusions"),
            Some(&office),
            json!({"body": "1. Jurisdiction.\n2. Evidence.\n3. Cooperation: tangerine."}),
        )
        .await;
        let republished = app
            .post(
                &format!("/api/v1/colloquia/{colloquium}/conclusions/publish"),
                Some(&office),
                json!({}),
            )
            .await;
        assert_eq!(
            republished.body["conclusions_thread_id"].as_i64(),
            Some(conclusions_thread)
        );
        let first_post = thread.body["posts"][0]["id"].as_i64().unwrap();
        let revisions = app
            .get(&format!("/api/v1/posts/{first_post}/revisions"), &outsider)
            .await;
        assert_eq!(
            revisions.body.as_array().map(Vec::len),
            Some(2),
            "{}",
            revisions.body
        );
        assert_eq!(revisions.body[1]["reason"], "Version 3");
        app.indexed().await;
        assert_eq!(
            app.get("/api/v1/search?q=tangerine", &outsider).await.body["total"],
            1
        );

        // The calendar entry.
        let ics = app
            .client
            .get(format!(
                "{}/api/v1/colloquia/{colloquium}/calendar.ics",
                app.address
            ))
            .bearer_auth(&outsider)
            .send()
            .await
            .unwrap();
        assert_eq!(ics.status(), StatusCode::OK);
        assert!(
            ics.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let ics = ics.text().await.unwrap();
        for line in [
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT",
            "SUMMARY:Online sales of falsified medicines",
            "DTSTART",
            "DTEND",
        ] {
            assert!(ics.contains(line), "{line} in {ics}");
        }

        // The guest's account ends a week after the colloquium closes.
        let db = app.db.clone();
        tokio::task::spawn_blocking(move || {
            db.set_guest_expiry(
                forum_core::UserId::from(guest_id),
                chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1),
            )
        })
        .await
        .unwrap()
        .unwrap();
        app.settled().await;
        assert_eq!(
            app.get("/api/v1/colloquia", &guest).await.status,
            StatusCode::UNAUTHORIZED
        );
        let relogin = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "who_expert", "password": PASSWORD}),
            )
            .await;
        assert_eq!(relogin.status, StatusCode::FORBIDDEN, "{}", relogin.body);
        assert_eq!(relogin.body["error"]["code"], "account_expired");
    }
);
