-- A person's applications (Min Sida, and the staff view of one applicant) are read by
-- account. The partial unique index on (account_id, certificate_type_id) covers only open
-- applications, so without this index that read scanned the whole table.
CREATE INDEX applications_by_account ON applications (account_id, created_at);
