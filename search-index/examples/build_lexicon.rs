//! Builds `search-index/data/lexicon.tsv.gz`, the query-translation table,
//! from the aligned UN devset (never the testset, which is kept for
//! outside checks):
//!
//! ```sh
//! cargo run --release -p search-index --example build_lexicon [DEVSET_DIR] [OUT] [--without-freedict]
//! ```
//!
//! Deterministic: the same sentences always give the same file.

use std::path::PathBuf;

use search_index::lexicon::{
    BuildOptions, Dictionary, FREEDICT, build_with, read_freedict, vocabulary,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| here.join("../../shared/data/un-parallel/devset"));
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| here.join("data/lexicon.tsv.gz"));
    assert!(
        !dir.to_string_lossy().contains("testset"),
        "the testset is kept for outside checks"
    );
    let read =
        |language: &str| std::fs::read_to_string(dir.join(format!("UNv1.0.devset.{language}")));
    let texts = [read("en")?, read("fr")?, read("es")?, read("ar")?];
    let lines: Vec<Vec<&str>> = texts.iter().map(|t| t.lines().collect()).collect();
    let n = lines.iter().map(Vec::len).min().unwrap_or(0);
    let sentences: Vec<[&str; 4]> = (0..n)
        .map(|i| [lines[0][i], lines[1][i], lines[2][i], lines[3][i]])
        .collect();
    // The FreeDict dictionaries Debian packages, when installed: word pairs
    // for the general vocabulary the UN devset lacks ("vente" → "sale").
    // `--without-freedict` builds from the devset alone.
    let mut dictionaries: Vec<Dictionary> = Vec::new();
    let with_freedict = !std::env::args().any(|a| a == "--without-freedict");
    for (stem, from, to) in FREEDICT.into_iter().filter(|_| with_freedict) {
        match read_freedict(stem) {
            Some(entries) => {
                println!("FreeDict {stem}: {} entries", entries.len());
                dictionaries.push((from, to, entries));
            }
            None => println!(
                "FreeDict {stem}: not installed (apt-get install dict-freedict-{stem}); built without it"
            ),
        }
    }
    // Comity's own everyday vocabulary of the field, every direction.
    let vocabulary = vocabulary(&std::fs::read_to_string(here.join("data/vocabulary.json"))?);
    println!(
        "vocabulary.json: {} word pairs",
        vocabulary.iter().map(|d| d.2.len()).sum::<usize>()
    );
    dictionaries.extend(vocabulary);
    let started = std::time::Instant::now();
    let tsv = build_with(&sentences, &dictionaries, BuildOptions::default());
    // gzip with no file name and mtime 0: the same input, the same bytes.
    let mut gz = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, tsv.as_bytes())?;
    let bytes = gz.finish()?;
    std::fs::write(&out, &bytes)?;
    println!(
        "{} sentences → {} source stems and words, {} bytes ({} gzipped) in {} ({:.1} s)",
        n,
        tsv.lines().filter(|l| !l.starts_with('#')).count(),
        tsv.len(),
        bytes.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
