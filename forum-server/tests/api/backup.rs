//! `forum-server backup --to FILE` taken while members post, and
//! `forum-server restore FILE` into a fresh data directory and database, on
//! both backends: every post acknowledged before the backup began is in the
//! restored forum, the attachment comes back byte for byte, the export key
//! is the same, `audit verify` passes, the search index is rebuilt; a
//! restore is refused while a server serves the target and when the target
//! already holds a forum.

use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::durability::{Server, free_port};
use crate::helpers::*;

fn cli(storage: &Storage, args: &[&str]) -> Output {
    cli_in(storage, &storage.data_dir(), args)
}

/// The binary with `storage`'s database and another data directory.
fn cli_in(storage: &Storage, data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forum-server"))
        .args(args)
        .env("COMITY_DATA_DIR", data_dir)
        .env("COMITY_DATABASE_URL", storage.database_url())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run forum-server")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

both_backends!(
    a_backup_taken_under_write_load_restores_with_nothing_missing,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |_| {}).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "tobacco").await;
        let thread = app
            .thread(
                &admin,
                category,
                "Cigarette smuggling through free zones",
                "How the Protocol's article on free zones is applied at the border",
            )
            .await;
        let thread_id = thread["id"].as_i64().unwrap();
        let judgment =
            crate::attachments::pdf(&["Judgment: forfeiture of counterfeit cigarettes"], "Court");
        let file = crate::attachments::upload(&app, &admin, "judgment.pdf", judgment.clone()).await;
        assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
        let file_id = file.body["id"].as_i64().unwrap();
        let with_file = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&admin),
                json!({"body": "The judgment is attached.", "attachments": [file_id]}),
            )
            .await;
        assert_eq!(with_file.status, StatusCode::CREATED, "{}", with_file.body);
        let pinned = app
            .post(
                &format!("/api/v1/threads/{thread_id}/pin"),
                Some(&admin),
                json!({"reason": "reference thread"}),
            )
            .await;
        assert!(pinned.status.is_success(), "{}", pinned.body);
        let key_before = app.get("/.well-known/comity-export-key", "").await.body;

        // Two members' worth of writing, recording when each reply was
        // acknowledged.
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for w in 0..2 {
            let stop = stop.clone();
            let client = app.client.clone();
            let url = format!("{}/api/v1/threads/{thread_id}/posts", app.address);
            let admin = admin.clone();
            writers.push(tokio::spawn(async move {
                let mut acks = Vec::new();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let r = client
                        .post(&url)
                        .bearer_auth(&admin)
                        .json(&json!({"body": format!("Writer {w}, reply {n}")}))
                        .send()
                        .await
                        .unwrap();
                    if r.status() == StatusCode::CREATED {
                        let body: serde_json::Value = r.json().await.unwrap();
                        acks.push((Instant::now(), body["id"].as_i64().unwrap()));
                    }
                }
                acks
            }));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;

        let archive = app.storage.dir.path().join("comity.backup.zip");
        let began = Instant::now();
        let out = {
            let storage_dir = app.storage.data_dir();
            let url = app.storage.database_url();
            let archive = archive.clone();
            tokio::task::spawn_blocking(move || {
                Command::new(env!("CARGO_BIN_EXE_forum-server"))
                    .args(["backup", "--to"])
                    .arg(&archive)
                    .env("COMITY_DATA_DIR", storage_dir)
                    .env("COMITY_DATABASE_URL", url)
                    .env("RUST_LOG", "warn")
                    .output()
                    .unwrap()
            })
            .await
            .unwrap()
        };
        let ended = Instant::now();
        tokio::time::sleep(Duration::from_millis(300)).await;
        stop.store(true, Ordering::Relaxed);
        let mut acks = Vec::new();
        for w in writers {
            acks.extend(w.await.unwrap());
        }
        assert!(out.status.success(), "{}", text(&out));
        let said = text(&out);
        assert!(said.contains("backup written to"), "{said}");
        let before: Vec<i64> = acks
            .iter()
            .filter(|(at, _)| *at < began)
            .map(|(_, id)| *id)
            .collect();
        let during = acks
            .iter()
            .filter(|(at, _)| *at >= began && *at <= ended)
            .count();
        assert!(before.len() >= 5, "the writers wrote before the backup");
        eprintln!(
            "{backend:?}: {} replies acknowledged before the backup, {during} while it ran ({} ms), {} in all",
            before.len(),
            (ended - began).as_millis(),
            acks.len()
        );
        let head = std::fs::read_to_string(format!("{}.audit-head", archive.display()))
            .expect("the audit head beside the backup");
        assert!(head.starts_with("audit chain head: entry "), "{head}");
        // Never overwritten.
        let again = cli(&app.storage, &["backup", "--to", archive.to_str().unwrap()]);
        assert!(!again.status.success());
        assert!(
            text(&again).contains("never overwrites"),
            "{}",
            text(&again)
        );
        let original = app.stop().await;

        // Into a fresh data directory and database.
        let target = Storage::new(backend);
        let archive_arg = archive.to_str().unwrap();
        let restored = cli(&target, &["restore", archive_arg]);
        assert!(restored.status.success(), "{}", text(&restored));
        let said = text(&restored);
        assert!(said.contains("audit log intact"), "{said}");
        assert!(said.contains("search index rebuilt"), "{said}");
        let verify = cli(&target, &["audit", "verify"]);
        assert!(verify.status.success(), "{}", text(&verify));

        // The target holds a forum now: not again without --force.
        let twice = cli(&target, &["restore", archive_arg]);
        assert!(!twice.status.success());
        assert!(
            text(&twice).contains("already holds a forum"),
            "{}",
            text(&twice)
        );
        // Nor while a server serves it, even with --force.
        let client = reqwest::Client::new();
        let mut server = Server::start_with(&target, free_port(), &[]);
        server.wait_healthy(&client).await;
        let busy = cli(&target, &["restore", "--force", archive_arg]);
        assert!(!busy.status.success());
        assert!(
            text(&busy).contains("another forum-server process uses"),
            "{}",
            text(&busy)
        );
        if backend == Backend::Postgres {
            // From another machine's data directory: the database says a
            // server runs.
            let elsewhere = target.dir.path().join("elsewhere");
            let busy = cli_in(&target, &elsewhere, &["restore", "--force", archive_arg]);
            assert!(!busy.status.success());
            assert!(
                text(&busy).contains("serves this PostgreSQL database"),
                "{}",
                text(&busy)
            );
        }
        server.kill_9();
        // A backup is not a forum: a damaged one is refused.
        let junk = target.dir.path().join("junk.zip");
        std::fs::write(&junk, b"not a zip").unwrap();
        let refused = cli(&target, &["restore", "--force", junk.to_str().unwrap()]);
        assert!(!refused.status.success());
        assert!(
            text(&refused).contains("not a Comity backup"),
            "{}",
            text(&refused)
        );

        let app = spawn_with(target, |_| {}).await;
        let admin = token(&app.login("admin", PASSWORD).await);
        let thread = app
            .get(&format!("/api/v1/threads/{thread_id}"), &admin)
            .await
            .body;
        let present: std::collections::HashSet<i64> = thread["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        let missing: Vec<&i64> = before.iter().filter(|id| !present.contains(id)).collect();
        assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
        assert_eq!(thread["thread"]["pinned"], true);
        let served = app
            .client
            .get(format!("{}/files/{file_id}/judgment.pdf", app.address))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(served.status(), StatusCode::OK);
        assert_eq!(served.bytes().await.unwrap().as_ref(), judgment.as_slice());
        let found = app.get("/api/v1/search?q=smuggling", &admin).await.body;
        assert!(
            found["hits"]
                .as_array()
                .is_some_and(|r| r.iter().any(|h| h["thread_id"] == thread_id)),
            "the rebuilt index finds the thread: {found}"
        );
        let key_after = app.get("/.well-known/comity-export-key", "").await.body;
        assert_eq!(key_before, key_after, "the same export signing key");
        drop(original);
    }
);
