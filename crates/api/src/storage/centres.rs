//! Examination centres, their client credentials, exam sessions, enrolments and results.
