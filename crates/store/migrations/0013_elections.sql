-- Matters put to the owners as a slate (issue 12's committee election): a ballot approves names
-- rather than giving a choice. Voting keeps the slate and each ballot's approvals; the committee
-- keeps what the election is for (its seats and alternates) and its candidates.

-- the names a slate ballot approves, in the slate's order, joined by ';' ('' on other matters and
-- on a blank slate ballot)
ALTER TABLE ballots ADD COLUMN approvals TEXT NOT NULL DEFAULT '';
ALTER TABLE paper_entries ADD COLUMN approvals TEXT NOT NULL DEFAULT '';
ALTER TABLE proxies ADD COLUMN approvals TEXT NOT NULL DEFAULT '';
-- how many names one ballot may approve (0: not a slate matter)
ALTER TABLE matters ADD COLUMN slate_places BIGINT NOT NULL DEFAULT 0;

CREATE TABLE matter_slates (
    compound_id TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (compound_id, matter_id, position),
    FOREIGN KEY (compound_id, matter_id) REFERENCES matters (compound_id, id)
);
CREATE UNIQUE INDEX matter_slates_name ON matter_slates (compound_id, matter_id, name);

CREATE TABLE committee_elections (
    compound_id TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    seats BIGINT NOT NULL CHECK (seats > 0),
    alternates BIGINT NOT NULL CHECK (alternates >= 0),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, matter_id),
    FOREIGN KEY (compound_id, matter_id) REFERENCES matters (compound_id, id)
);

-- Candidates for the committee as nominated, with what the eligibility and composition checks
-- read; withdrawn ones are kept (withdrawn_at) so the notice's history is whole.
CREATE TABLE committee_candidates (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    nomination TEXT NOT NULL CHECK (nomination IN ('self-nominated', 'by-owners', 'reserve-pool')),
    -- owner keys of the nominating owners, joined by ';'
    nominators TEXT NOT NULL DEFAULT '',
    works_for_property_company BIGINT NOT NULL DEFAULT 0 CHECK (works_for_property_company IN (0, 1)),
    -- relations working for the property company, joined by ';'
    relatives TEXT NOT NULL DEFAULT '',
    -- codes of uncorrected Art. 20 grounds, joined by ';'
    uncorrected TEXT NOT NULL DEFAULT '',
    undertaking_signed BIGINT NOT NULL DEFAULT 0 CHECK (undertaking_signed IN (0, 1)),
    party_member BIGINT NOT NULL DEFAULT 0 CHECK (party_member IN (0, 1)),
    birth TEXT,
    profession TEXT NOT NULL DEFAULT '',
    housing_type TEXT NOT NULL DEFAULT '',
    statement TEXT NOT NULL DEFAULT '',
    entered_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    PRIMARY KEY (compound_id, id)
);
