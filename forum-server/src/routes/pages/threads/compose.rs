//! The new-thread page: the form (with the analysis record for analyses),
//! its validation and the redirect to the new thread.

use super::*;
use forum_core::access::MarkRecipients;

#[derive(Deserialize)]
pub(super) struct NewThreadQuery {
    category: Option<CategoryId>,
    kind: Option<String>,
    /// Comma-separated jurisdiction codes to preselect.
    jurisdictions: Option<String>,
    title: Option<String>,
    /// The advice request whose anonymised analysis this publishes.
    advice: Option<ThreadId>,
}

pub(super) async fn new_thread_page(
    state: &AppState,
    ui: &Ui,
    viewer: forum_core::Viewer,
    form: ThreadForm,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let categories = state.run(move |db| db.categories(&v)).await?;
    let status = if form.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &NewThreadPage {
            chrome: chrome(ui.i18n.t("new-thread"), &viewer, ui),
            categories,
            jurisdiction_options: views::jurisdiction_picker(&form.jurisdictions, &ui.i18n),
            instrument_options: views::instrument_picker(
                &form.instruments,
                &ui.i18n,
                crate::routes::pages::instrument_aliases,
            ),
            crime_area_options: views::crime_area_options(&form.crime_areas, &ui.i18n),
            picker_script: views::assets::picker_script_path(),
            composer_script: views::assets::composer_script_path(),
            form,
        },
        status,
    )
}

pub(super) async fn new_thread_form(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<NewThreadQuery>,
) -> Result<HttpResponse, PageError> {
    let q = query.into_inner();
    let form = ThreadForm {
        category_id: q.category.unwrap_or_default(),
        kind: q
            .kind
            .filter(|k| ThreadKind::parse(k).is_ok())
            .unwrap_or_else(|| "discussion".to_owned()),
        jurisdictions: split_codes(q.jurisdictions.as_deref().unwrap_or_default()),
        title: q.title.unwrap_or_default(),
        advice: q.advice,
        ..Default::default()
    };
    new_thread_page(&state, &ui, member.0, form).await
}

/// The mark chosen in a form and the readers it names: countries by code,
/// members by username. Only what the chosen mark uses is kept, so fields
/// left filled in after switching marks do not refuse the form.
pub(super) fn form_marking(
    db: &forum_core::Db,
    mark: &str,
    countries: &str,
    members: &str,
) -> forum_core::Result<(Option<String>, MarkRecipients)> {
    let chosen = Some(mark.trim().to_owned()).filter(|m| !m.is_empty());
    let parsed = chosen
        .as_deref()
        .map(|m| forum_core::domain::mark::Mark::parse("mark", m))
        .transpose()?;
    let mut recipients = MarkRecipients::default();
    match parsed {
        Some(forum_core::domain::mark::Mark::AmberStrict) => {
            recipients.countries = split_codes(countries);
        }
        Some(forum_core::domain::mark::Mark::Red) => {
            recipients.users = db.user_ids_named("mark_recipients", &split_codes(members))?;
        }
        _ => {}
    }
    Ok((chosen, recipients))
}

