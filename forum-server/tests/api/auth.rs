//! Invitations, login, tokens, sessions and CSRF.

use std::time::Duration;

use base64::Engine;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

fn b64(value: &serde_json::Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}

fn claims_of(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

fn sign(claims: &serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

both_backends!(invitation_is_single_use_and_expires, |backend| async move {
    let app = spawn_with(Storage::new(backend), |s| s.invitation_ttl_secs = 2).await;
    let admin = token(&app.admin().await);
    let invite = |email: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            app.post("/api/v1/invitations", Some(&admin), json!({"email": email}))
                .await
        }
    };
    let first = invite("one@example.org").await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert!(
        first.body["url"]
            .as_str()
            .unwrap()
            .contains("/register?token=")
    );
    let register = |token: serde_json::Value, name: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/register",
                None,
                json!({"invitation_token": token, "username": name, "display_name": name,
                       "password": PASSWORD, "country": "ma", "profession": "judge"}),
            )
            .await
        }
    };
    let ok = register(first.body["token"].clone(), "amina").await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.body["user"]["country"], "MA");
    let again = register(first.body["token"].clone(), "amina2").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.body["error"]["code"], "invitation_used");

    let expiring = invite("two@example.org").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let late = register(expiring.body["token"].clone(), "late").await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late.body["error"]["code"], "invitation_expired");
    let bogus = register(json!("not-a-token"), "bogus").await;
    assert_eq!(bogus.body["error"]["code"], "invitation_invalid");
    let denied = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "late", "password": PASSWORD}),
        )
        .await;
    assert_eq!(denied.status, StatusCode::UNAUTHORIZED);

    // Members cannot invite.
    let member = token(&app.login("amina", PASSWORD).await);
    let refused = app
        .post(
            "/api/v1/invitations",
            Some(&member),
            json!({"email": "x@example.org"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
});

both_backends!(registration_validates_every_field, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let invitation = app
        .post(
            "/api/v1/invitations",
            Some(&admin),
            json!({"email": "v@example.org"}),
        )
        .await;
    let base = json!({"invitation_token": invitation.body["token"], "username": "valid.name",
        "display_name": "Valid", "password": PASSWORD, "country": "ES", "profession": "customs"});
    for (field, bad) in [
        ("username", json!("x")),
        ("password", json!("short")),
        ("password", json!("password1234")),
        ("password", json!("valid.name-2026")),
        ("country", json!("Spain")),
        ("profession", json!("astronaut")),
        ("display_name", json!("")),
    ] {
        let mut body = base.clone();
        body[field] = bad;
        let reply = app.post("/api/v1/auth/register", None, body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            reply.body
        );
        assert_eq!(reply.body["error"]["field"], field);
    }
    // None of those used the invitation up.
    let ok = app.post("/api/v1/auth/register", None, base).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    // The username is taken now.
    let second = app
        .post(
            "/api/v1/invitations",
            Some(&admin),
            json!({"email": "w@example.org"}),
        )
        .await;
    let dup = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"invitation_token": second.body["token"], "username": "VALID.name",
                   "display_name": "Other", "password": PASSWORD, "country": "ES", "profession": "customs"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.body["error"]["code"], "username_taken");
});

both_backends!(login_failures_are_indistinguishable, |backend| async move {
    let app = spawn(backend).await;
    app.admin().await;
    let wrong_password = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "admin", "password": "not the password"}),
        )
        .await;
    let unknown_user = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"username": "nobody", "password": "not the password"}),
        )
        .await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_user.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_password.body, unknown_user.body);
    assert!(wrong_password.headers.get("set-cookie").is_none());
});

both_backends!(
    refresh_rotates_and_reuse_revokes_the_session,
    |backend| async move {
        let app = spawn(backend).await;
        let login = app.admin().await;
        let first_refresh = login["refresh_token"].clone();
        let rotated = app
            .post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": first_refresh}),
            )
            .await;
        assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
        let second_refresh = rotated.body["refresh_token"].clone();
        assert_ne!(second_refresh, first_refresh);
        let new_access = token(&rotated.body);
        assert_eq!(
            app.get("/api/v1/me", &new_access).await.status,
            StatusCode::OK
        );

        // Replaying the used token revokes the whole family.
        let replay = app
            .post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": first_refresh}),
            )
            .await;
        assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
        let after = app
            .post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": second_refresh}),
            )
            .await;
        assert_eq!(
            after.status,
            StatusCode::UNAUTHORIZED,
            "the rotated token died with its family"
        );
        assert_eq!(
            app.get("/api/v1/me", &new_access).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            app.get("/api/v1/me", &token(&login)).await.status,
            StatusCode::UNAUTHORIZED
        );

        // A separate login is a separate session, untouched.
        let other = app.login("admin", PASSWORD).await;
        assert_eq!(
            app.get("/api/v1/me", &token(&other)).await.status,
            StatusCode::OK
        );
    }
);

