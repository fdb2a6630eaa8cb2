//! Handling marks (TLP 2.0) through the real server, on both backends: a
//! French judge's `AMBER+STRICT` analysis for FR and BE is read by a
//! Belgian prosecutor and leaves no trace for a Spanish member — thread,
//! lists, counts, search totals and facets, compare, the jurisdiction
//! page, the inbox, live events, the audit details — and `RED` admits only
//! the members it names, not moderators nor admins.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;
use crate::live::{assert_no_event, connect, next_of, subscribe};

/// A word nobody else writes, to search for.
const SECRET: &str = "xylocarpeldrin";

fn ids(list: &Value) -> Vec<i64> {
    list["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

async fn html(app: &TestApp, path: &str, token: &str) -> (StatusCode, String) {
    let reply = reqwest::Client::new()
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (reply.status(), reply.text().await.unwrap())
}

fn user_id(login: &Value) -> i64 {
    login["user"]["id"].as_i64().unwrap()
}

both_backends!(
    amber_strict_reaches_the_named_countries_and_leaves_no_trace_elsewhere,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let cases = app.category(&admin, "cases").await;
        let judge = token(&app.member_from(&admin, "fr_judge", "FR", "judge").await);
        let belgian = token(
            &app.member_from(&admin, "be_prosecutor", "BE", "prosecutor")
                .await,
        );
        let spaniard_login = app
            .member_from(&admin, "es_member", "ES", "prosecutor")
            .await;
        let spaniard = token(&spaniard_login);

        // Refused marks change nothing.
        for (body, field) in [
            (json!({"mark": "AMBER+STRICT"}), "mark_recipients"),
            (json!({"mark": "PURPLE"}), "mark"),
            (
                json!({"mark": "AMBER+STRICT", "mark_recipients": {"countries": ["XX"]}}),
                "mark_recipients",
            ),
            (
                json!({"mark": "GREEN", "mark_recipients": {"countries": ["FR"]}}),
                "mark_recipients",
            ),
            (
                json!({"mark": "RED", "mark_recipients": {"users": [999_999]}}),
                "mark_recipients",
            ),
        ] {
            let mut thread = json!({"category_id": cases, "title": "Refused mark",
                "body": "Body", "kind": "discussion", "jurisdictions": ["FR"]});
            thread
                .as_object_mut()
                .unwrap()
                .extend(body.as_object().unwrap().clone());
            let refused = app.post("/api/v1/threads", Some(&judge), thread).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                refused.body
            );
            assert_eq!(refused.body["error"]["field"], field, "{}", refused.body);
        }
        let everyone = app.get("/api/v1/threads", &judge).await;
        assert_eq!(ids(&everyone.body), Vec::<i64>::new(), "nothing stored");

        let open = app
            .thread(&judge, cases, "Open question on tobacco", "Anyone?")
            .await;
        assert_eq!(open["mark"], "GREEN", "the default mark: {open}");

        let created = app
            .post(
                "/api/v1/threads",
                Some(&judge),
                json!({"category_id": cases, "kind": "analysis",
                    "title": "Falsified medicines sold online: the Paris case",
                    "body": format!("The court accepted the {SECRET} evidence. @es_member @be_prosecutor"),
                    "jurisdictions": ["FR", "BE"],
                    "analysis": {"summary": "Online sales of falsified medicines are charged as fraud.",
                        "language": "en", "instruments": ["medicrime"], "crime_areas": ["falsified_medicines"],
                        "legal_provisions": [{"jurisdiction": "FR", "text": "Code de la santé publique, L5421-13"}],
                        "case_citations": [], "valid_as_of": "2026-01-01", "review_by": "2030-01-01"},
                    "mark": "AMBER+STRICT",
                    "mark_recipients": {"countries": ["fr", "BE"]}}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["mark"], "AMBER+STRICT");
        assert_eq!(
            created.body["mark_recipients"]["countries"],
            json!(["BE", "FR"])
        );
        let marked = created.body["id"].as_i64().unwrap();
        app.settled().await;
        app.indexed().await;
        app.notified().await;

        // The Belgian prosecutor reads it everywhere.
        let read = app
            .get(&format!("/api/v1/threads/{marked}"), &belgian)
            .await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!(read.body["thread"]["mark"], "AMBER+STRICT");
        let (status, page) = html(&app, &format!("/t/{marked}"), &belgian).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("TLP:AMBER+STRICT"), "the label is shown");
        assert!(
            page.contains("<title>TLP:AMBER+STRICT · Falsified medicines"),
            "and is in the title"
        );
        assert!(ids(&app.get("/api/v1/threads", &belgian).await.body).contains(&marked));
        let found = app
            .get(&format!("/api/v1/search?q={SECRET}"), &belgian)
            .await;
        assert_eq!(found.body["total"], 1, "{}", found.body);
        assert_eq!(found.body["hits"][0]["mark"], "AMBER+STRICT");
        let inbox = app.get("/api/v1/notifications", &belgian).await;
        assert!(
            inbox.body.to_string().contains(&marked.to_string()),
            "{}",
            inbox.body
        );

        // The Spanish member: no trace anywhere.
        let hidden = app
            .get(&format!("/api/v1/threads/{marked}"), &spaniard)
            .await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        let (status, _) = html(&app, &format!("/t/{marked}"), &spaniard).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        for list in [
            "/api/v1/threads",
            &format!("/api/v1/threads?category={cases}"),
            "/api/v1/threads?jurisdiction=FR",
            "/api/v1/threads?jurisdiction=EU",
            "/api/v1/threads?kind=analysis",
            "/api/v1/threads?crime_area=falsified_medicines",
        ] {
            let seen = app.get(list, &spaniard).await;
            assert_eq!(seen.status, StatusCode::OK, "{list}: {}", seen.body);
            assert!(!ids(&seen.body).contains(&marked), "{list} lists it");
        }
        let categories = app.get("/api/v1/categories", &spaniard).await;
        let count = categories
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == cases)
            .unwrap()["thread_count"]
            .clone();
        assert_eq!(count, 1, "the count leaves it out: {}", categories.body);
        let judges_count = app
            .get("/api/v1/categories", &judge)
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == cases)
            .unwrap()["thread_count"]
            .clone();
        assert_eq!(judges_count, 2);
        let search = app
            .get(&format!("/api/v1/search?q={SECRET}"), &spaniard)
            .await;
        assert_eq!(search.status, StatusCode::OK);
        assert_eq!(search.body["total"], 0, "{}", search.body);
        assert!(
            !search.body.to_string().contains("Falsified"),
            "{}",
            search.body
        );
        let facets = app
            .get("/api/v1/search?q=falsified+medicines", &spaniard)
            .await;
        assert_eq!(facets.body["total"], 0, "{}", facets.body);
        let compare = app
            .get(
                "/api/v1/compare?crime_area=falsified_medicines&jurisdictions=FR,BE",
                &spaniard,
            )
            .await;
        assert_eq!(compare.status, StatusCode::OK, "{}", compare.body);
        assert!(
            !compare
                .body
                .to_string()
                .contains(&format!("\"thread_id\":{marked}")),
            "{}",
            compare.body
        );
        let belgian_compare = app
            .get(
                "/api/v1/compare?crime_area=falsified_medicines&jurisdictions=FR,BE",
                &belgian,
            )
            .await;
        assert!(
            belgian_compare
                .body
                .to_string()
                .contains(&format!("\"thread_id\":{marked}"))
        );
        for page in ["/", "/j/FR", "/j/BE", "/c/cases"] {
            let (status, body) = html(&app, page, &spaniard).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            assert!(!body.contains("the Paris case"), "{page} shows it");
        }
        let (_, belgian_fr) = html(&app, "/j/FR", &belgian).await;
        assert!(
            belgian_fr.contains("the Paris case"),
            "the Belgian's jurisdiction page lists it"
        );
        // Mentioned, but not told.
        let inbox = app.get("/api/v1/notifications", &spaniard).await;
        assert_eq!(inbox.status, StatusCode::OK);
        assert!(
            !inbox.body.to_string().contains(&marked.to_string()),
            "{}",
            inbox.body
        );
        assert_eq!(inbox.body["unread"], 0, "{}", inbox.body);

        // Live: a reply reaches the Belgian's category stream, not the
        // Spaniard's; the Spaniard cannot subscribe to the thread.
        let mut spanish_ws = connect(&app.address, &spaniard).await;
        subscribe(&mut spanish_ws, &[format!("category:{cases}")], None).await;
        let mut belgian_ws = connect(&app.address, &belgian).await;
        subscribe(&mut belgian_ws, &[format!("category:{cases}")], None).await;
        let reply = app
            .post(
                &format!("/api/v1/threads/{marked}/posts"),
                Some(&belgian),
                json!({"body": "In Belgium the same facts are charged under the Medicrime law."}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let event = next_of(&mut belgian_ws, "event").await;
        assert_eq!(event["thread_id"], marked, "{event}");
        assert_no_event(&mut spanish_ws, Duration::from_millis(800)).await;
        crate::live::send(
            &mut spanish_ws,
            json!({"type": "subscribe", "topics": [format!("thread:{marked}")]}),
        )
        .await;
        let answer = next_of(&mut spanish_ws, "error").await;
        assert!(
            answer.to_string().contains("not_found") || answer.to_string().contains("thread"),
            "{answer}"
        );

        // Replaying the log from the start shows the Spaniard nothing of it.
        let mut replay = connect(&app.address, &spaniard).await;
        crate::live::send(
            &mut replay,
            json!({"type": "subscribe", "topics": [format!("category:{cases}")], "since": 0}),
        )
        .await;
        let mut replayed = 0;
        while let Some(message) =
            crate::live::next_json(&mut replay, Duration::from_millis(800)).await
        {
            if message["type"] == "event" {
                replayed += 1;
                assert_ne!(message["thread_id"], marked, "replayed {message}");
            }
        }
        assert!(replayed >= 1, "the open thread is replayed");

        // Tightening by a moderator is allowed, loosening is not; the
        // author may loosen. Every change is audited.
        let moderator = token(&crate::moderation::moderator(&app, &admin, "mod_fr").await);
        let loosen = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/threads/{marked}"),
                Some(&moderator),
                Some(json!({"mark": "GREEN"})),
            )
            .await;
        // The moderator (ES) is not among the readers: the thread is not
        // there for them at all.
        assert_eq!(loosen.status, StatusCode::NOT_FOUND, "{}", loosen.body);
        let tighten = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/threads/{}", open["id"]),
                Some(&moderator),
                Some(json!({"mark": "AMBER"})),
            )
            .await;
        assert_eq!(tighten.status, StatusCode::OK, "{}", tighten.body);
        assert_eq!(tighten.body["mark"], "AMBER");
        let back = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/threads/{}", open["id"]),
                Some(&moderator),
                Some(json!({"mark": "CLEAR"})),
            )
            .await;
        assert_eq!(back.status, StatusCode::FORBIDDEN, "{}", back.body);
        let audit = app.get("/api/v1/moderation/audit", &moderator).await;
        let entries = audit.body.as_array().unwrap();
        let about_marked: Vec<&Value> = entries
            .iter()
            .filter(|e| e["target"] == format!("thread:{marked}"))
            .collect();
        assert!(
            about_marked.is_empty(),
            "the moderator sees no target of the marked thread: {entries:?}"
        );
        assert!(
            entries
                .iter()
                .any(|e| e["action"] == "thread.mark"
                    && e["target"] == format!("thread:{}", open["id"])),
            "{entries:?}"
        );

        // The author opens it to every member: the Spaniard now finds it.
        let opened = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/threads/{marked}"),
                Some(&judge),
                Some(json!({"mark": "GREEN"})),
            )
            .await;
        assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
        assert!(
            opened.body.get("mark_recipients").is_none(),
            "{}",
            opened.body
        );
        app.settled().await;
        app.indexed().await;
        assert_eq!(
            app.get(&format!("/api/v1/threads/{marked}"), &spaniard)
                .await
                .status,
            StatusCode::OK
        );
        let search = app
            .get(&format!("/api/v1/search?q={SECRET}"), &spaniard)
            .await;
        assert_eq!(search.body["total"], 1, "{}", search.body);
        app.stop().await;
    }
);