/// Codes typed into a text field, separated by commas or spaces.
pub(super) fn split_codes(raw: &str) -> Vec<String> {
    raw.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The new-thread form, read from its urlencoded body (the pickers send a
/// field once per selected option).
pub(super) fn thread_form(body: &[u8]) -> Result<ThreadForm, PageError> {
    let mut form = ThreadForm::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        let value = value.into_owned();
        match key.as_ref() {
            "category_id" => {
                form.category_id = value.trim().parse().map_err(|_| {
                    PageError::new(StatusCode::BAD_REQUEST, "The form was not complete.")
                })?
            }
            "title" => form.title = value,
            "advice" => form.advice = value.trim().parse::<i64>().ok().map(ThreadId::from),
            "kind" => form.kind = value,
            "jurisdictions" => form.jurisdictions.extend(split_codes(&value)),
            "body" => form.body = value,
            "language" => form.language = value,
            "summary" => form.summary = value,
            "instruments" => form.instruments.push(value),
            "crime_areas" => form.crime_areas.push(value),
            "provisions" => form.provisions = value,
            "cases" => form.cases = value,
            "valid_as_of" => form.valid_as_of = value,
            "review_by" => form.review_by = value,
            "attachments" => form.attachments = value,
            "mark" => form.mark = value,
            "mark_countries" => form.mark_countries = value,
            "mark_members" => form.mark_members = value,
            "acknowledge_reason" => form.acknowledge_reason = value,
            "pseudonymise" => form.pseudonymise = !value.is_empty(),
            _ => {}
        }
    }
    Ok(form)
}

/// The analysis record typed into the form: provisions as `code | text`
/// lines, decisions as `court | date | reference | ECLI` lines.
pub(super) fn analysis_input(form: &ThreadForm, fallback_language: &str) -> AnalysisInput {
    let lines = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| l.split('|').map(|p| p.trim().to_owned()).collect())
            .collect()
    };
    let nonempty = |s: Option<&String>| s.filter(|s| !s.is_empty()).cloned();
    let language = if form.language.is_empty() {
        let detected = ContentLanguage::detect(&format!("{}\n\n{}", form.summary, form.body));
        if detected.as_str() == ContentLanguage::UNDETERMINED {
            fallback_language.to_owned()
        } else {
            detected.as_str().to_owned()
        }
    } else {
        form.language.clone()
    };
    AnalysisInput {
        summary: form.summary.clone(),
        language,
        instruments: form.instruments.clone(),
        crime_areas: form.crime_areas.clone(),
        legal_provisions: form
            .provisions
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| provision(line, &form.jurisdictions))
            .collect(),
        case_citations: lines(&form.cases)
            .into_iter()
            .map(|c| CaseCitationInput {
                court: c.first().cloned().unwrap_or_default(),
                date: nonempty(c.get(1)),
                reference: c.get(2).cloned().unwrap_or_default(),
                ecli: nonempty(c.get(3)),
                jurisdiction: None,
            })
            .collect(),
        valid_as_of: Some(form.valid_as_of.clone()).filter(|d| !d.is_empty()),
        review_by: Some(form.review_by.clone()).filter(|d| !d.is_empty()),
    }
}

/// One provision line: `FR | text` (or `FR: text`); a line without a
/// code belongs to the thread's jurisdiction when it has exactly one.
fn provision(line: &str, jurisdictions: &[String]) -> LegalProvisionInput {
    let coded = line
        .split_once('|')
        .or_else(|| line.split_once(':'))
        .map(|(code, text)| (code.trim(), text.trim()))
        .filter(|(code, _)| {
            forum_core::domain::jurisdictions::get(&code.to_ascii_uppercase()).is_some()
        });
    match (coded, jurisdictions) {
        (Some((code, text)), _) => LegalProvisionInput {
            jurisdiction: code.to_owned(),
            text: text.to_owned(),
        },
        (None, [only]) => LegalProvisionInput {
            jurisdiction: only.clone(),
            text: line.to_owned(),
        },
        // Left for the domain to refuse, naming the field.
        (None, _) => match line.split_once('|') {
            Some((code, text)) => LegalProvisionInput {
                jurisdiction: code.trim().to_owned(),
                text: text.trim().to_owned(),
            },
            None => LegalProvisionInput {
                jurisdiction: String::new(),
                text: line.to_owned(),
            },
        },
    }
}

