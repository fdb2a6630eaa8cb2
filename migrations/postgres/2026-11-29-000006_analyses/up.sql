-- Legal analyses: the jurisdiction taxonomy and instruments catalogue
-- (reference data, refreshed from forum-core/data on every migration),
-- the analysis record of threads of kind 'analysis', endorsements, and
-- which threads cite which.
CREATE TABLE jurisdictions (
    code TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('country', 'region')),
    family TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    name_es TEXT NOT NULL,
    name_ar TEXT NOT NULL
);

CREATE TABLE jurisdiction_members (
    region TEXT NOT NULL REFERENCES jurisdictions(code) ON DELETE CASCADE,
    country TEXT NOT NULL REFERENCES jurisdictions(code) ON DELETE CASCADE,
    PRIMARY KEY (region, country)
);
CREATE INDEX jurisdiction_members_country ON jurisdiction_members(country);

CREATE TABLE instruments (
    id TEXT PRIMARY KEY NOT NULL,
    short_name TEXT NOT NULL,
    title TEXT NOT NULL,
    year BIGINT NOT NULL,
    amended DATE
);

CREATE TABLE instrument_articles (
    instrument_id TEXT NOT NULL REFERENCES instruments(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (instrument_id, number)
);

CREATE TABLE analyses (
    thread_id BIGINT PRIMARY KEY NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    summary TEXT NOT NULL,
    language TEXT NOT NULL,
    valid_as_of DATE,
    review_by DATE,
    legal_provisions TEXT NOT NULL,
    case_citations TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX analyses_review_by ON analyses(review_by);

CREATE TABLE analysis_instruments (
    thread_id BIGINT NOT NULL REFERENCES analyses(thread_id) ON DELETE CASCADE,
    instrument_id TEXT NOT NULL,
    article TEXT NOT NULL,
    PRIMARY KEY (thread_id, instrument_id, article)
);
CREATE INDEX analysis_instruments_instrument ON analysis_instruments(instrument_id, article);

CREATE TABLE analysis_crime_areas (
    thread_id BIGINT NOT NULL REFERENCES analyses(thread_id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    PRIMARY KEY (thread_id, area)
);
CREATE INDEX analysis_crime_areas_area ON analysis_crime_areas(area);

CREATE TABLE endorsements (
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    jurisdiction TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);

CREATE TABLE thread_citations (
    source_post BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source_thread BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    target_thread BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    PRIMARY KEY (source_post, target_thread)
);
CREATE INDEX thread_citations_target ON thread_citations(target_thread);
