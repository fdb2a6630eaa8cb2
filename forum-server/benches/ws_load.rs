//! Load harness for live events (not a test): N websocket clients follow one
//! thread over loopback; a reply is posted and the time from its 201 to its
//! delivery at every client is measured, with the server's RSS per idle
//! connection. A bare tokio-tungstenite broadcast server runs in the same
//! run as the baseline, and the report gives Comity / baseline ratios.
//!
//! ```text
//! cargo build --release
//! cargo bench -p forum-server --bench ws_load -- --clients 1000,10000 --rounds 20
//! ```
//!
//! The server under test is `target/release/forum-server`, started as a
//! child process on a fresh SQLite file; the baseline is this binary
//! re-executed with `--baseline-server PORT`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Barrier, Semaphore, broadcast, mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

const PASSWORD: &str = "load harness passphrase 2026";

struct Options {
    clients: Vec<usize>,
    rounds: usize,
    server: PathBuf,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    Options {
        clients: value("--clients")
            .unwrap_or_else(|| "1000,10000".to_owned())
            .split(',')
            .map(|n| n.trim().parse().expect("--clients takes numbers"))
            .collect(),
        rounds: value("--rounds").map_or(20, |n| n.parse().expect("--rounds takes a number")),
        server: value("--server").map_or_else(
            || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/forum-server"),
            PathBuf::from,
        ),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--baseline-server") {
        let port: u16 = args[i + 1].parse().expect("port");
        return tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(baseline_server(port));
    }
    let (soft, hard) = rlimit::Resource::NOFILE.get().expect("read RLIMIT_NOFILE");
    let wanted = hard.min(65_536);
    if soft < wanted {
        rlimit::Resource::NOFILE
            .set(wanted, hard)
            .expect("raise RLIMIT_NOFILE");
    }
    let options = options();
    assert!(
        options.server.exists(),
        "{} is missing: run `cargo build --release` first",
        options.server.display()
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "ws_load: {} rounds per size; file-descriptor limit {}",
        options.rounds,
        rlimit::Resource::NOFILE.get().unwrap().0
    );
    for &clients in &options.clients {
        let comity = runtime.block_on(run_comity(&options, clients));
        let baseline = runtime.block_on(run_baseline(clients, options.rounds));
        report(clients, &comity, &baseline);
    }
}

/// What one run measured.
struct Figures {
    /// Per round: from the trigger to delivery at the last client.
    last: Vec<Duration>,
    /// Every single delivery.
    each: Vec<Duration>,
    rss_per_connection: f64,
}

fn percentile(values: &[Duration], p: f64) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(clients: usize, comity: &Figures, baseline: &Figures) {
    let row = |name: &str, f: &Figures| {
        println!(
            "  {name:<9} last client p50 {:>8.2} ms  p99 {:>8.2} ms | every delivery p50 {:>8.2} ms  p99 {:>8.2} ms | RSS per idle connection {:>7.1} KiB",
            ms(percentile(&f.last, 0.5)),
            ms(percentile(&f.last, 0.99)),
            ms(percentile(&f.each, 0.5)),
            ms(percentile(&f.each, 0.99)),
            f.rss_per_connection / 1024.0
        );
    };
    println!("{clients} clients on one thread:");
    row("comity", comity);
    row("baseline", baseline);
    let ratio = |a: Duration, b: Duration| ms(a) / ms(b).max(1e-3);
    println!(
        "  ratio comity/baseline: last-client p50 {:.2}x, p99 {:.2}x; RSS per connection {:.2}x",
        ratio(
            percentile(&comity.last, 0.5),
            percentile(&baseline.last, 0.5)
        ),
        ratio(
            percentile(&comity.last, 0.99),
            percentile(&baseline.last, 0.99)
        ),
        comity.rss_per_connection / baseline.rss_per_connection.max(1.0)
    );
    std::io::stdout().flush().ok();
}

