//! The authorization matrix: every API endpoint × four kinds of member
//! (admin, moderator outside the group, member inside it, member outside
//! it) × an open and a restricted category, run against the real server
//! and compared with what `forum_core::access` says. Zero differences.
//!
//! Every operation of the OpenAPI document must appear in the table or in
//! the short list of endpoints that act only on the caller's own account
//! (with their own tests): a new endpoint nobody added here fails.

use std::collections::BTreeSet;

use forum_core::Viewer;
use forum_core::access;
use forum_core::domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

/// What the access rule predicts for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Authorised: any answer but 401, 403 and 404 (validation may still
    /// refuse the body with 409/422).
    Passes,
    Forbidden,
    Hidden,
    /// Creating in a category one may not see: the category is "unknown".
    Unknown,
}

fn verdict_of(status: StatusCode) -> Verdict {
    match status.as_u16() {
        403 => Verdict::Forbidden,
        404 => Verdict::Hidden,
        _ => Verdict::Passes,
    }
}

/// How an endpoint is guarded, in terms of the access functions.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// Any member.
    Member,
    /// The resource's category must be visible.
    Sees,
    /// Visible, and the thread's author or staff may change it.
    Edits,
    /// Creating in the resource's category.
    CreatesIn,
    /// A moderator, then the resource must be visible.
    Moderates,
    /// A moderator (no resource).
    ModeratorOnly,
    /// Staff who may invite.
    Invites,
    /// Admins managing categories, groups, members or operations.
    Admin,
}

fn expected(rule: Rule, viewer: &Viewer, category_groups: &[i64], author: i64) -> Verdict {
    let category_groups: Vec<forum_core::GroupId> =
        category_groups.iter().copied().map(Into::into).collect();
    let sees = access::can_see_category(viewer, &category_groups);
    let hidden_unless = |ok: bool| if ok { Verdict::Passes } else { Verdict::Hidden };
    match rule {
        Rule::Member => Verdict::Passes,
        Rule::Sees => hidden_unless(sees),
        Rule::Edits if !sees => Verdict::Hidden,
        Rule::Edits if access::can_edit_thread(viewer, author.into()) => Verdict::Passes,
        Rule::Edits => Verdict::Forbidden,
        Rule::CreatesIn if sees => Verdict::Passes,
        Rule::CreatesIn => Verdict::Unknown,
        Rule::Moderates if !access::can_moderate(viewer) => Verdict::Forbidden,
        Rule::Moderates => hidden_unless(sees),
        Rule::ModeratorOnly if access::can_moderate(viewer) => Verdict::Passes,
        Rule::Invites if access::can_invite(viewer) => Verdict::Passes,
        Rule::Admin
            if access::can_manage_categories(viewer)
                && access::can_manage_groups(viewer)
                && access::can_manage_users(viewer)
                && access::can_see_operations(viewer) =>
        {
            Verdict::Passes
        }
        Rule::ModeratorOnly | Rule::Invites | Rule::Admin => Verdict::Forbidden,
    }
}

