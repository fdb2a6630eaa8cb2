//! Settings: defaults, then an optional TOML file, then `COMITY_*`
//! environment variables, then command-line flags (clap reads the
//! environment for each flag, so the last two come in one step).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Everything the server needs to start. Passed in, never global.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// `postgres://…` selects PostgreSQL; anything else is a SQLite path.
    pub database_url: Option<String>,
    /// At least 32 bytes; generated into the data dir when absent.
    pub jwt_secret: Option<String>,
    /// The origin users reach the forum at, e.g. `https://comity.example`;
    /// used for invitation links and to mark cookies `Secure`.
    pub public_url: Option<String>,
    pub access_token_ttl_secs: i64,
    pub invitation_ttl_secs: i64,
    pub max_body_bytes: usize,
    pub db_pool_size: u32,
    pub live: LiveSettings,
    pub search: SearchSettings,
    pub email: EmailSettings,
    /// Proxies (addresses or CIDR ranges) whose `X-Forwarded-For` is
    /// believed; empty: the socket peer is the client.
    pub trusted_proxies: Vec<String>,
    /// Who must sign in with a second factor to act: `staff` (default),
    /// `everyone` or `optional`.
    pub second_factor: String,
    pub attachments: AttachmentSettings,
    pub routing: RoutingSettings,
    pub advice: AdviceSettings,
    pub privacy: PrivacySettings,
    pub webhooks: WebhookSettings,
    /// `GET /metrics` for clients other than loopback: `Authorization:
    /// Bearer <metrics_token>`.
    pub metrics_token: Option<String>,
    /// A separate address serving only `GET /metrics`, open to whoever
    /// reaches it (bind it where only the monitoring network does).
    pub metrics_bind: Option<SocketAddr>,
    /// `text` (default: one readable line per event, coloured only on a
    /// terminal) or `json` (one JSON object per line, for log shippers).
    pub log_format: String,
}

/// Questions routed to experts (`[routing]` in the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoutingSettings {
    /// Most routed questions one member receives in seven days.
    pub weekly_cap: i64,
}

impl Default for RoutingSettings {
    fn default() -> Self {
        RoutingSettings { weekly_cap: 3 }
    }
}

/// Webhook deliveries (`[webhooks]` in the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookSettings {
    /// The wait after a failed delivery; it doubles with each failure in a
    /// row, at most an hour.
    pub retry_base_ms: i64,
    /// Failures in a row after which an endpoint is disabled.
    pub disable_after: i64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        let policy = forum_core::features::webhooks::RetryPolicy::default();
        WebhookSettings {
            retry_base_ms: policy.base_ms,
            disable_after: policy.disable_after,
        }
    }
}

impl WebhookSettings {
    pub fn policy(&self) -> forum_core::features::webhooks::RetryPolicy {
        forum_core::features::webhooks::RetryPolicy {
            base_ms: self.retry_base_ms.max(1),
            disable_after: self.disable_after.max(1),
        }
    }
}

/// Personal data (`[privacy]` in the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrivacySettings {
    /// What becomes of an erased member's posts: `keep` (default: they
    /// stay, signed "Former member #N") or `remove` (their text and files
    /// leave every stored copy).
    pub erased_posts: String,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings {
            erased_posts: "keep".to_owned(),
        }
    }
}

impl PrivacySettings {
    /// The policy in effect (validated at load).
    pub fn erased_posts(&self) -> forum_core::features::accounts::erasure::ErasedPosts {
        forum_core::features::accounts::erasure::ErasedPosts::parse(&self.erased_posts)
            .unwrap_or(forum_core::features::accounts::erasure::ErasedPosts::Keep)
    }
}

/// Advice requests to the legal office (`[advice]` in the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AdviceSettings {
    /// The legal office's group: its members read and answer every
    /// request. Made, empty, on the first request when missing; admins add
    /// the office's staff to it.
    pub group: String,
    /// Days from filing to a request's due date (the office may change it).
    pub due_days: i64,
}

impl Default for AdviceSettings {
    fn default() -> Self {
        AdviceSettings {
            group: "Legal office".to_owned(),
            due_days: 30,
        }
    }
}

