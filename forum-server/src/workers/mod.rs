//! Background workers, one thread each per process, that follow the event
//! log: the indexer (search), the notifier (notifications) and the mailer
//! (SMTP, when e-mail is on).

pub mod indexer;
pub mod mailer;
pub mod notifier;
