//! E-mail: the SMTP transport (lettre, from `[email]`), the messages, and
//! the mailer thread that sends what `forum_core::features::notifications::email` says is due —
//! immediate e-mails as notifications appear, digests when a member's
//! period runs out. Each message is in the member's language, links to the
//! inbox rather than quoting posts (the content stays on the forum), and
//! carries a signed one-click unsubscribe link (`List-Unsubscribe` and
//! `List-Unsubscribe-Post` too, RFC 8058).

use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use forum_core::Db;
use forum_core::features::notifications::NotificationView;
use forum_core::features::notifications::email::{
    DigestEmail, DigestFrequency, ImmediateEmail, Recipient,
};
use lettre::Transport;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use views::{I18n, Lang};

use crate::auth::JwtKeys;
use crate::config::EmailSettings;
use crate::links::Links;
use crate::live::Hub;

/// Immediate e-mails sent per pass (each claimed on its own).
const BATCH: usize = 50;
/// Wait when nothing woke the mailer.
const IDLE_POLL: Duration = Duration::from_secs(5);
/// Wait after the SMTP server failed us.
const BACKOFF: Duration = Duration::from_secs(30);

/// Sends Comity's e-mail through one SMTP server.
pub struct Mailer {
    transport: SmtpTransport,
    from: Mailbox,
    /// The forum's origin, for links (no trailing slash).
    links: Links,
    keys: JwtKeys,
    /// Whether threads of restricted categories are named.
    restricted_titles: bool,
}

/// What a send came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Worth trying again later (the server is away, a 4xx).
    Retry,
    /// Refused for good (a 5xx, an unusable address).
    Refused,
}

/// `List-Unsubscribe: <https://…>`.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.trim_matches(['<', '>']).to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): no auto-replies, please.
#[derive(Debug, Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// What the operator is told at start about e-mail.
pub fn status_line(settings: &EmailSettings) -> String {
    match &settings.smtp_host {
        None => "E-mail is off: no SMTP server is configured ([email] smtp_host or \
                 COMITY_SMTP_HOST), so notifications reach the inbox only. \
                 See docs/notifications.md."
            .to_owned(),
        Some(host) => format!(
            "E-mail goes through {host}:{} ({}) from {}.",
            settings.port(),
            settings.tls,
            settings.from.as_deref().unwrap_or_default()
        ),
    }
}

