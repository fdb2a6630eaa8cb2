//! Whole-app load: the requests people make most, as ratios of an actix-web
//! hello-world measured in the same run on the same core.
//!
//! ```text
//! cargo bench -p forum-server --bench app_load
//! COMITY_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!     cargo bench -p forum-server --bench app_load
//! ```
//!
//! Settings, all optional: `COMITY_BENCH_POSTS` (default 1000000, in
//! threads of 20), `COMITY_BENCH_SECS` (5: each measurement; a one-second
//! warm-up precedes it), `COMITY_BENCH_CONNECTIONS` (32),
//! `COMITY_BENCH_WS` (1000 idle websockets), `COMITY_BENCH_DATABASE_URL`
//! (a PostgreSQL server URL: a fresh database is created on it and dropped
//! after; without it, a SQLite file in a temporary directory),
//! `COMITY_BENCH_ONLY` (comma-separated keys of the report's rows, e.g.
//! `me,thread_page_50,depth,ws,replies`, to measure only those while
//! working on them; the report is then partial).
//!
//! The bench re-executes itself three ways, each pinned to core 0: the
//! Comity server (`Application::build`, as `forum-server serve` runs it,
//! with one `malloc` arena per core), the hello-world baseline (one route
//! answering `Hello world!`, measured first and again at the end; the
//! faster of the two is the baseline), and the
//! raw-commit baseline (single-row transactions on the same database
//! engine and durability settings). The load client is this process,
//! pinned to core 1: a minimal HTTP/1.1 client over keep-alive
//! connections, closed loop for the maximum rate, then paced at half of it
//! (latency counted from each request's scheduled time, so a stall is not
//! hidden). The report is printed and written to `target/app_load.json`;
//! each measured answer's body is kept in `target/app_load/{key}.body`.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Lines, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use forum_core::domain::Role;
use forum_core::features::accounts::Registration;
use forum_core::features::forum::NewThreadInput;
use forum_core::{Db, Viewer};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

const SERVER_CORE: usize = 0;
const CLIENT_CORE: usize = 1;
const PASSWORD: &str = "app load bench passphrase 2026";
const JWT_SECRET: &str = "app-load-bench-secret-0123456789-0123456789";
const POSTS_PER_THREAD: usize = 20;
const ROWS_PER_INSERT: usize = 500;
const BIG_THREAD_POSTS: usize = 50;
const MEMBERS: usize = 8;
/// The page of the thread list compared with page 1.
const DEEP_PAGE: usize = 1000;

fn fail(message: &str) -> ! {
    eprintln!("app_load: {message}");
    std::process::exit(1);
}

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| fail(&format!("{name}={v} is not a number"))),
        Err(_) => default,
    }
}

/// Runs this thread, and every thread it starts, on `core` only (a child
/// process inherits its parent's mask, so this may widen it again).
fn pin(core: usize) {
    if !core_affinity::set_for_current(core_affinity::CoreId { id: core }) {
        fail(&format!("cannot pin to core {core}"));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let after = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .map(|i| args[i + 1..].to_vec())
    };
    if after("--hello").is_some() {
        pin(SERVER_CORE);
        answer_heap_probes();
        return hello_world();
    }
    if let Some(rest) = after("--serve") {
        // As `forum-server serve` does.
        forum_server::allocator::one_arena_per_core();
        pin(SERVER_CORE);
        answer_heap_probes();
        return serve(PathBuf::from(&rest[0]), rest[1].clone());
    }
    if let Some(rest) = after("--db-writes") {
        pin(SERVER_CORE);
        let secs: f64 = rest[1].parse().expect("seconds");
        let writers: usize = rest[2].parse().expect("writers");
        return db_writes(&rest[0], Duration::from_secs_f64(secs), writers);
    }
    if let Some(rest) = after("--raw-commits") {
        pin(SERVER_CORE);
        let secs: f64 = rest[1].parse().expect("seconds");
        return raw_commits(&rest[0], Duration::from_secs_f64(secs));
    }
    orchestrate();
}

// ---------------------------------------------------------------- children

/// In a child (the server, the hello-world): answers each `heap` line on
/// standard input with `HEAP <bytes>` on standard output, the bytes
/// `malloc` holds allocated (see [`heap_in_use`]).
fn answer_heap_probes() {
    std::thread::spawn(|| {
        for line in std::io::stdin().lines() {
            let Ok(line) = line else { return };
            if line.trim() == "heap" {
                println!("HEAP {}", heap_in_use().unwrap_or(0));
                std::io::stdout().flush().ok();
            }
        }
    });
}

/// The bytes this process holds allocated through glibc's `malloc`: its
/// arenas' memory less their free chunks (the top chunk among them), plus
/// the chunks it mapped on their own, from `malloc_info(3)`. Unlike RSS
/// growth, this does not depend on how much freed memory the heap held
/// for reuse before the measurement.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn heap_in_use() -> Option<u64> {
    use malloc_info::info::{SystemType, TotalType};
    let info = malloc_info::malloc_info().ok()?;
    let total = |kind: TotalType| -> u64 {
        info.total
            .iter()
            .filter(|t| t.r#type == kind)
            .map(|t| t.size as u64)
            .sum()
    };
    let current: u64 = info
        .system
        .iter()
        .filter(|s| s.r#type == SystemType::Current)
        .map(|s| s.size as u64)
        .sum();
    Some(
        (current + total(TotalType::Mmap))
            .saturating_sub(total(TotalType::Fast) + total(TotalType::Rest)),
    )
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn heap_in_use() -> Option<u64> {
    None
}

/// The baseline: actix-web answering one route, as its README shows it.
/// Also `GET /bytes/{n}`: `n` bytes of HTML from memory, what actix-web
/// itself does at most with a body the size of a Comity answer; and
/// `/ws`: an actix-ws websocket that only answers a subscription, the
/// framework's own idle connection.
fn hello_world() {
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
    static BODY: std::sync::LazyLock<actix_web::web::Bytes> =
        std::sync::LazyLock::new(|| vec![b'a'; 4 << 20].into());
    async fn bytes(n: web::Path<usize>) -> HttpResponse {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(BODY.slice(..n.into_inner().min(BODY.len())))
    }
    async fn idle_ws(req: HttpRequest, body: web::Payload) -> actix_web::Result<HttpResponse> {
        let (response, mut session, mut stream) = actix_ws::handle(&req, body)?;
        actix_web::rt::spawn(async move {
            while let Some(Ok(message)) = stream.recv().await {
                if let actix_ws::Message::Text(_) = message
                    && session.text(r#"{"type":"subscribed"}"#).await.is_err()
                {
                    break;
                }
            }
        });
        Ok(response)
    }
    actix_web::rt::System::new().block_on(async {
        let server = HttpServer::new(|| {
            App::new()
                .route("/", web::get().to(|| async { "Hello world!" }))
                .route("/bytes/{n}", web::get().to(bytes))
                .route("/ws", web::get().to(idle_ws))
        })
        .bind("127.0.0.1:0")
        .expect("bind");
        let port = server.addrs()[0].port();
        println!("PORT {port}");
        std::io::stdout().flush().ok();
        server.run().await.expect("hello world server");
    });
}

fn settings(data_dir: PathBuf, database_url: String) -> forum_server::Settings {
    let mut settings = forum_server::Settings {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir,
        database_url: Some(database_url),
        jwt_secret: Some(JWT_SECRET.to_owned()),
        access_token_ttl_secs: 3600,
        second_factor: "optional".to_owned(),
        ..forum_server::Settings::default()
    };
    settings.live.max_connections_per_user = 100_000;
    settings
}

/// The Comity server, as `forum-server serve` runs it (no log output).
fn serve(data_dir: PathBuf, database_url: String) {
    actix_web::rt::System::new().block_on(async {
        let app = forum_server::Application::build(settings(data_dir, database_url))
            .await
            .unwrap_or_else(|e| fail(&format!("server: {e:#}")));
        println!("PORT {}", app.port());
        std::io::stdout().flush().ok();
        app.run_until_stopped().await.expect("server");
    });
}

/// Single-row transactions, one after another, for `time`: the most a
/// durable writer of this engine commits per second here. Prints
/// `COMMITS <n> <secs>`.
fn raw_commits(url: &str, time: Duration) {
    let mut conn: Box<dyn SimpleConnection> = if url.starts_with("postgres") {
        let mut pg = forum_core::store::db::establish_postgres(url).expect("postgres");
        pg.batch_execute(
            "DROP TABLE IF EXISTS raw_commits; \
             CREATE TABLE raw_commits (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)",
        )
        .expect("table");
        Box::new(pg)
    } else {
        let mut lite = SqliteConnection::establish(url).expect("sqlite");
        lite.batch_execute(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             CREATE TABLE IF NOT EXISTS raw_commits (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
        )
        .expect("table");
        Box::new(lite)
    };
    let body = "A reply of ordinary length, about as long as a short paragraph in a thread.";
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < time {
        conn.batch_execute(&format!(
            "BEGIN; INSERT INTO raw_commits (body) VALUES ('{body} {n}'); COMMIT;"
        ))
        .expect("commit");
        n += 1;
    }
    println!("COMMITS {n} {}", started.elapsed().as_secs_f64());
}

/// `Db::write` from `writers` threads at once, each writing single-row
/// transactions for `time`: what the forum's own write path commits per
/// second (grouped on SQLite when writers overlap). Prints
/// `WRITES <n> <secs> <transactions>`.
fn db_writes(url: &str, time: Duration, writers: usize) {
    let db = Db::open(url, 2).unwrap_or_else(|e| fail(&format!("open database: {e}")));
    db.write(|conn| {
        conn.batch_execute(
            "CREATE TABLE IF NOT EXISTS db_writes (id BIGINT NOT NULL, body TEXT NOT NULL)",
        )?;
        Ok(())
    })
    .expect("table");
    let before = db.write_batches();
    let body = "A reply of ordinary length, about as long as a short paragraph in a thread.";
    let started = Instant::now();
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut n = 0u64;
                while started.elapsed() < time {
                    let id = (w as u64) << 32 | n;
                    db.write(|conn| {
                        diesel::sql_query(format!(
                            "INSERT INTO db_writes (id, body) VALUES ({id}, '{body}')"
                        ))
                        .execute(conn)?;
                        Ok(())
                    })
                    .expect("write");
                    n += 1;
                }
                n
            })
        })
        .collect();
    let n: u64 = handles.into_iter().map(|h| h.join().expect("writer")).sum();
    // PostgreSQL runs one transaction per write (it groups WAL flushes).
    let transactions = match db.backend() {
        forum_core::Backend::Postgres => n,
        forum_core::Backend::Sqlite => db.write_batches() - before,
    };
    println!(
        "WRITES {n} {} {transactions}",
        started.elapsed().as_secs_f64()
    );
}

