//! Staff managing members (`PATCH /api/v1/users/{id}`, the member list,
//! pending invitations) and members' drafts and previews.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

async fn patch(app: &TestApp, token: &str, user: i64, body: Value) -> Reply {
    app.call(
        Method::PATCH,
        &format!("/api/v1/users/{user}"),
        Some(token),
        Some(body),
    )
    .await
}

both_backends!(
    admins_change_roles_and_groups_and_the_last_admin_stays,
    |backend| async move {
        let app = spawn(backend).await;
        let admin_login = app.admin().await;
        let admin = token(&admin_login);
        let admin_id = admin_login["user"]["id"].as_i64().unwrap();
        let marie_login = app.member(&admin, "marie").await;
        let marie = token(&marie_login);
        let marie_id = marie_login["user"]["id"].as_i64().unwrap();
        let customs = app
            .post("/api/v1/groups", Some(&admin), json!({"name": "Customs"}))
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let restricted = app
            .post(
                "/api/v1/categories",
                Some(&admin),
                json!({"slug": "customs-only", "name": "Customs only", "restricted_to_groups": [customs]}),
            )
            .await;
        assert_eq!(
            restricted.status,
            StatusCode::CREATED,
            "{}",
            restricted.body
        );

        // A member may neither list members nor change anyone.
        assert_eq!(
            app.get("/api/v1/users", &marie).await.status,
            StatusCode::FORBIDDEN
        );
        let refused = patch(&app, &marie, marie_id, json!({"role": "admin"})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert_eq!(
            app.get("/api/v1/moderation/flags", &marie).await.status,
            StatusCode::FORBIDDEN
        );

        // The admin makes her a moderator in the Customs group.
        let changed = patch(
            &app,
            &admin,
            marie_id,
            json!({"role": "moderator", "groups": [customs]}),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(changed.body["role"], "moderator");
        assert_eq!(changed.body["groups"], json!([customs]));
        // It takes effect at once, on the same session.
        assert_eq!(
            app.get("/api/v1/moderation/flags", &marie).await.status,
            StatusCode::OK
        );
        let categories = app.get("/api/v1/categories", &marie).await;
        assert!(
            categories
                .body
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["slug"] == "customs-only")
        );
        // A moderator still may not change roles.
        let refused = patch(&app, &marie, admin_id, json!({"role": "member"})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        // Bad input changes nothing.
        for body in [
            json!({"role": "owner"}),
            json!({"groups": [customs, 999_999]}),
            json!({"role": "member", "groups": [999_999]}),
            json!({"nickname": "x"}),
        ] {
            let refused = patch(&app, &admin, marie_id, body.clone()).await;
            assert!(
                refused.status.is_client_error(),
                "{body}: {}",
                refused.status
            );
            let me = app.get("/api/v1/me", &marie).await;
            assert_eq!(me.body["role"], "moderator", "{body}");
            assert_eq!(me.body["groups"], json!([customs]), "{body}");
        }
        assert_eq!(
            patch(&app, &admin, 999_999, json!({"role": "member"}))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // The only admin cannot demote themself.
        let last = patch(&app, &admin, admin_id, json!({"role": "member"})).await;
        assert_eq!(
            last.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            last.body
        );
        assert_eq!(last.body["error"]["code"], "last_admin");
        assert_eq!(last.body["error"]["field"], "role");
        // With a second admin they can, and the new admin then cannot.
        assert_eq!(
            patch(&app, &admin, marie_id, json!({"role": "admin"}))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            patch(&app, &admin, admin_id, json!({"role": "member"}))
                .await
                .status,
            StatusCode::OK
        );
        let last = patch(&app, &marie, marie_id, json!({"role": "moderator"})).await;
        assert_eq!(last.body["error"]["code"], "last_admin");

        // Removing the group takes the restricted category away.
        let cleared = patch(&app, &marie, marie_id, json!({"groups": []})).await;
        assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
        assert_eq!(cleared.body["groups"], json!([]));

        // Every change is in the audit log.
        let actions = |query: &'static str| {
            let app = &app;
            let marie = marie.clone();
            async move {
                let audit = app
                    .get(&format!("/api/v1/moderation/audit?{query}"), &marie)
                    .await;
                assert_eq!(audit.status, StatusCode::OK, "{}", audit.body);
                audit
                    .body
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|e| e["action"].as_str().map(str::to_owned))
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(actions("action=user.role").await.len(), 3);
        let groups = actions("action=group.").await;
        assert!(groups.iter().any(|a| a == "group.member_add"), "{groups:?}");
        assert!(
            groups.iter().any(|a| a == "group.member_remove"),
            "{groups:?}"
        );

        // The list finds members by name, country and role.
        let found = app.get("/api/v1/users?q=MARI&role=admin", &marie).await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        let names: Vec<&str> = found
            .body
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|u| u["username"].as_str())
            .collect();
        assert_eq!(names, ["marie"]);
        let none = app.get("/api/v1/users?country=MA", &marie).await;
        assert_eq!(none.body, json!([]));
        let bad = app.get("/api/v1/users?country=XX", &marie).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.body["error"]["field"], "country");
    }
);

both_backends!(
    changing_roles_needs_a_second_factor_under_the_staff_policy,
    |backend| async move {
        let app = spawn_with(Storage::new(backend), |s| {
            s.second_factor = "staff".to_owned()
        })
        .await;
        let admin = token(&app.admin().await);
        let me = app.get("/api/v1/me", &admin).await;
        let admin_id = me.body["id"].as_i64().unwrap();
        let refused = patch(&app, &admin, admin_id, json!({"role": "admin"})).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.body["error"]["code"], "second_factor_required");
        crate::second_factor::enrol(&app, &admin).await;
        let done = patch(&app, &admin, admin_id, json!({"role": "admin"})).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
);

both_backends!(
    pending_invitations_are_listed_and_revoked,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let issued = app
            .post(
                "/api/v1/invitations",
                Some(&admin),
                json!({"email": "karim@example.ma"}),
            )
            .await;
        assert_eq!(issued.status, StatusCode::CREATED);
        let pending = app.get("/api/v1/invitations", &admin).await;
        assert_eq!(pending.status, StatusCode::OK, "{}", pending.body);
        let list = pending.body.as_array().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0]["email"], "karim@example.ma");
        assert_eq!(list[0]["created_by"], "admin");
        assert!(list[0].get("token").is_none(), "tokens are shown once");
        let id = list[0]["id"].as_i64().unwrap();

        let member = token(&app.member(&admin, "marie").await);
        let revoke = format!("/api/v1/invitations/{id}");
        assert_eq!(
            app.call(Method::DELETE, &revoke, Some(&member), None)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.call(Method::DELETE, &revoke, Some(&admin), None)
                .await
                .status,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            app.call(Method::DELETE, &revoke, Some(&admin), None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(app.get("/api/v1/invitations", &admin).await.body, json!([]));
        // The revoked link no longer registers anyone.
        let register = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({"invitation_token": issued.body["token"], "username": "karim",
                       "display_name": "Karim", "password": PASSWORD, "country": "MA",
                       "profession": "judge"}),
            )
            .await;
        assert_eq!(
            register.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            register.body
        );
        assert_eq!(register.body["error"]["code"], "invitation_invalid");
        let audit = app
            .get("/api/v1/moderation/audit?action=invitation.revoke", &admin)
            .await;
        assert_eq!(audit.body.as_array().unwrap().len(), 1, "{}", audit.body);
    }
);

