//! Attachments: uploads typed by content, limits, storage, the text inside
//! PDF and DOCX found by search ("in judgment.pdf, p. 3"), and serving only
//! where the post is visible, as safely as file hosts do.

use std::io::Write;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

/// A PDF of `pages`, each one line of Helvetica text, with a correct
/// cross-reference table; `author` goes into its metadata.
pub fn pdf(pages: &[&str], author: &str) -> Vec<u8> {
    pdf_with(pages, author, 12)
}

fn pdf_with(pages: &[&str], author: &str, font_size: u32) -> Vec<u8> {
    let n = pages.len();
    // 1 catalog, 2 pages, 3 font, 4 info, then per page: page, content.
    let mut objects: Vec<String> = Vec::new();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".to_owned());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_owned(),
    );
    objects.push(format!("<< /Author ({author}) /Title (Sentencia) >>"));
    for (i, text) in pages.iter().enumerate() {
        let content = format!("BT /F1 {font_size} Tf 40 700 Td ({text}) Tj ET");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            6 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len() + 1
        ));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A DOCX whose paragraphs are `paragraphs`, a page break between the
/// first and the rest.
pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i == 1 {
            body.push_str(r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#);
        }
        body.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"
        ));
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut cursor);
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
        zip.start_file("_rels/.rels", options).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(document.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    cursor.into_inner()
}

/// Uploads `bytes` as `name`.
pub async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> Reply {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let response = app
        .client
        .post(format!("{}/api/v1/attachments", app.address))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    Reply {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        headers,
    }
}