fn rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn wait_until_listening(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "server on {port} did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Connects `n` clients, each sending `subscribe` (when given) and then
/// reporting the arrival time of every message that contains `marker`.
async fn connect_clients(
    url: &str,
    token: Option<&str>,
    subscribe: Option<Value>,
    n: usize,
    marker: &'static str,
) -> (mpsc::UnboundedReceiver<Instant>, watch::Sender<bool>) {
    let (arrivals, received) = mpsc::unbounded_channel();
    let (stop, stopped) = watch::channel(false);
    let ready = Arc::new(Barrier::new(n + 1));
    // Handshakes in flight at once (the listen backlog is finite).
    let handshakes = Arc::new(Semaphore::new(256));
    for _ in 0..n {
        let mut request = url.into_client_request().unwrap();
        if let Some(token) = token {
            request.headers_mut().insert(
                "authorization",
                HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
            );
        }
        let subscribe = subscribe.clone();
        let arrivals = arrivals.clone();
        let ready = ready.clone();
        let handshakes = handshakes.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let permit = handshakes.acquire_owned().await.unwrap();
            let (mut ws, _) = loop {
                match tokio_tungstenite::connect_async(request.clone()).await {
                    Ok(ok) => break ok,
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                }
            };
            if let Some(subscribe) = subscribe {
                ws.send(Message::text(subscribe.to_string())).await.unwrap();
                while let Some(Ok(message)) = ws.next().await {
                    if message
                        .to_text()
                        .is_ok_and(|t| t.contains("\"subscribed\""))
                    {
                        break;
                    }
                }
            }
            drop(permit);
            ready.wait().await;
            loop {
                tokio::select! {
                    message = ws.next() => match message {
                        Some(Ok(message)) => {
                            if message.to_text().is_ok_and(|t| t.contains(marker)) {
                                let _ = arrivals.send(Instant::now());
                            }
                        }
                        _ => return,
                    },
                    _ = stopped.changed() => {
                        let _ = ws.close(None).await;
                        return;
                    }
                }
            }
        });
    }
    ready.wait().await;
    (received, stop)
}

