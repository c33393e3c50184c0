-- Waste sorting duty, the rest (issue 14): supervisors' sorting records, a station's holiday
-- changes (other windows, or closed, on a day), and cover requests to available volunteers.
CREATE TABLE waste_records (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    station_id TEXT NOT NULL,
    day TEXT NOT NULL,
    -- the window's start (`07:00`), '' when outside any window
    window_start TEXT NOT NULL DEFAULT '',
    -- the building, '' when not known
    building TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('mis-sorted', 'outside-hours', 'roadside-bags')),
    count BIGINT NOT NULL CHECK (count >= 1),
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);
CREATE INDEX waste_records_day ON waste_records (compound_id, day);

CREATE TABLE waste_station_changes (
    compound_id TEXT NOT NULL,
    station_id TEXT NOT NULL,
    day TEXT NOT NULL,
    -- `07:00-09:00;18:00-20:00`, '' = closed that day
    windows TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (compound_id, station_id, day)
);

CREATE TABLE waste_covers (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    period_id TEXT NOT NULL,
    shift_id TEXT NOT NULL,
    -- the volunteer giving the shift up; '' for an open place on the roster (a gap)
    from_volunteer TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('open', 'taken', 'withdrawn')),
    taken_by TEXT,
    asked INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);
