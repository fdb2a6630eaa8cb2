//! Ranked, cross-lingual query planning (`match=any`, the default).
//!
//! The query text is scanned into concepts: a known multi-word term (the
//! glossary, instrument and crime-area names, longest first), a single
//! content word, a quoted phrase, or alternatives joined by `OR`. Stop
//! words of the query's language are dropped. Each concept becomes a
//! disjunction of what it may look like in a post:
//!
//! * the words as typed, over every field (as tantivy's parser would);
//! * the other terms of its glossary concept, in every language, each as a
//!   phrase in that language's fields;
//! * word-by-word translations from the lexicon ([`crate::lexicon`]),
//!   weighted by the table's confidence.
//!
//! The best alternative scores the concept (a dis-max, with a small share
//! for the others), so a concept counts once however many of its
//! translations a post holds. Concepts are scored by BM25 and combined with
//! a minimum-should-match that grows with their number (1 of 1–2, 2 of 3,
//! [`MATCH_SHARE`] beyond), so one word without a translation does not
//! empty the result while long queries stay precise; posts matching more
//! concepts rank first. `+word` and `"phrases"` are required, `-word`
//! excluded.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::glossary::{Glossary, Token, scan};
use crate::lexicon::{self, LANGUAGES, Lexicon};
use crate::schema::Analysis;

/// Beyond three concepts, at least this share of them must match.
pub const MATCH_SHARE: f32 = 0.4;

/// Translations weaker than this are not searched.
const MIN_WEIGHT: f32 = 0.1;

/// Translations at least this strong are listed as expansions.
const SHOWN_WEIGHT: f32 = 0.25;

/// How much a lexicon translation weighs against the typed word (1.0) and a
/// glossary term (0.9), before its own confidence.
const LEXICON_WEIGHT: f32 = 0.8;

/// A glossary term's weight.
const GLOSSARY_WEIGHT: f32 = 0.9;

/// At most this many concepts are planned per query.
const MAX_CONCEPTS: usize = 32;

/// A term the search also looked for, in another language (shown as a
/// removable chip; `exclude_terms` removes it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Expansion {
    pub term: String,
    /// "en", "fr", "es" or "ar".
    pub language: String,
}

/// One way a concept may appear in a post.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Alternative {
    /// Words as typed, analysed for every field; several words are a
    /// phrase.
    Typed(String),
    /// A term in a known language, analysed with that language's analyzer
    /// into its fields; several words are a phrase.
    Term {
        language: &'static str,
        text: String,
        weight: f32,
    },
    /// A stem exactly as the index stores it in `language`'s fields.
    Stem {
        language: &'static str,
        stem: String,
        weight: f32,
    },
}

/// What one part of the query looks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ConceptPlan {
    pub(crate) alternatives: Vec<Alternative>,
}

/// The plan of a whole query.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Plan {
    /// Scored; at least [`minimum_should_match`] of them must match.
    pub(crate) optional: Vec<ConceptPlan>,
    /// Must match (`+word`, `"phrase"`).
    pub(crate) required: Vec<ConceptPlan>,
    /// Must not match (`-word`).
    pub(crate) excluded: Vec<String>,
    pub(crate) expansions: Vec<Expansion>,
}

/// 1 of 1–2 concepts, 2 of 3, then [`MATCH_SHARE`]; none when required
/// clauses already select the posts.
pub(crate) fn minimum_should_match(concepts: usize, has_required: bool) -> usize {
    match concepts {
        0 => 0,
        _ if has_required => 0,
        1 | 2 => 1,
        3 => 2,
        n => ((n as f32 * MATCH_SHARE).ceil() as usize).max(2),
    }
}

/// A piece of the query before planning.
enum Part {
    Words(Vec<String>),
    Phrase(String),
    Required(String),
    Excluded(String),
    Or,
}

