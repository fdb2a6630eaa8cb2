//! Redaction that leaves no trace, through the real server on both
//! backends: a witness's name slipped into a post (its revisions, a file,
//! a flag's note, a colleague's draft, the search index, the event log)
//! and a moderator redacts it. Afterwards no file of the data directory —
//! database, write-ahead log, search index, blobs — and no dump of the
//! PostgreSQL database holds a byte of it; the audit keeps its SHA-256.

use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::both_backends;
use crate::helpers::*;

const NAME: &str = "Quentin Zorbadelli";

/// Every file under `dir` whose bytes hold `needle` (any case, for the
/// index's lowercased terms).
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let lower = needle.to_lowercase();
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let text = String::from_utf8_lossy(&bytes).to_lowercase();
            if text.contains(&lower) {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

/// The names of the index's segment files (not its metadata).
fn segment_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            (name.contains('.')
                && !name.starts_with('.')
                && !name.ends_with(".json")
                && !name.ends_with(".lock"))
            .then_some(name)
        })
        .collect()
}

fn pg_dump(url: &str) -> String {
    let out = std::process::Command::new("pg_dump")
        .arg("--data-only")
        .arg(url)
        .output()
        .expect("pg_dump runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

both_backends!(
    a_redacted_name_leaves_no_byte_in_the_data_directory,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let cases = app.category(&admin, "cases").await;
        let author = token(&app.member(&admin, "author").await);
        let colleague = token(&app.member(&admin, "colleague").await);
        let moderator = token(&crate::moderation::moderator(&app, &admin, "mod_r").await);
        let ack = json!({"reason": "the witness agreed (test)"});

        // The name everywhere a post can put it.
        let file = crate::attachments::upload(
            &app,
            &author,
            "hearing.txt",
            format!("Minutes of the hearing. The witness {NAME} described the warehouse.")
                .into_bytes(),
        )
        .await;
        assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
        let thread = app
            .post(
                "/api/v1/threads",
                Some(&author),
                json!({"category_id": cases, "title": "Warehouse hearings",
                    "body": format!("The witness {NAME} saw the pallets."), "kind": "discussion",
                    "jurisdictions": ["FR"], "attachments": [file.body["id"]],
                    "acknowledge_personal_data": ack}),
            )
            .await;
        assert_eq!(thread.status, StatusCode::CREATED, "{}", thread.body);
        let (thread_id, post) = (
            thread.body["id"].as_i64().unwrap(),
            thread.body["first_post_id"].as_i64().unwrap(),
        );
        let edited = app
            .call(
                Method::PATCH,
                &format!("/api/v1/posts/{post}"),
                Some(&author),
                Some(
                    json!({"body": format!("The witness {NAME} saw the pallets twice."),
                    "attachments": [file.body["id"]], "acknowledge_personal_data": ack}),
                ),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        let flagged = app
            .post(
                &format!("/api/v1/posts/{post}/flags"),
                Some(&colleague),
                json!({"reason": "personal_data", "note": format!("{NAME} is named")}),
            )
            .await;
        assert_eq!(flagged.status, StatusCode::CREATED, "{}", flagged.body);
        let draft = app
            .call(
                Method::PUT,
                &format!("/api/v1/threads/{thread_id}/draft"),
                Some(&colleague),
                Some(json!({"body": format!("About {NAME}: ")})),
            )
            .await;
        assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
        // Read, indexed and found: the bytes are there to start with.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let shown = app
                .get(&format!("/api/v1/threads/{thread_id}"), &author)
                .await;
            if shown.body["posts"][0]["attachments"][0]["extraction"] == "done" {
                break;
            }
            assert!(Instant::now() < deadline, "never read: {}", shown.body);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        app.settled().await;
        app.indexed().await;
        let found = app.get("/api/v1/search?q=Zorbadelli", &colleague).await;
        assert_eq!(found.body["total"], 1, "{}", found.body);
        let data = app.storage.data_dir();
        assert!(
            !files_holding(&data, "Zorbadelli").is_empty(),
            "the test can fail"
        );
        // The index's segment files now: the terms of the post are in them
        // (prefix-compressed, so not always as plain bytes).
        let segments_before = segment_files(&data.join("search"));
        assert!(!segments_before.is_empty());

        // Refused to members, and for text the post does not hold.
        let refused = app
            .post(
                &format!("/api/v1/posts/{post}/redactions"),
                Some(&colleague),
                json!({"text": NAME, "reason": "personal data"}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let absent = app
            .post(
                &format!("/api/v1/posts/{post}/redactions"),
                Some(&moderator),
                json!({"text": "Nobody Here", "reason": "personal data"}),
            )
            .await;
        assert_eq!(absent.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(absent.body["error"]["field"], "text");

        let redacted = app
            .post(
                &format!("/api/v1/posts/{post}/redactions"),
                Some(&moderator),
                json!({"text": NAME, "reason": "witness protection"}),
            )
            .await;
        assert_eq!(redacted.status, StatusCode::OK, "{}", redacted.body);
        assert!(
            redacted.body["occurrences"].as_u64().unwrap() >= 5,
            "{}",
            redacted.body
        );
        assert_eq!(
            redacted.body["attachments_removed"],
            json!([file.body["id"]])
        );
        assert!(
            redacted.body["post"]["body"]
                .as_str()
                .unwrap()
                .contains("█ redacted")
        );
        app.settled().await;
        app.indexed().await;

        // Gone from every page and answer…
        let shown = app
            .get(&format!("/api/v1/threads/{thread_id}"), &author)
            .await;
        assert!(
            !shown.body.to_string().contains("Zorbadelli"),
            "{}",
            shown.body
        );
        let revisions = app
            .get(&format!("/api/v1/posts/{post}/revisions"), &moderator)
            .await;
        assert!(!revisions.body.to_string().contains("Zorbadelli"));
        let search = app.get("/api/v1/search?q=Zorbadelli", &colleague).await;
        assert_eq!(search.body["total"], 0, "{}", search.body);
        // …and from every byte on disk, once the index has purged itself.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = files_holding(&data, "Zorbadelli");
            if left.is_empty() {
                break;
            }
            assert!(Instant::now() < deadline, "still on disk: {left:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // The segments that held the post's terms were merged away and
        // their files removed.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let after = segment_files(&data.join("search"));
            let kept: Vec<&String> = segments_before
                .iter()
                .filter(|f| after.contains(f))
                .collect();
            if kept.is_empty() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "old segment files kept: {kept:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if let Some(pg) = &app.storage.pg {
            let dump = pg_dump(&pg.url);
            assert!(!dump.contains("Zorbadelli"), "the dump holds it");
            assert!(dump.contains("redacted"), "the dump is of this database");
        }
        // The audit keeps who, why and the hash, never the text.
        let audit = app
            .get("/api/v1/moderation/audit?action=post.redact", &admin)
            .await;
        let entry = &audit.body[0];
        assert_eq!(entry["reason"], "witness protection", "{}", audit.body);
        assert_eq!(
            entry["details"]["sha256"],
            hex::encode(Sha256::digest(NAME.as_bytes()))
        );
        assert!(!audit.body.to_string().contains("Zorbadelli"));
        app.stop().await;
    }
);
