//! Test support: a real server on a random port against a fresh SQLite file
//! or a fresh PostgreSQL database, and a small JSON client.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::SimpleConnection;
use forum_core::Db;
use forum_server::{Application, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const PASSWORD: &str = "a long enough passphrase";
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one test body against both backends.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let f = $body;
                f($crate::helpers::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let f = $body;
                f($crate::helpers::Backend::Postgres).await;
            }
        }
    };
}

/// The PostgreSQL server tests create their databases in.
/// `COMITY_TEST_POSTGRES_URL` names it; it defaults to the local server so
/// that a missing PostgreSQL fails the run instead of skipping it.
pub fn postgres_admin_url() -> String {
    std::env::var("COMITY_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A fresh PostgreSQL database, dropped when the guard goes.
pub struct PgDatabase {
    pub url: String,
    name: String,
}

impl PgDatabase {
    pub fn create() -> PgDatabase {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let admin = postgres_admin_url();
        let name = format!(
            "comity_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            rand::random::<u32>()
        );
        let mut conn = forum_core::store::db::establish_postgres(&admin).unwrap_or_else(|e| {
            panic!("PostgreSQL at {admin} is required for the test suite: {e}")
        });
        static SWEEP: std::sync::Once = std::sync::Once::new();
        SWEEP.call_once(|| sweep_leftovers(&mut conn));
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let url = match admin.rfind('/') {
            Some(i) if !admin[..i].ends_with('/') => format!("{}/{name}", &admin[..i]),
            _ => format!("{admin}/{name}"),
        };
        PgDatabase { url, name }
    }
}

/// Drops test databases left behind by test processes that no longer run
/// (a crashed or killed run cannot drop its own).
fn sweep_leftovers(conn: &mut diesel::PgConnection) {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let query =
        "SELECT datname::text AS datname FROM pg_database WHERE datname LIKE 'comity_test_%'";
    let Ok(names) = diesel::sql_query(query).load::<Name>(conn) else {
        return;
    };
    for Name { datname } in names {
        let pid = datname
            .trim_start_matches("comity_test_")
            .split('_')
            .next()
            .unwrap_or("");
        let alive = !pid.is_empty() && std::path::Path::new(&format!("/proc/{pid}")).exists();
        if !alive {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {datname} WITH (FORCE)"));
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = std::mem::take(&mut self.name);
        let drop_database = move || {
            if let Ok(mut conn) = forum_core::store::db::establish_postgres(&postgres_admin_url()) {
                let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        };
        // A server spawned on this test's runtime still runs: its tasks,
        // finding their database gone, would try to reconnect for the
        // pool's whole timeout (10 s), and the runtime's shutdown waits
        // for them. So the database goes once the runtime has dropped its
        // tasks. (A process that exits first leaves it to the next run's
        // sweep.)
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                let (alive, gone) = std::sync::mpsc::channel::<()>();
                runtime.spawn(async move {
                    let _alive = alive;
                    std::future::pending::<()>().await
                });
                std::thread::spawn(move || {
                    let _ = gone.recv();
                    drop_database();
                });
            }
            Err(_) => drop_database(),
        }
    }
}

/// Where a test's data lives; kept across restarts of the server.
pub struct Storage {
    pub dir: tempfile::TempDir,
    pub pg: Option<PgDatabase>,
}

impl Storage {
    pub fn new(backend: Backend) -> Storage {
        Storage {
            dir: tempfile::tempdir().expect("temp dir"),
            pg: (backend == Backend::Postgres).then(PgDatabase::create),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn database_url(&self) -> String {
        match &self.pg {
            Some(pg) => pg.url.clone(),
            None => self
                .data_dir()
                .join("forum.db")
                .to_string_lossy()
                .into_owned(),
        }
    }

    pub fn settings(&self) -> Settings {
        Settings {
            bind: "127.0.0.1:0".parse().unwrap(),
            data_dir: self.data_dir(),
            database_url: Some(self.database_url()),
            jwt_secret: Some(JWT_SECRET.to_owned()),
            db_pool_size: 4,
            // The second-factor requirement has its own tests.
            second_factor: "optional".to_owned(),
            attachments: forum_server::config::AttachmentSettings {
                // The server under test runs in this process: text is read
                // by the real binary.
                extractor: Some(env!("CARGO_BIN_EXE_forum-server").into()),
                ..Default::default()
            },
            ..Settings::default()
        }
    }
}

/// A running server.
pub struct TestApp {
    /// First, so it runs while the database still exists (fields drop in
    /// order, and `storage` removes a PostgreSQL test database).
    _events_check: EventsCheck,
    pub address: String,
    /// The port of `metrics_bind`, when the test set it.
    pub metrics_port: Option<u16>,
    pub db: Db,
    pub hub: std::sync::Arc<forum_server::live::Hub>,
    pub search: std::sync::Arc<forum_server::workers::indexer::Search>,
    /// The mailer, when the test configured SMTP.
    pub mailer: Option<std::sync::Arc<forum_server::workers::mailer::Mailer>>,
    pub client: reqwest::Client,
    pub storage: Storage,
    handle: actix_web::dev::ServerHandle,
}

pub async fn spawn(backend: Backend) -> TestApp {
    spawn_with(Storage::new(backend), |_| {}).await
}

pub async fn spawn_with(storage: Storage, tweak: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = storage.settings();
    tweak(&mut settings);
    let app = Application::build(settings).await.expect("server builds");
    let port = app.port();
    let metrics_port = app.metrics_port();
    let db = app.db().clone();
    let hub = app.hub().clone();
    let search = app.search().clone();
    let mailer = app.mailer().cloned();
    let server = app.into_server();
    let handle = server.handle();
    tokio::spawn(server);
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        metrics_port,
        _events_check: EventsCheck(db.clone()),
        db,
        hub,
        search,
        mailer,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        storage,
        handle,
    }
}

/// A response's status and JSON body (Null when empty or not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl TestApp {
    /// Waits until the hub (which feeds the caches) has read the whole log:
    /// from then on, reads are answered from the caches.
    pub async fn settled(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while self.hub.head() < self.db.last_event_seq().unwrap() {
            assert!(
                std::time::Instant::now() < deadline,
                "the hub did not catch up"
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// Waits until the search index reflects every event written so far.
    pub async fn indexed(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let head = self.db.last_event_seq().unwrap();
            if self.search.index().is_ok() && self.search.indexed_seq() >= head {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the index did not catch up with event {head}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Waits until the notifier has considered every event written so far.
    pub async fn notified(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let head = self.db.last_event_seq().unwrap();
            if self.db.notifier_position().unwrap() >= head {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the notifier did not catch up with event {head}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Waits until the notifier has caught up and no immediate e-mail is
    /// waiting or in flight.
    pub async fn mailed(&self) {
        self.notified().await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while self.db.pending_emails().unwrap() > 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "the mailer did not send what was due"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Stops the server as SIGTERM does (live clients told to go away,
    /// then a graceful stop) and gives back its storage, for a restart.
    pub async fn stop(self) -> Storage {
        self.hub.go_away();
        self.handle.stop(true).await;
        self.storage
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            headers,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    /// Creates an admin directly in the database and logs in; returns the
    /// login reply body (tokens and user).
    pub async fn admin(&self) -> Value {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            db.create_admin("admin", "admin@example.org", PASSWORD)
        })
        .await
        .unwrap()
        .expect("admin created");
        self.login("admin", PASSWORD).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Value {
        let reply = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login of {username}: {}",
            reply.body
        );
        reply.body
    }

    /// Invites and registers a French prosecutor, then logs them in.
    pub async fn member(&self, admin_token: &str, username: &str) -> Value {
        self.member_from(admin_token, username, "FR", "prosecutor")
            .await
    }

    /// Invites and registers a member of `country` and `profession`, then
    /// logs them in.
    pub async fn member_from(
        &self,
        admin_token: &str,
        username: &str,
        country: &str,
        profession: &str,
    ) -> Value {
        let invitation = self
            .post(
                "/api/v1/invitations",
                Some(admin_token),
                json!({"email": format!("{username}@example.org")}),
            )
            .await;
        assert_eq!(
            invitation.status,
            StatusCode::CREATED,
            "{}",
            invitation.body
        );
        let registered = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({
                    "invitation_token": invitation.body["token"],
                    "username": username,
                    "display_name": format!("{username} ({country})"),
                    "password": PASSWORD,
                    "country": country,
                    "profession": profession,
                }),
            )
            .await;
        assert_eq!(
            registered.status,
            StatusCode::CREATED,
            "{}",
            registered.body
        );
        self.login(username, PASSWORD).await
    }

    pub async fn category(&self, admin_token: &str, slug: &str) -> i64 {
        let reply = self
            .post(
                "/api/v1/categories",
                Some(admin_token),
                json!({"slug": slug, "name": slug}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["id"].as_i64().unwrap()
    }

    pub async fn thread(&self, token: &str, category_id: i64, title: &str, body: &str) -> Value {
        let reply = self
            .post(
                "/api/v1/threads",
                Some(token),
                json!({"category_id": category_id, "title": title, "body": body, "kind": "discussion", "jurisdictions": ["FR"]}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body
    }

    pub async fn post_count(&self) -> i64 {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.post_count())
            .await
            .unwrap()
            .unwrap()
    }
}

pub fn token(login: &Value) -> String {
    login["access_token"]
        .as_str()
        .expect("access token")
        .to_owned()
}

/// Every test's event log is checked when its server goes: each row must
/// decode into the typed `Event` and encode back to exactly the payload
/// stored, so the types and the stored shapes cannot drift apart.
struct EventsCheck(Db);

impl Drop for EventsCheck {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let Ok(rows) = self.0.events_after(0, 100_000) else {
            return;
        };
        for row in rows {
            let event = row.event().unwrap_or_else(|| {
                panic!(
                    "event {} ({}) does not decode: {}",
                    row.seq, row.kind, row.payload
                )
            });
            let stored: serde_json::Value = serde_json::from_str(&row.payload).unwrap();
            assert_eq!(
                event.payload(),
                stored,
                "event {} ({}) round trip",
                row.seq,
                row.kind
            );
            assert_eq!(event.kind().as_str(), row.kind);
        }
    }
}
