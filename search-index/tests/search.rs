//! End-to-end behaviour of the public API: indexing, committing, searching.

use search_index::{
    Filters, IndexDoc, JurisdictionTag, MAX_QUERY_CHARS, MEMBERS_KEY, RelatedTo, SearchError,
    SearchIndex, SearchQuery, Sort, group_key,
};

/// A jurisdiction tag inside the given regions.
fn tag(code: &str, within: &[&str]) -> JurisdictionTag {
    JurisdictionTag {
        code: code.to_owned(),
        within: within.iter().map(|r| (*r).to_owned()).collect(),
    }
}

/// A members-visible English question in France; tests override what they need.
fn post(post_id: u64, title: &str, body_text: &str) -> IndexDoc {
    IndexDoc {
        post_id,
        thread_id: post_id * 10,
        title: title.to_owned(),
        opening: true,
        body_text: body_text.to_owned(),
        language: "en".to_owned(),
        jurisdictions: vec![tag("FR", &["EU"])],
        kind: "question".to_owned(),
        category_id: 1,
        acl: vec![MEMBERS_KEY.to_owned()],
        created_at: 1_700_000_000,
        ..IndexDoc::default()
    }
}

/// A search by an ordinary member.
fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_owned(),
        acl: vec![MEMBERS_KEY.to_owned()],
        limit: 10,
        ..SearchQuery::default()
    }
}

/// An in-memory index holding `docs`, committed at sequence 1.
fn index_with(docs: &[IndexDoc]) -> SearchIndex {
    let index = SearchIndex::open_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    for doc in docs {
        writer.add(doc).unwrap();
    }
    writer.commit(1).unwrap();
    index
}

/// The post ids of the hits, best first.
fn ids(index: &SearchIndex, query: &SearchQuery) -> Vec<u64> {
    let results = index.search(query).unwrap();
    results.hits.iter().map(|hit| hit.post_id).collect()
}

#[test]
fn english_stemming_finds_other_inflections() {
    let index = index_with(&[
        post(1, "Border seizures", "The goods were counterfeit."),
        post(2, "Unrelated", "A question about leases."),
    ]);
    assert_eq!(ids(&index, &query("counterfeiting")), [1]);
    assert_eq!(ids(&index, &query("seizure")), [1]);
}

#[test]
fn french_stemming_finds_other_inflections_with_or_without_accents() {
    let mut doc = post(
        1,
        "Autorisation de mise sur le marché",
        "Un médicament générique.",
    );
    doc.language = "fr".to_owned();
    let index = index_with(&[doc, post(2, "Unrelated", "Nothing here.")]);
    assert_eq!(ids(&index, &query("médicaments")), [1]);
    assert_eq!(ids(&index, &query("medicaments")), [1]);
    assert_eq!(ids(&index, &query("génériques")), [1]);
}

#[test]
fn spanish_and_arabic_posts_are_stemmed_too() {
    let mut spanish = post(1, "Contrato de arrendamiento", "Cláusulas abusivas.");
    spanish.language = "es".to_owned();
    let mut arabic = post(2, "المحكمة التجارية", "قرار المحكمة");
    arabic.language = "ar".to_owned();
    let index = index_with(&[spanish, arabic]);
    assert_eq!(ids(&index, &query("contratos")), [1]);
    assert_eq!(ids(&index, &query("clausula")), [1]);
    // "court", without the article "al-" that the post uses.
    assert_eq!(ids(&index, &query("محكمة")), [2]);
}

#[test]
fn other_languages_still_match_exact_words() {
    let mut german = post(1, "Markenrecht", "Produktpiraterie an der Grenze.");
    german.language = "de".to_owned();
    let index = index_with(&[german]);
    assert_eq!(ids(&index, &query("produktpiraterie")), [1]);
}

