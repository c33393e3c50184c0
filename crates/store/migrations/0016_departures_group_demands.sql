-- Members leaving during the term (alternates fill vacancies in order), the change-of-term
-- group's members, and members' demands for an extraordinary meeting (issue 12).
ALTER TABLE committee_members ADD COLUMN left_on TEXT;
ALTER TABLE committee_members ADD COLUMN left_reason TEXT NOT NULL DEFAULT '';
-- for an alternate who took a seat: whose
ALTER TABLE committee_members ADD COLUMN replaces TEXT NOT NULL DEFAULT '';

CREATE TABLE change_group_members (
    compound_id TEXT NOT NULL,
    term_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('owner-representative', 'subdistrict-office', 'residents-committee')),
    leader BIGINT NOT NULL CHECK (leader IN (0, 1)),
    PRIMARY KEY (compound_id, term_id, seq)
);

CREATE TABLE committee_demands (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    term_id TEXT NOT NULL,
    -- the members demanding, joined by ';'
    demanders TEXT NOT NULL,
    reason TEXT NOT NULL,
    demanded_on TEXT NOT NULL,
    -- the extraordinary meeting that answered it
    meeting_id TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);