/// Plans `text` (already stripped of field names) with `lexicon`, leaving
/// out expansions whose term is in `exclude` (compared lowercased).
pub(crate) fn plan(text: &str, lexicon: &Lexicon, exclude: &[String]) -> Plan {
    let exclude: HashSet<String> = exclude
        .iter()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    let parts = parts(text);
    let all_words: Vec<String> = parts
        .iter()
        .flat_map(|p| match p {
            Part::Words(w) => w.clone(),
            Part::Phrase(t) | Part::Required(t) => lexicon::surface_words(t),
            _ => Vec::new(),
        })
        .collect();
    let sources = query_languages(&all_words, lexicon);
    let mut planner = Planner {
        lexicon,
        glossary: Glossary::shipped(),
        sources,
        exclude,
        expansions: Vec::new(),
        shown: HashSet::new(),
    };
    let mut plan = Plan::default();
    let mut join_next = false;
    for part in parts {
        match part {
            Part::Or => join_next = !plan.optional.is_empty(),
            Part::Excluded(word) => plan.excluded.push(word),
            Part::Required(word) => plan.required.push(planner.concept(&word)),
            Part::Phrase(phrase) => plan.required.push(planner.phrase(&phrase)),
            Part::Words(words) => {
                for concept in planner.concepts(&words) {
                    if join_next && let Some(last) = plan.optional.last_mut() {
                        last.alternatives.extend(concept.alternatives);
                    } else {
                        plan.optional.push(concept);
                    }
                    join_next = false;
                }
            }
        }
    }
    plan.optional.truncate(MAX_CONCEPTS);
    plan.required.truncate(MAX_CONCEPTS);
    plan.expansions = planner.expansions;
    plan
}

/// Splits the query into words, phrases and operators. Parentheses group
/// nothing here (every word is its own concept anyway).
fn parts(text: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, parts: &mut Vec<Part>| {
        if !run.is_empty() {
            parts.push(Part::Words(std::mem::take(run)));
        }
    };
    let mut negate_next = false;
    for token in scan(text) {
        match token {
            Token::Word(word) if negate_next => {
                flush(&mut run, &mut parts);
                parts.push(Part::Excluded(word.to_owned()));
                negate_next = false;
            }
            // "l'égalité", "non-recours": the words inside, each on its own.
            Token::Word(word) => run.extend(lexicon::surface_words(word)),
            Token::Phrase(inner) => {
                flush(&mut run, &mut parts);
                if !inner.trim().is_empty() {
                    parts.push(Part::Phrase(inner.to_owned()));
                }
            }
            Token::Opaque(raw) => {
                flush(&mut run, &mut parts);
                match raw {
                    "OR" => parts.push(Part::Or),
                    "NOT" => negate_next = true,
                    "AND" | "(" | ")" => {}
                    _ => {
                        let (sign, rest) = raw.split_at(raw.starts_with(['-', '+']) as usize);
                        let rest = rest.trim_matches(|c: char| !c.is_alphanumeric());
                        let rest = rest.trim_matches('"');
                        if rest.is_empty() {
                            continue;
                        }
                        match sign {
                            "-" => parts.push(Part::Excluded(rest.to_owned())),
                            "+" => parts.push(Part::Required(rest.to_owned())),
                            _ => run.extend(lexicon::surface_words(rest)),
                        }
                    }
                }
            }
        }
    }
    flush(&mut run, &mut parts);
    parts
}

/// The languages the query's words are most likely written in: Arabic
/// script is Arabic; otherwise the languages whose stop words and known
/// words cover the query best (all three Latin languages when nothing
/// tells them apart).
fn query_languages(words: &[String], lexicon: &Lexicon) -> Vec<&'static str> {
    let text = words.join(" ");
    if lexicon::is_arabic_script(&text) {
        return vec!["ar"];
    }
    let scores: Vec<(&'static str, usize)> = ["en", "fr", "es"]
        .into_iter()
        .map(|language| {
            let analysis = Analysis::stemmed_for(language).unwrap_or(Analysis::Any);
            let score = words
                .iter()
                .map(|w| {
                    if lexicon::is_stop_word(language, w) {
                        2
                    } else {
                        analysis
                            .tokens(w)
                            .first()
                            .is_some_and(|stem| lexicon.knows(language, w, stem))
                            as usize
                    }
                })
                .sum();
            (language, score)
        })
        .collect();
    let best = scores.iter().map(|s| s.1).max().unwrap_or(0);
    if best == 0 {
        return vec!["en", "fr", "es"];
    }
    scores
        .into_iter()
        .filter(|(_, score)| *score * 4 >= best * 3)
        .map(|(language, _)| language)
        .collect()
}

