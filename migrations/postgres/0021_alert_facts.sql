-- An alert keeps what its rule found (company, counts, rates, variant,
-- grade, market) as JSON, so the inbox writes it in its reader's
-- language. `title` and `detail` stay the English that was mailed and
-- posted; alerts raised before this column show them as they are.
-- Kept identical to ../sqlite/0021_alert_facts.sql.

ALTER TABLE alerts ADD COLUMN facts TEXT;
