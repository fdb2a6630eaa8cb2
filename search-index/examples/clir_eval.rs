//! Cross-lingual retrieval, measured on the aligned UN devset (never the
//! testset, which is kept for outside checks):
//!
//! ```sh
//! cargo run --release -p search-index --example clir_eval [-- --modes before,held-out,shipped]
//! ```
//!
//! The last 450 devset sentences of each language are indexed as posts of
//! that language; every sentence of each language is then a query, and it
//! finds its translation or not. For each of the 16 directions (12
//! cross-lingual, 4 monolingual) the table gives recall@1, recall@10 and
//! the mean reciprocal rank. Modes:
//!
//! * `before`: `match=all`, every word required, glossary phrases only
//!   (the search before ranked retrieval);
//! * `held-out`: ranked and translated with a lexicon learned from the
//!   *other* 3,550 devset sentences only: what a sentence never seen in
//!   training gets, the honest figure;
//! * `shipped`: with the shipped lexicon, which was learned from the whole
//!   devset, these 450 sentences included (an upper bound).

use std::path::PathBuf;
use std::sync::Arc;

use search_index::lexicon::{
    BuildOptions, Dictionary, FREEDICT, LANGUAGES, Lexicon, build_with, read_freedict, vocabulary,
};
use search_index::{IndexDoc, MEMBERS_KEY, SearchIndex, SearchQuery};

const HELD_OUT: usize = 450;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = here.join("../../shared/data/un-parallel/devset");
    let mut modes = vec!["before", "held-out", "shipped"];
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == "--modes") {
        modes = args
            .get(at + 1)
            .map(|m| m.split(',').collect())
            .unwrap_or_default();
    }
    let texts: Vec<String> = LANGUAGES
        .iter()
        .map(|l| std::fs::read_to_string(dir.join(format!("UNv1.0.devset.{l}"))))
        .collect::<Result<_, _>>()?;
    let lines: Vec<Vec<&str>> = texts.iter().map(|t| t.lines().collect()).collect();
    let n = lines.iter().map(Vec::len).min().unwrap_or(0);
    let split = n - HELD_OUT;
    println!(
        "devset: {n} aligned sentences; posts and queries: the last {HELD_OUT}; training (held-out mode): the first {split}\n"
    );

    for mode in modes {
        let (match_all, lexicon): (bool, Option<Arc<Lexicon>>) = match mode {
            "before" => (true, None),
            "shipped" => (false, None),
            "held-out" => {
                let started = std::time::Instant::now();
                let training: Vec<[&str; 4]> = (0..split)
                    .map(|i| [lines[0][i], lines[1][i], lines[2][i], lines[3][i]])
                    .collect();
                // The installed FreeDict dictionaries and the vocabulary,
                // as the shipped table is built.
                let mut dictionaries: Vec<Dictionary> = FREEDICT
                    .iter()
                    .filter_map(|(stem, from, to)| Some((*from, *to, read_freedict(stem)?)))
                    .collect();
                dictionaries.extend(vocabulary(&std::fs::read_to_string(
                    here.join("data/vocabulary.json"),
                )?));
                eprintln!("FreeDict dictionaries found: {}", dictionaries.len());
                let tsv = build_with(&training, &dictionaries, BuildOptions::default());
                let lexicon = Lexicon::parse(&tsv);
                eprintln!(
                    "held-out lexicon: {} stems in {:.0} s",
                    lexicon.len(),
                    started.elapsed().as_secs_f64()
                );
                (false, Some(Arc::new(lexicon)))
            }
            other => return Err(format!("unknown mode {other}").into()),
        };
        println!("## {mode}\n");
        println!("| query → posts | recall@1 | recall@10 | MRR |");
        println!("|---|---|---|---|");
        let mut cross = Vec::new();
        let mut from_english = Vec::new();
        for (d, doc_language) in LANGUAGES.iter().enumerate() {
            let mut index = SearchIndex::open_in_ram()?;
            if let Some(lexicon) = &lexicon {
                index = index.with_lexicon(lexicon.clone());
            }
            let mut writer = index.writer()?;
            for (i, sentence) in lines[d].iter().enumerate().take(n).skip(split) {
                writer.add(&IndexDoc {
                    post_id: i as u64 + 1,
                    thread_id: i as u64 + 1,
                    body_text: (*sentence).to_owned(),
                    language: (*doc_language).to_owned(),
                    kind: "discussion".into(),
                    acl: vec![MEMBERS_KEY.into()],
                    ..IndexDoc::default()
                })?;
            }
            writer.commit(1)?;
            for (q, query_language) in LANGUAGES.iter().enumerate() {
                let (mut r1, mut r10, mut rr) = (0usize, 0usize, 0f64);
                for (i, sentence) in lines[q].iter().enumerate().take(n).skip(split) {
                    let text: String = sentence.chars().filter(|c| *c != '"').collect();
                    let results = index.search(&SearchQuery {
                        text,
                        acl: vec![MEMBERS_KEY.into()],
                        limit: 10,
                        match_all,
                        ..SearchQuery::default()
                    })?;
                    if let Some(rank) = results.hits.iter().position(|h| h.post_id == i as u64 + 1)
                    {
                        r1 += (rank == 0) as usize;
                        r10 += 1;
                        rr += 1.0 / (rank + 1) as f64;
                    }
                }
                let total = (n - split) as f64;
                let (r1, r10, mrr) = (r1 as f64 / total, r10 as f64 / total, rr / total);
                println!("| {query_language} → {doc_language} | {r1:.2} | {r10:.2} | {mrr:.2} |");
                if q != d {
                    cross.push(r10);
                    if *query_language == "en" {
                        from_english.push(r10);
                    }
                }
            }
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "\n{mode}: mean recall@10 en→fr/es/ar {:.2}; across the 12 cross-lingual directions mean {:.2}, lowest {:.2}\n",
            mean(&from_english),
            mean(&cross),
            min(&cross)
        );
    }
    Ok(())
}
