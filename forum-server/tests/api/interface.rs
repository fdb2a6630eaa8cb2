//! The interface as its users meet it, in headless Chromium: every page in
//! the four languages at phone (390 px) and desktop (1280 px) width fits
//! the window, logs no console error and loads every resource; a post that
//! arrives live is the same HTML as the one a reload shows; a draft
//! survives a reload and a lock.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::browser::{browser, console_errors, sign_in, signed_in_pages, use_language};
use crate::helpers::*;

type Outcome<T> = Result<T, fantoccini::error::CmdError>;

/// What is wrong with the page on screen: wider than the window, a failed
/// request, a console error.
async fn problems(client: &Client, label: &str) -> Outcome<Vec<String>> {
    problems_with(client, label, None).await
}

/// As [`problems`], for a page answered with `status` on purpose (a form
/// refused with 422): that status of the page itself is not a failure.
async fn problems_with(client: &Client, label: &str, status: Option<u16>) -> Outcome<Vec<String>> {
    let mut found = Vec::new();
    // Wider than the window: the document scrolls sideways, or (in
    // right-to-left pages, where overflow runs off the left edge) an
    // element sticks out of the window without a scrolling box around it.
    let overflow: Value = client
        .execute(
            "const inScroller = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
             const out = Array.from(document.querySelectorAll('body *'))
               .filter(e => !e.classList.contains('skip-link'))
               .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1); })
               .filter(e => !inScroller(e))
               .slice(0, 6).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right));
             return [document.documentElement.scrollWidth, window.innerWidth, out];",
            vec![],
        )
        .await?;
    let (scroll, inner) = (overflow[0].as_i64(), overflow[1].as_i64());
    if scroll > inner || overflow[2].as_array().is_some_and(|o| !o.is_empty()) {
        found.push(format!("{label}: wider than the window: {overflow}"));
    }
    let failed: Value = client
        .execute(
            "const expected = arguments[0];
             return performance.getEntriesByType('navigation').map(e => [e, expected])
               .concat(performance.getEntriesByType('resource').map(e => [e, null]))
               .filter(([e, ok]) => e.responseStatus >= 400 && e.responseStatus !== ok)
               .map(([e]) => e.responseStatus + ' ' + e.name);",
            vec![json!(status)],
        )
        .await?;
    if failed.as_array().is_some_and(|f| !f.is_empty()) {
        found.push(format!("{label}: failed requests {failed}"));
    }
    let page: Value = client.execute("return location.href;", vec![]).await?;
    for error in console_errors(client).await? {
        // The browser reports the page's own deliberate status as an error.
        if let (Some(code), Some(page)) = (status, page.as_str())
            && error.starts_with(&format!("{page} - "))
            && error.contains(&format!("status of {code}"))
        {
            continue;
        }
        found.push(format!("{label}: console error {error}"));
    }
    Ok(found)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_and_loads_cleanly_in_every_language_at_both_widths() {
    let app = spawn(Backend::Sqlite).await;
    let admin_login = app.admin().await;
    let admin = token(&admin_login);
    let unsubscribe = forum_server::auth::JwtKeys::new(JWT_SECRET.as_bytes(), 900)
        .issue_unsubscribe(admin_login["user"]["id"].as_i64().unwrap().into())
        .unwrap();
    let category = app.category(&admin, "medicines").await;
    let analysis = app
        .post(
            "/api/v1/threads",
            Some(&admin),
            json!({"category_id": category, "title": "MEDICRIME art. 5: the manufacture of falsified medical products in France, Morocco and the Kingdom of Spain", "kind": "analysis",
                   "jurisdictions": ["FR", "MA", "ES"],
                   "body": "| Country | Offence | Penalty |\n|---|---|---|\n| FR | Art. L5421-13 du code de la santé publique | 5 ans |\n\nhttps://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000006690338/a-very-long-unbroken-address-that-must-wrap\n\n```\nlong code line that goes on and on and on and on and on and on and on and on and on\n```",
                   "analysis": {"summary": "France charges the manufacture of falsified medicines under the CSP; Morocco under Law 17-04.",
                                "language": "en", "instruments": ["medicrime:5", "trips"], "crime_areas": ["falsified_medicines"],
                                "legal_provisions": [{"jurisdiction": "FR", "text": "Code de la santé publique, art. L5421-13"}],
                                "case_citations": [{"court": "Cour de cassation, chambre criminelle", "date": "2019-03-12", "reference": "18-80.123", "ecli": "ECLI:FR:CCASS:2019:CR00321"}],
                                "valid_as_of": "2024-01-01", "review_by": "2025-01-01"}}),
        )
        .await;
    assert_eq!(
        analysis.status,
        reqwest::StatusCode::CREATED,
        "{}",
        analysis.body
    );
    let thread_id = analysis.body["id"].as_i64().unwrap();
    let first_post = analysis.body["first_post_id"].as_i64().unwrap();
    // The Arabic reply carries two files with long unbroken names; an edit
    // then drops one (the history lists it for moderators).
    let long = "Sentencia_del_Tribunal_Supremo_Sala_de_lo_Penal_numero_123_de_2024_sobre_contrabando_de_cigarrillos";
    let mut files = Vec::new();
    for (name, text) in [
        (
            format!("{long}.pdf"),
            "El acusado ocultaba membrilloazul en el contenedor.",
        ),
        (format!("{long}-anexo.pdf"), "Anexo de la sentencia."),
    ] {
        let file = crate::attachments::upload(
            &app,
            &admin,
            &name,
            crate::attachments::pdf(&[text], "Magistrada Ponente"),
        )
        .await;
        assert_eq!(file.status, reqwest::StatusCode::CREATED, "{}", file.body);
        files.push(file.body["id"].clone());
    }
    let reply = app
        .post(
            &format!("/api/v1/threads/{thread_id}/posts"),
            Some(&admin),
            json!({"body": "يعاقب القانون المغربي على الاتجار في الأدوية المزيفة.", "attachments": files}),
        )
        .await;
    let reply_id = reply.body["id"].as_i64().unwrap();
    let edited = app
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/posts/{reply_id}"),
            Some(&admin),
            Some(json!({"body": "يعاقب القانون المغربي على الاتجار في الأدوية المزيفة.", "attachments": [files[0]]})),
        )
        .await;
    assert_eq!(edited.status, reqwest::StatusCode::OK, "{}", edited.body);
    // Its text read, so the list shows pages, language and the author.
    let deadline = Instant::now() + Duration::from_secs(20);
    while app
        .get(&format!("/api/v1/threads/{thread_id}"), &admin)
        .await
        .body["posts"][1]["attachments"][0]["extraction"]
        != "done"
    {
        assert!(Instant::now() < deadline, "the file was never read");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let flag = app
        .post(
            &format!("/api/v1/posts/{first_post}/flags"),
            Some(&admin),
            json!({"reason": "inaccurate_law", "note": "L5421-13 was renumbered"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    app.member_from(&admin, "karim", "MA", "judge").await;
    let invitation = app
        .post(
            "/api/v1/invitations",
            Some(&admin),
            json!({"email": "new.member@example.org"}),
        )
        .await
        .body["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.indexed().await;

    let anonymous = ["/login".to_owned(), format!("/register?token={invitation}")];
    let mut pages = signed_in_pages(thread_id, first_post, flag, &unsubscribe);
    pages.extend(crate::browser::colloquium_pages(&app, &admin, category).await);
    pages.extend(crate::browser::operator_pages(&app, &admin, category).await);
    // A hit inside a file, and a history listing a removed file.
    pages.push("/search?q=membrilloazul".to_owned());
    pages.push(format!("/posts/{reply_id}/revisions"));
    pages.push("/verify".to_owned());

    let (client, _driver) = browser().await;
    let base = app.address.clone();
    let outcome = async {
        let mut found = Vec::new();
        let mut loads = 0;
        for lang in ["en", "fr", "es", "ar"] {
            // Signed out: the pages one sees before joining.
            client.delete_all_cookies().await?;
            client.goto(&format!("{base}/login")).await?;
            use_language(&client, &base, lang).await.ok();
            console_errors(&client).await?;
            for width in [390u32, 1280] {
                client.set_window_size(width, 900).await?;
                for path in &anonymous {
                    client.goto(&format!("{base}{path}")).await?;
                    loads += 1;
                    found.extend(problems(&client, &format!("{lang} {width}px {path}")).await?);
                }
            }
            client.set_window_size(1280, 900).await?;
            sign_in(&client, &base, "admin", "/").await?;
            use_language(&client, &base, lang).await?;
            console_errors(&client).await?;
            for width in [390u32, 1280] {
                client.set_window_size(width, 900).await?;
                for path in &pages {
                    client.goto(&format!("{base}{path}")).await?;
                    loads += 1;
                    let lang_now: Value = client
                        .execute("return document.documentElement.lang;", vec![])
                        .await?;
                    assert_eq!(lang_now, json!(lang), "{path}");
                    found.extend(problems(&client, &format!("{lang} {width}px {path}")).await?);
                    if path.starts_with("/moderation/flags/")
                        || path == "/admin/members"
                        || path == &format!("/t/{thread_id}")
                    {
                        screenshot(&client, &format!("{lang}-{width}-{}", path.replace('/', "_"))).await?;
                    }
                }
                // The analysis form after a refused record.
                client.goto(&format!("{base}/new?kind=analysis")).await?;
                client
                    .execute(
                        "document.querySelector('input[name=kind][value=analysis]').click();
                         document.getElementById('title').value = 'Counterfeit pesticides seized at the port of Algeciras in 2024';
                         document.getElementById('provisions').value = 'Código Penal | art. 363';
                         document.getElementById('body').value = 'x';
                         document.querySelector('form[action=\"/new\"]').submit();",
                        vec![],
                    )
                    .await?;
                client
                    .wait()
                    .for_element(Locator::Css("p#form-error"))
                    .await?;
                loads += 1;
                screenshot(&client, &format!("{lang}-{width}-new-refused")).await?;
                found.extend(
                    problems_with(&client, &format!("{lang} {width}px /new (refused)"), Some(422))
                        .await?,
                );
                // The header menu folds on phones and opens on demand.
                if width == 390 {
                    let folded: Value = client
                        .execute(
                            "const b = document.getElementById('menu-button');
                             const before = getComputedStyle(document.getElementById('nav-links')).display;
                             b.click();
                             const after = getComputedStyle(document.getElementById('nav-links')).display;
                             return [b.hidden, before, after];",
                            vec![],
                        )
                        .await?;
                    assert_eq!(folded, json!([false, "none", "flex"]), "{lang} menu at 390 px");
                } else {
                    let shown: Value = client
                        .execute(
                            "return [getComputedStyle(document.getElementById('menu-button')).display,
                                     getComputedStyle(document.getElementById('nav-links')).display];",
                            vec![],
                        )
                        .await?;
                    assert_eq!(shown, json!(["none", "flex"]), "{lang} menu at {width} px");
                }
            }
            client.set_window_size(1280, 900).await?;
        }
        // The harness must be able to fail: a page made too wide is seen.
        client.set_window_size(390, 900).await?;
        client.goto(&format!("{base}/")).await?;
        client
            .execute(
                "const wide = document.createElement('div');
                 wide.textContent = 'wide';
                 wide.style.width = '900px';
                 document.querySelector('main').append(wide);
                 document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/assets/missing.png\" alt=\"\">');
                 console.error('planted');",
                vec![],
            )
            .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let planted = problems(&client, "planted").await?;
        assert!(planted.iter().any(|p| p.contains("wider than the window")), "{planted:?}");
        assert!(planted.iter().any(|p| p.contains("missing.png")), "{planted:?}");
        assert!(planted.iter().any(|p| p.contains("planted")), "{planted:?}");
        println!("{loads} page loads checked");
        assert!(loads > 200, "{loads} page loads");
        Ok::<_, fantoccini::error::CmdError>(found)
    }
    .await;
    client.close().await.ok();
    let found = outcome.expect("browser session");
    assert!(
        found.is_empty(),
        "{} problem(s):\n{}",
        found.len(),
        found.join("\n")
    );
    // The icon every browser asks for is there.
    let icon = reqwest::get(format!("{base}/favicon.ico")).await.unwrap();
    assert_eq!(icon.status(), reqwest::StatusCode::OK);
    assert_eq!(icon.headers()["content-type"], "image/svg+xml");
}

/// Saves the page as `COMITY_SCREENSHOTS/<name>.png` when that variable
/// names a folder (to look at by hand); otherwise does nothing.
async fn screenshot(client: &Client, name: &str) -> Outcome<()> {
    if let Ok(dir) = std::env::var("COMITY_SCREENSHOTS") {
        // The whole page, not only the window.
        let height: Value = client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await?;
        let (width, _) = {
            let size: Value = client
                .execute("return [window.outerWidth, window.outerHeight];", vec![])
                .await?;
            (
                size[0].as_u64().unwrap_or(1280) as u32,
                size[1].as_u64().unwrap_or(900) as u32,
            )
        };
        client
            .set_window_size(width, height.as_u64().unwrap_or(900).min(6000) as u32 + 120)
            .await?;
        let png = client.screenshot().await?;
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(format!("{dir}/{name}.png"), png).ok();
        client.set_window_size(width, 900).await?;
    }
    Ok(())
}

/// The post `id` as the page shows it, without the live highlight.
async fn post_html(client: &Client, id: i64) -> Outcome<String> {
    let html: Value = client
        .execute(
            "const node = document.getElementById('post-' + arguments[0]);
             if (!node) { return null; }
             const copy = node.cloneNode(true);
             copy.classList.remove('live-new');
             return copy.outerHTML;",
            vec![json!(id)],
        )
        .await?;
    Ok(html.as_str().unwrap_or_default().to_owned())
}

async fn wait_for(client: &Client, script: &str, what: &str) -> Outcome<Value> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let value = client.execute(script, vec![]).await?;
        if value != Value::Null && value != json!(false) {
            return Ok(value);
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_post_matches_a_loaded_one_and_a_draft_survives_reload_and_lock() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "tobacco").await;
    let marie = token(&app.member(&admin, "marie").await);
    app.member(&admin, "karim").await;
    let thread_id = app
        .thread(
            &marie,
            category,
            "FCTC Protocol art. 8",
            "Which **tracking** data do you keep?",
        )
        .await["id"]
        .as_i64()
        .unwrap();

    let (client, _driver) = browser().await;
    let base = app.address.clone();
    let outcome = async {
        client.set_window_size(1280, 1000).await?;
        sign_in(&client, &base, "karim", &format!("/t/{thread_id}")).await?;
        use_language(&client, &base, "fr").await?;
        client.goto(&format!("{base}/t/{thread_id}")).await?;
        wait_for(&client, "return document.getElementById('live-presence').textContent.length > 0;", "the live connection").await?;

        // Marie replies (quoting nothing, with Markdown); Karim sees it live.
        let reply = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&marie),
                json!({"body": "We keep *every* unique identifier for five years."}),
            )
            .await;
        let reply_id = reply.body["id"].as_i64().unwrap();
        wait_for(&client, &format!("return document.getElementById('post-{reply_id}') !== null;"), "the live post").await?;
        let live = post_html(&client, reply_id).await?;
        // The reply is on screen: no "new replies" button for it.
        let button: Value = client
            .execute("return document.getElementById('new-replies').hidden;", vec![])
            .await?;
        assert_eq!(button, json!(true), "a 'new replies' button for a reply already in view");
        client.refresh().await?;
        client.wait().for_element(Locator::Css(&format!("#post-{reply_id}"))).await?;
        let loaded = post_html(&client, reply_id).await?;
        assert_eq!(live, loaded, "a live post differs from the loaded one");
        assert!(loaded.contains("quote-link") && loaded.contains("post-flag"), "{loaded}");
        assert!(loaded.contains("déc.") || loaded.contains("2026") || loaded.contains("20"), "{loaded}");

        // Karim types a reply: it is saved as a draft and survives a reload.
        let text = "Nos douanes consignent chaque carton.";
        client
            .find(Locator::Css("#reply-body"))
            .await?
            .send_keys(text)
            .await?;
        wait_for(&client, "return document.getElementById('draft-status').textContent.length > 0 && !document.getElementById('draft-status').textContent.includes('…');", "the draft saved").await?;
        client.refresh().await?;
        let kept: Value = client
            .execute("return document.getElementById('reply-body').value;", vec![])
            .await?;
        assert_eq!(kept, json!(text), "the draft after a reload");

        // A moderator locks the thread while Karim is on it: the composer
        // turns into the saved draft, read-only, with a notice.
        wait_for(&client, "return document.getElementById('live-presence').textContent.length > 0;", "the live connection").await?;
        client
            .find(Locator::Css("#reply-body"))
            .await?
            .send_keys(" Et chaque paquet.")
            .await?;
        app.post(
            &format!("/api/v1/threads/{thread_id}/lock"),
            Some(&admin),
            json!({"reason": "cooling off"}),
        )
        .await;
        wait_for(&client, "return document.getElementById('reply-body').readOnly && !document.getElementById('composer-locked').hidden;", "the composer locked").await?;
        let notice: Value = client
            .execute("return document.getElementById('composer-locked').textContent;", vec![])
            .await?;
        assert!(notice.as_str().unwrap().contains("brouillon"), "{notice}");
        // What was typed just before the lock is saved too.
        let whole = format!("{text} Et chaque paquet.");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let draft = app
                .get(&format!("/api/v1/threads/{thread_id}/draft"), &token(&app.login("karim", PASSWORD).await))
                .await;
            if draft.body["body"] == json!(whole) {
                break;
            }
            assert!(Instant::now() < deadline, "draft on the server: {}", draft.body);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        client.refresh().await?;
        let after: Value = client
            .execute("return [document.getElementById('reply-body').value, document.getElementById('reply-body').readOnly];", vec![])
            .await?;
        assert_eq!(after, json!([whole, true]), "the draft after a lock and a reload");
        // Loaded while locked with nothing drafted: reopening says so.
        let quiet = app
            .thread(&marie, category, "A locked question", "Closed for now")
            .await["id"]
            .as_i64()
            .unwrap();
        app.post(
            &format!("/api/v1/threads/{quiet}/lock"),
            Some(&admin),
            json!({"reason": "closed"}),
        )
        .await;
        client.goto(&format!("{base}/t/{quiet}")).await?;
        wait_for(&client, "return document.getElementById('live-presence').textContent.length > 0;", "the live connection").await?;
        app.post(
            &format!("/api/v1/threads/{quiet}/unlock"),
            Some(&admin),
            json!({"reason": "open again"}),
        )
        .await;
        wait_for(&client, "return document.getElementById('composer-locked').textContent.includes('de nouveau ouvert');", "the reopened notice").await?;

        // Going quickly from page to page never runs out of live
        // connections: each page closes its socket as it goes.
        console_errors(&client).await?;
        for round in 0..30 {
            let path = if round % 2 == 0 { format!("/t/{thread_id}") } else { "/".to_owned() };
            client.goto(&format!("{base}{path}")).await?;
        }
        client.goto(&format!("{base}/t/{thread_id}")).await?;
        wait_for(&client, "return document.getElementById('live-presence').textContent.length > 0;", "the live connection after fast navigation").await?;
        let errors = console_errors(&client).await?;
        assert!(errors.is_empty(), "{errors:?}");
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    client.close().await.ok();
    outcome.expect("browser session");
}
