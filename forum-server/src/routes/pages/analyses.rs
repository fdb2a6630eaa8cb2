//! Jurisdiction, instrument, comparison and review pages.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use forum_core::domain::ThreadKind;
use forum_core::domain::jurisdictions::{self, JurisdictionKind};
use forum_core::features::analyses::CompareQuery;
use forum_core::features::forum::ThreadFilter;
use serde::Deserialize;
use views::{
    ArticleGroup, Chip, CompareCol, ComparePage, InstrumentPage, JurisdictionPage, PickOption,
    ReviewPage, ThreadRow,
};

use super::threads::ListQuery;
use super::{PageError, chrome, form_error, is_form_error, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::startup::AppState;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/j/{code}", web::get().to(jurisdiction))
        .route("/i/{id}", web::get().to(instrument))
        .route("/compare", web::get().to(compare))
        .route("/analyses/review", web::get().to(review));
}

fn chip(code: &str, ui: &Ui) -> Chip {
    Chip {
        code: code.to_owned(),
        name: ui.i18n.country(code),
    }
}

async fn jurisdiction(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let code = path.into_inner().to_ascii_uppercase();
    let Some(j) = jurisdictions::get(&code) else {
        return Err(PageError::keyed(StatusCode::NOT_FOUND, "error-not_found"));
    };
    let page = query.page.unwrap_or(1).max(1);
    let kind = query.kind();
    let area = query.crime_area();
    let filter = ThreadFilter {
        jurisdiction: Some(code.clone()),
        kind,
        crime_area: area.clone(),
        page,
        ..Default::default()
    };
    let v = viewer.clone();
    let lists = state.lists.clone();
    let (threads, next_page) = state
        .run(move |db| {
            let page = db.thread_list_cached(&lists, &v, &filter)?;
            Ok((page.threads.clone(), page.next_page))
        })
        .await?;
    let threads = threads
        .iter()
        .map(|t| {
            let mut row = ThreadRow::new(t, &ui.i18n);
            row.regional = !t.jurisdictions.contains(&code);
            row
        })
        .collect();
    let kind_filter = kind.map(|k| k.as_str().to_owned()).unwrap_or_default();
    let area_filter = area.unwrap_or_default();
    let watch =
        super::inbox::watch_row(&state, &viewer, format!("jurisdiction:{}", j.code), &ui).await?;
    render(
        &JurisdictionPage {
            watch,
            chrome: chrome(j.name(ui.i18n.code()).to_owned(), &viewer, &ui),
            name: j.name(ui.i18n.code()).to_owned(),
            kind_key: format!("jurisdiction-kind-{}", j.kind().as_str()),
            parents: j.parents.iter().map(|p| chip(p, &ui)).collect(),
            members: if j.kind() == JurisdictionKind::Region {
                j.members.iter().map(|m| chip(m, &ui)).collect()
            } else {
                Vec::new()
            },
            code: j.code.clone(),
            threads,
            kinds: ThreadKind::ALL
                .iter()
                .map(|k| PickOption {
                    value: k.as_str().to_owned(),
                    label: ui.i18n.t(&format!("kind-{k}")),
                    selected: k.as_str() == kind_filter,
                    search: String::new(),
                })
                .collect(),
            crime_areas: views::crime_area_options(std::slice::from_ref(&area_filter), &ui.i18n),
            kind_filter,
            area_filter,
            page,
            next_page,
        },
        StatusCode::OK,
    )
}