both_backends!(
    a_draft_survives_a_lock_and_is_gone_once_posted,
    |backend| async move {
        let app = spawn(backend).await;
        let admin = token(&app.admin().await);
        let category = app.category(&admin, "tobacco").await;
        let marie = token(&app.member(&admin, "marie").await);
        let karim = token(&app.member(&admin, "karim").await);
        let thread = app
            .thread(
                &marie,
                category,
                "Protocol art. 8 tracking",
                "What do your customs log?",
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let draft_path = format!("/api/v1/threads/{thread}/draft");
        assert_eq!(
            app.get(&draft_path, &karim).await.status,
            StatusCode::NO_CONTENT
        );
        let saved = app
            .call(
                Method::PUT,
                &draft_path,
                Some(&karim),
                Some(json!({"body": "Our customs log **every** pack."})),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        // Only its author sees it.
        assert_eq!(
            app.get(&draft_path, &marie).await.status,
            StatusCode::NO_CONTENT
        );

        // Locked: the draft is still there, and still saves.
        let locked = app
            .post(
                &format!("/api/v1/threads/{thread}/lock"),
                Some(&admin),
                json!({"reason": "cooling off"}),
            )
            .await;
        assert!(locked.status.is_success(), "{}", locked.body);
        let updated = app
            .call(
                Method::PUT,
                &draft_path,
                Some(&karim),
                Some(json!({"body": "Our customs log every pack and carton."})),
            )
            .await;
        assert_eq!(updated.status, StatusCode::OK);
        let refused = app
            .post(
                &format!("/api/v1/threads/{thread}/posts"),
                Some(&karim),
                json!({"body": "now"}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::LOCKED);
        let kept = app.get(&draft_path, &karim).await;
        assert_eq!(kept.body["body"], "Our customs log every pack and carton.");

        // Reopened and posted: the draft is gone with the same commit.
        app.post(
            &format!("/api/v1/threads/{thread}/unlock"),
            Some(&admin),
            json!({"reason": "open again"}),
        )
        .await;
        let posted = app
            .post(
                &format!("/api/v1/threads/{thread}/posts"),
                Some(&karim),
                json!({"body": kept.body["body"]}),
            )
            .await;
        assert_eq!(posted.status, StatusCode::CREATED, "{}", posted.body);
        assert_eq!(
            app.get(&draft_path, &karim).await.status,
            StatusCode::NO_CONTENT
        );

        // Bad input is refused and changes nothing; an invisible thread is 404.
        let bad = app
            .call(
                Method::PUT,
                &draft_path,
                Some(&karim),
                Some(json!({"body": "x", "reply_to": 999_999})),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            app.get(&draft_path, &karim).await.status,
            StatusCode::NO_CONTENT
        );
        let unknown = app
            .call(
                Method::PUT,
                "/api/v1/threads/999999/draft",
                Some(&karim),
                Some(json!({"body": "x"})),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        // The preview is the post pipeline: sanitised.
        let preview = app
            .post(
                "/api/v1/preview",
                Some(&karim),
                json!({"body": "**bold** <script>alert(1)</script>"}),
            )
            .await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        let html = preview.body["html"].as_str().unwrap();
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }
);