/// A child process, killed when dropped, with its standard output after
/// the `PORT` line (for [`Killed::heap_in_use`]).
struct Killed(Child, Lines<BufReader<ChildStdout>>);

impl Killed {
    /// Asks the child for the bytes its `malloc` holds allocated
    /// ([`answer_heap_probes`]); `None` where that cannot be known.
    fn heap_in_use(&mut self) -> Option<u64> {
        let stdin = self.0.stdin.as_mut()?;
        writeln!(stdin, "heap").ok()?;
        stdin.flush().ok()?;
        for line in &mut self.1 {
            if let Some(bytes) = line.ok()?.strip_prefix("HEAP ") {
                return bytes.trim().parse().ok().filter(|b| *b > 0);
            }
        }
        None
    }
}

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Re-executes this bench with `args`, waiting for its `PORT` line.
fn spawn_child(args: &[&str]) -> (Killed, u16) {
    let exe = std::env::current_exe().expect("own path");
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("child stdout");
    let mut lines = BufReader::new(stdout).lines();
    let port = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(port) = line.strip_prefix("PORT ") {
                    break port.trim().parse().expect("port");
                }
            }
            _ => fail(&format!("child {args:?} ended before listening")),
        }
    };
    (Killed(child, lines), port)
}

/// The CPU time (user and system) process `pid` has used so far, all its
/// threads, from `/proc/PID/stat` (in ticks of 1/100 s, Linux's USER_HZ).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    // utime and stime are fields 14 and 15 of the line: 11 and 12 here,
    // counted from 0 after the state (field 3).
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => f64::NAN,
    }
}

fn rss_bytes(pid: u32) -> u64 {
    status_bytes(pid, "VmRSS:")
}

