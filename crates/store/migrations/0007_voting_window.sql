-- A voting window is a promise to the owners: it may be extended (with a notice of the
-- extension), never shortened. The first announced end and the time of the last extension are
-- kept, so the matter's page and its notices can say so.
ALTER TABLE matters ADD COLUMN first_window_end BIGINT;
ALTER TABLE matters ADD COLUMN window_extended_at BIGINT;