pub(super) async fn new_thread(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    req: actix_web::HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    state.limits.check_post(&viewer).await?;
    let submission =
        crate::routes::pages::submission::Submission::read(&req, payload, &state).await?;
    let mut f = thread_form(&submission.urlencoded())?;
    // Files chosen without the script come with the form, counted with
    // the uploads the script made; their ids stay in it if the form comes
    // back with an error.
    let count = f.attachment_ids().len() + submission.files.len();
    let refusal =
        match crate::routes::pages::submission::too_many_files(&state, count, ui.i18n.lang) {
            Some(refusal) => Some(refusal),
            None => match submission
                .store_files(&state, &viewer, ui.i18n.lang)
                .await?
            {
                Ok(ids) => {
                    for file in ids {
                        f.attachments.push_str(&format!(",{file}"));
                    }
                    None
                }
                Err(refusal) => Some(refusal),
            },
        };
    if let Some(refusal) = refusal {
        let form = ThreadForm {
            error: Some(refusal),
            error_field: Some("attachments".to_owned()),
            ..f
        };
        return new_thread_page(&state, &ui, viewer, form).await;
    }
    // Asked to replace suspected personal data: the form comes back with
    // the pseudonyms, nothing is posted.
    if f.pseudonymise {
        use forum_core::domain::personal_data::{detect, pseudonymise};
        for text in [&mut f.title, &mut f.body, &mut f.summary] {
            let spans = detect(text);
            *text = pseudonymise(text, &spans);
        }
        let form = ThreadForm {
            notice: Some(ui.i18n.t("pd-pseudonymised")),
            pseudonymise: false,
            ..f
        };
        return new_thread_page(&state, &ui, viewer, form).await;
    }
    let analysis =
        (f.kind == ThreadKind::Analysis.as_str()).then(|| analysis_input(&f, ui.i18n.code()));
    let db = state.db.clone();
    let v = viewer.clone();
    let (category_id, title, kind, body, codes) = (
        f.category_id,
        f.title.clone(),
        f.kind.clone(),
        f.body.clone(),
        f.jurisdictions.clone(),
    );
    let language = f.language.clone();
    let attachments = f.attachment_ids();
    let (mark, countries, members) = (
        f.mark.clone(),
        f.mark_countries.clone(),
        f.mark_members.clone(),
    );
    let acknowledge = Some(f.acknowledge_reason.trim().to_owned()).filter(|r| !r.is_empty());
    let advice = f.advice;
    let result = crate::http::head::blocking(move || {
        if let Some(request) = advice {
            // The office publishes a request's anonymised analysis.
            let Some(record) = analysis.as_ref() else {
                return Err(forum_core::CoreError::invalid(
                    "kind",
                    "publish the advice as an analysis",
                ));
            };
            let published = db.publish_advice(
                &v,
                request,
                &forum_core::features::network::PublishedAdvice {
                    category_id,
                    title: &title,
                    body: &body,
                    jurisdictions: &codes,
                    analysis: record,
                },
            )?;
            let thread = published
                .published_thread_id
                .ok_or_else(|| forum_core::CoreError::Internal("not published".to_owned()))?;
            return Ok(thread);
        }
        let (mark, recipients) = form_marking(&db, &mark, &countries, &members)?;
        db.create_thread(
            &v,
            &NewThreadInput {
                mark: mark.as_deref(),
                mark_recipients: Some(&recipients),
                acknowledge_personal_data: acknowledge.as_deref(),
                category_id,
                title: &title,
                body: &body,
                kind: &kind,
                jurisdictions: &codes,
                language: Some(language.as_str()).filter(|l| !l.is_empty()),
                analysis: analysis.as_ref(),
                attachments: &attachments,
            },
        )
        .map(|(thread, _)| thread.id)
    })
    .await
    .map_err(crate::error::ApiError::from)?;
    match result {
        Ok(thread) => Ok(redirect(&format!("/t/{thread}"))),
        Err(err) if is_form_error(&err) => {
            let personal_data = err.personal_data().map(|spans| {
                views::PersonalDataNotice::new(
                    spans,
                    &[
                        ("title", f.title.as_str()),
                        ("body", f.body.as_str()),
                        ("analysis.summary", f.summary.as_str()),
                    ],
                    &ui.i18n,
                )
            });
            let form = ThreadForm {
                error: Some(form_error(&err, &ui)),
                error_field: err.field().map(str::to_owned),
                personal_data,
                ..f
            };
            new_thread_page(&state, &ui, viewer, form).await
        }
        Err(err) => Err(err.into()),
    }
}
