//! `Db::without_waiting`: a call tried on a thread that must not wait for
//! the database answers only from what the caches hold and never changes
//! anything; whenever it would have asked the database — even if it then
//! went on without the answer — the caller is told to run it again.

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
        username: admin.username.clone(),
        display_name: admin.display_name.clone(),
        role: Role::Admin,
        session_id: 0.into(),
        groups: Vec::new(),
        country: admin.country.clone(),
        profession: String::new(),
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