#[test]
fn title_matches_outrank_body_matches() {
    // Same words, same lengths: only where "trademark" appears differs.
    let index = index_with(&[
        post(
            1,
            "Question about customs",
            "Is this trademark valid in France?",
        ),
        post(
            2,
            "Question about trademark",
            "Is this customs rule valid in France?",
        ),
    ]);
    let results = index.search(&query("trademark")).unwrap();
    assert_eq!(results.total, 2);
    assert_eq!(results.hits[0].post_id, 2);
    assert_eq!(results.hits[1].post_id, 1);
    assert!(results.hits[0].score > results.hits[1].score);
}

#[test]
fn acl_hides_posts_outside_the_viewers_keys() {
    let mut restricted = post(2, "Counterfeit strategy", "Group-only discussion.");
    restricted.acl = vec![group_key(3)];
    let mut shared = post(3, "Counterfeit shared", "Visible to two groups.");
    shared.acl = vec![group_key(3), group_key(4)];
    let index = index_with(&[
        post(1, "Counterfeit basics", "Open to members."),
        restricted,
        shared,
    ]);

    // An ordinary member sees only the open post, and the count agrees.
    let member = index.search(&query("counterfeit")).unwrap();
    assert_eq!(member.total, 1);
    assert_eq!(member.hits.len(), 1);
    assert_eq!(member.hits[0].post_id, 1);

    // A member of group 4 also sees the post shared with it.
    let mut group_4 = query("counterfeit");
    group_4.acl.push(group_key(4));
    let mut seen = ids(&index, &group_4);
    seen.sort_unstable();
    assert_eq!(seen, [1, 3]);

    // A member of group 3 sees everything.
    let mut group_3 = query("counterfeit");
    group_3.acl.push(group_key(3));
    assert_eq!(index.search(&group_3).unwrap().total, 3);

    // Blank text lists what the viewer may see, nothing more.
    assert_eq!(ids(&index, &query("")), [1]);
}

#[test]
fn query_syntax_cannot_escape_the_acl() {
    let mut restricted = post(2, "Counterfeit strategy", "Group-only discussion.");
    restricted.acl = vec![group_key(3)];
    let index = index_with(&[post(1, "Counterfeit basics", "Open."), restricted]);
    for text in [
        "counterfeit OR acl:group:3",
        "acl:\"group:3\"",
        "* OR counterfeit",
        "-nothing",
        "strategy",
    ] {
        let results = index.search(&query(text)).unwrap();
        assert!(
            results.hits.iter().all(|hit| hit.post_id != 2),
            "{text:?} leaked post 2"
        );
    }
}

#[test]
fn a_viewer_without_keys_sees_nothing() {
    let index = index_with(&[post(1, "Counterfeit", "Open to members.")]);
    let mut nobody = query("counterfeit");
    nobody.acl.clear();
    let results = index.search(&nobody).unwrap();
    assert_eq!(results.total, 0);
    assert!(results.hits.is_empty());
}

#[test]
fn jurisdiction_and_kind_filters_narrow_results() {
    let mut spain = post(2, "Counterfeit in Spain", "Customs practice.");
    spain.jurisdictions = vec![tag("ES", &["EU"])];
    let mut both = post(3, "Counterfeit in the EU", "Both countries.");
    both.jurisdictions = vec![tag("ES", &["EU"]), tag("FR", &["EU"])];
    both.kind = "answer".to_owned();
    let index = index_with(&[post(1, "Counterfeit in France", "Customs."), spain, both]);

    let mut in_spain = query("counterfeit");
    in_spain.filters.jurisdiction = Some("ES".to_owned());
    let mut seen = ids(&index, &in_spain);
    seen.sort_unstable();
    assert_eq!(seen, [2, 3]);
    assert_eq!(index.search(&in_spain).unwrap().total, 2);

    let mut in_germany = query("counterfeit");
    in_germany.filters.jurisdiction = Some("DE".to_owned());
    assert_eq!(index.search(&in_germany).unwrap().total, 0);

    let mut answers_in_france = query("counterfeit");
    answers_in_france.filters.jurisdiction = Some("FR".to_owned());
    answers_in_france.filters.kind = Some("answer".to_owned());
    assert_eq!(ids(&index, &answers_in_france), [3]);

    // A blank filter is no filter.
    let mut blank = query("counterfeit");
    blank.filters.jurisdiction = Some(" ".to_owned());
    blank.filters.kind = Some(String::new());
    assert_eq!(index.search(&blank).unwrap().total, 3);
}

