//! Data survives a clean restart and a `kill -9` of the real binary.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::both_backends;
use crate::helpers::*;

both_backends!(data_survives_a_restart, |backend| async move {
    let app = spawn(backend).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "cultural-property").await;
    let thread = app
        .thread(&admin, category, "Nicosia Convention", "Art. 3 offences")
        .await;
    let thread_id = thread["id"].as_i64().unwrap();
    let storage = app.stop().await;

    let app = spawn_with(storage, |_| {}).await;
    let admin = token(&app.login("admin", PASSWORD).await);
    let shown = app
        .get(&format!("/api/v1/threads/{thread_id}"), &admin)
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body["posts"][0]["body"], "Art. 3 offences");
});

/// The built `forum-server` binary, running as a child process.
pub(crate) struct Server {
    child: Child,
    pub(crate) address: String,
}

impl Server {
    fn start(storage: &Storage, port: u16) -> Server {
        Server::start_with(storage, port, &[])
    }

    /// Starts the binary with extra environment variables.
    pub(crate) fn start_with(storage: &Storage, port: u16, env: &[(&str, &str)]) -> Server {
        let child = command(storage, port)
            .envs(env.iter().copied())
            .env("COMITY_SECOND_FACTOR", "optional")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start forum-server");
        Server {
            child,
            address: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Signs in as the test admin; returns the access token.
    pub(crate) async fn login(&self, client: &reqwest::Client) -> String {
        let login: serde_json::Value = client
            .post(format!("{}/api/v1/auth/login", self.address))
            .json(&json!({"username": "admin", "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        token(&login)
    }

    /// SIGTERM, as systemd stops a service; waits for the process to end
    /// and says whether it exited cleanly.
    pub(crate) fn terminate(&mut self) -> bool {
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(40);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: no shutdown, no flush.
    pub(crate) fn kill_9(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }

    pub(crate) async fn wait_healthy(&self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(format!("{}/healthz", self.address)).send().await
                && r.status() == StatusCode::OK
            {
                return;
            }
            assert!(Instant::now() < deadline, "server did not become healthy");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `forum-server serve` on `port` over `storage`, with the test secret.
fn command(storage: &Storage, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_forum-server"));
    command
        .arg("serve")
        .env("COMITY_BIND", format!("127.0.0.1:{port}"))
        .env("COMITY_DATA_DIR", storage.data_dir())
        .env("COMITY_DATABASE_URL", storage.database_url())
        .env("COMITY_JWT_SECRET", JWT_SECRET);
    command
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

both_backends!(an_acknowledged_post_survives_kill_9, |backend| async move {
    let storage = Storage::new(backend);
    // Prepare an admin, a category and a thread with the library.
    let app = spawn_with(storage, |_| {}).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "pesticides").await;
    let thread = app
        .thread(&admin, category, "Illicit pesticides", "First")
        .await;
    let thread_id = thread["id"].as_i64().unwrap();
    let storage = app.stop().await;

    let client = reqwest::Client::new();
    let port = free_port();
    let mut server = Server::start(&storage, port);
    server.wait_healthy(&client).await;
    let login: serde_json::Value = client
        .post(format!("{}/api/v1/auth/login", server.address))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = token(&login);
    let mut acknowledged = Vec::new();
    for i in 0..20 {
        let reply = client
            .post(format!(
                "{}/api/v1/threads/{thread_id}/posts",
                server.address
            ))
            .bearer_auth(&access)
            .json(&json!({"body": format!("Reply number {i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::CREATED);
        let body: serde_json::Value = reply.json().await.unwrap();
        acknowledged.push(body["id"].as_i64().unwrap());
    }
    // SIGKILL right after the last 201: no shutdown, no flush.
    server.child.kill().expect("SIGKILL");
    server.child.wait().unwrap();

    let server = Server::start(&storage, free_port());
    server.wait_healthy(&client).await;
    let login: serde_json::Value = client
        .post(format!("{}/api/v1/auth/login", server.address))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let shown: serde_json::Value = client
        .get(format!("{}/api/v1/threads/{thread_id}", server.address))
        .bearer_auth(token(&login))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<i64> = shown["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    for id in acknowledged {
        assert!(
            ids.contains(&id),
            "acknowledged post {id} lost after kill -9"
        );
    }
    drop(storage);
});

/// CR/LF sent in a username or a path never reaches the log as a line of
/// its own (log forging).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crlf_in_input_never_forges_a_log_line() {
    let storage = Storage::new(Backend::Sqlite);
    let port = free_port();
    let log = storage.dir.path().join("server.log");
    let file = std::fs::File::create(&log).unwrap();
    let child = command(&storage, port)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::from(file.try_clone().unwrap()))
        .stderr(Stdio::from(file))
        .spawn()
        .expect("start forum-server");
    let server = Server {
        child,
        address: format!("http://127.0.0.1:{port}"),
    };
    let client = reqwest::Client::new();
    server.wait_healthy(&client).await;
    let forged = "FORGED-LINE root signed in";
    for _ in 0..4 {
        client
            .post(format!("{}/api/v1/auth/login", server.address))
            .json(
                &json!({"username": format!("admin\r\n{forged}\n{forged}"), "password": "x\r\ny"}),
            )
            .send()
            .await
            .unwrap();
    }
    client
        .get(format!(
            "{}/u/x%0d%0a{}",
            server.address,
            forged.replace(' ', "%20")
        ))
        .send()
        .await
        .unwrap();
    client
        .get(format!(
            "{}/ws?access_token=secret%0d%0a{}",
            server.address,
            forged.replace(' ', "%20")
        ))
        .send()
        .await
        .unwrap();
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("/api/v1/auth/login"),
        "requests were logged: {text}"
    );
    for line in text.lines() {
        assert!(
            !line.starts_with("FORGED-LINE"),
            "a forged log line: {line:?}"
        );
    }
    assert!(
        !text.contains("access_token=secret"),
        "the query string is never logged"
    );
}

/// `forum-server serve` starts itself again (the same process) with one
/// glibc `malloc` arena per core, and keeps an operator's own limit.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_runs_with_one_malloc_arena_per_core_unless_told_otherwise() {
    let storage = Storage::new(Backend::Sqlite);
    let client = reqwest::Client::new();
    let cores = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .max(2)
        .to_string();
    for (given, expected) in [(None, cores.as_str()), (Some("7"), "7")] {
        let port = free_port();
        let mut command = command(&storage, port);
        command
            .env_remove("MALLOC_ARENA_MAX")
            .env_remove("GLIBC_TUNABLES")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(value) = given {
            command.env("MALLOC_ARENA_MAX", value);
        }
        let server = Server {
            child: command.spawn().expect("start forum-server"),
            address: format!("http://127.0.0.1:{port}"),
        };
        server.wait_healthy(&client).await;
        // The process that serves is the one started, now with the limit.
        let environ = std::fs::read(format!("/proc/{}/environ", server.child.id())).unwrap();
        let limits: Vec<&[u8]> = environ
            .split(|&b| b == 0)
            .filter_map(|v| v.strip_prefix(b"MALLOC_ARENA_MAX="))
            .collect();
        assert_eq!(limits, [expected.as_bytes()], "given {given:?}");
    }
}

both_backends!(
    an_acknowledged_upload_survives_kill_9,
    |backend| async move {
        use sha2::Digest;
        let storage = Storage::new(backend);
        let app = spawn_with(storage, |_| {}).await;
        app.admin().await;
        let storage = app.stop().await;

        let client = reqwest::Client::new();
        let mut server = Server::start(&storage, free_port());
        server.wait_healthy(&client).await;
        let access = server.login(&client).await;
        // Uploads in flight from four tasks; the server is killed while some
        // are still arriving.
        let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for task in 0..4 {
            let (client, address, access) =
                (client.clone(), server.address.clone(), access.clone());
            let acknowledged = acknowledged.clone();
            tasks.push(tokio::spawn(async move {
                for i in 0.. {
                    let text = format!("Informe {task}-{i}: decomiso de tabaco.\n").repeat(8_000);
                    let form = reqwest::multipart::Form::new().part(
                        "file",
                        reqwest::multipart::Part::bytes(text.clone().into_bytes())
                            .file_name(format!("informe-{task}-{i}.txt")),
                    );
                    let Ok(reply) = client
                        .post(format!("{address}/api/v1/attachments"))
                        .bearer_auth(&access)
                        .multipart(form)
                        .send()
                        .await
                    else {
                        return;
                    };
                    if reply.status() != StatusCode::CREATED {
                        return;
                    }
                    let Ok(body) = reply.json::<serde_json::Value>().await else {
                        return;
                    };
                    let sha = hex::encode(sha2::Sha256::digest(text.as_bytes()));
                    assert_eq!(body["sha256"], sha.as_str());
                    acknowledged
                        .lock()
                        .unwrap()
                        .push((body["url"].as_str().unwrap().to_owned(), sha));
                }
            }));
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while acknowledged.lock().unwrap().len() < 12 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        server.kill_9();
        for task in tasks {
            task.await.unwrap();
        }
        let acknowledged = acknowledged.lock().unwrap().clone();
        assert!(
            acknowledged.len() >= 12,
            "uploads were acknowledged before the kill"
        );

        let server = Server::start(&storage, free_port());
        server.wait_healthy(&client).await;
        let access = server.login(&client).await;
        for (url, sha) in &acknowledged {
            let served = client
                .get(format!("{}{url}", server.address))
                .bearer_auth(&access)
                .send()
                .await
                .unwrap();
            assert_eq!(
                served.status(),
                StatusCode::OK,
                "acknowledged upload {url} lost after kill -9"
            );
            let bytes = served.bytes().await.unwrap();
            assert_eq!(
                &hex::encode(sha2::Sha256::digest(&bytes)),
                sha,
                "{url} changed"
            );
        }
        // No row names a blob that is not on disk.
        let db = forum_core::Db::open(&storage.database_url(), 1).unwrap();
        for (id, sha) in db.attachment_blobs().unwrap() {
            let blob = storage
                .data_dir()
                .join("files")
                .join(&sha[0..2])
                .join(&sha[2..4])
                .join(&sha);
            assert!(blob.is_file(), "attachment {id} has no blob after kill -9");
        }
        drop(db);
        drop(server);
        drop(storage);
    }
);

/// SIGTERM stops a server gracefully: a live client is closed with 1001
/// (go elsewhere, resume with `since`) at once rather than cut off, the
/// process exits 0, and what it acknowledged is there — searchable — when
/// it starts again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_closes_live_clients_with_1001_and_exits_cleanly() {
    let storage = Storage::new(Backend::Sqlite);
    let app = spawn_with(storage, |_| {}).await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "cases").await;
    let thread = app
        .thread(&admin, category, "Customs warehouse fraud", "First")
        .await;
    let thread_id = thread["id"].as_i64().unwrap();
    let storage = app.stop().await;

    let client = reqwest::Client::new();
    let port = free_port();
    let mut server = Server::start(&storage, port);
    server.wait_healthy(&client).await;
    let access = server.login(&client).await;
    let mut ws = crate::live::connect(&server.address, &access).await;
    crate::live::subscribe(&mut ws, &[format!("thread:{thread_id}")], None).await;
    let reply = client
        .post(format!(
            "{}/api/v1/threads/{thread_id}/posts",
            server.address
        ))
        .bearer_auth(&access)
        .json(&json!({"body": "Bonded warehouse receipts were forged"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::CREATED);
    let event = crate::live::next_of(&mut ws, "event").await;
    let seq = event["seq"].as_i64().unwrap();

    let stopping = Instant::now();
    let terminated = tokio::task::spawn_blocking(move || {
        let clean = server.terminate();
        (server, clean)
    });
    assert_eq!(
        crate::live::close_code(&mut ws).await,
        Some(1001),
        "the live client is told to go elsewhere"
    );
    let (_stopped, clean) = terminated.await.unwrap();
    assert!(clean, "exit status 0 after SIGTERM");
    assert!(
        stopping.elapsed() < Duration::from_secs(10),
        "stopped in {:?}, without waiting for the socket to time out",
        stopping.elapsed()
    );

    // Again: the reply is there and found, and the client resumes.
    let mut server = Server::start(&storage, port);
    server.wait_healthy(&client).await;
    let access = server.login(&client).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found: serde_json::Value = client
            .get(format!("{}/api/v1/search?q=forged", server.address))
            .bearer_auth(&access)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if found["total"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "never found: {found}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut ws = crate::live::connect(&server.address, &access).await;
    let subscribed =
        crate::live::subscribe(&mut ws, &[format!("thread:{thread_id}")], Some(seq)).await;
    assert_eq!(subscribed["type"], "subscribed");
    server.kill_9();
}
