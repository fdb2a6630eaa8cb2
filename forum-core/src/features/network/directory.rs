//! The expert directory: profiles (organisation, languages, crime areas,
//! instruments and jurisdictions of expertise, a short bio), who may find
//! them, and what each member contributed.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::access::{self, Viewer};
use crate::domain::instruments;
use crate::domain::jurisdictions;
use crate::domain::{
    ContentLanguage, CrimeArea, DirectoryVisibility, DisplayName, Profession, ThreadKind,
    parse_line, parse_text,
};
use crate::error::{CoreError, Result};
use crate::store::db::{Db, DbConnection};
use crate::store::event_payloads::{AccountUpdated, Event};
use crate::store::events;
use crate::store::ids::*;
use crate::store::schema::{
    endorsements, posts, profiles, routed_questions, threads, user_expertise, users,
};

/// Most values of each list a profile may carry.
pub const MAX_LIST: usize = 30;

/// A member's directory profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpertProfile {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub country: String,
    pub profession: String,
    pub organisation: String,
    pub bio: String,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub crime_areas: Vec<String>,
    /// Instrument ids of `GET /api/v1/instruments`.
    pub instruments: Vec<String>,
    /// Countries and regions whose law the member knows.
    pub expertise_jurisdictions: Vec<String>,
    pub directory_visibility: DirectoryVisibility,
    /// Takes no routed questions for now.
    pub routing_paused: bool,
}

impl ExpertProfile {
    /// Does the member know the law of `code` (a country or region): their
    /// own country, or a jurisdiction of expertise that is it, lies within
    /// it, or contains it?
    pub fn knows(&self, code: &str) -> bool {
        jurisdictions::covers(code, &self.country)
            || self.expertise_jurisdictions.iter().any(|e| {
                e == code
                    || jurisdictions::covers(code, e)
                    || jurisdictions::covers(e, code)
                    || jurisdictions::containing(e).iter().any(|r| r == code)
            })
    }
}

/// Changes to one's own profile; absent fields stay.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfileUpdate<'a> {
    pub display_name: Option<&'a str>,
    pub organisation: Option<&'a str>,
    pub languages: Option<&'a [String]>,
    pub crime_areas: Option<&'a [String]>,
    pub instruments: Option<&'a [String]>,
    pub expertise_jurisdictions: Option<&'a [String]>,
    pub bio: Option<&'a str>,
    pub directory_visibility: Option<&'a str>,
    pub routing_paused: Option<bool>,
}

/// What the directory is filtered by (each absent: any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpertFilter {
    /// A country or region: members of it, or who know its law.
    pub jurisdiction: Option<String>,
    pub language: Option<String>,
    pub crime_area: Option<String>,
    pub instrument: Option<String>,
    pub profession: Option<String>,
}

impl ExpertFilter {
    /// Checks every value: an unknown one is a 422 naming its parameter.
    pub fn validated(self) -> Result<ExpertFilter> {
        let blank = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let jurisdiction = blank(self.jurisdiction).map(|j| j.to_ascii_uppercase());
        if let Some(code) = &jurisdiction
            && jurisdictions::get(code).is_none()
        {
            return Err(CoreError::invalid(
                "jurisdiction",
                "unknown country or region code",
            ));
        }
        let language = blank(self.language)
            .map(|l| parse_language("language", &l))
            .transpose()?;
        let crime_area = blank(self.crime_area)
            .map(|c| CrimeArea::parse(&c).map_err(|_| unknown("crime_area", &c)))
            .transpose()?
            .map(|c| c.as_str().to_owned());
        let instrument = blank(self.instrument)
            .map(|i| parse_instrument("instrument", &i))
            .transpose()?;
        let profession = blank(self.profession)
            .map(|p| Profession::parse(&p).map_err(|_| unknown("profession", &p)))
            .transpose()?
            .map(|p| p.as_str().to_owned());
        Ok(ExpertFilter {
            jurisdiction,
            language,
            crime_area,
            instrument,
            profession,
        })
    }

