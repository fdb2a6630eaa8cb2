//! End to end in headless Chromium: sign in, open a thread, reply, see it.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs
//! them). Without them the test fails with a clear message.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::*;

pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn chromedriver_path() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".to_owned())
}

pub async fn browser() -> (fantoccini::Client, Driver) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(chromedriver_path())
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("chromedriver is required for the browser test (apt-get install chromium chromium-driver): {e}"));
    let driver = Driver(child);
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    // The console, for the tests that fail on page errors.
    caps.insert("goog:loggingPrefs".to_owned(), json!({"browser": "ALL"}));
    caps.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned()),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync",
                     format!("--user-data-dir={}", profile.keep().display())]
        }),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (client, driver),
            Err(e) if Instant::now() < deadline => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("cannot start headless chromium: {e}"),
        }
    }
}

/// ChromeDriver's console log since the last call (`goog:loggingPrefs`).
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The console errors (level SEVERE) logged since the last call.
pub async fn console_errors(
    client: &fantoccini::Client,
) -> Result<Vec<String>, fantoccini::error::CmdError> {
    let log = client.issue_cmd(BrowserLog).await?;
    Ok(log
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter(|e| e["level"] == "SEVERE")
                .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_open_a_thread_and_reply_in_chromium() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "counterfeiting").await;
    let member = token(&app.member(&admin, "ana.garcia").await);
    let thread = app
        .thread(
            &member,
            category,
            "Counterfeit spare parts",
            "Which offence applies to **brake pads**?",
        )
        .await;
    let thread_id = thread["id"].as_i64().unwrap();

    let (client, _driver) = browser().await;
    let result = async {
        // Redirected to sign in first, then back to the thread.
        sign_in(&client, &app.address, "admin", &format!("/t/{thread_id}")).await?;
        let heading = client.wait().for_element(Locator::Css("h1")).await?;
        assert_eq!(heading.text().await?, "Counterfeit spare parts");
        let body = client.find(Locator::Css("textarea#reply-body")).await?;
        body.send_keys("Article 3 of the *TRIPS* Agreement, and see art. 61.")
            .await?;
        client
            .find(Locator::Css("form#reply button[type=submit]"))
            .await?
            .click()
            .await?;
        client
            .wait()
            .for_element(Locator::XPath(
                "//li[contains(@class,'post')]//em[text()='TRIPS']",
            ))
            .await?;
        let posts = client.find_all(Locator::Css("li.post")).await?;
        assert_eq!(posts.len(), 2);
        let url = client.current_url().await?;
        assert!(url.path().starts_with(&format!("/t/{thread_id}")));
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    client.close().await.ok();
    result.expect("browser flow");

    let shown = app
        .get(&format!("/api/v1/threads/{thread_id}"), &member)
        .await;
    assert_eq!(shown.body["posts"][1]["author"]["username"], "admin");
}

/// Switches the interface language with the page's own form.
pub async fn use_language(
    client: &fantoccini::Client,
    base: &str,
    lang: &str,
) -> Result<(), fantoccini::error::CmdError> {
    client.goto(&format!("{base}/")).await?;
    client
        .find(Locator::Css("#language-select"))
        .await?
        .select_by_value(lang)
        .await?;
    client
        .find(Locator::Css(".language-form button"))
        .await?
        .click()
        .await?;
    client
        .wait()
        .for_element(Locator::Css(&format!("html[lang={lang}]")))
        .await?;
    Ok(())
}

/// Every page a signed-in admin can open, for the tests that go through
/// all of them (accessibility, width, console): one list, so a new page is
/// added once. `thread` is an analysis with a second post, `first_post`
/// its first post (flagged as `flag`), `unsubscribe` a one-click token.
pub fn signed_in_pages(thread: i64, first_post: i64, flag: i64, unsubscribe: &str) -> Vec<String> {
    vec![
        "/".to_owned(),
        format!("/t/{thread}"),
        format!("/t/{thread}?quote={first_post}"),
        "/new".to_owned(),
        "/new?kind=analysis".to_owned(),
        "/c/medicines".to_owned(),
        "/u/admin".to_owned(),
        "/admin".to_owned(),
        "/admin/members".to_owned(),
        "/admin/members?country=MA".to_owned(),
        format!("/posts/{first_post}/revisions"),
        format!("/posts/{first_post}/edit"),
        format!("/posts/{first_post}/flag"),
        format!("/posts/{first_post}/moderate"),
        "/settings".to_owned(),
        "/j/FR".to_owned(),
        "/j/EU".to_owned(),
        "/i/medicrime".to_owned(),
        "/compare?instrument=medicrime&jurisdictions=FR,ES,MA".to_owned(),
        "/analyses/review".to_owned(),
        "/moderation".to_owned(),
        format!("/moderation/flags/{flag}"),
        "/moderation/audit".to_owned(),
        "/inbox".to_owned(),
        format!("/email/unsubscribe?token={unsubscribe}"),
        "/search".to_owned(),
        "/search?q=falsified+medicines".to_owned(),
        "/search?q=medicines&jurisdiction=FR&kind=analysis".to_owned(),
        "/experts".to_owned(),
        "/experts?jurisdiction=MA&language=fr".to_owned(),
        "/questions".to_owned(),
        "/questions/new?jurisdictions=MA&crime_areas=smuggling".to_owned(),
        "/coverage".to_owned(),
        "/coverage?by=crime_area&recent=true".to_owned(),
    ]
}

/// A colloquium the admin organises, open now, with two versions of its
/// conclusions (one published): its pages, for the page checks.
/// The operator's pages with something on them: a webhook to an endpoint
/// nobody answers, after a `CLEAR` thread it fails to deliver.
pub async fn operator_pages(app: &TestApp, admin: &str, category: i64) -> Vec<String> {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/comity-events", dead.local_addr().unwrap());
    drop(dead);
    let hook = app
        .post(
            "/api/v1/admin/webhooks",
            Some(admin),
            json!({"url": url, "events": ["thread_created", "post_created"]}),
        )
        .await;
    assert_eq!(hook.status, reqwest::StatusCode::CREATED, "{}", hook.body);
    let thread = app
        .post(
            "/api/v1/threads",
            Some(admin),
            json!({"category_id": category, "kind": "discussion", "mark": "CLEAR",
                   "title": "Seizure statistics for the public report",
                   "body": "Figures any partner may republish."}),
        )
        .await;
    assert_eq!(
        thread.status,
        reqwest::StatusCode::CREATED,
        "{}",
        thread.body
    );
    vec!["/admin/webhooks".to_owned()]
}

pub async fn colloquium_pages(app: &TestApp, admin: &str, category: i64) -> Vec<String> {
    let now = chrono::Utc::now();
    let created = app
        .post(
            "/api/v1/colloquia",
            Some(admin),
            json!({"title": "Online sales of falsified medicines",
                   "agenda": "1. Jurisdiction over websites\n2. Evidence from platforms",
                   "opens_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
                   "closes_at": (now + chrono::Duration::days(7)).to_rfc3339(),
                   "publish_category_id": category}),
        )
        .await;
    assert_eq!(
        created.status,
        reqwest::StatusCode::CREATED,
        "{}",
        created.body
    );
    let id = created.body["id"].as_i64().unwrap();
    for (body, note) in [
        (
            "Courts have jurisdiction over sites aimed at their market.",
            "first draft",
        ),
        (
            "Courts have jurisdiction over sites aimed at their market.\n\nPlatform records are admissible.",
            "evidence",
        ),
    ] {
        let written = app
            .post(
                &format!("/api/v1/colloquia/{id}/conclusions"),
                Some(admin),
                json!({"body": body, "note": note}),
            )
            .await;
        assert_eq!(
            written.status,
            reqwest::StatusCode::CREATED,
            "{}",
            written.body
        );
    }
    app.post(
        &format!("/api/v1/colloquia/{id}/conclusions/endorse"),
        Some(admin),
        json!({}),
    )
    .await;
    // Its conclusions published, then compiled into a dialogue.
    let published = app
        .post(
            &format!("/api/v1/colloquia/{id}/conclusions/publish"),
            Some(admin),
            json!({}),
        )
        .await;
    let dialogue = app
        .post(
            "/api/v1/dialogues",
            Some(admin),
            json!({"title": "Country dialogue: Morocco 2026", "intro": "What the law says.",
                   "jurisdictions": ["MA", "FR"], "thread_ids": [published.body["conclusions_thread_id"]]}),
        )
        .await;
    assert_eq!(
        dialogue.status,
        reqwest::StatusCode::CREATED,
        "{}",
        dialogue.body
    );
    // An advice request the admin both files and, in the office, handles.
    let office = app
        .post(
            "/api/v1/groups",
            Some(admin),
            json!({"name": "Legal office"}),
        )
        .await;
    let me = app.get("/api/v1/me", admin).await.body["id"].clone();
    app.post(
        &format!("/api/v1/groups/{}/members", office.body["id"]),
        Some(admin),
        json!({"user_id": me}),
    )
    .await;
    let filed = app
        .post(
            "/api/v1/advice",
            Some(admin),
            json!({"category_id": category, "title": "Which offence for online sales?", "body": "A parcel of falsified medicines was seized.", "jurisdictions": ["MA"]}),
        )
        .await;
    assert_eq!(filed.status, reqwest::StatusCode::CREATED, "{}", filed.body);
    let thread = filed.body["thread_id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/advice/{thread}/notes"),
        Some(admin),
        json!({"body": "Check the 2021 judgment."}),
    )
    .await;
    vec![
        "/colloquia".to_owned(),
        format!("/colloquia/{id}"),
        "/advice".to_owned(),
        format!("/advice/{thread}"),
        "/dialogues".to_owned(),
        format!("/dialogues/{}", dialogue.body["id"]),
    ]
}