both_backends!(logout_revokes_the_session, |backend| async move {
    let app = spawn(backend).await;
    let login = app.admin().await;
    let access = token(&login);
    let me = app.get("/api/v1/me", &access).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["role"], "admin");
    let out = app
        .call(Method::POST, "/api/v1/auth/logout", Some(&access), None)
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", &access).await.status,
        StatusCode::UNAUTHORIZED
    );
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": login["refresh_token"]}),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
});

both_backends!(bad_tokens_are_refused, |backend| async move {
    let app = spawn(backend).await;
    let login = app.admin().await;
    let good = token(&login);
    let claims = claims_of(&good);
    assert_eq!(
        app.get("/api/v1/me", &sign(&claims, JWT_SECRET))
            .await
            .status,
        StatusCode::OK
    );

    let now = chrono::Utc::now().timestamp();
    let mut expired = claims.clone();
    expired["iat"] = json!(now - 3600);
    expired["exp"] = json!(now - 60);
    let mut wrong_audience = claims.clone();
    wrong_audience["aud"] = json!("someone-else");
    let mut wrong_issuer = claims.clone();
    wrong_issuer["iss"] = json!("someone-else");
    let mut no_audience = claims.clone();
    no_audience.as_object_mut().unwrap().remove("aud");
    let mut refresh_type = claims.clone();
    refresh_type["typ"] = json!("refresh");
    let forged = sign(&claims, "a-different-secret-a-different-secret-0000");
    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&claims)
    );
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap();
    for (what, bad) in [
        ("expired", sign(&expired, JWT_SECRET)),
        ("wrong audience", sign(&wrong_audience, JWT_SECRET)),
        ("wrong issuer", sign(&wrong_issuer, JWT_SECRET)),
        ("missing audience", sign(&no_audience, JWT_SECRET)),
        ("wrong token type", sign(&refresh_type, JWT_SECRET)),
        ("forged", forged),
        ("alg none", alg_none),
        ("other algorithm", hs512),
        ("garbage", "not.a.token".to_owned()),
        ("RS256 header (algorithm confusion)", {
            let signed = sign(&claims, JWT_SECRET);
            let rest = signed.split_once('.').unwrap().1;
            format!("{}.{rest}", b64(&json!({"alg": "RS256", "typ": "JWT"})))
        }),
        (
            "refresh token as access token",
            login["refresh_token"].as_str().unwrap().to_owned(),
        ),
    ] {
        let reply = app.get("/api/v1/me", &bad).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(reply.body["error"]["code"], "unauthenticated", "{what}");
    }
});

