//! `forum-server seed --demo` on a new forum, on both backends: it prints
//! how to sign in, the forum it made has experts, categories (one
//! restricted), analyses and discussions in four languages, endorsements,
//! a flag case and a locked thread — and a second run refuses.

use std::process::Command;

use reqwest::StatusCode;

use crate::both_backends;
use crate::helpers::*;

both_backends!(
    seed_demo_fills_a_new_forum_and_refuses_a_second_time,
    |backend| async move {
        let storage = Storage::new(backend);
        let run = || {
            let mut command = Command::new(env!("CARGO_BIN_EXE_forum-server"));
            command
                .args(["seed", "--demo"])
                .env("COMITY_DATA_DIR", storage.data_dir())
                .env("COMITY_DATABASE_URL", storage.database_url())
                .env("RUST_LOG", "warn");
            command.output().unwrap()
        };
        let out = run();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("Demo forum ready: 40 threads"), "{stdout}");
        let password = stdout
            .lines()
            .find_map(|l| l.strip_prefix("Every demo account's password: "))
            .expect("the password is printed")
            .to_owned();
        assert_eq!(
            stdout
                .lines()
                .filter(|l| l.contains("(") && l.contains("), "))
                .count(),
            12,
            "12 experts: {stdout}"
        );

        let app = spawn_with(storage, |_| {}).await;
        let judge = token(&app.login("claire.martin", &password).await);
        let prosecutor = token(&app.login("lucia.garcia", &password).await);
        let admin = token(&app.login("admin", &password).await);
        let me = app.get("/api/v1/me", &judge).await;
        assert_eq!(me.body["role"], "moderator");
        let list = |t: &str| {
            let t = t.to_owned();
            let app = &app;
            async move {
                app.get("/api/v1/categories", &t)
                    .await
                    .body
                    .as_array()
                    .unwrap()
                    .len()
            }
        };
        assert_eq!(list(&admin).await, 3);
        assert_eq!(
            list(&judge).await,
            2,
            "the prosecutors' category is restricted"
        );
        assert_eq!(list(&prosecutor).await, 3);
        let experts = app.get("/api/v1/experts", &judge).await.body;
        let countries: std::collections::BTreeSet<String> = experts
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["username"] != "admin")
            .map(|e| e["country"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(countries.len(), 8, "{countries:?}");
        // Four languages, analyses with endorsements, a locked thread.
        app.indexed().await;
        for (q, language) in [
            ("contrebande", "fr"),
            ("tobacco", "en"),
            ("contrabando", "es"),
            ("القضاء", "ar"),
        ] {
            let found = app
                .get(&format!("/api/v1/search?q={}", urlencode(q)), &admin)
                .await;
            assert!(
                found.body["total"].as_i64().unwrap() > 0,
                "{language}: {}",
                found.body
            );
        }
        let analyses = app.get("/api/v1/threads?kind=analysis", &admin).await.body;
        assert!(
            analyses["threads"].as_array().unwrap().len() >= 15,
            "{analyses}"
        );
        // The third demo thread was locked by the moderator (ids start at 1).
        let third = app.get("/api/v1/threads/3", &admin).await.body;
        assert_eq!(
            third["thread"]["locked"], true,
            "a locked thread: {}",
            third["thread"]
        );
        let queue = app.get("/api/v1/moderation/flags", &judge).await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
        assert!(
            !queue.body.to_string().contains("[]"),
            "a flag case: {}",
            queue.body
        );

        // A second run refuses: the forum is not empty.
        let again = Command::new(env!("CARGO_BIN_EXE_forum-server"))
            .args(["seed", "--demo"])
            .env("COMITY_DATA_DIR", app.storage.data_dir())
            .env("COMITY_DATABASE_URL", app.storage.database_url())
            .output()
            .unwrap();
        assert!(!again.status.success());
        assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
    }
);

fn urlencode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
