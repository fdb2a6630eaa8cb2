//! End-to-end behaviour of the public API: indexing, committing, searching.

use search_index::{
    IndexDoc, MAX_QUERY_CHARS, MEMBERS_KEY, SearchError, SearchIndex, SearchQuery, group_key,
};

/// A members-visible English question in France; tests override what they need.
fn post(post_id: u64, title: &str, body_text: &str) -> IndexDoc {
    IndexDoc {
        post_id,
        thread_id: post_id * 10,
        title: title.to_owned(),
        body_text: body_text.to_owned(),
        language: "en".to_owned(),
        jurisdictions: vec!["FR".to_owned()],
        kind: "question".to_owned(),
        category_id: 1,
        acl: vec![MEMBERS_KEY.to_owned()],
        created_at: 1_700_000_000,
    }
}

/// A search by an ordinary member.
fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.to_owned(),
        acl: vec![MEMBERS_KEY.to_owned()],
        jurisdiction: None,
        kind: None,
        limit: 10,
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
    spain.jurisdictions = vec!["ES".to_owned()];
    let mut both = post(3, "Counterfeit in the EU", "Both countries.");
    both.jurisdictions = vec!["ES".to_owned(), "FR".to_owned()];
    both.kind = "answer".to_owned();
    let index = index_with(&[post(1, "Counterfeit in France", "Customs."), spain, both]);

    let mut in_spain = query("counterfeit");
    in_spain.jurisdiction = Some("ES".to_owned());
    let mut seen = ids(&index, &in_spain);
    seen.sort_unstable();
    assert_eq!(seen, [2, 3]);
    assert_eq!(index.search(&in_spain).unwrap().total, 2);

    let mut in_germany = query("counterfeit");
    in_germany.jurisdiction = Some("DE".to_owned());
    assert_eq!(index.search(&in_germany).unwrap().total, 0);

    let mut answers_in_france = query("counterfeit");
    answers_in_france.jurisdiction = Some("FR".to_owned());
    answers_in_france.kind = Some("answer".to_owned());
    assert_eq!(ids(&index, &answers_in_france), [3]);

    // A blank filter is no filter.
    let mut blank = query("counterfeit");
    blank.jurisdiction = Some(" ".to_owned());
    blank.kind = Some(String::new());
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
    filtered.jurisdiction = Some("FR".to_owned());
    filtered.kind = Some("question".to_owned());
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