pub async fn sign_in(
    client: &fantoccini::Client,
    address: &str,
    username: &str,
    path: &str,
) -> Result<(), fantoccini::error::CmdError> {
    client.goto(&format!("{address}{path}")).await?;
    client
        .wait()
        .for_element(Locator::Css("input#username"))
        .await?
        .send_keys(username)
        .await?;
    client
        .find(Locator::Css("input#password"))
        .await?
        .send_keys(PASSWORD)
        .await?;
    client
        .find(Locator::Css("form.stacked button[type=submit]"))
        .await?
        .click()
        .await?;
    // Wait for the navigation itself: the sign-in page's own `h1` is still
    // there for a moment after the click.
    let deadline = Instant::now() + Duration::from_secs(20);
    while client.current_url().await?.path() == "/login" && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    client.wait().for_element(Locator::Css("h1")).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_appears_live_in_another_browser_and_spares_its_draft() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "tobacco").await;
    let member = token(&app.member(&admin, "samir").await);
    let thread = app
        .thread(
            &member,
            category,
            "Protocol on illicit tobacco: tracking and tracing",
            "How do your customs apply Article 8?",
        )
        .await;
    let thread_id = thread["id"].as_i64().unwrap();
    // A long thread, so that the reader can be scrolled away from its end.
    for n in 0..25 {
        let reply = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&member),
                json!({"body": format!("Earlier remark {n}.\n\nArticle 8 requires a unique identifier on every unit packet.")}),
            )
            .await;
        assert_eq!(reply.status, reqwest::StatusCode::CREATED);
    }
    let path = format!("/t/{thread_id}");

    let (writer, _writer_driver) = browser().await;
    let (reader, _reader_driver) = browser().await;
    let result = async {
        sign_in(&reader, &app.address, "samir", &path).await?;
        sign_in(&writer, &app.address, "admin", &path).await?;
        // Both see two experts on the thread (both sockets subscribed).
        for page in [&reader, &writer] {
            page.wait()
                .for_element(Locator::XPath(
                    "//p[@id='live-presence'][contains(text(), '2')]",
                ))
                .await?;
        }
        // The reader starts a reply and leaves it unsent; a marker shows
        // whether the page reloads. The writer sees who is typing.
        let draft = "Half-written: our customs code, art. 8 of the Protocol";
        reader
            .find(Locator::Css("textarea#reply-body"))
            .await?
            .send_keys(draft)
            .await?;
        reader
            .execute("window.comityMarker = 42; return null;", vec![])
            .await?;
        writer
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(
                "//p[@id='live-typing'][contains(text(), 'samir (FR)')]",
            ))
            .await?;

        // The reader scrolls back to the start of the thread.
        reader
            .execute("window.scrollTo(0, 0); return null;", vec![])
            .await?;

        // The writer replies through the page's own form.
        writer
            .find(Locator::Css("textarea#reply-body"))
            .await?
            .send_keys("Our customs apply *Article 8* through the unique identifier.")
            .await?;
        writer
            .find(Locator::Css("form#reply button[type=submit]"))
            .await?
            .click()
            .await?;

        // It appears for the reader without a reload, draft intact.
        reader
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(
                "//ol[@id='posts']/li[contains(@class,'post')]//em[text()='Article 8']",
            ))
            .await?;
        let posts = reader.find_all(Locator::Css("ol#posts > li.post")).await?;
        assert_eq!(posts.len(), 27);
        // Scrolled up, the reader is told rather than moved.
        let notice = reader
            .wait()
            .for_element(Locator::Css("button#new-replies:not([hidden])"))
            .await?;
        assert_eq!(notice.text().await?, "New replies: 1 — show");
        let scrolled = reader.execute("return window.scrollY;", vec![]).await?;
        assert_eq!(scrolled, json!(0));
        notice.click().await?;
        reader
            .wait()
            .for_element(Locator::Css("button#new-replies[hidden]"))
            .await?;
        // An edit elsewhere is shown in place.
        let last_id = reader
            .execute(
                "return document.querySelector('ol#posts > li.post:last-child').id.slice(5);",
                vec![],
            )
            .await?;
        let last_id: i64 = last_id.as_str().unwrap().parse().unwrap();
        let edited = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/posts/{last_id}"),
                Some(&admin),
                Some(json!({"body": "Our customs apply **Article 8** and Article 9."})),
            )
            .await;
        assert_eq!(edited.status, reqwest::StatusCode::OK);
        reader
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(&format!(
                "//li[@id='post-{last_id}']//strong[text()='Article 8']"
            )))
            .await?;
        let marker = reader
            .execute("return window.comityMarker || null;", vec![])
            .await?;
        assert_eq!(marker, json!(42), "the page did not reload");
        let kept = reader
            .execute(
                "return document.getElementById('reply-body').value;",
                vec![],
            )
            .await?;
        assert_eq!(kept, json!(draft), "the draft is untouched");
        let author = reader
            .find(Locator::Css("ol#posts > li.post:last-child .author"))
            .await?
            .text()
            .await?;
        assert_eq!(author, "admin");
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    writer.close().await.ok();
    reader.close().await.ok();
    result.expect("live browser flow");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analysis_made_with_the_pickers_shows_on_its_jurisdiction_page() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    app.category(&admin, "counterfeiting").await;
    let member = token(&app.member(&admin, "ana.garcia").await);

    let (client, _driver) = browser().await;
    let selected = |id: &'static str| {
        let client = client.clone();
        async move {
            let script = format!(
                "return Array.from(document.getElementById('{id}').selectedOptions).map(o => o.value);"
            );
            client.execute(&script, vec![]).await
        }
    };
    let result = async {
        sign_in(&client, &app.address, "ana.garcia", "/new").await?;
        // The record's fields appear once the kind is "analysis".
        let fields = client.find(Locator::Css("#analysis-fields")).await?;
        assert!(!fields.is_displayed().await?);
        client
            .find(Locator::Css("input[name=kind][value=analysis]"))
            .await?
            .click()
            .await?;
        assert!(fields.is_displayed().await?);
        client
            .find(Locator::Css("input#title"))
            .await?
            .send_keys("Organised counterfeiting rings in Morocco and France")
            .await?;
        // Typeahead narrows the jurisdiction picker; a click picks.
        let filter = client
            .find(Locator::Css(".picker-filter"))
            .await?;
        filter.send_keys("maroc").await?;
        let visible: serde_json::Value = client
            .execute(
                "return Array.from(document.getElementById('jurisdictions').options).filter(o => !o.hidden).map(o => o.value);",
                vec![],
            )
            .await?;
        assert_eq!(visible, json!(["MA"]), "the filter matches names in any language");
        client
            .find(Locator::Css("#jurisdictions option[value=MA]"))
            .await?
            .click()
            .await?;
        filter.clear().await?;
        filter.send_keys("france").await?;
        client
            .find(Locator::Css("#jurisdictions option[value=FR]"))
            .await?
            .click()
            .await?;
        assert_eq!(selected("jurisdictions").await?, json!(["FR", "MA"]));
        let filters = client.find_all(Locator::Css(".picker-filter")).await?;
        filters[1].send_keys("untoc participation").await?;
        client
            .find(Locator::Css("#instruments option[value='untoc:5']"))
            .await?
            .click()
            .await?;
        assert_eq!(selected("instruments").await?, json!(["untoc:5"]));
        client
            .find(Locator::Css("input[name=crime_areas][value=counterfeiting]"))
            .await?
            .click()
            .await?;
        client
            .find(Locator::Css("textarea#summary"))
            .await?
            .send_keys("Both countries charge membership of a counterfeiting ring as participation in an organised group.")
            .await?;
        client
            .find(Locator::Css("textarea#body"))
            .await?
            .send_keys("In France, art. 450-1 of the Code pénal; in Morocco, art. 293 of the Code pénal.")
            .await?;
        client
            .find(Locator::Css("form.stacked button[type=submit]"))
            .await?
            .click()
            .await?;
        client
            .wait()
            .for_element(Locator::Css("section.analysis-record"))
            .await?;
        let record = client
            .find(Locator::Css("section.analysis-record"))
            .await?
            .text()
            .await?;
        assert!(record.contains("UNTOC art. 5"), "{record}");
        assert!(record.contains("Counterfeiting"), "{record}");

        client.goto(&format!("{}/j/MA", app.address)).await?;
        let link = client
            .wait()
            .for_element(Locator::LinkText(
                "Organised counterfeiting rings in Morocco and France",
            ))
            .await?;
        assert!(link.attr("href").await?.unwrap_or_default().starts_with("/t/"));
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    client.close().await.ok();
    result.expect("browser flow");

    let list = app
        .get("/api/v1/threads?jurisdiction=MA&kind=analysis", &member)
        .await;
    let thread = &list.body["threads"][0];
    assert_eq!(thread["jurisdictions"], json!(["FR", "MA"]));
    let id = thread["id"].as_i64().unwrap();
    let shown = app.get(&format!("/api/v1/threads/{id}"), &member).await;
    assert_eq!(
        shown.body["thread"]["analysis"]["instruments"][0]["key"],
        "untoc:5"
    );
    assert_eq!(
        shown.body["thread"]["analysis"]["crime_areas"],
        json!(["counterfeiting"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_uploads_with_its_progress_and_appears_live_in_another_browser() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "tobacco").await;
    let member = token(&app.member(&admin, "samir").await);
    let thread = app
        .thread(
            &member,
            category,
            "The Supreme Court judgment",
            "Who has it?",
        )
        .await;
    let thread_id = thread["id"].as_i64().unwrap();
    let path = format!("/t/{thread_id}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("judgment.pdf");
    std::fs::write(
        &file,
        crate::attachments::pdf(&["Sentencia: contrabando de cigarrillos"], "Ponente"),
    )
    .unwrap();

    let (writer, _writer_driver) = browser().await;
    let (reader, _reader_driver) = browser().await;
    let result = async {
        sign_in(&reader, &app.address, "samir", &path).await?;
        sign_in(&writer, &app.address, "admin", &path).await?;
        for page in [&reader, &writer] {
            page.wait()
                .for_element(Locator::XPath(
                    "//p[@id='live-presence'][contains(text(), '2')]",
                ))
                .await?;
        }
        // The picker is shown once the script runs; choosing a file starts
        // its upload with a progress bar.
        writer
            .find(Locator::Css("div.uploads:not([hidden]) input[type=file]"))
            .await?
            .send_keys(&file.display().to_string())
            .await?;
        writer
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("ul.upload-list li.upload button"))
            .await?;
        let progress = writer
            .execute(
                "return document.querySelector('ul.upload-list li.upload progress').value;",
                vec![],
            )
            .await?;
        assert_eq!(progress.as_f64(), Some(100.0));
        let ids = writer
            .execute(
                "return document.querySelector('form#reply input[name=attachments]').value;",
                vec![],
            )
            .await?;
        assert!(!ids.as_str().unwrap().is_empty(), "the upload's id is in the form");
        writer
            .find(Locator::Css("textarea#reply-body"))
            .await?
            .send_keys("Here is the judgment.")
            .await?;
        writer
            .find(Locator::Css("form#reply button[type=submit]"))
            .await?
            .click()
            .await?;
        // The reader sees the reply and its file without reloading.
        reader
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(
                "//ol[@id='posts']/li[contains(@class,'post')]//ul[@class='attachments']//a[text()='judgment.pdf']",
            ))
            .await?;
        let errors = console_errors(&reader).await?;
        assert!(errors.is_empty(), "console errors: {errors:?}");
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    writer.close().await.ok();
    reader.close().await.ok();
    result.expect("upload in the browser");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_a_coverage_gap_to_an_accepted_answer_in_chromium() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let cases = app.category(&admin, "cases").await;
    let expert = token(&app.member_from(&admin, "ma_expert", "MA", "customs").await);
    app.member_from(&admin, "es_asker", "ES", "prosecutor")
        .await;
    let saved = app
        .call(
            reqwest::Method::PATCH,
            "/api/v1/me",
            Some(&expert),
            Some(
                json!({"display_name": "Zineb Alaoui", "languages": ["fr", "ar"],
                "crime_areas": ["illicit_tobacco"]}),
            ),
        )
        .await;
    assert_eq!(saved.status, reqwest::StatusCode::OK, "{}", saved.body);
    // Morocco has an analysis under UNTOC, none under the FCTC Protocol:
    // a gap in the table.
    let analysis = app
        .post(
            "/api/v1/threads",
            Some(&expert),
            json!({"category_id": cases, "kind": "analysis", "title": "Smuggling under UNTOC in Morocco",
                "body": "Body.", "jurisdictions": ["MA"],
                "analysis": {"summary": "UNTOC in Moroccan law.", "language": "en",
                    "instruments": ["untoc"], "crime_areas": ["smuggling"],
                    "legal_provisions": [], "case_citations": [],
                    "valid_as_of": "2026-01-01", "review_by": "2030-01-01"}}),
        )
        .await;
    assert_eq!(
        analysis.status,
        reqwest::StatusCode::CREATED,
        "{}",
        analysis.body
    );

    let (asker, _asker_driver) = browser().await;
    let (answerer, _answerer_driver) = browser().await;
    let result = async {
        sign_in(&asker, &app.address, "es_asker", "/coverage").await?;
        asker
            .wait()
            .for_element(Locator::Css(
                "a[href='/questions/new?jurisdictions=MA&instrument=fctc-protocol']",
            ))
            .await?
            .click()
            .await?;
        // The expert is proposed and ticked.
        let choice = asker
            .wait()
            .for_element(Locator::Css("input[name=experts]"))
            .await?;
        assert_eq!(choice.prop("checked").await?.as_deref(), Some("true"));
        asker
            .find(Locator::Css("#ask-title"))
            .await?
            .send_keys("Is the FCTC Protocol applied in Morocco?")
            .await?;
        asker
            .find(Locator::Css("#ask-body"))
            .await?
            .send_keys("Which provisions implement its article 14?")
            .await?;
        asker
            .find(Locator::Css(
                ".ask-form .composer-actions button[type=submit]",
            ))
            .await?
            .click()
            .await?;
        asker
            .wait()
            .for_element(Locator::Css(".question-box .question-open"))
            .await?;
        let question = asker.current_url().await?.path().to_owned();

        // The expert finds it in the inbox and answers.
        sign_in(&answerer, &app.address, "ma_expert", "/inbox").await?;
        answerer
            .wait()
            .for_element(Locator::XPath(
                "//ol[contains(@class,'notifications')]//a[contains(.,'asks for your expertise')]",
            ))
            .await?
            .click()
            .await?;
        answerer
            .wait()
            .for_element(Locator::Css("textarea#reply-body"))
            .await?
            .send_keys("Law 15-91, as amended, covers it.")
            .await?;
        answerer
            .find(Locator::Css("form#reply button[type=submit]"))
            .await?
            .click()
            .await?;
        answerer
            .wait()
            .for_element(Locator::XPath(
                "//li[contains(@class,'post')]//p[contains(text(),'Law 15-91')]",
            ))
            .await?;

        // The asker accepts it.
        asker.goto(&format!("{}{question}", app.address)).await?;
        asker
            .wait()
            .for_element(Locator::Css(".question-box .question-answered"))
            .await?;
        asker
            .find(Locator::Css(".question-box form button[type=submit]"))
            .await?
            .click()
            .await?;
        asker
            .wait()
            .for_element(Locator::Css(".question-box .question-accepted"))
            .await?;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    asker.close().await.ok();
    answerer.close().await.ok();
    result.expect("browser flow");
    let open = app.get("/api/v1/questions", &expert).await;
    assert_eq!(open.body[0]["status"], "accepted", "{}", open.body);
}
