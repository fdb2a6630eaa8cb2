//! Search benchmark (not a test). It cuts real legal texts and UN parallel
//! sentences in English, French, Spanish and Arabic into ≥ 200,000 posts,
//! seeds them into a fresh SQLite database, and measures:
//!
//! * indexing throughput: a full build of the index from the database
//!   (`forum_server::workers::indexer::reindex`), in posts per second; then the same
//!   for 10,000 posts of each language alone, on separate databases;
//! * query latency: `GET /api/v1/search` on the real server, started
//!   in-process on that database and index, against `SearchIndex::search`
//!   called directly on the same index with the same access keys and
//!   filters, in the same run (p50/p99 and their ratio); in between,
//!   `forum_server::search::find` called in-process (the server's work
//!   without HTTP: validation, the index query, the database recheck of
//!   the hits and the snippets); and the same `SearchQuery` on an empty
//!   in-memory index, which isolates building the query;
//! * freshness: from a reply's `201` until a search for a word only it
//!   contains returns it.
//!
//! ```text
//! cargo bench -p forum-server --bench search_load
//! COMITY_BENCH_POSTS=50000 COMITY_BENCH_ROUNDS=5 cargo bench -p forum-server --bench search_load
//! ```
//!
//! Settings (environment): `COMITY_BENCH_POSTS` (default 200000),
//! `COMITY_BENCH_ROUNDS` (rounds of the query set, default 20),
//! `COMITY_BENCH_FRESHNESS` (replies, default 100),
//! `COMITY_BENCH_LANGUAGE_POSTS` (posts of the one-language indexing runs,
//! default 10000; 0 skips them).
//!
//! Data: `legal-texts/*.jsonl` and `un-parallel/devset/UNv1.0.devset.*` in
//! `../shared/data` beside the workspace (see the `SOURCES.md` files there
//! for their licences and attributions). The report is printed and written
//! to `target/search_load.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use forum_core::Db;
use forum_core::domain::Role;
use forum_core::store::schema::{post_revisions, posts, thread_jurisdictions, threads};
use forum_server::{Application, Settings};
use search_index::{Filters, MEMBERS_KEY, SearchIndex, SearchQuery, SearchResults, Sort};
use serde_json::{Value, json};

const PASSWORD: &str = "search bench passphrase 2026";
const JWT_SECRET: &str = "search-bench-secret-0123456789-0123456789";
const POSTS_PER_THREAD: usize = 20;
/// Posts written per transaction while seeding.
const SEED_BATCH: usize = 10_000;
/// Rows per INSERT statement (SQLite binds at most 32,766 values).
const ROWS_PER_INSERT: usize = 1_000;
/// Chunks are cut once they reach this many characters…
const CHUNK_MIN: usize = 280;
/// …and never grow past this many (unless one sentence is longer).
const CHUNK_MAX: usize = 900;
/// Longer paragraphs are cut into sentences.
const PARAGRAPH_MAX: usize = 1_200;
/// Minutes between two seeded posts (200,000 posts span 3.4 years).
const MINUTES_BETWEEN_POSTS: i64 = 9;
/// Hits per page, as the API's default.
const PER_PAGE: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lang {
    En,
    Fr,
    Es,
    Ar,
}

impl Lang {
    const ALL: [Lang; 4] = [Lang::En, Lang::Fr, Lang::Es, Lang::Ar];

    fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Ar => "ar",
        }
    }
}

/// Thread languages in turn: half Spanish, a quarter French, 15 % English,
/// 10 % Arabic (roughly the proportions of the source material, with
/// English and Arabic raised).
const LANGUAGE_SCHEDULE: [Lang; 20] = {
    use Lang::*;
    [
        Es, Fr, Es, En, Es, Fr, Es, Ar, Es, Fr, Es, En, Es, Fr, Es, Ar, Es, Fr, Es, En,
    ]
};

/// Where a chunk comes from, which decides its thread's jurisdiction tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Uruguayan laws: UY.
    Uruguay,
    /// French codes: FR.
    France,
    /// Tunisian constitution and personal status code: TN.
    Tunisia,
    /// Treaties and UN documents: a rotating mix.
    International,
}

/// Tags for international material, in turn.
const ROTATING_TAGS: [&str; 6] = ["EU", "ES", "MA", "MX", "IT", "EG"];

struct Chunk {
    origin: Origin,
    text: String,
}

struct Corpus {
    /// Chunks per language, indexed like [`Lang::ALL`].
    pools: [Vec<Chunk>; 4],
    /// Source records and lines read, by source.
    sources: Vec<(String, usize)>,
}

fn fail(message: &str) -> ! {
    eprintln!("search_load: {message}");
    std::process::exit(1);
}

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(value) => value
            .trim()
            .parse()
            .unwrap_or_else(|_| fail(&format!("{name} must be a number, not {value:?}"))),
        Err(_) => default,
    }
}

