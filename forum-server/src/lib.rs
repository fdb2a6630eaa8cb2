//! The Comity server: configuration, the operator CLI's commands, the
//! actix-web application (HTML pages, the JSON API, live events over
//! websockets, search), authentication and rate limits, and the workers
//! that follow the event log: the indexer (search), the notifier and the
//! mailer (SMTP).
//!
//! It is thin: handlers translate HTTP into `forum-core` calls, run them on
//! the blocking pool, and render the answer with `web` templates or as JSON.
//! Access decisions and SQL never live here.

pub mod allocator;
pub mod auth;
pub mod backup;
pub mod config;
pub mod error;
pub mod export;
pub mod feeds;
pub mod files;
pub mod http;
pub mod i18n;
pub mod limits;
pub mod links;
pub mod live;
pub mod metrics;
pub mod progress;
pub mod routes;
pub mod search;
pub mod seed;
pub mod startup;
pub mod workers;

pub use config::{Overrides, Settings};

pub use startup::Application;
