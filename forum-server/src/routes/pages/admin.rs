//! Admin pages: invitations (moderators and admins) and categories (admins).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::Duration;
use forum_core::{Viewer, access};
use serde::Deserialize;
use views::AdminPage;

use super::{PageError, chrome, form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::routes::api::invitations::invitation_url;
use crate::routes::block;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(admin))
        .route("/admin/invitations", web::post().to(invite))
        .route("/admin/categories", web::post().to(create_category));
}

fn staff_only(viewer: &Viewer) -> Result<(), PageError> {
    if access::can_invite(viewer) {
        Ok(())
    } else {
        Err(PageError::keyed(StatusCode::FORBIDDEN, "error-forbidden"))
    }
}

async fn admin_page(
    state: &AppState,
    ui: &Ui,
    viewer: Viewer,
    invitation: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    let db = state.db.clone();
    let v = viewer.clone();
    let categories = block(move || db.categories(&v)).await?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &AdminPage {
            chrome: chrome(ui.i18n.t("administration"), &viewer, ui),
            categories,
            invitation_url: invitation,
            error,
            can_manage_categories: access::can_manage_categories(&viewer),
        },
        status,
    )
}

async fn admin(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    staff_only(&member.0)?;
    admin_page(&state, &ui, member.0, None, None).await
}

#[derive(Deserialize)]
struct InviteFields {
    email: String,
    role: String,
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
    let db = state.db.clone();
    let v = viewer.clone();
    let ttl = Duration::seconds(state.settings.invitation_ttl_secs);
    let result = web::block(move || db.create_invitation(&v, &f.email, Some(&f.role), ttl))
        .await
        .map_err(crate::error::ApiError::from)?;
    match result {
        Ok(issued) => {
            let url = invitation_url(&state, &issued.token);
            admin_page(&state, &ui, viewer, Some(url), None).await
        }
        Err(err) => admin_page(&state, &ui, viewer, None, Some(form_error(&err, &ui))).await,
    }
}

#[derive(Deserialize)]
struct CategoryFields {
    slug: String,
    name: String,
    #[serde(default)]
    description: String,
}

async fn create_category(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    form: web::Form<CategoryFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    staff_only(&viewer)?;
    let f = form.into_inner();
    let db = state.db.clone();
    let v = viewer.clone();
    let result = web::block(move || db.create_category(&v, &f.slug, &f.name, &f.description, &[]))
        .await
        .map_err(crate::error::ApiError::from)?;
    match result {
        Ok(category) => Ok(redirect(&format!("/c/{}", category.slug))),
        Err(err) => admin_page(&state, &ui, viewer, None, Some(form_error(&err, &ui))).await,
    }
}
