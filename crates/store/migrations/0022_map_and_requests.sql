-- The walking map and residents' requests (issue 16): the compound's map as GeoJSON (the form it
-- is imported and exported in, read back through core), the site plan it is drawn over, saved
-- what-ifs, requests with their history and photo, the routing setting, and links from a
-- matter, a project or a meeting to what a later process made of it.
CREATE TABLE walk_maps (
    compound_id TEXT PRIMARY KEY,
    geojson TEXT NOT NULL,
    -- the site plan: an image the map is drawn over, with its west, south, east and north edges
    plan_name TEXT,
    plan_type TEXT,
    plan_bytes BLOB,
    plan_bounds TEXT,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE walk_scenarios (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    -- the changes as JSON (core's Scenario)
    changes TEXT NOT NULL,
    -- minutes after midnight: only bin rooms open then count; none: all
    minute BIGINT,
    matter_id TEXT,
    project_id TEXT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE requests (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    no BIGINT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitter_name TEXT NOT NULL,
    unit TEXT,
    category TEXT NOT NULL,
    handler TEXT NOT NULL CHECK (handler IN ('owners-committee', 'property-company', 'residents-committee')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    similar_key TEXT NOT NULL,
    building TEXT,
    node TEXT,
    status TEXT NOT NULL CHECK (status IN ('received', 'accepted', 'in-progress', 'answered', 'closed', 'declined')),
    group_of TEXT,
    meeting_id TEXT,
    matter_id TEXT,
    project_id TEXT,
    outcome TEXT NOT NULL DEFAULT '',
    submitted_at BIGINT NOT NULL,
    first_response_at BIGINT,
    closed_at BIGINT,
    PRIMARY KEY (compound_id, id),
    UNIQUE (compound_id, no)
);
CREATE INDEX requests_by_key ON requests (compound_id, similar_key);

CREATE TABLE request_events (
    compound_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    by_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (compound_id, request_id, seq)
);

CREATE TABLE request_photos (
    compound_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (compound_id, request_id)
);

CREATE TABLE request_settings (
    compound_id TEXT PRIMARY KEY,
    routing TEXT NOT NULL
);

CREATE TABLE related (
    compound_id TEXT NOT NULL,
    -- matter:ID, project:ID or meeting:ID
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    href TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, subject, href)
);
