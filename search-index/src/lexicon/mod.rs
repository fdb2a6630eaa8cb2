//! Word-by-word query translation between English, French, Spanish and
//! Arabic.
//!
//! The shipped lexicon (`data/lexicon.tsv.gz`) is a translation table learned
//! from the aligned UN devset with IBM Model 1 ([`train`]), in all twelve
//! directions, by `cargo run --release -p search-index --example
//! build_lexicon`. Words are kept as the index analyses them (stems, after
//! stop words are removed), so a translation is looked up and searched
//! exactly as the index stores it; each stem also keeps its commonest
//! surface word, which is what the page shows ("also searched: …").
//!
//! A line of the file is one source stem and its translations:
//!
//! ```text
//! en  medicin  medicines  fr:medica:médicaments:0.62|es:medicament:medicamentos:0.58
//! ```

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use crate::schema::Analysis;

mod build;
mod stop_words;

pub use build::*;
use stop_words::stop_words;

/// The shipped translation table, gzipped (`data/lexicon.tsv.gz`).
const LEXICON_GZ: &[u8] = include_bytes!("../../data/lexicon.tsv.gz");

/// The languages the lexicon translates between.
pub const LANGUAGES: [&str; 4] = ["en", "fr", "es", "ar"];

/// Is `word` (lowercased) a stop word of `language`?
pub fn is_stop_word(language: &str, word: &str) -> bool {
    stop_words(language).contains(&word)
}

/// The content words of `text` in `language`: `(surface, stem)` pairs,
/// stop words removed, stems as the index stores them.
pub fn content_words(language: &str, text: &str) -> Vec<(String, String)> {
    let analysis = Analysis::stemmed_for(language).unwrap_or(Analysis::Any);
    surface_words(text)
        .into_iter()
        .filter(|w| !is_stop_word(language, w))
        .filter_map(|w| {
            let stem = analysis.tokens(&w).into_iter().next()?;
            Some((w, stem))
        })
        .collect()
}

/// Lowercased words of `text`: runs of letters, combining marks and
/// digits, with Arabic short-vowel marks and tatweel dropped.
pub fn surface_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_arabic_mark(c) {
            continue;
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// Is `text` written in Arabic script (most of its letters)?
pub fn is_arabic_script(text: &str) -> bool {
    let (mut arabic, mut letters) = (0, 0);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FEFF}')
        {
            arabic += 1;
        }
    }
    letters > 0 && arabic * 2 >= letters
}

/// One translation of a source stem.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// "en", "fr", "es" or "ar".
    pub language: &'static str,
    /// As the index stores it in that language's stemmed fields.
    pub stem: String,
    /// The commonest word with this stem, for display.
    pub surface: String,
    /// How sure the table is, 0–1.
    pub weight: f32,
}

/// A translation table between the four languages.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// By source stem (learned from the corpus).
    entries: HashMap<(&'static str, String), Vec<Translation>>,
    /// By source word, lowercased (from dictionaries; `=word` in the file).
    words: HashMap<(&'static str, String), Vec<Translation>>,
}

fn language(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().copied().find(|l| *l == code)
}

impl Lexicon {
    /// The shipped table, parsed once.
    pub fn shipped() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            let mut tsv = String::new();
            flate2::read::GzDecoder::new(LEXICON_GZ)
                .read_to_string(&mut tsv)
                .expect("data/lexicon.tsv.gz is checked by the tests");
            Lexicon::parse(&tsv)
        })
    }

    /// Parses the format of `data/lexicon.tsv.gz` (unzipped); malformed lines are
    /// skipped.
    pub fn parse(tsv: &str) -> Lexicon {
        let mut entries = HashMap::new();
        let mut words = HashMap::new();
        for line in tsv.lines().filter(|l| !l.starts_with('#')) {
            let mut columns = line.split('\t');
            let (Some(source), Some(stem), Some(_surface), Some(targets)) = (
                columns.next().and_then(language),
                columns.next(),
                columns.next(),
                columns.next(),
            ) else {
                continue;
            };
            let translations: Vec<Translation> = targets
                .split('|')
                .filter_map(|t| {
                    let mut parts = t.splitn(4, ':');
                    let language = language(parts.next()?)?;
                    let stem = parts.next()?.to_owned();
                    let surface = parts.next()?.to_owned();
                    let weight: f32 = parts.next()?.parse().ok()?;
                    Some(Translation {
                        language,
                        stem,
                        surface,
                        weight,
                    })
                })
                .collect();
            if translations.is_empty() {
                continue;
            }
            match stem.strip_prefix('=') {
                Some(word) => words.insert((source, word.to_owned()), translations),
                None => entries.insert((source, stem.to_owned()), translations),
            };
        }
        Lexicon { entries, words }
    }

    /// Translations of `stem` (a stem of `language`), best first.
    pub fn translations(&self, language: &str, stem: &str) -> &[Translation] {
        let Some(language) = self::language(language) else {
            return &[];
        };
        self.entries
            .get(&(language, stem.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Translations a dictionary gives for `word` (lowercased) of
    /// `language`, best first.
    pub fn word_translations(&self, language: &str, word: &str) -> &[Translation] {
        let Some(language) = self::language(language) else {
            return &[];
        };
        self.words
            .get(&(language, word.to_owned()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether the table knows `word` (with stem `stem`) as a word of
    /// `language`.
    pub fn knows(&self, language: &str, word: &str, stem: &str) -> bool {
        !self.translations(language, stem).is_empty()
            || !self.word_translations(language, word).is_empty()
    }

    /// Number of source stems and words.
    pub fn len(&self) -> usize {
        self.entries.len() + self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_one_learns_a_toy_dictionary() {
        // la maison / the house, la fleur / the flower, maison bleue / blue house
        let pairs = vec![
            (vec![0, 1], vec![10, 11]),
            (vec![0, 2], vec![10, 12]),
            (vec![3, 1], vec![13, 11]),
        ];
        let table = train(&pairs, 20);
        let best = |e: u32| {
            table
                .iter()
                .filter(|((s, _), _)| *s == e)
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|((_, f), _)| *f)
        };
        assert_eq!(best(0), Some(10));
        assert_eq!(best(1), Some(11));
        assert_eq!(best(2), Some(12));
        // Deterministic.
        assert_eq!(train(&pairs, 20), table);
    }

    #[test]
    fn content_words_drop_stop_words_and_stem() {
        let words = content_words("fr", "La vente des médicaments falsifiés");
        let surfaces: Vec<&str> = words.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(surfaces, ["vente", "médicaments", "falsifiés"]);
        assert!(is_arabic_script("تهريب السجائر"));
        assert!(!is_arabic_script("cigarettes"));
        assert_eq!(surface_words("المُكرَّسة"), ["المكرسة"]);
    }

    #[test]
    fn the_shipped_table_translates_the_field() {
        let lexicon = Lexicon::shipped();
        assert!(lexicon.len() > 1000, "{} stems", lexicon.len());
        let stem = |l: &str, w: &str| content_words(l, w).remove(0).1;
        let to = |l: &str, w: &str, target: &str| -> Vec<String> {
            lexicon
                .translations(l, &stem(l, w))
                .iter()
                .filter(|t| t.language == target)
                .map(|t| t.surface.clone())
                .collect()
        };
        assert!(
            to("en", "resolution", "fr")
                .iter()
                .any(|w| w.starts_with("résolution")),
            "{:?}",
            to("en", "resolution", "fr")
        );
        assert!(
            to("en", "development", "es")
                .iter()
                .any(|w| w.starts_with("desarroll")),
            "{:?}",
            to("en", "development", "es")
        );
    }
}
