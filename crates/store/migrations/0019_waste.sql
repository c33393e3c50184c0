-- Waste sorting duty (issue 14): drop-off stations, volunteers with their weekly availability, a
-- period's roster as its assignments, check-ins and no-shows, and swaps between volunteers.
CREATE TABLE waste_stations (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    building_group TEXT NOT NULL,
    -- recyclable, hazardous, wet, dry joined by ';'
    bins TEXT NOT NULL,
    -- opening windows `07:00-09:00;18:00-20:00`
    windows TEXT NOT NULL,
    late_point BIGINT NOT NULL DEFAULT 0 CHECK (late_point IN (0, 1)),
    households BIGINT NOT NULL CHECK (households >= 0),
    place TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE waste_volunteers (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    -- the person's account, when they have one (a volunteer need not be an owner)
    person_id TEXT,
    origin TEXT NOT NULL CHECK (origin IN ('building-group', 'committee', 'party-branch', 'resident')),
    max_shifts BIGINT NOT NULL CHECK (max_shifts >= 0),
    max_per_week BIGINT,
    -- `*` or weekday@start entries such as `1@07:00;3@18:00` (1 = Monday)
    weekly TEXT NOT NULL DEFAULT '*',
    -- dates away joined by ';'
    away TEXT NOT NULL DEFAULT '',
    -- preferred station ids joined by ';'
    preferred TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE waste_periods (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    first_day TEXT NOT NULL,
    days BIGINT NOT NULL CHECK (days >= 1),
    need BIGINT NOT NULL CHECK (need >= 1),
    covered BIGINT NOT NULL,
    places BIGINT NOT NULL,
    max_load BIGINT NOT NULL,
    built_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);

CREATE TABLE waste_assignments (
    compound_id TEXT NOT NULL,
    period_id TEXT NOT NULL,
    shift_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    PRIMARY KEY (compound_id, period_id, shift_id, volunteer_id)
);

CREATE TABLE waste_checkins (
    compound_id TEXT NOT NULL,
    period_id TEXT NOT NULL,
    shift_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('checked-in', 'no-show')),
    at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, period_id, shift_id, volunteer_id)
);

CREATE TABLE waste_swaps (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    period_id TEXT NOT NULL,
    from_volunteer TEXT NOT NULL,
    shift_id TEXT NOT NULL,
    to_volunteer TEXT NOT NULL,
    back_shift TEXT,
    status TEXT NOT NULL CHECK (status IN ('offered', 'accepted', 'declined')),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);
