-- The expert network: what members know (the directory), and questions
-- routed to them.
-- A member's directory profile (absent: the defaults below).
CREATE TABLE profiles (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organisation TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    -- Who finds the member in the directory (and so among routing
    -- proposals).
    directory_visibility TEXT NOT NULL DEFAULT 'members'
        CHECK (directory_visibility IN ('members', 'staff', 'hidden')),
    -- The member takes no routed questions for now.
    routing_paused BOOLEAN NOT NULL DEFAULT FALSE
);

-- Languages spoken (ISO 639-1), crime areas, instruments and
-- jurisdictions of expertise: one row each.
CREATE TABLE user_expertise (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('language', 'crime_area', 'instrument', 'jurisdiction')),
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, value)
);
CREATE INDEX user_expertise_by_value ON user_expertise(kind, value);

-- A question thread routed to experts, and where it stands.
CREATE TABLE routed_questions (
    thread_id BIGINT PRIMARY KEY NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    asker_id BIGINT NOT NULL REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'accepted')),
    created_at TIMESTAMP NOT NULL,
    first_answer_at TIMESTAMP,
    accepted_post_id BIGINT,
    reminded_at TIMESTAMP,
    escalated_at TIMESTAMP
);
CREATE INDEX routed_questions_status ON routed_questions(status, created_at);

-- Who a question was routed to (the weekly cap counts these).
CREATE TABLE question_routes (
    thread_id BIGINT NOT NULL REFERENCES routed_questions(thread_id) ON DELETE CASCADE,
    expert_id BIGINT NOT NULL REFERENCES users(id),
    routed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (thread_id, expert_id)
);
CREATE INDEX question_routes_by_expert ON question_routes(expert_id, routed_at);