impl Mailer {
    /// The mailer for `settings`, or `None` when e-mail is off.
    pub fn new(
        settings: &EmailSettings,
        links: Links,
        keys: JwtKeys,
    ) -> anyhow::Result<Option<Mailer>> {
        let Some(host) = settings.smtp_host.as_deref() else {
            return Ok(None);
        };
        let mut tls = TlsParameters::builder(host.to_owned());
        if let Some(path) = &settings.ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| anyhow::anyhow!("[email] ca_file {}: {e}", path.display()))?;
            tls = tls.add_root_certificate(Certificate::from_pem(&pem)?);
        }
        let tls = match settings.tls.as_str() {
            "none" => Tls::None,
            "tls" => Tls::Wrapper(tls.build_rustls()?),
            // STARTTLS, and no e-mail without it.
            _ => Tls::Required(tls.build_rustls()?),
        };
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(settings.port())
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        let from = settings
            .from
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("[email] from is required"))?
            .parse::<Mailbox>()?;
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
            links,
            keys,
            restricted_titles: settings.restricted_titles,
        }))
    }

    /// Sends the immediate e-mails that are due, claiming each just before
    /// it goes (at most [`BATCH`] per call); returns how many it sent, or
    /// an error when the SMTP server did not take one (it is due again).
    pub fn send_due(&self, db: &Db) -> anyhow::Result<usize> {
        let mut sent = 0;
        for _ in 0..BATCH {
            let Some(email) = db.claim_due_email()? else {
                break;
            };
            let id = email.notification.id;
            match self.send(self.immediate(&email)) {
                Outcome::Sent => {
                    db.email_sent(id)?;
                    sent += 1;
                }
                Outcome::Refused => db.email_failed(id, true)?,
                Outcome::Retry => {
                    db.email_failed(id, false)?;
                    anyhow::bail!("the SMTP server did not take an e-mail; retrying later");
                }
            }
        }
        Ok(sent)
    }

    /// Sends the digests due at `at`, claiming each just before it goes;
    /// returns how many it sent.
    pub fn send_digests(&self, db: &Db, at: NaiveDateTime) -> anyhow::Result<usize> {
        let mut sent = 0;
        while let Some(digest) = db.claim_due_digest(at)? {
            match self.send(self.digest(&digest)) {
                Outcome::Sent => sent += 1,
                Outcome::Refused => {}
                Outcome::Retry => {
                    db.digest_failed(&digest)?;
                    anyhow::bail!("the SMTP server did not take a digest; retrying later");
                }
            }
        }
        Ok(sent)
    }

    fn send(&self, message: anyhow::Result<Message>) -> Outcome {
        let message = match message {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!(error = %e, "mailer: cannot build an e-mail (bad address?)");
                return Outcome::Refused;
            }
        };
        match self.transport.send(&message) {
            Ok(_) => {
                metrics::counter!("comity_emails_total", "outcome" => "sent").increment(1);
                Outcome::Sent
            }
            Err(e) if e.is_permanent() => {
                metrics::counter!("comity_emails_total", "outcome" => "refused").increment(1);
                tracing::warn!(error = %e, "mailer: the SMTP server refused an e-mail");
                Outcome::Refused
            }
            Err(e) => {
                metrics::counter!("comity_emails_total", "outcome" => "failed").increment(1);
                tracing::warn!(error = %e, "mailer: SMTP failed");
                Outcome::Retry
            }
        }
    }

    fn unsubscribe_url(&self, user: i64) -> anyhow::Result<String> {
        let token = self.keys.issue_unsubscribe(user.into())?;
        Ok(self.links.unsubscribe(&token))
    }

    /// The envelope every e-mail shares, and the footer of its text.
    fn envelope(
        &self,
        to: &Recipient,
        i18n: &I18n,
        subject: &str,
        body: String,
    ) -> anyhow::Result<Message> {
        let unsubscribe = self.unsubscribe_url(to.user_id.into())?;
        let text = format!(
            "{body}\n\n-- \n{}\n{}\n\n{}\n{unsubscribe}\n",
            i18n.t("email-footer-settings"),
            self.links.email_settings(),
            i18n.t("email-footer-unsubscribe"),
        );
        let mailbox = Mailbox::new(Some(to.display_name.clone()), to.email.parse()?);
        Ok(Message::builder()
            .from(self.from.clone())
            .to(mailbox)
            .subject(format!("[Comity] {subject}"))
            .header(ContentType::TEXT_PLAIN)
            .header(AutoSubmitted)
            .header(ListUnsubscribe(unsubscribe))
            .header(ListUnsubscribePost)
            .body(text)?)
    }

    /// What an e-mail says a notification is about: the inbox's line,
    /// without the title of a restricted thread unless allowed, and never
    /// the title or text of a marked one.
    fn line(&self, n: &NotificationView, i18n: &I18n) -> String {
        if n.marked {
            // AMBER and stricter: nothing of the thread leaves the forum.
            let mut n = n.clone();
            n.thread_title = Some(i18n.t("email-marked-thread"));
            n.detail = None;
            return views::describe_notification(&n, i18n);
        }
        if n.restricted && !self.restricted_titles {
            let mut n = n.clone();
            n.thread_title = Some(i18n.t("email-restricted-thread"));
            return views::describe_notification(&n, i18n);
        }
        views::describe_notification(n, i18n)
    }

    fn immediate(&self, email: &ImmediateEmail) -> anyhow::Result<Message> {
        let i18n = language_of(&email.recipient);
        let line = self.line(&email.notification, &i18n);
        let body = format!(
            "{line}\n\n{}\n{}",
            i18n.t("email-open"),
            self.links.inbox(Some(email.notification.id.into()))
        );
        self.envelope(&email.recipient, &i18n, &line, body)
    }

    fn digest(&self, digest: &DigestEmail) -> anyhow::Result<Message> {
        let i18n = language_of(&digest.recipient);
        let count = digest.items.len() as i64;
        let subject = i18n.tn("email-digest-subject", count);
        let intro = match digest.frequency {
            DigestFrequency::Daily => i18n.t("email-digest-daily-intro"),
            _ => i18n.t("email-digest-weekly-intro"),
        };
        let mut body = format!("{intro}\n");
        for n in &digest.items {
            body.push_str(&format!(
                "\n* {}\n  {} — {}\n",
                self.line(n, &i18n),
                i18n.datetime(n.updated_at),
                self.links.inbox(Some(n.id.into()))
            ));
        }
        body.push_str(&format!(
            "\n{}\n{}",
            i18n.t("email-digest-all"),
            self.links.inbox(None)
        ));
        self.envelope(&digest.recipient, &i18n, &subject, body)
    }
}

fn language_of(to: &Recipient) -> I18n {
    I18n::new(
        to.language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or(Lang::En),
    )
}

/// Runs the mailer thread until `hub` is dropped: woken by every publish
/// (notifications are events too), polling otherwise; digests are looked
/// for every `digest_check`.
pub fn start(
    mailer: Arc<Mailer>,
    db: Db,
    hub: &Arc<Hub>,
    digest_check: Duration,
) -> anyhow::Result<()> {
    let woken = crate::workers::notifier::wake_on_publish(hub);
    std::thread::Builder::new()
        .name("comity-mailer".into())
        .spawn(move || {
            let mut next_digests = Instant::now() + digest_check;
            // After an SMTP failure, nothing is tried before this.
            let mut paused_until = Instant::now();
            loop {
                if Instant::now() >= paused_until {
                    match mailer.send_due(&db) {
                        Ok(n) if n >= BATCH => continue,
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "mailer: immediate e-mail delayed");
                            paused_until = Instant::now() + BACKOFF;
                        }
                    }
                }
                if Instant::now() >= next_digests.max(paused_until) {
                    match mailer.send_digests(&db, forum_core::now()) {
                        Ok(_) => next_digests = Instant::now() + digest_check,
                        Err(e) => {
                            tracing::warn!(error = %e, "mailer: digests delayed");
                            paused_until = Instant::now() + BACKOFF;
                        }
                    }
                }
                match woken.recv_timeout(IDLE_POLL) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        })?;
    Ok(())
}
