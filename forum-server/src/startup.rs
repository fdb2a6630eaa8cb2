//! Building and running the HTTP server. Tests call
//! [`Application::build`] with port 0 and their own data directory.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use forum_core::Db;
use forum_core::features::accounts::viewer_cache::{ViewerCache, viewer_cache};
use forum_core::features::forum::reader_state::{MemberStateCache, member_state_cache};
use forum_core::features::forum::thread_cache::{ThreadCache, thread_cache};
use forum_core::features::forum::{ThreadListCache, thread_list_cache};
use forum_core::features::notifications::unread_cache::{UnreadCache, unread_cache};

use crate::auth::{self, JwtKeys};
use crate::config::Settings;
use crate::error;
use crate::http;
use crate::limits::Limits;
use crate::links::Links;
use crate::live::Hub;
use crate::routes;
use crate::workers::indexer::Search;
use crate::workers::mailer::{self as mail, Mailer};

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    pub hub: Arc<Hub>,
    pub search: Arc<Search>,
    pub limits: Arc<Limits>,
    pub jwt: JwtKeys,
    /// Absolute links (invitations, resets, e-mail).
    pub links: Links,
    pub settings: Arc<Settings>,
    /// Who is asking, per session, fresh by the event log.
    pub viewers: Arc<ViewerCache>,
    /// Members' unread notification counts, fresh by the event log.
    pub unread: Arc<UnreadCache>,
    /// Threads with their posts, fresh by the event log.
    pub threads: Arc<ThreadCache>,
    /// Pages of thread lists, fresh by the event log.
    pub lists: Arc<ThreadListCache>,
    /// Members' drafts and chosen watch levels, fresh by the event log.
    pub members: Arc<MemberStateCache>,
    /// Serialised views by tag (see [`http::caching::Rendered`]).
    pub rendered: Arc<http::caching::Rendered>,
    /// Rendered parts of pages by tag and language (the posts of a
    /// thread, thread lists).
    pub fragments: Arc<http::caching::Rendered<views::Fragment>>,
    /// Thread, home and category pages as rendered, by what they show
    /// (16, 8 and 8 MiB of them at most).
    pub thread_pages: Arc<http::caching::RenderedPages<views::ThreadPage>>,
    pub home_pages: Arc<http::caching::RenderedPages<views::HomePage>>,
    pub category_pages: Arc<http::caching::RenderedPages<views::CategoryPage>>,
    /// Attachments' bytes.
    pub files: Arc<dyn crate::files::FileStore>,
    /// ClamAV, when scanning is configured.
    pub scanner: Option<crate::files::scan::Clamd>,
    /// The key certified exports are signed with.
    pub export_key: crate::export::ExportKey,
    /// The key feed tokens are derived with.
    pub feed_key: crate::feeds::FeedKey,
    /// The log's head per request, on PostgreSQL (see [`http::head`]).
    pub head: Arc<http::head::FreshHead>,
}

impl AppState {
    /// Runs `call` with the database on the blocking pool: how a handler
    /// reaches forum-core (`state.run(move |db| db.thread(&viewer, id))`).
    pub async fn run<T, F>(&self, call: F) -> Result<T, error::ApiError>
    where
        F: FnOnce(&Db) -> forum_core::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        routes::block(move || call(&db)).await
    }

    /// [`AppState::run`] for reads the caches usually answer: `call` is
    /// first tried right here with the database out of reach
    /// ([`Db::without_waiting`]; on PostgreSQL at the head the request
    /// read, [`http::head`]), and goes to the blocking pool only when it
    /// needed the database. The hand-over to a blocking thread and back is
    /// most of what a page answered from the caches would otherwise cost
    /// the processor (two context switches and their wake-ups).
    pub async fn read_kept<T, F>(&self, call: F) -> Result<T, error::ApiError>
    where
        F: Fn(&Db) -> forum_core::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        if let Some(answer) = self.at_request_head(|| self.db.without_waiting(&call)) {
            return Ok(answer?);
        }
        self.run(call).await
    }

    /// Runs `call` here, at the log's head this request read (PostgreSQL,
    /// [`http::head`]), for the caches' answers kept without the database
    /// (`local_hit`); as it is elsewhere.
    pub fn at_request_head<T>(&self, call: impl FnOnce() -> T) -> T {
        match http::head::request_head() {
            Some(head) => self.db.at_head(head, call),
            None => call(),
        }
    }

    /// [`AppState::run`] for a page that shows forum-core's refusal in
    /// its form: the call's own result comes back as it is.
    pub async fn try_run<T, F>(&self, call: F) -> Result<forum_core::Result<T>, error::ApiError>
    where
        F: FnOnce(&Db) -> forum_core::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.db.clone();
        Ok(http::head::blocking(move || call(&db)).await?)
    }
}

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    /// The port of `metrics_bind`, when set.
    metrics_port: Option<u16>,
    server: Server,
    db: Db,
    hub: Arc<Hub>,
    search: Arc<Search>,
    mailer: Option<Arc<Mailer>>,
}

