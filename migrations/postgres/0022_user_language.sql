-- The language a refurbisher or operations user chose for the areas
-- ('en' or 'fr'; NULL until they choose). Mails to them are written in it.
-- Kept identical to ../sqlite/0022_user_language.sql.

ALTER TABLE users ADD COLUMN lang TEXT;
