//! The HTML pages, driven with plain form posts (no JavaScript), as a
//! browser without scripts would.

use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::both_backends;
use crate::helpers::*;

pub(crate) struct Browser {
    client: reqwest::Client,
    base: String,
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.address.clone(),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, String, reqwest::header::HeaderMap) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let (status, headers) = (r.status(), r.headers().clone());
        (status, r.text().await.unwrap(), headers)
    }

    /// Posts a form the way a browser does (same-origin), returning the
    /// status and the redirect target.
    pub(crate) async fn submit(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Origin", &self.base)
            .header("Sec-Fetch-Site", "same-origin")
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, location, r.text().await.unwrap())
    }
}

fn select_text(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_uses_the_forum_through_plain_forms() {
    let app = spawn(Backend::Sqlite).await;
    app.admin().await;
    let admin = Browser::new(&app);

    // Anonymous visitors are sent to the sign-in page.
    let (status, _, headers) = admin.get("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/login?next=%2F");

    let (status, body, headers) = admin.get("/login").await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers.contains_key("referrer-policy"));
    assert!(body.contains("<html lang=\"en\""));

    let (status, _, _) = admin
        .submit(
            "/login",
            &[
                ("username", "admin"),
                ("password", "wrong password!"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, location, _) = admin
        .submit(
            "/login",
            &[
                ("username", "admin"),
                ("password", PASSWORD),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/", "no open redirect after login");

    // Admin creates a category and an invitation.
    let (status, location, _) = admin
        .submit(
            "/admin/categories",
            &[
                ("slug", "tobacco"),
                ("name", "Illicit tobacco"),
                ("description", "FCTC Protocol"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/c/tobacco")
    );
    // Post/redirect/get: the link is shown once, on the page redirected
    // to; a reload neither invites again nor shows it again.
    let (status, location, _) = admin
        .submit(
            "/admin/invitations",
            &[("email", "judge@example.org"), ("role", "member")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/admin#invite-heading")
    );
    let (_, page, _) = admin.get("/admin").await;
    let (_, reloaded, _) = admin.get("/admin").await;
    assert!(!reloaded.contains("invitation-link"), "shown twice");
    let doc = Html::parse_document(&page);
    let link = Selector::parse("input#invitation-link").unwrap();
    let url = doc
        .select(&link)
        .next()
        .and_then(|i| i.value().attr("value"))
        .expect("invitation link shown")
        .to_owned();
    let path = url
        .split_once("127.0.0.1")
        .unwrap()
        .1
        .split_once('/')
        .unwrap()
        .1;
    let register_path = format!("/{path}");
    let token = register_path.split_once("token=").unwrap().1.to_owned();

    // The invitee registers through the form and is signed in.
    let judge = Browser::new(&app);
    let (status, page, _) = judge.get(&register_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("judge@example.org"));
    let (status, _, page) = judge
        .submit(
            "/register",
            &[
                ("invitation_token", &token),
                ("username", "j"),
                ("display_name", "Juge"),
                ("country", "FR"),
                ("profession", "judge"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The message sits beside the field, which keeps what was typed.
    let beside = select_text(&page, "#username-error").join(" ");
    assert!(
        beside.contains("Username"),
        "the error names the field: {page}"
    );
    assert!(
        page.contains("aria-describedby=\"username-error\""),
        "{page}"
    );
    assert!(page.contains("value=\"Juge\""), "{page}");
    let (status, location, _) = judge
        .submit(
            "/register",
            &[
                ("invitation_token", &token),
                ("username", "juge.martin"),
                ("display_name", "Juge Martin"),
                ("country", "FR"),
                ("profession", "judge"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/"));

    // The judge opens a thread; the title is escaped, the body sanitised.
    let (_, form_page, _) = judge.get("/new").await;
    let category_id = {
        let doc = Html::parse_document(&form_page);
        let sel = Selector::parse("select#category option").unwrap();
        doc.select(&sel)
            .next()
            .unwrap()
            .value()
            .attr("value")
            .unwrap()
            .to_owned()
    };
    let (status, location, _) = judge
        .submit(
            "/new",
            &[
                ("category_id", &category_id),
                ("title", "<b>Art. 15</b> tracking"),
                ("kind", "question"),
                ("jurisdictions", "FR, ma"),
                (
                    "body",
                    "Is *tracking* required?<img src=x onerror=alert(1)>",
                ),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let thread_path = location.clone();
    let (status, page, _) = judge.get(&thread_path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        select_text(&page, "h1"),
        ["<b>Art. 15</b> tracking"],
        "the title is text, not markup"
    );
    assert!(page.contains("<em>tracking</em>"));
    assert!(!page.contains("onerror"));
    assert_eq!(select_text(&page, ".chip"), ["FR", "MA"]);

    // Invalid form input re-renders with the error and keeps the text.
    let (status, _, page) = judge
        .submit(
            "/new",
            &[
                ("category_id", &category_id),
                ("title", "x"),
                ("kind", "question"),
                ("jurisdictions", ""),
                ("body", "kept text"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("kept text") && page.contains("title"));

    // The admin replies through the form.
    let thread_id: i64 = thread_path.trim_start_matches("/t/").parse().unwrap();
    let (status, location, _) = admin
        .submit(
            &format!("/t/{thread_id}/reply"),
            &[
                ("body", "Yes: Article 8 of the Protocol."),
                ("reply_to", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with(&format!("/t/{thread_id}#post-")));
    let (_, page, _) = judge.get(&thread_path).await;
    assert!(page.contains("Article 8 of the Protocol"));

    // The judge edits her post; the history shows the diff.
    let post_id = {
        let doc = Html::parse_document(&page);
        let sel = Selector::parse("li.post").unwrap();
        doc.select(&sel)
            .next()
            .unwrap()
            .value()
            .attr("id")
            .unwrap()
            .trim_start_matches("post-")
            .to_owned()
    };
    let (status, _, _) = judge.get(&format!("/posts/{post_id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = judge
        .submit(
            &format!("/posts/{post_id}/edit"),
            &[
                ("body", "Is *tracking and tracing* required?"),
                ("edit_reason", "precision"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, history, _) = judge.get(&format!("/posts/{post_id}/revisions")).await;
    assert!(history.contains("precision"));
    assert_eq!(
        select_text(&history, ".diff ins").len(),
        2,
        "each revision's added line"
    );
    // Another member's post cannot be edited.
    let (status, _, _) = judge
        .submit(
            &format!("/posts/{}/edit", post_id.parse::<i64>().unwrap() + 1),
            &[("body", "hijack")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Home, category and profile pages list the thread.
    for path in ["/", "/c/tobacco", "/u/juge.martin"] {
        let (status, page, _) = judge.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(page.contains("Art. 15"), "{path}");
    }
    let (status, _, _) = judge.get("/t/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = judge.get("/admin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Signing out ends the session.
    let (status, location, _) = judge.submit("/logout", &[]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/login")
    );
    let (status, _, _) = judge.get("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stylesheet_is_embedded_and_cached() {
    let app = spawn(Backend::Sqlite).await;
    let path = views::assets::stylesheet_path();
    let r = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(r.text().await.unwrap().contains("margin-inline"));
    let r = app
        .client
        .get(format!("{}/assets/style.css", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_list_sessions_and_change_the_password() {
    let app = spawn(Backend::Sqlite).await;
    let api_login = app.admin().await;
    let browser = Browser::new(&app);
    browser
        .submit(
            "/login",
            &[("username", "admin"), ("password", PASSWORD), ("next", "/")],
        )
        .await;
    let (status, page, _) = browser.get("/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(select_text(&page, "li.session").len(), 2);
    assert_eq!(
        select_text(&page, "li.session strong").len(),
        1,
        "the current session is marked"
    );

    let (status, location, _) = browser
        .submit("/settings/sessions/revoke-others", &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/settings?done=others")
    );
    assert_eq!(
        app.get("/api/v1/me", &token(&api_login)).await.status,
        StatusCode::UNAUTHORIZED
    );

    let (status, _, page) = browser
        .submit(
            "/settings/password",
            &[
                ("current_password", "wrong password!"),
                ("new_password", "a new long passphrase"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("role=\"alert\""));
    let (status, location, _) = browser
        .submit(
            "/settings/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a new long passphrase"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/settings?done=password")
    );
    let (status, page, _) = browser.get("/settings?done=password").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the changing session stays signed in"
    );
    assert!(page.contains("Password changed"));
    app.login("admin", "a new long passphrase").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_enrols_a_second_factor_through_the_pages() {
    let app = spawn_with(Storage::new(Backend::Sqlite), |s| {
        s.second_factor = "staff".to_owned();
    })
    .await;
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || db.create_admin("admin", "admin@example.org", PASSWORD))
        .await
        .unwrap()
        .unwrap();
    let browser = Browser::new(&app);
    browser
        .submit(
            "/login",
            &[("username", "admin"), ("password", PASSWORD), ("next", "/")],
        )
        .await;
    // Without a second factor the admin cannot act, and is told why.
    let (status, _, page) = browser
        .submit("/admin/categories", &[("slug", "ip"), ("name", "IP")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(select_text(&page, "p.error")[0].contains("second factor"));

    let (_, page, _) = browser.get("/settings").await;
    assert_eq!(select_text(&page, "#totp-heading").len(), 1);
    let (status, _, page) = browser.submit("/settings/totp/begin", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg"), "a QR code is drawn inline");
    let secret = select_text(&page, "#totp-secret").remove(0);
    let totp = totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        totp_rs::Secret::Encoded(secret).to_bytes().unwrap(),
        None,
        String::new(),
    )
    .unwrap();
    let (status, _, page) = browser
        .submit("/settings/totp/confirm", &[("code", "123")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(select_text(&page, "#totp-error").len(), 1);
    let now = chrono::Utc::now().timestamp() as u64;
    let (status, _, page) = browser
        .submit("/settings/totp/confirm", &[("code", &totp.generate(now))])
        .await;
    assert_eq!(status, StatusCode::OK);
    let recovery = select_text(&page, "ul.recovery-codes li");
    assert_eq!(recovery.len(), 10);
    // This session now counts as verified.
    let (status, location, _) = browser
        .submit("/admin/categories", &[("slug", "ip"), ("name", "IP")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");

    // Signing in again asks for the code.
    let fresh = Browser::new(&app);
    let (status, _, page) = fresh
        .submit(
            "/login",
            &[("username", "admin"), ("password", PASSWORD), ("next", "/")],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(select_text(&page, "p.error").len(), 1);
    let (status, location, _) = fresh
        .submit(
            "/login",
            &[
                ("username", "admin"),
                ("password", PASSWORD),
                ("totp_code", &totp.generate(now + 30)),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!((status, location.as_str()), (StatusCode::SEE_OTHER, "/"));

    // The admin may require a second factor of every member.
    let api_admin = {
        let reply = app
            .post(
                "/api/v1/auth/login",
                None,
                serde_json::json!({"username": "admin", "password": PASSWORD, "totp_code": recovery[0]}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        token(&reply.body)
    };
    let member = token(&app.member(&api_admin, "amina").await);
    let category = app.get("/api/v1/categories", &member).await.body[0]["id"]
        .as_i64()
        .unwrap();
    let (_, page, _) = browser.get("/admin").await;
    assert_eq!(select_text(&page, "#security-heading").len(), 1);
    let (status, location, _) = browser
        .submit("/admin/security", &[("second_factor_everyone", "on")])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/admin?done=security")
    );
    let thread = serde_json::json!({"category_id": category, "title": "Ivory seizures", "body": "Where", "kind": "discussion"});
    let refused = app
        .post("/api/v1/threads", Some(&member), thread.clone())
        .await;
    assert_eq!(refused.body["error"]["code"], "second_factor_required");
    browser.submit("/admin/security", &[]).await;
    let allowed = app.post("/api/v1/threads", Some(&member), thread).await;
    assert_eq!(allowed.status, StatusCode::CREATED, "{}", allowed.body);
    // Sessions say where they were used from.
    let sessions = app.get("/api/v1/me/sessions", &member).await;
    assert_eq!(sessions.body[0]["last_ip"], "127.0.0.1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_helps_a_member_back_in_through_the_pages() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    app.member(&admin, "amina").await;
    let admin_browser = Browser::new(&app);
    admin_browser
        .submit(
            "/login",
            &[("username", "admin"), ("password", PASSWORD), ("next", "/")],
        )
        .await;
    let member_browser = Browser::new(&app);
    member_browser
        .submit(
            "/login",
            &[("username", "amina"), ("password", PASSWORD), ("next", "/")],
        )
        .await;
    // A member sees no admin tools on someone's profile.
    let (_, page, _) = member_browser.get("/u/admin").await;
    assert!(select_text(&page, "#admin-tools-heading").is_empty());

    let (_, page, _) = admin_browser.get("/u/amina").await;
    assert_eq!(select_text(&page, "#admin-tools-heading").len(), 1);
    let (status, location, _) = admin_browser.submit("/u/amina/end-sessions", &[]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/u/amina?done=sessions-ended")
    );
    let (status, _, _) = member_browser.get("/settings").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the member was signed out");

    let (status, _, page) = admin_browser.submit("/u/amina/reset-link", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let url = select_text(&page, "#reset-url").remove(0);
    let path = &url[url.find("/reset?").unwrap()..];
    let (status, page, _) = member_browser.get(path).await;
    assert_eq!(status, StatusCode::OK);
    let token = path.trim_start_matches("/reset?token=");
    let (status, _, page2) = member_browser
        .submit("/reset", &[("token", token), ("new_password", "short")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(select_text(&page2, "#reset-error").len(), 1);
    assert!(page.contains("new_password"));
    let (status, location, _) = member_browser
        .submit(
            "/reset",
            &[
                ("token", token),
                ("new_password", "a brand new passphrase here"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/login?done=reset")
    );
    let (_, page, _) = member_browser.get("/login?done=reset").await;
    assert_eq!(select_text(&page, "p.notice").len(), 1);
    let (status, _, _) = member_browser.get(path).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the link works once"
    );
}

pub(crate) async fn signed_in(app: &TestApp, username: &str) -> Browser {
    let browser = Browser::new(app);
    let (status, _, _) = browser
        .submit(
            "/login",
            &[
                ("username", username),
                ("password", PASSWORD),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{username} signs in");
    browser
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flag_is_raised_and_worked_through_plain_forms() {
    let app = spawn(Backend::Sqlite).await;
    let admin_token = token(&app.admin().await);
    app.member(&admin_token, "marie").await;
    let category = app.category(&admin_token, "medicines").await;
    let other = app.category(&admin_token, "tobacco").await;
    // Posted despite the phone number (the author gives a reason).
    let thread = app
        .post(
            "/api/v1/threads",
            Some(&admin_token),
            serde_json::json!({"category_id": category, "title": "Customs practice",
                "body": "Call +33 6 12 34 56 78", "kind": "discussion", "jurisdictions": ["FR"],
                "acknowledge_personal_data": {"reason": "a switchboard number"}}),
        )
        .await
        .body;
    let (id, post) = (
        thread["id"].as_i64().unwrap(),
        thread["first_post_id"].as_i64().unwrap(),
    );
    let member = signed_in(&app, "marie").await;
    let admin = signed_in(&app, "admin").await;

    // Members flag, on each post's flag page; only staff get the tools.
    let (_, page, _) = member.get(&format!("/t/{id}")).await;
    assert!(page.contains(&format!("href=\"/posts/{post}/flag\"")));
    assert!(
        !page.contains("/moderate\""),
        "no moderator tools for members"
    );
    let (status, form, _) = member.get(&format!("/posts/{post}/flag")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(&format!("action=\"/posts/{post}/flag\"")));
    assert!(
        form.contains("value=\"personal_data\"") && form.contains("+33 6 12 34 56 78"),
        "the reasons and the post flagged: {form}"
    );
    let (status, _, _) = member.get("/posts/987654/flag").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no flag page for a post one may not read"
    );
    let (status, location, _) = member
        .submit(
            &format!("/posts/{post}/flag"),
            &[("reason", "personal_data"), ("note", "A phone number")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = member.get(&location.replace("#", "&x=#")).await;
    assert!(
        page.contains("the moderators will look at it"),
        "{location}"
    );
    let (status, _, _) = member.get("/moderation").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Hiding is the moderators' own page, linked from each post.
    let (status, _, _) = member.get(&format!("/posts/{post}/moderate")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no hiding page for members");
    let (_, page, _) = admin.get(&format!("/t/{id}")).await;
    assert!(page.contains(&format!("href=\"/posts/{post}/moderate\"")));
    let (status, _, _) = admin.get("/posts/987654/moderate").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, form, _) = admin.get(&format!("/posts/{post}/moderate")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains(&format!("action=\"/posts/{post}/moderate\""))
            && form.contains("value=\"hide\"")
            && form.contains("+33 6 12 34 56 78"),
        "the post and its hide form: {form}"
    );
    let (status, _, _) = admin
        .submit(
            &format!("/posts/{post}/moderate"),
            &[("action", "hide"), ("reason", "")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required"
    );
    let (_, page, _) = member.get(&format!("/t/{id}")).await;
    assert!(page.contains("+33 6 12 34 56 78"), "still shown");

    let (status, queue, _) = admin.get("/moderation").await;
    assert_eq!(status, StatusCode::OK);
    assert!(queue.contains("Personal data") && queue.contains("A phone number"));
    let flag = select_text(&queue, ".flag-queue .thread-title")[0]
        .trim_start_matches('#')
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    admin
        .submit(&format!("/moderation/flags/{flag}/assign"), &[])
        .await;
    admin
        .submit(
            &format!("/moderation/flags/{flag}/note"),
            &[("body", "Same number as in case 42")],
        )
        .await;
    let (status, location, _) = admin
        .submit(
            &format!("/moderation/flags/{flag}/resolve"),
            &[("action", "hide_post"), ("note", "Personal data removed")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, case, _) = admin.get(&location).await;
    assert!(case.contains("Same number as in case 42") && case.contains("Resolved: Hide the post"));
    let (_, page, _) = member.get(&format!("/t/{id}")).await;
    assert!(!page.contains("+33 6 12 34 56 78"), "hidden from members");
    let (_, page, _) = admin.get(&format!("/t/{id}")).await;
    assert!(page.contains("+33 6 12 34 56 78") && page.contains("badge hidden-post"));
    let (_, form, _) = admin.get(&format!("/posts/{post}/moderate")).await;
    assert!(
        form.contains("value=\"restore\""),
        "a hidden post is restored there"
    );

    // Thread tools: a reason is required, then the move happens.
    let (status, _, _) = admin
        .submit(
            &format!("/t/{id}/moderate"),
            &[
                ("action", "move"),
                ("category_id", &other.to_string()),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = admin
        .submit(
            &format!("/t/{id}/moderate"),
            &[
                ("action", "move"),
                ("category_id", &other.to_string()),
                ("reason", "tobacco case"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The entries' actions (the filter's picker lists every action).
    let actions = |html: &str| select_text(html, "table.audit tbody td:nth-child(4)").join(" ");
    let (_, audit, _) = admin.get("/moderation/audit?action=thread.").await;
    assert!(actions(&audit).contains("thread.move") && audit.contains("tobacco case"));
    let (_, audit, _) = admin.get("/moderation/audit?actor=marie").await;
    let shown = actions(&audit);
    assert!(
        shown.contains("flag.create") && !shown.contains("thread.move"),
        "{shown}"
    );
    // The picker offers what the log holds, by family.
    assert!(audit.contains("<option value=\"thread.move\""), "{audit}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_runs_a_private_working_group_through_the_pages() {
    let app = spawn(Backend::Sqlite).await;
    let admin_token = token(&app.admin().await);
    app.member(&admin_token, "marie").await;
    app.member(&admin_token, "jean").await;
    let admin = signed_in(&app, "admin").await;
    let (status, _, _) = admin
        .submit("/admin/groups", &[("name", "Pangea case team")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = admin.get("/admin").await;
    assert!(page.contains("Pangea case team"));
    let group = app.get("/api/v1/groups", &admin_token).await.body[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let (status, _, _) = admin
        .submit(
            &format!("/admin/groups/{group}/members"),
            &[("username", "marie"), ("member", "add")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = admin
        .submit(
            &format!("/admin/groups/{group}/members"),
            &[("username", "nobody"), ("member", "add")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, location, _) = admin
        .submit(
            "/admin/categories",
            &[
                ("slug", "pangea"),
                ("name", "Operation Pangea"),
                ("description", ""),
                ("restricted_to_groups", &group),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let marie = signed_in(&app, "marie").await;
    let jean = signed_in(&app, "jean").await;
    let (_, home, _) = marie.get("/").await;
    assert!(home.contains("Operation Pangea"));
    let (_, home, _) = jean.get("/").await;
    assert!(!home.contains("Operation Pangea"));
    let (status, _, _) = jean.get("/c/pangea").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, audit, _) = admin.get("/moderation/audit?action=group.").await;
    assert!(audit.contains("group.create") && audit.contains("group.member_add"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_analysis_keeps_every_field_and_names_the_field_in_french() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "medicines").await;
    app.member(&admin, "marie").await;
    let browser = signed_in(&app, "marie").await;
    browser
        .submit("/language", &[("lang", "fr"), ("next", "/new")])
        .await;
    let category = category.to_string();
    // Two jurisdictions and a provision line without its country code: the
    // record is refused, naming the provisions field.
    let form = [
        ("category_id", category.as_str()),
        ("title", "Médicaments falsifiés : la vente en ligne"),
        ("kind", "analysis"),
        ("jurisdictions", "FR"),
        ("jurisdictions", "MA"),
        ("language", "fr"),
        (
            "summary",
            "La France réprime la vente en ligne de médicaments falsifiés.",
        ),
        ("instruments", "medicrime"),
        ("crime_areas", "falsified_medicines"),
        ("provisions", "Code de la santé publique, art. L5421-13"),
        ("cases", "Cour de cassation | 2019-03-12 | 18-80.123"),
        ("valid_as_of", "2024-01-01"),
        ("review_by", "2026-01-01"),
        ("body", "Le texte **complet** de l’analyse."),
    ];
    let (status, _, html) = browser.submit("/new", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let doc = Html::parse_document(&html);
    let one = |selector: &str| {
        let s = Selector::parse(selector).unwrap();
        doc.select(&s)
            .next()
            .unwrap_or_else(|| panic!("{selector} in {html}"))
    };
    // Every field keeps what was typed.
    assert_eq!(
        one("#title").value().attr("value"),
        Some("Médicaments falsifiés : la vente en ligne")
    );
    assert_eq!(
        one("#summary").text().collect::<String>(),
        "La France réprime la vente en ligne de médicaments falsifiés."
    );
    assert_eq!(
        one("#provisions").text().collect::<String>(),
        "Code de la santé publique, art. L5421-13"
    );
    assert_eq!(
        one("#cases").text().collect::<String>(),
        "Cour de cassation | 2019-03-12 | 18-80.123"
    );
    assert_eq!(
        one("#valid_as_of").value().attr("value"),
        Some("2024-01-01")
    );
    assert_eq!(one("#review_by").value().attr("value"), Some("2026-01-01"));
    assert_eq!(
        one("#body").text().collect::<String>(),
        "Le texte **complet** de l’analyse."
    );
    assert!(
        one("input[name=kind][value=analysis]")
            .value()
            .attr("checked")
            .is_some()
    );
    assert!(
        one("#jurisdictions option[value=FR]")
            .value()
            .attr("selected")
            .is_some()
    );
    assert!(
        one("#jurisdictions option[value=MA]")
            .value()
            .attr("selected")
            .is_some()
    );
    assert!(
        one("#instruments option[value=medicrime]")
            .value()
            .attr("selected")
            .is_some()
    );
    assert!(
        one("input[name=crime_areas][value=falsified_medicines]")
            .value()
            .attr("checked")
            .is_some()
    );
    // The message sits beside the provisions field, names it by its French
    // label, and the field points at it.
    let message = one("#provisions-error").text().collect::<String>();
    assert!(message.contains("Dispositions nationales"), "{message}");
    // ... and says why, in French too.
    assert!(message.contains("n’est pas reconnu"), "{message}");
    assert!(!message.contains("analysis."), "{message}");
    assert_eq!(
        one("#provisions").value().attr("aria-describedby"),
        Some("provisions-error")
    );
    assert_eq!(
        one("#provisions").value().attr("aria-invalid"),
        Some("true")
    );
    assert_eq!(
        Selector::parse(".field-error")
            .map(|s| doc.select(&s).count())
            .unwrap(),
        1,
        "one field is wrong"
    );

    // With one jurisdiction, a line without a code belongs to it.
    let mut fixed = form.to_vec();
    fixed.retain(|(k, v)| !(*k == "jurisdictions" && *v == "MA"));
    let (status, location, body) = browser.submit("/new", &fixed).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, page, _) = browser.get(&location).await;
    assert!(
        page.contains("Code de la santé publique, art. L5421-13"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_refused_by_a_lock_is_kept_as_a_draft() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "tobacco").await;
    let karim = token(&app.member(&admin, "karim").await);
    let thread = app
        .thread(&karim, category, "Protocol art. 8", "Tracking and tracing")
        .await["id"]
        .as_i64()
        .unwrap();
    let browser = signed_in(&app, "karim").await;
    // Locked after the page was loaded, before the reply was sent.
    app.post(
        &format!("/api/v1/threads/{thread}/lock"),
        Some(&admin),
        serde_json::json!({"reason": "cooling off"}),
    )
    .await;
    let (status, location, _) = browser
        .submit(
            &format!("/t/{thread}/reply"),
            &[("body", "Our customs log every carton."), ("reply_to", "")],
        )
        .await;
    // Post/redirect/get: a reload does not send it again.
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location.starts_with(&format!("/t/{thread}?refused=thread_locked")),
        "{location}"
    );
    let (_, html, _) = browser.get(&location).await;
    let doc = Html::parse_document(&html);
    let body = Selector::parse("#reply-body").unwrap();
    let textarea = doc.select(&body).next().expect("the draft is shown");
    assert_eq!(
        textarea.text().collect::<String>(),
        "Our customs log every carton."
    );
    assert!(textarea.value().attr("readonly").is_some());
    assert!(html.contains("saved as a draft"), "{html}");
    // Reopened: the draft is in an open composer.
    app.post(
        &format!("/api/v1/threads/{thread}/unlock"),
        Some(&admin),
        serde_json::json!({"reason": "open again"}),
    )
    .await;
    let (_, html, _) = browser.get(&format!("/t/{thread}")).await;
    let doc = Html::parse_document(&html);
    let textarea = doc.select(&body).next().unwrap();
    assert_eq!(
        textarea.text().collect::<String>(),
        "Our customs log every carton."
    );
    assert!(textarea.value().attr("readonly").is_none());
    // Posted: the draft is gone.
    let (status, _, _) = browser
        .submit(
            &format!("/t/{thread}/reply"),
            &[("body", "Our customs log every carton."), ("reply_to", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html, _) = browser.get(&format!("/t/{thread}")).await;
    let doc = Html::parse_document(&html);
    assert_eq!(
        doc.select(&body).next().unwrap().text().collect::<String>(),
        ""
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_manage_members_through_the_pages() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let marie = app.member(&admin, "marie").await;
    app.member(&admin, "lena").await;
    let marie_id = marie["user"]["id"].as_i64().unwrap().to_string();
    let moderator = app.member_from(&admin, "omar", "MA", "judge").await;
    let omar_id = moderator["user"]["id"].as_i64().unwrap();
    app.call(
        reqwest::Method::PATCH,
        &format!("/api/v1/users/{omar_id}"),
        Some(&admin),
        Some(serde_json::json!({"role": "moderator"})),
    )
    .await;
    let browser = signed_in(&app, "admin").await;
    let (status, html, _) = browser.get("/admin/members?country=MA").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("omar (MA)") && !html.contains("marie (FR)"),
        "{html}"
    );
    // The admin makes Marie a moderator; the list says so.
    let (status, location, _) = browser
        .submit(
            &format!("/admin/members/{marie_id}"),
            &[
                ("action", "role"),
                ("role", "moderator"),
                ("back", "q=marie"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location.starts_with("/admin/members?q=marie&member="),
        "{location}"
    );
    let (_, html, _) = browser.get(&location).await;
    assert!(html.contains("Role changed."), "{html}");
    assert_eq!(
        select_text(&html, ".member .badge.role-moderator").len(),
        1,
        "{html}"
    );
    // Demoting the only admin is refused, in words, beside the member.
    let admin_id = app.get("/api/v1/me", &admin).await.body["id"]
        .as_i64()
        .unwrap();
    let (status, location, _) = browser
        .submit(
            &format!("/admin/members/{admin_id}"),
            &[("action", "role"), ("role", "member"), ("back", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html, _) = browser.get(&location).await;
    assert!(html.contains("at least one admin"), "{html}");
    // A reset link is shown once, after the redirect.
    let (status, location, _) = browser
        .submit(
            &format!("/admin/members/{marie_id}"),
            &[("action", "reset"), ("back", "q=marie")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html, _) = browser.get(&location).await;
    let field = format!("id=\"reset-link-{marie_id}\"");
    assert!(
        html.contains(&field) && html.contains("/reset?token="),
        "{html}"
    );
    let (_, html, _) = browser.get(&location).await;
    assert!(!html.contains(&field), "the link is shown once");
    // Erasure needs the box ticked; then Lena is a former member.
    let lena_id = app.get("/api/v1/users?q=lena", &admin).await.body[0]["id"]
        .as_i64()
        .unwrap();
    let (_, html, _) = browser.get("/admin/members?q=lena").await;
    assert!(
        html.contains(&format!("id=\"erase-reason-{lena_id}\"")),
        "{html}"
    );
    let (status, _, html) = browser
        .submit(
            &format!("/admin/members/{lena_id}"),
            &[
                ("action", "erase"),
                ("reason", "her request of 1 December"),
                ("back", ""),
            ],
        )
        .await;
    // Refused beside the member, on the page itself.
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("erasure cannot be undone"), "{html}");
    let (status, location, _) = browser
        .submit(
            &format!("/admin/members/{lena_id}"),
            &[
                ("action", "erase"),
                ("reason", "her request of 1 December"),
                ("confirm", "yes"),
                ("back", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html, _) = browser.get(&location).await;
    assert!(html.contains("The member was erased."), "{html}");
    assert!(
        html.contains(&format!("Former member #{lena_id}")),
        "{html}"
    );
    assert!(
        !html.contains(&format!("id=\"erase-reason-{lena_id}\"")),
        "not twice"
    );
    // A pending invitation is listed and revoked.
    let (status, location, _) = browser
        .submit(
            "/admin/invitations",
            &[("email", "new@example.org"), ("role", "member")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html, _) = browser.get(&location).await;
    assert!(
        html.contains("new@example.org") && html.contains("invitation-link"),
        "{html}"
    );
    let pending = app.get("/api/v1/invitations", &admin).await;
    let id = pending.body[0]["id"].as_i64().unwrap();
    let (status, location, _) = browser
        .submit(&format!("/admin/invitations/{id}/revoke"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html, _) = browser.get(&location).await;
    assert!(!html.contains("new@example.org"), "{html}");
    // A refused invitation keeps what was typed.
    let (status, _, html) = browser
        .submit(
            "/admin/invitations",
            &[("email", "not-an-address"), ("role", "moderator")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("value=\"not-an-address\""), "{html}");
    assert!(
        html.contains("<option value=\"moderator\" selected>"),
        "{html}"
    );

    // A moderator sees no Admin link and no role choices.
    app.member(&admin, "nina").await;
    let omar = signed_in(&app, "omar").await;
    let (_, html, _) = omar.get("/admin/members").await;
    assert!(!html.contains("href=\"/admin\""), "{html}");
    assert!(!html.contains("name=\"action\" value=\"role\""), "{html}");
    assert!(html.contains("name=\"action\" value=\"suspend\""), "{html}");
    let (_, html, _) = omar.get("/admin").await;
    assert!(!html.contains("name=\"role\""), "{html}");
    assert!(html.contains("Invitations"), "{html}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_found_is_said_once_in_every_language() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    app.member(&admin, "marie").await;
    let browser = signed_in(&app, "marie").await;
    for (lang, none) in [
        ("fr", "Aucun résultat."),
        ("en", "Nothing matches."),
        ("es", "No hay resultados."),
        ("ar", "لا توجد نتائج."),
    ] {
        browser
            .submit("/language", &[("lang", lang), ("next", "/")])
            .await;
        let (status, html, _) = browser.get("/search?q=zzyzx+qwvx").await;
        assert_eq!(status, StatusCode::OK);
        let summary = select_text(&html, "#search-summary").join(" ");
        assert!(summary.starts_with(none), "{lang}: {summary}");
        assert!(
            !summary.chars().any(|c| c.is_ascii_digit()),
            "{lang}: a count beside 'nothing found': {summary}"
        );
        let main = select_text(&html, "main").join(" ");
        assert_eq!(main.matches(none).count(), 1, "{lang}: {main}");
    }
}

/// Whether `html` has an element matching `selector`.
fn has(html: &str, selector: &str) -> bool {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).next().is_some()
}

// The posts of a thread page and the rows of a thread list are rendered
// once and kept (per thread copy, language and the reader's tools): each
// reader still gets their own edit links and moderation forms, in their
// language, and a change shows on the very next page.
both_backends!(
    kept_html_gives_each_reader_their_own_tools_and_follows_changes,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let alice = token(&app.member(&admin, "alice").await);
        let bruno = token(&app.member(&admin, "bruno").await);
        app.member(&admin, "claire").await;
        let category = app.category(&admin, "cases").await;
        let thread = app
            .thread(&alice, category, "Falsified insulin", "Account by Alice")
            .await;
        let id = thread["id"].as_i64().unwrap();
        let alice_post = thread["first_post_id"].as_i64().unwrap();
        let reply = app
            .post(
                &format!("/api/v1/threads/{id}/posts"),
                Some(&bruno),
                serde_json::json!({"body": "Answer by Bruno"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let bruno_post = reply.body["id"].as_i64().unwrap();
        let path = format!("/t/{id}");
        let edit = |post: i64| format!("a[href=\"/posts/{post}/edit\"]");
        let hide = |post: i64| format!("a[href=\"/posts/{post}/moderate\"]");

        let a = signed_in(&app, "alice").await;
        let b = signed_in(&app, "bruno").await;
        // Claire reads in French and wrote nothing.
        let c_fr = signed_in(&app, "claire").await;
        c_fr.submit("/language", &[("lang", "fr"), ("next", "/")])
            .await;
        let m = signed_in(&app, "admin").await;
        app.settled().await;
        // Twice each: the second page is built from the kept posts.
        for _ in 0..2 {
            let (status, page, _) = a.get(&path).await;
            assert_eq!(status, StatusCode::OK);
            assert!(has(&page, &edit(alice_post)), "Alice edits her post");
            assert!(!has(&page, &edit(bruno_post)), "not Bruno's");
            assert!(!has(&page, &hide(alice_post)), "no moderation for Alice");
            assert_eq!(select_text(&page, ".post-flag")[0], "Flag");

            let (_, page, _) = b.get(&path).await;
            assert!(has(&page, &edit(bruno_post)), "Bruno edits his post");
            assert!(!has(&page, &edit(alice_post)), "not Alice's");

            let (_, page, _) = c_fr.get(&path).await;
            assert!(!has(&page, &edit(alice_post)) && !has(&page, &edit(bruno_post)));
            assert_eq!(select_text(&page, ".post-flag")[0], "Signaler");

            let (_, page, _) = m.get(&path).await;
            for post in [alice_post, bruno_post] {
                assert!(has(&page, &edit(post)), "staff edit every post");
                assert!(has(&page, &hide(post)), "and may hide it");
            }
        }

        // An edit shows on the next page of every reader.
        let edited = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/posts/{alice_post}"),
                Some(&alice),
                Some(serde_json::json!({"body": "Corrected account", "edit_reason": "typo"})),
            )
            .await;
        assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
        for reader in [&a, &b, &c_fr, &m] {
            let (_, page, _) = reader.get(&path).await;
            assert!(page.contains("Corrected account"));
            assert!(!page.contains("Account by Alice"));
        }

        // A hidden post leaves members' pages at once; staff see it marked.
        let hidden = app
            .post(
                &format!("/api/v1/posts/{bruno_post}/hide"),
                Some(&admin),
                serde_json::json!({"reason": "personal data"}),
            )
            .await;
        assert_eq!(hidden.status, StatusCode::NO_CONTENT, "{}", hidden.body);
        for reader in [&a, &b, &c_fr] {
            let (_, page, _) = reader.get(&path).await;
            assert!(!page.contains("Answer by Bruno"));
        }
        let (_, page, _) = m.get(&path).await;
        assert!(page.contains("Answer by Bruno"));
        assert_eq!(select_text(&page, ".badge.hidden-post"), ["Hidden"]);

        // A new thread heads the lists on the next page, in each language.
        app.settled().await;
        for _ in 0..2 {
            a.get("/").await;
            c_fr.get("/c/cases").await;
        }
        app.thread(&bruno, category, "Counterfeit pesticides", "Seized")
            .await;
        let (_, page, _) = a.get("/").await;
        assert_eq!(
            select_text(&page, ".thread-title")[0],
            "Counterfeit pesticides"
        );
        let (_, page, _) = c_fr.get("/c/cases").await;
        assert_eq!(
            select_text(&page, ".thread-title")[0],
            "Counterfeit pesticides"
        );
        assert!(page.contains("<html lang=\"fr\""));
        // The same list, kept once per language.
        let french = select_text(&page, ".thread-row .meta");
        assert!(french[0].contains("par"), "{french:?}");
        let (_, page, _) = a.get("/c/cases").await;
        let english = select_text(&page, ".thread-row .meta");
        assert!(english[0].contains(" by "), "{english:?}");
        assert!(!english[0].contains("par"), "{english:?}");
    }
);

impl Browser {
    /// Posts a multipart form with files, the way a browser without
    /// scripts sends a form with a file input.
    async fn submit_files(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, Vec<u8>)],
    ) -> (StatusCode, String, String) {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (name, bytes) in files {
            form = form.part(
                "files",
                reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.to_string()),
            );
        }
        // An empty file input is sent too.
        form = form.part(
            "files",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        );
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Origin", &self.base)
            .header("Sec-Fetch-Site", "same-origin")
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, location, r.text().await.unwrap())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_attached_through_plain_forms_without_scripts() {
    let app = spawn(Backend::Sqlite).await;
    let admin_token = token(&app.admin().await);
    let category = app.category(&admin_token, "medicines").await;
    app.member(&admin_token, "marie").await;
    let marie = signed_in(&app, "marie").await;
    let category = category.to_string();

    // A new thread with a file, from the plain form.
    let (status, location, body) = marie
        .submit_files(
            "/new",
            &[
                ("category_id", &category),
                ("title", "Falsified medicines: the Lyon judgment"),
                ("kind", "discussion"),
                ("jurisdictions", "FR"),
                ("body", "The judgment is attached."),
            ],
            &[(
                "jugement.pdf",
                crate::attachments::pdf(&["Jugement du tribunal"], "Greffe"),
            )],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, page, _) = marie.get(&location).await;
    assert!(page.contains(">jugement.pdf</a>"), "{page}");

    // A reply with a file whose content is not allowed: the form comes
    // back with the text kept and the reason, nothing is posted.
    let thread_id: i64 = location.trim_start_matches("/t/").parse().unwrap();
    let before = app.post_count().await;
    let (status, _, page) = marie
        .submit_files(
            &format!("/t/{thread_id}/reply"),
            &[("body", "And the appeal."), ("reply_to", "")],
            &[(
                "appeal.pdf",
                b"<html><script>alert(1)</script></html>".to_vec(),
            )],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("And the appeal."), "the text is kept");
    assert_eq!(app.post_count().await, before);

    // More files than a post may carry: refused before any is kept.
    let many: Vec<(&str, Vec<u8>)> = (0..11).map(|_| ("n.txt", b"note".to_vec())).collect();
    let (status, _, page) = marie
        .submit_files(
            &format!("/t/{thread_id}/reply"),
            &[("body", "Eleven notes."), ("reply_to", "")],
            &many,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("Eleven notes."));
    assert_eq!(app.post_count().await, before);

    // The same through the script's field of upload ids.
    let ids = (1..=11)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let (status, _, page) = marie
        .submit(
            &format!("/t/{thread_id}/reply"),
            &[
                ("body", "Eleven ids."),
                ("reply_to", ""),
                ("attachments", &ids),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert_eq!(app.post_count().await, before);

    // A reply with a text file: posted with it.
    let (status, location, _) = marie
        .submit_files(
            &format!("/t/{thread_id}/reply"),
            &[("body", "And the appeal."), ("reply_to", "")],
            &[(
                "appeal.txt",
                "Cour d'appel de Lyon, arrêt du 3 mars".as_bytes().to_vec(),
            )],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = marie.get(&location).await;
    assert!(page.contains(">appeal.txt</a>"), "{page}");

    // A moderator hides the file from the page, with a reason.
    let admin = signed_in(&app, "admin").await;
    let (_, page, _) = admin.get(&location).await;
    let action = select_attr(&page, "form[action$='/visibility']", "action");
    let (status, back, _) = admin
        .submit(
            &action,
            &[
                ("return", location.as_str()),
                ("hidden", "true"),
                ("reason", "personal data inside"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(back, location);
    let (_, page, _) = marie.get(&location).await;
    assert!(!page.contains(">appeal.txt</a>"), "hidden from members");
    let (_, page, _) = admin.get(&location).await;
    assert!(page.contains(">appeal.txt</a>"), "staff still see it");
}

/// Attribute `attr` of the last element `selector` matches.
fn select_attr(html: &str, selector: &str, attr: &str) -> String {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .next_back()
        .and_then(|e| e.value().attr(attr))
        .unwrap_or_else(|| panic!("no {selector} in the page"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_data_is_shown_pseudonymised_or_posted_anyway_through_plain_forms() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "cases").await;
    let karim = token(&app.member(&admin, "karim").await);
    let thread = app
        .thread(
            &karim,
            category,
            "Wiretaps",
            "Which evidence did the court accept?",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let browser = signed_in(&app, "karim").await;
    let text = "Mr John Smith called +44 20 7946 0958; later Mr John Smith denied it.";
    // Refused: the form comes back with the text and each span marked.
    let (status, _, html) = browser
        .submit(
            &format!("/t/{thread}/reply"),
            &[("body", text), ("reply_to", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let marked = select_text(&html, "#personal-data mark");
    assert_eq!(
        marked,
        vec!["John Smith", "+44 20 7946 0958", "John Smith"],
        "{html}"
    );
    assert!(html.contains("name of a person") && html.contains("phone number"));
    assert_eq!(app.post_count().await, 1, "nothing stored");
    // Pseudonymised: consistent within the post, and not posted yet.
    let (status, _, html) = browser
        .submit(
            &format!("/t/{thread}/reply"),
            &[("body", text), ("reply_to", ""), ("pseudonymise", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = select_text(&html, "#reply-body");
    assert_eq!(
        body,
        vec!["Mr [Person A] called [Phone 1]; later Mr [Person A] denied it."]
    );
    assert_eq!(app.post_count().await, 1);
    // The pseudonymised text posts as it is.
    let (status, _, _) = browser
        .submit(
            &format!("/t/{thread}/reply"),
            &[("body", &body[0]), ("reply_to", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Or posted anyway with a reason.
    let (status, _, _) = browser
        .submit(
            &format!("/t/{thread}/reply"),
            &[
                ("body", text),
                ("reply_to", ""),
                ("acknowledge_reason", "Names from the public judgment"),
                ("post_anyway", "1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.post_count().await, 3);
    let flags = app.get("/api/v1/moderation/flags", &admin).await;
    assert!(
        flags.body.to_string().contains("personal_data"),
        "{}",
        flags.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expert_profile_a_routed_question_and_its_acceptance_through_plain_forms() {
    let app = spawn(Backend::Sqlite).await;
    let admin_token = token(&app.admin().await);
    let cases = app.category(&admin_token, "cases").await;
    let expert_login = app
        .member_from(&admin_token, "ma_expert", "MA", "customs")
        .await;
    app.member_from(&admin_token, "es_asker", "ES", "prosecutor")
        .await;
    let expert = signed_in(&app, "ma_expert").await;

    // The profile form: a bad language comes back with the error and
    // changes nothing; a good one is saved.
    let (status, _, body) = expert
        .submit(
            "/settings/profile",
            &[
                ("organisation", "Douanes"),
                ("languages", "fr, french"),
                ("crime_areas", "smuggling"),
                ("directory_visibility", "members"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"profile-error\""), "the error is shown");
    let me = app.get("/api/v1/me/profile", &token(&expert_login)).await;
    assert_eq!(me.body["organisation"], "", "nothing saved: {}", me.body);
    let (status, location, _) = expert
        .submit(
            "/settings/profile",
            &[
                ("organisation", "Administration des douanes"),
                ("languages", "fr, ar"),
                ("expertise_jurisdictions", "M49-015"),
                ("crime_areas", "smuggling"),
                ("crime_areas", "illicit_tobacco"),
                ("instruments", "fctc-protocol"),
                ("bio", "Customs law."),
                ("directory_visibility", "members"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/settings?done=profile#profile");
    let me = app.get("/api/v1/me/profile", &token(&expert_login)).await;
    assert_eq!(me.body["languages"], serde_json::json!(["ar", "fr"]));
    assert_eq!(
        me.body["crime_areas"],
        serde_json::json!(["illicit_tobacco", "smuggling"])
    );

    // The asker finds the expert, is offered them for a Moroccan question
    // and sends it; the expert answers, the asker accepts.
    let asker = signed_in(&app, "es_asker").await;
    let (status, page, _) = asker.get("/experts?jurisdiction=MA&language=ar").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/u/ma_expert"), "listed");
    let (status, page, _) = asker
        .get(&format!(
            "/questions/new?category_id={cases}&jurisdictions=MA&crime_areas=smuggling"
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let expert_id = expert_login["user"]["id"].as_i64().unwrap().to_string();
    assert!(
        page.contains(&format!("name=\"experts\" value=\"{expert_id}\" checked")),
        "proposed and checked"
    );
    let category = cases.to_string();
    let (status, location, body) = asker
        .submit(
            "/questions/new",
            &[
                ("category_id", &category),
                ("jurisdictions", "MA"),
                ("crime_areas", "smuggling"),
                ("experts", &expert_id),
                ("title", "Transit of cigarettes through Tanger Med"),
                ("body", "Which offence applies?"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let thread = location.trim_start_matches("/t/").to_owned();
    let (_, page, _) = expert.get("/inbox").await;
    assert!(
        page.contains("asks for your expertise"),
        "the expert is told"
    );
    let (status, _, _) = expert
        .submit(
            &format!("/t/{thread}/reply"),
            &[("body", "Article 282 of the Customs Code.")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = asker.get(&format!("/t/{thread}")).await;
    assert!(page.contains("question-answered"), "answered");
    let answer = select_text(&page, "#accept-post option")
        .first()
        .cloned()
        .expect("a reply to accept");
    let answer_id = answer
        .trim_start_matches('#')
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let (status, location, _) = asker
        .submit(&format!("/t/{thread}/accept"), &[("post_id", &answer_id)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, format!("/t/{thread}#post-{answer_id}"));
    let (_, page, _) = asker.get(&format!("/t/{thread}")).await;
    assert!(page.contains("question-accepted"), "accepted");
    let (_, page, _) = asker.get("/u/ma_expert").await;
    assert!(page.contains("1 answer accepted"), "counted on the profile");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_colloquium_is_organised_concluded_and_endorsed_through_plain_forms() {
    let app = spawn(Backend::Sqlite).await;
    let admin_token = token(&app.admin().await);
    let open = app.category(&admin_token, "analyses").await;
    app.member_from(&admin_token, "fr_judge", "FR", "judge")
        .await;
    let admin = signed_in(&app, "admin").await;
    let open = open.to_string();
    let now = chrono::Utc::now();
    let opens = (now - chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let closes = (now + chrono::Duration::days(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();

    // A refused form comes back with the error and what was typed.
    let (status, _, page) = admin
        .submit(
            "/colloquia",
            &[
                ("title", "Online sales of falsified medicines"),
                ("agenda", "1. Jurisdiction"),
                ("opens_at", &closes),
                ("closes_at", &opens),
                ("participants", "fr_judge"),
                ("publish_category_id", &open),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"colloquium-error\""),
        "the error is shown"
    );
    assert!(page.contains("value=\"Online sales of falsified medicines\""));
    let (status, _, page) = admin
        .submit(
            "/colloquia",
            &[
                ("title", "Online sales of falsified medicines"),
                ("agenda", "1. Jurisdiction"),
                ("opens_at", &opens),
                ("closes_at", &closes),
                ("participants", "fr_judge, nobody_here"),
                ("publish_category_id", &open),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("nobody_here"), "names the unknown member");
    assert_eq!(
        app.get("/api/v1/colloquia", &admin_token).await.body,
        serde_json::json!([])
    );

    let (status, location, _) = admin
        .submit(
            "/colloquia",
            &[
                ("title", "Online sales of falsified medicines"),
                ("agenda", "1. Jurisdiction\n2. Evidence"),
                ("opens_at", &opens),
                ("closes_at", &closes),
                ("participants", "fr_judge"),
                ("publish_category_id", &open),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/colloquia/"), "{location}");
    let (status, page, _) = admin.get(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(has(&page, "section[aria-labelledby=agenda-heading] li"));
    assert!(page.contains("fr_judge (FR)"), "participants listed");

    // Conclusions: a version, published; the judge endorses it.
    let (status, _, _) = admin
        .submit(
            &format!("{location}/conclusions"),
            &[
                ("body", "Courts reach sites aimed at their market."),
                ("note", "first"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = admin.submit(&format!("{location}/publish"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let judge = signed_in(&app, "fr_judge").await;
    let (status, _, _) = judge.submit(&format!("{location}/endorse"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = judge.get(&location).await;
    assert!(page.contains("Courts reach sites aimed at their market."));
    assert!(page.contains("endorsed by 1 participant"), "{page}");
    assert!(page.contains("You endorse version 1."));
    assert!(
        !page.contains("conclusions-body"),
        "no organiser form for members"
    );
    let discussion = app.get("/api/v1/colloquia", &admin_token).await.body[0]["thread_id"].clone();
    assert!(
        page.contains(&format!("href=\"/t/{discussion}\"")),
        "participants open the discussion"
    );
    app.member_from(&admin_token, "es_outsider", "ES", "prosecutor")
        .await;
    let outsider = signed_in(&app, "es_outsider").await;
    let (status, page, _) = outsider.get(&location).await;
    assert_eq!(status, StatusCode::OK, "every member sees the colloquium");
    assert!(
        !page.contains(&format!("href=\"/t/{discussion}\"")),
        "not its discussion"
    );
    // A member may not write the conclusions (refused, kept out).
    let (status, _, _) = judge
        .submit(&format!("{location}/conclusions"), &[("body", "mine")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // An outside expert's invitation link is shown once.
    let (status, back, _) = admin
        .submit(
            &format!("{location}/guests"),
            &[("email", "expert@who.example")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(back, location);
    let (_, page, _) = admin.get(&location).await;
    assert!(has(&page, "code.invitation-link"), "the link is shown");
    let (_, page, _) = admin.get(&location).await;
    assert!(!has(&page, "code.invitation-link"), "once");

    // The calendar entry.
    let (status, ics, headers) = judge.get(&format!("{location}/calendar.ics")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert!(
        ics.contains("SUMMARY:Online sales of falsified medicines"),
        "{ics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_advice_request_is_filed_worked_and_published_through_plain_forms() {
    let app = spawn(Backend::Sqlite).await;
    let admin_token = token(&app.admin().await);
    let category = app.category(&admin_token, "cases").await.to_string();
    let counsel_login = app
        .member_from(&admin_token, "lo_counsel", "FR", "prosecutor")
        .await;
    app.member_from(&admin_token, "ma_officer", "MA", "customs")
        .await;
    let office = app
        .post(
            "/api/v1/groups",
            Some(&admin_token),
            serde_json::json!({"name": "Legal office"}),
        )
        .await
        .body["id"]
        .clone();
    app.post(
        &format!("/api/v1/groups/{office}/members"),
        Some(&admin_token),
        serde_json::json!({"user_id": counsel_login["user"]["id"]}),
    )
    .await;
    let officer = signed_in(&app, "ma_officer").await;
    let counsel = signed_in(&app, "lo_counsel").await;

    // Filed through the form; a refusal keeps what was typed.
    let (status, _, page) = officer
        .submit(
            "/advice",
            &[
                ("category_id", category.as_str()),
                ("title", "x"),
                ("body", "The seized parcel."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"advice-error\""));
    assert!(page.contains("The seized parcel."));
    let (status, location, _) = officer
        .submit(
            "/advice",
            &[
                ("category_id", category.as_str()),
                ("title", "Which offence for a seized parcel?"),
                ("body", "The seized parcel of falsified cigarettes."),
                ("jurisdictions", "MA"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/advice/"), "{location}");
    let id = location.trim_start_matches("/advice/").to_owned();

    // The office: assign with a due date, a private note, the advice, close.
    let (status, _, _) = counsel
        .submit(
            &format!("{location}/assign"),
            &[
                ("assignee_id", &counsel_login["user"]["id"].to_string()),
                ("due_at", "2030-01-31"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = counsel
        .submit(
            &format!("{location}/notes"),
            &[("body", "Ask customs for the invoice.")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = counsel.get(&location).await;
    assert!(page.contains("Ask customs for the invoice."));
    assert!(
        page.contains("datetime=\"2030-01-31T23:59:00Z\""),
        "the due date"
    );
    let (_, page, _) = officer.get(&location).await;
    assert!(
        !page.contains("Ask customs for the invoice."),
        "notes stay in the office"
    );
    assert!(
        !page.contains("advice-note"),
        "no office forms for the requester"
    );
    let (status, _, _) = counsel
        .submit(
            &format!("{location}/advice"),
            &[("body", "Article 14 of the Protocol applies.")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = officer
        .submit(&format!("{location}/consent"), &[("consent", "true")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = counsel.submit(&format!("{location}/close"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page, _) = counsel.get(&location).await;
    assert!(
        page.contains(&format!("/new?kind=analysis&amp;advice={id}")),
        "offers the publication"
    );

    // The anonymised analysis, through the new-thread form.
    let (status, page, _) = counsel
        .get(&format!("/new?kind=analysis&advice={id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("name=\"advice\" value=\"{id}\"")));
    let (status, published, body) = counsel
        .submit(
            "/new",
            &[
                ("advice", id.as_str()),
                ("category_id", category.as_str()),
                (
                    "title",
                    "Online sales of falsified cigarettes under the Protocol",
                ),
                ("kind", "analysis"),
                ("jurisdictions", "MA"),
                ("language", "en"),
                (
                    "summary",
                    "Online sales of falsified cigarettes are illicit trade.",
                ),
                ("instruments", "fctc-protocol"),
                ("crime_areas", "illicit_tobacco"),
                ("provisions", "MA | Code des douanes, art. 281"),
                ("valid_as_of", "2026-01-01"),
                ("review_by", "2028-01-01"),
                (
                    "body",
                    "An administration asked which offence applies; Article 14.",
                ),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert!(published.starts_with("/t/"), "{published}");
    let request = app
        .get(&format!("/api/v1/advice/{id}"), &token(&counsel_login))
        .await;
    assert_eq!(
        format!("/t/{}", request.body["published_thread_id"]),
        published
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dialogue_is_compiled_through_plain_forms() {
    let app = spawn(Backend::Sqlite).await;
    let admin_token = token(&app.admin().await);
    let category = app.category(&admin_token, "analyses").await;
    let analysis = app
        .post(
            "/api/v1/threads",
            Some(&admin_token),
            serde_json::json!({"category_id": category, "title": "Smuggling in Morocco", "kind": "analysis",
                "jurisdictions": ["MA"], "body": "The analysis.",
                "analysis": {"summary": "Smuggling is punished.", "language": "en", "instruments": ["fctc-protocol"],
                    "crime_areas": ["smuggling"], "legal_provisions": [{"jurisdiction": "MA", "text": "Code des douanes"}],
                    "case_citations": [], "valid_as_of": "2026-01-01", "review_by": "2030-01-01"}}),
        )
        .await;
    assert_eq!(analysis.status, StatusCode::CREATED, "{}", analysis.body);
    let analysis = analysis.body["id"].to_string();
    let admin = signed_in(&app, "admin").await;
    let (_, page, _) = admin.get("/dialogues").await;
    assert!(
        page.contains(&format!("name=\"thread_ids\" value=\"{analysis}\"")),
        "the analysis is offered"
    );
    let (status, _, page) = admin
        .submit(
            "/dialogues",
            &[
                ("title", "Country dialogue: Morocco 2026"),
                ("jurisdictions", "MA"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"dialogue-error\""));
    assert!(
        page.contains("value=\"Country dialogue: Morocco 2026\""),
        "kept"
    );
    let (status, location, _) = admin
        .submit(
            "/dialogues",
            &[
                ("title", "Country dialogue: Morocco 2026"),
                ("jurisdictions", "MA"),
                ("intro", "Foreword."),
                ("thread_ids", &analysis),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page, _) = admin.get(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(has(&page, "nav.contents li a[href='#chapter-1']"));
    assert!(page.contains("Code des douanes"));
    let (status, pdf, headers) = admin.get(&format!("{location}/pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(pdf.starts_with("%PDF"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_give_feed_links_that_can_be_revoked_and_ones_own_data() {
    let app = spawn(Backend::Sqlite).await;
    let admin_token = token(&app.admin().await);
    app.category(&admin_token, "cases").await;
    app.member_from(&admin_token, "fr_judge", "FR", "judge")
        .await;
    let member = signed_in(&app, "fr_judge").await;
    let (_, page, _) = member.get("/settings").await;
    let link = select_attr(&page, "ul.feed-links a.feed-link", "href");
    assert!(link.ends_with("/category/cases.atom"), "{link}");
    let plain = reqwest::get(&link).await.unwrap();
    assert_eq!(
        plain.status(),
        StatusCode::OK,
        "a feed reader needs no session"
    );
    let (status, location, _) = member.submit("/settings/feeds/revoke", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/settings?done=feeds#feeds");
    assert_eq!(
        reqwest::get(&link).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    let (_, page, _) = member.get("/settings").await;
    let fresh = select_attr(&page, "ul.feed-links a.feed-link", "href");
    assert_ne!(fresh, link);
    assert_eq!(reqwest::get(&fresh).await.unwrap().status(), StatusCode::OK);
    // The data download works from the page's session.
    let (status, _, headers) = member.get("/api/v1/me/export").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/zip");
}
