//! Notification fan-out benchmark (not a test). For each audience size W it
//! builds a fresh SQLite database with one thread watched by W members,
//! then posts replies and measures, in the same run:
//!
//! * the **baseline**: writing the replies (`Db::create_post`, which
//!   validates, renders the Markdown, inserts and appends the event);
//! * the **notifier**: `Db::notify_from_log` turning those events into
//!   notifications for every watcher (access check, watch level, collapse,
//!   e-mail marking, the `notification` event per recipient);
//! * the **mailer's database side**: `Db::claim_due_email` (access checked
//!   again just before sending, one e-mail per claim) and `Db::email_sent`
//!   for every due e-mail, without SMTP.
//!
//! ```text
//! cargo bench -p forum-server --bench notify_load
//! COMITY_BENCH_WATCHERS=10,100,1000 COMITY_BENCH_REPLIES=20 cargo bench -p forum-server --bench notify_load
//! ```
//!
//! The report is printed and written to `target/notify_load.json`.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use forum_core::Db;
use forum_core::domain::Role;
use forum_core::features::forum::NewThreadInput;
use forum_core::store::schema::{users, watches};
use serde_json::json;

const PASSWORD: &str = "notify bench passphrase 2026";

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    match std::env::var(name) {
        Ok(v) => v
            .split(',')
            .map(|s| s.trim().parse().expect("a number"))
            .collect(),
        Err(_) => default.to_vec(),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Run {
    watchers: usize,
    replies: usize,
    write: Duration,
    notify: Duration,
    notifications: i64,
    mail: Duration,
    emails: usize,
}

fn run(watchers: usize, replies: usize) -> Run {
    let temp = tempfile::tempdir().expect("temp dir");
    let database = temp.path().join("forum.db");
    let db = Db::open(database.to_str().unwrap(), 4).expect("open database");
    // As with SMTP configured: the notifier marks e-mail due.
    db.set_email_on(true);
    let admin = db
        .create_admin("benchadmin", "bench@example.org", PASSWORD)
        .expect("create admin");
    let viewer = forum_core::Viewer {
        id: admin.id,
        username: admin.username.as_str().into(),
        display_name: admin.display_name.as_str().into(),
        role: Role::Admin,
        session_id: 0.into(),
        groups: Vec::new().into(),
        country: admin.country.as_str().into(),
        profession: "".into(),
        language: None,
        second_factor_missing: false,
        guest_until: None,
        feed_generation: 0,
    };
    let category = db
        .create_category(&viewer, "general", "General", "", &[])
        .expect("create category");
    let (thread, _) = db
        .create_thread(
            &viewer,
            &NewThreadInput {
                category_id: category.id,
                title: "Transit of falsified medicines",
                body: "Which offence applies to goods in transit?",
                kind: "question",
                jurisdictions: &[],
                language: Some("en"),
                analysis: None,
                attachments: &[],
                mark: None,
                mark_recipients: None,
                acknowledge_personal_data: None,
            },
        )
        .expect("create thread");
    // The audience: members inserted directly (no password hashing), each
    // watching the thread.
    let at = forum_core::now();
    let target = format!("thread:{}", thread.id);
    db.write(|conn| {
        for i in 0..watchers {
            let id: i64 = diesel::insert_into(users::table)
                .values((
                    users::username.eq(format!("watcher{i}")),
                    users::email.eq(format!("watcher{i}@example.org")),
                    users::display_name.eq(format!("Watcher {i}")),
                    users::password_hash.eq("x"),
                    users::role.eq("member"),
                    users::country.eq("FR"),
                    users::profession.eq("prosecutor"),
                    users::created_at.eq(at),
                ))
                .returning(users::id)
                .get_result(conn)?;
            diesel::insert_into(watches::table)
                .values((
                    watches::user_id.eq(id),
                    watches::target.eq(&target),
                    watches::level.eq("watching"),
                    watches::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
    .expect("seed watchers");
    // Place the notifier at the head of the log.
    while db.notify_from_log().expect("notifier") > 0 {}

    let started = Instant::now();
    for i in 0..replies {
        db.create_post(
            &viewer,
            thread.id,
            &forum_core::features::forum::NewPost {
                body: &format!("Reply number {i}."),
                language: Some("en"),
                ..Default::default()
            },
        )
        .expect("reply");
    }
    let write = started.elapsed();

    let started = Instant::now();
    while db.notify_from_log().expect("notifier") > 0 {}
    let notify = started.elapsed();
    let notifications: i64 = db
        .read(|conn| {
            Ok(forum_core::store::schema::notifications::table
                .select(forum_core::store::schema::notifications::count)
                .load::<i64>(conn)?
                .into_iter()
                .sum())
        })
        .expect("count");

    let started = Instant::now();
    let mut emails = 0;
    while let Some(email) = db.claim_due_email().expect("claim") {
        db.email_sent(email.notification.id).expect("sent");
        emails += 1;
    }
    let mail = started.elapsed();
    Run {
        watchers,
        replies,
        write,
        notify,
        notifications,
        mail,
        emails,
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let replies = env_list("COMITY_BENCH_REPLIES", &[20])[0];
    let mut report = Vec::new();
    println!(
        "{:>8} {:>8} {:>14} {:>14} {:>16} {:>8} {:>14} {:>14}",
        "watchers",
        "replies",
        "write ms/reply",
        "notify ms/reply",
        "notify µs/recip.",
        "ratio",
        "e-mails",
        "mail µs/e-mail"
    );
    for watchers in env_list("COMITY_BENCH_WATCHERS", &[10, 100, 1000]) {
        let r = run(watchers, replies);
        let write_per = ms(r.write) / r.replies as f64;
        let notify_per = ms(r.notify) / r.replies as f64;
        let per_recipient = r.notify.as_secs_f64() * 1e6 / r.notifications.max(1) as f64;
        let mail_per = r.mail.as_secs_f64() * 1e6 / r.emails.max(1) as f64;
        println!(
            "{:>8} {:>8} {:>14.2} {:>14.2} {:>16.1} {:>8.1} {:>14} {:>14.1}",
            r.watchers,
            r.replies,
            write_per,
            notify_per,
            per_recipient,
            notify_per / write_per,
            r.emails,
            mail_per
        );
        report.push(json!({
            "watchers": r.watchers, "replies": r.replies,
            "write_ms_per_reply": write_per, "notify_ms_per_reply": notify_per,
            "notify_us_per_recipient": per_recipient, "ratio_notify_to_write": notify_per / write_per,
            "notifications": r.notifications, "emails": r.emails, "mail_us_per_email": mail_per,
        }));
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/notify_load.json");
    std::fs::write(&path, serde_json::to_string_pretty(&report).unwrap()).ok();
}
