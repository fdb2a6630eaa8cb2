//! Certified exports through the real server on both backends: a marked
//! analysis with revisions and a file is exported as a signed bundle that
//! `forum-server export verify` accepts, and refuses once one byte of it
//! changed; the bundle holds only what the exporter may read, carries the
//! mark on every page of its PDF, names the audit chain's head, and the
//! export is audited.

use std::io::{Read, Write};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

async fn export(app: &TestApp, token: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let reply = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (reply.status(), reply.bytes().await.unwrap().to_vec())
}

fn member(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

/// The bundle with `name` replaced by `content` (everything else as is).
fn replaced(bytes: &[u8], name: &str, content: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut writer = zip::ZipWriter::new(&mut out);
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).unwrap();
            let file_name = file.name().to_owned();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            writer
                .start_file(file_name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            writer
                .write_all(if file_name == name { content } else { &data })
                .unwrap();
        }
        writer.finish().unwrap();
    }
    out.into_inner()
}

/// `forum-server export verify` on `bytes`, with the server's data
/// directory: (exit code, output).
fn verify(app: &TestApp, bytes: &[u8]) -> (i32, String) {
    let file = app.storage.dir.path().join("bundle.zip");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_forum-server"))
        .arg("--data-dir")
        .arg(app.storage.data_dir())
        .arg("export")
        .arg("verify")
        .arg(&file)
        .env("COMITY_DATABASE_URL", app.storage.database_url())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

both_backends!(
    a_certified_export_verifies_and_fails_after_one_changed_byte,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let cases = app.category(&admin, "cases").await;
        let judge = token(&app.member(&admin, "judge").await);
        let outsider = token(&app.member(&admin, "outsider").await);
        let moderator = token(&crate::moderation::moderator(&app, &admin, "mod_x").await);
        let file = crate::attachments::upload(
            &app,
            &judge,
            "ruling.txt",
            b"Ruling of the tribunal on the seized tablets.".to_vec(),
        )
        .await;
        let created = app
            .post(
                "/api/v1/threads",
                Some(&judge),
                json!({"category_id": cases, "title": "Seized tablets: the Lyon ruling",
                    "body": "The tribunal accepted the laboratory analysis.", "kind": "discussion",
                    "jurisdictions": ["FR"], "mark": "AMBER", "attachments": [file.body["id"]]}),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let (thread, first) = (
            created.body["id"].as_i64().unwrap(),
            created.body["first_post_id"].as_i64().unwrap(),
        );
        let edited = app
            .call(
                Method::PATCH,
                &format!("/api/v1/posts/{first}"),
                Some(&judge),
                Some(
                    json!({"body": "The tribunal accepted the laboratory analysis of 12 tablets."}),
                ),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        let reply = app
            .post(
                &format!("/api/v1/threads/{thread}/posts"),
                Some(&moderator),
                json!({"body": "A moderator's note, hidden later."}),
            )
            .await;
        let hidden = reply.body["id"].as_i64().unwrap();
        let hid = app
            .post(
                &format!("/api/v1/posts/{hidden}/hide"),
                Some(&moderator),
                json!({"reason": "off topic"}),
            )
            .await;
        assert!(hid.status.is_success(), "{}", hid.body);

        let (status, bundle) = export(
            &app,
            &judge,
            &format!("/api/v1/threads/{thread}/export?files=true"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let json: Value = serde_json::from_slice(&member(&bundle, "thread.json")).unwrap();
        assert_eq!(json["thread"]["mark"], "AMBER");
        assert_eq!(json["exported_by"]["username"], "judge");
        let posts = json["posts"].as_array().unwrap();
        assert_eq!(
            posts.len(),
            1,
            "the hidden post is not the member's to export"
        );
        assert_eq!(posts[0]["revisions"].as_array().unwrap().len(), 2);
        assert_eq!(posts[0]["attachments"][0]["sha256"], file.body["sha256"]);
        assert!(json["audit_head"]["hash"].is_string(), "{json}");
        let manifest: Value = serde_json::from_slice(&member(&bundle, "manifest.json")).unwrap();
        assert!(
            manifest["files"]
                .as_object()
                .unwrap()
                .keys()
                .any(|k| k.starts_with("files/"))
        );
        let pdf = member(&bundle, "thread.pdf");
        assert!(pdf.starts_with(b"%PDF"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(
            text.contains("TLP:AMBER - page 1 of"),
            "the mark on every page"
        );
        assert_eq!(
            member(&bundle, &format!("files/{}-ruling.txt", file.body["id"])),
            b"Ruling of the tribunal on the seized tablets."
        );
        // The key it names is the one the forum publishes.
        let key = app
            .client
            .get(format!("{}/.well-known/comity-export-key", app.address))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        assert_eq!(key["algorithm"], "Ed25519");
        assert_eq!(key["public_key"], manifest["public_key"]);

        // Verified intact; one byte changed anywhere is not.
        let (code, said) = verify(&app, &bundle);
        assert_eq!(code, 0, "{said}");
        assert!(
            said.contains("INTACT") && said.contains("TLP:AMBER"),
            "{said}"
        );
        let mut changed_json = member(&bundle, "thread.json");
        let at = changed_json.iter().position(|&b| b == b'1').unwrap();
        changed_json[at] = b'2';
        let (code, said) = verify(&app, &replaced(&bundle, "thread.json", &changed_json));
        assert_eq!(code, 2, "{said}");
        assert!(said.contains("thread.json was changed"), "{said}");
        let mut flipped = bundle.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x01;
        let (code, said) = verify(&app, &flipped);
        assert_eq!(code, 2, "{said}");
        let mut manifest_changed = member(&bundle, "manifest.json");
        let at = manifest_changed.iter().position(|&b| b == b'L').unwrap();
        manifest_changed[at] = b'l';
        let (code, said) = verify(&app, &replaced(&bundle, "manifest.json", &manifest_changed));
        assert_eq!(code, 2, "{said}");
        assert!(said.contains("signature"), "{said}");

        // The /verify page says the same, in a form any browser can send.
        for (bytes, expected, said) in [
            (bundle.clone(), StatusCode::OK, "Intact"),
            (
                flipped.clone(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "Not intact",
            ),
        ] {
            let form = reqwest::multipart::Form::new().part(
                "files",
                reqwest::multipart::Part::bytes(bytes).file_name("bundle.zip"),
            );
            let page = app
                .client
                .post(format!("{}/verify", app.address))
                .bearer_auth(&judge)
                .multipart(form)
                .send()
                .await
                .unwrap();
            assert_eq!(page.status(), expected);
            let html = page.text().await.unwrap();
            assert!(html.contains(said), "{html}");
        }

        // A moderator's export holds the hidden post; an outsider's none.
        let (_, staff) = export(
            &app,
            &moderator,
            &format!("/api/v1/threads/{thread}/export"),
        )
        .await;
        let staff_json: Value = serde_json::from_slice(&member(&staff, "thread.json")).unwrap();
        assert_eq!(staff_json["posts"].as_array().unwrap().len(), 2);
        app.post(
            &format!("/api/v1/threads/{thread}/move"),
            Some(&admin),
            json!({"category_id": app.post("/api/v1/categories", Some(&admin),
                json!({"slug": "closed", "name": "Closed", "restricted_to_groups": [
                    app.post("/api/v1/groups", Some(&admin), json!({"name": "Team"})).await.body["id"]
                ]})).await.body["id"], "reason": "restricted"}),
        )
        .await;
        let (status, _) =
            export(&app, &outsider, &format!("/api/v1/threads/{thread}/export")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Every export is audited.
        let audit = app
            .get("/api/v1/moderation/audit?action=thread.export", &admin)
            .await;
        assert_eq!(audit.body.as_array().unwrap().len(), 2, "{}", audit.body);
        app.stop().await;
    }
);
