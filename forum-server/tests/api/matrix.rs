//! The authorization matrix: every API endpoint × seven kinds of member
//! (admin, moderator outside the group, member inside it, member outside
//! it, a thread's author, a member it names, a member of a country it
//! names) × an open and a restricted category × the handling marks
//! (`CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT` naming a country and a group,
//! `RED` naming a member, and an advice request — `RED` naming the legal
//! office's group), run against the real server and compared with what
//! `forum_core::access` says. Zero differences.
//!
//! Every operation of the OpenAPI document must appear in the table or in
//! the short list of endpoints that act only on the caller's own account
//! (with their own tests): a new endpoint nobody added here fails.

use std::collections::BTreeSet;

use forum_core::Viewer;
use forum_core::access::{self, MarkRecipients};
use forum_core::domain::Role;
use forum_core::domain::mark::Mark;
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

fn expected(
    rule: Rule,
    viewer: &Viewer,
    category_groups: &[i64],
    author: i64,
    marking: &access::Marking,
) -> Verdict {
    let category_groups: Vec<forum_core::GroupId> =
        category_groups.iter().copied().map(Into::into).collect();
    let sees = access::can_see_category(viewer, &category_groups)
        && access::can_see_marking(viewer, marking);
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
        (Method::GET, "/api/v1/me/profile", Value::Null, Rule::Member),
        (
            Method::PATCH,
            "/api/v1/me",
            json!({"bio": "Answers on customs law."}),
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/experts?jurisdiction=FR",
            Value::Null,
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/experts/{victim}",
            Value::Null,
            Rule::Member,
        ),
        (
            Method::GET,
            "/api/v1/experts/proposals?category_id={category}&jurisdictions=FR",
            Value::Null,
            Rule::CreatesIn,
        ),
        (
            Method::POST,
            "/api/v1/questions",
            json!({"category_id": "{category}", "title": "Matrix question", "body": "Body", "jurisdictions": ["FR"]}),
            Rule::CreatesIn,
        ),
        (Method::GET, "/api/v1/questions", Value::Null, Rule::Member),
        (
            Method::GET,
            "/api/v1/questions/stats",
            Value::Null,
            Rule::ModeratorOnly,
        ),
        (Method::GET, "/api/v1/coverage", Value::Null, Rule::Member),
        (Method::GET, "/api/v1/colloquia", Value::Null, Rule::Member),
        (Method::GET, "/api/v1/advice", Value::Null, Rule::Member),
        (Method::GET, "/api/v1/dialogues", Value::Null, Rule::Member),
        (
            // Refused by validation (no chapter) once allowed.
            Method::POST,
            "/api/v1/dialogues",
            json!({"title": "Matrix dialogue", "thread_ids": []}),
            Rule::ModeratorOnly,
        ),
        (
            Method::POST,
            "/api/v1/advice",
            json!({"category_id": "{category}", "title": "Matrix advice", "body": "Body"}),
            Rule::CreatesIn,
        ),
        (
            // Refused by validation (closes before it opens) once allowed:
            // the matrix creates no colloquia.
            Method::POST,
            "/api/v1/colloquia",
            json!({"title": "Matrix colloquium", "agenda": "Agenda", "opens_at": "2030-01-02T00:00:00Z", "closes_at": "2030-01-01T00:00:00Z", "publish_category_id": "{category}"}),
            Rule::ModeratorOnly,
        ),
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
            "/api/v1/threads/{thread}/export",
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
            "/api/v1/posts/{post}/redactions",
            json!({"text": "text the post does not hold", "reason": "matrix check"}),
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
        // Last: it changes what the admin reads afterwards.
        (
            Method::POST,
            "/api/v1/threads/{thread}/break-glass",
            reason.clone(),
            Rule::Admin,
        ),
    ]
}

