-- One person (login, phone, password) with memberships in one or more compounds: an owner with
-- flats in two compounds, or a street-office officer over many, holds one account.
CREATE TABLE people (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL,
    phone TEXT,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- a temporary password (handed over by staff) must be replaced at the next login
    must_change_password BIGINT NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    created_at BIGINT NOT NULL
);
INSERT INTO people (id, login, phone, name, password_hash, must_change_password, created_at)
    SELECT id, login, phone, name, password_hash, must_change_password, created_at FROM accounts;

-- Every login name and phone number in one namespace: a login may never equal another person's
-- phone number, and the database, not a check in Rust, says so.
CREATE TABLE person_handles (
    handle TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CHECK (kind IN ('login', 'phone'))
);
INSERT INTO person_handles (handle, person_id, kind) SELECT login, id, 'login' FROM people WHERE 1 = 1 ON CONFLICT DO NOTHING;
INSERT INTO person_handles (handle, person_id, kind)
    SELECT phone, id, 'phone' FROM people WHERE phone IS NOT NULL AND phone <> '' ON CONFLICT DO NOTHING;

-- `accounts` is now a person's membership of a compound (its id is the person's); the identity
-- it held lives in `people`.
DROP INDEX accounts_login;
DROP INDEX accounts_phone;
ALTER TABLE accounts DROP COLUMN login;
ALTER TABLE accounts DROP COLUMN phone;
ALTER TABLE accounts DROP COLUMN name;
ALTER TABLE accounts DROP COLUMN password_hash;
ALTER TABLE accounts DROP COLUMN must_change_password;
CREATE INDEX accounts_person ON accounts (id);

-- Sign-in attempts reserved before a password is checked, per person (or typed handle) and per
-- source address, per 15-minute window: no concurrency gets past the limit.
CREATE TABLE login_attempts (
    limit_key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    PRIMARY KEY (limit_key, window_start)
);
DROP TABLE login_failures;

-- A sign-up whose name the register does not name binds as a resident, for staff to check.
ALTER TABLE account_units ADD COLUMN to_check BIGINT NOT NULL DEFAULT 0 CHECK (to_check IN (0, 1));
-- Printing a unit's codes again revokes its unused ones.
ALTER TABLE binding_codes ADD COLUMN revoked_at BIGINT;
