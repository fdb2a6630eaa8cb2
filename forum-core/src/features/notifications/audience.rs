//! Whom an event concerns: the members a post mentions or quotes, the
//! watchers of a thread, and the audience of a new thread (watchers of its
//! category, jurisdictions and instruments; members tracking their own
//! country by default).

use super::*;

/// Authors of the posts a body quotes.
pub(super) fn quoted_authors(conn: &mut DbConnection, body: &str) -> Result<Vec<UserId>> {
    let quoted = crate::domain::markdown::quoted_posts(body);
    if quoted.is_empty() {
        return Ok(Vec::new());
    }
    Ok(posts::table
        .filter(posts::id.eq_any(&quoted))
        .select(posts::author_id)
        .distinct()
        .load(conn)?)
}

/// Members named with `@username` in a body.
pub(super) fn mentioned(conn: &mut DbConnection, body: &str) -> Result<Vec<UserId>> {
    let names = crate::domain::markdown::mentions(body);
    if names.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::username.eq_any(&names))
        .select(users::id)
        .load(conn)?)
}

/// A member's explicit level on a thread, else `watching` if they started
/// or replied to it, else none.
pub(super) fn level_on_thread(
    conn: &mut DbConnection,
    user: UserId,
    thread: ThreadId,
) -> Result<Option<WatchLevel>> {
    let explicit: Option<String> = watches::table
        .filter(watches::user_id.eq(user))
        .filter(watches::target.eq(format!("thread:{thread}")))
        .select(watches::level)
        .first(conn)
        .optional()?;
    if let Some(level) = explicit {
        return Ok(WatchLevel::parse(&level).ok());
    }
    let posted: i64 = posts::table
        .filter(posts::thread_id.eq(thread))
        .filter(posts::author_id.eq(user))
        .count()
        .get_result(conn)?;
    Ok((posted > 0).then_some(WatchLevel::Watching))
}

/// Members watching a thread: explicitly, or by having posted in it
/// without choosing another level.
pub(super) fn thread_watchers(conn: &mut DbConnection, thread: ThreadId) -> Result<Vec<UserId>> {
    let target = format!("thread:{thread}");
    let explicit: BTreeMap<UserId, String> = watches::table
        .filter(watches::target.eq(&target))
        .select((watches::user_id, watches::level))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .collect();
    let participants: Vec<UserId> = posts::table
        .filter(posts::thread_id.eq(thread))
        .select(posts::author_id)
        .distinct()
        .load(conn)?;
    let mut out: Vec<UserId> = participants
        .into_iter()
        .filter(|u| !explicit.contains_key(u))
        .collect();
    out.extend(
        explicit
            .into_iter()
            .filter(|(_, level)| level == WatchLevel::Watching.as_str())
            .map(|(u, _)| u),
    );
    Ok(out)
}

/// Members to tell about a new thread: watchers of its category; watchers
/// of a jurisdiction it covers (tagged with it, a region containing it, or
/// one of its members); watchers of an instrument it cites; and, for
/// analyses, members tracking those jurisdictions and instruments —
/// everyone tracks their own country unless they chose otherwise.
pub(super) fn new_thread_audience(
    conn: &mut DbConnection,
    scope: &access::EventScope,
    created: &event_payloads::ThreadCreated,
) -> Result<Vec<(UserId, bool)>> {
    let is_analysis = created.thread.kind == ThreadKind::Analysis;
    let tags = &created.thread.jurisdictions;
    let instruments: Vec<String> = created
        .analysis
        .iter()
        .flat_map(|a| &a.instruments)
        .map(|r| r.split(':').next().unwrap_or(r).to_owned())
        .collect();
    // Every jurisdiction the thread concerns: its tags, the regions that
    // contain them, and the members of region tags.
    let mut concerned: HashSet<String> = HashSet::new();
    for tag in tags {
        concerned.insert(tag.clone());
        concerned.extend(jurisdictions::containing(tag).iter().cloned());
        if let Some(j) = jurisdictions::get(tag) {
            concerned.extend(j.members.iter().cloned());
        }
    }
    let mut targets: Vec<String> = concerned
        .iter()
        .map(|c| format!("jurisdiction:{c}"))
        .collect();
    targets.extend(instruments.iter().map(|i| format!("instrument:{i}")));
    if let Some(category) = scope.category_id {
        targets.push(format!("category:{category}"));
    }
    let rows: Vec<(UserId, String, String)> = watches::table
        .filter(watches::target.eq_any(&targets))
        .select((watches::user_id, watches::target, watches::level))
        .load(conn)?;
    // Whom each watch brings in, and whether by `watching`.
    let wanted = |target: &str, level: &str| match level {
        "watching" => Some(true),
        "tracking" if is_analysis && !target.starts_with("category:") => Some(false),
        _ => None,
    };
    let mut audience: HashMap<UserId, bool> = HashMap::new();
    for (user, target, level) in &rows {
        if let Some(watching) = wanted(target, level) {
            *audience.entry(*user).or_default() |= watching;
        }
    }
    if is_analysis {
        // Default: members track their own country.
        let countries: Vec<&String> = concerned
            .iter()
            .filter(|c| jurisdictions::is_country(c))
            .collect();
        let chose: HashSet<(UserId, String)> = rows
            .iter()
            .map(|(user, target, _)| (*user, target.clone()))
            .collect();
        let locals: Vec<(UserId, String)> = users::table
            .filter(users::country.eq_any(countries))
            .select((users::id, users::country))
            .load(conn)?;
        for (user, country) in locals {
            if !chose.contains(&(user, format!("jurisdiction:{country}"))) {
                audience.entry(user).or_default();
            }
        }
    }
    Ok(audience.into_iter().collect())
}