/// Endpoints about a thing the matrix has no placeholder for, each with
/// its access test elsewhere: revoking an invitation (`members.rs`:
/// members 403, staff 204, then 404); a routed question and accepting its
/// answer (`network.rs`: 404 outside the thread's readers, 403 for anyone
/// but the asker).
const TESTED_ELSEWHERE: &[&str] = &[
    // A dialogue's chapters each go through the thread rule: dialogues.rs.
    "GET /api/v1/dialogues/{id}",
    "PUT /api/v1/dialogues/{id}",
    "GET /api/v1/dialogues/{id}/pdf",
    // An advice request's workflow (its thread is a space of this matrix):
    // advice.rs.
    "GET /api/v1/advice/{id}",
    "POST /api/v1/advice/{id}/assign",
    "POST /api/v1/advice/{id}/notes",
    "POST /api/v1/advice/{id}/advice",
    "POST /api/v1/advice/{id}/consent",
    "POST /api/v1/advice/{id}/close",
    "POST /api/v1/advice/{id}/publish",
    // A colloquium's own rules (participants, organisers, guests, dates):
    // colloquia.rs.
    "GET /api/v1/colloquia/{id}",
    "POST /api/v1/colloquia/{id}/participants",
    "POST /api/v1/colloquia/{id}/guests",
    "POST /api/v1/colloquia/{id}/conclusions",
    "POST /api/v1/colloquia/{id}/conclusions/publish",
    "POST /api/v1/colloquia/{id}/conclusions/endorse",
    "GET /api/v1/colloquia/{id}/calendar.ics",
    "DELETE /api/v1/invitations/{id}",
    "GET /api/v1/questions/{id}",
    "POST /api/v1/questions/{id}/accept",
    // Erasing a member (admins only, never oneself; it ends the account):
    // erasure.rs.
    "POST /api/v1/users/{id}/erase",
    // Admins' webhooks (what leaves the forum is the event rule's):
    // webhooks.rs.
    "GET /api/v1/admin/webhooks",
    "POST /api/v1/admin/webhooks",
    "DELETE /api/v1/admin/webhooks/{id}",
    "POST /api/v1/admin/webhooks/{id}/enable",
    "GET /api/v1/admin/webhooks/{id}/deliveries",
];

