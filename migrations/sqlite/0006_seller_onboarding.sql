-- Refurbisher onboarding: who to talk to, and why an application was
-- rejected or a seller suspended (shown to the seller and to operations).
-- Kept identical on SQLite and Postgres.
ALTER TABLE sellers ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE sellers ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX sellers_status ON sellers (status, created_at);
