//! Issued certificates, their number sequence, attestations and sent reminders.
