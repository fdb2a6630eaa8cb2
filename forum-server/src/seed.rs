//! `forum-server seed --demo`: fills an empty database with a demo forum a
//! newcomer can walk through — an admin and 12 experts from 8 countries in
//! 4 professions (one a moderator), 3 categories (one restricted to a
//! group), 40 analyses and discussions in English, French, Spanish and
//! Arabic built from the legal texts shipped in `forum-server/data/`
//! (their sources and licences in its README), replies, endorsements, a
//! flag case and a locked thread. Everything goes through the same calls
//! the server makes, as the member who would do it. It refuses a database
//! that already has members.

use anyhow::Context;
use forum_core::Db;
use forum_core::Viewer;
use forum_core::domain::analysis::{AnalysisInput, LegalProvisionInput};
use forum_core::features::accounts::Registration;
use forum_core::features::forum::{NewPost, NewThreadInput};
use serde::Deserialize;

/// The demo texts (see `forum-server/data/README.md`).
const TEXTS: &str = include_str!("../data/demo-texts.jsonl");

#[derive(Deserialize)]
struct Text {
    language: String,
    jurisdiction: Option<String>,
    source: String,
    instrument: Option<String>,
    article: String,
    body: String,
    subject: String,
}

/// The experts: username, display name, country, profession.
const EXPERTS: [(&str, &str, &str, &str); 12] = [
    ("claire.martin", "Claire Martin", "FR", "judge"),
    ("julien.roux", "Julien Roux", "FR", "customs"),
    ("lucia.garcia", "Lucía García", "ES", "prosecutor"),
    ("karim.benali", "Karim Benali", "MA", "customs"),
    ("salma.idrissi", "Salma Idrissi", "MA", "prosecutor"),
    ("pieter.claes", "Pieter Claes", "BE", "police"),
    ("giulia.rossi", "Giulia Rossi", "IT", "judge"),
    ("amel.trabelsi", "Amel Trabelsi", "TN", "judge"),
    ("youssef.haddad", "Youssef Haddad", "TN", "police"),
    ("martin.silva", "Martín Silva", "UY", "prosecutor"),
    ("ana.pereira", "Ana Pereira", "UY", "customs"),
    ("aminata.diop", "Aminata Diop", "SN", "prosecutor"),
];

/// A short reply in each language.
fn reply_in(language: &str, n: usize) -> &'static str {
    const EN: [&str; 2] = [
        "Useful: our courts read this provision the same way in a 2023 seizure case.",
        "Does anyone know how this applies to parcels sent by post?",
    ];
    const FR: [&str; 2] = [
        "Merci : nos juridictions retiennent la même lecture de cet article.",
        "Quelqu’un a-t-il une décision récente appliquant ce texte aux envois postaux ?",
    ];
    const ES: [&str; 2] = [
        "Gracias: nuestros tribunales aplican esta norma de la misma manera.",
        "¿Alguien conoce jurisprudencia reciente sobre envíos postales?",
    ];
    const AR: [&str; 2] = [
        "شكرًا: تأخذ محاكمنا بالقراءة نفسها لهذا الفصل.",
        "هل يعرف أحد قرارًا حديثًا يطبق هذا النص على الطرود البريدية؟",
    ];
    let set = match language {
        "fr" => FR,
        "es" => ES,
        "ar" => AR,
        _ => EN,
    };
    set[n % 2]
}

/// A member's viewer through a session of their own (as a sign-in makes;
/// [`demo`] ends them all when it is done).
fn act_as(db: &Db, user: forum_core::UserId) -> anyhow::Result<Viewer> {
    let session = db.create_session(user, "forum-server seed --demo", true, None)?;
    db.viewer_for_session(user, session.session_id)?
        .context("a demo account cannot act")
}

/// What [`demo`] made, to print.
pub struct Seeded {
    pub password: String,
    pub admin: String,
    pub experts: Vec<(String, String, String, String)>,
    pub threads: usize,
    pub posts: usize,
}

