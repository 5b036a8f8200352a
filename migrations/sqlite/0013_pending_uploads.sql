-- Photos that passed their checks on a form refused for another reason
-- (issue 23): kept so the form comes back showing them, and they are not
-- asked for again. Tied to the person and the form they were sent with;
-- housekeeping removes those unused after a day. Kept identical on SQLite
-- and Postgres but for the id column.
CREATE TABLE pending_uploads (
    id           INTEGER PRIMARY KEY,
    token        TEXT    NOT NULL UNIQUE,
    user_id      BIGINT  NOT NULL REFERENCES users (id),
    form         TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX pending_uploads_created_at ON pending_uploads (created_at);
