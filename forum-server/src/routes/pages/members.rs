//! The staff members page: find members by name, country and role; an
//! admin changes a role or groups, ends sessions or sends a reset link; a
//! moderator suspends the members they may. Each control is shown only to
//! those the access rule lets act, every action is audited by forum-core,
//! and every POST redirects back (post/redirect/get) — except a reset
//! link, which is shown once.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{Duration, NaiveDate};
use forum_core::features::accounts::members::{MemberFilter, MemberSummary};
use forum_core::{CoreError, Viewer, access};
use forum_core::{GroupId, UserId};
use serde::Deserialize;
use views::{MemberRow, MembersPage, When};

use super::{PageError, chrome, form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/admin/members", web::get().to(members))
        .route("/admin/members/{id}", web::post().to(act));
}

#[derive(Deserialize, Default)]
struct MembersQuery {
    q: Option<String>,
    country: Option<String>,
    role: Option<String>,
    /// After an action: which member, and what was done or refused.
    member: Option<UserId>,
    done: Option<String>,
    error: Option<String>,
}

impl MembersQuery {
    fn filter(&self) -> MemberFilter {
        MemberFilter {
            query: self.q.clone(),
            country: self
                .country
                .clone()
                .filter(|c| forum_core::domain::jurisdictions::is_country(c)),
            role: self
                .role
                .as_deref()
                .and_then(|r| forum_core::domain::Role::parse(r).ok()),
        }
    }

    /// The filters as a query string, to come back to the same list.
    fn back(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("q", &self.q),
            ("country", &self.country),
            ("role", &self.role),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                q.append_pair(key, v);
            }
        }
        q.finish()
    }
}

fn staff_only(viewer: &Viewer) -> Result<(), PageError> {
    if access::can_list_members(viewer) {
        Ok(())
    } else {
        Err(PageError::keyed(StatusCode::FORBIDDEN, "error-forbidden"))
    }
}

async fn members(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<MembersQuery>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    staff_only(&viewer)?;
    // A reset link just issued: `<member id>|<link>`, shown once.
    let reset_link = super::shown_once::read(&req).and_then(|v| {
        let (id, link) = v.split_once('|')?;
        Some((id.parse::<UserId>().ok()?, link.to_owned()))
    });
    let query = query.into_inner();
    let message = query.member.zip(
        query
            .error
            .as_deref()
            .map(|code| (true, error_text(code, &ui)))
            .or_else(|| {
                query
                    .done
                    .as_deref()
                    .map(|d| (false, ui.i18n.t(done_message(d))))
            }),
    );
    let shown = reset_link.is_some();
    let mut response = page(&state, &ui, viewer, &query, message, reset_link).await?;
    if shown {
        super::shown_once::clear(&mut response, "/admin/members");
    }
    Ok(response)
}

/// The catalogue key of the notice after `action`.
fn done_message(action: &str) -> &'static str {
    match action {
        "role" => "members-done-role",
        "groups" => "members-done-groups",
        "suspend" => "members-done-suspend",
        "unsuspend" => "members-done-unsuspend",
        "sessions" => "members-done-sessions",
        "erase" => "members-done-erase",
        _ => "members-done-saved",
    }
}

/// A refusal's message in the reader's language, from its error code.
fn error_text(code: &str, ui: &Ui) -> String {
    ui.i18n
        .try_t(&format!("error-{code}"))
        .unwrap_or_else(|| ui.i18n.t("error-forbidden"))
}

async fn page(
    state: &AppState,
    ui: &Ui,
    viewer: Viewer,
    query: &MembersQuery,
    message: Option<(UserId, (bool, String))>,
    reset_link: Option<(UserId, String)>,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let filter = query.filter();
    let (found, groups) = state
        .run(move |db| {
            let found = db.members(&v, &filter)?;
            let groups = if access::can_manage_groups(&v) {
                db.groups(&v)?.into_iter().map(|g| (g.id, g.name)).collect()
            } else {
                Vec::new()
            };
            Ok((found, groups))
        })
        .await?;
    let rows = found
        .into_iter()
        .map(|m| row(&viewer, m, &groups, ui))
        .collect();
    render(
        &MembersPage {
            chrome: chrome(ui.i18n.t("members-title"), &viewer, ui),
            rows,
            query: query.q.clone().unwrap_or_default(),
            country: query.country.clone().unwrap_or_default(),
            role: query.role.clone().unwrap_or_default(),
            countries: views::country_options(&ui.i18n),
            roles: views::role_options(&ui.i18n),
            back: query.back(),
            message,
            reset_link,
            limit: forum_core::features::accounts::members::MEMBER_LIST_LIMIT,
        },
        StatusCode::OK,
    )
}

fn row(viewer: &Viewer, m: MemberSummary, groups: &[(GroupId, String)], ui: &Ui) -> MemberRow {
    let user = m.user;
    let erased = user.is_erased();
    // An erased account is suspended for good; its name says what it is.
    let suspended = user
        .suspended_until
        .filter(|u| *u > forum_core::now() && !erased);
    MemberRow {
        id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        country: ui.i18n.country(&user.country),
        role: user.role.as_str().to_owned(),
        role_label: ui.i18n.t(&format!("role-{}", user.role.as_str())),
        groups: groups
            .iter()
            .map(|(id, name)| (*id, name.clone(), m.groups.contains(id)))
            .collect(),
        suspended_until: suspended.map(|at| When::of(at, &ui.i18n)),
        joined: When::of(user.created_at, &ui.i18n),
        // An erased account is inert.
        can_change_role: access::can_manage_roles(viewer) && !erased,
        can_suspend: access::can_suspend(viewer, user.id, user.role) && !erased,
        can_manage_account: access::can_manage_users(viewer) && !erased,
        can_erase: access::can_manage_roles(viewer) && user.id != viewer.id && !erased,
    }
}

