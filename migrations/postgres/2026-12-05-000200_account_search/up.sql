-- Staff search applicants by a fragment of the email address or of either name
-- (`LIKE '%text%'` on email_key, lower(first_name) and lower(last_name)). A B-tree index
-- cannot serve a pattern with a leading wildcard, so with a million accounts that search
-- read the whole table. Trigram indexes (pg_trgm, a trusted extension shipped with
-- PostgreSQL) serve it. SQLite has no such index and still scans; it is the single-node
-- default, not the large installation.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX accounts_email_key_trigrams ON accounts USING gin (email_key gin_trgm_ops);
CREATE INDEX accounts_first_name_trigrams ON accounts USING gin (lower(first_name) gin_trgm_ops);
CREATE INDEX accounts_last_name_trigrams ON accounts USING gin (lower(last_name) gin_trgm_ops);
