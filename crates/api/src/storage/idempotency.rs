//! Stored answers of requests that carried an `Idempotency-Key`.
