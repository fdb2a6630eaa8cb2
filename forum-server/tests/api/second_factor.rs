//! The TOTP second factor: enrolment, sign-in with a code that works once,
//! recovery codes, and staff who cannot act without it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::both_backends;
use crate::helpers::*;

fn authenticator(secret: &str) -> TOTP {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        Secret::Encoded(secret.to_owned()).to_bytes().unwrap(),
        None,
        String::new(),
    )
    .unwrap()
}

/// The code of the time step `offset` steps from now.
fn code(totp: &TOTP, offset: i64) -> String {
    let now = chrono::Utc::now().timestamp();
    totp.generate((now + offset * 30) as u64)
}

async fn login_with(app: &TestApp, username: &str, totp_code: Option<&str>) -> (StatusCode, Value) {
    let mut body = json!({"username": username, "password": PASSWORD});
    if let Some(code) = totp_code {
        body["totp_code"] = json!(code);
    }
    let reply = app.post("/api/v1/auth/login", None, body).await;
    (reply.status, reply.body)
}

/// Enrols the holder of `token`; returns their authenticator, recovery
/// codes and the code that confirmed the enrolment.
pub(crate) async fn enrol(app: &TestApp, token: &str) -> (TOTP, Vec<String>, String) {
    let started = app.post("/api/v1/me/totp", Some(token), json!({})).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let secret = started.body["secret"].as_str().unwrap();
    assert!(
        started.body["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Comity:")
    );
    let totp = authenticator(secret);
    let wrong = app
        .post(
            "/api/v1/me/totp/confirm",
            Some(token),
            json!({"code": "000000"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let first = code(&totp, 0);
    let confirmed = app
        .post(
            "/api/v1/me/totp/confirm",
            Some(token),
            json!({"code": first}),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let recovery: Vec<String> = confirmed.body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (totp, recovery, first)
}

both_backends!(
    a_code_works_once_and_recovery_codes_once,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let member = token(&app.member(&admin, "amina").await);
        let (totp, recovery, first) = enrol(&app, &member).await;
        assert_eq!(recovery.len(), 10);
        let again = app.post("/api/v1/me/totp", Some(&member), json!({})).await;
        assert_eq!(again.status, StatusCode::CONFLICT);

        // The password alone no longer signs in.
        let (status, body) = login_with(&app, "amina", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "totp_required");
        // The code used to confirm is spent; the next step's works (±1 step
        // of skew), once.
        let (status, body) = login_with(&app, "amina", Some(&first)).await;
        assert_eq!(body["error"]["code"], "invalid_totp", "{status}");
        let next = code(&totp, 1);
        let (status, body) = login_with(&app, "amina", Some(&next)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = login_with(&app, "amina", Some(&next)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body["error"]["code"], "invalid_totp",
            "a replayed code is refused"
        );
        // A recovery code works once.
        let (status, _) = login_with(&app, "amina", Some(&recovery[0])).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = login_with(&app, "amina", Some(&recovery[0])).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // Turning it off needs the password and a code.
        let member = token(&login_with(&app, "amina", Some(&recovery[1])).await.1);
        let refused = app
            .call(
                Method::DELETE,
                "/api/v1/me/totp",
                Some(&member),
                Some(json!({"password": "not the password", "code": recovery[2]})),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let off = app
            .call(
                Method::DELETE,
                "/api/v1/me/totp",
                Some(&member),
                Some(json!({"password": PASSWORD, "code": recovery[2]})),
            )
            .await;
        assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.body);
        let (status, _) = login_with(&app, "amina", None).await;
        assert_eq!(status, StatusCode::OK);
    }
);

both_backends!(
    staff_cannot_act_without_a_second_factor,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.second_factor = "staff".to_owned()
        })
        .await;
        let admin = token(&app.admin().await);
        // Reading is fine; acting is not.
        assert_eq!(
            app.get("/api/v1/categories", &admin).await.status,
            StatusCode::OK
        );
        let refused = app
            .post(
                "/api/v1/categories",
                Some(&admin),
                json!({"slug": "ip", "name": "IP"}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.body["error"]["code"], "second_factor_required");
        let refused = app
            .post(
                "/api/v1/invitations",
                Some(&admin),
                json!({"email": "x@example.org"}),
            )
            .await;
        assert_eq!(refused.body["error"]["code"], "second_factor_required");

        // Enrolling verifies the current session.
        let (totp, _, _) = enrol(&app, &admin).await;
        let category = app.category(&admin, "ip").await;
        // A member needs none under this policy.
        let member = token(&app.member(&admin, "amina").await);
        app.thread(&member, category, "Trademark seizures", "At the border")
            .await;
        // A later sign-in of the admin with a code can act; one without cannot
        // sign in at all.
        let (status, _) = login_with(&app, "admin", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, body) = login_with(&app, "admin", Some(&code(&totp, 1))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let admin = token(&body);
        app.category(&admin, "customs").await;
    }
);

both_backends!(everyone_can_be_required_to_use_one, |backend| async move {
    let app = spawn_with(Storage::new(backend), |s| {
        s.second_factor = "everyone".to_owned()
    })
    .await;
    let db = app.db.clone();
    // Set up as if the admin had enrolled: the policy is what is tested.
    tokio::task::spawn_blocking(move || db.create_admin("admin", "admin@example.org", PASSWORD))
        .await
        .unwrap()
        .unwrap();
    let admin = token(&app.login("admin", PASSWORD).await);
    enrol(&app, &admin).await;
    let category = app.category(&admin, "cites").await;
    let member = token(&app.member(&admin, "amina").await);
    let refused = app
        .post(
            "/api/v1/threads",
            Some(&member),
            json!({"category_id": category, "title": "Ivory", "body": "Seizures", "kind": "discussion"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.body["error"]["code"], "second_factor_required");
    enrol(&app, &member).await;
    app.thread(&member, category, "Ivory", "Seizures").await;
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_codes_is_throttled_like_guessing_passwords() {
    let app = spawn(Backend::Sqlite).await;
    let admin = token(&app.admin().await);
    let member = token(&app.member(&admin, "amina").await);
    let (totp, _, _) = enrol(&app, &member).await;
    for guess in ["111111", "222222", "333333"] {
        let (status, body) = login_with(&app, "amina", Some(guess)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    // Right password, wrong codes: the fourth attempt waits, even with
    // the right code.
    let (status, body) = login_with(&app, "amina", Some(&code(&totp, 1))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["code"], "rate_limited");
}
