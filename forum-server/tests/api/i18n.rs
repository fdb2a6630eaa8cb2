//! Interface languages, right-to-left pages, localised API errors and the
//! language of content.

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

fn html_attr(page: &str, selector: &str, attr: &str) -> String {
    let doc = Html::parse_document(page);
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr(attr))
        .unwrap_or_default()
        .to_owned()
}

async fn page(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (StatusCode, String) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_follow_accept_language_and_arabic_is_right_to_left() {
    let app = spawn(Backend::Sqlite).await;
    for (accept, lang, dir, sign_in) in [
        ("fr-FR,fr;q=0.9,en;q=0.5", "fr", "ltr", "Connexion"),
        ("es-UY", "es", "ltr", "Iniciar sesión"),
        ("ar-MA, fr;q=0.8", "ar", "rtl", "تسجيل الدخول"),
        ("de-DE", "en", "ltr", "Sign in"),
    ] {
        let (status, body) = page(&app, "/login", &[("Accept-Language", accept)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(html_attr(&body, "html", "lang"), lang, "{accept}");
        assert_eq!(html_attr(&body, "html", "dir"), dir, "{accept}");
        assert!(body.contains(sign_in), "{accept}: {sign_in} missing");
        // The switcher offers every language, each marked with its own lang.
        assert_eq!(html_attr(&body, "option[value=ar]", "lang"), "ar");
    }
    let (status, body) = page(&app, "/no/such/page", &[("Accept-Language", "fr")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Cette page n’existe pas"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_switcher_sets_a_cookie_and_a_members_preference() {
    let app = spawn(Backend::Sqlite).await;
    let admin = app.admin().await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let switch = browser
        .post(format!("{}/language", app.address))
        .header("Origin", &app.address)
        .form(&[("lang", "es"), ("next", "/login")])
        .send()
        .await
        .unwrap();
    assert_eq!(switch.status(), StatusCode::SEE_OTHER);
    assert_eq!(switch.headers()["location"], "/login");
    let body = browser
        .get(format!("{}/login", app.address))
        .header("Accept-Language", "fr")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        html_attr(&body, "html", "lang"),
        "es",
        "the cookie beats Accept-Language"
    );

    // Signed in, the choice is stored with the member and wins over both.
    browser
        .post(format!("{}/login", app.address))
        .header("Origin", &app.address)
        .form(&[("username", "admin"), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    browser
        .post(format!("{}/language", app.address))
        .header("Origin", &app.address)
        .form(&[("lang", "ar"), ("next", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    let me = app.get("/api/v1/me", &token(&admin)).await;
    assert_eq!(me.body["language"], "ar");
    let home = app
        .client
        .get(format!("{}/", app.address))
        .bearer_auth(token(&admin))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(html_attr(&home, "html", "dir"), "rtl");
    let bad = browser
        .post(format!("{}/language", app.address))
        .header("Origin", &app.address)
        .form(&[("lang", "xx")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_keep_their_code_and_speak_the_callers_language() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    for (lang, message) in [
        ("fr", "Veuillez vous connecter."),
        ("es", "Inicie sesión."),
        ("ar", "يرجى تسجيل الدخول."),
    ] {
        let reply = app
            .client
            .get(format!("{}/api/v1/me", app.address))
            .header("Accept-Language", lang)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(reply.headers()["content-language"], lang);
        let body: serde_json::Value = reply.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthenticated");
        assert_eq!(body["error"]["message"], message);
    }
    let invalid = app
        .client
        .post(format!("{}/api/v1/categories", app.address))
        .bearer_auth(&admin)
        .header("Accept-Language", "fr")
        .json(&json!({"slug": "Not A Slug", "name": "x"}))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = invalid.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_field");
    assert_eq!(body["error"]["field"], "slug");
    assert_eq!(
        body["error"]["message"],
        "Veuillez vérifier le champ « slug »."
    );
}

both_backends!(
    content_language_is_declared_or_detected,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "medicamentos").await;
        let fr = app
        .thread(
            &admin,
            category,
            "Médicaments falsifiés",
            "La fabrication de médicaments falsifiés est punie de cinq ans d'emprisonnement et de 375 000 euros d'amende.",
        )
        .await;
        assert_eq!(fr["language"], "fr");
        let thread_id = fr["id"].as_i64().unwrap();
        let ar = app
        .post(
            &format!("/api/v1/threads/{thread_id}/posts"),
            Some(&admin),
            json!({"body": "يعاقب القانون المغربي على الاتجار في الأدوية المزيفة بالسجن والغرامة."}),
        )
        .await;
        assert_eq!(ar.body["language"], "ar");
        let declared = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&admin),
                json!({"body": "Art. 5", "language": "es"}),
            )
            .await;
        assert_eq!(declared.body["language"], "es");
        let before = app.post_count().await;
        let invalid = app
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(&admin),
                json!({"body": "text", "language": "spanish"}),
            )
            .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(invalid.body["error"]["field"], "language");
        assert_eq!(app.post_count().await, before);

        let en = app
        .thread(&admin, category, "Falsified medicines", "Manufacturing falsified medicines is punished by five years of imprisonment and a fine.")
        .await;
        assert_eq!(en["language"], "en");
        let only_fr = app.get("/api/v1/threads?language=fr", &admin).await;
        let ids: Vec<i64> = only_fr.body["threads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [thread_id]);

        // Pages mark each post with its language.
        let page = app
            .client
            .get(format!("{}/t/{thread_id}", app.address))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let doc = Html::parse_document(&page);
        let sel = Selector::parse("#posts .post-body").unwrap();
        let langs: Vec<&str> = doc
            .select(&sel)
            .map(|e| e.value().attr("lang").unwrap())
            .collect();
        assert_eq!(langs, ["fr", "ar", "es"]);
        let filtered = app
            .client
            .get(format!("{}/?language=fr", app.address))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let doc = Html::parse_document(&filtered);
        let titles: Vec<String> = doc
            .select(&Selector::parse(".thread-list .thread-title").unwrap())
            .map(|e| e.text().collect())
            .collect();
        assert!(
            titles.iter().any(|t| t.contains("Médicaments falsifiés"))
                && !titles.iter().any(|t| t.contains("Falsified medicines")),
            "{titles:?}"
        );
    }
);
