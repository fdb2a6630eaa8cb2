//! Changing what is there: editing a post, its revisions, retagging a
//! thread's jurisdictions, endorsing an analysis.

use super::*;

#[derive(Deserialize)]
pub(super) struct RetagFields {
    #[serde(default)]
    jurisdictions: String,
}

pub(super) async fn retag(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<ThreadId>,
    form: web::Form<RetagFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let id = path.into_inner();
    let codes = split_codes(&form.jurisdictions);
    state
        .run(move |db| {
            db.update_thread(
                &viewer,
                id,
                &ThreadUpdate {
                    jurisdictions: Some(&codes),
                    ..Default::default()
                },
            )
        })
        .await?;
    Ok(redirect(&format!("/t/{id}")))
}

#[derive(Deserialize)]
pub(super) struct MarkFields {
    #[serde(default)]
    mark: String,
    #[serde(default)]
    mark_countries: String,
    #[serde(default)]
    mark_members: String,
}

/// Changes a thread's handling mark from its page (author; staff tighten).
pub(super) async fn remark(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<ThreadId>,
    form: web::Form<MarkFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let id = path.into_inner();
    let f = form.into_inner();
    state
        .run(move |db| {
            let (mark, recipients) =
                super::compose::form_marking(db, &f.mark, &f.mark_countries, &f.mark_members)?;
            db.update_thread(
                &viewer,
                id,
                &ThreadUpdate {
                    mark: Some(mark.as_deref().unwrap_or("GREEN")),
                    mark_recipients: Some(&recipients),
                    ..Default::default()
                },
            )
        })
        .await?;
    Ok(redirect(&format!("/t/{id}")))
}

#[derive(Deserialize)]
pub(super) struct EndorseFields {
    jurisdiction: String,
}

pub(super) async fn endorse(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<ThreadId>,
    form: web::Form<EndorseFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let id = path.into_inner();
    let jurisdiction = form.into_inner().jurisdiction;
    state
        .run(move |db| db.endorse(&viewer, id, &jurisdiction))
        .await?;
    Ok(redirect(&format!("/t/{id}#analysis-heading")))
}

pub(super) async fn withdraw(
    state: web::Data<AppState>,
    member: PageMember,
    path: web::Path<ThreadId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let id = path.into_inner();
    state
        .run(move |db| db.withdraw_endorsement(&viewer, id))
        .await?;
    Ok(redirect(&format!("/t/{id}#analysis-heading")))
}

pub(super) async fn edit_form(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<PostId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let id = path.into_inner();
    let post = state.run(move |db| db.post(&v, id)).await?;
    if !access::can_edit_post(&viewer, post.author.id) {
        return Err(PageError::keyed(StatusCode::FORBIDDEN, "error-forbidden"));
    }
    render(
        &EditPostPage {
            composer_script: views::assets::composer_script_path(),
            chrome: chrome(ui.i18n.t("edit-post"), &viewer, &ui),
            post_id: post.id,
            thread_id: post.thread_id,
            body: post.body,
            reason: String::new(),
            error: None,
            notice: None,
            personal_data: None,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub(super) struct EditFields {
    body: String,
    #[serde(default)]
    edit_reason: String,
    /// The reason to keep suspected personal data.
    acknowledge_reason: Option<String>,
    /// Asked to replace suspected personal data with pseudonyms.
    pseudonymise: Option<String>,
}

pub(super) async fn edit(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<PostId>,
    form: web::Form<EditFields>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let id = path.into_inner();
    let f = form.into_inner();
    let v = viewer.clone();
    if f.pseudonymise.is_some() {
        use forum_core::domain::personal_data::{detect, pseudonymise};
        let spans = detect(&f.body);
        let body = pseudonymise(&f.body, &spans);
        let v = viewer.clone();
        let post = state.run(move |db| db.post(&v, id)).await?;
        return render(
            &EditPostPage {
                composer_script: views::assets::composer_script_path(),
                chrome: chrome(ui.i18n.t("edit-post"), &viewer, &ui),
                post_id: id,
                thread_id: post.thread_id,
                body,
                reason: f.edit_reason,
                error: None,
                notice: Some(ui.i18n.t("pd-pseudonymised")),
                personal_data: None,
            },
            StatusCode::OK,
        );
    }
    let acknowledge = f
        .acknowledge_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let (body, reason) = (f.body.clone(), f.edit_reason.clone());
    let result = state
        .try_run(move |db| {
            db.edit_post(
                &v,
                id,
                &forum_core::features::forum::PostEdit {
                    body: &body,
                    reason: Some(&reason),
                    acknowledge_personal_data: acknowledge.as_deref(),
                    ..Default::default()
                },
            )
        })
        .await?;
    match result {
        Ok(post) => Ok(redirect(&format!("/t/{}#post-{}", post.thread_id, post.id))),
        Err(err) if is_form_error(&err) && err.field().is_some() => {
            let v = viewer.clone();
            let post = state.run(move |db| db.post(&v, id)).await?;
            render(
                &EditPostPage {
                    composer_script: views::assets::composer_script_path(),
                    chrome: chrome(ui.i18n.t("edit-post"), &viewer, &ui),
                    post_id: id,
                    thread_id: post.thread_id,
                    personal_data: err.personal_data().map(|spans| {
                        views::PersonalDataNotice::new(
                            spans,
                            &[("body", f.body.as_str())],
                            &ui.i18n,
                        )
                    }),
                    notice: None,
                    body: f.body,
                    reason: f.edit_reason,
                    error: Some(form_error(&err, &ui)),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(err) => Err(err.into()),
    }
}

pub(super) async fn revisions(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<PostId>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let id = path.into_inner();
    let (post, revisions) = state
        .run(move |db| Ok((db.post(&v, id)?, db.revisions(&v, id)?)))
        .await?;
    let mut items = Vec::with_capacity(revisions.len());
    let mut previous = String::new();
    for r in revisions {
        items.push(RevisionItem {
            revision: r.revision,
            editor: r.edited_by.display_name,
            at: When::of(r.edited_at, &ui.i18n),
            reason: r.reason,
            diff: diff_lines(&previous, &r.body),
            removed_files: r
                .removed_attachments
                .iter()
                .map(views::FileRow::new)
                .collect(),
        });
        previous = r.body;
    }
    render(
        &RevisionsPage {
            chrome: chrome(ui.i18n.t("revision-history"), &viewer, &ui),
            post_id: post.id,
            thread_id: post.thread_id,
            revisions: items,
        },
        StatusCode::OK,
    )
}