#[test]
fn filters_do_not_change_scores() {
    let index = index_with(&[
        post(1, "Counterfeit goods", "Seized at the border."),
        post(
            2,
            "Customs",
            "Counterfeit goods seized at the border, twice.",
        ),
    ]);
    let plain = index.search(&query("counterfeit")).unwrap();
    let mut filtered = query("counterfeit");
    filtered.filters.jurisdiction = Some("FR".to_owned());
    filtered.filters.kind = Some("question".to_owned());
    assert_eq!(index.search(&filtered).unwrap(), plain);
}

#[test]
fn adding_a_post_again_replaces_it() {
    let index = index_with(&[post(1, "Original title", "First draft about leases.")]);

    let mut writer = index.writer().unwrap();
    writer
        .add(&post(1, "Edited title", "Second draft about tenancy."))
        .unwrap();
    // Twice in one batch still leaves a single copy.
    writer
        .add(&post(1, "Edited title", "Final draft about tenancy."))
        .unwrap();
    writer.commit(2).unwrap();

    assert_eq!(index.num_docs(), 1);
    assert_eq!(index.search(&query("tenancy")).unwrap().total, 1);
    assert_eq!(index.search(&query("final")).unwrap().total, 1);
    assert_eq!(index.search(&query("leases")).unwrap().total, 0);
    assert_eq!(index.search(&query("original")).unwrap().total, 0);
}

#[test]
fn deleted_posts_disappear() {
    let index = index_with(&[
        post(1, "Counterfeit", "One."),
        post(2, "Counterfeit", "Two."),
    ]);
    let mut writer = index.writer().unwrap();
    writer.delete_post(1);
    writer.delete_post(99); // Unknown: no-op.
    writer.commit(2).unwrap();
    assert_eq!(ids(&index, &query("counterfeit")), [2]);
    assert_eq!(index.num_docs(), 1);
}

#[test]
fn changes_are_invisible_until_committed_and_dropped_without_commit() {
    let index = index_with(&[]);
    {
        let mut writer = index.writer().unwrap();
        writer.add(&post(1, "Counterfeit", "Pending.")).unwrap();
        assert_eq!(index.search(&query("counterfeit")).unwrap().total, 0);
    }
    // The writer was dropped without committing: its batch is gone.
    let mut writer = index.writer().unwrap();
    writer.commit(2).unwrap();
    assert_eq!(index.search(&query("counterfeit")).unwrap().total, 0);
    assert_eq!(index.last_indexed_seq().unwrap(), Some(2));
}

#[test]
fn only_one_writer_at_a_time() {
    let index = index_with(&[]);
    let writer = index.writer().unwrap();
    assert!(matches!(index.writer(), Err(SearchError::Tantivy(_))));
    drop(writer);
    assert!(index.writer().is_ok());
}

#[test]
fn commit_seq_survives_reopening_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    {
        let index = SearchIndex::open_or_create(&path).unwrap();
        assert_eq!(index.last_indexed_seq().unwrap(), None);
        let mut writer = index.writer().unwrap();
        writer.add(&post(1, "Counterfeit", "Persisted.")).unwrap();
        writer.commit(41).unwrap();
        writer
            .add(&post(2, "Counterfeit", "Persisted too."))
            .unwrap();
        writer.commit(42).unwrap();
        assert_eq!(index.last_indexed_seq().unwrap(), Some(42));
    }

    let reopened = SearchIndex::open_or_create(&path).unwrap();
    assert_eq!(reopened.last_indexed_seq().unwrap(), Some(42));
    assert_eq!(reopened.search(&query("counterfeit")).unwrap().total, 2);

    // A negative or zero seq is stored as given.
    let mut writer = reopened.writer().unwrap();
    writer.commit(0).unwrap();
    assert_eq!(reopened.last_indexed_seq().unwrap(), Some(0));
}