struct Planner<'a> {
    lexicon: &'a Lexicon,
    glossary: &'a Glossary,
    sources: Vec<&'static str>,
    exclude: HashSet<String>,
    expansions: Vec<Expansion>,
    shown: HashSet<(String, String)>,
}

impl Planner<'_> {
    fn is_stop_word(&self, word: &str) -> bool {
        self.sources
            .iter()
            .any(|l| lexicon::is_stop_word(l, &word.to_lowercase()))
    }

    fn excluded(&self, term: &str) -> bool {
        self.exclude.contains(&term.to_lowercase())
    }

    fn show(&mut self, term: &str, language: &str) {
        let key = (term.to_lowercase(), language.to_owned());
        if self.shown.insert(key) {
            self.expansions.push(Expansion {
                term: term.to_owned(),
                language: language.to_owned(),
            });
        }
    }

    /// The concepts of a run of plain words: glossary terms longest first,
    /// then single content words.
    fn concepts(&mut self, words: &[String]) -> Vec<ConceptPlan> {
        let mut concepts = Vec::new();
        let content: Vec<&String> = words.iter().filter(|w| !self.is_stop_word(w)).collect();
        // A query of stop words only is searched as typed.
        if content.is_empty() {
            return words
                .iter()
                .map(|w| ConceptPlan {
                    alternatives: vec![Alternative::Typed(w.clone())],
                })
                .collect();
        }
        let mut i = 0;
        while i < words.len() {
            let window = self.glossary.window().min(words.len() - i);
            let term = (2..=window).rev().find_map(|n| {
                let text = words[i..i + n].join(" ");
                self.glossary.concept_of(&text).map(|c| (n, text, c))
            });
            if let Some((n, text, concept)) = term {
                let mut plan = ConceptPlan {
                    alternatives: vec![Alternative::Typed(text.clone())],
                };
                self.glossary_terms(&mut plan, &text, &concept.terms);
                // The words inside the term expand too, at a lower weight.
                for word in &words[i..i + n] {
                    if !self.is_stop_word(word) {
                        self.translations(&mut plan, word, 0.5);
                    }
                }
                concepts.push(plan);
                i += n;
                continue;
            }
            let word = &words[i];
            i += 1;
            if self.is_stop_word(word) {
                continue;
            }
            concepts.push(self.concept(word));
        }
        concepts
    }

    /// One word as a concept: as typed, its glossary concept, its
    /// translations.
    fn concept(&mut self, word: &str) -> ConceptPlan {
        let mut plan = ConceptPlan {
            alternatives: vec![Alternative::Typed(word.to_owned())],
        };
        if let Some(concept) = self.glossary.concept_of(word) {
            let terms = concept.terms.clone();
            self.glossary_terms(&mut plan, word, &terms);
        }
        self.translations(&mut plan, word, 1.0);
        plan
    }

    /// A quoted phrase: as typed, and its glossary concept's other terms
    /// when it names one (a phrase is not translated word by word).
    fn phrase(&mut self, phrase: &str) -> ConceptPlan {
        let mut plan = ConceptPlan {
            alternatives: vec![Alternative::Typed(phrase.to_owned())],
        };
        if let Some(concept) = self.glossary.concept_of(phrase) {
            let terms = concept.terms.clone();
            self.glossary_terms(&mut plan, phrase, &terms);
        }
        plan
    }

    fn glossary_terms(&mut self, plan: &mut ConceptPlan, typed: &str, terms: &[(&str, String)]) {
        let typed = Analysis::Any.tokens(typed);
        for (language, term) in terms {
            let Some(language) = LANGUAGES.iter().copied().find(|l| l == language) else {
                continue;
            };
            if Analysis::Any.tokens(term) == typed || self.excluded(term) {
                continue;
            }
            plan.alternatives.push(Alternative::Term {
                language,
                text: term.clone(),
                weight: GLOSSARY_WEIGHT,
            });
            self.show(term, language);
        }
    }

    /// Adds the lexicon's translations of `word` from each likely source
    /// language, scaled by `scale`.
    fn translations(&mut self, plan: &mut ConceptPlan, word: &str, scale: f32) {
        let sources = self.sources.clone();
        for source in sources {
            let analysis = Analysis::stemmed_for(source).unwrap_or(Analysis::Any);
            let Some(stem) = analysis.tokens(word).into_iter().next() else {
                continue;
            };
            let lowered = word.to_lowercase();
            let translations: Vec<_> = self
                .lexicon
                .translations(source, &stem)
                .iter()
                .chain(self.lexicon.word_translations(source, &lowered))
                .cloned()
                .collect();
            for t in translations {
                if t.weight < MIN_WEIGHT || t.language == source || self.excluded(&t.surface) {
                    continue;
                }
                let weight = t.weight * LEXICON_WEIGHT * scale;
                let duplicate = plan.alternatives.iter_mut().find_map(|a| match a {
                    Alternative::Stem {
                        language,
                        stem,
                        weight,
                    } if *language == t.language && *stem == t.stem => Some(weight),
                    _ => None,
                });
                match duplicate {
                    Some(existing) => *existing = existing.max(weight),
                    None => plan.alternatives.push(Alternative::Stem {
                        language: t.language,
                        stem: t.stem.clone(),
                        weight,
                    }),
                }
                if t.weight >= SHOWN_WEIGHT && scale >= 1.0 {
                    self.show(&t.surface, t.language);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimum_grows_with_the_query() {
        let m = |n| minimum_should_match(n, false);
        assert_eq!((m(0), m(1), m(2), m(3)), (0, 1, 1, 2));
        assert_eq!(m(5), 2);
        assert_eq!(m(10), 4);
        assert_eq!(minimum_should_match(4, true), 0);
    }

    #[test]
    fn syntax_becomes_required_excluded_and_alternatives() {
        let lexicon = Lexicon::default();
        let plan = plan(
            r#"+seizure "free zone" -perfume customs OR douane"#,
            &lexicon,
            &[],
        );
        assert_eq!(plan.required.len(), 2);
        assert_eq!(plan.excluded, ["perfume"]);
        assert_eq!(plan.optional.len(), 1, "{:?}", plan.optional);
        let typed: Vec<_> = plan.optional[0]
            .alternatives
            .iter()
            .filter_map(|a| match a {
                Alternative::Typed(t) => Some(t.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(typed, ["customs", "douane"]);
    }

    #[test]
    fn stop_words_go_and_glossary_terms_stay_whole() {
        let lexicon = Lexicon::default();
        let plan = plan("the sale of falsified medicines", &lexicon, &[]);
        assert_eq!(plan.optional.len(), 2, "{:?}", plan.optional);
        assert!(
            plan.expansions
                .iter()
                .any(|e| e.term == "médicament falsifié" && e.language == "fr"),
            "{:?}",
            plan.expansions
        );
        let without = super::plan(
            "falsified medicines",
            &lexicon,
            &["Médicament falsifié".to_owned()],
        );
        assert!(
            !without
                .expansions
                .iter()
                .any(|e| e.term == "médicament falsifié"),
            "{:?}",
            without.expansions
        );
    }

    #[test]
    fn the_query_language_is_guessed_from_its_words() {
        let lexicon = Lexicon::default();
        let words = |t: &str| lexicon::surface_words(t);
        assert_eq!(query_languages(&words("تهريب السجائر"), &lexicon), ["ar"]);
        let french = query_languages(&words("la vente de faux médicaments"), &lexicon);
        assert!(
            french.contains(&"fr") && !french.contains(&"en"),
            "{french:?}"
        );
        assert_eq!(
            query_languages(&words("the sale of cigarettes"), &lexicon),
            ["en"]
        );
    }
}
