-- The compound's other meetings (issue 12): building leaders', owner representatives', the monthly
-- joint meeting, the reception day; their attendance, minutes (draft, corrected by attendees,
-- locked), corrections, and resolutions followed to an outcome.
CREATE TABLE compound_meetings (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('building-leaders', 'owner-representatives', 'joint', 'reception-day', 'other')),
    title TEXT NOT NULL,
    -- UTC milliseconds
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    agenda TEXT NOT NULL DEFAULT '',
    -- who attended, in order, joined by ';'
    attendees TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    minutes_status TEXT NOT NULL DEFAULT 'none' CHECK (minutes_status IN ('none', 'draft', 'corrected', 'locked')),
    locked_at BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);
CREATE INDEX compound_meetings_starts ON compound_meetings (compound_id, starts_at);

CREATE TABLE minutes_corrections (
    compound_id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    by_name TEXT NOT NULL,
    body TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, meeting_id, seq)
);

CREATE TABLE resolutions (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    body TEXT NOT NULL,
    -- who does it
    assignee TEXT NOT NULL,
    -- by when (YYYY-MM-DD)
    due TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    -- what it led to: a matter put to the owners, a project
    matter_id TEXT,
    project_id TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);
CREATE INDEX resolutions_meeting ON resolutions (compound_id, meeting_id, seq);

CREATE TABLE resolution_updates (
    compound_id TEXT NOT NULL,
    resolution_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    note TEXT NOT NULL,
    by_name TEXT NOT NULL,
    -- the Shanghai day it happened (YYYY-MM-DD)
    on_day TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, resolution_id, seq)
);