#[test]
fn an_index_with_another_schema_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut builder = tantivy::schema::Schema::builder();
    builder.add_text_field("something_else", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(dir.path(), builder.build()).unwrap();

    let error = SearchIndex::open_or_create(dir.path()).err().unwrap();
    assert!(
        matches!(error, SearchError::SchemaMismatch { .. }),
        "{error}"
    );
}

#[test]
fn malformed_queries_never_fail() {
    let index = index_with(&[
        post(1, "Counterfeit goods", "At the border."),
        post(2, "Leases", "Nothing to do with it."),
    ]);
    let long = "counterfeit ".repeat(MAX_QUERY_CHARS);
    let nested = "(".repeat(MAX_QUERY_CHARS);
    for text in [
        "\"unterminated phrase",
        "title_en:",
        ":::",
        "((counterfeit",
        "counterfeit)",
        "AND OR NOT",
        "field_that_does_not_exist:x",
        "created_at:[abc TO",
        "post_id:notanumber",
        "^2.0",
        "*",
        "~",
        "\u{0}\u{202e}",
        long.as_str(),
        nested.as_str(),
    ] {
        let result = index.search(&query(text));
        assert!(result.is_ok(), "{text:?}: {result:?}");
    }
    // Recovery keeps what it understands.
    assert_eq!(ids(&index, &query("\"counterfeit goods")), [1]);
    assert_eq!(ids(&index, &query("((counterfeit")), [1]);
    // Absurd nesting is flattened, not a stack overflow.
    let buried = format!("{}counterfeit{}", "(".repeat(200), ")".repeat(200));
    assert_eq!(ids(&index, &query(&buried)), [1]);
}

#[test]
fn limit_bounds_hits_but_not_total() {
    let docs: Vec<IndexDoc> = (1..=5).map(|id| post(id, "Counterfeit", "Same.")).collect();
    let index = index_with(&docs);

    let mut two = query("counterfeit");
    two.limit = 2;
    let results = index.search(&two).unwrap();
    assert_eq!(results.total, 5);
    assert_eq!(results.hits.len(), 2);

    let mut count_only = query("counterfeit");
    count_only.limit = 0;
    let results = index.search(&count_only).unwrap();
    assert_eq!(results.total, 5);
    assert!(results.hits.is_empty());

    let mut huge = query("counterfeit");
    huge.limit = usize::MAX;
    assert_eq!(index.search(&huge).unwrap().hits.len(), 5);
}

#[test]
fn hits_carry_the_thread_id() {
    let index = index_with(&[post(7, "Counterfeit", "Body.")]);
    let results = index.search(&query("counterfeit")).unwrap();
    assert_eq!(results.hits[0].post_id, 7);
    assert_eq!(results.hits[0].thread_id, 70);
}

#[test]
fn the_index_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SearchIndex>();
    assert_send_sync::<search_index::IndexWriter>();
}

#[test]
fn region_filters_and_facets_count_member_countries() {
    let mut spain = post(1, "Seizure", "counterfeit");
    spain.jurisdictions = vec![tag("ES", &["EU", "COE"])];
    let mut eu = post(2, "Seizure", "counterfeit");
    eu.jurisdictions = vec![tag("EU", &[])];
    let mut morocco = post(3, "Seizure", "counterfeit");
    morocco.jurisdictions = vec![tag("MA", &["AFRICAN-UNION"])];
    let index = index_with(&[spain, eu, morocco]);

    let results = index.search(&query("seizure")).unwrap();
    let facets = &results.facets.jurisdiction;
    assert_eq!(facets["EU"], 2, "{facets:?}");
    assert_eq!(facets["ES"], 1);
    assert_eq!(facets["COE"], 1);
    assert_eq!(facets["AFRICAN-UNION"], 1);
    assert_eq!(facets["MA"], 1);
    // Every count is exactly what the filter on that value returns.
    for (code, count) in facets {
        let mut filtered = query("seizure");
        filtered.filters.jurisdiction = Some(code.clone());
        assert_eq!(
            index.search(&filtered).unwrap().total as u64,
            *count,
            "{code}"
        );
    }
    let mut in_eu = query("seizure");
    in_eu.filters.jurisdiction = Some("EU".into());
    let mut ids: Vec<u64> = index
        .search(&in_eu)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.post_id)
        .collect();
    ids.sort();
    assert_eq!(ids, [1, 2]);
}

