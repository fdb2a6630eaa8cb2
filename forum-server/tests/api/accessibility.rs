//! axe-core over the main pages, in all four languages, in headless
//! Chromium: no serious or critical violation.
//!
//! axe-core 4.14.1 (MPL-2.0) is vendored in `tests/vendor/axe-core/`, so no
//! npm step is needed; `COMITY_AXE_JS` may point at another `axe.min.js`.

use serde_json::{Value, json};

use crate::browser::{
    browser, colloquium_pages, operator_pages, sign_in, signed_in_pages, use_language,
};
use crate::helpers::*;

/// The vendored axe-core, unless `COMITY_AXE_JS` names another copy.
fn axe_source() -> String {
    match std::env::var("COMITY_AXE_JS") {
        Ok(path) => std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("COMITY_AXE_JS={path} cannot be read: {e}")),
        Err(_) => include_str!("../vendor/axe-core/axe.min.js").to_owned(),
    }
}

/// Runs axe on the current page; returns (rule, impact, nodes) for each
/// violation.
async fn audit(client: &fantoccini::Client, axe: &str) -> Vec<(String, String, u64)> {
    client
        .execute(&format!("{axe}\n;return true;"), vec![])
        .await
        .expect("inject axe");
    let result = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
                .then(r => done(r.violations.map(v => [v.id, v.impact || '', v.nodes.length])))
                .catch(e => done([['axe-error', String(e), 0]]));",
            vec![],
        )
        .await
        .expect("axe runs");
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v[0].as_str().unwrap_or_default().to_owned(),
                v[1].as_str().unwrap_or_default().to_owned(),
                v[2].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn main_pages_have_no_serious_accessibility_violations_in_any_language() {
    let axe = axe_source();
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
            json!({"category_id": category, "title": "MEDICRIME art. 5 in France and Morocco", "kind": "analysis",
                   "jurisdictions": ["FR", "MA"],
                   "body": "| Country | Offence |\n|---|---|\n| FR | Art. L5421-13 CSP |\n\nSee the report.[^1] MEDICRIME art. 5 applies.\n\n[^1]: CETS No. 211.",
                   "analysis": {"summary": "France charges the manufacture of falsified medicines under the CSP; Morocco under Law 17-04.",
                                "language": "en", "instruments": ["medicrime:5", "trips"], "crime_areas": ["falsified_medicines"],
                                "legal_provisions": [{"jurisdiction": "FR", "text": "Code de la santé publique, art. L5421-13"}],
                                "case_citations": [{"court": "Cour de cassation", "date": "2019-03-12", "reference": "18-80.123", "ecli": "ECLI:FR:CCASS:2019:CR00321"}],
                                "valid_as_of": "2024-01-01", "review_by": "2025-01-01"}}),
        )
        .await;
    let thread_id = analysis.body["id"].as_i64().unwrap();
    let first_post = analysis.body["first_post_id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/threads/{thread_id}/posts"),
        Some(&admin),
        json!({"body": "يعاقب القانون المغربي على الاتجار في الأدوية المزيفة."}),
    )
    .await;
    app.call(
        reqwest::Method::PATCH,
        &format!("/api/v1/posts/{first_post}"),
        Some(&admin),
        Some(json!({"body": "Updated table.", "edit_reason": "typo"})),
    )
    .await;

    let flag = app
        .post(
            &format!("/api/v1/posts/{first_post}/flags"),
            Some(&admin),
            json!({"reason": "inaccurate_law", "note": "L5421-13 was renumbered"}),
        )
        .await;
    let flag = flag.body["id"].as_i64().unwrap();

    app.indexed().await;
    let (client, _driver) = browser().await;
    let base = app.address.clone();
    let outcome = async {
        client.goto(&format!("{base}/login")).await?;
        let login_page = audit(&client, &axe).await;
        assert!(login_page.is_empty(), "sign-in page: {login_page:?}");
        // The harness must be able to fail: an image without a text
        // alternative is a critical violation axe has to report.
        let inject = "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">'); return true;";
        client.execute(inject, vec![]).await?;
        let broken = audit(&client, &axe).await;
        assert!(
            broken.iter().any(|(rule, impact, _)| rule == "image-alt" && impact == "critical"),
            "axe did not report a missing alt: {broken:?}"
        );
        sign_in(&client, &base, "admin", "/").await?;

        let mut pages = signed_in_pages(thread_id, first_post, flag, &unsubscribe);
        pages.extend(colloquium_pages(&app, &admin, category).await);
        pages.extend(operator_pages(&app, &admin, category).await);
        let mut report = Vec::new();
        let mut serious = Vec::new();
        for lang in ["en", "fr", "es", "ar"] {
            // Switch with the page's own language form.
            use_language(&client, &base, lang).await?;
            for path in &pages {
                client.goto(&format!("{base}{path}")).await?;
                let html_lang: Value = client
                    .execute("return document.documentElement.lang;", vec![])
                    .await?;
                assert_eq!(html_lang, json!(lang), "{path}");
                let violations = audit(&client, &axe).await;
                report.push(format!(
                    "{lang} {path}: {} violation(s) {violations:?}",
                    violations.len()
                ));
                serious.extend(
                    violations
                        .into_iter()
                        .filter(|(_, impact, _)| {
                            impact == "serious" || impact == "critical" || impact.contains("rror")
                        })
                        .map(|v| format!("{lang} {path}: {v:?}")),
                );
            }
        }
        // Width, failed requests and console errors on every page: the
        // interface tests (`interface.rs`).
        println!("axe report:\n{}", report.join("\n"));
        assert!(
            serious.is_empty(),
            "serious or critical violations:\n{}",
            serious.join("\n")
        );
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    client.close().await.ok();
    outcome.expect("browser session");
}
