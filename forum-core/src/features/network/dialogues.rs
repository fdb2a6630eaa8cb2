//! Dialogues: country and regional publications staff compile from
//! analyses and published colloquium conclusions — "Country dialogue:
//! Morocco 2026" — with a title page, a table of contents, each chapter's
//! citations and jurisdictions. Only `CLEAR` and `GREEN` material goes in:
//! a thread is refused when compiled under a stricter mark, and a chapter
//! whose thread (or opening post) has since been marked stricter, hidden
//! or moved out of a reader's sight is left out when the dialogue is read,
//! so neither the page nor its PDF ever carries more than `GREEN`.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::access::{self, Viewer};
use crate::domain::mark::Mark;
use crate::domain::markdown::{self, SanitizedHtml};
use crate::domain::{ThreadKind, parse_line};
use crate::error::{CoreError, ErrorCode, Result};
use crate::features::forum::authors;
use crate::now;
use crate::store::db::{Db, DbConnection};
use crate::store::ids::*;
use crate::store::schema::{colloquia, dialogue_items, dialogue_jurisdictions, dialogues, threads};
use crate::views::{AnalysisView, AuthorView};

/// Most chapters in one dialogue.
pub const MAX_CHAPTERS: usize = 100;

/// A dialogue as staff compile it.
#[derive(Debug, Clone, Copy)]
pub struct DialogueInput<'a> {
    pub title: &'a str,
    /// Markdown: the foreword.
    pub intro: &'a str,
    pub jurisdictions: &'a [String],
    /// Its chapters, in order: analyses and published conclusions.
    pub threads: &'a [ThreadId],
}

/// A chapter: one analysis or conclusions, as the reader may read it.
#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    pub thread_id: ThreadId,
    pub title: String,
    pub kind: ThreadKind,
    pub mark: Mark,
    pub author: AuthorView,
    pub jurisdictions: Vec<String>,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    /// The opening post's text.
    pub body: String,
    #[serde(skip)]
    pub body_html: SanitizedHtml,
    /// The analysis record (summary, provisions, cases), for analyses.
    pub analysis: Option<AnalysisView>,
    /// The colloquium these are the conclusions of.
    pub colloquium: Option<ColloquiumId>,
}

/// A dialogue as `viewer` may read it.
#[derive(Debug, Clone, Serialize)]
pub struct Dialogue {
    pub id: DialogueId,
    pub title: String,
    pub intro: String,
    #[serde(skip)]
    pub intro_html: SanitizedHtml,
    pub jurisdictions: Vec<String>,
    pub compiled_by: AuthorView,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub updated_at: NaiveDateTime,
    pub chapters: Vec<Chapter>,
    /// Chapters left out for this reader (no longer `CLEAR`/`GREEN`, or
    /// out of their sight).
    pub omitted: usize,
}

impl Dialogue {
    /// The strictest mark it carries: `GREEN` or `CLEAR`.
    pub fn mark(&self) -> Mark {
        self.chapters
            .iter()
            .map(|c| c.mark)
            .max()
            .unwrap_or(Mark::Clear)
    }
}

/// A dialogue in the list.
#[derive(Debug, Clone, Serialize)]
pub struct DialogueSummary {
    pub id: DialogueId,
    pub title: String,
    pub jurisdictions: Vec<String>,
    pub chapters: usize,
    #[serde(serialize_with = "crate::serialize_rfc3339")]
    pub updated_at: NaiveDateTime,
}

/// Whether a chapter's thread may be published in a dialogue.
fn publishable(mark: Mark) -> bool {
    mark <= Mark::Green
}

fn staff_only(viewer: &Viewer) -> Result<()> {
    access::check_second_factor(viewer)?;
    if !access::can_compile_dialogues(viewer) {
        return Err(CoreError::forbidden(
            ErrorCode::ModeratorsOnly,
            "dialogues are compiled by moderators and admins",
        ));
    }
    Ok(())
}