async fn fetch(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// Searches until a hit for `q` appears (or 20 s pass); the hits and how
/// long it took.
async fn search_until_found(app: &TestApp, token: &str, q: &str) -> (Vec<Value>, Duration) {
    let started = Instant::now();
    loop {
        let reply = app
            .get(&format!("/api/v1/search?q={}", url_encode(q)), token)
            .await;
        let hits = reply.body["hits"].as_array().cloned().unwrap_or_default();
        if !hits.is_empty() || started.elapsed() > Duration::from_secs(20) {
            return (hits, started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn url_encode(q: &str) -> String {
    q.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn blob_count(app: &TestApp) -> usize {
    let root = app.storage.data_dir().join("files");
    let mut count = 0;
    for first in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        if first.file_name() == "tmp" {
            continue;
        }
        for second in std::fs::read_dir(first.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            count += std::fs::read_dir(second.path())
                .into_iter()
                .flatten()
                .count();
        }
    }
    count
}

both_backends!(
    text_inside_a_judgment_is_found_with_its_page,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "tobacco").await;
        let prosecutor = token(&app.member_from(&admin, "fiscal", "ES", "prosecutor").await);
        let judge = token(&app.member(&admin, "juge").await);

        let judgment = pdf(
            &[
                "Sentencia del Tribunal Supremo, Sala de lo Penal.",
                "Antecedentes de hecho: la mercancia llego al puerto de Algeciras.",
                "El acusado se dedicaba al contrabando de cigarrillos; ocultaba zanahoriazul en el contenedor.",
            ],
            "Magistrado Ponente",
        );
        let uploaded = upload(&app, &prosecutor, "STS 123-2024.pdf", judgment.clone()).await;
        assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
        let file = &uploaded.body;
        assert_eq!(file["name"], "STS 123-2024.pdf");
        assert_eq!(file["media_type"], "application/pdf");
        assert_eq!(file["size"], judgment.len() as i64);
        assert_eq!(file["sha256"].as_str().unwrap().len(), 64);

        let thread = app
            .post(
                "/api/v1/threads",
                Some(&prosecutor),
                json!({"category_id": category, "title": "Contrabando: la sentencia del Supremo",
                       "body": "Adjunto la sentencia.", "kind": "discussion", "jurisdictions": ["ES"],
                       "attachments": [file["id"]]}),
            )
            .await;
        assert_eq!(thread.status, StatusCode::CREATED, "{}", thread.body);
        let created = Instant::now();
        let thread_id = thread.body["id"].as_i64().unwrap();

        let (hits, took) = search_until_found(&app, &judge, "zanahoriazul").await;
        eprintln!(
            "the PDF's word was searchable {} ms after the 201",
            took.as_millis()
        );
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0]["thread_id"], thread_id);
        let found = &hits[0]["in_attachment"];
        assert_eq!(found["name"], "STS 123-2024.pdf", "{}", hits[0]);
        assert_eq!(found["page"], 3);
        assert!(
            hits[0]["snippet_html"]
                .as_str()
                .unwrap()
                .contains("<b>zanahoriazul</b>"),
            "{}",
            hits[0]
        );
        assert!(created.elapsed() < Duration::from_secs(20));

        // The thread lists the file with its pages and language.
        let shown = app
            .get(&format!("/api/v1/threads/{thread_id}"), &judge)
            .await;
        let listed = &shown.body["posts"][0]["attachments"][0];
        assert_eq!(listed["name"], "STS 123-2024.pdf", "{}", shown.body);
        assert_eq!(listed["pages"], 3);
        assert_eq!(listed["language"], "es");
        assert_eq!(listed["extraction"], "done");

        // The page lists it under the post, and search says where it matched.
        let page = fetch(&app, &format!("/t/{thread_id}"), &judge)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("href=\"/files/1/STS%20123-2024.pdf\""),
            "{page}"
        );
        assert!(
            page.contains("class=\"attachment-preview\""),
            "a PDF has a preview"
        );
        let results = fetch(&app, "/search?q=zanahoriazul", &judge)
            .await
            .text()
            .await
            .unwrap();
        assert!(results.contains("class=\"meta in-file\""), "{results}");
        assert!(results.contains("STS 123-2024.pdf"), "{results}");

        // A French judge finds the Spanish passage with French words.
        let (hits, _) = search_until_found(&app, &judge, "contrebande de cigarettes").await;
        let hit = hits
            .iter()
            .find(|h| h["thread_id"] == thread_id)
            .unwrap_or_else(|| panic!("no hit in the judgment: {hits:?}"));
        assert_eq!(hit["in_attachment"]["page"], 3, "{hit}");

        // A DOCX reply: its text is found too, on its second page.
        let brief = docx(&[
            "Nota de la fiscalia sobre el decomiso.",
            "El decomiso de los cigarrillos se acordo en primera instancia: ciruelamorada.",
        ]);
        let uploaded = upload(&app, &prosecutor, "nota.docx", brief).await;
        assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
        assert_eq!(
            uploaded.body["media_type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        let reply = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&prosecutor),
                json!({"body": "Y la nota de la fiscalia.", "attachments": [uploaded.body["id"]]}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let (hits, took) = search_until_found(&app, &judge, "ciruelamorada").await;
        eprintln!(
            "the DOCX's word was searchable {} ms after the 201",
            took.as_millis()
        );
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0]["in_attachment"]["name"], "nota.docx");
        assert_eq!(hits[0]["in_attachment"]["page"], 2);
    }
);

both_backends!(
    types_come_from_content_and_files_are_served_safely,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "member").await);

        // Lies about their type: refused, whatever the name says.
        for (name, bytes) in [
            (
                "judgment.pdf",
                b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec(),
            ),
            (
                "seal.png",
                br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#
                    .to_vec(),
            ),
            ("tool.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec()),
            ("archive.pdf", docx(&["x"])[..30].to_vec()),
        ] {
            let reply = upload(&app, &member, name, bytes).await;
            assert_eq!(
                reply.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{name}: {}",
                reply.body
            );
            assert_eq!(reply.body["error"]["code"], "unsupported_type");
        }
        assert_eq!(blob_count(&app), 0, "nothing refused is stored");

        // A PDF is shown inline, sandboxed, never sniffed.
        let clean = upload(
            &app,
            &member,
            "../../etc/judgment.pdf",
            pdf(&["Fallo"], "A"),
        )
        .await;
        assert_eq!(clean.status, StatusCode::CREATED, "{}", clean.body);
        assert_eq!(clean.body["name"], "judgment.pdf", "the path is gone");
        let url = clean.body_url();
        let response = fetch(&app, &url, &member).await;
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/pdf");
        assert!(
            headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("inline")
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .starts_with("sandbox; default-src 'none'")
        );
        let etag = headers["etag"].to_str().unwrap().to_owned();
        assert_eq!(
            response.bytes().await.unwrap().as_ref(),
            pdf(&["Fallo"], "A").as_slice()
        );
        // Ranges and revalidation.
        let ranged = app
            .client
            .get(format!("{}{url}", app.address))
            .bearer_auth(&member)
            .header("range", "bytes=0-4")
            .send()
            .await
            .unwrap();
        assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(ranged.bytes().await.unwrap().as_ref(), b"%PDF-");
        let revalidated = app
            .client
            .get(format!("{}{url}", app.address))
            .bearer_auth(&member)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);

        // A polyglot (a PDF carrying a page) is downloaded, never shown.
        let mut polyglot = pdf(&["x"], "A");
        polyglot.extend_from_slice(
            b"\n<html><body><script>alert(document.cookie)</script></body></html>\n",
        );
        let poly = upload(&app, &member, "poly.pdf", polyglot).await;
        assert_eq!(poly.status, StatusCode::CREATED, "{}", poly.body);
        let response = fetch(&app, &poly.body_url(), &member).await;
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(disposition.starts_with("attachment"), "{disposition}");

        // Text is a download; a non-ASCII name is RFC 6266-encoded.
        let note = upload(
            &app,
            &member,
            "décision d'appel.txt",
            "Arrêt de la cour d'appel".as_bytes().to_vec(),
        )
        .await;
        assert_eq!(note.status, StatusCode::CREATED, "{}", note.body);
        assert_eq!(note.body["media_type"], "text/plain");
        let response = fetch(&app, &note.body_url(), &member).await;
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(
            disposition.contains("filename*=UTF-8''d%C3%A9cision"),
            "{disposition}"
        );

        // A JPEG loses its EXIF (GPS, camera serial) on upload.
        let mut jpeg = vec![0xFF, 0xD8];
        let exif = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08GPS-48.8566-2.3522-SERIAL-XJ42";
        jpeg.extend_from_slice(&[0xFF, 0xE1]);
        jpeg.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        jpeg.extend_from_slice(exif);
        jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
        jpeg.extend_from_slice(&[0x12, 0x34, 0x56]);
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        let photo = upload(&app, &member, "seizure.jpg", jpeg).await;
        assert_eq!(photo.status, StatusCode::CREATED, "{}", photo.body);
        let stored = fetch(&app, &photo.body_url(), &member)
            .await
            .bytes()
            .await
            .unwrap();
        assert!(stored.starts_with(&[0xFF, 0xD8]));
        let text = String::from_utf8_lossy(&stored);
        assert!(
            !text.contains("Exif") && !text.contains("SERIAL"),
            "EXIF left in the stored file"
        );

        // Another member's upload, not yet on a post, is theirs alone.
        let other = token(&app.member(&admin, "other").await);
        let response = fetch(&app, &clean.body_url(), &other).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        // ...and cannot be attached by anyone else.
        let category = app.category(&admin, "general").await;
        let refused = app
            .post(
                "/api/v1/threads",
                Some(&other),
                json!({"category_id": category, "title": "Borrowed file", "body": "x",
                       "kind": "discussion", "attachments": [clean.body["id"]]}),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(refused.body["error"]["field"], "attachments");
        assert_eq!(app.post_count().await, 0, "nothing was posted");
    }
);