/// A size line of `/proc/PID/status` (`VmRSS:`, `RssAnon:`, `RssFile:`).
fn status_bytes(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

// ---------------------------------------------------------------- seeding

const WORDS: &[&str] = &[
    "the",
    "court",
    "accepted",
    "evidence",
    "of",
    "falsified",
    "medicines",
    "seized",
    "at",
    "customs",
    "under",
    "article",
    "protocol",
    "tobacco",
    "illicit",
    "trade",
    "counterfeit",
    "trademark",
    "prosecutor",
    "judgment",
    "appeal",
    "chain",
    "custody",
    "laboratory",
    "report",
    "expert",
    "witness",
    "penalty",
    "offence",
    "intent",
    "knowledge",
    "importer",
    "warehouse",
    "shipment",
    "container",
    "declaration",
    "border",
    "authority",
    "regulation",
    "directive",
    "criminal",
    "liability",
    "company",
    "director",
    "confiscation",
    "proceeds",
    "laundering",
    "cooperation",
    "mutual",
    "assistance",
    "request",
    "jurisdiction",
    "national",
    "law",
    "and",
    "a",
    "in",
    "was",
    "not",
    "which",
    "by",
    "for",
    "with",
    "that",
];

/// A deterministic post body of about 700 characters in three paragraphs.
fn body(seed: usize) -> String {
    let mut state = seed as u64 * 2_654_435_761 + 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::new();
    for paragraph in 0..3 {
        if paragraph > 0 {
            out.push_str("\n\n");
        }
        let words = 30 + (next() % 12) as usize;
        for w in 0..words {
            let word = WORDS[(next() % WORDS.len() as u64) as usize];
            if w == 0 {
                let mut chars = word.chars();
                let first = chars.next().unwrap().to_uppercase();
                out.extend(first);
                out.push_str(chars.as_str());
            } else {
                out.push(' ');
                out.push_str(word);
            }
        }
        out.push('.');
    }
    out
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Writes `total` posts in threads of [`POSTS_PER_THREAD`] straight into
/// the database with multi-row `INSERT`s (the API would take hours): the
/// threads (in `category_id`, by `author_id`, one jurisdiction tag each),
/// posts with rendered HTML, and each post's first revision. Timestamps
/// lie before any thread the bench makes through the library. Returns
/// (threads, posts).
fn seed(url: &str, total: usize, category_id: i64, author_id: i64) -> (i64, i64) {
    let bodies: Vec<(String, String)> = (0..64)
        .map(|i| {
            let text = body(i);
            let html = forum_core::domain::markdown::render(&text).into_string();
            (quote(&text), quote(&html))
        })
        .collect();
    let postgres = url.starts_with("postgres");
    let mut conn: Box<dyn SimpleConnection> = if postgres {
        Box::new(forum_core::store::db::establish_postgres(url).expect("postgres"))
    } else {
        let mut lite = SqliteConnection::establish(url).expect("sqlite");
        lite.batch_execute("PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;")
            .expect("pragmas");
        Box::new(lite)
    };
    let base = chrono::NaiveDate::from_ymd_opt(2015, 1, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    let at = |i: usize| {
        quote(
            &(base + chrono::Duration::minutes(3 * i as i64))
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
        )
    };
    const TAGS: [&str; 8] = ["FR", "ES", "EU", "MA", "UY", "IT", "EG", "TN"];
    let threads = total.div_ceil(POSTS_PER_THREAD);
    let thread_offset = 1_000_000i64;
    let post_offset = 10_000_000i64;
    let mut post = 0usize;
    let mut sql = String::new();
    for first in (0..threads).step_by(ROWS_PER_INSERT / POSTS_PER_THREAD * 4) {
        let last = (first + ROWS_PER_INSERT / POSTS_PER_THREAD * 4).min(threads);
        sql.clear();
        sql.push_str("BEGIN;");
        let mut thread_rows = Vec::new();
        let mut tag_rows = Vec::new();
        let mut post_rows = Vec::new();
        let mut revision_rows = Vec::new();
        for t in first..last {
            let id = thread_offset + t as i64;
            let n = POSTS_PER_THREAD.min(total - post);
            let created = at(post);
            for _ in 0..n {
                let (text, html) = &bodies[post % bodies.len()];
                let pid = post_offset + post as i64;
                post_rows.push(format!(
                    "({pid},{id},{author_id},{text},{html},1,false,{},'en')",
                    at(post)
                ));
                revision_rows.push(format!("({pid},1,{text},{author_id},{})", at(post)));
                post += 1;
            }
            thread_rows.push(format!(
                "({id},{category_id},{author_id},{},'{}',false,false,{n},{created},{},'en')",
                quote(&format!(
                    "Case note {t}: {} {} {}",
                    WORDS[t % WORDS.len()],
                    WORDS[(t / 7) % WORDS.len()],
                    WORDS[(t / 49) % WORDS.len()]
                )),
                if t % 5 == 0 { "question" } else { "discussion" },
                at(post - 1)
            ));
            tag_rows.push(format!("({id},'{}')", TAGS[t % TAGS.len()]));
        }
        sql.push_str(
            "INSERT INTO threads (id, category_id, author_id, title, kind, locked, pinned, \
             post_count, created_at, last_post_at, language) VALUES ",
        );
        sql.push_str(&thread_rows.join(","));
        sql.push_str(";INSERT INTO thread_jurisdictions (thread_id, code) VALUES ");
        sql.push_str(&tag_rows.join(","));
        for rows in post_rows.chunks(ROWS_PER_INSERT) {
            sql.push_str(
                ";INSERT INTO posts (id, thread_id, author_id, body, body_html, revision, \
                 hidden, created_at, language) VALUES ",
            );
            sql.push_str(&rows.join(","));
        }
        for rows in revision_rows.chunks(ROWS_PER_INSERT) {
            sql.push_str(
                ";INSERT INTO post_revisions (post_id, revision, body, edited_by, edited_at) \
                 VALUES ",
            );
            sql.push_str(&rows.join(","));
        }
        sql.push_str(";COMMIT;");
        conn.batch_execute(&sql).expect("seed batch");
    }
    if postgres {
        conn.batch_execute(
            "SELECT setval(pg_get_serial_sequence('threads', 'id'), (SELECT max(id) FROM threads)); \
             SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT max(id) FROM posts)); \
             ANALYZE;",
        )
        .expect("sequences");
    } else {
        // No `ANALYZE`: the server never runs it on SQLite, and with the
        // statistics it writes (`sqlite_stat4`), SQLite prepares a
        // statement again each time a bound value could change its plan.
        conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
            .expect("checkpoint");
    }
    (threads as i64, post as i64)
}

fn viewer_of(user: &forum_core::store::rows::User, role: Role) -> Viewer {
    Viewer {
        id: user.id,
        username: user.username.as_str().into(),
        display_name: user.display_name.as_str().into(),
        role,
        session_id: 0.into(),
        groups: Vec::new().into(),
        country: user.country.as_str().into(),
        profession: "".into(),
        language: None,
        second_factor_missing: false,
        guest_until: None,
        feed_generation: 0,
    }
}

/// What the bench made through the library before seeding.
struct Forum {
    category_slug: String,
    big_thread: i64,
    small_thread: i64,
    threads: i64,
    posts: i64,
    seed_secs: f64,
}

fn build_forum(url: &str, total: usize, search_dir: &Path) -> Forum {
    let db = Db::open(url, 4).unwrap_or_else(|e| fail(&format!("open database: {e}")));
    let admin_user = db
        .create_admin("benchadmin", "bench@example.org", PASSWORD)
        .expect("create admin");
    let admin = viewer_of(&admin_user, Role::Admin);
    let category = db
        .create_category(
            &admin,
            "case-law",
            "Case law",
            "Judgments and how courts read the law",
            &[],
        )
        .expect("create category");
    for (slug, name) in [
        ("medicines", "Falsified medicines"),
        ("tobacco", "Tobacco Protocol"),
        ("evidence", "Evidence and procedure"),
    ] {
        db.create_category(&admin, slug, name, "Discussion among members", &[])
            .expect("create category");
    }
    let started = Instant::now();
    let (threads, posts) = seed(url, total, category.id.into(), admin.id.into());
    let seed_secs = started.elapsed().as_secs_f64();
    let mut members = Vec::new();
    for i in 0..MEMBERS {
        let invitation = db
            .create_invitation(
                &admin,
                &format!("member{i}@example.org"),
                None,
                chrono::Duration::days(1),
            )
            .expect("invite");
        let user = db
            .register(&Registration {
                invitation_token: &invitation.token,
                username: &format!("member{i}"),
                display_name: &format!("Member Number {i}"),
                password: PASSWORD,
                country: ["FR", "ES", "MA", "UY"][i % 4],
                profession: ["prosecutor", "judge", "police", "customs"][i % 4],
            })
            .expect("register");
        members.push(viewer_of(&user, Role::Member));
    }
    let jurisdictions = vec!["FR".to_owned(), "EU".to_owned()];
    let (big, _) = db
        .create_thread(
            &members[0],
            &NewThreadInput {
                category_id: category.id,
                title: "Falsified medicines: which laboratory evidence courts accepted",
                body: &body(1000),
                kind: "discussion",
                jurisdictions: &jurisdictions,
                language: Some("en"),
                analysis: None,
                attachments: &[],
                mark: None,
                mark_recipients: None,
                acknowledge_personal_data: None,
            },
        )
        .expect("big thread");
    for i in 1..BIG_THREAD_POSTS {
        db.create_post(
            &members[i % MEMBERS],
            big.id,
            &forum_core::features::forum::NewPost {
                body: &body(1000 + i),
                language: Some("en"),
                ..Default::default()
            },
        )
        .expect("reply");
    }
    let (small, _) = db
        .create_thread(
            &members[1],
            &NewThreadInput {
                category_id: category.id,
                title: "Tobacco Protocol: tracking and tracing obligations",
                body: &body(2000),
                kind: "question",
                jurisdictions: &jurisdictions,
                language: Some("en"),
                analysis: None,
                attachments: &[],
                mark: None,
                mark_recipients: None,
                acknowledge_personal_data: None,
            },
        )
        .expect("small thread");
    // The search index, built before the server starts (a server finding
    // none would rebuild it on its one core while being measured).
    let started = Instant::now();
    let rebuilt = forum_server::workers::indexer::reindex(&db, search_dir)
        .unwrap_or_else(|e| fail(&format!("reindex: {e:#}")));
    println!(
        "search index: {} posts in {:.1} s",
        rebuilt.posts,
        started.elapsed().as_secs_f64()
    );
    Forum {
        category_slug: category.slug,
        big_thread: big.id.into(),
        small_thread: small.id.into(),
        threads: threads + 2,
        posts: posts + BIG_THREAD_POSTS as i64 + 1,
        seed_secs,
    }
}

// ---------------------------------------------------------------- client

/// Reads one HTTP/1.1 response; returns its status. `buf` keeps nothing
/// between responses (requests are not pipelined).
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    // Reads straight into `buf`'s spare room: no copy on the client side.
    async fn fill(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<usize> {
        buf.reserve(65536);
        stream.read_buf(buf).await
    }
    let (status, header_len, framing) = loop {
        let n = fill(stream, buf).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(buf) {
            Ok(httparse::Status::Complete(len)) => {
                let mut framing = None;
                for h in response.headers.iter() {
                    if h.name.eq_ignore_ascii_case("content-length") {
                        let v = std::str::from_utf8(h.value).unwrap_or("0");
                        framing = Some(Some(v.trim().parse::<usize>().unwrap_or(0)));
                    } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
                        framing = Some(None);
                    }
                }
                break (response.code.unwrap_or(0), len, framing.unwrap_or(Some(0)));
            }
            Ok(httparse::Status::Partial) => continue,
            Err(e) => return Err(std::io::Error::other(e)),
        }
    };
    match framing {
        Some(length) => {
            while buf.len() < header_len + length {
                let n = fill(stream, buf).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
            }
        }
        None => {
            // Chunked: walk the chunks until the empty one.
            let mut at = header_len;
            loop {
                let line_end = loop {
                    if let Some(i) = buf[at..].windows(2).position(|w| w == b"\r\n") {
                        break at + i;
                    }
                    let n = fill(stream, buf).await?;
                    if n == 0 {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                };
                let size_text = std::str::from_utf8(&buf[at..line_end]).unwrap_or("0");
                let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
                    .map_err(std::io::Error::other)?;
                let end = line_end + 2 + size + 2;
                while buf.len() < end {
                    let n = fill(stream, buf).await?;
                    if n == 0 {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                }
                at = end;
                if size == 0 {
                    break;
                }
            }
        }
    }
    Ok(status)
}

#[derive(Clone)]
struct Target {
    name: String,
    port: u16,
    /// The process serving it, whose CPU time each request costs.
    pid: Option<u32>,
    requests: Arc<Vec<Vec<u8>>>,
    expect: u16,
}

fn request(method: &str, path: &str, auth: &Auth, body: Option<&str>) -> Vec<u8> {
    let mut r = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: app_load\r\n");
    match auth {
        Auth::None => {}
        Auth::Bearer(token) => r.push_str(&format!("Authorization: Bearer {token}\r\n")),
        Auth::Cookie(token) => r.push_str(&format!("Cookie: comity_access={token}\r\n")),
    }
    if let Some(body) = body {
        r.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    r.push_str("\r\n");
    if let Some(body) = body {
        r.push_str(body);
    }
    r.into_bytes()
}

#[derive(Clone)]
enum Auth {
    None,
    Bearer(String),
    Cookie(String),
}

#[derive(Default)]
struct Run {
    done: u64,
    errors: u64,
    latencies: Vec<u64>,
    secs: f64,
}

impl Run {
    fn rate(&self) -> f64 {
        self.done as f64 / self.secs
    }
    fn percentile_ms(&mut self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        self.latencies.sort_unstable();
        let i = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[i] as f64 / 1e6
    }
    fn mean_ms(&self) -> f64 {
        self.latencies.iter().sum::<u64>() as f64 / self.latencies.len().max(1) as f64 / 1e6
    }
}

async fn wait_until(t: Instant) {
    loop {
        let now = Instant::now();
        if now >= t {
            return;
        }
        if t - now > Duration::from_millis(2) {
            tokio::time::sleep(t - now - Duration::from_millis(1)).await;
        } else {
            tokio::task::yield_now().await;
        }
    }
}

/// `connections` keep-alive connections sending `target`'s requests in
/// turn for `time`: as fast as answers come (`rate` None), or paced at
/// `rate` requests/s in all (latency then counts from the scheduled send).
fn load(target: &Target, connections: usize, time: Duration, rate: Option<f64>) -> Run {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let started = Instant::now();
        let deadline = started + time;
        let mut tasks = Vec::new();
        for c in 0..connections {
            let target = target.clone();
            tasks.push(tokio::spawn(async move {
                let mut run = Run::default();
                let mut stream = TcpStream::connect(("127.0.0.1", target.port))
                    .await
                    .expect("connect");
                stream.set_nodelay(true).ok();
                let mut buf = Vec::with_capacity(65536);
                let interval = rate.map(|r| Duration::from_secs_f64(connections as f64 / r));
                let mut k = 0u32;
                loop {
                    let scheduled = match interval {
                        Some(every) => {
                            let at =
                                started + every.mul_f64(c as f64 / connections as f64) + every * k;
                            wait_until(at).await;
                            at
                        }
                        None => Instant::now(),
                    };
                    if scheduled >= deadline {
                        break;
                    }
                    let req = &target.requests[(c + k as usize) % target.requests.len()];
                    k += 1;
                    let ok = match stream.write_all(req).await {
                        Ok(()) => read_response(&mut stream, &mut buf).await,
                        Err(e) => Err(e),
                    };
                    match ok {
                        Ok(status) if status == target.expect => {
                            run.done += 1;
                            run.latencies.push(scheduled.elapsed().as_nanos() as u64);
                        }
                        Ok(status) => {
                            run.errors += 1;
                            if run.errors == 1 {
                                eprintln!("{}: status {status}", target.name);
                            }
                        }
                        Err(e) => {
                            run.errors += 1;
                            eprintln!("{}: {e}", target.name);
                            stream = TcpStream::connect(("127.0.0.1", target.port))
                                .await
                                .expect("reconnect");
                        }
                    }
                }
                run
            }));
        }
        let mut total = Run::default();
        for task in tasks {
            let run = task.await.expect("client task");
            total.done += run.done;
            total.errors += run.errors;
            total.latencies.extend(run.latencies);
        }
        total.secs = started
            .elapsed()
            .as_secs_f64()
            .min(time.as_secs_f64())
            .max(1e-9);
        total
    })
}

/// Maximum rate (closed loop, after a warm-up), then p50/p99 paced at half.
struct Measured {
    name: String,
    max_rate: f64,
    max_p50: f64,
    max_p99: f64,
    half_p50: f64,
    half_p99: f64,
    errors: u64,
    /// CPU time the serving process spent per request at the maximum
    /// rate (user and system, all its threads). Unlike the rate, it does
    /// not move when the virtual machine's other tenants take the core.
    cpu_us: f64,
}

fn measure(target: &Target, connections: usize, time: Duration) -> Measured {
    load(target, connections, Duration::from_secs(1), None);
    let cpu_before = target.pid.map(cpu_seconds);
    let mut max = load(target, connections, time, None);
    let cpu_us = match (target.pid, cpu_before) {
        (Some(pid), Some(before)) if max.done > 0 => {
            (cpu_seconds(pid) - before) * 1e6 / max.done as f64
        }
        _ => f64::NAN,
    };
    let mut half = load(target, connections, time, Some(max.rate() / 2.0));
    let m = Measured {
        name: target.name.clone(),
        max_rate: max.rate(),
        max_p50: max.percentile_ms(0.5),
        max_p99: max.percentile_ms(0.99),
        half_p50: half.percentile_ms(0.5),
        half_p99: half.percentile_ms(0.99),
        errors: max.errors + half.errors,
        cpu_us,
    };
    println!(
        "  {:<44} {:>9.0} req/s {:>7.1} µs CPU  p50 {:>6.2} ms  p99 {:>6.2} ms | at half: p50 {:>6.2} ms  p99 {:>6.2} ms{}",
        m.name,
        m.max_rate,
        m.cpu_us,
        m.max_p50,
        m.max_p99,
        m.half_p50,
        m.half_p99,
        if m.errors > 0 {
            format!("  ({} errors)", m.errors)
        } else {
            String::new()
        }
    );
    m
}

// ---------------------------------------------------------------- database

/// A fresh PostgreSQL database on the server `server_url` names; returns
/// its URL and a guard that drops it.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = forum_core::store::db::establish_postgres(&self.admin_url) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

fn fresh_postgres(server_url: &str) -> (String, PgDatabase) {
    let name = format!("comity_app_load_{}", std::process::id());
    let mut conn = forum_core::store::db::establish_postgres(server_url)
        .unwrap_or_else(|e| fail(&format!("cannot reach {server_url}: {e}")));
    // One statement each: PostgreSQL runs a multi-statement string as one
    // transaction, where neither may run.
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .expect("drop database");
    conn.batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create database");
    let mut url = url::Url::parse(server_url).expect("database URL");
    url.set_path(&name);
    (
        url.to_string(),
        PgDatabase {
            admin_url: server_url.to_owned(),
            name,
        },
    )
}

/// The thread list's query as written by hand over its index: a page
/// of one category (pinned first, then latest activity, then id), after a
/// cursor (pinned, last_post_at, id). Mean milliseconds per query.
fn raw_list_query(
    url: &str,
    category_id: i64,
    cursor: Option<(bool, String, i64)>,
    rounds: usize,
) -> f64 {
    #[derive(QueryableByName)]
    #[allow(dead_code)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        title: String,
    }
    let after = match &cursor {
        Some((pinned, at, id)) => format!(
            " AND (pinned, last_post_at, id) < ({}, {}, {id})",
            if *pinned { "true" } else { "false" },
            quote(at)
        ),
        None => String::new(),
    };
    // A page and one more, as the server asks (to know a next page exists).
    let limit = forum_core::features::forum::PAGE_SIZE + 1;
    let sql = format!(
        "SELECT id, title FROM threads WHERE category_id = {category_id}{after} \
         ORDER BY pinned DESC, last_post_at DESC, id DESC LIMIT {limit}"
    );
    let run = |mut f: Box<dyn FnMut() -> usize>| {
        for _ in 0..rounds / 10 {
            f();
        }
        let started = Instant::now();
        for _ in 0..rounds {
            assert_eq!(f() as i64, limit, "a full page and one more");
        }
        started.elapsed().as_secs_f64() * 1000.0 / rounds as f64
    };
    if url.starts_with("postgres") {
        let mut conn = forum_core::store::db::establish_postgres(url).expect("postgres");
        run(Box::new(move || {
            diesel::sql_query(&sql)
                .load::<Row>(&mut conn)
                .expect("list")
                .len()
        }))
    } else {
        let mut conn = SqliteConnection::establish(url).expect("sqlite");
        run(Box::new(move || {
            diesel::sql_query(&sql)
                .load::<Row>(&mut conn)
                .expect("list")
                .len()
        }))
    }
}

/// The sort key a list cursor (`pinned.microseconds.id`) stands for, as
/// the database stores it.
fn decode_cursor(cursor: &str) -> (bool, String, i64) {
    let mut parts = cursor.split('.');
    let pinned = parts.next() == Some("1");
    let micros: i64 = parts
        .next()
        .and_then(|p| p.parse().ok())
        .expect("cursor time");
    let id: i64 = parts
        .next()
        .and_then(|p| p.parse().ok())
        .expect("cursor id");
    let at = chrono::DateTime::from_timestamp_micros(micros)
        .expect("cursor time")
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S%.f")
        .to_string();
    (pinned, at, id)
}

/// The body of the answer to `raw` (a request as [`request`] writes it),
/// as many bytes as its `Content-Length` says.
fn answer_body(port: u16, raw: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.write_all(raw).expect("send");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let (start, len) = loop {
        let n = stream.read(&mut chunk).expect("read");
        if n == 0 {
            fail("connection closed before the headers");
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        if let Ok(httparse::Status::Complete(start)) = response.parse(&buf) {
            let len: usize = response
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-length"))
                .and_then(|h| std::str::from_utf8(h.value).ok()?.parse().ok())
                .unwrap_or_else(|| fail("an answer without Content-Length"));
            break (start, len);
        }
    };
    while buf.len() < start + len {
        let n = stream.read(&mut chunk).expect("read");
        if n == 0 {
            fail("connection closed before the body's end");
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    buf[start..start + len].to_vec()
}

/// One API call through reqwest (setting up, not measured).
fn api(port: u16, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> Value {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let mut request = client.request(
            method.parse().expect("method"),
            format!("http://127.0.0.1:{port}{path}"),
        );
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| fail(&format!("{method} {path}: {e}")));
        response.json().await.unwrap_or(Value::Null)
    })
}

/// Replies posted as the admin (staff are not rate-limited) into 64
/// threads: the rate, and the run.
fn measure_replies(port: u16, admin_token: &str, connections: usize, time: Duration) -> (f64, Run) {
    println!("replies (POST, {connections} connections):");
    let post_requests: Vec<Vec<u8>> = (0..64)
        .map(|i| {
            let body = json!({"body": format!("A reply under load, number {i}: the court accepted the laboratory report.")})
                .to_string();
            request(
                "POST",
                &format!("/api/v1/threads/{}/posts", 1_000_000 + i),
                &Auth::Bearer(admin_token.to_owned()),
                Some(&body),
            )
        })
        .collect();
    let posting = Target {
        name: "POST /api/v1/threads/{id}/posts".to_owned(),
        port,
        pid: None,
        requests: Arc::new(post_requests),
        expect: 201,
    };
    let mut replies = load(&posting, connections, time, None);
    let reply_rate = replies.rate();
    println!(
        "  {:.0} replies/s, p50 {:.2} ms, p99 {:.2} ms ({} errors)",
        reply_rate,
        replies.percentile_ms(0.5),
        replies.percentile_ms(0.99),
        replies.errors
    );
    (reply_rate, replies)
}

/// Single-row commits of the same engine, one after another, run pinned
/// to the server's core: per second.
fn raw_commit_rate(postgres: bool, url: &str, temp: &Path, secs: usize) -> f64 {
    let raw_target = if postgres {
        url.to_owned()
    } else {
        temp.join("raw-commits.db").to_string_lossy().into_owned()
    };
    let raw_rate = {
        let exe = std::env::current_exe().expect("own path");
        let out = Command::new(exe)
            .args(["--raw-commits", &raw_target, &secs.to_string()])
            .output()
            .expect("raw commits");
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("COMMITS "))
            .unwrap_or_else(|| fail(&format!("raw commits: {text}")));
        let mut parts = line.split_whitespace();
        let n: f64 = parts.next().unwrap().parse().unwrap();
        let s: f64 = parts.next().unwrap().parse().unwrap();
        n / s
    };
    println!("  raw single-row commits: {raw_rate:.0}/s");
    raw_rate
}

/// The forum's write path alone (`Db::write` of one row), from one writer
/// and from `writers` at once, pinned like the raw commits: per second,
/// and the transactions the concurrent run took.
fn db_write_rates(
    postgres: bool,
    url: &str,
    temp: &Path,
    secs: usize,
    writers: usize,
) -> (f64, f64, u64) {
    let target = if postgres {
        url.to_owned()
    } else {
        temp.join("db-writes.db").to_string_lossy().into_owned()
    };
    let run = |n: usize| {
        let exe = std::env::current_exe().expect("own path");
        let out = Command::new(exe)
            .args(["--db-writes", &target, &secs.to_string(), &n.to_string()])
            .output()
            .expect("db writes");
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find_map(|l| l.strip_prefix("WRITES "))
            .unwrap_or_else(|| fail(&format!("db writes: {text}")));
        let parts: Vec<f64> = line
            .split_whitespace()
            .map(|p| p.parse().expect("number"))
            .collect();
        (parts[0] / parts[1], parts[2] as u64, parts[0] as u64)
    };
    let (alone, _, _) = run(1);
    let (together, transactions, writes) = run(writers);
    println!(
        "  Db::write, one writer: {alone:.0}/s; {writers} writers: {together:.0}/s ({writes} writes in {transactions} transactions)"
    );
    (alone, together, transactions)
}

// ---------------------------------------------------------------- websockets

/// Opens `n` websockets subscribed to `thread`; returns what the server
/// grew by per connection once they are all idle.
fn idle_websockets(port: u16, child: &mut Killed, token: &str, thread: i64, n: usize) -> WsMemory {
    let pid = child.0.id();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = rss_bytes(pid);
        let heap_before = child.heap_in_use();
        let url = format!("ws://127.0.0.1:{port}/ws");
        let subscribe =
            json!({"type": "subscribe", "topics": [format!("thread:{thread}")]}).to_string();
        let mut open = Vec::with_capacity(n);
        for _ in 0..n {
            let mut request = url.as_str().into_client_request().unwrap();
            request.headers_mut().insert(
                "authorization",
                HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
            );
            let (mut ws, _) = tokio_tungstenite::connect_async(request)
                .await
                .expect("websocket handshake");
            ws.send(Message::text(subscribe.clone()))
                .await
                .expect("subscribe");
            while let Some(Ok(message)) = ws.next().await {
                if message
                    .to_text()
                    .is_ok_and(|t| t.contains("\"subscribed\""))
                {
                    break;
                }
            }
            open.push(ws);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let after = rss_bytes(pid);
        let heap_after = child.heap_in_use();
        for mut ws in open {
            let _ = ws.close(None).await;
        }
        WsMemory {
            rss: (after.saturating_sub(before)) as f64 / n as f64,
            heap: match (heap_before, heap_after) {
                (Some(before), Some(after)) => after.saturating_sub(before) as f64 / n as f64,
                _ => f64::NAN,
            },
        }
    })
}

/// What each idle websocket added to the server, in bytes.
#[derive(Clone, Copy)]
struct WsMemory {
    /// Resident memory: depends on how much freed memory the heap held
    /// for reuse before the connections opened.
    rss: f64,
    /// Bytes allocated and not freed: what the connections hold.
    heap: f64,
}

// ---------------------------------------------------------------- report

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores")
}

