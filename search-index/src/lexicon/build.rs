//! Building the lexicon: IBM Model 1 over aligned sentences, the FreeDict
//! dictionaries and the project's vocabulary, merged into the shipped
//! table (`examples/build_lexicon.rs` runs it).

use super::*;

/// A word-translation model `t(target | source)` learned by [`train`].
pub type Table = HashMap<(u32, u32), f32>;

/// IBM Model 1 (Brown et al., 1993): `iterations` rounds of EM over
/// `pairs` of sentences (source and target word ids), with a NULL source
/// word (id `u32::MAX`) that absorbs target words with no counterpart.
/// Deterministic: it starts from the uniform table and visits the pairs in
/// order.
pub fn train(pairs: &[(Vec<u32>, Vec<u32>)], iterations: usize) -> Table {
    const NULL: u32 = u32::MAX;
    let mut targets: std::collections::HashSet<u32> = std::collections::HashSet::new();
    for (_, t) in pairs {
        targets.extend(t.iter().copied());
    }
    let uniform = 1.0 / targets.len().max(1) as f32;
    let mut table: Table = HashMap::new();
    for (s, t) in pairs {
        for &f in t {
            for &e in s.iter().chain(std::iter::once(&NULL)) {
                table.insert((e, f), uniform);
            }
        }
    }
    for _ in 0..iterations {
        let mut counts: HashMap<(u32, u32), f32> = HashMap::with_capacity(table.len());
        let mut totals: HashMap<u32, f32> = HashMap::new();
        for (s, t) in pairs {
            for &f in t {
                let denominator: f32 = s
                    .iter()
                    .chain(std::iter::once(&NULL))
                    .map(|&e| table[&(e, f)])
                    .sum();
                if denominator <= 0.0 {
                    continue;
                }
                for &e in s.iter().chain(std::iter::once(&NULL)) {
                    let share = table[&(e, f)] / denominator;
                    *counts.entry((e, f)).or_default() += share;
                    *totals.entry(e).or_default() += share;
                }
            }
        }
        for (key, value) in table.iter_mut() {
            let total = totals.get(&key.0).copied().unwrap_or(0.0);
            *value = if total > 0.0 {
                counts.get(key).copied().unwrap_or(0.0) / total
            } else {
                0.0
            };
        }
    }
    table.retain(|(e, _), p| *e != NULL && *p > 1e-4);
    table
}

/// The FreeDict dictionaries Debian packages (`dict-freedict-eng-fra`, …),
/// as `(file stem, source, target)`.
pub const FREEDICT: [(&str, &str, &str); 6] = [
    ("eng-fra", "en", "fr"),
    ("fra-eng", "fr", "en"),
    ("eng-spa", "en", "es"),
    ("spa-eng", "es", "en"),
    ("eng-ara", "en", "ar"),
    ("ara-eng", "ar", "en"),
];

/// A FreeDict dictd database installed by Debian (`/usr/share/dictd`):
/// headwords and their translations, best first; `None` when absent.
pub fn read_freedict(stem: &str) -> Option<Vec<(String, Vec<String>)>> {
    let dir = std::path::Path::new("/usr/share/dictd");
    let index = std::fs::read_to_string(dir.join(format!("freedict-{stem}.index"))).ok()?;
    let mut data = Vec::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(dir.join(format!("freedict-{stem}.dict.dz"))).ok()?,
    )
    .read_to_end(&mut data)
    .ok()?;
    let number = |b64: &str| {
        b64.bytes().fold(0usize, |n, c| {
            let digit = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                _ => 63,
            };
            n * 64 + digit as usize
        })
    };
    let mut entries = Vec::new();
    for line in index.lines() {
        let mut columns = line.split('\t');
        let (Some(headword), Some(offset), Some(length)) =
            (columns.next(), columns.next(), columns.next())
        else {
            continue;
        };
        if headword.starts_with("00-database") || headword.starts_with("00database") {
            continue;
        }
        let (offset, length) = (number(offset), number(length));
        let Some(bytes) = data.get(offset..offset + length) else {
            continue;
        };
        let text = String::from_utf8_lossy(bytes);
        // The first line is the headword (and pronunciation); each further
        // line a sense, "1. a, b" or "a; b".
        let translations: Vec<String> = text
            .lines()
            .skip(1)
            .map(|l| {
                l.trim()
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                    .trim()
            })
            .filter(|l| {
                !l.is_empty()
                    && !l.starts_with('<')
                    && !l.starts_with("Note")
                    && !l.starts_with("Synonym")
            })
            .flat_map(|l| {
                l.split([',', ';'])
                    .map(|t| t.trim().to_owned())
                    .collect::<Vec<_>>()
            })
            .filter(|t| !t.is_empty())
            .collect();
        if !translations.is_empty() {
            entries.push((headword.to_owned(), translations));
        }
    }
    Some(entries)
}