both_backends!(
    limits_refuse_with_413_and_store_nothing,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.attachments.max_file_bytes = 2_000;
            s.attachments.daily_quota_bytes = 2_500;
            s.attachments.max_files_per_post = 2;
        })
        .await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "member").await);
        let category = app.category(&admin, "general").await;

        let big = "a".repeat(2_001).into_bytes();
        let reply = upload(&app, &member, "big.txt", big).await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            reply.body
        );
        assert_eq!(reply.body["error"]["code"], "too_large");
        assert_eq!(blob_count(&app), 0);

        let mut ids = Vec::new();
        for i in 0..2 {
            let reply = upload(
                &app,
                &member,
                &format!("n{i}.txt"),
                format!("note {i} ").repeat(100).into_bytes(),
            )
            .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            ids.push(reply.body["id"].clone());
        }
        // The day's quota (2,500 bytes) is spent.
        let reply = upload(&app, &member, "more.txt", "b".repeat(1_200).into_bytes()).await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            reply.body
        );
        assert_eq!(blob_count(&app), 2);

        // More files than a post may carry.
        ids.push(json!(999_999));
        let reply = app
            .post(
                "/api/v1/threads",
                Some(&member),
                json!({"category_id": category, "title": "Too many files", "body": "x",
                   "kind": "discussion", "attachments": ids}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            reply.body
        );
        assert_eq!(app.post_count().await, 0);

        // Not multipart at all.
        let reply = app
            .post("/api/v1/attachments", Some(&member), json!({"file": "x"}))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{}",
            reply.body
        );
    }
);

