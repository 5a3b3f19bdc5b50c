//! Applications, certificates, attestations and reminders.
