-- Corridor renovation (issue 13): a round's call for plans with its deadline, phases and rubric;
-- each building's plan; each reviewer's marks; the recommendation, the committee's decision and
-- its posting; each building's progress and each phase's actual cost.
CREATE TABLE corridor_rounds (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    notice TEXT NOT NULL DEFAULT '',
    -- the last day plans are due (YYYY-MM-DD, Shanghai)
    deadline TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('call', 'recommended', 'adopted', 'returned')),
    recommended_policy TEXT CHECK (recommended_policy IN ('strict', 'best-value')),
    recommendation TEXT NOT NULL DEFAULT '',
    adopted_on TEXT,
    posted_on TEXT,
    return_reason TEXT NOT NULL DEFAULT '',
    -- the adopted schedule: building -> phase (0: unscheduled), as `7=1;21=1;5=0`
    adopted_schedule TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE corridor_phases (
    compound_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    phase BIGINT NOT NULL,
    label TEXT NOT NULL,
    budget_fen BIGINT NOT NULL CHECK (budget_fen >= 0),
    capacity BIGINT NOT NULL CHECK (capacity >= 1),
    actual_fen BIGINT,
    PRIMARY KEY (compound_id, round_id, phase)
);

CREATE TABLE corridor_criteria (
    compound_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    weight BIGINT NOT NULL CHECK (weight >= 1),
    PRIMARY KEY (compound_id, round_id, seq)
);

CREATE TABLE corridor_plans (
    compound_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    building_no TEXT NOT NULL,
    -- floors, walls, lights, notice-boards joined by ';'
    works TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    cost_fen BIGINT NOT NULL CHECK (cost_fen >= 0),
    signatures BIGINT NOT NULL CHECK (signatures >= 0),
    households BIGINT NOT NULL,
    late BIGINT NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    submitted_by TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    revised_at BIGINT,
    progress TEXT NOT NULL DEFAULT 'not-started' CHECK (progress IN ('not-started', 'under-way', 'done', 'accepted')),
    progress_note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (compound_id, round_id, building_no)
);

CREATE TABLE corridor_photos (
    compound_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    building_no TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('plan', 'acceptance')),
    PRIMARY KEY (compound_id, attachment_id)
);

CREATE TABLE corridor_marks (
    compound_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    building_no TEXT NOT NULL,
    reviewer_id TEXT NOT NULL,
    reviewer_name TEXT NOT NULL,
    -- hundredths, one per criterion in the rubric's order, joined by ';'
    marks TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, round_id, building_no, reviewer_id)
);