both_backends!(
    outsiders_get_404_through_files_and_search,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let insider_login = app.member(&admin, "insider").await;
        let insider_id = insider_login["user"]["id"].as_i64().unwrap();
        let outsider = token(&app.member(&admin, "outsider").await);
        let group = app
            .post("/api/v1/groups", Some(&admin), json!({"name": "Case team"}))
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        app.post(
            &format!("/api/v1/groups/{group}/members"),
            Some(&admin),
            json!({"user_id": insider_id}),
        )
        .await;
        let room = app
            .post(
                "/api/v1/categories",
                Some(&admin),
                json!({"slug": "case-room", "name": "Case room", "restricted_to_groups": [group]}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let insider = token(&app.login("insider", PASSWORD).await);

        let file = upload(
            &app,
            &insider,
            "secret.pdf",
            pdf(&["Operation membrillonegro files"], "X"),
        )
        .await;
        assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
        let thread = app
            .post(
                "/api/v1/threads",
                Some(&insider),
                json!({"category_id": room, "title": "Operation", "body": "See the file.",
                       "kind": "discussion", "attachments": [file.body["id"]]}),
            )
            .await;
        assert_eq!(thread.status, StatusCode::CREATED, "{}", thread.body);
        let url = file.body_url();

        let (hits, _) = search_until_found(&app, &insider, "membrillonegro").await;
        assert_eq!(hits.len(), 1, "the insider finds it");
        app.indexed().await;
        let outsider_hits = app.get("/api/v1/search?q=membrillonegro", &outsider).await;
        assert_eq!(outsider_hits.body["total"], 0, "{}", outsider_hits.body);
        assert_eq!(fetch(&app, &url, &insider).await.status(), StatusCode::OK);
        let refused = fetch(&app, &url, &outsider).await;
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            fetch(&app, &format!("/files/{}/secret.pdf", 999_999), &insider)
                .await
                .status(),
            StatusCode::NOT_FOUND
        );

        // A moderator hides the file: members lose it, staff keep it.
        let hidden = app
            .call(
                Method::POST,
                &format!("/api/v1/attachments/{}/visibility", file.body["id"]),
                Some(&admin),
                Some(json!({"hidden": true, "reason": "personal data"})),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.body);
        assert_eq!(
            fetch(&app, &url, &insider).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(fetch(&app, &url, &admin).await.status(), StatusCode::OK);
        let thread_id = thread.body["id"].as_i64().unwrap();
        let seen = app
            .get(&format!("/api/v1/threads/{thread_id}"), &insider)
            .await;
        assert_eq!(
            seen.body["posts"][0]["attachments"],
            json!([]),
            "{}",
            seen.body
        );
        let audit = app.get("/api/v1/moderation/audit", &admin).await;
        assert!(
            audit.body.to_string().contains("attachment.hide"),
            "{}",
            audit.body
        );
        let by_member = app
            .call(
                Method::POST,
                &format!("/api/v1/attachments/{}/visibility", file.body["id"]),
                Some(&insider),
                Some(json!({"hidden": false})),
            )
            .await;
        assert_eq!(by_member.status, StatusCode::FORBIDDEN);

        // An edit that drops a file keeps it for staff only.
        let second = upload(&app, &insider, "annex.txt", b"Annex one".to_vec()).await;
        let post_id = thread.body["first_post_id"].as_i64().unwrap();
        let edited = app
            .call(
                Method::PATCH,
                &format!("/api/v1/posts/{post_id}"),
                Some(&insider),
                Some(json!({"body": "See the annex.", "attachments": [second.body["id"]]})),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        assert_eq!(edited.body["attachments"][0]["name"], "annex.txt");
        let edited = app
            .call(
                Method::PATCH,
                &format!("/api/v1/posts/{post_id}"),
                Some(&insider),
                Some(json!({"body": "No annex after all.", "attachments": []})),
            )
            .await;
        assert_eq!(edited.body["attachments"], json!([]), "{}", edited.body);
        let annex = second.body_url();
        assert_eq!(
            fetch(&app, &annex, &insider).await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(fetch(&app, &annex, &admin).await.status(), StatusCode::OK);
        // The history keeps it for staff.
        let history = app
            .get(&format!("/api/v1/posts/{post_id}/revisions"), &admin)
            .await;
        let last = history.body.as_array().unwrap().last().unwrap().clone();
        assert_eq!(
            last["removed_attachments"][0]["name"], "annex.txt",
            "{}",
            history.body
        );
        let history = app
            .get(&format!("/api/v1/posts/{post_id}/revisions"), &insider)
            .await;
        assert!(
            history
                .body
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["removed_attachments"] == json!([])),
            "{}",
            history.body
        );
        let page = fetch(&app, &format!("/posts/{post_id}/revisions"), &admin)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("<del>annex.txt</del>"), "{page}");
    }
);

trait BodyUrl {
    fn body_url(&self) -> String;
}

impl BodyUrl for Reply {
    fn body_url(&self) -> String {
        self.body["url"]
            .as_str()
            .expect("an upload names its url")
            .to_owned()
    }
}

/// A real clamd, started for one test with a signature database that
/// detects the EICAR test file (clamd cannot download signatures here).
struct Clamd {
    child: std::process::Child,
    socket: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Clamd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The EICAR test string, assembled so this file is not itself one.
fn eicar() -> Vec<u8> {
    [
        "X5O!P%@AP[4\\PZX54(P^)7CC)7}$",
        "EICAR-STANDARD-ANTIVIRUS-",
        "TEST-FILE!$H+H*",
    ]
    .concat()
    .into_bytes()
}

async fn start_clamd() -> Clamd {
    let clamd = std::env::var("COMITY_TEST_CLAMD").unwrap_or_else(|_| "/usr/sbin/clamd".to_owned());
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    std::fs::create_dir(&db).unwrap();
    let hex: String = eicar().iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(
        db.join("comity-test.ndb"),
        format!("Comity-Test-EICAR:0:*:{hex}\n"),
    )
    .unwrap();
    let socket = dir.path().join("clamd.sock");
    let config = dir.path().join("clamd.conf");
    std::fs::write(
        &config,
        format!(
            "Foreground yes\nLocalSocket {}\nDatabaseDirectory {}\nLogFile {}\nLogVerbose no\n",
            socket.display(),
            db.display(),
            dir.path().join("clamd.log").display()
        ),
    )
    .unwrap();
    let child = std::process::Command::new(&clamd)
        .arg("--config-file")
        .arg(&config)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("clamd is required for the scanning test (apt-get install clamav-daemon): {e}")
        });
    let clamd = Clamd {
        child,
        socket,
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while forum_server::files::scan::Clamd::new(&clamd.socket.to_string_lossy())
        .ping()
        .is_err()
    {
        assert!(Instant::now() < deadline, "clamd did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    clamd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_clamd_refuses_eicar_and_an_absent_one_refuses_everything() {
    let mut clamd = start_clamd().await;
    let socket = clamd.socket.to_string_lossy().into_owned();
    let app = spawn_with(Storage::new(Backend::Sqlite), |s| {
        s.attachments.clamd = Some(socket.clone());
    })
    .await;
    let admin = token(&app.admin().await);
    let member = token(&app.member(&admin, "member").await);

    let infected = upload(&app, &member, "informe.txt", eicar()).await;
    assert_eq!(
        infected.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        infected.body
    );
    assert_eq!(infected.body["error"]["code"], "malware_detected");
    assert_eq!(blob_count(&app), 0, "nothing infected is stored");
    let audit = app.get("/api/v1/moderation/audit", &admin).await;
    let entries = audit.body.to_string();
    assert!(
        entries.contains("attachment.malware") && entries.contains("Comity-Test-EICAR"),
        "{entries}"
    );

    let clean = upload(
        &app,
        &member,
        "informe.txt",
        b"Informe sobre el decomiso.".to_vec(),
    )
    .await;
    assert_eq!(clean.status, StatusCode::CREATED, "{}", clean.body);

    // The scanner goes away: uploads are refused, never kept unscanned.
    let _ = clamd.child.kill();
    let _ = clamd.child.wait();
    let refused = upload(&app, &member, "otro.txt", b"Otro informe.".to_vec()).await;
    assert_eq!(
        refused.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        refused.body
    );
    assert_eq!(refused.body["error"]["code"], "scanner_unavailable");
    assert_eq!(blob_count(&app), 1);
}

/// A scan: the page of a text PDF rendered to a JPEG (poppler's
/// `pdftoppm`), wrapped in a PDF as its only content, with no text.
fn scanned_pdf(text: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.pdf");
    std::fs::write(&source, pdf_with(&[text], "Scanner", 28)).unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-jpeg", "-r", "150", "-singlefile"])
        .arg(&source)
        .arg(dir.path().join("scan"))
        .status()
        .unwrap_or_else(|e| {
            panic!("pdftoppm is required for the OCR test (apt-get install poppler-utils): {e}")
        });
    assert!(status.success());
    let jpeg = std::fs::read(dir.path().join("scan.jpg")).unwrap();
    let (width, height) = jpeg_size(&jpeg);
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let content = format!("q {} 0 0 {} 0 0 cm /Im1 Do Q", 612, 792);
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>".to_vec(),
        [
            format!("<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n", jpeg.len()).into_bytes(),
            jpeg.clone(),
            b"\nendstream".to_vec(),
        ]
        .concat(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len() + 1).into_bytes(),
    ];
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Width and height from a JPEG's start-of-frame segment.
fn jpeg_size(jpeg: &[u8]) -> (u32, u32) {
    let mut i = 2;
    while i + 9 < jpeg.len() {
        let marker = jpeg[i + 1];
        let length = u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]) as usize;
        if (0xC0..=0xC2).contains(&marker) {
            let height = u16::from_be_bytes([jpeg[i + 5], jpeg[i + 6]]) as u32;
            let width = u16::from_be_bytes([jpeg[i + 7], jpeg[i + 8]]) as u32;
            return (width, height);
        }
        i += 2 + length;
    }
    panic!("no frame in the JPEG");
}

both_backends!(a_scanned_judgment_is_read_by_ocr, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let member = token(&app.member(&admin, "member").await);
    let category = app.category(&admin, "scans").await;
    let scan = scanned_pdf("SENTENCIA FIRME POR CONTRABANDO");
    let file = upload(&app, &member, "scan.pdf", scan).await;
    assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
    let thread = app
        .post(
            "/api/v1/threads",
            Some(&member),
            json!({"category_id": category, "title": "A scanned judgment", "body": "Scanned.",
                   "kind": "discussion", "attachments": [file.body["id"]]}),
        )
        .await;
    assert_eq!(thread.status, StatusCode::CREATED, "{}", thread.body);
    let (hits, took) = search_until_found(&app, &member, "contrabando").await;
    eprintln!(
        "the scanned word was searchable {} ms after the 201",
        took.as_millis()
    );
    assert_eq!(hits.len(), 1, "OCR found nothing: {hits:?}");
    assert_eq!(hits[0]["in_attachment"]["name"], "scan.pdf");
    assert_eq!(hits[0]["in_attachment"]["page"], 1);
});

