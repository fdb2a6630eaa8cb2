//! The free text of a query, planned: `match=all` parsed as typed
//! (glossary phrases expanded), otherwise concepts with their translations
//! (`crate::plan`) as one ranked boolean query; built plans are cached.
//! Also the "did you mean" spelling for words that match nothing.

use super::*;

/// Parentheses nested deeper than this are dropped before parsing: the
/// parser recurses once per level and would overflow the stack on a few
/// hundred. Real queries nest two or three levels.
pub(super) const MAX_NESTING: usize = 16;

/// `text` with every colon outside quotes replaced by a space. Field names
/// (`acl:x`, `text_any:*`) are not part of the search language: some fail
/// in tantivy ("not a fast field"), and none is needed. A quoted colon
/// stays (`"ECLI:FR:CCASS:2019:CR00321"`); unquoted, `untoc:5` becomes the
/// words `untoc 5`.
pub(super) fn without_field_names(text: &str) -> Cow<'_, str> {
    if !text.contains(':') {
        return Cow::Borrowed(text);
    }
    let mut quoted = false;
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '"' => {
                    quoted = !quoted;
                    c
                }
                ':' if !quoted => ' ',
                c => c,
            })
            .collect(),
    )
}

/// How much the other alternatives of a concept add to the best one.
pub(super) const CONCEPT_TIE_BREAKER: f32 = 0.1;

/// tantivy's term dictionary walks any `tantivy_fst::Automaton`; this
/// adapts a Levenshtein DFA to it.
pub(super) struct DfaWrapper(levenshtein_automata::DFA);

impl tantivy_fst::Automaton for DfaWrapper {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(
            self.0.distance(*state),
            levenshtein_automata::Distance::Exact(_)
        )
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// The longest prefix of `text` with at most `max` characters.
pub(super) fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// `text` with every parenthesis replaced by a space if they nest deeper
/// than [`MAX_NESTING`]; `text` itself otherwise. Parentheses inside quotes
/// are counted too, which errs on the side of flattening.
pub(super) fn flatten_deep_nesting(text: &str) -> Cow<'_, str> {
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Cow::Owned(text.replace(['(', ')'], " "));
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Cow::Borrowed(text)
}

/// What a text query is built from.
pub(super) type PlanKey = (String, bool, Vec<String>);

/// A built text query and the expansions it searched.
pub(super) type Built = (Box<dyn Query>, Vec<Expansion>);

/// The last few hundred text queries built, by what they were built from.
#[derive(Default)]
pub(crate) struct PlanCache(std::sync::Mutex<HashMap<PlanKey, Built>>);

impl PlanCache {
    /// Built queries kept at most (then the cache starts again).
    const CAPACITY: usize = 256;

    fn get(&self, key: &PlanKey) -> Option<Built> {
        let plans = self.0.lock().unwrap_or_else(|e| e.into_inner());
        plans
            .get(key)
            .map(|(built, expansions)| (built.box_clone(), expansions.clone()))
    }

    fn put(&self, key: PlanKey, built: Box<dyn Query>, expansions: Vec<Expansion>) {
        let mut plans = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if plans.len() >= Self::CAPACITY {
            plans.clear();
        }
        plans.insert(key, (built, expansions));
    }
}

impl SearchIndex {
    /// The free-text part and the expansions it searched: ranked and
    /// translated ([`crate::plan`]), or with `match_all` every word
    /// required and only glossary phrases expanded.
    ///
    /// The viewer may not name fields: colons are spaces, so the access
    /// clause, a separate required clause, can never be addressed.
    pub(super) fn text_query(&self, query: &SearchQuery) -> (Box<dyn Query>, Vec<Expansion>) {
        let key = (
            query.text.clone(),
            query.match_all,
            query.exclude_terms.clone(),
        );
        if let Some((built, expansions)) = self.plans.get(&key) {
            return (built, expansions);
        }
        let (built, expansions) = self.build_text_query(query);
        self.plans.put(key, built.box_clone(), expansions.clone());
        (built, expansions)
    }

