//! Background workers, one thread each per process, that follow the event
//! log: the indexer (search), the notifier (notifications), the mailer
//! (SMTP, when e-mail is on), the extractor (the text inside
//! attachments) and the webhook sender.

pub mod extractor;
pub mod indexer;
pub mod mailer;
pub mod notifier;
pub mod webhooks;
