-- Legal periods: a compound counts by the Civil Code (Art. 203: a last day on a rest day moves
-- to the next working day, on by default), with its own holiday table per year.
ALTER TABLE compounds ADD COLUMN rest_day_rollover BIGINT NOT NULL DEFAULT 1 CHECK (rest_day_rollover IN (0, 1));

-- The compound's own holiday table: a year with any row here is the compound's; other years come
-- from the table shipped with the product.
CREATE TABLE calendar_days (
    compound_id TEXT NOT NULL REFERENCES compounds (id),
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rest', 'work')),
    name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (compound_id, day)
);