    pub(super) fn build_text_query(&self, query: &SearchQuery) -> (Box<dyn Query>, Vec<Expansion>) {
        let text = flatten_deep_nesting(truncate_chars(&query.text, MAX_QUERY_CHARS));
        if text.trim().is_empty() {
            return (Box::new(AllQuery), Vec::new());
        }
        let text = without_field_names(&text);
        if query.match_all {
            let expanded = Glossary::shipped().expand(&text);
            // Lenient parsing recovers from syntax errors by dropping what
            // it cannot understand; the errors are of no use to the viewer.
            let (parsed, _errors) = self.parser.parse_query_lenient(&expanded);
            return (parsed, Vec::new());
        }
        let plan = plan::plan(&text, self.lexicon(), &query.exclude_terms);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for concept in &plan.required {
            if let Some(q) = self.concept_query(concept) {
                clauses.push((Occur::Must, q));
            }
        }
        let mut optional = 0;
        let mut every: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for concept in &plan.optional {
            if let Some(q) = self.concept_query(concept) {
                every.push((Occur::Must, q.box_clone()));
                clauses.push((Occur::Should, q));
                optional += 1;
            }
        }
        if optional >= 2 {
            // Posts matching every concept score their concepts twice, so
            // they rank above posts matching only some (BM25 alone favours
            // short posts with a few of the words). It only ever matches
            // posts that pass the minimum anyway.
            clauses.push((Occur::Should, Box::new(BooleanQuery::new(every))));
        }
        for word in &plan.excluded {
            if let Some(q) = self.typed_query(word) {
                clauses.push((Occur::MustNot, q));
            }
        }
        let has_required = clauses.iter().any(|(o, _)| *o == Occur::Must);
        if !has_required && optional == 0 {
            // Nothing to look for but exclusions (or nothing at all).
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        let minimum = plan::minimum_should_match(optional, has_required);
        // The bonus clause is a should clause too: the minimum counts it
        // only for posts that match every concept (and so pass anyway).
        (
            Box::new(BooleanQuery::with_minimum_required_clauses(
                clauses, minimum,
            )),
            plan.expansions,
        )
    }

    /// One concept: the best of its alternatives, plus a small share of
    /// the others.
    pub(super) fn concept_query(&self, concept: &plan::ConceptPlan) -> Option<Box<dyn Query>> {
        let alternatives: Vec<Box<dyn Query>> = concept
            .alternatives
            .iter()
            .filter_map(|alternative| match alternative {
                plan::Alternative::Typed(text) => self.typed_query(text),
                plan::Alternative::Term {
                    language,
                    text,
                    weight,
                } => {
                    let analysis = Analysis::stemmed_for(language)?;
                    let tokens = analysis.tokens(text);
                    self.language_query(analysis, &tokens)
                        .map(|q| boost(q, *weight))
                }
                plan::Alternative::Stem {
                    language,
                    stem,
                    weight,
                } => {
                    let analysis = Analysis::stemmed_for(language)?;
                    self.language_query(analysis, std::slice::from_ref(stem))
                        .map(|q| boost(q, *weight))
                }
            })
            .collect();
        match alternatives.len() {
            0 => None,
            1 => alternatives.into_iter().next(),
            _ => Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
                alternatives,
                CONCEPT_TIE_BREAKER,
            ))),
        }
    }

    /// Words as typed, over every analysis' fields (titles and names
    /// boosted); several tokens are a phrase.
    pub(super) fn typed_query(&self, text: &str) -> Option<Box<dyn Query>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = Analysis::ALL
            .iter()
            .filter_map(|&analysis| {
                let tokens = analysis.tokens(text);
                self.language_query(analysis, &tokens)
            })
            .map(|q| (Occur::Should, q))
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// `tokens` (as `analysis` stores them) in its title, text and names
    /// fields.
    pub(super) fn language_query(
        &self,
        analysis: Analysis,
        tokens: &[String],
    ) -> Option<Box<dyn Query>> {
        if tokens.is_empty() {
            return None;
        }
        let pair = self.fields.text(analysis);
        let clauses: Vec<(Occur, Box<dyn Query>)> = [
            (pair.title, TITLE_BOOST),
            (pair.text, 1.0),
            (pair.names, NAMES_BOOST),
        ]
        .into_iter()
        .map(|(field, weight)| {
            let query: Box<dyn Query> = if tokens.len() == 1 {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &tokens[0]),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(
                    tokens
                        .iter()
                        .map(|t| Term::from_field_text(field, t))
                        .collect(),
                ))
            };
            (Occur::Should, boost(query, weight))
        })
        .collect();
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// A spelling the index knows for the first query word that matches
    /// nothing: a word of at least five letters within edit distance 1 (2
    /// for nine letters or more) of a term in the language-neutral fields,
    /// the most frequent first.
    pub(super) fn suggestion(&self, searcher: &Searcher, text: &str) -> Option<String> {
        let words = crate::lexicon::surface_words(text);
        let any = self.fields.text(Analysis::Any);
        let doc_freq = |word: &str| -> u64 {
            [any.title, any.text]
                .iter()
                .map(|&field| {
                    searcher
                        .doc_freq(&Term::from_field_text(field, word))
                        .unwrap_or(0)
                })
                .sum()
        };
        let mut changed = false;
        let mut corrected = Vec::with_capacity(words.len());
        for word in &words {
            let letters = word.chars().count();
            if letters < 5 || doc_freq(word) > 0 || word.chars().any(|c| c.is_numeric()) {
                corrected.push(word.clone());
                continue;
            }
            let distance = if letters >= 9 { 2 } else { 1 };
            match self.closest_term(searcher, word, distance) {
                Some(better) => {
                    changed = true;
                    corrected.push(better);
                }
                None => corrected.push(word.clone()),
            }
        }
        changed.then(|| corrected.join(" "))
    }

    /// The most frequent indexed word within `distance` edits of `word`.
    pub(super) fn closest_term(
        &self,
        searcher: &Searcher,
        word: &str,
        distance: u8,
    ) -> Option<String> {
        let builder = levenshtein_automata::LevenshteinAutomatonBuilder::new(distance, true);
        let automaton = DfaWrapper(builder.build_dfa(word));
        let any = self.fields.text(Analysis::Any);
        let mut best: Option<(u64, String)> = None;
        for segment in searcher.segment_readers() {
            for field in [any.title, any.text] {
                let Ok(index) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut stream) = index.terms().search(&automaton).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    let frequency = u64::from(stream.value().doc_freq);
                    if candidate != word && best.as_ref().is_none_or(|(f, _)| frequency > *f) {
                        best = Some((frequency, candidate.to_owned()));
                    }
                }
            }
        }
        best.map(|(_, term)| term)
    }
}