/// moto's S3 server (PyPI `moto[server]`), on a free port, with one bucket.
struct Moto {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_moto(bucket: &str) -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let program = std::env::var("COMITY_TEST_MOTO").unwrap_or_else(|_| "moto_server".to_owned());
    let child = std::process::Command::new(&program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("moto's S3 server is required for the S3 store test (pip install 'moto[server]'): {e}"));
    let moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match client
            .put(format!("{}/{bucket}", moto.endpoint))
            .send()
            .await
        {
            Ok(r) if r.status().is_success() => break,
            _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(200)).await,
            other => panic!("moto did not start: {other:?}"),
        }
    }
    moto
}

fn s3_settings(moto: &Moto, bucket: &str) -> forum_server::files::S3Settings {
    forum_server::files::S3Settings {
        bucket: bucket.to_owned(),
        endpoint: Some(moto.endpoint.clone()),
        region: "us-east-1".to_owned(),
        access_key_id: "testing".to_owned(),
        secret_access_key: "testing".to_owned(),
        allow_http: true,
    }
}

/// What every file store must do: store by content, hand back the same
/// bytes, list, delete, and collect only old blobs no row names.
fn a_file_store_keeps_what_it_is_given(store: &dyn forum_server::files::FileStore) {
    use forum_server::files::store::collect_garbage;
    let content = b"Sentencia 123/2024 del Tribunal Supremo".to_vec();
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&content))
    };
    let staged = store.staging_dir().join("upload");
    std::fs::write(&staged, &content).unwrap();
    store.put(&sha, &staged).unwrap();
    assert!(!staged.exists(), "the staged upload is consumed");
    assert_eq!(std::fs::read(store.path(&sha).unwrap()).unwrap(), content);
    let listed = store.list().unwrap();
    assert_eq!(
        listed.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>(),
        vec![sha.clone()]
    );
    // Storing the same content again is harmless.
    std::fs::write(&staged, &content).unwrap();
    store.put(&sha, &staged).unwrap();
    assert_eq!(store.list().unwrap().len(), 1);
    assert!(
        store.path(&"0".repeat(64)).is_err(),
        "an unknown blob is an error"
    );
    assert!(
        store.path("../../etc/passwd").is_err(),
        "only hashes name blobs"
    );
    // Named, or young: kept. Old and unnamed: collected.
    assert_eq!(
        collect_garbage(store, |_| Ok(true), Duration::ZERO).unwrap(),
        0
    );
    assert_eq!(
        collect_garbage(store, |_| Ok(false), Duration::from_secs(3600)).unwrap(),
        0
    );
    assert_eq!(
        collect_garbage(store, |_| Ok(false), Duration::ZERO).unwrap(),
        1
    );
    assert!(store.list().unwrap().is_empty());
    store
        .put(&sha, &{
            std::fs::write(&staged, &content).unwrap();
            staged.clone()
        })
        .unwrap();
    store.delete(&sha).unwrap();
    assert!(store.path(&sha).is_err(), "a deleted blob is gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_directory_and_s3_stores_pass_the_same_tests() {
    let dir = tempfile::tempdir().unwrap();
    let local = forum_server::files::DirStore::open(&dir.path().join("files")).unwrap();
    tokio::task::spawn_blocking(move || a_file_store_keeps_what_it_is_given(&local))
        .await
        .unwrap();

    let moto = start_moto("comity-store").await;
    let cache = tempfile::tempdir().unwrap();
    let s3 = forum_server::files::S3Store::open(&s3_settings(&moto, "comity-store"), cache.path())
        .unwrap();
    tokio::task::spawn_blocking(move || a_file_store_keeps_what_it_is_given(&s3))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_go_to_s3_and_come_back_from_it() {
    let moto = start_moto("comity-files").await;
    let settings = s3_settings(&moto, "comity-files");
    let app = spawn_with(Storage::new(Backend::Sqlite), move |s| {
        s.attachments.s3 = Some(settings);
    })
    .await;
    let admin = token(&app.admin().await);
    let member = token(&app.member(&admin, "member").await);
    let judgment = pdf(&["Fallo: condena por contrabando de membrillo"], "A");
    let file = upload(&app, &member, "fallo.pdf", judgment.clone()).await;
    assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
    assert!(
        !app.storage.data_dir().join("files").exists(),
        "nothing in the data directory's store: {:?}",
        std::fs::read_dir(app.storage.data_dir())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect::<Vec<_>>()
    );
    let listed = reqwest::get(format!("{}/comity-files?list-type=2", moto.endpoint))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        listed.contains(file.body["sha256"].as_str().unwrap()),
        "{listed}"
    );
    let category = app.category(&admin, "general").await;
    let thread = app
        .post(
            "/api/v1/threads",
            Some(&member),
            json!({"category_id": category, "title": "Fallo", "body": "Adjunto.",
                   "kind": "discussion", "attachments": [file.body["id"]]}),
        )
        .await;
    assert_eq!(thread.status, StatusCode::CREATED, "{}", thread.body);
    let served = fetch(&app, &file.body_url(), &member).await;
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.bytes().await.unwrap().as_ref(), judgment.as_slice());
    let (hits, _) = search_until_found(&app, &member, "membrillo").await;
    assert_eq!(hits.len(), 1, "the text was read from the bucket: {hits:?}");
}