    fn admits(&self, p: &ExpertProfile) -> bool {
        self.jurisdiction.as_deref().is_none_or(|j| p.knows(j))
            && self
                .language
                .as_ref()
                .is_none_or(|l| p.languages.contains(l))
            && self
                .crime_area
                .as_ref()
                .is_none_or(|c| p.crime_areas.contains(c))
            && self
                .instrument
                .as_ref()
                .is_none_or(|i| p.instruments.contains(i))
            && self.profession.as_ref().is_none_or(|x| &p.profession == x)
    }
}

/// What a member contributed, as a reader may see it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Contributions {
    /// Analyses they wrote that the reader may read.
    pub analyses: i64,
    /// Endorsements those analyses received.
    pub endorsements_received: i64,
    /// Their answers an asker accepted.
    pub answers_accepted: i64,
}

fn unknown(field: &'static str, value: &str) -> CoreError {
    let short: String = value.chars().take(40).collect();
    CoreError::invalid(field, format!("'{short}' is not a known value"))
}

fn parse_language(field: &'static str, raw: &str) -> Result<String> {
    let code = ContentLanguage::parse(raw).map_err(|_| {
        CoreError::invalid(field, "must be ISO 639-1 codes such as en, fr, es or ar")
    })?;
    if code.as_str() == ContentLanguage::UNDETERMINED {
        return Err(CoreError::invalid(
            field,
            "must be ISO 639-1 codes such as en, fr, es or ar",
        ));
    }
    Ok(code.as_str().to_owned())
}

fn parse_instrument(field: &'static str, raw: &str) -> Result<String> {
    let id = raw.trim().to_ascii_lowercase();
    if instruments::get(&id).is_none() {
        return Err(unknown(field, raw));
    }
    Ok(id)
}

/// Sorted, without repeats, at most [`MAX_LIST`].
fn list(
    field: &'static str,
    raw: &[String],
    parse: impl Fn(&str) -> Result<String>,
) -> Result<Vec<String>> {
    let mut out = raw
        .iter()
        .map(|v| parse(v.trim()))
        .collect::<Result<Vec<_>>>()?;
    out.sort();
    out.dedup();
    if out.len() > MAX_LIST {
        return Err(CoreError::invalid(
            field,
            format!("at most {MAX_LIST} values"),
        ));
    }
    Ok(out)
}

/// A user's columns and their profile's (absent without a profile row),
/// and when a suspension ends.
type ProfileRow = (
    UserId,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<bool>,
    Option<chrono::NaiveDateTime>,
);

/// The profiles of every member, or of `only`, by id, each with the end
/// of its suspension.
fn load_profiles(
    conn: &mut DbConnection,
    only: Option<UserId>,
) -> Result<Vec<(ExpertProfile, Option<chrono::NaiveDateTime>)>> {
    let mut people = users::table
        .left_join(profiles::table)
        .select((
            users::id,
            users::username,
            users::display_name,
            users::country,
            users::profession,
            profiles::organisation.nullable(),
            profiles::bio.nullable(),
            profiles::directory_visibility.nullable(),
            profiles::routing_paused.nullable(),
            users::suspended_until,
        ))
        .order(users::id)
        .into_boxed();
    let mut expertise = user_expertise::table
        .select((
            user_expertise::user_id,
            user_expertise::kind,
            user_expertise::value,
        ))
        .order((
            user_expertise::user_id,
            user_expertise::kind,
            user_expertise::value,
        ))
        .into_boxed();
    if let Some(user) = only {
        people = people.filter(users::id.eq(user));
        expertise = expertise.filter(user_expertise::user_id.eq(user));
    }
    let rows: Vec<ProfileRow> = people.load(conn)?;
    let mut by_user: HashMap<UserId, Vec<(String, String)>> = HashMap::new();
    for (user, kind, value) in expertise.load::<(UserId, String, String)>(conn)? {
        by_user.entry(user).or_default().push((kind, value));
    }
    rows.into_iter()
        .map(|r| {
            let values = by_user.remove(&r.0).unwrap_or_default();
            let suspended_until = r.9;
            Ok((profile_of(r, values)?, suspended_until))
        })
        .collect()
}

