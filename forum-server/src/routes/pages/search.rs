//! The search page: a query box, facets with counts, active filters as
//! removable chips, results with highlighted snippets. Plain links and a
//! GET form: it works without JavaScript; `search.js` only adds title
//! suggestions as the member types.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use views::{FacetGroup, FacetLink, FilterChip, SearchPage, SearchResult, When};

use super::{PageError, chrome, form_error, render};
use crate::auth::PageMember;
use crate::i18n::Ui;
use crate::routes::api::search::SearchParams;
use crate::search::{self, SearchFailure};
use crate::startup::AppState;
use crate::workers::indexer::Unavailable;

pub fn configure(cfg: &mut crate::routes::grouped::Grouped) {
    cfg.route("/search", web::get().to(search_page));
}

/// The filter parameters a page link can carry, in display order.
const FILTERS: [&str; 8] = [
    "jurisdiction",
    "instrument",
    "crime_area",
    "kind",
    "language",
    "author",
    "from",
    "to",
];

/// Facets shown per group, largest first.
const FACET_LINKS: usize = 12;

async fn search_page(
    state: web::Data<AppState>,
    ui: Ui,
    member: PageMember,
    query: web::Query<BTreeMap<String, String>>,
) -> Result<HttpResponse, PageError> {
    let viewer = member.0;
    let raw = query.into_inner();
    // Only the parameters the page knows, blank ones dropped.
    let params: BTreeMap<String, String> = raw
        .into_iter()
        .filter(|(k, v)| {
            (FILTERS.contains(&k.as_str())
                || ["q", "sort", "page", "match", "exclude_terms"].contains(&k.as_str()))
                && !v.trim().is_empty()
        })
        .collect();
    let q = params.get("q").cloned().unwrap_or_default();
    let searched = params
        .keys()
        .any(|k| !["page", "sort", "match", "exclude_terms"].contains(&k.as_str()));
    let i18n = &ui.i18n;
    let mut page = SearchPage {
        chrome: chrome(i18n.t("search-title"), &viewer, &ui),
        q: q.clone(),
        newest: params.get("sort").is_some_and(|s| s == "newest"),
        match_all: params.get("match").is_some_and(|m| m == "all"),
        kept: params
            .iter()
            .filter(|(k, _)| FILTERS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        expansions: Vec::new(),
        suggestion: None,
        chips: Vec::new(),
        facets: Vec::new(),
        facets_estimated: false,
        results: Vec::new(),
        summary: String::new(),
        previous: None,
        next: None,
        error: None,
        feed: None,
    };
    if !searched {
        return render(&page, StatusCode::OK);
    }
    let request = SearchParams {
        q,
        jurisdiction: params.get("jurisdiction").cloned(),
        instrument: params.get("instrument").cloned(),
        crime_area: params.get("crime_area").cloned(),
        kind: params.get("kind").cloned(),
        language: params.get("language").cloned(),
        category: None,
        author: params.get("author").cloned(),
        from: params.get("from").cloned(),
        to: params.get("to").cloned(),
        sort: params.get("sort").cloned(),
        page: match params.get("page").map(|p| p.parse::<usize>()) {
            None => None,
            Some(Ok(p)) => Some(p),
            Some(Err(_)) => Some(0),
        },
        per_page: None,
        match_mode: params.get("match").cloned(),
        exclude_terms: params.get("exclude_terms").cloned(),
    }
    .request();
    let st = state.clone().into_inner();
    let v = viewer.clone();
    let found = crate::http::head::blocking(move || search::find(&st.db, &st.search, &v, &request))
        .await
        .map_err(crate::error::ApiError::internal)?;
    let outcome = match found {
        Ok(outcome) => outcome,
        Err(SearchFailure::Core(err)) if super::is_form_error(&err) => {
            page.error = Some(form_error(&err, &ui));
            return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(SearchFailure::Core(err)) => return Err(err.into()),
        Err(SearchFailure::Unavailable(why)) => {
            page.error = Some(i18n.t(match why {
                Unavailable::Rebuilding => "search-rebuilding",
                Unavailable::Failed(_) => "search-unavailable",
            }));
            return render(&page, StatusCode::SERVICE_UNAVAILABLE);
        }
    };

    let link = |change: &[(&str, Option<&str>)]| -> String {
        let mut next: BTreeMap<&str, &str> = params
            .iter()
            .filter(|(k, _)| k.as_str() != "page")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        for (key, value) in change {
            match value {
                Some(value) => next.insert(key, value),
                None => next.remove(key),
            };
        }
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(next);
        format!("/search?{}", query.finish())
    };
    let label = |facet: &str, value: &str| -> String {
        match facet {
            "jurisdiction" => i18n.country(value),
            "instrument" => match forum_core::domain::instruments::InstrumentRef::parse(value) {
                Ok(r) => r.label(),
                Err(_) => value.to_owned(),
            },
            "crime_area" => i18n
                .try_t(&format!("crime-{value}"))
                .unwrap_or_else(|| value.to_owned()),
            "kind" => i18n
                .try_t(&format!("kind-{value}"))
                .unwrap_or_else(|| value.to_owned()),
            "language" => page
                .chrome
                .languages
                .iter()
                .find(|(code, _)| *code == value)
                .map(|(_, name)| (*name).to_owned())
                .unwrap_or_else(|| value.to_ascii_uppercase()),
            "author" => format!("@{value}"),
            "from" => i18n.t1("search-from", "date", value),
            "to" => i18n.t1("search-to", "date", value),
            _ => value.to_owned(),
        }
    };
    page.chips = FILTERS
        .iter()
        .filter_map(|&key| {
            let value = params.get(key)?;
            let text = label(key, value);
            Some(FilterChip {
                remove_label: i18n.t1("search-remove-filter", "filter", &text),
                label: text,
                remove_href: link(&[(key, None)]),
            })
        })
        .collect();
    let f = &outcome.facets;
    for (key, counts) in [
        ("jurisdiction", &f.jurisdiction),
        ("instrument", &f.instrument),
        ("crime_area", &f.crime_area),
        ("kind", &f.kind),
        ("language", &f.language),
    ] {
        let mut entries: Vec<(&String, &u64)> = counts
            .iter()
            .filter(|(value, _)| params.get(key) != Some(*value))
            .collect();
        entries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        entries.truncate(FACET_LINKS);
        if entries.is_empty() {
            continue;
        }
        page.facets.push(FacetGroup {
            title: i18n.t(&format!("search-facet-{}", key.replace('_', "-"))),
            links: entries
                .into_iter()
                .map(|(value, count)| FacetLink {
                    label: label(key, value),
                    count: *count,
                    href: link(&[(key, Some(value))]),
                })
                .collect(),
        });
    }
    page.results = outcome
        .hits
        .into_iter()
        .map(|found| SearchResult {
            in_file: found.in_attachment.as_ref().map(|f| {
                (
                    views::file_url(f.attachment_id, &f.name),
                    i18n.t_with(
                        "search-in-attachment",
                        &[("name", f.name.as_str()), ("page", &f.page.to_string())],
                    ),
                )
            }),
            href: format!("/t/{}#post-{}", found.post.thread_id, found.post.post_id),
            title: found.post.title,
            mark: (found.post.mark.as_str(), found.post.mark.slug()),
            snippet_html: views::SnippetHtml::new(found.snippet_html),
            author: found.post.author_display_name,
            created: When::of(found.post.created_at, i18n),
            kind: i18n
                .try_t(&format!("kind-{}", found.post.kind))
                .unwrap_or_else(|| found.post.kind.to_string()),
            jurisdictions: found
                .post
                .jurisdictions
                .iter()
                .map(|code| (code.clone(), i18n.country(code)))
                .collect(),
            language_name: found.post.language.clone(),
            // The snippet is in the file's page's language when it comes
            // from a file.
            language: found
                .in_attachment
                .as_ref()
                .map_or(found.post.language, |f| f.language.clone()),
        })
        .collect();
    // "Also searched": each expansion, removable (it joins exclude_terms).
    let excluded = params.get("exclude_terms").cloned().unwrap_or_default();
    let language_name = |code: &str| {
        page.chrome
            .languages
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, name)| (*name).to_owned())
            .unwrap_or_else(|| code.to_ascii_uppercase())
    };
    page.expansions = outcome
        .expansions
        .iter()
        .map(|e| {
            let without = if excluded.trim().is_empty() {
                e.term.clone()
            } else {
                format!("{excluded},{}", e.term)
            };
            FilterChip {
                label: format!("{} ({})", e.term, language_name(&e.language)),
                remove_label: i18n.t1("search-remove-expansion", "term", &e.term),
                remove_href: link(&[("exclude_terms", Some(without.as_str()))]),
            }
        })
        .collect();
    page.suggestion = outcome
        .suggestion
        .as_deref()
        .map(|s| (s.to_owned(), link(&[("q", Some(s))])));
    for result in &mut page.results {
        result.language_name = language_name(&result.language);
    }
    // Nothing found is said once, in words, not also as a count.
    page.summary = if outcome.total == 0 {
        i18n.t("search-none")
    } else {
        i18n.tn("search-count", outcome.total as i64)
    };
    page.facets_estimated = !outcome.facets_exact;
    // The same search, newest first, as a feed (a saved search).
    let feed_query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            params
                .iter()
                .filter(|(k, _)| !["page", "sort"].contains(&k.as_str())),
        )
        .finish();
    page.feed = Some(format!(
        "/feeds/{}/search.atom?{feed_query}",
        state.feed_key.token(&viewer)
    ));
    let pages = outcome.total.div_ceil(outcome.per_page);
    if outcome.page > 1 {
        let previous = (outcome.page - 1).to_string();
        page.previous = Some(link(&[("page", Some(previous.as_str()))]));
    }
    if outcome.page < pages && outcome.page * outcome.per_page < search_index::MAX_RANK {
        let next = (outcome.page + 1).to_string();
        page.next = Some(link(&[("page", Some(next.as_str()))]));
    }
    render(&page, StatusCode::OK)
}
