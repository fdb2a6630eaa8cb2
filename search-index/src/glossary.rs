//! Cross-lingual query expansion with the glossary shipped in
//! `data/glossary.json`.
//!
//! The glossary lists concepts of this field ("counterfeiting", "money
//! laundering"…) with their terms in English, French, Spanish and Arabic.
//! Each term is analysed with its own language's analyzer (and the
//! language-neutral one), so a query word matches a term whatever its
//! inflection. A matched word or phrase is replaced by a disjunction of
//! itself and every other term of the concept, each quoted as a phrase; the
//! query parser then analyses each phrase for every language field, so the
//! French term finds French posts through the French stemmer.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::schema::Analysis;

/// The shipped glossary.
const GLOSSARY_JSON: &str = include_str!("../data/glossary.json");

/// Names of instruments and crime areas in the four languages.
const NAMES_JSON: &str = include_str!("../data/names.json");

#[derive(Deserialize)]
struct NamesFile {
    instruments: std::collections::BTreeMap<String, Names>,
    crime_areas: std::collections::BTreeMap<String, Names>,
}

#[derive(Deserialize, Clone)]
struct Names {
    en: Vec<String>,
    fr: Vec<String>,
    es: Vec<String>,
    ar: Vec<String>,
}

impl Names {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("en", &self.en),
            ("fr", &self.fr),
            ("es", &self.es),
            ("ar", &self.ar),
        ]
        .into_iter()
        .flat_map(|(l, list)| list.iter().map(move |n| (l, n.clone())))
        .collect()
    }
}

/// The names of an instrument (`"untoc"`, or `"untoc:5"` for one of its
/// articles) in every language: `(language, name)` pairs, empty when the
/// instrument has none listed.
pub fn instrument_names(reference: &str) -> Vec<(&'static str, String)> {
    let id = reference.split(':').next().unwrap_or(reference);
    names_file()
        .instruments
        .get(id)
        .map(Names::pairs)
        .unwrap_or_default()
}

/// The label of a crime area (`"falsified_medicines"`) in every language.
pub fn crime_area_names(area: &str) -> Vec<(&'static str, String)> {
    names_file()
        .crime_areas
        .get(area)
        .map(Names::pairs)
        .unwrap_or_default()
}

fn names_file() -> &'static NamesFile {
    static NAMES: OnceLock<NamesFile> = OnceLock::new();
    NAMES.get_or_init(|| {
        serde_json::from_str(NAMES_JSON).expect("data/names.json is checked by the tests")
    })
}

/// At most this many concepts are expanded per query, bounding the size of
/// the parsed query.
const MAX_EXPANSIONS: usize = 8;

#[derive(Deserialize)]
struct File {
    concepts: Vec<RawConcept>,
}

#[derive(Deserialize)]
struct RawConcept {
    id: String,
    en: Vec<String>,
    fr: Vec<String>,
    es: Vec<String>,
    ar: Vec<String>,
}

/// One concept and its terms in every language.
#[derive(Debug)]
pub struct Concept {
    pub id: String,
    /// `(language, term)` pairs, language being "en", "fr", "es" or "ar".
    pub terms: Vec<(&'static str, String)>,
}

/// The glossary, with every term analysed for lookup.
pub struct Glossary {
    concepts: Vec<Concept>,
    /// Analysed term → concept index.
    lookup: HashMap<(Analysis, Vec<String>), usize>,
    /// The most words any term has.
    max_words: usize,
}

impl Glossary {
    /// The shipped glossary, parsed once.
    pub fn shipped() -> &'static Glossary {
        static GLOSSARY: OnceLock<Glossary> = OnceLock::new();
        GLOSSARY.get_or_init(|| {
            let mut glossary =
                Glossary::parse(GLOSSARY_JSON).expect("data/glossary.json is checked by the tests");
            // Instruments and crime areas are concepts too: "Palermo
            // Convention" expands to "Convention de Palerme", "CTO"…
            let names = names_file();
            let named = names
                .instruments
                .iter()
                .map(|(id, n)| (format!("instrument:{id}"), n))
                .chain(
                    names
                        .crime_areas
                        .iter()
                        .map(|(id, n)| (format!("crime_area:{id}"), n)),
                );
            for (id, n) in named {
                glossary.add(id, n.pairs());
            }
            glossary
        })
    }

