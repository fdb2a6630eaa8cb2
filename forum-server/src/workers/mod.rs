//! Background workers, one thread each per process, that follow the event
//! log: the indexer (search), the notifier (notifications), the mailer
//! (SMTP, when e-mail is on) and the extractor (the text inside
//! attachments).

pub mod extractor;
pub mod indexer;
pub mod mailer;
pub mod notifier;