/// Endpoints that act only on the caller's own account or sign them in
/// and out; `auth.rs`, `second_factor.rs` and `pages.rs` test them.
const OWN_ACCOUNT: &[&str] = &[
    "GET /api/v1/me/export",
    "POST /api/v1/me/feed-token",
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

fn viewer(id: i64, role: Role, groups: Vec<i64>, country: &str) -> Viewer {
    Viewer {
        id: id.into(),
        username: "".into(),
        display_name: "".into(),
        role,
        session_id: 0.into(),
        groups: groups.into_iter().map(Into::into).collect(),
        country: country.into(),
        profession: "".into(),
        language: None,
        second_factor_missing: false,
        guest_until: None,
        feed_generation: 0,
    }
}

both_backends!(
    every_endpoint_agrees_with_the_access_rule,
    |backend| async move {
        // Advice requests go to the "Case team": the insider is the office.
        let app = spawn_with(Storage::new(backend), |s| {
            s.advice.group = "Case team".to_owned();
        })
        .await;
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
        let author_login = app.member(&admin, "author").await;
        let author_id = author_login["user"]["id"].as_i64().unwrap();
        let recipient_login = app
            .member_from(&admin, "recipient", "BE", "prosecutor")
            .await;
        let recipient_id = recipient_login["user"]["id"].as_i64().unwrap();
        let belgian_login = app.member_from(&admin, "belgian", "BE", "judge").await;
        let open = app.category(&admin, "open").await;
        let restricted = app
            .post("/api/v1/categories", Some(&admin),
                  json!({"slug": "restricted", "name": "Restricted", "restricted_to_groups": [group]}))
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        // Spaces: the admin's threads in both categories (GREEN), then the
        // author's threads in the open one under every other mark; the
        // recipient flags them (they may read every one).
        let (author, recipient) = (token(&author_login), token(&recipient_login));
        let green = access::Marking {
            author: admin_id.into(),
            ..access::Marking::default()
        };
        let marking = |mark: Mark, recipients: MarkRecipients| access::Marking {
            mark,
            author: author_id.into(),
            recipients,
            break_glass: vec![],
        };
        let named_countries = MarkRecipients {
            countries: vec!["BE".into()],
            groups: vec![group.into()],
            users: vec![],
        };
        let named_member = MarkRecipients {
            users: vec![recipient_id.into()],
            ..MarkRecipients::default()
        };
        let spaces = [
            (open, vec![], admin.clone(), admin.clone(), green.clone()),
            (restricted, vec![group], admin.clone(), admin.clone(), green),
            (
                open,
                vec![],
                author.clone(),
                recipient.clone(),
                marking(Mark::Clear, MarkRecipients::default()),
            ),
            (
                open,
                vec![],
                author.clone(),
                recipient.clone(),
                marking(Mark::Amber, MarkRecipients::default()),
            ),
            (
                open,
                vec![],
                author.clone(),
                recipient.clone(),
                marking(Mark::AmberStrict, named_countries),
            ),
            (
                open,
                vec![],
                author.clone(),
                recipient.clone(),
                marking(Mark::Red, named_member),
            ),
            // An advice request to the legal office (the group): RED
            // naming the group, filed through /api/v1/advice.
            (
                open,
                vec![],
                author.clone(),
                token(&insider_login),
                marking(
                    Mark::Red,
                    MarkRecipients {
                        groups: vec![group.into()],
                        ..MarkRecipients::default()
                    },
                ),
            ),
        ];
        let mut resources = Vec::new();
        for (category, groups, writer, flagger, marking) in spaces {
            let mut body = json!({"category_id": category, "title": "Matrix subject", "body": "Body",
                "kind": "discussion", "jurisdictions": ["FR"], "mark": marking.mark.as_str()});
            if !marking.recipients.is_empty() {
                body["mark_recipients"] = json!(marking.recipients);
            }
            let advice = marking.mark == Mark::Red && !marking.recipients.groups.is_empty();
            let (thread, post) = if advice {
                let filed = app
                    .post("/api/v1/advice", Some(&writer),
                          json!({"category_id": category, "title": "Matrix subject", "body": "Body", "jurisdictions": ["FR"]}))
                    .await;
                assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
                let thread = filed.body["thread_id"].as_i64().unwrap();
                let t = app.get(&format!("/api/v1/threads/{thread}"), &writer).await;
                assert_eq!(t.body["thread"]["mark"], "RED", "{}", t.body);
                (thread, t.body["posts"][0]["id"].as_i64().unwrap())
            } else {
                let t = app.post("/api/v1/threads", Some(&writer), body).await;
                assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);
                (
                    t.body["id"].as_i64().unwrap(),
                    t.body["first_post_id"].as_i64().unwrap(),
                )
            };
            let flagged = app
                .post(
                    &format!("/api/v1/posts/{post}/flags"),
                    Some(&flagger),
                    json!({"reason": "spam"}),
                )
                .await;
            assert_eq!(flagged.status, StatusCode::CREATED, "{}", flagged.body);
            let flag = flagged.body["id"].as_i64().unwrap();
            let file = crate::attachments::upload(
                &app,
                &writer,
                "judgment.pdf",
                crate::attachments::pdf(&["Matrix judgment"], "Clerk"),
            )
            .await;
            assert_eq!(file.status, StatusCode::CREATED, "{}", file.body);
            let attachment = file.body["id"].as_i64().unwrap();
            let reply = app
                .post(
                    &format!("/api/v1/threads/{thread}/posts"),
                    Some(&writer),
                    json!({"body": "The judgment.", "attachments": [attachment]}),
                )
                .await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            resources.push((category, groups, thread, post, flag, attachment, marking));
        }
        let actors = [
            (
                "admin",
                token(&admin_login),
                viewer(admin_id, Role::Admin, vec![], "FR"),
            ),
            (
                "author",
                author.clone(),
                viewer(author_id, Role::Member, vec![], "FR"),
            ),
            (
                "recipient",
                recipient.clone(),
                viewer(recipient_id, Role::Member, vec![], "BE"),
            ),
            (
                "belgian",
                token(&belgian_login),
                viewer(
                    belgian_login["user"]["id"].as_i64().unwrap(),
                    Role::Member,
                    vec![],
                    "BE",
                ),
            ),
            (
                "moderator",
                token(&moderator_login),
                viewer(
                    moderator_login["user"]["id"].as_i64().unwrap(),
                    Role::Moderator,
                    vec![],
                    "FR",
                ),
            ),
            (
                "insider",
                token(&insider_login),
                viewer(insider_id, Role::Member, vec![group], "FR"),
            ),
            (
                "outsider",
                token(&outsider_login),
                viewer(
                    outsider_login["user"]["id"].as_i64().unwrap(),
                    Role::Member,
                    vec![],
                    "FR",
                ),
            ),
        ];

        let mut differences = Vec::new();
        let mut calls = 0;
        for (category, groups, thread, post, flag, attachment, marking) in &resources {
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
                    // Calls naming no thread, post, flag or file do not
                    // depend on a thread's mark: asked once per category.
                    let names_one = ["{thread}", "{post}", "{flag}", "{attachment}"]
                        .iter()
                        .any(|p| path.contains(p));
                    if marking.mark != Mark::Green && !names_one {
                        continue;
                    }
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
                    let want = expected(rule, v, groups, marking.author.get(), marking);
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
        eprintln!("authorization matrix: {calls} calls");
        assert!(calls >= 300, "{calls} calls");
        assert!(
            differences.is_empty(),
            "{} differences in {calls} calls:\n{}",
            differences.len(),
            differences.join("\n")
        );
    }
);
