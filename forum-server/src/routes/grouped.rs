//! Routes registered in one scope per first path segment.
//!
//! actix-web's router tries resources one after another, and every pattern
//! with a parameter (`/t/{id}`) is a regular expression run against the
//! path. Registered flat, a request for the 80th route ran the expressions
//! of every parameterised route before it, and the metrics of a thread's
//! JSON showed a tenth of the time in `regex_lite`. Grouped, a request
//! compares one static prefix per group (`/threads`, `/t`, `/admin`) and
//! tries only its own group's patterns. Groups share no first segment, so
//! the order between them cannot change which route answers; within a group
//! the order of registration is kept.

use actix_web::{Route, Scope, web};

/// Routes by first segment, in the order their groups first appeared.
#[derive(Default)]
pub struct Grouped {
    groups: Vec<(String, Vec<(String, Route)>)>,
}

impl Grouped {
    /// Adds `route` at `path`, which must start with a static segment.
    pub fn route(&mut self, path: &str, route: Route) -> &mut Self {
        let (first, rest) = split(path);
        match self.groups.iter_mut().find(|(group, _)| group == first) {
            Some((_, routes)) => routes.push((rest.to_owned(), route)),
            None => self
                .groups
                .push((first.to_owned(), vec![(rest.to_owned(), route)])),
        }
        self
    }

    /// Registers the groups in `cfg`; paths no route takes go to the
    /// application's default service.
    pub fn register(self, cfg: &mut web::ServiceConfig) {
        for (first, routes) in self.groups {
            if first == "/" {
                for (_, route) in routes {
                    cfg.route("/", route);
                }
                continue;
            }
            let mut scope = web::scope(&first);
            for (rest, route) in routes {
                scope = scope.route(&rest, route);
            }
            cfg.service(scope);
        }
    }

    /// The groups inside one scope at `prefix`; paths no route takes,
    /// inside a group or not, go to `default`.
    pub fn into_scope(self, prefix: &str, default: fn() -> Route) -> Scope {
        let mut outer = web::scope(prefix).default_service(default());
        for (first, routes) in self.groups {
            let mut scope = web::scope(&first).default_service(default());
            for (rest, route) in routes {
                scope = scope.route(&rest, route);
            }
            outer = outer.service(scope);
        }
        outer
    }
}

/// `/threads/{id}/lock` → (`/threads`, `/{id}/lock`); `/me` → (`/me`, ``);
/// `/` → (`/`, ``).
fn split(path: &str) -> (&str, &str) {
    assert!(
        path.starts_with('/'),
        "a route path starts with '/': {path}"
    );
    let end = path[1..].find('/').map_or(path.len(), |at| at + 1);
    let (first, rest) = path.split_at(end);
    assert!(
        !first.contains('{'),
        "routes are grouped by a static first segment: {path}"
    );
    (first, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::StatusCode;
    use actix_web::test as actix_test;
    use actix_web::{App, HttpRequest, HttpResponse};

    async fn pattern(req: HttpRequest) -> HttpResponse {
        HttpResponse::Ok().body(format!(
            "{} {}",
            req.match_pattern().unwrap_or_default(),
            req.match_info().get("id").unwrap_or("-")
        ))
    }

    async fn gone() -> HttpResponse {
        HttpResponse::Gone().finish()
    }

    #[test]
    fn paths_split_at_their_first_segment() {
        assert_eq!(split("/threads/{id}/lock"), ("/threads", "/{id}/lock"));
        assert_eq!(split("/me"), ("/me", ""));
        assert_eq!(split("/"), ("/", ""));
    }

    #[actix_web::test]
    async fn grouped_routes_answer_as_flat_ones_would() {
        let mut api = Grouped::default();
        api.route("/threads", web::get().to(pattern))
            .route("/threads/{id}", web::get().to(pattern))
            .route("/threads/{id}", web::patch().to(pattern))
            .route("/me", web::get().to(pattern))
            .route("/threads/{id}/lock", web::post().to(pattern));
        let mut pages = Grouped::default();
        pages
            .route("/", web::get().to(pattern))
            .route("/t/{id}", web::get().to(pattern));
        let app = actix_test::init_service(
            App::new()
                .service(api.into_scope("/api/v1", || web::to(gone)))
                .configure(|cfg| pages.register(cfg)),
        )
        .await;
        for (method, path, expected) in [
            ("GET", "/api/v1/threads", Some("/api/v1/threads -")),
            ("GET", "/api/v1/threads/7", Some("/api/v1/threads/{id} 7")),
            ("PATCH", "/api/v1/threads/7", Some("/api/v1/threads/{id} 7")),
            (
                "POST",
                "/api/v1/threads/7/lock",
                Some("/api/v1/threads/{id}/lock 7"),
            ),
            ("GET", "/api/v1/me", Some("/api/v1/me -")),
            ("GET", "/", Some("/ -")),
            ("GET", "/t/3", Some("/t/{id} 3")),
            // Not taken: the scope's default, inside a group or not.
            ("DELETE", "/api/v1/threads/7", None),
            ("GET", "/api/v1/threads/7/", None),
            ("GET", "/api/v1/mentions", None),
            ("GET", "/api/v1/nothing", None),
        ] {
            let req = actix_test::TestRequest::default()
                .method(method.parse().unwrap())
                .uri(path)
                .to_request();
            let res = actix_test::call_service(&app, req).await;
            match expected {
                Some(body) => {
                    assert_eq!(res.status(), StatusCode::OK, "{method} {path}");
                    assert_eq!(
                        actix_test::read_body(res).await,
                        body.as_bytes(),
                        "{method} {path}"
                    );
                }
                None => assert_eq!(res.status(), StatusCode::GONE, "{method} {path}"),
            }
        }
        // Outside the scope, the application's default (404 here).
        let res = actix_test::call_service(
            &app,
            actix_test::TestRequest::get().uri("/tx/3").to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
}