/// Files attached to posts (`[attachments]` in the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentSettings {
    /// Largest file (bytes); larger gets 413.
    pub max_file_bytes: u64,
    /// Files on one post at most.
    pub max_files_per_post: usize,
    /// What one member may upload in 24 hours (bytes).
    pub daily_quota_bytes: i64,
    /// ClamAV's clamd: a Unix socket path (`/run/clamav/clamd.ctl`) or a
    /// TCP address (`127.0.0.1:3310`). Unset: files are not scanned (the
    /// server says so at start). Set and unreachable: uploads get 503.
    pub clamd: Option<String>,
    /// The program that reads text out of files in a child process
    /// (`<it> extract-text`); this server's own binary when unset.
    pub extractor: Option<PathBuf>,
    /// Longest a file's text extraction may run (seconds).
    pub extract_timeout_secs: u64,
    /// Address space a text extraction may use (MiB).
    pub extract_memory_mib: u64,
    /// The OCR program for pictures (`tesseract`); looked up on `PATH`,
    /// off when absent.
    pub tesseract: Option<PathBuf>,
    /// An S3-compatible bucket for the files (several processes); the data
    /// directory's `files/` when unset.
    pub s3: Option<crate::files::S3Settings>,
}

impl Default for AttachmentSettings {
    fn default() -> Self {
        AttachmentSettings {
            max_file_bytes: 25 * 1024 * 1024,
            max_files_per_post: 10,
            daily_quota_bytes: 200 * 1024 * 1024,
            clamd: None,
            extractor: None,
            extract_timeout_secs: 60,
            extract_memory_mib: 1024,
            tesseract: None,
            s3: None,
        }
    }
}

/// The websocket layer's limits (`[live]` in the config file).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LiveSettings {
    /// Open websockets one member may hold at once.
    pub max_connections_per_user: usize,
    /// Messages waiting for one slow client before it is closed with 1013.
    pub queue_capacity: usize,
    /// Largest frame a client may send (bytes); larger closes with 1009.
    pub max_frame_bytes: usize,
    pub ping_interval_secs: u64,
    /// Silence after which a connection is dropped.
    pub idle_timeout_secs: u64,
    /// How far back `since` may reach, in events; older gets `resync`.
    pub replay_window: i64,
    /// How often the event log is read when nothing woke the tailer
    /// (commits here and PostgreSQL notifications wake it at once).
    pub poll_interval_ms: u64,
}

/// The search index (`[search]` in the file).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchSettings {
    /// Where the index lives; `<data_dir>/search` when unset.
    pub dir: Option<PathBuf>,
    /// Indexed changes are committed (made searchable) at most this long
    /// after the first of them was read from the event log.
    pub commit_interval_ms: u64,
    /// ... or as soon as this many posts are waiting.
    pub commit_batch: usize,
}

/// Outgoing e-mail (`[email]` in the file). Without `smtp_host`, e-mail
/// is off: notifications reach the inbox only.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailSettings {
    /// The SMTP server to hand e-mail to.
    pub smtp_host: Option<String>,
    /// Default: 587 with `starttls`, 465 with `tls`, 25 with `none`.
    pub smtp_port: Option<u16>,
    /// `starttls` (default: upgrade, refuse to go on without TLS), `tls`
    /// (TLS from the first byte) or `none` (a relay on this machine only).
    pub tls: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `Comity <forum@example.org>`.
    pub from: Option<String>,
    /// PEM certificates to trust for the SMTP server besides the system's
    /// (an internal CA).
    pub ca_file: Option<PathBuf>,
    /// Whether e-mails may name threads of restricted categories (off: "a
    /// thread in a restricted space").
    pub restricted_titles: bool,
    /// How often members' digests are checked for being due.
    pub digest_check_secs: u64,
}

impl Default for EmailSettings {
    fn default() -> Self {
        EmailSettings {
            smtp_host: None,
            smtp_port: None,
            tls: "starttls".to_owned(),
            username: None,
            password: None,
            from: None,
            ca_file: None,
            restricted_titles: false,
            digest_check_secs: 300,
        }
    }
}

impl std::fmt::Debug for EmailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailSettings")
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("from", &self.from)
            .field("ca_file", &self.ca_file)
            .field("restricted_titles", &self.restricted_titles)
            .field("digest_check_secs", &self.digest_check_secs)
            .finish()
    }
}

impl EmailSettings {
    /// The port in effect.
    pub fn port(&self) -> u16 {
        self.smtp_port.unwrap_or(match self.tls.as_str() {
            "tls" => 465,
            "none" => 25,
            _ => 587,
        })
    }

    fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            matches!(self.tls.as_str(), "starttls" | "tls" | "none"),
            "[email] tls must be starttls, tls or none"
        );
        anyhow::ensure!(
            self.digest_check_secs > 0,
            "[email] digest_check_secs must be positive"
        );
        if self.smtp_host.is_some() {
            let from = self
                .from
                .as_deref()
                .ok_or_else(|| anyhow::anyhow!("[email] from is required with smtp_host"))?;
            from.parse::<lettre::message::Mailbox>()
                .map_err(|e| anyhow::anyhow!("[email] from {from:?} is not an address: {e}"))?;
            anyhow::ensure!(
                self.username.is_some() == self.password.is_some(),
                "[email] username and password go together"
            );
        }
        Ok(())
    }
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings {
            dir: None,
            commit_interval_ms: 200,
            commit_batch: 2_000,
        }
    }
}