/// Fills `db` with the demo forum; the one password of every demo account
/// is generated.
pub fn demo(db: &Db) -> anyhow::Result<Seeded> {
    anyhow::ensure!(
        db.admin_count()? == 0 && db.last_event_seq()? == 0,
        "this database is not empty: seed --demo only fills a new forum"
    );
    let password = {
        use rand::Rng;
        let words = [
            "customs",
            "tribunal",
            "protocol",
            "evidence",
            "parcel",
            "seizure",
            "treaty",
            "harbour",
            "ledger",
            "verdict",
            "witness",
            "tobacco",
            "manifest",
            "warrant",
            "inventory",
            "container",
            "chamber",
            "appeal",
            "registry",
            "brokerage",
            "cargo",
            "statute",
            "hearing",
            "invoice",
        ];
        let mut rng = rand::rng();
        (0..5)
            .map(|_| words[rng.random_range(0..words.len())])
            .collect::<Vec<_>>()
            .join("-")
            + &format!("-{}", rng.random_range(10..100))
    };
    let admin_user = db.create_admin("admin", "admin@demo.comity.invalid", &password)?;
    let admin = act_as(db, admin_user.id)?;
    let mut experts = Vec::new();
    let mut viewers = Vec::new();
    for (i, (username, name, country, profession)) in EXPERTS.iter().enumerate() {
        let role = (i == 0).then_some("moderator");
        let invitation = db.create_invitation(
            &admin,
            &format!("{username}@demo.comity.invalid"),
            role,
            chrono::Duration::days(1),
        )?;
        let user = db.register(&Registration {
            invitation_token: &invitation.token,
            username,
            display_name: name,
            password: &password,
            country,
            profession,
        })?;
        viewers.push(act_as(db, user.id)?);
        experts.push((
            (*username).to_owned(),
            (*name).to_owned(),
            (*country).to_owned(),
            role.unwrap_or("member").to_owned(),
        ));
    }
    // The spaces: two open categories, one for a prosecutors' network.
    let prosecutors = db.create_group_as(&admin, "Prosecutors' network")?;
    for (v, (_, _, _, profession)) in viewers.iter().zip(EXPERTS.iter()) {
        if *profession == "prosecutor" {
            db.set_group_membership_as(&admin, prosecutors, v.id, true)?;
        }
    }
    let medicines = db.create_category(
        &admin,
        "counterfeiting",
        "Counterfeiting and smuggling",
        "Trademark counterfeiting, smuggling and customs offences.",
        &[],
    )?;
    let tobacco = db.create_category(
        &admin,
        "illicit-tobacco",
        "Illicit tobacco",
        "The FCTC Protocol and illicit trade in tobacco products.",
        &[],
    )?;
    let network = db.create_category(
        &admin,
        "prosecutors",
        "Prosecutors' network",
        "Cases and strategy among prosecutors (restricted).",
        &[prosecutors],
    )?;
    // Acting again after joining a group: a fresh viewer knows it.
    let viewers: Vec<Viewer> = viewers
        .iter()
        .map(|v| act_as(db, v.id))
        .collect::<anyhow::Result<_>>()?;
    let by_country = |country: &str| viewers.iter().find(|v| *v.country == *country);
    let prosecutor = |n: usize| {
        viewers
            .iter()
            .filter(|v| &*v.profession == "prosecutor")
            .nth(n % 4)
            .expect("four prosecutors")
    };
    let texts: Vec<Text> = TEXTS
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .context("the demo texts")?;
    let mut threads = Vec::new();
    let mut posts = 0;
    let progress = crate::progress::Progress::new("seed", texts.len() as u64, "threads");
    for (n, text) in texts.iter().enumerate() {
        let author = match text.jurisdiction.as_deref() {
            Some(code) => by_country(code).unwrap_or(&viewers[n % viewers.len()]),
            None if n % 3 == 0 => prosecutor(n),
            None => &viewers[n % viewers.len()],
        };
        let category = if text.subject == "illicit_tobacco" {
            tobacco.id
        } else if n % 5 == 4 && &*author.profession == "prosecutor" {
            network.id
        } else {
            medicines.id
        };
        let jurisdiction = text
            .jurisdiction
            .clone()
            .unwrap_or_else(|| author.country.to_string());
        let codes = vec![jurisdiction.clone()];
        let title: String = format!("{} — {}", text.source, text.article)
            .chars()
            .take(190)
            .collect();
        let body = format!("> {}\n\n{}", text.body.replace('\n', "\n> "), text.source);
        let analysis = n % 2 == 0;
        let record = analysis.then(|| AnalysisInput {
            summary: text.body.chars().take(280).collect(),
            language: text.language.clone(),
            instruments: text.instrument.iter().cloned().collect(),
            crime_areas: vec![text.subject.clone()],
            case_citations: Vec::new(),
            legal_provisions: vec![LegalProvisionInput {
                jurisdiction: jurisdiction.clone(),
                text: format!("{}, {}", text.source, text.article),
            }],
            valid_as_of: Some("2026-01-01".to_owned()),
            review_by: Some("2028-01-01".to_owned()),
        });
        let (summary, _) = db
            .create_thread(
                author,
                &NewThreadInput {
                    category_id: category,
                    title: &title,
                    body: &body,
                    kind: if analysis { "analysis" } else { "discussion" },
                    jurisdictions: &codes,
                    language: Some(&text.language),
                    analysis: record.as_ref(),
                    attachments: &[],
                    mark: None,
                    mark_recipients: None,
                    // Legal texts name officials and courts: the demo
                    // posts them as they are.
                    acknowledge_personal_data: Some("published legal text"),
                },
            )
            .with_context(|| format!("demo text {n}"))?;
        posts += 1;
        // Two colleagues reply (in the thread's language), when they read it.
        for k in 1..=2 {
            let replier = &viewers[(n + k * 5) % viewers.len()];
            if replier.id != author.id
                && (category != network.id || &*replier.profession == "prosecutor")
            {
                db.create_post(
                    replier,
                    summary.id,
                    &NewPost {
                        body: reply_in(&text.language, n + k),
                        language: Some(&text.language),
                        ..NewPost::default()
                    },
                )
                .with_context(|| format!("a reply to demo text {n}"))?;
                posts += 1;
            }
        }
        // An analysis is endorsed by a colleague of its country.
        if analysis
            && let Some(colleague) = viewers.iter().find(|v| {
                *v.country == *jurisdiction
                    && v.id != author.id
                    && (category != network.id || &*v.profession == "prosecutor")
            })
        {
            db.endorse(colleague, summary.id, &jurisdiction)
                .with_context(|| format!("endorsing demo text {n}"))?;
        }
        threads.push(summary);
        progress.inc(1);
    }
    progress.finish();
    // A flag case for the moderators, and a locked thread.
    let flagged = db
        .thread(&viewers[3], threads[1].id)
        .context("the flagged thread")?;
    db.flag_post(
        &viewers[3],
        flagged.posts[0].id,
        "inaccurate_law",
        "This article was amended in 2024.",
    )?;
    db.set_locked(
        &viewers[0],
        threads[2].id,
        true,
        "Settled: see the newer discussion.",
    )?;
    // The sessions the seeding acted through end with it.
    for v in viewers.iter().chain([&admin]) {
        db.revoke_session(v.session_id)?;
    }
    Ok(Seeded {
        password,
        admin: admin_user.username,
        experts,
        threads: threads.len(),
        posts,
    })
}
