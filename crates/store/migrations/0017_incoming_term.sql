-- A committee elected at a change of term is recorded at once as the incoming term; it takes
-- office when its predecessor's change of term is filed (issue 12).
ALTER TABLE committee_terms ADD COLUMN predecessor TEXT;