/// One row: method, path (with `{thread}`, `{post}`, `{flag}`,
/// `{category}`, `{victim}`, `{group}` filled per resource), body, rule.
type Row = (Method, &'static str, Value, Rule);

fn table() -> Vec<Row> {
    let reason = json!({"reason": "matrix check"});
    vec![
        (Method::GET, "/api/v1/me", Value::Null, Rule::Member),
        (Method::GET, "/api/v1/me/flags", Value::Null, Rule::Member),
        (Method::GET, "/api/v1/categories", Value::Null, Rule::Member),
        (Method::GET, "/api/v1/threads", Value::Null, Rule::Member),
        (
            Method::GET,
            "/api/v1/jurisdictions",
            Value::Null,
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/instruments",
            Value::Null,
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/analyses/featured",
            Value::Null,
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/compare?jurisdictions=FR,MA",
            Value::Null,
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/notifications",
            Value::Null,
            Rule::Member,
        ),
        (
            Method::POST,
            "/api/v1/notifications/read",
            json!({"all": true}),
            Rule::Member,
        ),
        (Method::GET, "/api/v1/watches", Value::Null, Rule::Member),
        (Method::GET, "/api/v1/me/email", Value::Null, Rule::Member),
        (
            Method::PUT,
            "/api/v1/me/email",
            json!({"digest": "daily"}),
            Rule::Member,
        ),
        (
            Method::PUT,
            "/api/v1/watches",
            json!({"target": "jurisdiction:FR", "level": "watching"}),
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/search?q=seizure",
            Value::Null,
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/search/suggest?q=sei",
            Value::Null,
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/threads/{thread}/related",
            Value::Null,
            Rule::Sees,
        ),
        (
            Method::GET,
            "/api/v1/threads/{thread}",
            Value::Null,
            Rule::Sees,
        ),
        (
            Method::GET,
            "/api/v1/posts/{post}/revisions",
            Value::Null,
            Rule::Sees,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/posts",
            json!({"body": "A reply from the matrix"}),
            Rule::Sees,
        ),
        (
            Method::POST,
            "/api/v1/posts/{post}/flags",
            json!({"reason": "other", "note": "matrix"}),
            Rule::Sees,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/endorsements",
            json!({"jurisdiction": "FR"}),
            Rule::Sees,
        ),
        (
            Method::DELETE,
            "/api/v1/threads/{thread}/endorsements/mine",
            Value::Null,
            Rule::Sees,
        ),
        (
            Method::PATCH,
            "/api/v1/threads/{thread}",
            json!({"jurisdictions": ["FR"]}),
            Rule::Edits,
        ),
        (
            Method::PATCH,
            "/api/v1/posts/{post}",
            json!({"body": "Edited by the matrix"}),
            Rule::Edits,
        ),
        (
            Method::POST,
            "/api/v1/threads",
            json!({"category_id": "{category}", "title": "Matrix thread", "body": "Body", "kind": "discussion"}),
            Rule::CreatesIn,
        ),
        (
            Method::POST,
            "/api/v1/posts/{post}/hide",
            reason.clone(),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/posts/{post}/restore",
            reason.clone(),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/lock",
            reason.clone(),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/unlock",
            reason.clone(),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/pin",
            reason.clone(),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/unpin",
            reason.clone(),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/move",
            json!({"category_id": "{category}", "reason": "matrix check"}),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/slow-mode",
            json!({"seconds": 0, "reason": "matrix check"}),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/feature",
            reason.clone(),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/unfeature",
            reason.clone(),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/merge",
            json!({"into": "{thread}", "reason": "matrix check"}),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/threads/{thread}/split",
            json!({"post_ids": ["{post}"], "title": "Split by the matrix", "reason": "matrix check"}),
            Rule::Moderates,
        ),
        (
            Method::GET,
            "/api/v1/moderation/flags/{flag}",
            Value::Null,
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/moderation/flags/{flag}/notes",
            json!({"body": "matrix note"}),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/moderation/flags/{flag}/assign",
            json!({}),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/moderation/flags/{flag}/resolve",
            json!({"action": "dismiss", "note": "matrix check"}),
            Rule::Moderates,
        ),
        (
            Method::GET,
            "/api/v1/moderation/flags",
            Value::Null,
            Rule::ModeratorOnly,
        ),
        (
            Method::GET,
            "/api/v1/moderation/stats",
            Value::Null,
            Rule::ModeratorOnly,
        ),
        (
            Method::GET,
            "/api/v1/moderation/audit",
            Value::Null,
            Rule::ModeratorOnly,
        ),
        (
            Method::GET,
            "/api/v1/analyses/review",
            Value::Null,
            Rule::ModeratorOnly,
        ),
        (
            Method::GET,
            "/api/v1/groups",
            Value::Null,
            Rule::ModeratorOnly,
        ),
        (
            Method::POST,
            "/api/v1/users/{victim}/suspend",
            json!({"until": "2099-01-01", "reason": "matrix check"}),
            Rule::ModeratorOnly,
        ),
        (
            Method::POST,
            "/api/v1/users/{victim}/unsuspend",
            reason.clone(),
            Rule::ModeratorOnly,
        ),
        (
            Method::POST,
            "/api/v1/invitations",
            json!({"email": "matrix@example.org"}),
            Rule::Invites,
        ),
        (
            Method::POST,
            "/api/v1/categories",
            json!({"slug": "matrix", "name": "Matrix"}),
            Rule::Admin,
        ),
        (
            Method::POST,
            "/api/v1/groups",
            json!({"name": "Matrix group"}),
            Rule::Admin,
        ),
        (
            Method::POST,
            "/api/v1/groups/{group}/members",
            json!({"user_id": "{victim}"}),
            Rule::Admin,
        ),
        (
            Method::DELETE,
            "/api/v1/users/{victim}/sessions",
            Value::Null,
            Rule::Admin,
        ),
        (
            Method::POST,
            "/api/v1/users/{victim}/password-reset",
            Value::Null,
            Rule::Admin,
        ),
        (Method::GET, "/api/v1/admin/live", Value::Null, Rule::Admin),
        (
            Method::GET,
            "/api/v1/users",
            Value::Null,
            Rule::ModeratorOnly,
        ),
        (
            Method::PATCH,
            "/api/v1/users/{victim}",
            json!({"role": "member"}),
            Rule::Admin,
        ),
        (
            Method::GET,
            "/api/v1/invitations",
            Value::Null,
            Rule::Invites,
        ),
        (
            Method::GET,
            "/api/v1/threads/{thread}/draft",
            Value::Null,
            Rule::Sees,
        ),
        (
            Method::PUT,
            "/api/v1/threads/{thread}/draft",
            json!({"body": "A draft from the matrix"}),
            Rule::Sees,
        ),
        (
            Method::DELETE,
            "/api/v1/threads/{thread}/draft",
            Value::Null,
            Rule::Sees,
        ),
        (
            Method::POST,
            "/api/v1/preview",
            json!({"body": "*preview*"}),
            Rule::Member,
        ),
        // Uploading is any member's (a JSON body gets 415 once the caller
        // is known); the file an admin attached to a reply in each space:
        (
            Method::POST,
            "/api/v1/attachments",
            json!({"file": "not multipart"}),
            Rule::Member,
        ),
        (
            Method::GET,
            "/files/{attachment}/judgment.pdf",
            Value::Null,
            Rule::Sees,
        ),
        (
            Method::POST,
            "/api/v1/attachments/{attachment}/visibility",
            json!({"hidden": false}),
            Rule::Moderates,
        ),
        (
            Method::POST,
            "/api/v1/attachments/{attachment}/remove-author",
            Value::Null,
            Rule::Edits,
        ),
    ]
}

/// Endpoints about a thing the matrix has no placeholder for, each with
/// its access test elsewhere: revoking an invitation (`members.rs`:
/// members 403, staff 204, then 404).
const TESTED_ELSEWHERE: &[&str] = &["DELETE /api/v1/invitations/{id}"];

/// Endpoints that act only on the caller's own account or sign them in
/// and out; `auth.rs`, `second_factor.rs` and `pages.rs` test them.
const OWN_ACCOUNT: &[&str] = &[
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/logout",
    "POST /api/v1/auth/refresh",
    "POST /api/v1/auth/register",
    "POST /api/v1/auth/password-reset",
    "POST /api/v1/me/password",
    "GET /api/v1/me/sessions",
    "DELETE /api/v1/me/sessions",
    "DELETE /api/v1/me/sessions/{id}",
    "POST /api/v1/me/totp",
    "DELETE /api/v1/me/totp",
    "POST /api/v1/me/totp/confirm",
];

fn fill(template: &str, values: &[(&str, i64)]) -> String {
    values.iter().fold(template.to_owned(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), &v.to_string())
    })
}

