-- The owners' committee (issue 12): its terms and members, and each term's change of term as the
-- days its steps happened (the deadlines are computed from the term's end, never stored).
CREATE TABLE committee_terms (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    seats BIGINT NOT NULL CHECK (seats > 0),
    -- the day the committee was elected (YYYY-MM-DD); the term runs from the next day
    term_start TEXT NOT NULL,
    term_years BIGINT NOT NULL CHECK (term_years > 0),
    reported TEXT,
    group_formed TEXT,
    handed_over TEXT,
    elected TEXT,
    list_posted TEXT,
    filed TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE committee_members (
    compound_id TEXT NOT NULL,
    term_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    unit_no TEXT,
    office TEXT NOT NULL CHECK (office IN ('director', 'vice-director', 'member', 'alternate')),
    party_member BIGINT NOT NULL DEFAULT 0 CHECK (party_member IN (0, 1)),
    undertaking_signed TEXT,
    trained TEXT,
    PRIMARY KEY (compound_id, term_id, seq),
    FOREIGN KEY (compound_id, term_id) REFERENCES committee_terms (compound_id, id)
);
