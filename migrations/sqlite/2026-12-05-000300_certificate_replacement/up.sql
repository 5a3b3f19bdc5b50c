-- A recertification issues a new certificate that replaces the renewed one. The old
-- certificate keeps its dates for the record, and its status becomes "replaced" from the
-- day the new one is issued.
ALTER TABLE certificates ADD COLUMN replaced_on DATE;
ALTER TABLE certificates ADD COLUMN replaced_by_id BIGINT REFERENCES certificates (id);
