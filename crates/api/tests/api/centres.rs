//! The examination centres' API.
