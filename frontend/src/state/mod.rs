//! State that every page shares: the signed-in session and the errors of API calls.

pub mod errors;
pub mod session;
