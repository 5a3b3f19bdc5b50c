//! Logging set-up, the masking of personal data in log lines, and a limit on repeated lines.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, Settings};

/// Installs the global tracing subscriber. `RUST_LOG`, when set, overrides the configured
/// filter. Calling it twice leaves the first subscriber in place.
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.log_filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match settings.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Masks an email address for logs: the first character of the local part and the domain
/// stay, so `anna.svensson@example.se` becomes `a***@example.se`.
pub fn mask_email(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// A limit that lets a log line, which an outage repeats for every failed request, through at
/// most once per interval, and counts the lines held back in between.
#[derive(Debug)]
pub struct RepeatLimit {
    interval_ms: u64,
    /// The earliest time for the next line, in milliseconds since the process's first check.
    next_ms: AtomicU64,
    held_back: AtomicU64,
}

impl RepeatLimit {
    pub const fn new(interval: Duration) -> Self {
        Self {
            interval_ms: interval.as_millis() as u64,
            next_ms: AtomicU64::new(0),
            held_back: AtomicU64::new(0),
        }
    }

    /// Returns the number of lines held back since the last line that went through, or None
    /// when this line is held back too.
    pub fn admit(&self) -> Option<u64> {
        static START: OnceLock<Instant> = OnceLock::new();
        let elapsed = START.get_or_init(Instant::now).elapsed();
        self.admit_at(u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
    }

    fn admit_at(&self, now_ms: u64) -> Option<u64> {
        let next_ms = self.next_ms.load(Ordering::Relaxed);
        let claimed = now_ms >= next_ms
            && self
                .next_ms
                .compare_exchange(
                    next_ms,
                    now_ms.saturating_add(self.interval_ms),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                )
                .is_ok();
        if claimed {
            Some(self.held_back.swap(0, Ordering::Relaxed))
        } else {
            self.held_back.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RepeatLimit, mask_email};
    use std::time::Duration;

    #[test]
    fn repeat_limit_counts_held_back_lines() {
        let limit = RepeatLimit::new(Duration::from_secs(1));

        assert_eq!(limit.admit_at(5_000), Some(0));
        assert_eq!(limit.admit_at(5_001), None);
        assert_eq!(limit.admit_at(5_999), None);
        assert_eq!(limit.admit_at(6_000), Some(2));
        assert_eq!(limit.admit_at(6_500), None);
        assert_eq!(limit.admit_at(9_000), Some(1));
    }

    #[test]
    fn mask_email_hides_local_part() {
        assert_eq!(mask_email("anna.svensson@example.se"), "a***@example.se");
        assert_eq!(mask_email("å@exempel.se"), "å***@exempel.se");
        assert_eq!(mask_email("not-an-address"), "***");
        assert_eq!(mask_email("@example.se"), "***@example.se");
    }
}