#[test]
fn instrument_crime_area_language_and_author_filters() {
    let mut a = post(1, "Participation", "organised group");
    a.instruments = vec!["untoc".into(), "untoc:5".into()];
    a.crime_areas = vec!["counterfeiting".into()];
    a.author_id = 7;
    let mut b = post(2, "Participation", "organised group");
    b.instruments = vec!["untoc:6".into()];
    b.language = "fr".into();
    let index = index_with(&[a, b]);
    let results = index.search(&query("participation")).unwrap();
    assert_eq!(results.facets.instrument["untoc"], 2);
    assert_eq!(results.facets.crime_area["counterfeiting"], 1);
    assert_eq!(results.facets.language["fr"], 1);
    assert_eq!(results.facets.language["en"], 1);

    let only = |filters: Filters| {
        let mut q = query("participation");
        q.filters = filters;
        ids(&index, &q)
    };
    assert_eq!(
        only(Filters {
            instrument: Some("untoc:5".into()),
            ..Filters::default()
        }),
        [1]
    );
    assert_eq!(
        only(Filters {
            instrument: Some("untoc:6".into()),
            ..Filters::default()
        }),
        [2]
    );
    assert_eq!(
        only(Filters {
            crime_area: Some("counterfeiting".into()),
            ..Filters::default()
        }),
        [1]
    );
    assert_eq!(
        only(Filters {
            language: Some("fr-CA".into()),
            ..Filters::default()
        }),
        [2]
    );
    assert_eq!(
        only(Filters {
            author_id: Some(7),
            ..Filters::default()
        }),
        [1]
    );
    assert_eq!(
        only(Filters {
            category_id: Some(9),
            ..Filters::default()
        }),
        Vec::<u64>::new()
    );
}

#[test]
fn date_ranges_sorting_and_pages() {
    let docs: Vec<IndexDoc> = (1..=5)
        .map(|i| {
            let mut doc = post(i, "Customs", "customs seizure");
            doc.created_at = 1_700_000_000 + i as i64 * 1000;
            doc
        })
        .collect();
    let index = index_with(&docs);
    let mut newest = query("customs");
    newest.sort = Sort::Newest;
    assert_eq!(ids(&index, &newest), [5, 4, 3, 2, 1]);
    newest.offset = 2;
    newest.limit = 2;
    assert_eq!(ids(&index, &newest), [3, 2]);
    assert_eq!(index.search(&newest).unwrap().total, 5);

    let mut range = query("customs");
    range.filters.from = Some(1_700_002_000);
    range.filters.until = Some(1_700_004_000);
    let mut found = ids(&index, &range);
    found.sort();
    assert_eq!(found, [2, 3]);
}

#[test]
fn snippets_are_escaped_then_highlighted() {
    let body = "<script>alert(1)</script> The goods were counterfeit & seized.";
    let index = index_with(&[post(1, "Title", body)]);
    let snippets = index
        .snippets(
            &query("counterfeiting"),
            &[("en", body), ("en", "no match <here>")],
        )
        .unwrap();
    assert!(
        snippets[0].contains("<b>counterfeit</b>"),
        "{}",
        snippets[0]
    );
    assert!(snippets[0].contains("&lt;script&gt;") || !snippets[0].contains("script"));
    assert!(!snippets[0].contains("<script>"));
    assert_eq!(snippets[1], "no match &lt;here&gt;");
}