both_backends!(
    cross_site_cookie_requests_are_refused,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "tobacco").await;
        let thread = app
            .thread(&admin, category, "Protocol art. 8", "Tracking and tracing")
            .await;
        let thread_id = thread["id"].as_i64().unwrap();
        let before = app.post_count().await;

        // A browser session: log in through the form, keep the cookies.
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let login = browser
            .post(format!("{}/login", app.address))
            .header("Origin", &app.address)
            .form(&[("username", "admin"), ("password", PASSWORD), ("next", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), StatusCode::SEE_OTHER);
        let cookies: Vec<_> = login
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert!(
            cookies
                .iter()
                .all(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax")),
            "{cookies:?}"
        );

        let url = format!("{}/t/{thread_id}/reply", app.address);
        for (header, value) in [
            ("Origin", "https://evil.example"),
            ("Sec-Fetch-Site", "cross-site"),
            ("Origin", "null"),
        ] {
            let reply = browser
                .post(&url)
                .header(header, value)
                .form(&[("body", "forged reply")])
                .send()
                .await
                .unwrap();
            assert_eq!(reply.status(), StatusCode::FORBIDDEN, "{header}: {value}");
        }
        let api = browser
            .post(format!("{}/api/v1/threads/{thread_id}/posts", app.address))
            .header("Origin", "https://evil.example")
            .json(&json!({"body": "forged"}))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.post_count().await, before, "nothing was stored");

        let same_site = browser
            .post(&url)
            .header("Origin", &app.address)
            .header("Sec-Fetch-Site", "same-origin")
            .form(&[("body", "a genuine reply")])
            .send()
            .await
            .unwrap();
        assert_eq!(same_site.status(), StatusCode::SEE_OTHER);
        assert_eq!(app.post_count().await, before + 1);

        // GET never changes state: logging out needs a POST.
        let get_logout = browser
            .get(format!("{}/logout", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(get_logout.status(), StatusCode::NOT_FOUND);
        let page = browser
            .get(format!("{}/t/{thread_id}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
    }
);

both_backends!(
    expired_access_cookie_is_refreshed_transparently,
    |backend| async move {
        let app = spawn(backend).await;
        app.admin().await;
        let login = app.login("admin", PASSWORD).await;
        // A browser holding only the refresh cookie (the access cookie expired).
        let response = app
            .client
            .get(format!("{}/", app.address))
            .header(
                "Cookie",
                format!(
                    "comity_refresh={}",
                    login["refresh_token"].as_str().unwrap()
                ),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let set: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert!(
            set.iter().any(|c| c.starts_with("comity_access=")),
            "{set:?}"
        );
        assert!(
            set.iter().any(|c| c.starts_with("comity_refresh=")),
            "{set:?}"
        );
        // A parallel request of the same browser with the same, now used,
        // refresh cookie is turned away without ending the session.
        let parallel = app
            .client
            .get(format!("{}/", app.address))
            .header(
                "Cookie",
                format!(
                    "comity_refresh={}",
                    login["refresh_token"].as_str().unwrap()
                ),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(parallel.status(), StatusCode::SEE_OTHER);
        assert!(
            parallel.headers().get("set-cookie").is_none(),
            "the parallel response must not clear the cookies the first one set"
        );
        let fresh_refresh = set
            .iter()
            .find_map(|c| c.strip_prefix("comity_refresh="))
            .and_then(|c| c.split(';').next())
            .unwrap()
            .to_owned();
        let next = app
            .client
            .get(format!("{}/", app.address))
            .header("Cookie", format!("comity_refresh={fresh_refresh}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            next.status(),
            StatusCode::OK,
            "the session survived the parallel request"
        );
        // Through the API the old refresh token is a replay: refused, and it
        // ends the session.
        let replay = app
            .post(
                "/api/v1/auth/refresh",
                None,
                json!({"refresh_token": login["refresh_token"]}),
            )
            .await;
        assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    }
);

both_backends!(members_list_and_end_their_sessions, |backend| async move {
    let app = spawn(backend).await;
    let first = app.admin().await;
    let second = app.login("admin", PASSWORD).await;
    let third = app.login("admin", PASSWORD).await;
    let (t1, t2, t3) = (token(&first), token(&second), token(&third));

    let list = app.get("/api/v1/me/sessions", &t1).await;
    assert_eq!(list.status, StatusCode::OK);
    let sessions = list.body.as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    let second_id = claims_of(&t2)["sid"].as_i64().unwrap();

    // End one session: its tokens stop working at once.
    let ended = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{second_id}"),
            Some(&t1),
            None,
        )
        .await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", &t2).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{second_id}"),
            Some(&t1),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // Someone else's session is not found, not forbidden.
    let member = app.member(&t1, "other.member").await;
    let member_sid = claims_of(&token(&member))["sid"].as_i64().unwrap();
    let foreign = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{member_sid}"),
            Some(&t1),
            None,
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/me", &token(&member)).await.status,
        StatusCode::OK
    );

    // End all others: only the caller's session survives.
    let others = app
        .call(Method::DELETE, "/api/v1/me/sessions", Some(&t1), None)
        .await;
    assert_eq!(others.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", &t3).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/v1/me", &t1).await.status, StatusCode::OK);
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({"refresh_token": third["refresh_token"]}),
        )
        .await;
    assert_eq!(refresh.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/v1/me/sessions", &t1)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
});

both_backends!(
    a_password_change_ends_every_other_session,
    |backend| async move {
        let app = spawn(backend).await;
        let here = token(&app.admin().await);
        let elsewhere = token(&app.login("admin", PASSWORD).await);
        let new_password = "another long passphrase";

        let wrong = app
            .post(
                "/api/v1/me/password",
                Some(&here),
                json!({"current_password": "not it at all", "new_password": new_password}),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(wrong.body["error"]["code"], "wrong_password");
        assert_eq!(wrong.body["error"]["field"], "current_password");
        let short = app
            .post(
                "/api/v1/me/password",
                Some(&here),
                json!({"current_password": PASSWORD, "new_password": "short"}),
            )
            .await;
        assert_eq!(short.body["error"]["field"], "new_password");
        let weak = app
            .post(
                "/api/v1/me/password",
                Some(&here),
                json!({"current_password": PASSWORD, "new_password": "qwertyuiop12"}),
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(weak.body["error"]["code"], "weak_password");
        assert_eq!(weak.body["error"]["field"], "new_password");
        assert_eq!(
            app.get("/api/v1/me", &elsewhere).await.status,
            StatusCode::OK,
            "failed attempts change nothing"
        );

        let changed = app
            .post(
                "/api/v1/me/password",
                Some(&here),
                json!({"current_password": PASSWORD, "new_password": new_password}),
            )
            .await;
        assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}", changed.body);
        assert_eq!(app.get("/api/v1/me", &here).await.status, StatusCode::OK);
        assert_eq!(
            app.get("/api/v1/me", &elsewhere).await.status,
            StatusCode::UNAUTHORIZED
        );
        let old = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "admin", "password": PASSWORD}),
            )
            .await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED);
        app.login("admin", new_password).await;
    }
);

