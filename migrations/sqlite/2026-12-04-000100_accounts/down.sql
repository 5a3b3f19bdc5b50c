DROP TABLE audit_events;
DROP TABLE throttle_counters;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE password_resets;
DROP TABLE login_challenges;
DROP TABLE accounts;
