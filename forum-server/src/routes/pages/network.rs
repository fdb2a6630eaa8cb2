//! The expert network's pages: the directory, asking experts, routed
//! questions, the coverage map.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use forum_core::access;
use forum_core::domain::{CrimeArea, Profession};
use forum_core::features::network::{CoverageFilter, ExpertFilter, QuestionInput};
use forum_core::{CategoryId, UserId};
use views::{
    AskPage, CoveragePage, CoverageRow, ExpertCard, ExpertChoice, ExpertsPage, MapShape,
    PickOption, QuestionRow, QuestionsPage, StatsRow,
};

use super::{PageError, chrome, form_error, is_form_error, redirect, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/experts", web::get().to(experts))
        .route("/questions", web::get().to(questions))
        .route("/questions/new", web::get().to(ask_form))
        .route("/questions/new", web::post().to(ask))
        .route("/coverage", web::get().to(coverage));
}

/// Every value of each field of a query string or urlencoded body.
fn fields(raw: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn all(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .flat_map(|(_, v)| {
            v.split(',')
                .map(str::trim)
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|v| !v.is_empty())
        .collect()
}

fn one(fields: &[(String, String)], name: &str) -> String {
    all(fields, name).into_iter().next().unwrap_or_default()
}

fn options(values: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<PickOption> {
    values
        .into_iter()
        .map(|(value, label)| PickOption {
            selected: value == selected,
            value,
            label,
            search: String::new(),
        })
        .collect()
}

fn instrument_options(selected: &str) -> Vec<PickOption> {
    options(
        forum_core::domain::instruments::all()
            .iter()
            .map(|i| (i.id.clone(), format!("{} ({})", i.short_name, i.year))),
        selected,
    )
}

async fn experts(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let q = fields(req.query_string().as_bytes());
    let (jurisdiction, language, area, instrument, profession) = (
        one(&q, "jurisdiction"),
        one(&q, "language"),
        one(&q, "crime_area"),
        one(&q, "instrument"),
        one(&q, "profession"),
    );
    let filter = ExpertFilter {
        jurisdiction: Some(jurisdiction.clone()),
        language: Some(language.clone()),
        crime_area: Some(area.clone()),
        instrument: Some(instrument.clone()),
        profession: Some(profession.clone()),
    };
    let v = viewer.clone();
    let result = state
        .try_run(move |db| {
            let everyone = db.experts(&v, &ExpertFilter::default())?;
            let found = db.experts(&v, &filter.validated()?)?;
            Ok((everyone, found))
        })
        .await?;
    let (mut status, mut error) = (StatusCode::OK, None);
    let (everyone, mut found) = match result {
        Ok(pair) => pair,
        Err(err) if is_form_error(&err) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            error = Some(form_error(&err, &ui));
            (Vec::new(), Vec::new())
        }
        Err(err) => return Err(err.into()),
    };
    ui.i18n.sort_by_name(&mut found, |e| &e.display_name);
    // The languages spoken in the directory.
    let mut spoken: Vec<String> = everyone.iter().flat_map(|e| e.languages.clone()).collect();
    spoken.sort();
    spoken.dedup();
    render(
        &ExpertsPage {
            chrome: chrome(ui.i18n.t("experts-title"), &viewer, &ui),
            jurisdictions: views::jurisdiction_picker(
                std::slice::from_ref(&jurisdiction),
                &ui.i18n,
            ),
            languages: options(spoken.into_iter().map(|l| (l.clone(), l)), &language),
            crime_areas: views::crime_area_options(std::slice::from_ref(&area), &ui.i18n),
            instruments: instrument_options(&instrument),
            professions: options(
                Profession::ALL.iter().map(|p| {
                    (
                        p.as_str().to_owned(),
                        ui.i18n.t(&format!("profession-{}", p.as_str())),
                    )
                }),
                &profession,
            ),
            experts: found.iter().map(|e| ExpertCard::new(e, &ui.i18n)).collect(),
            error,
        },
        status,
    )
}

/// What the ask form holds.
#[derive(Debug, Clone, Default)]
struct AskForm {
    category_id: Option<CategoryId>,
    title: String,
    body: String,
    jurisdictions: Vec<String>,
    crime_areas: Vec<String>,
    /// Chosen experts (`None`: none chosen yet, the proposals are checked).
    experts: Option<Vec<i64>>,
}

impl AskForm {
    fn read(raw: &[u8]) -> AskForm {
        let f = fields(raw);
        let experts: Vec<i64> = all(&f, "experts")
            .iter()
            .filter_map(|e| e.parse().ok())
            .collect();
        AskForm {
            category_id: one(&f, "category_id")
                .parse::<i64>()
                .ok()
                .map(CategoryId::from),
            title: one(&f, "title"),
            body: f
                .iter()
                .find(|(k, _)| k == "body")
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            jurisdictions: all(&f, "jurisdictions")
                .into_iter()
                .map(|j| j.to_ascii_uppercase())
                .collect(),
            crime_areas: all(&f, "crime_areas"),
            experts: f.iter().any(|(k, _)| k == "experts").then_some(experts),
        }
    }
}

async fn ask_page(
    state: &AppState,
    ui: &Ui,
    viewer: forum_core::Viewer,
    form: AskForm,
    error: Option<String>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let v = viewer.clone();
    let cap = state.settings.routing.weekly_cap;
    let f = form.clone();
    let (categories, proposed, chosen) = state
        .run(move |db| {
            let categories = db.categories(&v)?;
            let category = f.category_id.or_else(|| categories.first().map(|c| c.id));
            let proposed = match category {
                Some(c) if !f.jurisdictions.is_empty() => db
                    .propose_experts(&v, c, &f.jurisdictions, &f.crime_areas, cap)
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            // Experts named in the link or the form, as the directory
            // shows them to the asker.
            let mut chosen = Vec::new();
            for id in f.experts.clone().unwrap_or_default() {
                if let Ok(p) = db.expert_profile(&v, UserId::from(id))
                    && p.id != v.id
                {
                    chosen.push(p);
                }
            }
            Ok((categories, proposed, chosen))
        })
        .await?;
    let mut experts: Vec<ExpertChoice> = chosen
        .iter()
        .map(|p| ExpertChoice {
            id: p.id,
            card: ExpertCard::new(p, &ui.i18n),
            checked: true,
        })
        .collect();
    for p in &proposed {
        if !experts.iter().any(|x| x.id == p.id) {
            experts.push(ExpertChoice {
                id: p.id,
                card: ExpertCard::new(p, &ui.i18n),
                checked: form.experts.is_none(),
            });
        }
    }
    let selected = form.category_id;
    render(
        &AskPage {
            chrome: chrome(ui.i18n.t("ask-title"), &viewer, ui),
            categories: categories
                .iter()
                .map(|c| (c.id, c.name.clone(), Some(c.id) == selected))
                .collect(),
            title: form.title,
            body: form.body,
            jurisdictions: views::jurisdiction_picker(&form.jurisdictions, &ui.i18n),
            crime_areas: views::crime_area_options(&form.crime_areas, &ui.i18n),
            experts,
            weekly_cap: cap,
            error,
        },
        status,
    )
}

async fn ask_form(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let form = AskForm::read(req.query_string().as_bytes());
    ask_page(&state, &ui, member.0, form, None, StatusCode::OK).await
}

async fn ask(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    state.limits.check_post(&viewer).await?;
    let form = AskForm::read(&body);
    let Some(category) = form.category_id else {
        let message = ui.i18n.t("ask-no-category");
        return ask_page(
            &state,
            &ui,
            viewer,
            form,
            Some(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let v = viewer.clone();
    let f = form.clone();
    let cap = state.settings.routing.weekly_cap;
    let result = state
        .try_run(move |db| {
            let experts: Vec<UserId> = f
                .experts
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(UserId::from)
                .collect();
            db.ask_question(
                &v,
                &QuestionInput {
                    category_id: category,
                    title: &f.title,
                    body: &f.body,
                    jurisdictions: &f.jurisdictions,
                    crime_areas: &f.crime_areas,
                    // The form sends the experts the asker left checked.
                    experts: Some(&experts),
                    language: None,
                    acknowledge_personal_data: None,
                },
                cap,
            )
        })
        .await?;
    match result {
        Ok((thread, _)) => Ok(redirect(&format!("/t/{}", thread.id))),
        Err(err) if is_form_error(&err) => {
            let message = form_error(&err, &ui);
            ask_page(
                &state,
                &ui,
                viewer,
                form,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
}

async fn questions(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let staff = access::can_moderate(&viewer);
    let (list, stats) = state
        .run(move |db| {
            let list = db.routed_questions(&v, None)?;
            let stats = if staff {
                db.question_stats(&v)?
            } else {
                Vec::new()
            };
            Ok((list, stats))
        })
        .await?;
    render(
        &QuestionsPage {
            chrome: chrome(ui.i18n.t("questions-title"), &viewer, &ui),
            questions: list.iter().map(|q| QuestionRow::new(q, &ui.i18n)).collect(),
            stats: stats.iter().map(|s| StatsRow::new(s, &ui.i18n)).collect(),
            is_staff: staff,
        },
        StatusCode::OK,
    )
}

/// The fill class of a country with `n` analyses.
fn level(n: i64) -> u8 {
    match n {
        0 => 0,
        1 => 1,
        2..=3 => 2,
        4..=9 => 3,
        _ => 4,
    }
}

async fn coverage(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let q = fields(req.query_string().as_bytes());
    let (instrument, area) = (one(&q, "instrument"), one(&q, "crime_area"));
    let recent = one(&q, "recent") == "true";
    let by_crime_area = one(&q, "by") == "crime_area";
    let filter = CoverageFilter {
        instrument: Some(instrument.clone()),
        crime_area: Some(area.clone()),
        recent,
        by_crime_area,
    };
    let v = viewer.clone();
    let result = state
        .try_run(move |db| db.coverage(&v, &filter.validated()?))
        .await?;
    let (mut status, mut error) = (StatusCode::OK, None);
    let coverage = match result {
        Ok(c) => c,
        Err(err) if is_form_error(&err) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            error = Some(form_error(&err, &ui));
            Default::default()
        }
        Err(err) => return Err(err.into()),
    };
    let shapes = views::world_map()
        .iter()
        .map(|(code, path)| {
            let count = coverage.jurisdictions.get(*code).copied().unwrap_or(0);
            MapShape {
                code: (*code).to_owned(),
                name: ui.i18n.country(code),
                path,
                count,
                level: level(count),
            }
        })
        .collect();
    // Columns: the instruments (or crime areas) asked about, or all.
    let columns: Vec<(String, String)> = if by_crime_area {
        CrimeArea::ALL
            .iter()
            .filter(|a| area.is_empty() || a.as_str() == area)
            .map(|a| (a.as_str().to_owned(), ui.i18n.t(&format!("crime-{a}"))))
            .collect()
    } else {
        forum_core::domain::instruments::all()
            .iter()
            .filter(|i| instrument.is_empty() || i.id == instrument)
            .map(|i| (i.id.clone(), i.short_name.clone()))
            .collect()
    };
    let mut rows: Vec<CoverageRow> = coverage
        .jurisdictions
        .iter()
        .map(|(code, total)| {
            let row = coverage.matrix.get(code);
            CoverageRow {
                jurisdiction: views::Chip {
                    code: code.clone(),
                    name: ui.i18n.country(code),
                },
                total: *total,
                cells: columns
                    .iter()
                    .map(|(id, _)| {
                        let n = row.and_then(|r| r.get(id)).copied().unwrap_or(0);
                        let topic = if by_crime_area {
                            "crime_areas"
                        } else {
                            "instrument"
                        };
                        (
                            n,
                            format!("/questions/new?jurisdictions={code}&{topic}={id}"),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    ui.i18n.sort_by_name(&mut rows, |r| &r.jurisdiction.name);
    render(
        &CoveragePage {
            chrome: chrome(ui.i18n.t("coverage-title"), &viewer, &ui),
            instruments: instrument_options(&instrument),
            crime_areas: views::crime_area_options(std::slice::from_ref(&area), &ui.i18n),
            recent,
            by_crime_area,
            by_label: ui.i18n.t(if by_crime_area {
                "field-crime-area"
            } else {
                "field-instrument"
            }),
            shapes,
            columns: columns.into_iter().map(|(_, label)| label).collect(),
            rows,
            error,
        },
        status,
    )
}