fn orchestrate() {
    let total = env_usize("COMITY_BENCH_POSTS", 1_000_000);
    let secs = env_usize("COMITY_BENCH_SECS", 5).max(1);
    let connections = env_usize("COMITY_BENCH_CONNECTIONS", 32).max(1);
    let sockets = env_usize("COMITY_BENCH_WS", 1000);
    let time = Duration::from_secs(secs as u64);
    let postgres_server = std::env::var("COMITY_BENCH_DATABASE_URL").ok();
    let only: Option<Vec<String>> = std::env::var("COMITY_BENCH_ONLY")
        .ok()
        .map(|v| v.split(',').map(|k| k.trim().to_owned()).collect());
    let wanted = |key: &str| {
        only.as_ref()
            .is_none_or(|keys| keys.iter().any(|k| k == key))
    };
    let _ = rlimit::increase_nofile_limit(65_536);
    let cores = core_affinity::get_core_ids().unwrap_or_default().len();
    if cores < 2 {
        fail("needs two cores: one for the server, one for the load client");
    }
    let machine = machine();
    let backend = if postgres_server.is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    println!(
        "app_load: {backend}, {total} posts, {secs} s per measurement, {connections} connections"
    );
    println!("machine: {machine}");

    let temp = tempfile::tempdir().expect("temp dir");
    let data_dir = temp.path().join("data");
    std::fs::create_dir_all(&data_dir).expect("data dir");
    let (url, _pg_guard) = match &postgres_server {
        Some(server) => {
            let (url, guard) = fresh_postgres(server);
            (url, Some(guard))
        }
        None => (
            data_dir.join("forum.db").to_string_lossy().into_owned(),
            None,
        ),
    };
    // Seeding and indexing use both cores; then the client keeps to its own.
    let forum = build_forum(&url, total, &data_dir.join("search"));
    pin(CLIENT_CORE);
    let db_bytes = if postgres_server.is_some() {
        0
    } else {
        std::fs::metadata(&url).map_or(0, |m| m.len())
    };
    println!(
        "seeded {} posts in {} threads in {:.1} s{}",
        forum.posts,
        forum.threads,
        forum.seed_secs,
        if db_bytes > 0 {
            format!(", database {:.0} MiB", db_bytes as f64 / 1048576.0)
        } else {
            String::new()
        }
    );

    // The baseline first, alone on its core.
    println!("hello world (actix-web, one route):");
    // Kept running: it serves the same-size bodies after Comity's rows.
    let (mut _hello_child, hello_port) = spawn_child(&["--hello"]);
    let hello_target = Target {
        name: "GET / (hello world)".to_owned(),
        port: hello_port,
        pid: Some(_hello_child.0.id()),
        requests: Arc::new(vec![request("GET", "/", &Auth::None, None)]),
        expect: 200,
    };
    let mut hello = measure(&hello_target, connections, time);
    // The framework's own idle websocket, the same way as Comity's below.
    let unmeasured = WsMemory {
        rss: f64::NAN,
        heap: f64::NAN,
    };
    let framework_ws = if sockets > 0 {
        let per = idle_websockets(hello_port, &mut _hello_child, "", 0, sockets);
        println!(
            "idle actix-ws websockets: {sockets}, {:.1} KiB allocated each ({:.1} KiB RSS)",
            per.heap / 1024.0,
            per.rss / 1024.0
        );
        per
    } else {
        unmeasured
    };

    let data_arg = data_dir.to_string_lossy().into_owned();
    let (mut server, port) = spawn_child(&["--serve", &data_arg, &url]);
    let pid = server.0.id();
    // Let start-up work (the tailers catching up) settle.
    std::thread::sleep(Duration::from_secs(2));
    let login = |username: &str| {
        let response = api(
            port,
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"username": username, "password": PASSWORD})),
        );
        response["access_token"]
            .as_str()
            .unwrap_or_else(|| fail(&format!("login {username}: {response}")))
            .to_owned()
    };
    let token = login("member0");
    let admin_token = login("benchadmin");
    // Idle websockets, first, on the fresh process (as `ws_load` does):
    // later, memory freed by the load runs would be reused and hide them.
    let ws = if sockets > 0 {
        let per = idle_websockets(port, &mut server, &token, forum.big_thread, sockets);
        println!(
            "idle websockets: {sockets} subscribed, {:.1} KiB allocated each ({:.1} KiB RSS)",
            per.heap / 1024.0,
            per.rss / 1024.0
        );
        per
    } else {
        unmeasured
    };

    let bearer = Auth::Bearer(token.clone());
    let cookie = Auth::Cookie(token.clone());
    let get = |name: &str, path: &str, auth: &Auth| Target {
        name: name.to_owned(),
        port,
        pid: Some(pid),
        requests: Arc::new(vec![request("GET", path, auth, None)]),
        expect: 200,
    };
    let big = forum.big_thread;
    let small = forum.small_thread;
    let slug = &forum.category_slug;
    let cases = vec![
        ("healthz", get("GET /healthz", "/healthz", &Auth::None)),
        ("me", get("GET /api/v1/me", "/api/v1/me", &bearer)),
        (
            "thread_list",
            get("GET /api/v1/threads", "/api/v1/threads", &bearer),
        ),
        (
            "thread_json_1",
            get(
                "GET /api/v1/threads/{id}, 1 post",
                &format!("/api/v1/threads/{small}"),
                &bearer,
            ),
        ),
        (
            "thread_json_50",
            get(
                "GET /api/v1/threads/{id}, 50 posts",
                &format!("/api/v1/threads/{big}"),
                &bearer,
            ),
        ),
        ("home", get("GET / (home page)", "/", &cookie)),
        (
            "category",
            get(
                "GET /c/{slug} (category page)",
                &format!("/c/{slug}"),
                &cookie,
            ),
        ),
        (
            "thread_page_50",
            get(
                "GET /t/{id}, 50 posts (thread page)",
                &format!("/t/{big}"),
                &cookie,
            ),
        ),
        // As a browser asks for it: compressed.
        ("thread_page_50_gzip", {
            let mut target = get("GET /t/{id}, 50 posts, gzip", &format!("/t/{big}"), &cookie);
            let mut asked = request("GET", &format!("/t/{big}"), &cookie, None);
            asked.truncate(asked.len() - 2);
            asked.extend_from_slice(b"Accept-Encoding: gzip\r\n\r\n");
            target.requests = Arc::new(vec![asked]);
            target
        }),
    ];
    println!("comity ({backend}):");
    let mut rows: Vec<(&str, Measured)> = Vec::new();
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for (key, target) in &cases {
        if wanted(key) {
            // Kept for a look at what each answer is made of.
            let body = answer_body(port, &target.requests[0]);
            let saved = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../target/app_load/{key}.body"));
            if let Some(dir) = saved.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = std::fs::write(&saved, &body);
            sizes.insert(key, body.len());
            rows.push((key, measure(target, connections, time)));
        }
    }
    // The framework's own limit for each answer's size: the hello-world
    // process sending as many bytes from memory (answers over 4 KiB).
    println!("the same sizes from the hello-world process (GET /bytes/{{n}}):");
    let mut same_size: HashMap<&str, f64> = HashMap::new();
    for (key, m) in &rows {
        let len = sizes[key];
        if len < 4096 {
            continue;
        }
        let target = Target {
            name: format!("GET /bytes/{len} (as {key})"),
            port: hello_port,
            pid: Some(_hello_child.0.id()),
            requests: Arc::new(vec![request(
                "GET",
                &format!("/bytes/{len}"),
                &Auth::None,
                None,
            )]),
            expect: 200,
        };
        let baseline = measure(&target, connections, time);
        same_size.insert(key, m.max_rate / baseline.max_rate);
    }
    // The baseline again, after everything: on a shared machine one
    // measurement may fall in a slow moment, which would flatter every
    // ratio. The faster of the two is the baseline.
    println!("hello world again:");
    let again = measure(&hello_target, connections, time);
    if again.max_rate > hello.max_rate {
        hello = again;
    }
    if only.is_some() {
        // A partial run while working on some rows: their ratios only.
        for (key, m) in &rows {
            println!(
                "  {:<44} {:.3} of hello-world ({:.3} by CPU per request){}",
                m.name,
                m.max_rate / hello.max_rate,
                hello.cpu_us / m.cpu_us,
                same_size.get(key).map_or(String::new(), |r| format!(
                    ", {r:.2} of the same {} bytes",
                    sizes[key]
                ))
            );
        }
        println!(
            "  server RSS {:.0} MiB ({:.0} MiB anonymous)",
            rss_bytes(pid) as f64 / 1048576.0,
            status_bytes(pid, "RssAnon:") as f64 / 1048576.0
        );
        if wanted("replies") {
            let (reply_rate, _) = measure_replies(port, &admin_token, connections, time);
            drop(server);
            let raw_rate = raw_commit_rate(postgres_server.is_some(), &url, temp.path(), secs);
            let (alone, together, _) = db_write_rates(
                postgres_server.is_some(),
                &url,
                temp.path(),
                secs,
                connections,
            );
            println!(
                "  replies ÷ raw commits: {:.3}; Db::write ÷ raw: {:.2} alone, {:.2} with {connections} writers",
                reply_rate / raw_rate,
                alone / raw_rate,
                together / raw_rate
            );
        }
        return;
    }

    // Listing at depth: one connection, one request at a time.
    println!("thread list at depth (one connection):");
    let category_id: i64 = {
        let categories = api(port, "GET", "/api/v1/categories", Some(&token), None);
        categories
            .as_array()
            .and_then(|list| list.iter().find(|c| c["slug"] == slug.as_str()))
            .and_then(|c| c["id"].as_i64())
            .expect("category id")
    };
    // Page 1,000 at 1,000,000 posts; the last full page of a smaller forum.
    let per_page = forum_core::features::forum::PAGE_SIZE as usize;
    let deep_page = DEEP_PAGE.min((forum.threads as usize / per_page).max(2));
    // Walk to it the way a client does: each page's `next_before`.
    let list = format!("/api/v1/threads?category={category_id}");
    let mut cursor = String::new();
    for _ in 1..deep_page {
        let path = if cursor.is_empty() {
            list.clone()
        } else {
            format!("{list}&before={cursor}")
        };
        let page = api(port, "GET", &path, Some(&token), None);
        cursor = page["next_before"]
            .as_str()
            .unwrap_or_else(|| fail(&format!("no next_before: {page}")))
            .to_owned();
    }
    let mut depth = BTreeMap::new();
    for (key, name, path) in [
        ("first", "page 1".to_owned(), list.clone()),
        (
            "deep",
            format!("page {deep_page} by cursor"),
            format!("{list}&before={cursor}"),
        ),
        (
            "deep_offset",
            format!("page {deep_page} by number"),
            format!("{list}&page={deep_page}"),
        ),
    ] {
        let target = get(&format!("GET {path}"), &path, &bearer);
        load(&target, 1, Duration::from_secs(1), None);
        let run = load(&target, 1, time, None);
        let mean = run.mean_ms();
        println!(
            "  {name:<24} {mean:.3} ms per request ({} errors)",
            run.errors
        );
        depth.insert(key, mean);
    }
    // The floor of a request made this way: hello-world, one connection,
    // one request at a time (the raw query below runs in-process).
    load(&hello_target, 1, Duration::from_secs(1), None);
    let hello_one = load(&hello_target, 1, time, None).mean_ms();
    println!("  hello-world, the same way   {hello_one:.3} ms per request");
    // The same pages read in-process without any cache: the database's
    // share (the list query and the four that complete its rows).
    let uncached = {
        let db = Db::open(&url, 2).unwrap_or_else(|e| fail(&format!("open database: {e}")));
        let reader = Viewer {
            id: 1.into(),
            username: "benchadmin".into(),
            display_name: "".into(),
            role: Role::Admin,
            session_id: 0.into(),
            groups: Vec::new().into(),
            country: "FR".into(),
            profession: "".into(),
            language: None,
            second_factor_missing: false,
            guest_until: None,
            feed_generation: 0,
        };
        let time = |filter: forum_core::features::forum::ThreadFilter| {
            for _ in 0..50 {
                db.thread_list(&reader, &filter).expect("list");
            }
            let started = Instant::now();
            for _ in 0..500 {
                let page = db.thread_list(&reader, &filter).expect("list");
                assert_eq!(page.threads.len(), per_page, "a full page");
            }
            started.elapsed().as_secs_f64() * 1000.0 / 500.0
        };
        let base = forum_core::features::forum::ThreadFilter {
            category_id: Some(category_id.into()),
            page: 1,
            ..Default::default()
        };
        let first = time(base.clone());
        let deep = time(forum_core::features::forum::ThreadFilter {
            before: Some(cursor.clone()),
            ..base.clone()
        });
        let deep_offset = time(forum_core::features::forum::ThreadFilter {
            page: deep_page as i64,
            ..base
        });
        println!(
            "  in-process Db::thread_list, no cache: page 1 {first:.3} ms, page {deep_page} by cursor {deep:.3} ms, by number {deep_offset:.3} ms"
        );
        (first, deep, deep_offset)
    };
    let raw_first = raw_list_query(&url, category_id, None, 2000);
    let raw_deep = raw_list_query(&url, category_id, Some(decode_cursor(&cursor)), 2000);
    println!("  raw indexed query: page 1 {raw_first:.3} ms, page {deep_page} {raw_deep:.3} ms");

    // Replies: the API's rate against raw commits of the same engine.
    let (reply_rate, replies) = measure_replies(port, &admin_token, connections, time);
    let rss_after = rss_bytes(pid);
    let (rss_anon, rss_file) = (status_bytes(pid, "RssAnon:"), status_bytes(pid, "RssFile:"));
    println!(
        "server RSS after the run: {:.0} MiB ({:.0} MiB anonymous, {:.0} MiB mapped files)",
        rss_after as f64 / 1048576.0,
        rss_anon as f64 / 1048576.0,
        rss_file as f64 / 1048576.0
    );
    drop(server);
    let raw_rate = raw_commit_rate(postgres_server.is_some(), &url, temp.path(), secs);
    let (write_alone, write_together, write_transactions) = db_write_rates(
        postgres_server.is_some(),
        &url,
        temp.path(),
        secs,
        connections,
    );

    // The report.
    let goal = |key: &str| match key {
        "me" => Some(0.50),
        "thread_json_50" => Some(0.30),
        "thread_page_50" | "home" | "category" => Some(0.15),
        _ => None,
    };
    println!();
    println!(
        "| request | req/s | ÷ hello-world | CPU per request (÷ hello-world's) | goal | body | ÷ same body from actix | p99 at max | p99 at half rate |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {:.0} | 1.00 | {:.1} µs | | | | {:.2} ms | {:.2} ms |",
        hello.name, hello.max_rate, hello.cpu_us, hello.max_p99, hello.half_p99
    );
    let mut json_rows = Vec::new();
    for (key, m) in &rows {
        let ratio = m.max_rate / hello.max_rate;
        println!(
            "| {} | {:.0} | {:.3} | {:.1} µs ({:.3}) | {} | {} B | {} | {:.2} ms | {:.2} ms |",
            m.name,
            m.max_rate,
            ratio,
            m.cpu_us,
            hello.cpu_us / m.cpu_us,
            goal(key).map_or(String::new(), |g| format!("≥ {g:.2}")),
            sizes[key],
            same_size
                .get(key)
                .map_or(String::new(), |r| format!("{r:.2}")),
            m.max_p99,
            m.half_p99
        );
        json_rows.push(json!({
            "key": key, "request": m.name, "req_per_s": m.max_rate, "ratio": ratio,
            "goal": goal(key), "p50_ms": m.max_p50, "p99_ms": m.max_p99,
            "half_rate_p50_ms": m.half_p50, "half_rate_p99_ms": m.half_p99, "errors": m.errors,
            "cpu_us_per_request": m.cpu_us, "ratio_by_cpu": hello.cpu_us / m.cpu_us,
            "body_bytes": sizes[key], "ratio_to_same_size_static": same_size.get(key),
        }));
    }
    let deep_ratio = depth["deep"] / depth["first"];
    println!(
        "| thread list page {deep_page} (cursor) ÷ page 1 | {:.3} / {:.3} ms | {deep_ratio:.2}× | ≤ 1.5× | | |",
        depth["deep"], depth["first"]
    );
    println!(
        "| thread list in-process, no cache: page {deep_page} (cursor) ÷ page 1 | {:.3} / {:.3} ms | {:.2}× | ≤ 1.5× | | |",
        uncached.1,
        uncached.0,
        uncached.1 / uncached.0
    );
    println!(
        "| hello-world, one connection, one request at a time | {hello_one:.3} ms | {:.2}× the raw page-1 query | | | |",
        hello_one / raw_first
    );
    println!(
        "| thread list in-process, no cache ÷ raw indexed query | page 1 {:.2}×, page {deep_page} {:.2}× (by number {:.2}×) | | ≤ 1.5× | | |",
        uncached.0 / raw_first,
        uncached.1 / raw_deep,
        uncached.2 / raw_deep
    );
    println!(
        "| thread list over HTTP ÷ raw indexed query | page 1 {:.2}×, page {deep_page} {:.2}× | | ≤ 1.5× | | |",
        depth["first"] / raw_first,
        depth["deep"] / raw_deep
    );
    println!(
        "| replies ÷ raw commits | {reply_rate:.0} / {raw_rate:.0} per s | {:.2}× | ≥ 0.5× | | |",
        reply_rate / raw_rate
    );
    println!(
        "| `Db::write` of one row ÷ raw commits, one writer / {connections} writers | {write_alone:.0} / {write_together:.0} per s ({write_transactions} transactions) | {:.2}× / {:.2}× | | | |",
        write_alone / raw_rate,
        write_together / raw_rate
    );
    println!(
        "| idle websocket, allocated (RSS) | {:.1} KiB ({:.1}; actix-ws alone: {:.1} ({:.1}) KiB) | | ≤ 10 KiB | | |",
        ws.heap / 1024.0,
        ws.rss / 1024.0,
        framework_ws.heap / 1024.0,
        framework_ws.rss / 1024.0
    );
    println!(
        "| RSS after the run | {:.0} MiB | | < 150 MiB | | |",
        rss_after as f64 / 1048576.0
    );
    let report = json!({
        "backend": backend,
        "machine": machine,
        "posts": forum.posts,
        "threads": forum.threads,
        "seconds_per_measurement": secs,
        "connections": connections,
        "hello_world": {"req_per_s": hello.max_rate, "p50_ms": hello.max_p50, "p99_ms": hello.max_p99,
                         "half_rate_p99_ms": hello.half_p99},
        "requests": json_rows,
        "thread_list_depth": {
            "page_1_ms": depth["first"], "deep_page": deep_page, "deep_page_ms": depth["deep"],
            "deep_page_by_number_ms": depth["deep_offset"],
            "in_process_uncached_ms": {"page_1": uncached.0, "deep_by_cursor": uncached.1,
                                       "deep_by_number": uncached.2},
            "deep_over_first": deep_ratio,
            "hello_world_one_connection_ms": hello_one,
            "raw_page_1_ms": raw_first, "raw_deep_page_ms": raw_deep,
            "page_1_over_raw": depth["first"] / raw_first, "deep_over_raw": depth["deep"] / raw_deep,
        },
        "replies": {"per_s": reply_rate, "raw_commits_per_s": raw_rate, "ratio": reply_rate / raw_rate,
                    "errors": replies.errors},
        "db_writes": {"one_writer_per_s": write_alone, "concurrent_per_s": write_together,
                      "writers": connections, "transactions": write_transactions},
        "idle_websocket_bytes": ws.heap,
        "idle_websocket_rss_bytes": ws.rss,
        "idle_actix_ws_websocket_bytes": framework_ws.heap,
        "idle_actix_ws_websocket_rss_bytes": framework_ws.rss,
        "idle_websockets": sockets,
        "rss_after_bytes": rss_after,
        "rss_after_anonymous_bytes": rss_anon,
        "rss_after_file_bytes": rss_file,
    });
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/app_load.json");
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).expect("target directory");
    }
    std::fs::write(&out, serde_json::to_string_pretty(&report).unwrap()).expect("write report");
    println!("\nreport: {}", out.display());
}
