//! Admin pages: invitations (moderators and admins) and categories (admins).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Duration;
use forum_core::{GroupId, InvitationId, Viewer, access};
use serde::Deserialize;
use views::{AdminInput, AdminPage};

use super::{PageError, chrome, form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/admin", web::get().to(admin))
        .route("/admin/invitations", web::post().to(invite))
        .route(
            "/admin/invitations/{id}/revoke",
            web::post().to(revoke_invitation),
        )
        .route("/admin/categories", web::post().to(create_category))
        .route("/admin/security", web::post().to(security))
        .route("/admin/groups", web::post().to(create_group))
        .route("/admin/groups/{id}/members", web::post().to(group_member));
}

#[derive(Deserialize)]
struct GroupFields {
    name: String,
}

async fn create_group(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    form: web::Form<GroupFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let name = form.into_inner().name;
    let typed = name.clone();
    let result = state
        .try_run(move |db| db.create_group_as(&v, &name))
        .await?;
    match result {
        Ok(_) => Ok(redirect("/admin#groups-heading")),
        Err(err) if super::is_form_error(&err) => {
            let input = AdminInput {
                group_name: typed,
                ..Default::default()
            };
            admin_page(
                &state,
                &ui,
                viewer,
                Outcome::refused("group", &err, &ui, input),
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
struct GroupMemberFields {
    username: String,
    member: String,
}

async fn group_member(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<GroupId>,
    form: web::Form<GroupMemberFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let group = path.into_inner();
    let f = form.into_inner();
    let typed = f.username.clone();
    let db = state.db.clone();
    let v = viewer.clone();
    let result = crate::http::head::blocking(move || {
        let user = db.user_by_username(&f.username).map_err(|_| {
            forum_core::CoreError::invalid("username", "no member has this username")
        })?;
        db.set_group_membership_as(&v, group, user.id, f.member != "remove")
    })
    .await
    .map_err(crate::error::ApiError::from)?;
    match result {
        Ok(()) => Ok(redirect("/admin#groups-heading")),
        Err(err) if super::is_form_error(&err) => {
            let input = AdminInput {
                group_member: (group, typed),
                ..Default::default()
            };
            admin_page(
                &state,
                &ui,
                viewer,
                Outcome::refused("group-member", &err, &ui, input),
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}

fn staff_only(viewer: &Viewer) -> Result<(), PageError> {
    if access::can_invite(viewer) {
        Ok(())
    } else {
        Err(PageError::keyed(StatusCode::FORBIDDEN, "error-forbidden"))
    }
}

/// What the admin page shows after an action: the link just issued, or
/// the refusal beside the form it is about, with what was typed kept.
#[derive(Default)]
struct Outcome {
    invitation: Option<String>,
    /// The form refused (`invite`, `category`, `group`, `group-member`,
    /// `security`) and why, in the reader's language.
    error: Option<(&'static str, String)>,
    input: AdminInput,
    flash: Option<String>,
}

impl Outcome {
    fn refused(
        form: &'static str,
        err: &forum_core::CoreError,
        ui: &Ui,
        input: AdminInput,
    ) -> Self {
        Outcome {
            error: Some((form, form_error(err, ui))),
            input,
            ..Default::default()
        }
    }
}

async fn admin_page(
    state: &AppState,
    ui: &Ui,
    viewer: Viewer,
    outcome: Outcome,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let (categories, everyone, groups, pending) = state
        .run(move |db| {
            let groups = if access::can_manage_groups(&v) {
                let groups = db.groups(&v)?;
                let mut named = Vec::with_capacity(groups.len());
                for g in groups {
                    let mut members = Vec::with_capacity(g.members.len());
                    for id in &g.members {
                        members.push(db.user(*id)?.username);
                    }
                    named.push((g.id, g.name, members));
                }
                Some(named)
            } else {
                None
            };
            Ok((
                db.categories(&v)?,
                db.second_factor_required_for_everyone()?,
                groups,
                db.pending_invitations(&v)?,
            ))
        })
        .await?;
    let Outcome {
        invitation,
        error,
        input,
        flash,
    } = outcome;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &AdminPage {
            chrome: {
                let title = if viewer.is_admin() {
                    "administration"
                } else {
                    "invitations-title"
                };
                let mut chrome = chrome(ui.i18n.t(title), &viewer, ui);
                chrome.flash = flash;
                chrome
            },
            categories,
            invitation_url: invitation,
            error_at: error.as_ref().map(|e| e.0).unwrap_or_default(),
            error: error.map(|e| e.1),
            can_manage_categories: access::can_manage_categories(&viewer),
            second_factor_everyone: access::can_manage_users(&viewer).then_some(everyone),
            groups,
            can_choose_role: access::can_manage_roles(&viewer),
            pending: pending
                .into_iter()
                .map(|p| views::PendingRow {
                    id: p.id,
                    email: p.email,
                    role_label: ui.i18n.t(&format!("role-{}", p.role.as_str())),
                    created_by: p.created_by,
                    expires: views::When::of(p.expires_at, &ui.i18n),
                })
                .collect(),
            input,
        },
        status,
    )
}

#[derive(Deserialize)]
struct AdminQuery {
    done: Option<String>,
}

async fn admin(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<AdminQuery>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, PageError> {
    staff_only(&member.0)?;
    // The link of the invitation just created, shown once.
    let invitation = super::shown_once::read(&req);
    let flash = match query.done.as_deref() {
        Some("security") => Some(ui.i18n.t("done-security")),
        Some("revoked") => Some(ui.i18n.t("invitation-revoked")),
        _ => None,
    };
    let shown = invitation.is_some();
    let outcome = Outcome {
        flash,
        invitation,
        ..Default::default()
    };
    let mut response = admin_page(&state, &ui, member.0, outcome).await?;
    if shown {
        super::shown_once::clear(&mut response, "/admin");
    }
    Ok(response)
}

#[derive(Deserialize)]
struct InviteFields {
    email: String,
    /// Admins choose; a moderator's invitations are for members.
    role: Option<String>,
}

async fn invite(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    form: web::Form<InviteFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    staff_only(&viewer)?;
    let f = form.into_inner();
    let input = AdminInput {
        invite_email: f.email.clone(),
        invite_role: f.role.clone().unwrap_or_default(),
        ..Default::default()
    };
    let v = viewer.clone();
    let ttl = Duration::seconds(state.settings.invitation_ttl_secs);
    let result = state
        .try_run(move |db| db.create_invitation(&v, &f.email, f.role.as_deref(), ttl))
        .await?;
    match result {
        // Only its hash is kept: the link travels to the page once.
        Ok(issued) => Ok(super::shown_once::redirect_with(
            "/admin#invite-heading",
            "/admin",
            &state.links.invitation(&issued.token),
            state.settings.secure_cookies(),
        )),
        Err(err) => {
            admin_page(
                &state,
                &ui,
                viewer,
                Outcome::refused("invite", &err, &ui, input),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct CategoryFields {
    slug: String,
    name: String,
    description: String,
    /// Groups the category is restricted to (none: every member).
    groups: Vec<GroupId>,
}

impl CategoryFields {
    /// Reads the form body (the group checkboxes repeat their field).
    fn parse(body: &[u8]) -> Result<Self, PageError> {
        let mut f = CategoryFields {
            slug: String::new(),
            name: String::new(),
            description: String::new(),
            groups: Vec::new(),
        };
        for (key, value) in url::form_urlencoded::parse(body) {
            match key.as_ref() {
                "slug" => f.slug = value.into_owned(),
                "name" => f.name = value.into_owned(),
                "description" => f.description = value.into_owned(),
                "restricted_to_groups" => f.groups.push(value.trim().parse().map_err(|_| {
                    PageError::new(StatusCode::BAD_REQUEST, "The form was not complete.")
                })?),
                _ => {}
            }
        }
        Ok(f)
    }
}

async fn create_category(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    staff_only(&viewer)?;
    let f = CategoryFields::parse(&body)?;
    let input = AdminInput {
        slug: f.slug.clone(),
        name: f.name.clone(),
        description: f.description.clone(),
        restricted_to: f.groups.clone(),
        ..Default::default()
    };
    let v = viewer.clone();
    let result = state
        .try_run(move |db| db.create_category(&v, &f.slug, &f.name, &f.description, &f.groups))
        .await?;
    match result {
        Ok(category) => Ok(redirect(&format!("/c/{}", category.slug))),
        Err(err) => {
            admin_page(
                &state,
                &ui,
                viewer,
                Outcome::refused("category", &err, &ui, input),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct SecurityFields {
    second_factor_everyone: Option<String>,
}

async fn security(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    form: web::Form<SecurityFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    staff_only(&viewer)?;
    let on = form.into_inner().second_factor_everyone.is_some();
    let v = viewer.clone();
    let result = state
        .try_run(move |db| db.require_second_factor_for_everyone(&v, on))
        .await?;
    match result {
        Ok(()) => {
            tracing::warn!(
                admin = viewer.id.get(),
                on,
                "second factor for everyone changed"
            );
            Ok(redirect("/admin?done=security"))
        }
        Err(err) => {
            let outcome = Outcome::refused("security", &err, &ui, AdminInput::default());
            admin_page(&state, &ui, viewer, outcome).await
        }
    }
}

/// Withdraws a pending invitation.
async fn revoke_invitation(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<InvitationId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    staff_only(&viewer)?;
    let id = path.into_inner();
    state
        .run(move |db| db.revoke_invitation(&viewer, id))
        .await?;
    Ok(redirect("/admin?done=revoked#pending-heading"))
}
