//! The `/verify` page: upload a certified export and read whether it is
//! intact, signed by this forum's key, and what it certifies.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use views::{VerifyPage, VerifyResult};

use super::{PageError, chrome, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/verify", web::get().to(verify_form))
        .route("/verify", web::post().to(verify_upload));
}

async fn verify_form(ui: Ui, member: PageMember) -> Result<HttpResponse, PageError> {
    render(
        &VerifyPage {
            chrome: chrome(ui.i18n.t("verify-title"), &member.0, &ui),
            result: None,
        },
        StatusCode::OK,
    )
}

async fn verify_upload(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    req: actix_web::HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let submission = super::submission::Submission::read(&req, payload, &state).await?;
    let result = match submission.files.first() {
        None => VerifyResult::default(),
        Some((_, staged)) => {
            let bytes = std::fs::read(staged.path())
                .map_err(|e| PageError::from(crate::error::ApiError::internal(e)))?;
            let check = crate::export::verify(&bytes, Some(&state.export_key.verifying()));
            let m = check.manifest.clone();
            VerifyResult {
                checked: true,
                intact: check.intact,
                problem: check.problem.unwrap_or_default(),
                thread: m.as_ref().map(|m| (m.thread_id, m.title.clone())),
                mark: m.as_ref().map(|m| m.mark.clone()).unwrap_or_default(),
                exported_by: m
                    .as_ref()
                    .map(|m| m.exported_by.clone())
                    .unwrap_or_default(),
                exported_at: m
                    .as_ref()
                    .map(|m| m.exported_at.clone())
                    .unwrap_or_default(),
                audit_head: m
                    .as_ref()
                    .and_then(|m| m.audit_head.clone())
                    .unwrap_or_default(),
                files: m.map(|m| m.files.into_iter().collect()).unwrap_or_default(),
            }
        }
    };
    let status = if result.checked && !result.intact {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &VerifyPage {
            chrome: chrome(ui.i18n.t("verify-title"), &member.0, &ui),
            result: Some(result),
        },
        status,
    )
}
