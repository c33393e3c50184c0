-- Reaching people (issue 11): how each person is reached, the compound's relay and group bots.

-- A person's address and choices: the channels they want and the hours nobody may disturb them
-- (Shanghai time, HH:MM; from > to spans midnight). An email waits for the quiet hours' end.
ALTER TABLE people ADD COLUMN email TEXT;
ALTER TABLE people ADD COLUMN notify_in_app BIGINT NOT NULL DEFAULT 1 CHECK (notify_in_app IN (0, 1));
ALTER TABLE people ADD COLUMN notify_email BIGINT NOT NULL DEFAULT 0 CHECK (notify_email IN (0, 1));
ALTER TABLE people ADD COLUMN quiet_from TEXT;
ALTER TABLE people ADD COLUMN quiet_to TEXT;
-- the secret in the address of the person's calendar feed, stored as its SHA-256; revoked by a new one
ALTER TABLE people ADD COLUMN calendar_hash TEXT;
CREATE UNIQUE INDEX people_calendar ON people (calendar_hash);

-- Whom a message is for (the person's id) whatever its address: a reminder by email is
-- cancelled with the in-app one when the unit votes.
ALTER TABLE outbox ADD COLUMN person TEXT;
CREATE INDEX outbox_person ON outbox (compound_id, person);

-- The compound's mail relay. Secrets are written here and never shown again on a page or in a log.
CREATE TABLE mail_relays (
    compound_id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    port BIGINT NOT NULL CHECK (port BETWEEN 1 AND 65535),
    -- none: plain SMTP to a local relay; starttls: upgrade on 587; tls: TLS from the start on 465
    tls TEXT NOT NULL CHECK (tls IN ('none', 'starttls', 'tls')),
    username TEXT,
    password TEXT,
    mail_from TEXT NOT NULL
);

-- Group bots (WeChat Work, DingTalk) and the district's systems (JSON signed with HMAC-SHA256).
CREATE TABLE webhooks (
    compound_id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk', 'json')),
    url TEXT NOT NULL,
    secret TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, name)
);
UPDATE outbox SET person = recipient WHERE channel = 'in-app';