fn fill_body(body: &Value, values: &[(&str, i64)]) -> Value {
    match body {
        Value::String(s) if s.starts_with('{') && s.ends_with('}') => values
            .iter()
            .find(|(k, _)| format!("{{{k}}}") == *s)
            .map(|(_, v)| json!(v))
            .unwrap_or_else(|| body.clone()),
        Value::Array(items) => Value::Array(items.iter().map(|v| fill_body(v, values)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill_body(v, values)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn viewer(id: i64, role: Role, groups: Vec<i64>) -> Viewer {
    Viewer {
        id: id.into(),
        username: String::new(),
        display_name: String::new(),
        role,
        session_id: 0.into(),
        groups: groups.into_iter().map(Into::into).collect(),
        country: "FR".into(),
        profession: String::new(),
        language: None,
        second_factor_missing: false,
    }
}

both_backends!(
    every_endpoint_agrees_with_the_access_rule,
    |backend| async move {
        let app = spawn(backend).await;
        // Every operation is in the table or on the own-account list.
        let doc = reqwest::get(format!("{}/api/v1/openapi.json", app.address))
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        let mut documented = BTreeSet::new();
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for method in ops.as_object().unwrap().keys() {
                documented.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
        let mut covered: BTreeSet<String> = OWN_ACCOUNT
            .iter()
            .chain(TESTED_ELSEWHERE)
            .map(|s| (*s).to_owned())
            .collect();
        for (method, path, _, _) in table() {
            let path = path.split('?').next().unwrap();
            let generic = ["thread", "post", "flag", "victim", "group", "attachment"]
                .iter()
                .fold(path.to_owned(), |p, k| {
                    p.replace(&format!("{{{k}}}"), "{id}")
                });
            covered.insert(format!("{method} {generic}"));
        }
        let missing: Vec<&String> = documented.difference(&covered).collect();
        assert!(
            missing.is_empty(),
            "endpoints missing from the matrix: {missing:?}"
        );

        // The people and the spaces.
        let admin_login = app.admin().await;
        let admin = token(&admin_login);
        let admin_id = admin_login["user"]["id"].as_i64().unwrap();
        let invitation = app
            .post(
                "/api/v1/invitations",
                Some(&admin),
                json!({"email": "mod@example.org", "role": "moderator"}),
            )
            .await;
        app.post(
            "/api/v1/auth/register",
            None,
            json!({"invitation_token": invitation.body["token"], "username": "moderator", "display_name": "M",
                   "password": PASSWORD, "country": "FR", "profession": "judge"}),
        )
        .await;
        let moderator_login = app.login("moderator", PASSWORD).await;
        let insider_login = app.member(&admin, "insider").await;
        let outsider_login = app.member(&admin, "outsider").await;
        let victim = app.member(&admin, "victim").await["user"]["id"]
            .as_i64()
            .unwrap();
        let group = app
            .post("/api/v1/groups", Some(&admin), json!({"name": "Case team"}))
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let insider_id = insider_login["user"]["id"].as_i64().unwrap();
        app.post(
            &format!("/api/v1/groups/{group}/members"),
            Some(&admin),
            json!({"user_id": insider_id}),
        )
        .await;
        let insider_login = app.login("insider", PASSWORD).await;
        let open = app.category(&admin, "open").await;
        let restricted = app
            .post("/api/v1/categories", Some(&admin),
                  json!({"slug": "restricted", "name": "Restricted", "restricted_to_groups": [group]}))
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let mut resources = Vec::new();
        for (category, groups) in [(open, vec![]), (restricted, vec![group])] {
            let t = app.thread(&admin, category, "Matrix subject", "Body").await;
            let (thread, post) = (
                t["id"].as_i64().unwrap(),
                t["first_post_id"].as_i64().unwrap(),
            );
            let flag = app
                .post(
                    &format!("/api/v1/posts/{post}/flags"),
                    Some(&admin),
                    json!({"reason": "spam"}),
                )
                .await
                .body["id"]
                .as_i64()
                .unwrap();
            let file = crate::attachments::upload(
                &app,
                &admin,
                "judgment.pdf",
                crate::attachments::pdf(&["Matrix judgment"], "Clerk"),
            )
            .await;
            assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
            let attachment = file.body["id"].as_i64().unwrap();
            let reply = app
                .post(
                    &format!("/api/v1/threads/{thread}/posts"),
                    Some(&admin),
                    json!({"body": "The judgment.", "attachments": [attachment]}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            resources.push((category, groups, thread, post, flag, attachment));
        }
        let actors = [
            (
                "admin",
                token(&admin_login),
                viewer(admin_id, Role::Admin, vec![]),
            ),
            (
                "moderator",
                token(&moderator_login),
                viewer(
                    moderator_login["user"]["id"].as_i64().unwrap(),
                    Role::Moderator,
                    vec![],
                ),
            ),
            (
                "insider",
                token(&insider_login),
                viewer(insider_id, Role::Member, vec![group]),
            ),
            (
                "outsider",
                token(&outsider_login),
                viewer(
                    outsider_login["user"]["id"].as_i64().unwrap(),
                    Role::Member,
                    vec![],
                ),
            ),
        ];

        let mut differences = Vec::new();
        let mut calls = 0;
        for (category, groups, thread, post, flag, attachment) in &resources {
            let values = [
                ("attachment", *attachment),
                ("thread", *thread),
                ("post", *post),
                ("flag", *flag),
                ("category", *category),
                ("victim", victim),
                ("group", group),
            ];
            for (name, token, v) in &actors {
                for (method, path, body, rule) in table() {
                    let path = fill(path, &values);
                    let body = (!body.is_null()).then(|| fill_body(&body, &values));
                    let reply = app.call(method.clone(), &path, Some(token), body).await;
                    calls += 1;
                    let got = if reply.status == StatusCode::UNPROCESSABLE_ENTITY
                        && reply.body["error"]["field"] == "category_id"
                        && matches!(rule, Rule::CreatesIn)
                    {
                        Verdict::Unknown
                    } else {
                        verdict_of(reply.status)
                    };
                    let want = expected(rule, v, groups, admin_id);
                    if reply.status.is_server_error() || reply.status == StatusCode::UNAUTHORIZED {
                        differences.push(format!(
                            "{name} {method} {path}: {} {}",
                            reply.status, reply.body
                        ));
                    } else if got != want {
                        differences.push(format!(
                            "{name} {method} {path}: access rule says {want:?}, server answered {} {}",
                            reply.status, reply.body
                        ));
                    }
                }
            }
        }
        assert!(calls >= 300, "{calls} calls");
        assert!(
            differences.is_empty(),
            "{} differences in {calls} calls:\n{}",
            differences.len(),
            differences.join("\n")
        );
    }
);