both_backends!(red_admits_only_the_members_it_names, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let cases = app.category(&admin, "cases").await;
    let author = token(&app.member_from(&admin, "author", "FR", "judge").await);
    let named_login = app.member_from(&admin, "named", "MA", "prosecutor").await;
    let named = token(&named_login);
    let colleague = token(&app.member_from(&admin, "colleague", "FR", "judge").await);
    let moderator = token(&crate::moderation::moderator(&app, &admin, "mod_red").await);
    let created = app
        .post(
            "/api/v1/threads",
            Some(&author),
            json!({"category_id": cases, "kind": "discussion",
                    "title": "Informant in the Tangier container case",
                    "body": format!("Only for you: {SECRET}."), "jurisdictions": ["MA"],
                    "mark": "RED", "mark_recipients": {"users": [user_id(&named_login)]}}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let red = created.body["id"].as_i64().unwrap();
    app.settled().await;
    app.indexed().await;
    for (who, reader, sees) in [
        ("author", &author, true),
        ("named", &named, true),
        ("colleague", &colleague, false),
        ("moderator", &moderator, false),
        ("admin", &admin, false),
    ] {
        let thread = app.get(&format!("/api/v1/threads/{red}"), reader).await;
        let expected = if sees {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(thread.status, expected, "{who}");
        let listed = ids(&app.get("/api/v1/threads", reader).await.body).contains(&red);
        assert_eq!(listed, sees, "{who} list");
        let search = app.get(&format!("/api/v1/search?q={SECRET}"), reader).await;
        assert_eq!(
            search.body["total"],
            u64::from(sees),
            "{who} search {}",
            search.body
        );
        let (status, _) = html(&app, &format!("/t/{red}"), reader).await;
        assert_eq!(status, expected, "{who} page");
    }
    let (_, page) = html(&app, &format!("/t/{red}"), &named).await;
    assert!(
        page.contains("TLP:RED") && page.contains("named (MA)"),
        "readers shown"
    );
    // Replying keeps the mark: the colleague never sees the reply
    // either, and a merge into a looser thread is refused.
    let reply = app
        .post(
            &format!("/api/v1/threads/{red}/posts"),
            Some(&named),
            json!({"body": "Received."}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let looser = app
        .post(
            &format!("/api/v1/threads/{red}/posts"),
            Some(&named),
            json!({"body": "Marked otherwise.", "mark": "GREEN"}),
        )
        .await;
    assert_eq!(looser.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(looser.body["error"]["field"], "mark");
    let same = app
        .post(
            &format!("/api/v1/threads/{red}/posts"),
            Some(&named),
            json!({"body": "Marked the same.", "mark": "RED"}),
        )
        .await;
    assert_eq!(same.status, StatusCode::CREATED, "{}", same.body);
    let open = app.thread(&author, cases, "Open thread", "Open body").await;
    let merge = app
        .post(
            &format!("/api/v1/threads/{red}/merge"),
            Some(&admin),
            json!({"into": open["id"], "reason": "tidy"}),
        )
        .await;
    assert_eq!(
        merge.status,
        StatusCode::NOT_FOUND,
        "admins do not see RED: {}",
        merge.body
    );
    // An admin breaks the glass, with a reason: audited, the author told,
    // and the admin now reads it (a moderator still does not).
    let refused = app
        .post(
            &format!("/api/v1/threads/{red}/break-glass"),
            Some(&moderator),
            json!({"reason": "court order 2026/17"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let broken = app
        .post(
            &format!("/api/v1/threads/{red}/break-glass"),
            Some(&admin),
            json!({"reason": "court order 2026/17"}),
        )
        .await;
    assert!(broken.status.is_success(), "{}", broken.body);
    app.settled().await;
    assert_eq!(
        app.get(&format!("/api/v1/threads/{red}"), &admin)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(&format!("/api/v1/threads/{red}"), &moderator)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let audit = app
        .get("/api/v1/moderation/audit?action=thread.break_glass", &admin)
        .await;
    assert_eq!(
        audit.body[0]["reason"], "court order 2026/17",
        "{}",
        audit.body
    );
    let inbox = app.get("/api/v1/notifications", &author).await;
    assert!(
        inbox.body["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "moderation" && n["thread_id"] == red),
        "{}",
        inbox.body
    );
    app.stop().await;
});

/// The ids of the posts a reader sees in a thread.
async fn post_ids(app: &TestApp, thread: i64, token: &str) -> Vec<i64> {
    let read = app.get(&format!("/api/v1/threads/{thread}"), token).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    read.body["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

both_backends!(
    a_reply_may_be_stricter_than_its_thread_and_only_its_readers_see_it,
    |backend| async move {
        const WORD: &str = "quendrimolax";
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let cases = app.category(&admin, "cases").await;
        let author = token(&app.member_from(&admin, "opener", "FR", "judge").await);
        let writer = token(&app.member_from(&admin, "writer", "FR", "prosecutor").await);
        let named_login = app.member_from(&admin, "named", "MA", "prosecutor").await;
        let named = token(&named_login);
        let colleague = token(&app.member_from(&admin, "colleague", "FR", "judge").await);
        let moderator = token(&crate::moderation::moderator(&app, &admin, "mod_posts").await);
        let open = app
            .thread(
                &author,
                cases,
                "Container seizures in Le Havre",
                "What did you see?",
            )
            .await;
        let thread = open["id"].as_i64().unwrap();
        let amber = app
            .post(
                "/api/v1/threads",
                Some(&author),
                json!({"category_id": cases, "kind": "discussion", "title": "Amber thread",
                    "body": "Amber body", "jurisdictions": ["FR"], "mark": "AMBER"}),
            )
            .await;
        let amber = amber.body["id"].as_i64().unwrap();

        // Looser than the thread, or readers without a mark: refused, and
        // nothing stored.
        for (to, body, field) in [
            (amber, json!({"body": "Looser", "mark": "GREEN"}), "mark"),
            (amber, json!({"body": "Looser", "mark": "CLEAR"}), "mark"),
            (
                thread,
                json!({"body": "Readers", "mark_recipients": {"users": [user_id(&named_login)]}}),
                "mark_recipients",
            ),
            (
                thread,
                json!({"body": "Nobody", "mark": "AMBER+STRICT"}),
                "mark_recipients",
            ),
        ] {
            let refused = app
                .post(&format!("/api/v1/threads/{to}/posts"), Some(&writer), body)
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                refused.body
            );
            assert_eq!(refused.body["error"]["field"], field, "{}", refused.body);
        }
        assert_eq!(post_ids(&app, amber, &author).await.len(), 1);
        assert_eq!(post_ids(&app, thread, &author).await.len(), 1);

        // Live: the named member's stream carries the reply, the
        // colleague's does not.
        let mut named_ws = connect(&app.address, &named).await;
        subscribe(&mut named_ws, &[format!("thread:{thread}")], None).await;
        let mut colleague_ws = connect(&app.address, &colleague).await;
        subscribe(&mut colleague_ws, &[format!("thread:{thread}")], None).await;
        let red = app
            .post(
                &format!("/api/v1/threads/{thread}/posts"),
                Some(&writer),
                json!({"body": format!("The informant said {WORD}. @opener @named"),
                    "mark": "RED", "mark_recipients": {"users": [user_id(&named_login)]}}),
            )
            .await;
        assert_eq!(red.status, StatusCode::CREATED, "{}", red.body);
        assert_eq!(red.body["mark"], "RED");
        assert_eq!(
            red.body["mark_recipients"]["users"],
            json!([user_id(&named_login)])
        );
        let red_id = red.body["id"].as_i64().unwrap();
        let event = next_of(&mut named_ws, "event").await;
        assert!(event.to_string().contains(WORD), "{event}");
        assert_no_event(&mut colleague_ws, Duration::from_millis(800)).await;
        app.settled().await;
        app.indexed().await;
        app.notified().await;

        for (who, reader, sees) in [
            ("writer", &writer, true),
            ("named", &named, true),
            ("thread author", &author, false),
            ("colleague", &colleague, false),
            ("moderator", &moderator, false),
            ("admin", &admin, false),
        ] {
            assert_eq!(
                post_ids(&app, thread, reader).await.contains(&red_id),
                sees,
                "{who} thread"
            );
            let revisions = app
                .get(&format!("/api/v1/posts/{red_id}/revisions"), reader)
                .await;
            assert_eq!(
                revisions.status,
                if sees {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                },
                "{who} revisions"
            );
            let search = app.get(&format!("/api/v1/search?q={WORD}"), reader).await;
            assert_eq!(search.status, StatusCode::OK);
            assert_eq!(
                search.body["total"],
                u64::from(sees),
                "{who} search {}",
                search.body
            );
            let (status, page) = html(&app, &format!("/t/{thread}"), reader).await;
            assert_eq!(status, StatusCode::OK, "{who} page");
            assert_eq!(page.contains(WORD), sees, "{who} page");
            if sees {
                assert!(page.contains("TLP:RED"), "{who}: the reply's label");
            }
            let inbox = app.get("/api/v1/notifications", reader).await;
            let told = inbox.body["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["post_id"] == red_id);
            assert!(!told || sees, "{who} inbox {}", inbox.body);
        }
        let inbox = app.get("/api/v1/notifications", &named).await;
        assert!(
            inbox.body.to_string().contains(&red_id.to_string()),
            "the named member is told: {}",
            inbox.body
        );

        // Staff may not loosen it; its author may. A moderator may then
        // tighten it again, to members of Morocco.
        let loosen = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/posts/{red_id}"),
                Some(&moderator),
                Some(json!({"body": "Loosened", "mark": "GREEN"})),
            )
            .await;
        assert_eq!(loosen.status, StatusCode::NOT_FOUND, "{}", loosen.body);
        let loosen = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/posts/{red_id}"),
                Some(&writer),
                Some(json!({"body": format!("Now for everyone: {WORD}."), "mark": "GREEN"})),
            )
            .await;
        assert_eq!(loosen.status, StatusCode::OK, "{}", loosen.body);
        assert_eq!(loosen.body["mark"], "GREEN");
        app.settled().await;
        app.indexed().await;
        assert!(post_ids(&app, thread, &colleague).await.contains(&red_id));
        let search = app
            .get(&format!("/api/v1/search?q={WORD}"), &colleague)
            .await;
        assert_eq!(search.body["total"], 1, "{}", search.body);
        let tighten = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/posts/{red_id}"),
                Some(&moderator),
                Some(json!({"body": format!("Now for everyone: {WORD}."),
                    "mark": "AMBER+STRICT", "mark_recipients": {"countries": ["MA"]},
                    "edit_reason": "names a witness"})),
            )
            .await;
        assert_eq!(tighten.status, StatusCode::OK, "{}", tighten.body);
        app.settled().await;
        app.indexed().await;
        assert!(!post_ids(&app, thread, &colleague).await.contains(&red_id));
        assert!(post_ids(&app, thread, &named).await.contains(&red_id));
        let search = app
            .get(&format!("/api/v1/search?q={WORD}"), &colleague)
            .await;
        assert_eq!(search.body["total"], 0, "{}", search.body);
        let loosen = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/posts/{red_id}"),
                Some(&admin),
                Some(json!({"body": "x", "mark": "AMBER"})),
            )
            .await;
        assert_eq!(loosen.status, StatusCode::FORBIDDEN, "{}", loosen.body);
        let audit = app
            .get("/api/v1/moderation/audit?action=post.mark", &admin)
            .await;
        assert_eq!(
            audit.body.as_array().map(Vec::len),
            Some(2),
            "{}",
            audit.body
        );

        // A RED reply in an open thread has glass to break: the admin then
        // reads it, its writer is told.
        let second = app
            .post(
                &format!("/api/v1/threads/{thread}/posts"),
                Some(&writer),
                json!({"body": "Only for me.", "mark": "RED"}),
            )
            .await;
        assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
        let second = second.body["id"].as_i64().unwrap();
        assert!(!post_ids(&app, thread, &admin).await.contains(&second));
        let broken = app
            .post(
                &format!("/api/v1/threads/{thread}/break-glass"),
                Some(&admin),
                json!({"reason": "court order 2026/18"}),
            )
            .await;
        assert!(broken.status.is_success(), "{}", broken.body);
        app.settled().await;
        assert!(post_ids(&app, thread, &admin).await.contains(&second));
        assert!(!post_ids(&app, thread, &moderator).await.contains(&second));
        app.notified().await;
        let inbox = app.get("/api/v1/notifications", &writer).await;
        assert!(
            inbox.body["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["kind"] == "moderation" && n["thread_id"] == thread),
            "{}",
            inbox.body
        );
        app.stop().await;
    }
);