/// Opens and closes `cycles` subscribed connections, `CONCURRENT` at a
/// time; every other one vanishes without a close frame.
async fn churn(url: &str, token: &str, subscribe: &Value, cycles: usize) {
    const CONCURRENT: usize = 64;
    let slots = Arc::new(Semaphore::new(CONCURRENT));
    let mut tasks = Vec::with_capacity(cycles);
    for n in 0..cycles {
        let permit = slots.clone().acquire_owned().await.unwrap();
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "authorization",
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        let subscribe = subscribe.to_string();
        tasks.push(tokio::spawn(async move {
            let (mut ws, _) = tokio_tungstenite::connect_async(request)
                .await
                .expect("churn handshake");
            ws.send(Message::text(subscribe)).await.unwrap();
            while let Some(Ok(message)) = ws.next().await {
                if message
                    .to_text()
                    .is_ok_and(|t| t.contains("\"subscribed\""))
                {
                    break;
                }
            }
            if n % 2 == 0 {
                let _ = ws.close(None).await;
            }
            drop(permit);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

async fn live_stats(http: &reqwest::Client, base: &str, token: &str) -> Value {
    http.get(format!("{base}/api/v1/admin/live"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn collect(
    received: &mut mpsc::UnboundedReceiver<Instant>,
    n: usize,
    start: Instant,
) -> (Duration, Vec<Duration>) {
    let mut each = Vec::with_capacity(n);
    for _ in 0..n {
        let at = tokio::time::timeout(Duration::from_secs(60), received.recv())
            .await
            .expect("every client receives within a minute")
            .expect("clients alive");
        each.push(at.saturating_duration_since(start));
    }
    (each.iter().copied().max().unwrap_or_default(), each)
}

async fn run_comity(options: &Options, clients: usize) -> Figures {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("comity.toml");
    std::fs::write(
        &config,
        format!(
            "second_factor = \"optional\"\n[live]\nmax_connections_per_user = {}\nqueue_capacity = 256\n",
            clients + 10
        ),
    )
    .unwrap();
    let port = free_port();
    let env = |cmd: &mut Command| {
        cmd.env("COMITY_CONFIG", &config)
            .env("COMITY_DATA_DIR", dir.path().join("data"))
            .env("COMITY_BIND", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn");
    };
    let mut create = Command::new(&options.server);
    create.args([
        "create-admin",
        "--username",
        "loadadmin",
        "--email",
        "load@example.org",
    ]);
    env(&mut create);
    let mut child = create
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "create-admin failed");
    let mut serve = Command::new(&options.server);
    serve.arg("serve");
    env(&mut serve);
    let server = Killed(serve.stdout(Stdio::null()).spawn().unwrap());
    wait_until_listening(port).await;

    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let login: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "loadadmin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let category: Value = http
        .post(format!("{base}/api/v1/categories"))
        .bearer_auth(&token)
        .json(&json!({"slug": "load", "name": "Load"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let thread: Value = http
        .post(format!("{base}/api/v1/threads"))
        .bearer_auth(&token)
        .json(&json!({"category_id": category["id"], "title": "Load thread", "body": "Start", "kind": "discussion", "jurisdictions": ["FR"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let thread_id = thread["id"].as_i64().unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_bytes(server.0.id());

    let url = format!("ws://127.0.0.1:{port}/ws");
    let subscribe = json!({"type": "subscribe", "topics": [format!("thread:{thread_id}")]});
    let (mut received, stop) = connect_clients(
        &url,
        Some(&token),
        Some(subscribe.clone()),
        clients,
        "\"post_created\"",
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_bytes(server.0.id());

    let mut last = Vec::new();
    let mut each = Vec::new();
    for round in 0..options.rounds {
        let response = http
            .post(format!("{base}/api/v1/threads/{thread_id}/posts"))
            .bearer_auth(&token)
            .json(&json!({"body": format!("Round {round}: the seizure report under Article 15 of the Protocol.")}))
            .send()
            .await
            .unwrap();
        let start = Instant::now();
        assert_eq!(response.status(), 201);
        let (slowest, all) = collect(&mut received, clients, start).await;
        last.push(slowest);
        each.extend(all);
    }

    // Everyone leaves; then a churn of connect/disconnect cycles. The hub
    // must forget every one of them, and memory must come back down.
    stop.send(true).unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let left = live_stats(&http, &base, &token).await;
    let rss_left = rss_bytes(server.0.id());
    let cycles = clients.max(10_000);
    churn(&url, &token, &subscribe, cycles).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let churned = live_stats(&http, &base, &token).await;
    let rss_churned = rss_bytes(server.0.id());
    // Once more: a leak would grow again; a warm allocator stays put.
    churn(&url, &token, &subscribe, cycles).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let churned_again = live_stats(&http, &base, &token).await;
    let rss_churned_again = rss_bytes(server.0.id());
    println!(
        "  comity    RSS {:.1} MiB before clients, {:.1} MiB with {clients}, {:.1} MiB after they left ({} connections, {} watched threads left), {:.1} MiB after {cycles} more connect/disconnect cycles ({} connections, {} watched threads left)",
        before as f64 / 1048576.0,
        after as f64 / 1048576.0,
        rss_left as f64 / 1048576.0,
        left["connections"],
        left["watched_threads"],
        rss_churned as f64 / 1048576.0,
        churned["connections"],
        churned["watched_threads"],
    );
    println!(
        "  comity    RSS {:.1} MiB after {cycles} further cycles ({} connections, {} watched threads left)",
        rss_churned_again as f64 / 1048576.0,
        churned_again["connections"],
        churned_again["watched_threads"],
    );
    drop(server);
    Figures {
        last,
        each,
        rss_per_connection: after.saturating_sub(before) as f64 / clients as f64,
    }
}

async fn run_baseline(clients: usize, rounds: usize) -> Figures {
    let port = free_port();
    let server = Killed(
        Command::new(std::env::current_exe().unwrap())
            .args(["--baseline-server", &port.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_until_listening(port).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_bytes(server.0.id());
    let url = format!("ws://127.0.0.1:{port}/");
    let (mut received, _stop) = connect_clients(&url, None, None, clients, "\"round\"").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_bytes(server.0.id());
    let (mut trigger, _) = tokio_tungstenite::connect_async(url.as_str())
        .await
        .unwrap();
    let mut last = Vec::new();
    let mut each = Vec::new();
    for round in 0..rounds {
        let start = Instant::now();
        trigger
            .send(Message::text(json!({"round": round, "body": "Round: the seizure report under Article 15 of the Protocol."}).to_string()))
            .await
            .unwrap();
        let (slowest, all) = collect(&mut received, clients, start).await;
        last.push(slowest);
        each.extend(all);
    }
    drop(server);
    Figures {
        last,
        each,
        rss_per_connection: after.saturating_sub(before) as f64 / clients as f64,
    }
}

/// The baseline: every text a client sends goes to every other client.
async fn baseline_server(port: u16) {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .unwrap();
    let (tx, _) = broadcast::channel::<Arc<str>>(1024);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let tx = tx.clone();
        tokio::spawn(async move {
            let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
                return;
            };
            let (mut sink, mut stream) = ws.split();
            let mut rx = tx.subscribe();
            loop {
                tokio::select! {
                    message = stream.next() => match message {
                        Some(Ok(Message::Text(text))) => {
                            let _ = tx.send(Arc::from(text.as_str()));
                        }
                        Some(Ok(_)) => {}
                        _ => return,
                    },
                    out = rx.recv() => match out {
                        Ok(text) => {
                            if sink.send(Message::text(text.to_string())).await.is_err() {
                                return;
                            }
                        }
                        Err(broadcast::error::RecvError::Lagged(_)) => {}
                        Err(broadcast::error::RecvError::Closed) => return,
                    },
                }
            }
        });
    }
}
