//! Examination centres: client credentials, exam sessions, enrolments and results.
