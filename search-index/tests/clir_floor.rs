//! A floor under cross-lingual retrieval, so a change to query planning,
//! analysis or the lexicon that loses it fails the suite. The full
//! evaluation, with a lexicon trained without the evaluated sentences, is
//! `cargo run --release -p search-index --example clir_eval`
//! (`docs/benchmarks.md`); this runs the shipped lexicon on the last 100
//! sentences of the aligned UN devset (read from `../shared/data`), in the
//! 12 cross-lingual directions.

use std::path::PathBuf;

use search_index::lexicon::LANGUAGES;
use search_index::{IndexDoc, MEMBERS_KEY, SearchIndex, SearchQuery};

const SENTENCES: usize = 100;

#[test]
fn questions_find_their_translations_among_one_hundred_posts() {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/un-parallel/devset");
    let lines: Vec<Vec<String>> = LANGUAGES
        .iter()
        .map(|l| {
            let text = std::fs::read_to_string(dir.join(format!("UNv1.0.devset.{l}")))
                .unwrap_or_else(|e| {
                    panic!("the shared devset is needed beside the workspace: {e}")
                });
            let all: Vec<String> = text.lines().map(str::to_owned).collect();
            all[all.len() - SENTENCES..].to_vec()
        })
        .collect();
    let mut from_english = Vec::new();
    let mut report = Vec::new();
    for (d, doc_language) in LANGUAGES.iter().enumerate() {
        let index = SearchIndex::open_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        for (i, sentence) in lines[d].iter().enumerate() {
            writer
                .add(&IndexDoc {
                    post_id: i as u64 + 1,
                    thread_id: i as u64 + 1,
                    body_text: sentence.clone(),
                    language: (*doc_language).to_owned(),
                    kind: "discussion".into(),
                    acl: vec![MEMBERS_KEY.into()],
                    ..IndexDoc::default()
                })
                .unwrap();
        }
        writer.commit(1).unwrap();
        for (q, query_language) in LANGUAGES.iter().enumerate().filter(|(q, _)| *q != d) {
            let found = lines[q]
                .iter()
                .enumerate()
                .filter(|(i, sentence)| {
                    let results = index
                        .search(&SearchQuery {
                            text: sentence.replace('"', " "),
                            acl: vec![MEMBERS_KEY.into()],
                            limit: 10,
                            ..SearchQuery::default()
                        })
                        .unwrap();
                    results.hits.iter().any(|h| h.post_id == *i as u64 + 1)
                })
                .count();
            let recall = found as f64 / SENTENCES as f64;
            report.push(format!("{query_language}→{doc_language} {recall:.2}"));
            assert!(
                recall >= 0.82,
                "{query_language} → {doc_language}: recall@10 {recall:.2} < 0.82 ({report:?})"
            );
            if *query_language == "en" {
                from_english.push(recall);
            }
        }
    }
    let mean = from_english.iter().sum::<f64>() / from_english.len() as f64;
    assert!(
        mean >= 0.95,
        "en → fr/es/ar: mean recall@10 {mean:.2} < 0.95 ({report:?})"
    );
    println!("{report:?}");
}