both_backends!(
    a_pdf_author_is_shown_to_its_uploader_and_removed_on_request,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "general").await;
        let fiscal = token(&app.member_from(&admin, "fiscal", "ES", "prosecutor").await);
        let other = token(&app.member(&admin, "juge").await);
        let file = upload(
            &app,
            &fiscal,
            "sts.pdf",
            pdf(&["Fallo del Supremo"], "Magistrada Ruiz"),
        )
        .await;
        assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
        let thread = app
            .post(
                "/api/v1/threads",
                Some(&fiscal),
                json!({"category_id": category, "title": "Fallo", "body": "Adjunto.",
                   "kind": "discussion", "attachments": [file.body["id"]]}),
            )
            .await;
        let thread_id = thread.body["id"].as_i64().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let shown = app
                .get(&format!("/api/v1/threads/{thread_id}"), &fiscal)
                .await;
            if shown.body["posts"][0]["attachments"][0]["extraction"] == "done" {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the PDF was never read: {}",
                shown.body
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The uploader is offered to remove it; another reader is not.
        let page = fetch(&app, &format!("/t/{thread_id}"), &fiscal)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Magistrada Ruiz") && page.contains("/remove-author"),
            "{page}"
        );
        let page = fetch(&app, &format!("/t/{thread_id}"), &other)
            .await
            .text()
            .await
            .unwrap();
        assert!(!page.contains("Magistrada Ruiz") && !page.contains("/remove-author"));
        let path = format!("/api/v1/attachments/{}/remove-author", file.body["id"]);
        let refused = app.call(Method::POST, &path, Some(&other), None).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

        let removed = app.call(Method::POST, &path, Some(&fiscal), None).await;
        assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
        assert_ne!(removed.body["sha256"], file.body["sha256"]);
        let bytes = fetch(&app, &file.body_url(), &other)
            .await
            .bytes()
            .await
            .unwrap();
        assert!(bytes.starts_with(b"%PDF"));
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Magistrada Ruiz"),
            "the author is gone from the file"
        );
        let page = fetch(&app, &format!("/t/{thread_id}"), &fiscal)
            .await
            .text()
            .await
            .unwrap();
        assert!(!page.contains("Magistrada Ruiz"), "and from the page");
    }
);

