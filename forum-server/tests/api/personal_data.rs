//! Personal data caught before it is stored, through the real server on
//! both backends: a suspect's phone number in a new thread is refused
//! with its span and nothing is stored; a name in a reply is refused, then
//! posted anyway with a reason, which opens a `personal_data` case for the
//! moderators naming the kinds, never the text; an edit is screened too;
//! public case citations pass.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

/// The characters `start..end` of `text`.
fn span_text(text: &str, span: &Value) -> String {
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    text.chars().skip(start).take(end - start).collect()
}

both_backends!(
    personal_data_is_caught_before_it_is_stored,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let cases = app.category(&admin, "cases").await;
        let judge = token(&app.member(&admin, "judge").await);
        let moderator = token(&crate::moderation::moderator(&app, &admin, "mod_pd").await);

        // A phone number in a new thread: refused, with where it is.
        let body = "The courier's phone, +33 6 12 34 56 78, was tapped in Lyon.";
        let refused = app
            .post(
                "/api/v1/threads",
                Some(&judge),
                json!({"category_id": cases, "title": "Wiretaps in the Lyon case", "body": body,
                       "kind": "discussion", "jurisdictions": ["FR"]}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(refused.body["error"]["code"], "personal_data_suspected");
        assert_eq!(refused.body["error"]["field"], "body");
        let spans = refused.body["error"]["spans"].as_array().unwrap();
        assert_eq!(spans.len(), 1, "{spans:?}");
        assert_eq!(spans[0]["kind"], "phone");
        assert_eq!(spans[0]["field"], "body");
        assert_eq!(span_text(body, &spans[0]), "+33 6 12 34 56 78");
        let listed = app.get("/api/v1/threads", &judge).await;
        assert_eq!(listed.body["threads"], json!([]), "nothing stored");

        // Public case citations are not personal data.
        let thread = app
            .post(
                "/api/v1/threads",
                Some(&judge),
                json!({"category_id": cases, "title": "Fraud by online pharmacies",
                       "body": "Cass. crim., 12 mars 2019, n° 18-80.123 (ECLI:FR:CCASS:2019:CR00321) and art. L. 5421-13 CSP.",
                       "kind": "discussion", "jurisdictions": ["FR"]}),
            )
            .await;
        assert_eq!(thread.status, StatusCode::CREATED, "{}", thread.body);
        let thread_id = thread.body["id"].as_i64().unwrap();

        // A name in a reply: refused; an empty reason is no reason.
        let reply = "Le prévenu Karim Benali a reconnu les faits à l'audience.";
        let path = format!("/api/v1/threads/{thread_id}/posts");
        let refused = app.post(&path, Some(&judge), json!({"body": reply})).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let span = &refused.body["error"]["spans"][0];
        assert_eq!(span["kind"], "person_name");
        assert_eq!(span_text(reply, span), "Karim Benali");
        let no_reason = app
            .post(
                &path,
                Some(&judge),
                json!({"body": reply, "acknowledge_personal_data": {"reason": " "}}),
            )
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            no_reason.body["error"]["field"],
            "acknowledge_personal_data.reason"
        );
        assert_eq!(app.post_count().await, 1, "nothing stored");

        // Posted anyway, with a reason: a case for the moderators.
        let posted = app
            .post(
                &path,
                Some(&judge),
                json!({"body": reply, "acknowledge_personal_data": {"reason": "The judgment naming him is public."}}),
            )
            .await;
        assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.body);
        let post_id = posted.body["id"].as_i64().unwrap();
        let queue = app.get("/api/v1/moderation/flags", &moderator).await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
        let case = queue
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["post_id"] == post_id)
            .unwrap_or_else(|| panic!("a case for the post: {}", queue.body))
            .clone();
        assert_eq!(case["reason"], "personal_data");
        let note = case["note"].as_str().unwrap();
        assert!(
            note.contains("person_name") && note.contains("judgment naming him"),
            "{note}"
        );
        assert!(
            !note.contains("Benali"),
            "the case names the kind, not the text: {note}"
        );

        // An edit is screened too.
        let edit = app
            .call(
                Method::PATCH,
                &format!("/api/v1/posts/{post_id}"),
                Some(&judge),
                Some(json!({"body": "Write to karim.benali@example.org for the file."})),
            )
            .await;
        assert_eq!(
            edit.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            edit.body
        );
        assert_eq!(edit.body["error"]["spans"][0]["kind"], "email");
        let kept = app
            .get(&format!("/api/v1/threads/{thread_id}"), &judge)
            .await;
        assert!(
            kept.body.to_string().contains("Karim Benali"),
            "the edit changed nothing"
        );
        // A file's text is read after posting: personal data found in it
        // opens a case naming the file and the kinds.
        let file = crate::attachments::upload(
            &app,
            &judge,
            "contacts.txt",
            b"Liaison officer: marie.dupont@example.fr, +33 6 98 76 54 32".to_vec(),
        )
        .await;
        assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
        let with_file = app
            .post(
                &path,
                Some(&judge),
                json!({"body": "The contact sheet is attached.", "attachments": [file.body["id"]]}),
            )
            .await;
        assert_eq!(with_file.status, StatusCode::CREATED, "{}", with_file.body);
        let file_post = with_file.body["id"].as_i64().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let queue = app.get("/api/v1/moderation/flags", &moderator).await;
            let case = queue
                .body
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["post_id"] == file_post)
                .cloned();
            if let Some(case) = case {
                let note = case["note"].as_str().unwrap();
                assert!(
                    note.contains("contacts.txt")
                        && note.contains("email")
                        && note.contains("phone"),
                    "{note}"
                );
                assert!(!note.contains("dupont"), "{note}");
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no case for the file");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        app.stop().await;
    }
);
