//! `Db::without_waiting`: a call tried on a thread that must not wait for
//! the database answers only from what the caches hold and never changes
//! anything; whenever it would have asked the database — even if it then
//! went on without the answer — the caller is told to run it again. On
//! PostgreSQL it answers only at a head read for the request
//! (`Db::at_head`), and only when the caches have reached it.

use forum_core::domain::Role;
use forum_core::{Db, Viewer};

fn admin_viewer(db: &Db) -> Viewer {
    let admin = db
        .create_admin(
            "keeper",
            "keeper@example.org",
            "correct horse battery staple",
        )
        .unwrap();
    Viewer {
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
    }
}

/// What the server's tailer does: hands the log to the caches.
fn apply_log(db: &Db) {
    let events = db.events_after(0, 10_000).unwrap();
    for observer in db.log_observers() {
        observer.observe(&events);
    }
}

#[test]
fn a_call_answers_from_the_caches_or_is_sent_back_having_changed_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forum.db");
    let db = Db::open(path.to_str().unwrap(), 2).unwrap();
    let viewer = admin_viewer(&db);
    db.create_category(&viewer, "case-law", "Case law", "Judgments", &[])
        .unwrap();

    // Nothing kept yet: the list needs the database.
    assert!(
        db.without_waiting(|db| db.categories(&viewer)).is_none(),
        "an empty cache was answered from"
    );
    // A call that swallows the refusal is sent back all the same: an
    // empty list here would be a wrong page.
    assert!(
        db.without_waiting(|db| db.categories(&viewer).unwrap_or_default())
            .is_none(),
        "a swallowed refusal was taken for an answer"
    );
    // A write is refused before it starts.
    assert!(
        db.without_waiting(|db| db.create_category(&viewer, "tobacco", "Tobacco", "FCTC", &[]))
            .is_none()
    );
    let names: Vec<String> = db
        .categories(&viewer)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Case law"], "the refused write changed something");

    // Once the caches have the log and the list, it is answered here, the
    // same as on a blocking thread.
    apply_log(&db);
    let kept = db.categories(&viewer).unwrap();
    let here = db
        .without_waiting(|db| db.categories(&viewer))
        .expect("a kept, fresh list is answered without the database")
        .unwrap();
    assert_eq!(
        here.iter().map(|c| c.id).collect::<Vec<_>>(),
        kept.iter().map(|c| c.id).collect::<Vec<_>>()
    );

    // A write through this process makes the kept list stale until the
    // log is applied: it goes back to the database, and sees the change.
    db.create_category(&viewer, "tobacco", "Tobacco", "FCTC", &[])
        .unwrap();
    assert!(
        db.without_waiting(|db| db.categories(&viewer)).is_none(),
        "a list older than this process's own write was answered from"
    );
    assert_eq!(db.categories(&viewer).unwrap().len(), 2);

    // Outside the call, the database is asked as before.
    assert!(db.events_after(0, 1).is_ok());
}

/// A fresh PostgreSQL database, dropped when the guard goes.
struct PgDatabase {
    admin: String,
    name: String,
}

impl PgDatabase {
    fn new() -> (PgDatabase, String) {
        use diesel::connection::SimpleConnection;
        let admin = std::env::var("COMITY_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let name = format!(
            "comity_test_{}_core_{}",
            std::process::id(),
            rand::random::<u32>()
        );
        let mut conn = forum_core::store::db::establish_postgres(&admin)
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is required: {e}"));
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = format!("{}/{name}", &admin[..admin.rfind('/').unwrap()]);
        (PgDatabase { admin, name }, url)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        use diesel::connection::SimpleConnection;
        if let Ok(mut conn) = forum_core::store::db::establish_postgres(&self.admin) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

#[test]
fn on_postgresql_a_call_answers_only_at_a_head_read_for_it() {
    let (_guard, url) = PgDatabase::new();
    let db = Db::open(&url, 2).unwrap();
    let viewer = admin_viewer(&db);
    db.create_category(&viewer, "case-law", "Case law", "Judgments", &[])
        .unwrap();
    apply_log(&db);
    assert_eq!(db.categories(&viewer).unwrap().len(), 1);

    // Without a head read for the request, another process's change
    // cannot be ruled out: not answered here.
    assert!(
        db.without_waiting(|db| db.categories(&viewer)).is_none(),
        "answered on PostgreSQL without a head"
    );
    let head = db.last_event_seq().unwrap();
    let here = db
        .at_head(head, || db.without_waiting(|db| db.categories(&viewer)))
        .expect("a kept list at the log's head is answered without the database")
        .unwrap();
    assert_eq!(here.len(), 1);

    // Another process adds a category. A request whose head was read
    // after that change must not be answered from the kept list until
    // this process's tailer has applied it; then it sees both.
    let other = Db::open_as_is(&url, 2).unwrap();
    other
        .create_category(&viewer, "tobacco", "Tobacco", "FCTC", &[])
        .unwrap();
    let later = db.last_event_seq().unwrap();
    assert!(later > head);
    assert!(
        db.at_head(later, || db.without_waiting(|db| db.categories(&viewer)))
            .is_none(),
        "a list behind the request's head was answered from"
    );
    assert_eq!(
        db.at_head(later, || db.categories(&viewer)).unwrap().len(),
        2,
        "read through at the request's head"
    );
    // The tailer applies the change (dropping what it made stale); the
    // next read through keeps the new list, and then it is answered here.
    apply_log(&db);
    db.at_head(later, || db.categories(&viewer)).unwrap();
    let caught_up = db
        .at_head(later, || db.without_waiting(|db| db.categories(&viewer)))
        .expect("answered once the log is applied")
        .unwrap();
    assert_eq!(caught_up.len(), 2);
}

#[test]
fn on_postgresql_a_head_read_outlives_its_connection() {
    use diesel::RunQueryDsl;
    let (_guard, url) = PgDatabase::new();
    let db = Db::open(&url, 2).unwrap();
    let viewer = admin_viewer(&db);
    db.create_category(&viewer, "case-law", "Case law", "Judgments", &[])
        .unwrap();
    let head = db.last_event_seq().unwrap();
    assert!(head > 0);
    // Every connection of this database ends (a restart, an idle
    // timeout): the head's own connections and the pool's alike.
    let mut admin = forum_core::store::db::establish_postgres(&url).unwrap();
    let mut last = head;
    for round in 0..2 {
        let ended = diesel::sql_query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .execute(&mut admin)
        .unwrap();
        assert!(ended > 0, "no connection to end");
        // The next reads are answered, and count what was written since.
        db.create_category(&viewer, &format!("tobacco-{round}"), "Tobacco", "FCTC", &[])
            .unwrap();
        let later = db.last_event_seq().unwrap();
        assert!(
            later > last,
            "{later} does not count the write after {last}"
        );
        assert_eq!(db.last_event_seq().unwrap(), later);
        last = later;
    }
    assert!(db.head_reads() >= 5);
}
