-- Income from common property and the maintenance fund (issue 15): the covenant's top-up rate,
-- the double-entry books (transactions and their postings, never edited: a mistake is reversed),
-- standing authorisations, works contracts with their cost reviews, quarters booked and
-- statements posted, and the annual audit's dates. Amounts are in fen.
CREATE TABLE funds_settings (
    compound_id TEXT PRIMARY KEY,
    -- the covenant's top-up rate, a decimal above 0.5 and at most 1
    rate TEXT NOT NULL
);

CREATE TABLE funds_transactions (
    compound_id TEXT NOT NULL,
    id BIGINT NOT NULL CHECK (id >= 1),
    day TEXT NOT NULL,
    building TEXT,
    memo TEXT NOT NULL DEFAULT '',
    -- matter:ID, authorisation:ID or project:PID/matter:MID
    link TEXT,
    reverses BIGINT,
    price_review BIGINT NOT NULL DEFAULT 0 CHECK (price_review IN (0, 1)),
    actor TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE funds_postings (
    compound_id TEXT NOT NULL,
    tx_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    account TEXT NOT NULL,
    -- debit positive, credit negative
    fen BIGINT NOT NULL,
    PRIMARY KEY (compound_id, tx_id, seq)
);

CREATE TABLE funds_authorisations (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    pays TEXT NOT NULL CHECK (pays IN ('public-revenue', 'maintenance-fund')),
    cases TEXT NOT NULL,
    per_item BIGINT NOT NULL,
    total BIGINT,
    from_day TEXT NOT NULL,
    until_day TEXT NOT NULL,
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE funds_contracts (
    compound_id TEXT NOT NULL,
    project TEXT NOT NULL,
    matter TEXT NOT NULL,
    contract BIGINT NOT NULL,
    reviewed BIGINT,
    PRIMARY KEY (compound_id, project)
);

-- A period's statement: `2026Q1` (public revenue, with the booked top-up and transfer) or
-- `2026H1` (the half-yearly fund statement).
CREATE TABLE funds_statements (
    compound_id TEXT NOT NULL,
    period TEXT NOT NULL,
    rate TEXT,
    transfer_tx BIGINT,
    top_up_tx BIGINT,
    booked_on TEXT,
    posted_on TEXT,
    posted_by TEXT,
    PRIMARY KEY (compound_id, period)
);

CREATE TABLE funds_audits (
    compound_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    firm TEXT NOT NULL,
    appointment_posted_on TEXT NOT NULL,
    results_received_on TEXT,
    results_posted_on TEXT,
    PRIMARY KEY (compound_id, year)
);
