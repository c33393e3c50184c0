-- The committee's own meetings (issue 12): who attended (in person: no proxies), and the
-- decisions taken, each with who signed in agreement and when it was posted.
CREATE TABLE committee_meetings (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    term_id TEXT NOT NULL,
    held_on TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'extraordinary')),
    rc_invited BIGINT NOT NULL CHECK (rc_invited IN (0, 1)),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);
CREATE INDEX committee_meetings_held ON committee_meetings (compound_id, held_on);

CREATE TABLE committee_attendance (
    compound_id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (compound_id, meeting_id, member)
);

CREATE TABLE committee_decisions (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    agreed BIGINT NOT NULL,
    all_members BIGINT NOT NULL,
    adopted BIGINT NOT NULL CHECK (adopted IN (0, 1)),
    posted_on TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE committee_signatures (
    compound_id TEXT NOT NULL,
    decision_id TEXT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (compound_id, decision_id, member)
);