#[test]
fn glossary_terms_find_other_languages() {
    let mut french = post(
        1,
        "Contrefaçon de marque",
        "Les contrefaçons saisies en douane.",
    );
    french.language = "fr".into();
    let index = index_with(&[french, post(2, "Leases", "Nothing here.")]);
    assert_eq!(ids(&index, &query("counterfeiting")), [1]);
    assert_eq!(
        ids(&index, &query("counterfeiting -marque")),
        Vec::<u64>::new()
    );
}

#[test]
fn related_threads_resemble_the_source_and_respect_access() {
    let mut a = post(
        1,
        "Falsified medicines sold online",
        "pharmacy websites medicines falsified",
    );
    a.thread_id = 100;
    let mut b = post(
        2,
        "Online pharmacy prosecutions",
        "falsified medicines websites",
    );
    b.thread_id = 200;
    let mut secret = post(
        3,
        "Falsified medicines",
        "pharmacy websites medicines falsified",
    );
    secret.thread_id = 300;
    secret.acl = vec![group_key(5)];
    let mut c = post(4, "Tobacco", "cigarettes duty");
    c.thread_id = 400;
    let index = index_with(&[a, b, secret, c]);
    let source = RelatedTo {
        thread_id: 100,
        title: "Falsified medicines sold online".into(),
        body_text: "pharmacy websites medicines falsified".into(),
        language: "en".into(),
    };
    let members = [MEMBERS_KEY.to_owned()];
    let related = index
        .related(&source, &members, &Filters::default(), 5)
        .unwrap();
    let threads: Vec<u64> = related.iter().map(|h| h.thread_id).collect();
    assert_eq!(threads, [200]);
    let insiders = [MEMBERS_KEY.to_owned(), group_key(5)];
    let related = index
        .related(&source, &insiders, &Filters::default(), 5)
        .unwrap();
    assert_eq!(related.len(), 2);
}

#[test]
fn suggestions_complete_titles_the_viewer_may_see() {
    let open = post(1, "Customs seizure of falsified medicines", "x");
    let mut secret = post(2, "Customs secrets", "x");
    secret.acl = vec![group_key(5)];
    let index = index_with(&[open, secret]);
    let members = [MEMBERS_KEY.to_owned()];
    let ids = |prefix: &str| -> Vec<u64> {
        index
            .suggest(prefix, &members, 5)
            .unwrap()
            .iter()
            .map(|h| h.post_id)
            .collect()
    };
    assert_eq!(ids("cust"), [1]);
    assert_eq!(ids("customs sei"), [1]);
    assert_eq!(ids("customs sec"), Vec::<u64>::new());
    assert_eq!(ids("  "), Vec::<u64>::new());
}

#[test]
fn fingerprints_tell_versions_apart() {
    let first = index_with(&[post(1, "A", "x"), post(2, "B", "y")]);
    let same = index_with(&[post(2, "B", "y"), post(1, "A", "x")]);
    let edited = index_with(&[post(1, "A", "x"), post(2, "B", "z")]);
    assert_eq!(first.fingerprints().unwrap(), same.fingerprints().unwrap());
    assert_ne!(
        first.fingerprints().unwrap(),
        edited.fingerprints().unwrap()
    );
    assert_eq!(first.fingerprints().unwrap().len(), 2);
}

#[test]
fn only_the_opening_post_is_found_by_the_title() {
    let opening = post(1, "Counterfeit perfume", "The case.");
    let mut reply = post(2, "Counterfeit perfume", "I agree with the analysis.");
    reply.thread_id = opening.thread_id;
    reply.opening = false;
    let index = index_with(&[opening, reply]);
    assert_eq!(ids(&index, &query("perfume")), [1]);
    assert_eq!(ids(&index, &query("agree")), [2]);
}