/// `data/vocabulary.json` (rows of words that translate each other) as
/// dictionaries in all twelve directions.
pub fn vocabulary(json: &str) -> Vec<Dictionary> {
    let file: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
    let rows = file["words"].as_array().cloned().unwrap_or_default();
    let words = |row: &serde_json::Value, language: &str| -> Vec<String> {
        row[language]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|w| w.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for from in LANGUAGES {
        for to in LANGUAGES.into_iter().filter(|l| *l != from) {
            let entries = rows
                .iter()
                .flat_map(|row| {
                    let targets = words(row, to);
                    words(row, from)
                        .into_iter()
                        .map(move |w| (w, targets.clone()))
                })
                .collect();
            out.push((from, to, entries));
        }
    }
    out
}

/// What [`build`] keeps of the learned tables.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    /// EM rounds of IBM Model 1.
    pub iterations: usize,
    /// Translations below this weight are dropped.
    pub min_weight: f32,
    /// At most this many translations per source stem and target language.
    pub per_language: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            iterations: 8,
            min_weight: 0.08,
            per_language: 3,
        }
    }
}

/// Learns the lexicon from aligned sentences (`[en, fr, es, ar]` each)
/// and returns it in the format of `data/lexicon.tsv.gz`, sorted, so the same
/// sentences always give the same file.
///
/// For each ordered pair of languages, IBM Model 1 learns `t(b | a)`; the
/// weight of `a → b` is the geometric mean of both directions,
/// `sqrt(t(b|a) · t(a|b))`, which keeps the pairs each side agrees on and
/// drops the frequent words Model 1 smears over every sentence.
pub fn build(sentences: &[[&str; 4]], options: BuildOptions) -> String {
    build_with(sentences, &[], options)
}

/// A bilingual dictionary: `(source language, target language, entries)`,
/// each entry a headword and its translations, best first.
pub type Dictionary = (&'static str, &'static str, Vec<(String, Vec<String>)>);

/// A source stem (or `=word`) of a language, by index in [`LANGUAGES`].
type Source = (usize, String);

/// A translation while building: (language index, stem, surface, weight).
type Target = (usize, String, String, f32);

/// A learned pair: (target language index, target stem id, weight).
type Learned = (usize, u32, f32);

/// Weight of a dictionary's first translation; later ones weigh less.
const DICTIONARY_WEIGHT: f32 = 0.45;

