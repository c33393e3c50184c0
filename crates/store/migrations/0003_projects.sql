-- Building projects (lift retrofits first): stages, door-to-door visits, costs and payments.

CREATE TABLE projects (
    compound_id TEXT NOT NULL REFERENCES compounds (id),
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('lift-retrofit', 'corridor-renovation', 'paths-and-gates', 'other')),
    scope TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('intent', 'consultation', 'scheme-notice', 'vote', 'approvals',
        'construction', 'acceptance', 'in-operation')),
    -- cost sharing: the construction cost, the subsidy rule (settings: Shanghai 40%, 280,000 yuan
    -- per lift), other sources, and the weights by floor (`3=0.7,4=0.8`) over area or households
    construction_cost_fen BIGINT NOT NULL DEFAULT 0,
    subsidy_rate_ppm BIGINT NOT NULL DEFAULT 400000,
    subsidy_cap_fen BIGINT NOT NULL DEFAULT 28000000,
    other_sources_fen BIGINT NOT NULL DEFAULT 0,
    weights TEXT NOT NULL DEFAULT '',
    basis TEXT NOT NULL DEFAULT 'area' CHECK (basis IN ('area', 'household')),
    -- yearly running costs (maintenance, power, insurance), shared by the same weights unless
    -- running_weights gives their own
    running_cost_fen BIGINT NOT NULL DEFAULT 0,
    running_weights TEXT NOT NULL DEFAULT '',
    scheme_notice_at BIGINT,
    matter_id TEXT,
    planning_approved BIGINT NOT NULL DEFAULT 0 CHECK (planning_approved IN (0, 1)),
    start_report_filed BIGINT NOT NULL DEFAULT 0 CHECK (start_report_filed IN (0, 1)),
    owner_representatives_invited BIGINT NOT NULL DEFAULT 0 CHECK (owner_representatives_invited IN (0, 1)),
    completion_accepted BIGINT NOT NULL DEFAULT 0 CHECK (completion_accepted IN (0, 1)),
    planned_start TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE project_stages (
    compound_id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    stage TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (compound_id, project_id, seq),
    FOREIGN KEY (compound_id, project_id) REFERENCES projects (compound_id, id)
);

-- One row per door-to-door visit; a household's stance is its latest visit's.
CREATE TABLE visits (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    visitor TEXT NOT NULL,
    visited_at BIGINT NOT NULL,
    stance TEXT NOT NULL CHECK (stance IN ('support', 'oppose', 'undecided', 'conditional')),
    reasons TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (compound_id, id),
    FOREIGN KEY (compound_id, project_id) REFERENCES projects (compound_id, id),
    FOREIGN KEY (compound_id, unit_no) REFERENCES units (compound_id, unit_no)
);
CREATE INDEX visits_unit ON visits (compound_id, project_id, unit_no, visited_at);

-- Cost items: a quote, and what negotiation brought it down to, by whom.
CREATE TABLE cost_items (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    project_id TEXT NOT NULL,
    label TEXT NOT NULL,
    quoted_fen BIGINT NOT NULL CHECK (quoted_fen >= 0),
    agreed_fen BIGINT CHECK (agreed_fen >= 0),
    negotiated_by TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id),
    FOREIGN KEY (compound_id, project_id) REFERENCES projects (compound_id, id)
);

CREATE TABLE payments (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    cost_item_id TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    paid_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (compound_id, id),
    FOREIGN KEY (compound_id, cost_item_id) REFERENCES cost_items (compound_id, id)
);

-- Documents of a project (quotes, contracts, the scheme, permits), kept with the other attachments.
ALTER TABLE attachments ADD COLUMN project_id TEXT;
