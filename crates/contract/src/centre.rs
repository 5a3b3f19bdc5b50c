//! Examination centres: OAuth2 client credentials, exam sessions, enrolments and results.