    /// Parses a glossary in the format of `data/glossary.json`.
    pub fn parse(json: &str) -> Result<Glossary, serde_json::Error> {
        let file: File = serde_json::from_str(json)?;
        let mut glossary = Glossary {
            concepts: Vec::with_capacity(file.concepts.len()),
            lookup: HashMap::new(),
            max_words: 1,
        };
        for raw in file.concepts {
            let terms = [
                ("en", raw.en),
                ("fr", raw.fr),
                ("es", raw.es),
                ("ar", raw.ar),
            ]
            .into_iter()
            .flat_map(|(l, list)| list.into_iter().map(move |t| (l, t)))
            .collect();
            glossary.add(raw.id, terms);
        }
        Ok(glossary)
    }

    /// Adds a concept; a term already listed keeps its first concept.
    fn add(&mut self, id: String, terms: Vec<(&'static str, String)>) {
        let index = self.concepts.len();
        for (language, term) in &terms {
            let analysis = Analysis::stemmed_for(language).unwrap_or(Analysis::Any);
            self.max_words = self.max_words.max(term.split_whitespace().count());
            for key in [analysis, Analysis::Any] {
                let tokens = key.tokens(term);
                if !tokens.is_empty() {
                    self.lookup.entry((key, tokens)).or_insert(index);
                }
            }
        }
        self.concepts.push(Concept { id, terms });
    }

    /// The longest run of query words looked up as one term: long official
    /// titles are listed for indexing, but a query names them by their
    /// short names.
    pub(crate) fn window(&self) -> usize {
        self.max_words.min(8)
    }

    /// Every concept, in file order.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The concept `words` (one or more words of a query) names, analysed
    /// as each supported language in turn.
    pub fn concept_of(&self, words: &str) -> Option<&Concept> {
        Analysis::ALL.iter().find_map(|&analysis| {
            let tokens = analysis.tokens(words);
            if tokens.is_empty() {
                return None;
            }
            self.lookup
                .get(&(analysis, tokens))
                .map(|&index| &self.concepts[index])
        })
    }

    /// `text` (query syntax) with each glossary term it contains replaced by
    /// `(term OR "synonym" OR …)`. Operators, field names, exclusions and
    /// quoted phrases that are not glossary terms are left as they are.
    pub fn expand(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() * 2);
        let mut run: Vec<&str> = Vec::new();
        let mut expanded = 0;
        for token in scan(text) {
            match token {
                Token::Word(word) => run.push(word),
                Token::Phrase(inner) => {
                    self.flush(&mut run, &mut out, &mut expanded);
                    match self.concept_of(inner).filter(|_| expanded < MAX_EXPANSIONS) {
                        Some(concept) => {
                            expanded += 1;
                            push_disjunction(&mut out, &format!("\"{inner}\""), inner, concept);
                        }
                        None => {
                            let _ = write!(out, "\"{inner}\" ");
                        }
                    }
                }
                Token::Opaque(raw) => {
                    self.flush(&mut run, &mut out, &mut expanded);
                    out.push_str(raw);
                    out.push(' ');
                }
            }
        }
        self.flush(&mut run, &mut out, &mut expanded);
        out.trim_end().to_owned()
    }

    /// Writes a run of plain words, expanding the longest glossary terms
    /// found in it, left to right.
    fn flush(&self, run: &mut Vec<&str>, out: &mut String, expanded: &mut usize) {
        let mut i = 0;
        while i < run.len() {
            let longest = (1..=self.window().min(run.len() - i)).rev().find_map(|n| {
                let words = run[i..i + n].join(" ");
                self.concept_of(&words).map(|concept| (n, words, concept))
            });
            match longest.filter(|_| *expanded < MAX_EXPANSIONS) {
                Some((n, words, concept)) => {
                    *expanded += 1;
                    let original = if n > 1 {
                        format!("({words})")
                    } else {
                        words.clone()
                    };
                    push_disjunction(out, &original, &words, concept);
                    i += n;
                }
                None => {
                    out.push_str(run[i]);
                    out.push(' ');
                    i += 1;
                }
            }
        }
        run.clear();
    }
}

/// Writes `(original OR "term" OR …)` with every term of `concept` that is
/// not the matched text itself.
fn push_disjunction(out: &mut String, original: &str, matched: &str, concept: &Concept) {
    let matched = Analysis::Any.tokens(matched);
    out.push('(');
    out.push_str(original);
    for (_, term) in &concept.terms {
        if Analysis::Any.tokens(term) == matched {
            continue;
        }
        let clean: String = term.chars().filter(|c| !matches!(c, '"' | '\\')).collect();
        let _ = write!(out, " OR \"{clean}\"");
    }
    out.push_str(") ");
}