impl Db {
    /// The chapter `thread` as `viewer` reads it, or `None` when it may not
    /// go in a dialogue for them (unreadable, stricter than `GREEN`, its
    /// opening post stricter or hidden).
    fn chapter(&self, viewer: &Viewer, thread: ThreadId) -> Result<Option<Chapter>> {
        let view = match self.thread(viewer, thread) {
            Ok(v) => v,
            Err(CoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(first) = view.posts.first() else {
            return Ok(None);
        };
        if !publishable(view.thread.mark) || !publishable(first.mark) || first.hidden {
            return Ok(None);
        }
        let colloquium: Option<ColloquiumId> = self.read(|conn| {
            Ok(colloquia::table
                .filter(colloquia::conclusions_thread_id.eq(thread))
                .select(colloquia::id)
                .first(conn)
                .optional()?)
        })?;
        Ok(Some(Chapter {
            thread_id: view.thread.id,
            title: view.thread.title.clone(),
            kind: view.thread.kind,
            mark: view.thread.mark.max(first.mark),
            author: view.thread.author.clone(),
            jurisdictions: view.thread.jurisdictions.clone(),
            created_at: view.thread.created_at,
            body: first.body.clone(),
            body_html: first.body_html.clone(),
            analysis: view.analysis,
            colloquium,
        }))
    }

    /// 422 `thread_ids` unless every thread is an analysis or published
    /// conclusions `viewer` reads, `CLEAR` or `GREEN`, named once.
    fn check_chapters(&self, viewer: &Viewer, threads: &[ThreadId]) -> Result<()> {
        if threads.is_empty() {
            return Err(CoreError::invalid(
                "thread_ids",
                "choose at least one analysis",
            ));
        }
        if threads.len() > MAX_CHAPTERS {
            return Err(CoreError::invalid(
                "thread_ids",
                format!("at most {MAX_CHAPTERS} chapters"),
            ));
        }
        if threads.iter().collect::<HashSet<_>>().len() != threads.len() {
            return Err(CoreError::invalid("thread_ids", "a thread is named twice"));
        }
        for &thread in threads {
            let Some(chapter) = self.chapter(viewer, thread)? else {
                return Err(CoreError::invalid(
                    "thread_ids",
                    format!(
                        "thread {thread} is unknown, or marked stricter than GREEN: only CLEAR and GREEN material is published"
                    ),
                ));
            };
            if chapter.kind != ThreadKind::Analysis && chapter.colloquium.is_none() {
                return Err(CoreError::invalid(
                    "thread_ids",
                    format!(
                        "thread {thread} is neither an analysis nor a colloquium's conclusions"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Compiles a dialogue (staff). 422 on `title`, `intro`,
    /// `jurisdictions` or `thread_ids` (see [`Db::update_dialogue`]).
    pub fn create_dialogue(&self, viewer: &Viewer, input: &DialogueInput<'_>) -> Result<Dialogue> {
        staff_only(viewer)?;
        let (title, intro, codes) = parse_input(input)?;
        self.check_chapters(viewer, input.threads)?;
        let id = self.write(|conn| {
            let at = now();
            let id: DialogueId = diesel::insert_into(dialogues::table)
                .values((
                    dialogues::title.eq(&title),
                    dialogues::intro.eq(&intro),
                    dialogues::created_by.eq(viewer.id),
                    dialogues::created_at.eq(at),
                    dialogues::updated_at.eq(at),
                ))
                .returning(dialogues::id)
                .get_result(conn)?;
            store_parts(conn, id, &codes, input.threads)?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "dialogue.create",
                    target: format!("dialogue:{id}"),
                    reason: "",
                    details: serde_json::json!({ "chapters": input.threads.len() }),
                },
            )?;
            Ok(id)
        })?;
        self.dialogue(viewer, id)
    }

    /// Replaces a dialogue's title, foreword, jurisdictions and chapters
    /// (staff); the same rules as when it was compiled.
    pub fn update_dialogue(
        &self,
        viewer: &Viewer,
        id: DialogueId,
        input: &DialogueInput<'_>,
    ) -> Result<Dialogue> {
        staff_only(viewer)?;
        let (title, intro, codes) = parse_input(input)?;
        self.check_chapters(viewer, input.threads)?;
        self.write(|conn| {
            let found = diesel::update(dialogues::table.find(id))
                .set((
                    dialogues::title.eq(&title),
                    dialogues::intro.eq(&intro),
                    dialogues::updated_at.eq(now()),
                ))
                .execute(conn)?;
            if found == 0 {
                return Err(CoreError::NotFound);
            }
            diesel::delete(dialogue_items::table.filter(dialogue_items::dialogue_id.eq(id)))
                .execute(conn)?;
            diesel::delete(
                dialogue_jurisdictions::table.filter(dialogue_jurisdictions::dialogue_id.eq(id)),
            )
            .execute(conn)?;
            store_parts(conn, id, &codes, input.threads)?;
            crate::store::audit::append(
                conn,
                crate::store::audit::Entry {
                    actor: Some(viewer.id),
                    action: "dialogue.update",
                    target: format!("dialogue:{id}"),
                    reason: "",
                    details: serde_json::json!({ "chapters": input.threads.len() }),
                },
            )?;
            Ok(())
        })?;
        self.dialogue(viewer, id)
    }

    /// What `viewer` may put in a dialogue: the `CLEAR` and `GREEN`
    /// analyses and published conclusions they read, newest first, with
    /// their jurisdictions (at most 300).
    pub fn dialogue_candidates(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<(ThreadId, String, Vec<String>)>> {
        staff_only(viewer)?;
        self.read(|conn| {
            let readable = crate::access::visibility::readable(conn, viewer)?;
            let conclusions = colloquia::table
                .filter(colloquia::conclusions_thread_id.is_not_null())
                .select(colloquia::conclusions_thread_id.assume_not_null());
            let rows: Vec<(ThreadId, String)> = threads::table
                .filter(threads::category_id.eq_any(&readable.categories))
                .filter(threads::id.ne_all(&readable.hidden_threads))
                .filter(threads::mark.eq_any([Mark::Clear.as_str(), Mark::Green.as_str()]))
                .filter(
                    threads::kind
                        .eq(ThreadKind::Analysis.as_str())
                        .or(threads::id.eq_any(conclusions)),
                )
                .order(threads::id.desc())
                .limit(300)
                .select((threads::id, threads::title))
                .load(conn)?;
            let ids: Vec<ThreadId> = rows.iter().map(|r| r.0).collect();
            let mut codes = crate::features::forum::jurisdictions_of(conn, &ids)?;
            Ok(rows
                .into_iter()
                .map(|(id, title)| (id, title, codes.remove(&id).unwrap_or_default()))
                .collect())
        })
    }

    /// The dialogues, newest first (guests see none).
    pub fn dialogues(&self, viewer: &Viewer) -> Result<Vec<DialogueSummary>> {
        if !access::can_read_dialogues(viewer) {
            return Ok(Vec::new());
        }
        self.read(|conn| {
            let rows: Vec<(DialogueId, String, NaiveDateTime)> = dialogues::table
                .order(dialogues::updated_at.desc())
                .select((dialogues::id, dialogues::title, dialogues::updated_at))
                .load(conn)?;
            let mut list = Vec::new();
            for (id, title, updated_at) in rows {
                let (codes, threads) = parts(conn, id)?;
                list.push(DialogueSummary {
                    id,
                    title,
                    jurisdictions: codes,
                    chapters: threads.len(),
                    updated_at,
                });
            }
            Ok(list)
        })
    }

    /// One dialogue as `viewer` may read it: its chapters re-checked now.
    pub fn dialogue(&self, viewer: &Viewer, id: DialogueId) -> Result<Dialogue> {
        if !access::can_read_dialogues(viewer) {
            return Err(CoreError::NotFound);
        }
        type Head = (String, String, UserId, NaiveDateTime, NaiveDateTime);
        let (head, codes, threads, compiler) = self.read(|conn| {
            let head: Head = dialogues::table
                .find(id)
                .select((
                    dialogues::title,
                    dialogues::intro,
                    dialogues::created_by,
                    dialogues::created_at,
                    dialogues::updated_at,
                ))
                .first(conn)
                .optional()?
                .ok_or(CoreError::NotFound)?;
            let (codes, threads) = parts(conn, id)?;
            let compiler = authors(conn, [head.2])?.remove(&head.2);
            Ok((head, codes, threads, compiler))
        })?;
        let mut chapters = Vec::new();
        for thread in &threads {
            if let Some(chapter) = self.chapter(viewer, *thread)? {
                chapters.push(chapter);
            }
        }
        let (title, intro, by, created_at, updated_at) = head;
        Ok(Dialogue {
            id,
            title,
            intro_html: markdown::render(&intro),
            intro,
            jurisdictions: codes,
            compiled_by: compiler.unwrap_or_else(|| AuthorView {
                id: by,
                username: String::new(),
                display_name: String::new(),
            }),
            created_at,
            updated_at,
            omitted: threads.len() - chapters.len(),
            chapters,
        })
    }
}

fn parse_input(input: &DialogueInput<'_>) -> Result<(String, String, Vec<String>)> {
    let title = parse_line("title", input.title, 3, 200)?;
    let intro = crate::domain::parse_text("intro", input.intro, 20_000)?;
    let codes = crate::domain::analysis::parse_jurisdictions(input.jurisdictions)?
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    Ok((title, intro, codes))
}

fn store_parts(
    conn: &mut DbConnection,
    id: DialogueId,
    codes: &[String],
    threads: &[ThreadId],
) -> Result<()> {
    for code in codes {
        diesel::insert_into(dialogue_jurisdictions::table)
            .values((
                dialogue_jurisdictions::dialogue_id.eq(id),
                dialogue_jurisdictions::code.eq(code),
            ))
            .execute(conn)?;
    }
    for (position, thread) in threads.iter().enumerate() {
        diesel::insert_into(dialogue_items::table)
            .values((
                dialogue_items::dialogue_id.eq(id),
                dialogue_items::position.eq(position as i64),
                dialogue_items::thread_id.eq(thread),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn parts(conn: &mut DbConnection, id: DialogueId) -> Result<(Vec<String>, Vec<ThreadId>)> {
    let codes: Vec<String> = dialogue_jurisdictions::table
        .filter(dialogue_jurisdictions::dialogue_id.eq(id))
        .order(dialogue_jurisdictions::code.asc())
        .select(dialogue_jurisdictions::code)
        .load(conn)?;
    let threads: Vec<ThreadId> = dialogue_items::table
        .filter(dialogue_items::dialogue_id.eq(id))
        .order(dialogue_items::position.asc())
        .select(dialogue_items::thread_id)
        .load(conn)?;
    Ok((codes, threads))
}
