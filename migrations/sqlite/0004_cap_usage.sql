-- Units each listing and each seller has bought per ISO week, kept up to
-- date in the transaction that creates, cancels or expires a trade-in, so
-- the best-offer lookup reads two rows instead of counting trade-ins.
-- Kept identical to ../postgres/0004_cap_usage.sql.
CREATE TABLE cap_usage (
    scope      TEXT   NOT NULL CHECK (scope IN ('listing', 'seller')),
    owner_id   BIGINT NOT NULL,
    week_start BIGINT NOT NULL,
    units      BIGINT NOT NULL,
    PRIMARY KEY (scope, owner_id, week_start)
);
