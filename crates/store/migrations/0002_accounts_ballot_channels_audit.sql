-- Accounts, sessions, paper and proxy ballots, attachments and the audit chain.

CREATE TABLE accounts (
    compound_id TEXT NOT NULL REFERENCES compounds (id),
    id TEXT NOT NULL,
    login TEXT NOT NULL,
    phone TEXT,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);
-- a person logs in with a name or phone before we know their compound: both are unique everywhere
CREATE UNIQUE INDEX accounts_login ON accounts (login);
CREATE UNIQUE INDEX accounts_phone ON accounts (phone);

CREATE TABLE account_roles (
    compound_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'resident', 'building-leader', 'owner-representative',
        'committee-member', 'committee-director', 'rc-staff', 'party-secretary', 'property-manager', 'volunteer')),
    PRIMARY KEY (compound_id, account_id, role),
    FOREIGN KEY (compound_id, account_id) REFERENCES accounts (compound_id, id)
);

-- The units an account owns or lives in; `voter` marks the one person who votes for the unit.
CREATE TABLE account_units (
    compound_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('owner', 'resident')),
    voter BIGINT NOT NULL DEFAULT 0 CHECK (voter IN (0, 1)),
    PRIMARY KEY (compound_id, account_id, unit_no),
    FOREIGN KEY (compound_id, account_id) REFERENCES accounts (compound_id, id),
    FOREIGN KEY (compound_id, unit_no) REFERENCES units (compound_id, unit_no)
);
CREATE INDEX account_units_unit ON account_units (compound_id, unit_no);

-- One-time codes printed per unit by staff; stored hashed.
CREATE TABLE binding_codes (
    compound_id TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_by TEXT,
    used_at BIGINT,
    PRIMARY KEY (compound_id, code_hash),
    FOREIGN KEY (compound_id, unit_no) REFERENCES units (compound_id, unit_no)
);

-- Server-side sessions; the cookie or bearer token is stored only as its SHA-256.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    compound_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    FOREIGN KEY (compound_id, account_id) REFERENCES accounts (compound_id, id)
);
CREATE INDEX sessions_account ON sessions (compound_id, account_id);

-- Failed logins per login name per window, shared by every server.
CREATE TABLE login_failures (
    login TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    failures BIGINT NOT NULL,
    PRIMARY KEY (login, window_start)
);

-- Paper ballots are typed in twice, by two different people; only matching entries count.
CREATE TABLE paper_entries (
    compound_id TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    entry_no BIGINT NOT NULL CHECK (entry_no IN (1, 2)),
    choice TEXT NOT NULL CHECK (choice IN ('approve', 'oppose', 'abstain')),
    entered_by TEXT NOT NULL,
    entered_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, matter_id, unit_no, entry_no),
    FOREIGN KEY (compound_id, matter_id, unit_no) REFERENCES roll_entries (compound_id, matter_id, unit_no)
);
CREATE UNIQUE INDEX paper_entries_once ON paper_entries (compound_id, matter_id, unit_no, entered_by);

CREATE TABLE attachments (
    compound_id TEXT NOT NULL REFERENCES compounds (id),
    id TEXT NOT NULL,
    matter_id TEXT,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, id)
);

-- A proxy's written authorisation and the principal's choice, which the ballot follows.
CREATE TABLE proxies (
    compound_id TEXT NOT NULL,
    matter_id TEXT NOT NULL,
    unit_no TEXT NOT NULL,
    proxy_name TEXT NOT NULL,
    principal_choice TEXT NOT NULL CHECK (principal_choice IN ('approve', 'oppose', 'abstain')),
    attachment_id TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (compound_id, matter_id, unit_no),
    FOREIGN KEY (compound_id, attachment_id) REFERENCES attachments (compound_id, id)
);

-- Every change of state, hash-chained per compound.
CREATE TABLE audit_log (
    compound_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (compound_id, seq)
);