fn data_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data");
    let needed = [
        "legal-texts/uy-laws-es.jsonl",
        "legal-texts/fr-codes-fr.jsonl",
        "legal-texts/treaties-en.jsonl",
        "legal-texts/tn-law-ar.jsonl",
        "un-parallel/devset/UNv1.0.devset.en",
        "un-parallel/devset/UNv1.0.devset.fr",
        "un-parallel/devset/UNv1.0.devset.es",
        "un-parallel/devset/UNv1.0.devset.ar",
    ];
    for file in needed {
        if !root.join(file).is_file() {
            fail(&format!(
                "{} is missing: the bench needs the shared test data in ../shared/data \
                 next to the workspace (legal-texts/ and un-parallel/devset/)",
                root.join(file).display()
            ));
        }
    }
    root
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Paragraphs of a Markdown or plain text: blank-line separated, lines
/// joined, heading marks dropped.
fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let line = line.trim_start_matches('#').trim();
        if line.is_empty() {
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Sentences: cut after `.`, `;`, `:`, `!`, `?` (and the Arabic comma and
/// question mark) followed by a space.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous_ends = false;
    for (at, c) in text.char_indices() {
        if previous_ends && c.is_whitespace() {
            let sentence = text[start..at].trim();
            if !sentence.is_empty() {
                out.push(sentence);
            }
            start = at;
        }
        previous_ends = matches!(c, '.' | ';' | ':' | '!' | '?' | '؛' | '؟');
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// A paragraph as pieces of at most [`CHUNK_MAX`] characters: itself,
/// its sentences, or (for a sentence too long) runs of words.
fn pieces(paragraph: &str) -> Vec<String> {
    if chars(paragraph) <= PARAGRAPH_MAX {
        return vec![paragraph.to_owned()];
    }
    let mut out = Vec::new();
    for sentence in sentences(paragraph) {
        if chars(sentence) <= CHUNK_MAX {
            out.push(sentence.to_owned());
            continue;
        }
        let mut current = String::new();
        let mut length = 0;
        for word in sentence.split_whitespace() {
            let n = chars(word);
            if length > 0 && length + 1 + n > CHUNK_MAX {
                out.push(std::mem::take(&mut current));
                length = 0;
            }
            if length > 0 {
                current.push(' ');
                length += 1;
            }
            current.push_str(word);
            length += n;
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// A document cut into post-sized chunks: whole paragraphs (or sentences
/// of long ones) gathered until [`CHUNK_MIN`] characters.
fn chunks(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut length = 0;
    for paragraph in paragraphs(body) {
        for (i, piece) in pieces(&paragraph).into_iter().enumerate() {
            let n = chars(&piece);
            if length > 0 && length + n > CHUNK_MAX {
                out.push(std::mem::take(&mut current));
                length = 0;
            }
            if length > 0 {
                current.push_str(if i == 0 { "\n\n" } else { " " });
                length += 2;
            }
            current.push_str(&piece);
            length += n;
            if length >= CHUNK_MIN {
                out.push(std::mem::take(&mut current));
                length = 0;
            }
        }
    }
    if !current.is_empty() {
        match out.last_mut() {
            Some(last) if length < 40 => {
                last.push_str("\n\n");
                last.push_str(&current);
            }
            _ => out.push(current),
        }
    }
    out
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| fail(&format!("{}: bad JSON line: {e}", path.display())))
        })
        .collect()
}

fn load_corpus(root: &Path) -> Corpus {
    let mut pools: [Vec<Chunk>; 4] = Default::default();
    let mut sources = Vec::new();
    let mut add = |lang: Lang, origin: Origin, body: &str| {
        for text in chunks(body) {
            pools[lang as usize].push(Chunk { origin, text });
        }
    };
    let legal = root.join("legal-texts");
    for (file, field, lang, origin) in [
        ("uy-laws-es.jsonl", "body", Lang::Es, Origin::Uruguay),
        ("fr-codes-fr.jsonl", "body", Lang::Fr, Origin::France),
        ("treaties-en.jsonl", "body", Lang::En, Origin::International),
        ("tn-law-ar.jsonl", "body", Lang::Ar, Origin::Tunisia),
        ("tn-law-ar.jsonl", "english", Lang::En, Origin::Tunisia),
    ] {
        let records = read_jsonl(&legal.join(file));
        for record in &records {
            if let Some(body) = record[field].as_str() {
                add(lang, origin, body);
            }
        }
        sources.push((format!("{file} ({field})"), records.len()));
    }
    // The devset is line-aligned across languages: two lines make a post.
    for lang in Lang::ALL {
        let name = format!("UNv1.0.devset.{}", lang.code());
        let path = root.join("un-parallel/devset").join(&name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", path.display())));
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.chunks(2) {
            let body = pair
                .iter()
                .filter(|l| !l.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            if !body.is_empty() {
                pools[lang as usize].push(Chunk {
                    origin: Origin::International,
                    text: body,
                });
            }
        }
        sources.push((name, lines.len()));
    }
    Corpus { pools, sources }
}

/// The first sentence of `text`, at most 300 characters.
fn first_sentence(text: &str) -> String {
    let sentence = sentences(text).into_iter().next().unwrap_or(text);
    let mut out = String::new();
    for word in sentence.split_whitespace() {
        if chars(&out) + 1 + chars(word) > 300 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The post at `cursor` in a language's endless stream: the chunks in
/// order, then again, each time followed by the first sentence of another
/// chunk, so no two posts are the same.
fn post_text(pool: &[Chunk], cursor: usize) -> (Origin, String) {
    let n = pool.len();
    let i = cursor % n;
    let pass = cursor / n;
    let chunk = &pool[i];
    if pass == 0 {
        return (chunk.origin, chunk.text.clone());
    }
    let mut j = (i + pass * 7_919 + 1) % n;
    if j == i {
        j = (i + 1) % n;
    }
    (
        chunk.origin,
        format!("{}\n\n{}", chunk.text, first_sentence(&pool[j].text)),
    )
}

/// A thread title from the first words of its opening post.
fn title_of(body: &str) -> String {
    let mut title = String::new();
    for word in body.split_whitespace() {
        let word = word.trim_matches(|c: char| matches!(c, '*' | '_' | '#' | '>' | '[' | ']'));
        if word.is_empty() {
            continue;
        }
        if chars(&title) + 1 + chars(word) > 90 || title.split(' ').count() >= 10 {
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    if title.is_empty() {
        "Untitled".to_owned()
    } else {
        title
    }
}

/// The jurisdiction tags of a thread whose opening post comes from
/// `origin`; `turn` counts the international threads so far (every third
/// of them gets two tags).
fn tags_for(origin: Origin, turn: &mut usize) -> Vec<&'static str> {
    match origin {
        Origin::Uruguay => vec!["UY"],
        Origin::France => vec!["FR"],
        Origin::Tunisia => vec!["TN"],
        Origin::International => {
            let n = *turn;
            *turn += 1;
            let first = ROTATING_TAGS[n % ROTATING_TAGS.len()];
            if n % 3 == 2 {
                vec![first, ROTATING_TAGS[(n + 1) % ROTATING_TAGS.len()]]
            } else {
                vec![first]
            }
        }
    }
}

struct ThreadRow {
    id: i64,
    title: String,
    kind: &'static str,
    post_count: i64,
    created_at: NaiveDateTime,
    last_post_at: NaiveDateTime,
    language: &'static str,
    tags: Vec<&'static str>,
}

struct PostRow {
    id: i64,
    thread_id: i64,
    body: String,
    created_at: NaiveDateTime,
    language: &'static str,
}

#[derive(Default)]
struct Batch {
    threads: Vec<ThreadRow>,
    posts: Vec<PostRow>,
}

/// What seeding wrote.
struct Seeded {
    threads: i64,
    posts: i64,
    elapsed: Duration,
    by_language: BTreeMap<&'static str, usize>,
    by_tag: BTreeMap<&'static str, usize>,
    /// How many times the largest pool was cycled through (0: not at all).
    passes: BTreeMap<&'static str, usize>,
}

/// Renders every post's HTML on all cores.
fn render_all(posts: &[PostRow]) -> Vec<String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = posts.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        let parts: Vec<_> = posts
            .chunks(per)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|p| forum_core::domain::markdown::render(&p.body).into_string())
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().expect("render thread"))
            .collect()
    })
}

fn flush(
    conn: &mut SqliteConnection,
    batch: &mut Batch,
    category_id: i64,
    author_id: i64,
) -> QueryResult<()> {
    let html = render_all(&batch.posts);
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        for rows in batch.threads.chunks(ROWS_PER_INSERT) {
            let values: Vec<_> = rows
                .iter()
                .map(|t| {
                    (
                        threads::id.eq(t.id),
                        threads::category_id.eq(category_id),
                        threads::author_id.eq(author_id),
                        threads::title.eq(&t.title),
                        threads::kind.eq(t.kind),
                        threads::locked.eq(false),
                        threads::pinned.eq(false),
                        threads::post_count.eq(t.post_count),
                        threads::created_at.eq(t.created_at),
                        threads::last_post_at.eq(t.last_post_at),
                        threads::language.eq(t.language),
                    )
                })
                .collect();
            diesel::insert_into(threads::table)
                .values(values)
                .execute(conn)?;
            let tags: Vec<_> = rows
                .iter()
                .flat_map(|t| {
                    t.tags.iter().map(|code| {
                        (
                            thread_jurisdictions::thread_id.eq(t.id),
                            thread_jurisdictions::code.eq(*code),
                        )
                    })
                })
                .collect();
            diesel::insert_into(thread_jurisdictions::table)
                .values(tags)
                .execute(conn)?;
        }
        for (rows, html) in batch
            .posts
            .chunks(ROWS_PER_INSERT)
            .zip(html.chunks(ROWS_PER_INSERT))
        {
            let values: Vec<_> = rows
                .iter()
                .zip(html)
                .map(|(p, html)| {
                    (
                        posts::id.eq(p.id),
                        posts::thread_id.eq(p.thread_id),
                        posts::author_id.eq(author_id),
                        posts::body.eq(&p.body),
                        posts::body_html.eq(html),
                        posts::revision.eq(1i64),
                        posts::hidden.eq(false),
                        posts::created_at.eq(p.created_at),
                        posts::language.eq(p.language),
                    )
                })
                .collect();
            diesel::insert_into(posts::table)
                .values(values)
                .execute(conn)?;
            let revisions: Vec<_> = rows
                .iter()
                .map(|p| {
                    (
                        post_revisions::post_id.eq(p.id),
                        post_revisions::revision.eq(1i64),
                        post_revisions::body.eq(&p.body),
                        post_revisions::edited_by.eq(author_id),
                        post_revisions::edited_at.eq(p.created_at),
                    )
                })
                .collect();
            diesel::insert_into(post_revisions::table)
                .values(revisions)
                .execute(conn)?;
        }
        Ok(())
    })?;
    batch.threads.clear();
    batch.posts.clear();
    Ok(())
}

/// Writes `total` posts in threads of [`POSTS_PER_THREAD`] straight into
/// the database (the API would take hours): threads, their jurisdiction
/// tags, posts with rendered HTML, and each post's first revision.
fn seed(
    database: &str,
    corpus: &Corpus,
    schedule: &[Lang],
    total: usize,
    category_id: i64,
    author_id: i64,
) -> Seeded {
    let started = Instant::now();
    let mut conn = SqliteConnection::establish(database)
        .unwrap_or_else(|e| fail(&format!("cannot open {database}: {e}")));
    conn.batch_execute(
        "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF;",
    )
    .expect("pragmas");
    let base = NaiveDate::from_ymd_opt(2019, 1, 1)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap();
    let at = |index: i64| base + chrono::Duration::minutes(MINUTES_BETWEEN_POSTS * index);
    let mut cursors = [0usize; 4];
    let mut international = 0;
    let mut batch = Batch::default();
    let mut seeded = Seeded {
        threads: 0,
        posts: 0,
        elapsed: Duration::ZERO,
        by_language: BTreeMap::new(),
        by_tag: BTreeMap::new(),
        passes: BTreeMap::new(),
    };
    while (seeded.posts as usize) < total {
        let index = seeded.threads as usize;
        let lang = schedule[index % schedule.len()];
        let pool = &corpus.pools[lang as usize];
        let n = POSTS_PER_THREAD.min(total - seeded.posts as usize);
        seeded.threads += 1;
        let thread_id = seeded.threads;
        let mut origin = None;
        let first_post = seeded.posts;
        for _ in 0..n {
            let (from, body) = post_text(pool, cursors[lang as usize]);
            cursors[lang as usize] += 1;
            origin.get_or_insert(from);
            batch.posts.push(PostRow {
                id: seeded.posts + 1,
                thread_id,
                body,
                created_at: at(seeded.posts),
                language: lang.code(),
            });
            seeded.posts += 1;
        }
        let tags = tags_for(origin.expect("a thread has posts"), &mut international);
        for tag in &tags {
            *seeded.by_tag.entry(tag).or_default() += n;
        }
        *seeded.by_language.entry(lang.code()).or_default() += n;
        let opening = &batch.posts[batch.posts.len() - n].body;
        batch.threads.push(ThreadRow {
            id: thread_id,
            title: title_of(opening),
            kind: if index.is_multiple_of(5) {
                "question"
            } else {
                "discussion"
            },
            post_count: n as i64,
            created_at: at(first_post),
            last_post_at: at(seeded.posts - 1),
            language: lang.code(),
            tags,
        });
        if batch.posts.len() >= SEED_BATCH {
            flush(&mut conn, &mut batch, category_id, author_id).expect("seed batch");
        }
    }
    flush(&mut conn, &mut batch, category_id, author_id).expect("seed batch");
    conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    for lang in Lang::ALL {
        seeded.passes.insert(
            lang.code(),
            cursors[lang as usize] / corpus.pools[lang as usize].len(),
        );
    }
    seeded.elapsed = started.elapsed();
    seeded
}

/// Opens (creating) the database at `database` with an admin and an open
/// category, made through the library; returns the admin as a viewer and
/// the category's id.
fn open_forum(database: &str) -> (Db, forum_core::Viewer, i64) {
    let db = Db::open(database, 4).unwrap_or_else(|e| fail(&format!("open database: {e}")));
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
        .create_category(
            &viewer,
            "legal-texts",
            "Legal texts",
            "Laws, codes and treaties",
            &[],
        )
        .expect("create category");
    (db, viewer, category.id.into())
}

/// Indexing throughput for posts of one language only: a separate
/// database of `posts` posts, indexed from scratch. Returns docs/s.
fn language_throughput(corpus: &Corpus, lang: Lang, posts: usize) -> (f64, Duration) {
    let temp = tempfile::tempdir().expect("temp dir");
    let database = temp.path().join("forum.db").to_string_lossy().into_owned();
    let (db, viewer, category_id) = open_forum(&database);
    let seeded = seed(
        &database,
        corpus,
        &[lang],
        posts,
        category_id,
        viewer.id.into(),
    );
    let started = Instant::now();
    let rebuilt = forum_server::workers::indexer::reindex(&db, &temp.path().join("search"))
        .unwrap_or_else(|e| fail(&format!("reindex: {e:#}")));
    let elapsed = started.elapsed();
    assert_eq!(rebuilt.posts, seeded.posts as u64, "every post indexed");
    (rebuilt.posts as f64 / elapsed.as_secs_f64(), elapsed)
}

/// One query of the set, with its filters.
struct Case {
    q: &'static str,
    jurisdiction: Option<&'static str>,
    language: Option<&'static str>,
    newest: bool,
}

const fn case(q: &'static str) -> Case {
    Case {
        q,
        jurisdiction: None,
        language: None,
        newest: false,
    }
}

fn cases() -> Vec<Case> {
    vec![
        // English.
        case("customs"),
        case("tobacco products"),
        case("\"illicit trade\""),
        case("corruption public officials"),
        case("sustainable development"),
        case("money laundering"),
        case("counterfeiting"),
        case("trafficking OR smuggling"),
        // French.
        case("contrefaçon"),
        case("marchandises prohibées"),
        case("\"propriété intellectuelle\""),
        case("peine d'emprisonnement"),
        case("mariage"),
        // Spanish.
        case("ley"),
        case("contrabando"),
        case("\"derecho de autor\""),
        case("impuesto a la renta"),
        case("poder ejecutivo"),
        // Arabic.
        case("الدستور"),
        case("الزواج"),
        case("\"الأمم المتحدة\""),
        case("حقوق الإنسان"),
        // Filters and sorting.
        Case {
            jurisdiction: Some("EU"),
            ..case("customs")
        },
        Case {
            jurisdiction: Some("FR"),
            ..case("marchandises")
        },
        Case {
            language: Some("fr"),
            ..case("contrefaçon")
        },
        Case {
            language: Some("fr"),
            ..case("money laundering")
        },
        Case {
            newest: true,
            ..case("ley")
        },
        Case {
            jurisdiction: Some("UY"),
            newest: true,
            ..case("")
        },
        Case {
            jurisdiction: Some("EU"),
            newest: true,
            ..case("counterfeiting")
        },
        Case {
            language: Some("ar"),
            newest: true,
            ..case("الزواج")
        },
    ]
}

impl Case {
    fn label(&self) -> String {
        let mut label = if self.q.is_empty() {
            "(blank)".to_owned()
        } else {
            self.q.to_owned()
        };
        if let Some(j) = self.jurisdiction {
            label.push_str(&format!(" jurisdiction={j}"));
        }
        if let Some(l) = self.language {
            label.push_str(&format!(" language={l}"));
        }
        if self.newest {
            label.push_str(" sort=newest");
        }
        label
    }

    fn request(&self) -> forum_server::search::SearchRequest {
        forum_server::search::SearchRequest {
            q: self.q.to_owned(),
            filters: forum_core::features::index_feed::SearchFilterInput {
                jurisdiction: self.jurisdiction.map(str::to_owned),
                language: self.language.map(str::to_owned),
                ..Default::default()
            },
            sort: self.newest.then(|| "newest".to_owned()),
            ..Default::default()
        }
    }

    fn params(&self) -> Vec<(&'static str, &'static str)> {
        let mut params = vec![("q", self.q)];
        params.extend(self.jurisdiction.map(|j| ("jurisdiction", j)));
        params.extend(self.language.map(|l| ("language", l)));
        if self.newest {
            params.push(("sort", "newest"));
        }
        params
    }

    /// The same search as the server runs for the admin: the members key
    /// (there are no groups), the same filters, the first page.
    fn raw(&self) -> SearchQuery {
        SearchQuery {
            text: self.q.to_owned(),
            acl: vec![MEMBERS_KEY.to_owned()],
            filters: Filters {
                jurisdiction: self.jurisdiction.map(str::to_owned),
                language: self.language.map(str::to_owned),
                ..Filters::default()
            },
            sort: if self.newest {
                Sort::Newest
            } else {
                Sort::Relevance
            },
            offset: 0,
            limit: PER_PAGE,
            ..SearchQuery::default()
        }
    }
}

fn percentile(values: &[Duration], p: f64) -> Duration {
    if values.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = values.to_vec();
    sorted.sort();
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn dir_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => dir_size(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0.0, |kb| kb as f64 / 1048576.0);
    format!("{model}, {cores} cores, {memory:.0} GiB RAM")
}

/// A letters-only word no post contains.
fn unique_word() -> String {
    let mut n: u64 = rand::random();
    let mut word = String::from("zq");
    for _ in 0..12 {
        word.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    word
}

struct Server {
    base: String,
    client: reqwest::Client,
    token: String,
}

impl Server {
    /// One `GET /api/v1/search`, timed from sending to the whole body.
    async fn search(&self, params: &[(&str, &str)]) -> (Duration, Value) {
        let started = Instant::now();
        let response = self
            .client
            .get(format!("{}/api/v1/search", self.base))
            .query(params)
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("search request");
        let status = response.status();
        let body = response.bytes().await.expect("search body");
        let elapsed = started.elapsed();
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        assert_eq!(status, 200, "search {params:?}: {body}");
        (elapsed, body)
    }
}

/// Per query: the HTTP and raw latencies, and what each found.
struct Measured {
    label: String,
    http: Vec<Duration>,
    /// `forum_server::search::find` called in-process: the server's work
    /// without HTTP, authentication and JSON.
    find: Vec<Duration>,
    raw: Vec<Duration>,
    /// The same query on an empty in-memory index: building the query
    /// (glossary expansion, parsing, analysis for every field) and the
    /// collectors, with nothing to match.
    empty: Vec<Duration>,
    http_total: u64,
    raw_total: u64,
    http_hits: usize,
    raw_hits: usize,
}

fn time_raw(index: &SearchIndex, query: &SearchQuery) -> (Duration, SearchResults) {
    let started = Instant::now();
    let results = index.search(query).expect("raw search");
    (started.elapsed(), results)
}

fn main() {
    let total_posts = env_usize("COMITY_BENCH_POSTS", 200_000);
    let rounds = env_usize("COMITY_BENCH_ROUNDS", 20).max(1);
    let probes = env_usize("COMITY_BENCH_FRESHNESS", 100).max(1);
    let language_posts = env_usize("COMITY_BENCH_LANGUAGE_POSTS", 10_000);
    let root = data_root();
    let machine = machine();
    println!("search_load: {total_posts} posts, {rounds} rounds, {probes} freshness probes");
    println!("machine: {machine}");

    // Corpus.
    let started = Instant::now();
    let corpus = load_corpus(&root);
    let corpus_secs = started.elapsed().as_secs_f64();
    for lang in Lang::ALL {
        assert!(
            !corpus.pools[lang as usize].is_empty(),
            "no {} text in the corpus",
            lang.code()
        );
    }
    println!(
        "corpus: {} distinct chunks (en {}, fr {}, es {}, ar {}) from {} in {corpus_secs:.1} s",
        corpus.pools.iter().map(Vec::len).sum::<usize>(),
        corpus.pools[Lang::En as usize].len(),
        corpus.pools[Lang::Fr as usize].len(),
        corpus.pools[Lang::Es as usize].len(),
        corpus.pools[Lang::Ar as usize].len(),
        corpus
            .sources
            .iter()
            .map(|(name, n)| format!("{name}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // Database: admin and category through the library, the rest in bulk.
    let temp = tempfile::tempdir().expect("temp dir");
    let data_dir = temp.path().join("data");
    let database = data_dir.join("forum.db").to_string_lossy().into_owned();
    let settings = Settings {
        bind: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.clone(),
        database_url: Some(database.clone()),
        jwt_secret: Some(JWT_SECRET.to_owned()),
        access_token_ttl_secs: 3600,
        second_factor: "optional".to_owned(),
        ..Settings::default()
    };
    let (db, viewer, category_id) = open_forum(&database);
    let seeded = seed(
        &database,
        &corpus,
        &LANGUAGE_SCHEDULE,
        total_posts,
        category_id,
        viewer.id.into(),
    );
    let db_bytes = std::fs::metadata(&database).map_or(0, |m| m.len());
    println!(
        "seeded: {} posts in {} threads in {:.1} s ({:.0} posts/s), database {:.0} MiB; by language {:?}; by tag {:?}; passes over each pool {:?}",
        seeded.posts,
        seeded.threads,
        seeded.elapsed.as_secs_f64(),
        seeded.posts as f64 / seeded.elapsed.as_secs_f64(),
        db_bytes as f64 / 1048576.0,
        seeded.by_language,
        seeded.by_tag,
        seeded.passes,
    );

    // Indexing throughput: a full build from the database.
    let search_dir = settings.search_dir();
    let started = Instant::now();
    let rebuilt = forum_server::workers::indexer::reindex(&db, &search_dir)
        .unwrap_or_else(|e| fail(&format!("reindex: {e:#}")));
    let reindex_wall = started.elapsed();
    let index_bytes = dir_size(&search_dir);
    let docs_per_sec = rebuilt.posts as f64 / reindex_wall.as_secs_f64();
    println!(
        "indexing: {} posts in {:.1} s = {docs_per_sec:.0} docs/s (build {:.1} s, then swap); index {:.0} MiB",
        rebuilt.posts,
        reindex_wall.as_secs_f64(),
        rebuilt.elapsed.as_secs_f64(),
        index_bytes as f64 / 1048576.0
    );
    assert_eq!(rebuilt.posts, seeded.posts as u64, "every post indexed");
    drop(db);
    // The same, one language at a time, on small separate databases.
    let mut by_language = BTreeMap::new();
    if language_posts > 0 {
        for lang in Lang::ALL {
            let (rate, elapsed) = language_throughput(&corpus, lang, language_posts);
            by_language.insert(lang.code(), rate);
            println!(
                "indexing {} only: {language_posts} posts in {:.1} s = {rate:.0} docs/s",
                lang.code(),
                elapsed.as_secs_f64()
            );
        }
    }

    // The real server, in-process, on that database and index.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let (app_db, search, port, handle) = runtime.block_on(async {
        let app = Application::build(settings)
            .await
            .unwrap_or_else(|e| fail(&format!("server: {e:#}")));
        let port = app.port();
        let db = app.db().clone();
        let search = app.search().clone();
        let server = app.into_server();
        let handle = server.handle();
        tokio::spawn(server);
        (db, search, port, handle)
    });
    let deadline = Instant::now() + Duration::from_secs(900);
    loop {
        let head = app_db.last_event_seq().expect("event log");
        if search.index().is_ok() && search.indexed_seq() >= head {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the index did not catch up with event {head}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let ready_secs = started.elapsed().as_secs_f64();
    let index = search.index().expect("index ready");
    println!(
        "server: ready on port {port} in {ready_secs:.2} s with {} searchable posts",
        index.num_docs()
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let token = runtime.block_on(async {
        let login: Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": "benchadmin", "password": PASSWORD}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("login body");
        login["access_token"]
            .as_str()
            .unwrap_or_else(|| fail(&format!("login failed: {login}")))
            .to_owned()
    });
    let server = Server {
        base,
        client,
        token,
    };

    // Query latency: the same queries over HTTP and on the raw index, in
    // turns, after one unrecorded warm-up round.
    let cases = cases();
    let mut measured: Vec<Measured> = cases
        .iter()
        .map(|c| Measured {
            label: c.label(),
            http: Vec::new(),
            find: Vec::new(),
            raw: Vec::new(),
            empty: Vec::new(),
            http_total: 0,
            raw_total: 0,
            http_hits: 0,
            raw_hits: 0,
        })
        .collect();
    let raw_queries: Vec<SearchQuery> = cases.iter().map(Case::raw).collect();
    let requests: Vec<_> = cases.iter().map(Case::request).collect();
    let empty_index = SearchIndex::open_in_ram().expect("empty index");
    let started = Instant::now();
    for round in 0..=rounds {
        for (case, m) in cases.iter().zip(&mut measured) {
            let (elapsed, body) = runtime.block_on(server.search(&case.params()));
            if round == 0 {
                m.http_total = body["total"].as_u64().unwrap_or_default();
                m.http_hits = body["hits"].as_array().map_or(0, Vec::len);
            } else {
                m.http.push(elapsed);
            }
        }
        for (request, m) in requests.iter().zip(&mut measured) {
            let started = Instant::now();
            let found = forum_server::search::find(&app_db, &search, &viewer, request);
            let elapsed = started.elapsed();
            assert!(found.is_ok(), "find {}", m.label);
            if round > 0 {
                m.find.push(elapsed);
            }
        }
        for (query, m) in raw_queries.iter().zip(&mut measured) {
            let (elapsed, _) = time_raw(&empty_index, query);
            if round > 0 {
                m.empty.push(elapsed);
            }
        }
        for (query, m) in raw_queries.iter().zip(&mut measured) {
            let (elapsed, results) = time_raw(&index, query);
            if round == 0 {
                m.raw_total = results.total as u64;
                m.raw_hits = results.hits.len();
            } else {
                m.raw.push(elapsed);
            }
        }
    }
    let query_secs = started.elapsed().as_secs_f64();
    let all_http: Vec<Duration> = measured.iter().flat_map(|m| m.http.clone()).collect();
    let all_find: Vec<Duration> = measured.iter().flat_map(|m| m.find.clone()).collect();
    let all_raw: Vec<Duration> = measured.iter().flat_map(|m| m.raw.clone()).collect();
    let all_empty: Vec<Duration> = measured.iter().flat_map(|m| m.empty.clone()).collect();
    let ratio = |a: Duration, b: Duration| ms(a) / ms(b).max(1e-6);
    let (http_p50, http_p99) = (percentile(&all_http, 0.5), percentile(&all_http, 0.99));
    let (find_p50, find_p99) = (percentile(&all_find, 0.5), percentile(&all_find, 0.99));
    let (raw_p50, raw_p99) = (percentile(&all_raw, 0.5), percentile(&all_raw, 0.99));
    println!(
        "\nqueries ({} queries x {rounds} rounds each way, after 1 warm-up round; {query_secs:.1} s):",
        cases.len()
    );
    println!(
        "  {:<48} {:>8} {:>5} | {:>9} {:>9} | {:>9} {:>9} | {:>9} {:>9} | {:>7} | {:>9}",
        "query",
        "total",
        "hits",
        "HTTP p50",
        "p99",
        "find p50",
        "p99",
        "raw p50",
        "p99",
        "p50 x",
        "empty p50"
    );
    let mut mismatches = Vec::new();
    for m in &measured {
        let (h50, r50) = (percentile(&m.http, 0.5), percentile(&m.raw, 0.5));
        println!(
            "  {:<48} {:>8} {:>5} | {:>6.2} ms {:>6.2} ms | {:>6.2} ms {:>6.2} ms | {:>6.2} ms {:>6.2} ms | {:>6.1}x | {:>6.2} ms",
            m.label,
            m.raw_total,
            m.http_hits,
            ms(h50),
            ms(percentile(&m.http, 0.99)),
            ms(percentile(&m.find, 0.5)),
            ms(percentile(&m.find, 0.99)),
            ms(r50),
            ms(percentile(&m.raw, 0.99)),
            ratio(h50, r50),
            ms(percentile(&m.empty, 0.5))
        );
        if m.http_total != m.raw_total || m.http_hits != m.raw_hits {
            mismatches.push(format!(
                "{}: HTTP total {} ({} hits), raw total {} ({} hits)",
                m.label, m.http_total, m.http_hits, m.raw_total, m.raw_hits
            ));
        }
    }
    let mean_total =
        measured.iter().map(|m| m.raw_total as f64).sum::<f64>() / measured.len() as f64;
    let mean_hits =
        measured.iter().map(|m| m.http_hits as f64).sum::<f64>() / measured.len() as f64;
    println!(
        "  all queries: HTTP p50 {:.2} ms, p99 {:.2} ms | find p50 {:.2} ms, p99 {:.2} ms | raw p50 {:.2} ms, p99 {:.2} ms | ratio HTTP/raw p50 {:.2}x, p99 {:.2}x",
        ms(http_p50),
        ms(http_p99),
        ms(find_p50),
        ms(find_p99),
        ms(raw_p50),
        ms(raw_p99),
        ratio(http_p50, raw_p50),
        ratio(http_p99, raw_p99)
    );
    println!(
        "  the same queries on an empty index (query building alone): p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&all_empty, 0.5)),
        ms(percentile(&all_empty, 0.99))
    );
    println!(
        "  mean per query: {mean_total:.0} matching posts (total), {mean_hits:.1} hits returned"
    );
    for mismatch in &mismatches {
        println!("  MISMATCH {mismatch}");
    }

    // Freshness: a reply with a word of its own, then search for the word
    // every 10 ms until the reply is found.
    let threads = seeded.threads;
    let started = Instant::now();
    let mut fresh = Vec::with_capacity(probes);
    let mut polls = 0usize;
    for i in 0..probes {
        let word = unique_word();
        let thread_id = (i as i64 * 7_919) % threads + 1;
        let (elapsed, tries) = runtime.block_on(async {
            let response = server
                .client
                .post(format!("{}/api/v1/threads/{thread_id}/posts", server.base))
                .bearer_auth(&server.token)
                .json(&json!({
                    "body": format!("Freshness probe {word}: the customs seizure report under Article 15 of the Protocol."),
                    "language": "en",
                }))
                .send()
                .await
                .expect("reply");
            let created = Instant::now();
            let status = response.status();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            assert_eq!(status, 201, "reply: {body}");
            let post_id = body["id"].as_i64().expect("post id");
            let mut tries = 0;
            loop {
                tries += 1;
                let (_, found) = server.search(&[("q", word.as_str()), ("per_page", "5")]).await;
                let hit = found["hits"]
                    .as_array()
                    .is_some_and(|hits| hits.iter().any(|h| h["post_id"].as_i64() == Some(post_id)));
                if hit {
                    return (created.elapsed(), tries);
                }
                assert!(
                    created.elapsed() < Duration::from_secs(60),
                    "reply {post_id} not searchable after a minute"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        fresh.push(elapsed);
        polls += tries;
    }
    let fresh_secs = started.elapsed().as_secs_f64();
    let fresh_max = fresh.iter().copied().max().unwrap_or_default();
    println!(
        "\nfreshness ({probes} replies, search polled every 10 ms, commit_interval_ms {}; {fresh_secs:.1} s): 201 -> searchable p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {:.1} searches per reply",
        forum_server::config::SearchSettings::default().commit_interval_ms,
        ms(percentile(&fresh, 0.5)),
        ms(percentile(&fresh, 0.99)),
        ms(fresh_max),
        polls as f64 / probes as f64
    );

    let report = json!({
        "machine": machine,
        "posts": seeded.posts,
        "threads": seeded.threads,
        "by_language": seeded.by_language,
        "by_tag": seeded.by_tag,
        "pool_passes": seeded.passes,
        "distinct_chunks": corpus.pools.iter().map(Vec::len).sum::<usize>(),
        "seed_secs": seeded.elapsed.as_secs_f64(),
        "database_bytes": db_bytes,
        "indexing": {
            "posts": rebuilt.posts,
            "secs": reindex_wall.as_secs_f64(),
            "build_secs": rebuilt.elapsed.as_secs_f64(),
            "docs_per_sec": docs_per_sec,
            "index_bytes": index_bytes,
            "one_language_posts": language_posts,
            "one_language_docs_per_sec": by_language,
        },
        "queries": {
            "rounds": rounds,
            "per_page": PER_PAGE,
            "http_p50_ms": ms(http_p50),
            "http_p99_ms": ms(http_p99),
            "find_p50_ms": ms(find_p50),
            "find_p99_ms": ms(find_p99),
            "raw_p50_ms": ms(raw_p50),
            "raw_p99_ms": ms(raw_p99),
            "empty_index_p50_ms": ms(percentile(&all_empty, 0.5)),
            "empty_index_p99_ms": ms(percentile(&all_empty, 0.99)),
            "ratio_p50": ratio(http_p50, raw_p50),
            "ratio_p99": ratio(http_p99, raw_p99),
            "mean_total": mean_total,
            "mean_hits": mean_hits,
            "mismatches": mismatches,
            "each": measured.iter().map(|m| json!({
                "query": m.label,
                "total": m.raw_total,
                "hits": m.http_hits,
                "http_p50_ms": ms(percentile(&m.http, 0.5)),
                "http_p99_ms": ms(percentile(&m.http, 0.99)),
                "find_p50_ms": ms(percentile(&m.find, 0.5)),
                "find_p99_ms": ms(percentile(&m.find, 0.99)),
                "raw_p50_ms": ms(percentile(&m.raw, 0.5)),
                "raw_p99_ms": ms(percentile(&m.raw, 0.99)),
                "empty_index_p50_ms": ms(percentile(&m.empty, 0.5)),
            })).collect::<Vec<_>>(),
        },
        "freshness": {
            "replies": probes,
            "p50_ms": ms(percentile(&fresh, 0.5)),
            "p99_ms": ms(percentile(&fresh, 0.99)),
            "max_ms": ms(fresh_max),
            "searches_per_reply": polls as f64 / probes as f64,
        },
    });
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/search_load.json");
    match std::fs::write(&out, serde_json::to_string_pretty(&report).unwrap()) {
        Ok(()) => println!("\nreport written to {}", out.display()),
        Err(e) => println!("\ncannot write {}: {e}", out.display()),
    }
    runtime.block_on(handle.stop(true));
}
