//! A real SMTP server for the tests: mailin's SMTP state machine behind a
//! TCP listener on a random local port. It requires `AUTH PLAIN` with the
//! credentials it was started with and keeps every message it accepts.
//! Started with [`SmtpServer::start_tls`], it offers STARTTLS (rustls, with
//! a certificate for 127.0.0.1 made on the spot) and takes AUTH only after
//! it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mailin::response::{AUTH_OK, AUTHENTICATION_REQUIRED, INTERNAL_ERROR, INVALID_CREDENTIALS, OK};
use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder};

pub const SMTP_USER: &str = "comity";
pub const SMTP_PASSWORD: &str = "smtp-secret";

/// One message as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub raw: Vec<u8>,
    /// Whether it came over TLS.
    pub tls: bool,
}

impl Received {
    /// A header, decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        let mail = mailparse::parse_mail(&self.raw).expect("a parsable message");
        mail.headers
            .iter()
            .find(|h| h.get_key().eq_ignore_ascii_case(name))
            .map(|h| h.get_value())
    }

    pub fn subject(&self) -> String {
        self.header("Subject").unwrap_or_default()
    }

    /// The text, decoded.
    pub fn body(&self) -> String {
        mailparse::parse_mail(&self.raw)
            .expect("a parsable message")
            .get_body()
            .expect("a decodable body")
    }

    /// The unsubscribe link in the text.
    pub fn unsubscribe_link(&self) -> String {
        self.body()
            .split_whitespace()
            .find(|w| w.contains("/email/unsubscribe?token="))
            .expect("an unsubscribe link")
            .to_owned()
    }
}

/// The server; stops accepting when dropped (its thread lingers harmlessly).
pub struct SmtpServer {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
    switches: Arc<Switches>,
}

/// How the server behaves, changed while it runs.
#[derive(Default)]
struct Switches {
    /// Answer every MAIL with 451 (a server in trouble).
    refusing: AtomicBool,
    /// MAIL commands refused so far.
    refused: AtomicUsize,
}

struct Collector {
    inbox: Arc<Mutex<Vec<Received>>>,
    switches: Arc<Switches>,
    /// Set once the connection is encrypted.
    tls: Arc<AtomicBool>,
    authenticated: bool,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, _from: &str) -> Response {
        self.to.clear();
        if self.switches.refusing.load(Ordering::SeqCst) {
            self.switches.refused.fetch_add(1, Ordering::SeqCst);
            return INTERNAL_ERROR;
        }
        if self.authenticated {
            OK
        } else {
            AUTHENTICATION_REQUIRED
        }
    }

    fn rcpt(&mut self, to: &str) -> Response {
        self.to.push(to.to_owned());
        OK
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.data.clear();
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.inbox.lock().unwrap().push(Received {
            to: self.to.clone(),
            raw: std::mem::take(&mut self.data),
            tls: self.tls.load(Ordering::SeqCst),
        });
        OK
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        self.authenticated = user == SMTP_USER && password == SMTP_PASSWORD;
        if self.authenticated {
            AUTH_OK
        } else {
            INVALID_CREDENTIALS
        }
    }
}

/// A connection, before or after STARTTLS.
enum Conn {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.read(buf),
            Conn::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Conn::Plain(s) => s.write(buf),
            Conn::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Conn::Plain(s) => s.flush(),
            Conn::Tls(s) => s.flush(),
        }
    }
}

fn serve(
    stream: TcpStream,
    inbox: Arc<Mutex<Vec<Received>>>,
    switches: Arc<Switches>,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<()> {
    let peer = stream.peer_addr()?.ip();
    let mut builder = SessionBuilder::new("comity-test-smtp");
    builder.enable_auth(AuthMechanism::Plain);
    if tls.is_some() {
        builder.enable_start_tls();
    } else {
        builder.insecure_enable_plaintext_auth();
    }
    let encrypted = Arc::new(AtomicBool::new(false));
    let mut session = builder.build(
        peer,
        Collector {
            inbox,
            switches,
            tls: encrypted.clone(),
            authenticated: false,
            to: Vec::new(),
            data: Vec::new(),
        },
    );
    let mut conn = BufReader::new(Conn::Plain(stream));
    session.greeting().write_to(conn.get_mut())?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if conn.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let response = session.process(&line);
        match response.action {
            Action::Reply => response.write_to(conn.get_mut())?,
            Action::NoReply => {}
            Action::UpgradeTls => {
                response.write_to(conn.get_mut())?;
                let (Some(config), Conn::Plain(tcp)) = (&tls, conn.into_inner()) else {
                    return Ok(());
                };
                let server =
                    rustls::ServerConnection::new(config.clone()).map_err(std::io::Error::other)?;
                conn = BufReader::new(Conn::Tls(Box::new(rustls::StreamOwned::new(server, tcp))));
                session.tls_active();
                encrypted.store(true, Ordering::SeqCst);
            }
            Action::Close => {
                response.write_to(conn.get_mut())?;
                conn.get_mut().flush()?;
                return Ok(());
            }
        }
    }
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        SmtpServer::listen(None)
    }

    /// A server that offers STARTTLS and takes AUTH only over it; also
    /// returns the PEM of its certificate (for 127.0.0.1), to be trusted.
    pub fn start_tls() -> (SmtpServer, String) {
        let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
            .expect("a certificate");
        let key =
            rustls::pki_types::PrivateKeyDer::Pkcs8(certified.key_pair.serialize_der().into());
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .expect("a TLS configuration");
        (
            SmtpServer::listen(Some(Arc::new(config))),
            certified.cert.pem(),
        )
    }

    fn listen(tls: Option<Arc<rustls::ServerConfig>>) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().unwrap().port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let switches = Arc::new(Switches::default());
        let (shared, shared_switches) = (inbox.clone(), switches.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (inbox, switches) = (shared.clone(), shared_switches.clone());
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, inbox, switches, tls);
                });
            }
        });
        SmtpServer {
            port,
            inbox,
            switches,
        }
    }

    /// Makes the server refuse (451) or accept mail from now on.
    pub fn refuse(&self, refusing: bool) {
        self.switches.refusing.store(refusing, Ordering::SeqCst);
    }

    /// Waits until the server has refused at least one e-mail.
    pub async fn wait_for_refusal(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.switches.refused.load(Ordering::SeqCst) == 0 {
            assert!(Instant::now() < deadline, "nothing was refused");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Everything received so far.
    pub fn messages(&self) -> Vec<Received> {
        self.inbox.lock().unwrap().clone()
    }

    /// Messages to `address` received so far.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }

    /// Waits until `address` has received `count` messages (or fails).
    pub async fn wait_for(&self, address: &str, count: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mine = self.to(address);
            if mine.len() >= count {
                return mine;
            }
            assert!(
                Instant::now() < deadline,
                "{address} received {} of {count} e-mails: {:?}",
                mine.len(),
                mine.iter().map(Received::subject).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}