/// The action a member row's forms post: one form per action.
#[derive(Default)]
struct ActFields {
    action: String,
    role: Option<String>,
    until: Option<String>,
    reason: Option<String>,
    /// The erase form's "I understand" box.
    confirm: bool,
    /// The filters of the list the form was on.
    back: Option<String>,
}

async fn act(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<UserId>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    staff_only(&viewer)?;
    let id = path.into_inner();
    // The group checkboxes repeat their field; the rest are single.
    let mut groups = Vec::new();
    let mut fields = ActFields::default();
    for (key, value) in url::form_urlencoded::parse(&body) {
        let value = value.into_owned();
        match key.as_ref() {
            "groups" => groups.push(value.trim().parse::<GroupId>().map_err(|_| {
                PageError::new(StatusCode::BAD_REQUEST, "The form was not complete.")
            })?),
            "action" => fields.action = value,
            "role" => fields.role = Some(value),
            "until" => fields.until = Some(value),
            "reason" => fields.reason = Some(value),
            "confirm" => fields.confirm = value == "yes",
            "back" => fields.back = Some(value),
            _ => {}
        }
    }
    let back = fields
        .back
        .clone()
        .filter(|b| !b.contains(['#', '\r', '\n']))
        .unwrap_or_default();
    let db = state.db.clone();
    let files = state.files.clone();
    let policy = state.settings.privacy.erased_posts();
    let v = viewer.clone();
    let action = fields.action.clone();
    let result: Result<Option<String>, CoreError> =
        crate::http::head::blocking(move || match action.as_str() {
            "role" => db
                .update_member(
                    &v,
                    id,
                    Some(fields.role.as_deref().unwrap_or_default()),
                    None,
                )
                .map(|_| None),
            "groups" => db.update_member(&v, id, None, Some(&groups)).map(|_| None),
            "suspend" => {
                let until = suspension_end(fields.until.as_deref().unwrap_or_default())?;
                db.suspend(&v, id, until, fields.reason.as_deref().unwrap_or_default())
                    .map(|_| None)
            }
            "unsuspend" => db
                .unsuspend(&v, id, fields.reason.as_deref().unwrap_or_default())
                .map(|_| None),
            "sessions" => db.end_sessions_of(&v, id).map(|_| None),
            "erase" => {
                if !fields.confirm {
                    return Err(CoreError::invalid(
                        "confirm",
                        "tick the box to confirm: erasure cannot be undone",
                    ));
                }
                crate::routes::api::users::erase_now(
                    &db,
                    &files,
                    &v,
                    id,
                    fields.reason.as_deref().unwrap_or_default(),
                    policy,
                )
                .map(|_| None)
            }
            "reset" => db
                .issue_password_reset(
                    &v,
                    id,
                    Duration::hours(crate::routes::api::users::RESET_LINK_HOURS),
                )
                .map(|issued| Some(issued.token)),
            _ => Err(CoreError::invalid("action", "unknown action")),
        })
        .await
        .map_err(crate::error::ApiError::from)?;
    let base = if back.is_empty() {
        format!("/admin/members?member={id}")
    } else {
        format!("/admin/members?{back}&member={id}")
    };
    match result {
        Ok(Some(token)) => {
            tracing::warn!(
                admin = viewer.id.get(),
                user_id = id.get(),
                "an admin issued a password reset link"
            );
            let link = state.links.password_reset(&token);
            Ok(super::shown_once::redirect_with(
                &format!("{base}#member-{id}"),
                "/admin/members",
                &format!("{id}|{link}"),
                state.settings.secure_cookies(),
            ))
        }
        Ok(None) => {
            tracing::warn!(by = viewer.id.get(), user_id = id.get(), action = %fields.action, "member changed by staff");
            Ok(redirect(&format!(
                "{base}&done={}#member-{id}",
                url::form_urlencoded::byte_serialize(fields.action.as_bytes()).collect::<String>()
            )))
        }
        Err(err)
            if err.field().is_some()
                && err.code() == forum_core::error::ErrorCode::InvalidField =>
        {
            // A field the form lets one get wrong (the date, the reason):
            // say which, in the reader's language.
            let query: MembersQuery = web::Query::<MembersQuery>::from_query(&back)
                .map(web::Query::into_inner)
                .unwrap_or_default();
            let message = Some((id, (true, form_error(&err, &ui))));
            page(&state, &ui, viewer, &query, message, None).await
        }
        Err(err) if super::is_form_error(&err) => Ok(redirect(&format!(
            "{base}&error={}#member-{id}",
            err.code()
        ))),
        Err(err) => Err(err.into()),
    }
}

/// The end of a suspension from the form's date: the end of that day, UTC.
fn suspension_end(date: &str) -> Result<chrono::NaiveDateTime, CoreError> {
    NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .ok_or_else(|| CoreError::invalid("until", "choose the last day of the suspension"))
}
