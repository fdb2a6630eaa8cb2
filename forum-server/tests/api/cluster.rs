//! Several processes as one forum: three `forum-server` processes on one
//! PostgreSQL behind a real nginx (Debian's, started by the test with the
//! configuration `docs/deploy.md` gives), with websocket proxying. Fifty
//! clients post and two hundred live subscribers follow the thread through
//! nginx while one process is killed with SIGKILL and another is stopped
//! with SIGTERM and started again. Nothing acknowledged is lost; every
//! subscriber receives every event exactly once after resuming with
//! `since`; every process's search index converges; a login guesser is
//! stopped after the same number of tries whichever process nginx sends it
//! to. The run's figures are printed (`--nocapture`).

use std::collections::{BTreeSet, HashMap};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::durability::free_port;
use crate::helpers::*;

const PROCESSES: usize = 3;
const ACCOUNTS: usize = 20;
const POSTERS: usize = 50;
const POSTS_EACH: usize = 6;
const SUBSCRIBERS: usize = 200;
/// The word every reply carries, to count them in each search index.
const WORD: &str = "transshipment";

/// nginx in front of the processes, from a configuration in `dir`.
struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM to the master stops its workers too (SIGKILL would leave
        // them running).
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The forum's processes, killed however the test ends.
struct Processes(Vec<Option<Child>>);

impl Drop for Processes {
    fn drop(&mut self) {
        for p in self.0.iter_mut().flatten() {
            let _ = p.kill();
            let _ = p.wait();
        }
    }
}

/// The nginx configuration of `docs/deploy.md`, for `upstreams` on
/// loopback, listening on `port`, with its files under `dir`.
fn nginx_conf(dir: &std::path::Path, port: u16, upstreams: &[u16]) -> String {
    let servers: String = upstreams
        .iter()
        .map(|p| format!("        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"))
        .collect();
    let d = dir.display();
    // Run as root (a CI container): workers keep the user.
    let user = if Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    {
        "user root;\n"
    } else {
        ""
    };
    format!(
        "{user}daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    upstream comity {{
{servers}        keepalive 32;
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      '';
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 30m;
        location / {{
            proxy_pass http://comity;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 120s;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"
    )
}

fn start_nginx(upstreams: &[u16]) -> Nginx {
    let nginx = std::env::var("NGINX").unwrap_or_else(|_| "/usr/sbin/nginx".to_owned());
    assert!(
        std::path::Path::new(&nginx).is_file(),
        "nginx is needed for the several-processes test: apt-get install nginx (or set NGINX)"
    );
    let dir = tempfile::tempdir().unwrap();
    for sub in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    let port = free_port();
    let conf = dir.path().join("nginx.conf");
    std::fs::write(&conf, nginx_conf(dir.path(), port, upstreams)).unwrap();
    let child = Command::new(nginx)
        .arg("-c")
        .arg(&conf)
        .arg("-p")
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    Nginx {
        child,
        port,
        _dir: dir,
    }
}

/// One `forum-server serve` of the forum, with a data directory of its own.
fn start_process(storage: &Storage, n: usize, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_forum-server"))
        .arg("serve")
        .env("COMITY_BIND", format!("127.0.0.1:{port}"))
        .env(
            "COMITY_DATA_DIR",
            storage.dir.path().join(format!("node{n}")),
        )
        .env("COMITY_DATABASE_URL", storage.database_url())
        .env("COMITY_JWT_SECRET", JWT_SECRET)
        .env("COMITY_SECOND_FACTOR", "optional")
        .env("COMITY_TRUSTED_PROXIES", "127.0.0.1")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start forum-server")
}

async fn wait_healthy(client: &reqwest::Client, address: &str) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if let Ok(r) = client.get(format!("{address}/readyz")).send().await
            && r.status() == StatusCode::OK
        {
            return;
        }
        assert!(Instant::now() < deadline, "{address} never became ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A client address for `X-Forwarded-For`: each simulated client its own,
/// as behind a real proxy.
fn client_ip(n: usize) -> String {
    format!("10.{}.{}.{}", 1 + n / 65536, (n / 256) % 256, n % 256)
}

/// What one live subscriber received.
#[derive(Default)]
struct Received {
    posts: BTreeSet<i64>,
    seqs: BTreeSet<i64>,
    duplicates: usize,
    reconnects: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_behind_nginx_are_one_forum() {
    let started = Instant::now();
    // Accounts, a category and the thread, made through one process.
    let app = spawn_with(Storage::new(Backend::Postgres), |s| {
        s.trusted_proxies = vec!["127.0.0.1".to_owned()];
    })
    .await;
    let admin = token(&app.admin().await);
    let category = app.category(&admin, "ports").await;
    let thread = app
        .thread(
            &admin,
            category,
            "Transshipment through free zones",
            "Where do the containers change papers?",
        )
        .await;
    let thread_id = thread["id"].as_i64().unwrap();
    let mut usernames = Vec::new();
    for i in 0..ACCOUNTS {
        let username = format!("officer{i}");
        let invitation = app
            .post(
                "/api/v1/invitations",
                Some(&admin),
                json!({"email": format!("{username}@example.org")}),
            )
            .await;
        let registered = app
            .client
            .post(format!("{}/api/v1/auth/register", app.address))
            .header("X-Forwarded-For", client_ip(10_000 + i))
            .json(&json!({
                "invitation_token": invitation.body["token"],
                "username": username,
                "display_name": format!("Officer {i}"),
                "password": PASSWORD,
                "country": "FR",
                "profession": "customs",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(registered.status(), StatusCode::CREATED);
        usernames.push(username);
    }
    let storage = app.stop().await;
    eprintln!("cluster: accounts made at {:?}", started.elapsed());

    // Three processes behind nginx.
    let ports: Vec<u16> = (0..PROCESSES).map(|_| free_port()).collect();
    let mut processes = Processes(
        (0..PROCESSES)
            .map(|n| Some(start_process(&storage, n, ports[n])))
            .collect(),
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();
    for port in &ports {
        wait_healthy(&client, &format!("http://127.0.0.1:{port}")).await;
    }
    let nginx = start_nginx(&ports);
    let base = format!("http://127.0.0.1:{}", nginx.port);
    wait_healthy(&client, &base).await;
    eprintln!(
        "cluster: nginx and 3 processes up at {:?}",
        started.elapsed()
    );

    // A login guesser is stopped at the fourth try wherever it lands.
    let mut answers = Vec::new();
    for _ in 0..6 {
        let r = client
            .post(format!("{base}/api/v1/auth/login"))
            .header("X-Forwarded-For", "10.99.99.99")
            .json(&json!({"username": "officer0", "password": "not the password"}))
            .send()
            .await
            .unwrap();
        answers.push(r.status().as_u16());
    }
    assert_eq!(
        answers,
        [401, 401, 401, 429, 429, 429],
        "the guesser's answers"
    );
    eprintln!("cluster: guesser stopped at {:?}", started.elapsed());

    // Every account signs in once, each from its own address.
    let mut tokens = Vec::new();
    for (i, username) in usernames.iter().enumerate() {
        let login: Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .header("X-Forwarded-For", client_ip(20_000 + i))
            .json(&json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tokens.push(token(&login));
    }
    let head: i64 = {
        let thread: Value = client
            .get(format!("{base}/api/v1/threads/{thread_id}"))
            .bearer_auth(&tokens[0])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(thread["posts"].as_array().unwrap().len(), 1);
        // Subscribers start from the log's head as it is now.
        let mut ws = crate::live::connect(&base, &tokens[0]).await;
        let subscribed =
            crate::live::subscribe(&mut ws, &[format!("thread:{thread_id}")], None).await;
        subscribed["seq"]
            .as_i64()
            .expect("the subscription's position")
    };

    // Two hundred subscribers through nginx.
    let done = Arc::new(AtomicBool::new(false));
    let received: Vec<Arc<Mutex<Received>>> = (0..SUBSCRIBERS)
        .map(|_| Arc::new(Mutex::new(Received::default())))
        .collect();
    let mut subscribers = Vec::new();
    for (i, state) in received.iter().enumerate() {
        let state = state.clone();
        let done = done.clone();
        let token = tokens[i % ACCOUNTS].clone();
        let base = base.clone();
        subscribers.push(tokio::spawn(async move {
            let mut since = head;
            let mut first = true;
            while !done.load(Ordering::Relaxed) {
                if !first {
                    state.lock().unwrap().reconnects += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                first = false;
                let url = format!("{}/ws", base.replacen("http", "ws", 1));
                let mut request =
                    tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
                        url,
                    )
                    .unwrap();
                request
                    .headers_mut()
                    .insert("authorization", format!("Bearer {token}").parse().unwrap());
                let Ok((mut ws, _)) = tokio_tungstenite::connect_async(request).await else {
                    continue;
                };
                let subscribe = json!({"type": "subscribe",
                    "topics": [format!("thread:{thread_id}")], "since": since});
                if futures_util::SinkExt::send(&mut ws, Message::text(subscribe.to_string()))
                    .await
                    .is_err()
                {
                    continue;
                }
                loop {
                    if done.load(Ordering::Relaxed) {
                        return;
                    }
                    let next = tokio::time::timeout(Duration::from_millis(500), ws.next()).await;
                    let message = match next {
                        Err(_) if done.load(Ordering::Relaxed) => return,
                        Err(_) => continue,
                        Ok(Some(Ok(m))) => m,
                        Ok(_) => break,
                    };
                    let Message::Text(text) = message else {
                        if matches!(message, Message::Close(_)) {
                            break;
                        }
                        continue;
                    };
                    let value: Value = serde_json::from_str(&text).unwrap();
                    match value["type"].as_str() {
                        Some("event") => {
                            let seq = value["seq"].as_i64().unwrap();
                            let mut s = state.lock().unwrap();
                            if !s.seqs.insert(seq) {
                                s.duplicates += 1;
                            }
                            if value["kind"] == "post_created" {
                                s.posts.insert(value["post"]["id"].as_i64().unwrap());
                            }
                            since = since.max(seq);
                        }
                        Some("resync") => panic!("a subscriber was told to resync: {value}"),
                        _ => {}
                    }
                }
            }
        }));
    }
    eprintln!("cluster: subscribers started at {:?}", started.elapsed());
    // Let them all subscribe before anyone posts.
    tokio::time::sleep(Duration::from_secs(2)).await;

    // Fifty clients post, retrying what was not acknowledged.
    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    let requests = Arc::new(AtomicU64::new(0));
    let mut posters = Vec::new();
    for i in 0..POSTERS {
        let token = tokens[i % ACCOUNTS].clone();
        let client = client.clone();
        let base = base.clone();
        let acknowledged = acknowledged.clone();
        let requests = requests.clone();
        posters.push(tokio::spawn(async move {
            for k in 0..POSTS_EACH {
                loop {
                    requests.fetch_add(1, Ordering::Relaxed);
                    let sent = client
                        .post(format!("{base}/api/v1/threads/{thread_id}/posts"))
                        .bearer_auth(&token)
                        .header("X-Forwarded-For", client_ip(i))
                        .json(&json!({"body": format!("Client {i}, reply {k}: {WORD} noted.")}))
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status() == StatusCode::CREATED => {
                            let body: Value = r.json().await.unwrap();
                            acknowledged
                                .lock()
                                .unwrap()
                                .push(body["id"].as_i64().unwrap());
                            break;
                        }
                        Ok(r) if r.status() == StatusCode::TOO_MANY_REQUESTS => {
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                        _ => tokio::time::sleep(Duration::from_millis(100)).await,
                    }
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }

    // Mid-run: SIGKILL one process; later stop another and start it again.
    let total = POSTERS * POSTS_EACH;
    let count = || acknowledged.lock().unwrap().len();
    while count() < total / 3 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut killed = processes.0[1].take().unwrap();
    killed.kill().unwrap();
    killed.wait().unwrap();
    let killed_at = count();
    eprintln!("cluster: killed process 1 at {:?}", started.elapsed());
    while count() < 2 * total / 3 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let restarted_at = count();
    let mut stopping = processes.0[2].take().unwrap();
    Command::new("kill")
        .args(["-TERM", &stopping.id().to_string()])
        .status()
        .unwrap();
    let status = tokio::task::spawn_blocking(move || stopping.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "SIGTERM ends the process cleanly");
    processes.0[2] = Some(start_process(&storage, 2, ports[2]));
    eprintln!("cluster: restarted process 2 at {:?}", started.elapsed());
    for poster in posters {
        poster.await.unwrap();
    }
    let posting_done = Instant::now();
    eprintln!("cluster: posting done at {:?}", started.elapsed());
    let acked: BTreeSet<i64> = acknowledged.lock().unwrap().iter().copied().collect();
    assert_eq!(acked.len(), total, "every client's replies acknowledged");

    // Nothing acknowledged is lost.
    let thread: Value = client
        .get(format!("{base}/api/v1/threads/{thread_id}"))
        .bearer_auth(&tokens[0])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let stored: BTreeSet<i64> = thread["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let lost: Vec<&i64> = acked.difference(&stored).collect();
    assert!(lost.is_empty(), "acknowledged and lost: {lost:?}");
    let replies: BTreeSet<i64> = thread["posts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["body"].as_str().unwrap_or_default().contains(WORD))
        .map(|p| p["id"].as_i64().unwrap())
        .collect();

    // Every subscriber gets every reply, each event once.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let behind = received
            .iter()
            .filter(|r| !replies.is_subset(&r.lock().unwrap().posts))
            .count();
        if behind == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{behind} subscribers never received every reply"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let delivered_at = Instant::now();
    eprintln!("cluster: delivered at {:?}", started.elapsed());
    done.store(true, Ordering::Relaxed);
    for s in subscribers {
        s.await.unwrap();
    }
    let mut events = 0;
    let mut reconnects = 0;
    for r in &received {
        let r = r.lock().unwrap();
        assert_eq!(r.duplicates, 0, "an event arrived twice");
        events += r.seqs.len();
        reconnects += r.reconnects;
    }

    // The killed process comes back; every search index converges.
    processes.0[1] = Some(start_process(&storage, 1, ports[1]));
    let mut lag: HashMap<usize, Duration> = HashMap::new();
    let mut totals: HashMap<usize, u64> = HashMap::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while lag.len() < PROCESSES {
        for (n, port) in ports.iter().enumerate() {
            if lag.contains_key(&n) {
                continue;
            }
            // Caught up: the indexer has read the whole log.
            let Ok(metrics) = client
                .get(format!("http://127.0.0.1:{port}/metrics"))
                .send()
                .await
            else {
                continue;
            };
            let text = metrics.text().await.unwrap_or_default();
            let indexer_lag = text
                .lines()
                .find(|l| l.starts_with("comity_follower_lag_events{follower=\"indexer\"}"))
                .and_then(|l| l.rsplit(' ').next())
                .and_then(|v| v.parse::<f64>().ok());
            if indexer_lag != Some(0.0) {
                continue;
            }
            let found = client
                .get(format!("http://127.0.0.1:{port}/api/v1/search?q={WORD}"))
                .bearer_auth(&tokens[0])
                .send()
                .await;
            if let Ok(r) = found
                && r.status() == StatusCode::OK
                && let Ok(body) = r.json::<Value>().await
                && let Some(total) = body["total"].as_u64()
                && total > 0
            {
                totals.insert(n, total);
                lag.insert(n, posting_done.elapsed());
            }
        }
        assert!(
            Instant::now() < deadline,
            "search replicas did not converge: {lag:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let answers: BTreeSet<u64> = totals.values().copied().collect();
    assert_eq!(answers.len(), 1, "every replica answers alike: {totals:?}");

    eprintln!(
        "cluster: {PROCESSES} processes behind nginx; {} replies acknowledged from {POSTERS} clients in {} requests \
         (process 1 SIGKILLed after {killed_at}, process 2 restarted after {restarted_at}); \
         {events} events delivered to {} subscribers, 0 duplicates, {reconnects} reconnections; \
         all subscribers complete {:.1} s after the last reply; search replicas converged ({} hits each) after {}; \
         whole run {:.1} s",
        acked.len(),
        requests.load(Ordering::Relaxed),
        SUBSCRIBERS,
        delivered_at.duration_since(posting_done).as_secs_f64(),
        totals[&0],
        (0..PROCESSES)
            .map(|n| format!("process {n} {:.1} s", lag[&n].as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", "),
        started.elapsed().as_secs_f64(),
    );
    drop(nginx);
    drop(processes);
}