async fn instrument(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let id = path.into_inner().to_ascii_lowercase();
    let Some(inst) = forum_core::domain::instruments::get(&id) else {
        return Err(PageError::keyed(StatusCode::NOT_FOUND, "error-not_found"));
    };
    let v = viewer.clone();
    let lookup = id.clone();
    let groups = state.run(move |db| db.analyses_citing(&v, &lookup)).await?;
    let groups = groups
        .into_iter()
        .map(|(article, threads)| {
            let title = inst
                .article(&article)
                .map(|a| a.title.clone())
                .unwrap_or_default();
            ArticleGroup {
                anchor: if article.is_empty() {
                    "whole".to_owned()
                } else {
                    format!("art-{article}")
                },
                label: if article.is_empty() {
                    ui.i18n.t("instrument-whole")
                } else {
                    ui.i18n.t1("instrument-article", "number", &article)
                },
                title,
                threads: threads
                    .iter()
                    .map(|t| ThreadRow::new(t, &ui.i18n))
                    .collect(),
            }
        })
        .collect();
    let watch =
        super::inbox::watch_row(&state, &viewer, format!("instrument:{}", inst.id), &ui).await?;
    render(
        &InstrumentPage {
            watch,
            chrome: chrome(inst.short_name.clone(), &viewer, &ui),
            id: inst.id.clone(),
            short_name: inst.short_name.clone(),
            title: inst.title.clone(),
            year: inst.year,
            groups,
            articles: inst
                .articles
                .iter()
                .map(|a| {
                    (
                        format!("art-{}", a.number),
                        ui.i18n.t1("instrument-article", "number", &a.number),
                        a.title.clone(),
                    )
                })
                .collect(),
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct CompareParams {
    instrument: Option<String>,
    crime_area: Option<String>,
    jurisdictions: Option<String>,
}

async fn compare(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<CompareParams>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let q = query.into_inner();
    let instrument = q.instrument.unwrap_or_default();
    let area = q.crime_area.unwrap_or_default();
    let raw = q.jurisdictions.unwrap_or_default();
    let codes: Vec<String> = raw
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    // What a question opened from a gap is about.
    let topic = forum_core::domain::instruments::InstrumentRef::parse(&instrument)
        .ok()
        .map(|r| r.label())
        .or_else(|| {
            forum_core::domain::CrimeArea::parse(&area)
                .ok()
                .map(|a| ui.i18n.t(&format!("crime-{a}")))
        });
    let mut columns = Vec::new();
    let mut error = None;
    let mut status = StatusCode::OK;
    if !codes.is_empty() {
        let v = viewer.clone();
        let query = CompareQuery {
            instrument: Some(instrument.clone()),
            crime_area: Some(area.clone()),
            jurisdictions: codes,
        };
        let result = state.try_run(move |db| db.compare(&v, &query)).await?;
        match result {
            Ok(cols) => {
                columns = cols
                    .into_iter()
                    .map(|c| {
                        let name = ui.i18n.country(&c.jurisdiction);
                        // A question routed to the experts of that country.
                        let mut ask = url::form_urlencoded::Serializer::new(String::new());
                        ask.append_pair("jurisdictions", &c.jurisdiction);
                        if !area.is_empty() {
                            ask.append_pair("crime_areas", &area);
                        }
                        if let Some(topic) = &topic {
                            ask.append_pair(
                                "title",
                                &ui.i18n.t_with(
                                    "compare-ask-title",
                                    &[("jurisdiction", &name), ("topic", topic)],
                                ),
                            );
                        }
                        let ask_href = format!("/questions/new?{}", ask.finish());
                        CompareCol {
                            analyses: c
                                .analyses
                                .iter()
                                .map(|t| {
                                    let mut row = ThreadRow::new(t, &ui.i18n);
                                    row.regional = !t.jurisdictions.contains(&c.jurisdiction);
                                    row
                                })
                                .collect(),
                            code: c.jurisdiction,
                            name,
                            ask_href,
                        }
                    })
                    .collect();
            }
            Err(err) if is_form_error(&err) => {
                error = Some(form_error(&err, &ui));
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(err) => return Err(err.into()),
        }
    }
    render(
        &ComparePage {
            chrome: chrome(ui.i18n.t("compare-title"), &viewer, &ui),
            instruments: views::instrument_picker(
                std::slice::from_ref(&instrument),
                &ui.i18n,
                super::instrument_aliases,
            ),
            crime_areas: views::crime_area_options(std::slice::from_ref(&area), &ui.i18n),
            jurisdictions: raw,
            columns,
            error,
        },
        status,
    )
}

async fn review(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let v = viewer.clone();
    let due = state.run(move |db| db.analyses_needing_review(&v)).await?;
    let items = due
        .iter()
        .map(|(t, reasons)| {
            let reasons = reasons
                .iter()
                .map(|r| views::review_reason(r, &ui.i18n))
                .collect();
            (ThreadRow::new(t, &ui.i18n), reasons)
        })
        .collect();
    render(
        &ReviewPage {
            chrome: chrome(ui.i18n.t("review-title"), &viewer, &ui),
            items,
        },
        StatusCode::OK,
    )
}
