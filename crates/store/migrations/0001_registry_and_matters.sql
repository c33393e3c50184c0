-- Portable subset: BIGINT, TEXT only; every table keyed by compound_id first.
-- Areas in 0.0001 m² (area_e4), instants in UTC milliseconds, ids UUIDv7 as TEXT.

CREATE TABLE compounds (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    -- the rules of procedure contain the deemed-participation clause (law-and-practice §3.8)
    deemed_participation BIGINT NOT NULL DEFAULT 0 CHECK (deemed_participation IN (0, 1)),
    -- the least days a matter's notice (公示) stands before voting opens (UNCONFIRMED: a setting)
    notice_days BIGINT NOT NULL DEFAULT 7 CHECK (notice_days >= 0),
    -- the head of the audit chain, advanced under this row's lock
    audit_seq BIGINT NOT NULL DEFAULT 0,
    audit_head TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX compounds_name ON compounds (name);

CREATE TABLE owners (
    compound_id TEXT NOT NULL REFERENCES compounds (id),
    id TEXT NOT NULL,
    owner_key TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'organisation', 'developer')),
    -- co-owners in register order, joined by ';'; the first named votes
    members TEXT NOT NULL,
    PRIMARY KEY (compound_id, id)
);
CREATE UNIQUE INDEX owners_key ON owners (compound_id, owner_key);

CREATE TABLE units (
    compound_id TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    building_no TEXT NOT NULL,
    stairwell_no TEXT NOT NULL,
    floor BIGINT NOT NULL,
    area_e4 BIGINT NOT NULL CHECK (area_e4 > 0),
    owner_id TEXT NOT NULL,
    PRIMARY KEY (compound_id, unit_no),
    FOREIGN KEY (compound_id, owner_id) REFERENCES owners (compound_id, id)
);
CREATE INDEX units_place ON units (compound_id, building_no, stairwell_no, floor);

CREATE TABLE officers (
    compound_id TEXT NOT NULL REFERENCES compounds (id),
    role TEXT NOT NULL CHECK (role IN ('committee-director', 'committee-member', 'building-leader')),
    unit_no TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (compound_id, role, unit_no)
);

CREATE TABLE matters (
    compound_id TEXT NOT NULL REFERENCES compounds (id),
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('procedure-rules', 'covenant', 'committee-election',
        'property-manager', 'fund-use', 'fund-raise', 'alteration', 'common-part-use', 'other-major')),
    scope TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'notice', 'open', 'closed')),
    deemed_clause BIGINT NOT NULL DEFAULT 0 CHECK (deemed_clause IN (0, 1)),
    -- whether an owner may change their ballot before closing (off by default)
    allow_change BIGINT NOT NULL DEFAULT 0 CHECK (allow_change IN (0, 1)),
    -- the planned voting window, UTC milliseconds
    window_start BIGINT,
    window_end BIGINT,
    notice_at BIGINT,
    -- bumped by every ballot under the matter's row lock, so a close and a ballot never interleave
    ballots_cast BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    opened_at BIGINT,
    closed_at BIGINT,
    PRIMARY KEY (compound_id, id)
);

-- The electoral roll frozen when voting opens: units, areas and owners at that moment.
CREATE TABLE roll_entries (
    compound_id TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    building_no TEXT NOT NULL,
    stairwell_no TEXT NOT NULL,
    floor BIGINT NOT NULL,
    area_e4 BIGINT NOT NULL CHECK (area_e4 > 0),
    owner_key TEXT NOT NULL,
    owner_name TEXT NOT NULL,
    PRIMARY KEY (compound_id, matter_id, unit_no),
    FOREIGN KEY (compound_id, matter_id) REFERENCES matters (compound_id, id)
);
-- an owner's other units, for the one-owner-one-choice check on every ballot
CREATE INDEX roll_entries_owner ON roll_entries (compound_id, matter_id, owner_key);

-- One ballot per unit per matter: the primary key is the rule.
CREATE TABLE ballots (
    compound_id TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('approve', 'oppose', 'abstain')),
    channel TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'proxy')),
    receipt TEXT NOT NULL,
    cast_at BIGINT NOT NULL,
    -- the account that cast or entered it
    entered_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (compound_id, matter_id, unit_no),
    FOREIGN KEY (compound_id, matter_id, unit_no) REFERENCES roll_entries (compound_id, matter_id, unit_no)
);
CREATE UNIQUE INDEX ballots_receipt ON ballots (compound_id, receipt);

-- Proof that a unit's ballot was delivered (for the deemed-participation clause).
CREATE TABLE deliveries (
    compound_id TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    delivered_at BIGINT NOT NULL,
    proof TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (compound_id, matter_id, unit_no),
    FOREIGN KEY (compound_id, matter_id, unit_no) REFERENCES roll_entries (compound_id, matter_id, unit_no)
);

-- The published tally, written once when the matter closes.
CREATE TABLE tallies (
    compound_id TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    computed_at BIGINT NOT NULL,
    passed BIGINT NOT NULL CHECK (passed IN (0, 1)),
    result TEXT NOT NULL,
    PRIMARY KEY (compound_id, matter_id),
    FOREIGN KEY (compound_id, matter_id) REFERENCES matters (compound_id, id)
);