impl Default for LiveSettings {
    fn default() -> Self {
        LiveSettings {
            max_connections_per_user: 16,
            queue_capacity: 256,
            max_frame_bytes: 16 * 1024,
            ping_interval_secs: 30,
            idle_timeout_secs: 90,
            replay_window: 10_000,
            poll_interval_ms: 1000,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            jwt_secret: None,
            public_url: None,
            access_token_ttl_secs: 15 * 60,
            invitation_ttl_secs: 7 * 24 * 3600,
            max_body_bytes: 1024 * 1024,
            db_pool_size: 8,
            live: LiveSettings::default(),
            search: SearchSettings::default(),
            email: EmailSettings::default(),
            trusted_proxies: Vec::new(),
            second_factor: "staff".to_owned(),
            attachments: AttachmentSettings::default(),
            routing: RoutingSettings::default(),
            advice: AdviceSettings::default(),
            privacy: PrivacySettings::default(),
            webhooks: WebhookSettings::default(),
            metrics_token: None,
            metrics_bind: None,
            log_format: "text".to_owned(),
        }
    }
}

/// The TOML file: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub bind: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub jwt_secret: Option<String>,
    pub public_url: Option<String>,
    pub access_token_ttl_secs: Option<i64>,
    pub invitation_ttl_secs: Option<i64>,
    pub max_body_bytes: Option<usize>,
    pub db_pool_size: Option<u32>,
    pub live: Option<LiveSettings>,
    pub search: Option<SearchSettings>,
    pub email: Option<EmailSettings>,
    pub trusted_proxies: Option<Vec<String>>,
    pub second_factor: Option<String>,
    pub attachments: Option<AttachmentSettings>,
    pub routing: Option<RoutingSettings>,
    pub advice: Option<AdviceSettings>,
    pub privacy: Option<PrivacySettings>,
    pub webhooks: Option<WebhookSettings>,
    pub metrics_token: Option<String>,
    pub metrics_bind: Option<SocketAddr>,
    pub log_format: Option<String>,
}

/// Overrides from the environment or flags.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct Overrides {
    /// TOML configuration file.
    #[arg(long, env = "COMITY_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "COMITY_BIND", global = true)]
    pub bind: Option<SocketAddr>,
    /// Where the SQLite database, secrets and the search index live.
    #[arg(long, env = "COMITY_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// `postgres://user@host/db` for PostgreSQL, else a SQLite file path.
    #[arg(long, env = "COMITY_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Public origin, e.g. https://comity.example.org.
    #[arg(long, env = "COMITY_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    #[arg(long, env = "COMITY_JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Who must use a second factor: staff, everyone or optional.
    #[arg(long, env = "COMITY_SECOND_FACTOR", global = true)]
    pub second_factor: Option<String>,
    /// Log lines as `text` (default) or `json`.
    #[arg(long, env = "COMITY_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Comma-separated proxies whose X-Forwarded-For is believed.
    #[arg(
        long,
        env = "COMITY_TRUSTED_PROXIES",
        global = true,
        value_delimiter = ','
    )]
    pub trusted_proxies: Option<Vec<String>>,
    /// How long indexed changes may wait before they are committed.
    #[arg(
        long,
        env = "COMITY_SEARCH_COMMIT_INTERVAL_MS",
        global = true,
        hide = true
    )]
    pub search_commit_interval_ms: Option<u64>,
    /// SMTP server for e-mail (e-mail is off without one).
    #[arg(long, env = "COMITY_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,
    #[arg(long, env = "COMITY_SMTP_PORT", global = true)]
    pub smtp_port: Option<u16>,
    /// starttls, tls or none.
    #[arg(long, env = "COMITY_SMTP_TLS", global = true)]
    pub smtp_tls: Option<String>,
    #[arg(long, env = "COMITY_SMTP_USERNAME", global = true)]
    pub smtp_username: Option<String>,
    #[arg(
        long,
        env = "COMITY_SMTP_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,
    /// Sender of e-mail, e.g. "Comity <forum@example.org>".
    #[arg(long, env = "COMITY_SMTP_FROM", global = true)]
    pub smtp_from: Option<String>,
}

