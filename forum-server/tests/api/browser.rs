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
        client
            .goto(&format!("{}/t/{thread_id}", app.address))
            .await?;
        // Redirected to sign in first.
        client
            .wait()
            .for_element(Locator::Css("input#username"))
            .await?
            .send_keys("admin")
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
