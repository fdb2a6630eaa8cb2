//! Diesel table definitions, written by hand to match `migrations/sqlite` and
//! `migrations/postgres` (a test checks that both dialects agree).

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        country -> Text,
        profession -> Text,
        created_at -> Timestamp,
        suspended_until -> Nullable<Timestamp>,
        language -> Nullable<Text>,
        totp_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
        suspension_reason -> Nullable<Text>,
    }
}

diesel::table! {
    profiles (user_id) {
        user_id -> BigInt,
        organisation -> Text,
        bio -> Text,
        directory_visibility -> Text,
        routing_paused -> Bool,
    }
}

diesel::table! {
    user_expertise (user_id, kind, value) {
        user_id -> BigInt,
        kind -> Text,
        value -> Text,
    }
}

diesel::table! {
    routed_questions (thread_id) {
        thread_id -> BigInt,
        asker_id -> BigInt,
        status -> Text,
        created_at -> Timestamp,
        first_answer_at -> Nullable<Timestamp>,
        accepted_post_id -> Nullable<BigInt>,
        reminded_at -> Nullable<Timestamp>,
        escalated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    question_routes (thread_id, expert_id) {
        thread_id -> BigInt,
        expert_id -> BigInt,
        routed_at -> Timestamp,
    }
}

diesel::table! {
    colloquia (id) {
        id -> BigInt,
        title -> Text,
        agenda -> Text,
        category_id -> BigInt,
        group_id -> BigInt,
        thread_id -> BigInt,
        publish_category_id -> BigInt,
        opens_at -> Timestamp,
        closes_at -> Timestamp,
        created_by -> BigInt,
        created_at -> Timestamp,
        opened_notified_at -> Nullable<Timestamp>,
        conclusions_thread_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    colloquium_conclusions (colloquium_id, version) {
        colloquium_id -> BigInt,
        version -> BigInt,
        body -> Text,
        note -> Text,
        author_id -> BigInt,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    conclusion_endorsements (colloquium_id, user_id) {
        colloquium_id -> BigInt,
        user_id -> BigInt,
        version -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    guest_accounts (user_id) {
        user_id -> BigInt,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    invitation_grants (invitation_id) {
        invitation_id -> BigInt,
        group_id -> BigInt,
        guest_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    advice_requests (thread_id) {
        thread_id -> BigInt,
        requester_id -> BigInt,
        office_group_id -> BigInt,
        status -> Text,
        assignee_id -> Nullable<BigInt>,
        due_at -> Timestamp,
        advice_post_id -> Nullable<BigInt>,
        publish_consent -> Bool,
        published_thread_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    advice_notes (id) {
        id -> BigInt,
        thread_id -> BigInt,
        author_id -> BigInt,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    advice_steps (id) {
        id -> BigInt,
        thread_id -> BigInt,
        actor_id -> BigInt,
        action -> Text,
        detail -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    dialogues (id) {
        id -> BigInt,
        title -> Text,
        intro -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dialogue_jurisdictions (dialogue_id, code) {
        dialogue_id -> BigInt,
        code -> Text,
    }
}

diesel::table! {
    dialogue_items (dialogue_id, position) {
        dialogue_id -> BigInt,
        position -> BigInt,
        thread_id -> BigInt,
    }
}

diesel::table! {
    feed_tokens (user_id) {
        user_id -> BigInt,
        generation -> BigInt,
    }
}

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        secret -> Text,
        events -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        cursor_seq -> BigInt,
        failures -> BigInt,
        next_attempt_at -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        lease_until -> Nullable<Timestamp>,
        lease_owner -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_deliveries (webhook_id, seq) {
        webhook_id -> BigInt,
        seq -> BigInt,
        kind -> Text,
        status -> Text,
        attempts -> BigInt,
        response_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        first_attempt_at -> Timestamp,
        last_attempt_at -> Timestamp,
    }
}

diesel::table! {
    rate_limits (key) {
        key -> Text,
        tat -> BigInt,
    }
}

diesel::table! {
    login_failures (account, ip) {
        account -> Text,
        ip -> Text,
        count -> BigInt,
        until_us -> BigInt,
    }
}

diesel::table! {
    erasures (user_id) {
        user_id -> BigInt,
        erased_at -> Timestamp,
        erased_by -> Nullable<BigInt>,
        posts -> Text,
    }
}

diesel::table! {
    password_resets (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        created_by -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    groups (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    group_members (group_id, user_id) {
        group_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    invitations (id) {
        id -> BigInt,
        token_hash -> Text,
        email -> Text,
        role -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        used_by -> Nullable<BigInt>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    drafts (user_id, thread_id) {
        user_id -> BigInt,
        thread_id -> BigInt,
        body -> Text,
        reply_to -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        user_agent -> Text,
        revoked_at -> Nullable<Timestamp>,
        second_factor -> Bool,
        last_ip -> Nullable<Text>,
    }
}

diesel::table! {
    site_settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        session_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        position -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    category_groups (category_id, group_id) {
        category_id -> BigInt,
        group_id -> BigInt,
    }
}

diesel::table! {
    threads (id) {
        id -> BigInt,
        category_id -> BigInt,
        author_id -> BigInt,
        title -> Text,
        kind -> Text,
        locked -> Bool,
        pinned -> Bool,
        post_count -> BigInt,
        created_at -> Timestamp,
        last_post_at -> Timestamp,
        language -> Text,
        slow_mode_seconds -> BigInt,
        featured_at -> Nullable<Timestamp>,
        mark -> Text,
    }
}

diesel::table! {
    mark_recipients (thread_id, kind, value) {
        thread_id -> BigInt,
        kind -> Text,
        value -> Text,
    }
}

diesel::table! {
    thread_jurisdictions (thread_id, code) {
        thread_id -> BigInt,
        code -> Text,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        thread_id -> BigInt,
        author_id -> BigInt,
        reply_to -> Nullable<BigInt>,
        body -> Text,
        body_html -> Text,
        revision -> BigInt,
        hidden -> Bool,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        language -> Text,
        mark -> Nullable<Text>,
    }
}

diesel::table! {
    post_mark_recipients (post_id, kind, value) {
        post_id -> BigInt,
        kind -> Text,
        value -> Text,
    }
}

diesel::table! {
    post_revisions (id) {
        id -> BigInt,
        post_id -> BigInt,
        revision -> BigInt,
        body -> Text,
        edited_by -> BigInt,
        edited_at -> Timestamp,
        reason -> Nullable<Text>,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        uploader_id -> BigInt,
        post_id -> Nullable<BigInt>,
        name -> Text,
        size -> BigInt,
        media_type -> Text,
        sha256 -> Text,
        created_at -> Timestamp,
        removed_in_revision -> Nullable<BigInt>,
        hidden_reason -> Nullable<Text>,
        inline -> Bool,
        extraction -> Text,
        extraction_error -> Nullable<Text>,
        pages -> Nullable<BigInt>,
        language -> Nullable<Text>,
        document_author -> Nullable<Text>,
    }
}

diesel::table! {
    attachment_pages (attachment_id, page) {
        attachment_id -> BigInt,
        page -> BigInt,
        language -> Text,
        body -> Text,
    }
}

diesel::table! {
    events (seq) {
        seq -> BigInt,
        kind -> Text,
        thread_id -> Nullable<BigInt>,
        category_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        payload -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    jurisdictions (code) {
        code -> Text,
        kind -> Text,
        family -> Text,
        name_en -> Text,
        name_fr -> Text,
        name_es -> Text,
        name_ar -> Text,
    }
}

diesel::table! {
    jurisdiction_members (region, country) {
        region -> Text,
        country -> Text,
    }
}

diesel::table! {
    instruments (id) {
        id -> Text,
        short_name -> Text,
        title -> Text,
        year -> BigInt,
        amended -> Nullable<Date>,
    }
}

diesel::table! {
    instrument_articles (instrument_id, number) {
        instrument_id -> Text,
        number -> Text,
        title -> Text,
    }
}

diesel::table! {
    analyses (thread_id) {
        thread_id -> BigInt,
        summary -> Text,
        language -> Text,
        valid_as_of -> Nullable<Date>,
        review_by -> Nullable<Date>,
        legal_provisions -> Text,
        case_citations -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    analysis_instruments (thread_id, instrument_id, article) {
        thread_id -> BigInt,
        instrument_id -> Text,
        article -> Text,
    }
}

diesel::table! {
    analysis_crime_areas (thread_id, area) {
        thread_id -> BigInt,
        area -> Text,
    }
}

diesel::table! {
    endorsements (thread_id, user_id) {
        thread_id -> BigInt,
        user_id -> BigInt,
        jurisdiction -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    thread_citations (source_post, target_thread) {
        source_post -> BigInt,
        source_thread -> BigInt,
        target_thread -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        target -> Text,
        reason -> Text,
        details -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    flags (id) {
        id -> BigInt,
        post_id -> BigInt,
        flagger_id -> BigInt,
        reason -> Text,
        note -> Text,
        status -> Text,
        assignee_id -> Nullable<BigInt>,
        resolution -> Nullable<Text>,
        resolution_note -> Nullable<Text>,
        resolved_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    flag_notes (id) {
        id -> BigInt,
        flag_id -> BigInt,
        author_id -> BigInt,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    watches (user_id, target) {
        user_id -> BigInt,
        target -> Text,
        level -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        thread_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        count -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        email_state -> Nullable<Text>,
        email_why -> Nullable<Text>,
        emailed_at -> Nullable<Timestamp>,
        detail -> Nullable<Text>,
    }
}

diesel::table! {
    email_preferences (user_id) {
        user_id -> BigInt,
        immediate -> Text,
        digest -> Text,
        digest_from -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(group_members -> groups (group_id));
diesel::joinable!(mark_recipients -> threads (thread_id));
diesel::joinable!(post_mark_recipients -> posts (post_id));
diesel::joinable!(user_expertise -> users (user_id));
diesel::joinable!(profiles -> users (user_id));
diesel::joinable!(guest_accounts -> users (user_id));
diesel::joinable!(feed_tokens -> users (user_id));
diesel::joinable!(erasures -> users (user_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(dialogue_items -> dialogues (dialogue_id));
diesel::joinable!(dialogue_jurisdictions -> dialogues (dialogue_id));
diesel::joinable!(advice_requests -> threads (thread_id));
diesel::joinable!(advice_notes -> advice_requests (thread_id));
diesel::joinable!(advice_steps -> advice_requests (thread_id));
diesel::joinable!(colloquium_conclusions -> colloquia (colloquium_id));
diesel::joinable!(conclusion_endorsements -> colloquia (colloquium_id));
diesel::joinable!(routed_questions -> threads (thread_id));
diesel::joinable!(question_routes -> routed_questions (thread_id));
diesel::joinable!(group_members -> users (user_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(drafts -> threads (thread_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(category_groups -> categories (category_id));
diesel::joinable!(category_groups -> groups (group_id));
diesel::joinable!(threads -> categories (category_id));
diesel::joinable!(threads -> users (author_id));
diesel::joinable!(thread_jurisdictions -> threads (thread_id));
diesel::joinable!(posts -> threads (thread_id));
diesel::joinable!(posts -> users (author_id));
diesel::joinable!(analyses -> threads (thread_id));
diesel::joinable!(endorsements -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    groups,
    mark_recipients,
    post_mark_recipients,
    user_expertise,
    profiles,
    feed_tokens,
    erasures,
    rate_limits,
    login_failures,
    webhooks,
    webhook_deliveries,
    dialogues,
    dialogue_jurisdictions,
    dialogue_items,
    advice_requests,
    advice_notes,
    advice_steps,
    colloquia,
    colloquium_conclusions,
    conclusion_endorsements,
    guest_accounts,
    invitation_grants,
    routed_questions,
    question_routes,
    recovery_codes,
    password_resets,
    site_settings,
    watches,
    email_preferences,
    notifications,
    group_members,
    invitations,
    drafts,
    sessions,
    refresh_tokens,
    categories,
    category_groups,
    threads,
    thread_jurisdictions,
    posts,
    post_revisions,
    attachments,
    attachment_pages,
    events,
    jurisdictions,
    jurisdiction_members,
    instruments,
    instrument_articles,
    analyses,
    analysis_instruments,
    analysis_crime_areas,
    endorsements,
    thread_citations,
    audit_log,
    flags,
    flag_notes,
);
