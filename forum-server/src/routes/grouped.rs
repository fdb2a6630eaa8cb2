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
            cfg.service(group_scope(&first, routes, None));
        }
    }

    /// The groups inside one scope at `prefix`; paths no route takes,
    /// inside a group or not, go to `default`.
    pub fn into_scope(self, prefix: &str, default: fn() -> Route) -> Scope {
        let mut outer = web::scope(prefix).default_service(default());
        for (first, routes) in self.groups {
            outer = outer.service(group_scope(&first, routes, Some(default)));
        }
        outer
    }
}

/// One group's scope at `first`. Where the group's routes go on with one
/// parameter segment (`/{id}/lock`, `/{id}/posts`, …), those routes sit
/// in a scope of their own at that segment: its pattern is the one
/// regular expression a request for any of them runs, where registered
/// flat each would run its own in turn (a reply, the 24th such route of
/// `/threads`, ran 24). That scope answers exactly what the flat routes
/// would ([`nested_parameter`] says when), and paths none of its routes
/// take go to `default` as the group's do (the application's when
/// `None`).
fn group_scope(first: &str, routes: Vec<(String, Route)>, default: Option<fn() -> Route>) -> Scope {
    let with_default = |scope: Scope| match default {
        Some(default) => scope.default_service(default()),
        None => scope,
    };
    let mut scope = with_default(web::scope(first));
    let Some(parameter) = nested_parameter(routes.iter().map(|(rest, _)| rest.as_str())) else {
        for (rest, route) in routes {
            scope = scope.route(&rest, route);
        }
        return scope;
    };
    let parameter = parameter.to_owned();
    let mut nested = with_default(web::scope(&parameter));
    for (rest, route) in routes {
        let (segment, inner) = segments(&rest);
        if segment == parameter {
            nested = nested.route(inner, route);
        } else {
            scope = scope.route(&rest, route);
        }
    }
    scope.service(nested)
}

/// The parameter segment (`/{id}`) under which a group's routes, given by
/// the rest of their paths in order of registration, may be nested
/// without changing which route answers a request: more than one route
/// goes on with it, no route goes on with another parameter segment, and
/// every route going on with a static segment (`/stats`, which the
/// parameter would also match) comes before the first that goes on with
/// the parameter. actix-web tries a scope's routes in order and a
/// request whose method a route does not take goes on to the next; nested,
/// the static routes still come first and the parameter's routes keep
/// their order after them.
fn nested_parameter<'a>(rests: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut parameter: Option<&str> = None;
    let mut nested = 0;
    for rest in rests {
        let (segment, _) = segments(rest);
        if segment.contains('{') {
            match parameter {
                Some(p) if p != segment => return None,
                _ => parameter = Some(segment),
            }
            nested += 1;
        } else if !segment.is_empty() && parameter.is_some() {
            return None;
        }
    }
    parameter.filter(|_| nested > 1)
}

/// `/{id}/lock` → (`/{id}`, `/lock`); `/me` → (`/me`, ``); `` → (``, ``).
fn segments(path: &str) -> (&str, &str) {
    if path.is_empty() {
        return ("", "");
    }
    let end = path[1..].find('/').map_or(path.len(), |at| at + 1);
    path.split_at(end)
}

/// `/threads/{id}/lock` → (`/threads`, `/{id}/lock`); `/me` → (`/me`, ``);
/// `/` → (`/`, ``).
fn split(path: &str) -> (&str, &str) {
    assert!(
        path.starts_with('/'),
        "a route path starts with '/': {path}"
    );
    let (first, rest) = segments(path);
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

    #[test]
    fn routes_nest_under_a_parameter_only_where_the_answers_stay_the_same() {
        let nest = |rests: &[&'static str]| nested_parameter(rests.iter().copied());
        assert_eq!(
            nest(&["", "/{id}", "/{id}/lock", "/{id}/posts"]),
            Some("/{id}")
        );
        // Static segments first: still tried first once nested.
        assert_eq!(nest(&["/stats", "/{id}", "/{id}/accept"]), Some("/{id}"));
        // A static segment after the parameter's routes: nested, the
        // static route would be tried before them.
        assert_eq!(nest(&["/{id}", "/stats", "/{id}/accept"]), None);
        // Two parameters, or one route: left flat.
        assert_eq!(nest(&["/{id}", "/{slug}/x"]), None);
        assert_eq!(nest(&["", "/{id}"]), None);
        assert_eq!(nest(&["", "/mine"]), None);
    }

    #[actix_web::test]
    async fn grouped_routes_answer_as_flat_ones_would() {
        let mut api = Grouped::default();
        api.route("/threads", web::get().to(pattern))
            .route("/threads/{id}", web::get().to(pattern))
            .route("/threads/{id}", web::patch().to(pattern))
            .route("/me", web::get().to(pattern))
            .route("/threads/{id}/lock", web::post().to(pattern))
            .route("/questions/stats", web::get().to(pattern))
            .route("/questions/{id}", web::get().to(pattern))
            .route("/questions/{id}", web::post().to(pattern))
            .route("/questions/{id}/accept", web::post().to(pattern))
            .route("/experts/{id}", web::get().to(pattern))
            .route("/experts/mine", web::post().to(pattern))
            .route("/experts/{id}/card", web::get().to(pattern));
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
            (
                "GET",
                "/api/v1/questions/stats",
                Some("/api/v1/questions/stats -"),
            ),
            // A method the static route does not take goes on, as flat.
            (
                "POST",
                "/api/v1/questions/stats",
                Some("/api/v1/questions/{id} stats"),
            ),
            (
                "POST",
                "/api/v1/questions/4/accept",
                Some("/api/v1/questions/{id}/accept 4"),
            ),
            // Left flat: the parameter's route answers before the static
            // one for the methods it takes, the static one for the rest.
            (
                "GET",
                "/api/v1/experts/mine",
                Some("/api/v1/experts/{id} mine"),
            ),
            (
                "POST",
                "/api/v1/experts/mine",
                Some("/api/v1/experts/mine -"),
            ),
            (
                "GET",
                "/api/v1/experts/2/card",
                Some("/api/v1/experts/{id}/card 2"),
            ),
            ("GET", "/api/v1/questions/4/", None),
            ("GET", "/api/v1/questions/4/accept", None),
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
