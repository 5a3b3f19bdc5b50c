//! The server's clock. Tests move it forward to check expiry without waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDateTime, TimeDelta, Timelike, Utc};

/// System time plus an offset that only tests change.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// Returns the current time, truncated to microseconds as both databases store it.
    pub fn now(&self) -> DateTime<Utc> {
        let now = Utc::now() + TimeDelta::milliseconds(self.offset_ms.load(Ordering::Relaxed));
        now.with_nanosecond((now.nanosecond() / 1_000) * 1_000)
            .unwrap_or(now)
    }

    /// Returns the current time as stored in the database (UTC without a zone).
    pub fn naive_now(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// Moves the clock forward; every clone of this clock reads the change.
    pub fn advance(&self, by: TimeDelta) {
        self.offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}