/// [`build`], plus word pairs from bilingual dictionaries (FreeDict): a
/// single-content-word headword and each single-content-word translation,
/// weighted [`DICTIONARY_WEIGHT`] for the first and less for the next,
/// where the corpus did not already pair them more strongly.
pub fn build_with(
    sentences: &[[&str; 4]],
    dictionaries: &[Dictionary],
    options: BuildOptions,
) -> String {
    // Per language: stem ids, and surface counts per stem.
    let mut ids: Vec<HashMap<String, u32>> = vec![HashMap::new(); 4];
    let mut stems: Vec<Vec<String>> = vec![Vec::new(); 4];
    let mut surfaces: Vec<HashMap<u32, HashMap<String, u32>>> = vec![HashMap::new(); 4];
    let mut corpus: Vec<[Vec<u32>; 4]> = Vec::with_capacity(sentences.len());
    for row in sentences {
        let mut encoded: [Vec<u32>; 4] = Default::default();
        for (l, language) in LANGUAGES.iter().enumerate() {
            for (surface, stem) in content_words(language, row[l]) {
                let next = stems[l].len() as u32;
                let id = *ids[l].entry(stem.clone()).or_insert_with(|| {
                    stems[l].push(stem.clone());
                    next
                });
                *surfaces[l]
                    .entry(id)
                    .or_default()
                    .entry(surface)
                    .or_default() += 1;
                encoded[l].push(id);
            }
        }
        corpus.push(encoded);
    }
    let commonest = |l: usize, id: u32| -> String {
        let mut forms: Vec<(&String, &u32)> = surfaces[l][&id].iter().collect();
        forms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        forms[0].0.clone()
    };
    let mut tables: HashMap<(usize, usize), Table> = HashMap::new();
    for a in 0..4 {
        for b in 0..4 {
            if a == b {
                continue;
            }
            let pairs: Vec<(Vec<u32>, Vec<u32>)> = corpus
                .iter()
                .filter(|row| !row[a].is_empty() && !row[b].is_empty())
                .map(|row| (row[a].clone(), row[b].clone()))
                .collect();
            tables.insert((a, b), train(&pairs, options.iterations));
        }
    }
    // source (language, stem id) → translations
    let mut out: Vec<(Source, Vec<Learned>)> = Vec::new();
    for a in 0..4 {
        let mut by_source: HashMap<u32, Vec<(usize, u32, f32)>> = HashMap::new();
        for b in (0..4).filter(|b| *b != a) {
            let forward = &tables[&(a, b)];
            let backward = &tables[&(b, a)];
            let mut per_source: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
            for (&(s, t), &p) in forward {
                let q = backward.get(&(t, s)).copied().unwrap_or(0.0);
                let weight = (p * q).sqrt();
                if weight >= options.min_weight {
                    per_source.entry(s).or_default().push((t, weight));
                }
            }
            for (s, mut list) in per_source {
                list.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                list.truncate(options.per_language);
                by_source
                    .entry(s)
                    .or_default()
                    .extend(list.into_iter().map(|(t, w)| (b, t, w)));
            }
        }
        for (s, list) in by_source {
            out.push(((a, stems[a][s as usize].clone()), list));
        }
    }
    let mut lines: Vec<(Source, String, Vec<Target>)> = out
        .into_iter()
        .map(|((a, stem), list)| {
            let surface = commonest(a, ids[a][&stem]);
            let list = list
                .into_iter()
                .map(|(b, t, w)| (b, stems[b][t as usize].clone(), commonest(b, t), w))
                .collect();
            ((a, stem), surface, list)
        })
        .collect();
    // Dictionary pairs are keyed by the headword itself ("=vente"), not its
    // stem: stems of different words collide ("vente" and "vent" are both
    // "vent"), headwords do not. A pair both directions' dictionaries list
    // weighs [`DICTIONARY_WEIGHT`]; a pair only one lists, less.
    // (target language, stem, surface, rank)
    let mut pairs: HashMap<Source, Vec<(usize, String, String, usize)>> = HashMap::new();
    let mut listed: std::collections::HashSet<(usize, String, usize, String)> =
        std::collections::HashSet::new();
    for (from, to, entries) in dictionaries {
        let (Some(a), Some(b)) = (
            LANGUAGES.iter().position(|l| l == from),
            LANGUAGES.iter().position(|l| l == to),
        ) else {
            continue;
        };
        for (headword, translations) in entries {
            let head = content_words(from, headword);
            let [(head_surface, _)] = head.as_slice() else {
                continue;
            };
            let mut rank = 0;
            for translation in translations {
                let words = content_words(to, translation);
                let [(surface, stem)] = words.as_slice() else {
                    continue;
                };
                listed.insert((a, head_surface.clone(), b, surface.clone()));
                let list = pairs.entry((a, head_surface.clone())).or_default();
                if !list.iter().any(|(l, s, ..)| *l == b && s == stem) {
                    list.push((b, stem.clone(), surface.clone(), rank));
                    rank += 1;
                }
            }
        }
    }
    let mut pairs: Vec<_> = pairs.into_iter().collect();
    pairs.sort_by(|x, y| x.0.cmp(&y.0));
    for ((a, headword), list) in pairs {
        let list: Vec<Target> = list
            .into_iter()
            .filter(|(.., rank)| *rank < options.per_language + 1)
            .map(|(b, stem, surface, rank)| {
                let both_ways = listed.contains(&(b, surface.clone(), a, headword.clone()));
                let weight = if both_ways {
                    DICTIONARY_WEIGHT
                } else {
                    DICTIONARY_WEIGHT / 2.0
                } / (1.0 + 0.5 * rank as f32);
                (b, stem, surface, weight)
            })
            .collect();
        if !list.is_empty() {
            lines.push(((a, format!("={headword}")), headword, list));
        }
    }
    lines.sort_by(|x, y| x.0.cmp(&y.0));
    let mut tsv = String::from(
        "# Comity query-translation lexicon: IBM Model 1 over the aligned UN devset.\n\
         # With word pairs from the FreeDict dictionaries (GPL-2.0-or-later) where installed.\n\
         # Built by `cargo run --release -p search-index --example build_lexicon`; see docs/data-sources.md.\n\
         # source-language TAB stem TAB commonest word TAB language:stem:word:weight|…\n",
    );
    for ((a, stem), surface, mut list) in lines {
        list.sort_by(|x, y| x.0.cmp(&y.0).then(y.3.total_cmp(&x.3)).then(x.1.cmp(&y.1)));
        let targets: Vec<String> = list
            .iter()
            .map(|(b, t, form, w)| format!("{}:{}:{}:{:.3}", LANGUAGES[*b], t, form, w))
            .collect();
        tsv.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            LANGUAGES[a],
            stem,
            surface,
            targets.join("|")
        ));
    }
    tsv
}