/// A DOCX whose text part unpacks to `megabytes` MB of one letter: a zip
/// bomb of a few hundred kilobytes.
fn docx_bomb(megabytes: usize) -> Vec<u8> {
    let mut cursor = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut cursor);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#).unwrap();
        let chunk = vec![b'a'; 1024 * 1024];
        for _ in 0..megabytes {
            zip.write_all(&chunk).unwrap();
        }
        zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
            .unwrap();
        zip.finish().unwrap();
    }
    cursor.into_inner()
}

both_backends!(
    a_zip_bomb_costs_only_its_child_and_is_recorded,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.attachments.extract_memory_mib = 256;
            s.attachments.extract_timeout_secs = 20;
        })
        .await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "member").await);
        let category = app.category(&admin, "general").await;
        let bomb = docx_bomb(1_024);
        assert!(bomb.len() < 5 * 1024 * 1024, "{} bytes", bomb.len());
        let file = upload(&app, &member, "bomb.docx", bomb).await;
        assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
        let thread = app
            .post(
                "/api/v1/threads",
                Some(&member),
                json!({"category_id": category, "title": "A bomb", "body": "x",
                   "kind": "discussion", "attachments": [file.body["id"]]}),
            )
            .await;
        let thread_id = thread.body["id"].as_i64().unwrap();
        let started = Instant::now();
        let (state, error) = loop {
            // The server keeps answering while the child works.
            let shown = app
                .get(&format!("/api/v1/threads/{thread_id}"), &member)
                .await;
            assert_eq!(shown.status, StatusCode::OK);
            let file = &shown.body["posts"][0]["attachments"][0];
            if file["extraction"] != "pending" {
                break (file["extraction"].clone(), file["extraction_error"].clone());
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "extraction never ended"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        eprintln!(
            "the 1 GiB bomb ended as {state} ({error}) after {} ms",
            started.elapsed().as_millis()
        );
        // Read up to the cap (64 MiB of XML), or stopped by the child's
        // memory cap: either way recorded, never left pending.
        match state.as_str() {
            Some("failed") => assert!(error.as_str().unwrap().contains("MiB"), "{error}"),
            Some("done") => {}
            other => panic!("{other:?}"),
        }
    }
);
