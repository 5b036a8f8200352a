-- Several app instances on one database: background work in a queue that
-- one instance claims at a time, and the marketplace's limits held by the
-- database itself. Kept identical to ../postgres/0011_several_instances.sql
-- but for its notification triggers (one instance per SQLite file).

-- Background work. A job is claimed by setting `locked_by` and a lease
-- (`locked_until`); an instance that dies leaves its lease to run out, and
-- the job is claimed again. `(kind, key)` is unique: a scheduled job's key
-- is its period, an event's is its subject (an outbox mail, an alert), so
-- enqueuing the same work twice keeps one.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    payload      TEXT    NOT NULL DEFAULT '',
    run_at       BIGINT  NOT NULL,
    attempts     BIGINT  NOT NULL DEFAULT 0,
    max_attempts BIGINT  NOT NULL DEFAULT 10,
    locked_by    TEXT,
    locked_until BIGINT,
    done_at      BIGINT,
    failed_at    BIGINT,
    last_error   TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT  NOT NULL,
    UNIQUE (kind, key)
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL AND failed_at IS NULL;

-- Mail already waiting becomes a job each (the outbox keeps the message).
INSERT INTO jobs (kind, key, run_at, attempts, created_at)
SELECT 'mail', CAST(id AS TEXT), created_at, attempts, created_at FROM outbox WHERE sent_at IS NULL AND attempts < 10;

-- One alert per rule and subject until it is resolved (two instances
-- evaluating the rules at once raise it once). Duplicates from before are
-- resolved, keeping the oldest.
UPDATE alerts SET state = 'resolved'
WHERE state <> 'resolved'
  AND id NOT IN (SELECT MIN(id) FROM alerts WHERE state <> 'resolved' GROUP BY rule, subject);
DROP INDEX alerts_subject;
CREATE UNIQUE INDEX alerts_one_unresolved ON alerts (rule, subject) WHERE state <> 'resolved';

-- One open claim per trade-in.
CREATE UNIQUE INDEX claims_one_open ON claims (trade_in_id) WHERE state = 'open';

-- A device is in one open trade-in at a time. The states listed are the
-- final ones (`domain::tradein::State::is_final`; a unit test compares).
CREATE UNIQUE INDEX trade_ins_one_open_imei ON trade_ins (imei)
    WHERE imei IS NOT NULL AND state NOT IN ('paid', 'returned', 'expired', 'cancelled');