/// A piece of query text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// A plain word: may be part of a glossary term.
    Word(&'a str),
    /// The inside of a quoted phrase with nothing attached to it.
    Phrase(&'a str),
    /// Anything else (operators, `-x`, `field:x`, parentheses, phrases with
    /// a slop or prefix marker), copied unchanged.
    Opaque(&'a str),
}

/// Splits query text into [`Token`]s. Quotes group; an unterminated quote
/// runs to the end.
pub(crate) fn scan(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let Some(first) = rest.chars().next() else {
            break;
        };
        let end = if first == '"' {
            match rest[1..].find('"') {
                Some(close) => {
                    // Include a directly attached suffix ("…"~2, "…"*).
                    let after = 1 + close + 1;
                    after
                        + rest[after..]
                            .find(char::is_whitespace)
                            .unwrap_or(rest.len() - after)
                }
                None => rest.len(),
            }
        } else if first == '(' || first == ')' {
            1
        } else {
            rest.find(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '"')
                .unwrap_or(rest.len())
        };
        let raw = &rest[..end];
        rest = &rest[end..];
        let token = if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
            Token::Phrase(&raw[1..raw.len() - 1])
        } else if raw.starts_with('"')
            || matches!(raw, "(" | ")" | "OR" | "AND" | "NOT")
            || raw.starts_with(['-', '+'])
            || raw.contains([':', '*', '~', '^', '[', ']', '{', '}'])
        {
            Token::Opaque(raw)
        } else {
            Token::Word(raw)
        };
        tokens.push(token);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{"concepts": [
        {"id": "counterfeiting", "en": ["counterfeiting"], "fr": ["contrefaçon"],
         "es": ["falsificación"], "ar": ["تزييف"]},
        {"id": "money-laundering", "en": ["money laundering"], "fr": ["blanchiment d'argent"],
         "es": ["lavado de activos", "blanqueo de capitales"], "ar": ["غسل الأموال"]}
    ]}"#;

    #[test]
    fn the_scanner_keeps_syntax_apart_from_words() {
        assert_eq!(
            scan(r#"a -b "c d" (e OR f) g:h "i"~2 "open"#),
            [
                Token::Word("a"),
                Token::Opaque("-b"),
                Token::Phrase("c d"),
                Token::Opaque("("),
                Token::Word("e"),
                Token::Opaque("OR"),
                Token::Word("f"),
                Token::Opaque(")"),
                Token::Opaque("g:h"),
                Token::Opaque("\"i\"~2"),
                Token::Opaque("\"open"),
            ]
        );
    }

    #[test]
    fn inflected_words_of_any_language_find_their_concept() {
        let glossary = Glossary::parse(SMALL).unwrap();
        for words in ["counterfeit", "Contrefaçons", "falsificaciones", "التزييف"] {
            assert_eq!(
                glossary.concept_of(words).map(|c| c.id.as_str()),
                Some("counterfeiting"),
                "{words}"
            );
        }
        assert!(glossary.concept_of("laundering").is_none());
    }

    #[test]
    fn terms_are_expanded_longest_first_and_syntax_is_kept() {
        let glossary = Glossary::parse(SMALL).unwrap();
        assert_eq!(
            glossary.expand("counterfeit -fake"),
            r#"(counterfeit OR "counterfeiting" OR "contrefaçon" OR "falsificación" OR "تزييف") -fake"#
        );
        let expanded = glossary.expand("bank money laundering cases");
        assert!(
            expanded.starts_with(r#"bank ((money laundering) OR "blanchiment d'argent" OR"#),
            "{expanded}"
        );
        assert!(
            expanded.ends_with(r#"OR "غسل الأموال") cases"#),
            "{expanded}"
        );
        assert!(
            glossary
                .expand(r#""money laundering""#)
                .contains("blanqueo de capitales")
        );
        assert_eq!(glossary.expand("unrelated words"), "unrelated words");
    }

    #[test]
    fn the_shipped_glossary_is_large_and_complete() {
        let glossary = Glossary::shipped();
        assert!(
            glossary.concepts().len() >= 150,
            "{}",
            glossary.concepts().len()
        );
        for concept in glossary.concepts() {
            for language in ["en", "fr", "es", "ar"] {
                assert!(
                    concept
                        .terms
                        .iter()
                        .any(|(l, t)| *l == language && !t.trim().is_empty()),
                    "{} has no {language} term",
                    concept.id
                );
            }
        }
        let mut ids: Vec<_> = glossary.concepts().iter().map(|c| &c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(
            ids.len(),
            glossary.concepts().len(),
            "duplicate concept ids"
        );
    }
}