impl Settings {
    /// Where attachments' bytes live: `<data_dir>/files`.
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }

    /// How the extraction worker runs: this binary (or the configured
    /// program) with capped memory and time, and Tesseract when installed.
    pub fn extractor(&self) -> anyhow::Result<crate::files::extract::Extractor> {
        let a = &self.attachments;
        let program = match &a.extractor {
            Some(program) => program.clone(),
            None => std::env::current_exe()?,
        };
        Ok(crate::files::extract::Extractor {
            program,
            timeout: std::time::Duration::from_secs(a.extract_timeout_secs.max(1)),
            memory_mib: a.extract_memory_mib.max(64),
            tesseract: a.tesseract.clone().or_else(|| find_on_path("tesseract")),
        })
    }

    /// Builds settings from the layers above.
    pub fn load(overrides: &Overrides) -> anyhow::Result<Settings> {
        let mut settings = Settings::default();
        if let Some(path) = &overrides.config {
            settings.apply_file(&read_file(path)?);
        }
        settings.apply_overrides(overrides);
        settings.validate()?;
        Ok(settings)
    }

    fn apply_file(&mut self, file: &FileSettings) {
        if let Some(v) = file.bind {
            self.bind = v;
        }
        if let Some(v) = &file.data_dir {
            self.data_dir = v.clone();
        }
        if let Some(v) = &file.database_url {
            self.database_url = Some(v.clone());
        }
        if let Some(v) = &file.jwt_secret {
            self.jwt_secret = Some(v.clone());
        }
        if let Some(v) = &file.public_url {
            self.public_url = Some(v.clone());
        }
        if let Some(v) = file.access_token_ttl_secs {
            self.access_token_ttl_secs = v;
        }
        if let Some(v) = file.invitation_ttl_secs {
            self.invitation_ttl_secs = v;
        }
        if let Some(v) = file.max_body_bytes {
            self.max_body_bytes = v;
        }
        if let Some(v) = file.db_pool_size {
            self.db_pool_size = v;
        }
        if let Some(v) = &file.advice {
            self.advice = v.clone();
        }
        if let Some(v) = &file.metrics_token {
            self.metrics_token = Some(v.clone());
        }
        if let Some(v) = &file.privacy {
            self.privacy = v.clone();
        }
        if let Some(v) = &file.webhooks {
            self.webhooks = v.clone();
        }
        if let Some(v) = file.metrics_bind {
            self.metrics_bind = Some(v);
        }
        if let Some(v) = &file.log_format {
            self.log_format = v.clone();
        }
        if let Some(v) = &file.routing {
            self.routing = v.clone();
        }
        if let Some(v) = &file.attachments {
            self.attachments = v.clone();
        }
        if let Some(v) = &file.live {
            self.live = v.clone();
        }
        if let Some(v) = &file.search {
            self.search = v.clone();
        }
        if let Some(v) = &file.email {
            self.email = v.clone();
        }
        if let Some(v) = &file.trusted_proxies {
            self.trusted_proxies = v.clone();
        }
        if let Some(v) = &file.second_factor {
            self.second_factor = v.clone();
        }
    }

    fn apply_overrides(&mut self, o: &Overrides) {
        if let Some(v) = o.bind {
            self.bind = v;
        }
        if let Some(v) = &o.data_dir {
            self.data_dir = v.clone();
        }
        if let Some(v) = &o.database_url {
            self.database_url = Some(v.clone());
        }
        if let Some(v) = &o.public_url {
            self.public_url = Some(v.clone());
        }
        if let Some(v) = &o.jwt_secret {
            self.jwt_secret = Some(v.clone());
        }
        if let Some(v) = &o.trusted_proxies {
            self.trusted_proxies = v.clone();
        }
        if let Some(v) = &o.second_factor {
            self.second_factor = v.clone();
        }
        if let Some(v) = o.search_commit_interval_ms {
            self.search.commit_interval_ms = v;
        }
        if let Some(v) = &o.log_format {
            self.log_format = v.clone();
        }
        let email = &mut self.email;
        if let Some(v) = &o.smtp_host {
            email.smtp_host = Some(v.clone());
        }
        if let Some(v) = o.smtp_port {
            email.smtp_port = Some(v);
        }
        if let Some(v) = &o.smtp_tls {
            email.tls = v.clone();
        }
        if let Some(v) = &o.smtp_username {
            email.username = Some(v.clone());
        }
        if let Some(v) = &o.smtp_password {
            email.password = Some(v.clone());
        }
        if let Some(v) = &o.smtp_from {
            email.from = Some(v.clone());
        }
    }

    /// Where the search index lives.
    pub fn search_dir(&self) -> PathBuf {
        self.search
            .dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("search"))
    }

    /// The second-factor policy.
    pub fn second_factor_policy(
        &self,
    ) -> anyhow::Result<forum_core::domain::settings::SecondFactorPolicy> {
        forum_core::domain::settings::SecondFactorPolicy::parse(&self.second_factor)
            .ok_or_else(|| anyhow::anyhow!("second_factor must be staff, everyone or optional"))
    }

    /// The trusted proxies as networks (a bare address is a /32 or /128).
    pub fn trusted_networks(&self) -> anyhow::Result<Vec<ipnet::IpNet>> {
        self.trusted_proxies
            .iter()
            .map(|entry| {
                let entry = entry.trim();
                entry
                    .parse::<ipnet::IpNet>()
                    .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "trusted_proxies: {entry:?} is not an address or CIDR range"
                        )
                    })
            })
            .collect()
    }

    fn validate(&self) -> anyhow::Result<()> {
        if let Some(dir) = &self.search.dir {
            anyhow::ensure!(
                !self.data_dir.starts_with(dir),
                "[search] dir must be a directory of its own, not the data directory or one above it"
            );
        }
        if let Some(secret) = &self.jwt_secret {
            anyhow::ensure!(secret.len() >= 32, "jwt_secret must be at least 32 bytes");
        }
        anyhow::ensure!(
            (1..=100).contains(&self.routing.weekly_cap),
            "[routing] weekly_cap must be between 1 and 100"
        );
        if let Some(token) = &self.metrics_token {
            anyhow::ensure!(
                token.len() >= 16,
                "metrics_token must be at least 16 characters"
            );
        }
        anyhow::ensure!(
            (1..=365).contains(&self.advice.due_days),
            "[advice] due_days must be between 1 and 365"
        );
        anyhow::ensure!(
            !self.advice.group.trim().is_empty() && self.advice.group.chars().count() <= 80,
            "[advice] group must name a group (1 to 80 characters)"
        );
        anyhow::ensure!(
            (60..=3600).contains(&self.access_token_ttl_secs),
            "access_token_ttl_secs must be between 60 and 3600"
        );
        anyhow::ensure!(
            self.invitation_ttl_secs > 0,
            "invitation_ttl_secs must be positive"
        );
        self.trusted_networks()?;
        self.second_factor_policy()?;
        self.email.validate()?;
        anyhow::ensure!(
            forum_core::features::accounts::erasure::ErasedPosts::parse(&self.privacy.erased_posts)
                .is_some(),
            "[privacy] erased_posts must be keep or remove, not {:?}",
            self.privacy.erased_posts
        );
        anyhow::ensure!(
            matches!(self.log_format.as_str(), "text" | "json"),
            "log_format must be text or json, not {:?}",
            self.log_format
        );
        let live = &self.live;
        anyhow::ensure!(
            live.max_connections_per_user > 0 && live.queue_capacity > 0,
            "live.max_connections_per_user and live.queue_capacity must be positive"
        );
        anyhow::ensure!(
            live.ping_interval_secs > 0 && live.idle_timeout_secs > live.ping_interval_secs,
            "live.idle_timeout_secs must exceed live.ping_interval_secs"
        );
        if let Some(url) = &self.public_url {
            let parsed = url::Url::parse(url)?;
            anyhow::ensure!(
                matches!(parsed.scheme(), "http" | "https"),
                "public_url must be http or https"
            );
        }
        Ok(())
    }

    /// The database URL in effect: configured, or `forum.db` in the data dir.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            self.data_dir
                .join("forum.db")
                .to_string_lossy()
                .into_owned()
        })
    }

    /// Whether cookies must be `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileSettings> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read config file {}: {e}", path.display()))?;
    toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("invalid config file {}: {e}", path.display()))
}

/// `program` in a directory of `PATH`, if any.
pub fn find_on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        let mut s = Settings::default();
        s.apply_file(&toml::from_str("bind = \"127.0.0.1:9000\"\ndata_dir = \"/tmp/x\"").unwrap());
        assert_eq!(s.bind.port(), 9000);
        s.apply_overrides(&Overrides {
            bind: Some("127.0.0.1:9100".parse().unwrap()),
            ..Default::default()
        });
        assert_eq!(s.bind.port(), 9100);
        assert_eq!(s.data_dir, PathBuf::from("/tmp/x"));
        assert!(s.database_url().ends_with("forum.db"));
    }

    #[test]
    fn unknown_keys_and_short_secrets_are_refused() {
        assert!(toml::from_str::<FileSettings>("colour = 1").is_err());
        let s = Settings {
            jwt_secret: Some("short".into()),
            ..Default::default()
        };
        assert!(s.validate().is_err());
    }
}
