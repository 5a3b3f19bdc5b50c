DROP TABLE audit_events;
DROP TABLE throttle_counters;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE one_time_codes;
DROP TABLE accounts;