impl Application {
    /// Opens the database (migrating it), loads the signing secret and binds
    /// the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let database_url = settings.database_url();
        let pool_size = settings.db_pool_size;
        let db = crate::http::head::blocking(move || Db::open(&database_url, pool_size)).await??;
        db.set_second_factor_policy(settings.second_factor_policy()?);
        let secret =
            auth::load_or_create_secret(settings.jwt_secret.as_deref(), &settings.data_dir)?;
        let poll = std::time::Duration::from_millis(settings.live.poll_interval_ms.max(10));
        let viewers = Arc::new(viewer_cache());
        let unread = Arc::new(unread_cache());
        let threads = Arc::new(thread_cache());
        let lists = Arc::new(thread_list_cache());
        let members = Arc::new(member_state_cache());
        let mut observers = db.log_observers();
        observers.extend([
            viewers.clone() as Arc<dyn forum_core::store::cache::LogObserver>,
            unread.clone(),
            threads.clone(),
            lists.clone(),
            members.clone(),
        ]);
        let hub = Hub::start(&db, poll, observers)?;
        crate::workers::notifier::start(db.clone(), &hub)?;
        crate::workers::webhooks::start(db.clone(), &hub, settings.webhooks.policy())?;
        let search = Search::start(
            db.clone(),
            &hub,
            settings.search_dir(),
            settings.search.clone(),
        )?;
        let files = crate::files::open_store(&settings)?;
        let export_key = crate::export::ExportKey::load_or_create(&settings.data_dir)?;
        let scanner = settings
            .attachments
            .clamd
            .as_deref()
            .map(crate::files::scan::Clamd::new);
        crate::workers::extractor::start(db.clone(), &hub, files.clone(), settings.extractor()?)?;
        // Shared by every process on PostgreSQL; this process's on SQLite.
        let shared_limits = (db.backend() == forum_core::Backend::Postgres).then(|| db.clone());
        let limits = Limits::start(settings.trusted_networks()?, shared_limits);
        let listener = TcpListener::bind(settings.bind)?;
        let port = listener.local_addr()?.port();
        let jwt = JwtKeys::new(&secret, settings.access_token_ttl_secs);
        let feed_key = crate::feeds::FeedKey::derive(&secret);
        // The recorder first: what happens before it is installed is lost.
        crate::metrics::handle();
        let links = Links::new(settings.public_url.as_deref(), listener.local_addr()?);
        let base_url = links.base().to_owned();
        let mailer = Mailer::new(&settings.email, links.clone(), jwt.clone())?.map(Arc::new);
        db.set_email_on(mailer.is_some());
        if mailer.is_some() && settings.public_url.is_none() {
            tracing::warn!(
                %base_url,
                "e-mail is on but public_url is not set: links in e-mails use the bound address"
            );
        }
        match &mailer {
            Some(mailer) => mail::start(
                mailer.clone(),
                db.clone(),
                &hub,
                Duration::from_secs(settings.email.digest_check_secs),
            )?,
            // `main` tells the operator once; the log only notes it.
            None => tracing::debug!("{}", mail::status_line(&settings.email)),
        }
        let state = web::Data::new(AppState {
            db: db.clone(),
            hub: hub.clone(),
            search: search.clone(),
            limits,
            jwt,
            links,
            settings: Arc::new(settings),
            viewers,
            unread,
            threads,
            lists,
            members,
            rendered: Arc::default(),
            fragments: Arc::default(),
            thread_pages: Arc::new(http::caching::RenderedPages::with_budget(16 << 20)),
            home_pages: Arc::new(http::caching::RenderedPages::with_budget(8 << 20)),
            category_pages: Arc::new(http::caching::RenderedPages::with_budget(8 << 20)),
            files,
            scanner,
            export_key,
            feed_key,
            head: Arc::new(http::head::FreshHead::new(db.clone())),
        });
        // `metrics_bind`: the metrics alone, on the operator's address.
        let metrics_port = match state.settings.metrics_bind {
            Some(addr) => {
                let listener = TcpListener::bind(addr)?;
                let port = listener.local_addr()?.port();
                let metrics_state = state.clone();
                let metrics_server = HttpServer::new(move || {
                    App::new().app_data(metrics_state.clone()).route(
                        "/metrics",
                        web::get().to(crate::metrics::scrape_on_metrics_bind),
                    )
                })
                .workers(1)
                .disable_signals()
                .listen(listener)?
                .run();
                // It holds nothing to flush: it ends with the process.
                tokio::spawn(metrics_server);
                Some(port)
            }
            None => None,
        };
        let limit = state.settings.max_body_bytes;
        let blocking_threads = (state.settings.db_pool_size as usize * 2 + 2).max(4);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(limit)
                        .error_handler(error::json_error),
                )
                .app_data(web::FormConfig::default().limit(limit))
                .app_data(web::PayloadConfig::default().limit(limit))
                .app_data(web::PathConfig::default().error_handler(error::path_error))
                .app_data(web::QueryConfig::default().error_handler(error::query_error))
                .wrap(from_fn(http::identity::resolve_caller))
                .wrap(from_fn(crate::metrics::record))
                .wrap(from_fn(http::csrf::refuse_cross_site))
                .wrap(from_fn(http::caching::finish_response))
                .configure(routes::configure)
        })
        // Blocking work is database work: more threads than connections
        // only wait for one (and each keeps its own allocator arena).
        .worker_max_blocking_threads(blocking_threads)
        // `run_until_stopped` handles the signals: sockets first.
        .disable_signals()
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            metrics_port,
            server,
            db,
            hub,
            search,
            mailer,
        })
    }

    /// The mailer, when e-mail is on.
    pub fn mailer(&self) -> Option<&Arc<Mailer>> {
        self.mailer.as_ref()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `metrics_bind` listens on, when set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_port
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The live-events hub (tests read its counts).
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// The search index handle (tests wait for it to catch up).
    pub fn search(&self) -> &Arc<Search> {
        &self.search
    }

    /// Serves until SIGTERM or Ctrl-C, then stops gracefully: no new
    /// connections; live clients are closed with 1001 so they resume on
    /// another process; requests in flight finish (30 s at most); the
    /// search indexer commits what it read.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        let hub = self.hub.clone();
        tokio::spawn(async move {
            stop_signal().await;
            tracing::info!("stopping: no new connections, live clients told to resume elsewhere");
            hub.go_away();
            handle.stop(true).await;
        });
        self.server.await?;
        let search = self.search.clone();
        let flushed = tokio::task::spawn_blocking(move || {
            search.flush_and_stop(std::time::Duration::from_secs(10))
        })
        .await
        .unwrap_or(false);
        tracing::info!(index_flushed = flushed, "stopped");
        Ok(())
    }

    /// The server future, for tests that spawn it and stop it later.
    pub fn into_server(self) -> Server {
        self.server
    }
}

/// SIGTERM (systemd, a container runtime) or Ctrl-C.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
