-- Whether each unit's choice in a closed vote is shown to every owner (the compound's rules of
-- procedure publish them). Off by default: every owner sees that each unit took part and by which
-- channel; a unit's choice is shown to its own owner, the committee and the evidence.
ALTER TABLE compounds ADD COLUMN publish_choices BIGINT NOT NULL DEFAULT 0;