/// Every profile, by id; suspended members are left out.
pub(crate) fn all_profiles(conn: &mut DbConnection) -> Result<Vec<ExpertProfile>> {
    let now = crate::now();
    Ok(load_profiles(conn, None)?
        .into_iter()
        .filter(|(_, until)| until.is_none_or(|until| until <= now))
        .map(|(p, _)| p)
        .collect())
}

fn profile_of(row: ProfileRow, rows: Vec<(String, String)>) -> Result<ExpertProfile> {
    let (id, username, display_name, country, profession, organisation, bio, visibility, paused, _) =
        row;
    let of = |kind: &str| -> Vec<String> {
        rows.iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, v)| v.clone())
            .collect()
    };
    Ok(ExpertProfile {
        id,
        username,
        display_name,
        country,
        profession,
        organisation: organisation.unwrap_or_default(),
        bio: bio.unwrap_or_default(),
        languages: of("language"),
        crime_areas: of("crime_area"),
        instruments: of("instrument"),
        expertise_jurisdictions: of("jurisdiction"),
        directory_visibility: match visibility {
            Some(v) => DirectoryVisibility::parse(&v)?,
            None => DirectoryVisibility::Members,
        },
        routing_paused: paused.unwrap_or(false),
    })
}

/// One member's profile, suspended or not.
pub(crate) fn profile_in(conn: &mut DbConnection, user: UserId) -> Result<ExpertProfile> {
    load_profiles(conn, Some(user))?
        .pop()
        .map(|(p, _)| p)
        .ok_or(CoreError::NotFound)
}

/// The profiles `viewer` finds in the directory under `filter`, by id.
pub(crate) fn directory_in(
    conn: &mut DbConnection,
    viewer: &Viewer,
    filter: &ExpertFilter,
) -> Result<Vec<ExpertProfile>> {
    Ok(all_profiles(conn)?
        .into_iter()
        .filter(|p| access::can_see_in_directory(viewer, p.directory_visibility))
        .filter(|p| filter.admits(p))
        .collect())
}

fn replace_list(
    conn: &mut DbConnection,
    user: UserId,
    kind: &str,
    values: &[String],
) -> Result<()> {
    diesel::delete(
        user_expertise::table
            .filter(user_expertise::user_id.eq(user))
            .filter(user_expertise::kind.eq(kind)),
    )
    .execute(conn)?;
    for value in values {
        diesel::insert_into(user_expertise::table)
            .values((
                user_expertise::user_id.eq(user),
                user_expertise::kind.eq(kind),
                user_expertise::value.eq(value),
            ))
            .execute(conn)?;
    }
    Ok(())
}

