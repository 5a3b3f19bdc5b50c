//! The catalogue, applications, certificates and staff decisions.
