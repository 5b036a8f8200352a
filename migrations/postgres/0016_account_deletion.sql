-- Deleted accounts (issue 24, part 6): the row stays, without anything
-- that names its owner, so the records the law keeps (trade-ins, payouts,
-- the audit trail) still hold together.
ALTER TABLE users ADD COLUMN deleted_at BIGINT;