impl Db {
    /// Changes `viewer`'s own profile; every value is checked first, and a
    /// bad one changes nothing (422 naming its field).
    pub fn update_profile(
        &self,
        viewer: &Viewer,
        update: &ProfileUpdate<'_>,
    ) -> Result<ExpertProfile> {
        access::check_second_factor(viewer)?;
        let display_name = update.display_name.map(DisplayName::parse).transpose()?;
        let organisation = update
            .organisation
            .map(|o| parse_line("organisation", o, 0, 200))
            .transpose()?;
        let bio = update.bio.map(|b| parse_text("bio", b, 2000)).transpose()?;
        let visibility = update
            .directory_visibility
            .map(DirectoryVisibility::parse)
            .transpose()?;
        let languages = update
            .languages
            .map(|l| list("languages", l, |v| parse_language("languages", v)))
            .transpose()?;
        let crime_areas = update
            .crime_areas
            .map(|l| {
                list("crime_areas", l, |v| {
                    CrimeArea::parse(v)
                        .map(|c| c.as_str().to_owned())
                        .map_err(|_| unknown("crime_areas", v))
                })
            })
            .transpose()?;
        let instruments = update
            .instruments
            .map(|l| list("instruments", l, |v| parse_instrument("instruments", v)))
            .transpose()?;
        let jurisdictions = update
            .expertise_jurisdictions
            .map(|l| {
                list("expertise_jurisdictions", l, |v| {
                    let code = v.to_ascii_uppercase();
                    jurisdictions::get(&code)
                        .map(|_| code)
                        .ok_or_else(|| unknown("expertise_jurisdictions", v))
                })
            })
            .transpose()?;
        self.write(|conn| {
            if let Some(name) = &display_name {
                diesel::update(users::table.find(viewer.id))
                    .set(users::display_name.eq(name.as_str()))
                    .execute(conn)?;
            }
            let now = profile_in(conn, viewer.id)?;
            diesel::delete(profiles::table.find(viewer.id)).execute(conn)?;
            diesel::insert_into(profiles::table)
                .values((
                    profiles::user_id.eq(viewer.id),
                    profiles::organisation.eq(organisation.as_deref().unwrap_or(&now.organisation)),
                    profiles::bio.eq(bio.as_deref().unwrap_or(&now.bio)),
                    profiles::directory_visibility
                        .eq(visibility.unwrap_or(now.directory_visibility).as_str()),
                    profiles::routing_paused
                        .eq(update.routing_paused.unwrap_or(now.routing_paused)),
                ))
                .execute(conn)?;
            for (kind, values) in [
                ("language", &languages),
                ("crime_area", &crime_areas),
                ("instrument", &instruments),
                ("jurisdiction", &jurisdictions),
            ] {
                if let Some(values) = values {
                    replace_list(conn, viewer.id, kind, values)?;
                }
            }
            // Cached identities carry the display name.
            events::append(
                conn,
                &Event::AccountUpdated(AccountUpdated {
                    user_id: Some(viewer.id),
                }),
                None,
                None,
                Some(viewer.id),
            )?;
            profile_in(conn, viewer.id)
        })
    }

    /// A member's profile as `viewer` may see it: their own always, another
    /// member's when the directory shows it to them (else `NotFound`).
    pub fn expert_profile(&self, viewer: &Viewer, user: UserId) -> Result<ExpertProfile> {
        self.read(|conn| {
            let p = profile_in(conn, user)?;
            if p.id != viewer.id && !access::can_see_in_directory(viewer, p.directory_visibility) {
                return Err(CoreError::NotFound);
            }
            Ok(p)
        })
    }

    /// The members `viewer` finds in the directory under `filter`, by id
    /// (the caller sorts them in the reader's alphabetical order).
    pub fn experts(&self, viewer: &Viewer, filter: &ExpertFilter) -> Result<Vec<ExpertProfile>> {
        self.read(|conn| directory_in(conn, viewer, filter))
    }

    /// What `user` contributed that `viewer` may see: analyses they may
    /// read, endorsements of those, answers accepted in threads they may
    /// read.
    pub fn contributions(&self, viewer: &Viewer, user: UserId) -> Result<Contributions> {
        if !crate::access::can_see_member_profile(viewer, user) {
            return Err(CoreError::NotFound);
        }
        self.read(|conn| {
            let readable = crate::access::visibility::readable(conn, viewer)?;
            let analyses: Vec<ThreadId> = threads::table
                .filter(threads::author_id.eq(user))
                .filter(threads::kind.eq(ThreadKind::Analysis.as_str()))
                .filter(threads::category_id.eq_any(&readable.categories))
                .filter(threads::id.ne_all(&readable.hidden_threads))
                .select(threads::id)
                .load(conn)?;
            let endorsements_received: i64 = endorsements::table
                .filter(endorsements::thread_id.eq_any(&analyses))
                .count()
                .get_result(conn)?;
            let answers_accepted: i64 = routed_questions::table
                .inner_join(threads::table)
                .inner_join(
                    posts::table.on(routed_questions::accepted_post_id.eq(posts::id.nullable())),
                )
                .filter(posts::author_id.eq(user))
                .filter(threads::category_id.eq_any(&readable.categories))
                .filter(threads::id.ne_all(&readable.hidden_threads))
                .filter(posts::id.ne_all(&readable.hidden_posts))
                .count()
                .get_result(conn)?;
            Ok(Contributions {
                analyses: analyses.len() as i64,
                endorsements_received,
                answers_accepted,
            })
        })
    }
}