both_backends!(
    admins_end_sessions_and_issue_reset_links,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let login = app.member(&admin, "amina").await;
        let member = token(&login);
        let member_id = login["user"]["id"].as_i64().unwrap();
        let other = token(&app.member(&admin, "samir").await);

        // Only admins.
        let refused = app
            .call(
                reqwest::Method::DELETE,
                &format!("/api/v1/users/{member_id}/sessions"),
                Some(&other),
                None,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let refused = app
            .post(
                &format!("/api/v1/users/{member_id}/password-reset"),
                Some(&other),
                json!({}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let unknown = app
            .call(
                reqwest::Method::DELETE,
                "/api/v1/users/999999/sessions",
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        // Ending every session of a member: their tokens stop working.
        let ended = app
            .call(
                reqwest::Method::DELETE,
                &format!("/api/v1/users/{member_id}/sessions"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(ended.status, StatusCode::NO_CONTENT);
        assert_eq!(
            app.get("/api/v1/me", &member).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(app.get("/api/v1/me", &other).await.status, StatusCode::OK);

        // A reset link: works once, needs a strong password, ends sessions.
        let member = token(&app.login("amina", PASSWORD).await);
        let link = app
            .post(
                &format!("/api/v1/users/{member_id}/password-reset"),
                Some(&admin),
                json!({}),
            )
            .await;
        assert_eq!(link.status, StatusCode::CREATED, "{}", link.body);
        assert!(link.body["url"].as_str().unwrap().contains("/reset?token="));
        let reset_token = link.body["token"].as_str().unwrap().to_owned();
        let weak = app
            .post(
                "/api/v1/auth/password-reset",
                None,
                json!({"token": reset_token, "new_password": "password1234"}),
            )
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(weak.body["error"]["code"], "weak_password");
        let new_password = "a brand new passphrase for amina";
        let done = app
            .post(
                "/api/v1/auth/password-reset",
                None,
                json!({"token": reset_token, "new_password": new_password}),
            )
            .await;
        assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
        assert_eq!(
            app.get("/api/v1/me", &member).await.status,
            StatusCode::UNAUTHORIZED
        );
        let again = app
            .post(
                "/api/v1/auth/password-reset",
                None,
                json!({"token": reset_token, "new_password": "yet another long passphrase"}),
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(again.body["error"]["code"], "reset_link_invalid");
        let old = app
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": "amina", "password": PASSWORD}),
            )
            .await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED);
        app.login("amina", new_password).await;
    }
);
