ALTER TABLE certificates DROP COLUMN replaced_by_id;
ALTER TABLE certificates DROP COLUMN replaced_on;
