-- The committee's settings (issue 12): every rule law-and-practice marks UNCONFIRMED, and the
-- compound's own additions, with the defaults of core's CommitteeSettings.
CREATE TABLE committee_settings (
    compound_id TEXT PRIMARY KEY,
    min_owner_nominators BIGINT NOT NULL DEFAULT 1 CHECK (min_owner_nominators >= 1),
    exactly_half TEXT NOT NULL DEFAULT 'early-change-of-term' CHECK (exactly_half IN ('by-election', 'early-change-of-term')),
    quorum_basis TEXT NOT NULL DEFAULT 'seats' CHECK (quorum_basis IN ('seats', 'members-in-office')),
    -- grounds the general meeting added to Art. 20's, one per line: `code: 中文 / English`
    extra_grounds TEXT NOT NULL DEFAULT '',
    -- the composition rules' texts (core committee::composition_spec)
    building_groups TEXT NOT NULL DEFAULT '',
    composition_rules TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
