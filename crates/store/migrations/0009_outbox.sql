-- One outbox for every message any process sends (issue 11). A message is written in the same
-- transaction as the change that caused it, so a crash never loses one and a rolled-back change
-- never sends one. Its id is its Message-ID (email) and idempotency key (webhooks): a copy sent
-- again after a crash carries the same id, so the receiver can drop it.
CREATE TABLE outbox (
    compound_id TEXT NOT NULL,
    id TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('in-app', 'email', 'webhook')),
    -- a person's id (in-app), an email address, or a webhook's name in the compound's settings
    recipient TEXT NOT NULL,
    -- what caused it, e.g. `vote.reminder`
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    -- queuing with the same key twice queues once (e.g. `reminder:MATTER:UNIT:7d`)
    dedupe TEXT,
    -- what it is about, e.g. a matter's id: a reminder about a vote is cancelled when the unit votes
    about TEXT,
    -- cancelled: no longer needed before it was sent (the owner voted)
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'dead', 'cancelled')),
    attempts BIGINT NOT NULL DEFAULT 0,
    -- not before (UTC ms): the first send, or the next retry after back-off
    due_at BIGINT NOT NULL,
    -- the worker sending it and until when its claim holds; a claim that lapsed (the worker died)
    -- is taken again
    claimed_by TEXT,
    lease_until BIGINT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT,
    -- an in-app notice read by its recipient
    read_at BIGINT,
    PRIMARY KEY (compound_id, id)
);
CREATE UNIQUE INDEX outbox_dedupe ON outbox (compound_id, dedupe);
CREATE INDEX outbox_due ON outbox (status, due_at);
CREATE INDEX outbox_recipient ON outbox (compound_id, recipient, channel);
CREATE INDEX outbox_about ON outbox (compound_id, about);

-- Every attempt to send and what the other side answered.
CREATE TABLE outbox_attempts (
    compound_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    worker TEXT NOT NULL,
    ok BIGINT NOT NULL CHECK (ok IN (0, 1)),
    answer TEXT NOT NULL,
    PRIMARY KEY (compound_id, message_id, seq)
);
