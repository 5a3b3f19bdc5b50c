//! Password checks in progress, counted per client address.
//!
//! The hashing threads take password checks in arrival order. Without a cap, one address that
//! sends hundreds of logins at once, and perhaps leaves them, makes every other person's login
//! wait behind them. With a cap, that address gets 429 for the logins above it, and others
//! wait for at most the capped checks of each address.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Mutex, PoisonError};

/// Counts of the password checks in progress per client address.
#[derive(Debug)]
pub struct PendingChecks {
    per_address: usize,
    counts: Mutex<HashMap<String, usize>>,
}

impl PendingChecks {
    /// Creates counts that admit `per_address` checks at once from one address. With 0, any
    /// number is admitted.
    pub fn new(per_address: usize) -> Self {
        Self {
            per_address,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a check from `address` until the returned guard is dropped, or returns `None`
    /// when the address already has the maximum in progress. IPv6 addresses count by their
    /// /64 network, which one subscriber usually has whole. A request without a known address
    /// is admitted and not counted.
    pub fn enter(&self, address: Option<&str>) -> Option<PendingCheck<'_>> {
        let Some(address) = address.filter(|_| self.per_address > 0) else {
            return Some(PendingCheck {
                checks: self,
                address: None,
            });
        };
        let address = &counted_network(address);
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let count = counts.entry(address.to_owned()).or_insert(0);
        if *count >= self.per_address {
            return None;
        }
        *count += 1;
        Some(PendingCheck {
            checks: self,
            address: Some(address.to_owned()),
        })
    }

    /// Returns the checks in progress from `address`, or from its /64 network for IPv6.
    pub fn count(&self, address: &str) -> usize {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.get(&counted_network(address)).copied().unwrap_or(0)
    }
}

/// Returns the key that `address` counts under: an IPv4 address itself, the /64 network of
/// an IPv6 address, and any other text as it is.
fn counted_network(address: &str) -> String {
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V6(address)) => {
            let network = u128::from(address) & !(u128::from(u64::MAX));
            format!("{}/64", Ipv6Addr::from(network))
        }
        _ => address.to_owned(),
    }
}

/// One password check in progress. Dropping it ends the count, also when the request was
/// cancelled.
#[derive(Debug)]
pub struct PendingCheck<'a> {
    checks: &'a PendingChecks,
    address: Option<String>,
}

impl Drop for PendingCheck<'_> {
    fn drop(&mut self) {
        let Some(address) = self.address.take() else {
            return;
        };
        let mut counts = self
            .checks
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = counts.get_mut(&address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&address);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test fails by panicking")]
mod tests {
    use super::*;

    #[test]
    fn cap_applies_per_address() {
        let checks = PendingChecks::new(2);
        let first = checks.enter(Some("192.0.2.1")).unwrap();
        let second = checks.enter(Some("192.0.2.1")).unwrap();
        assert!(checks.enter(Some("192.0.2.1")).is_none());
        assert!(checks.enter(Some("192.0.2.2")).is_some());
        assert_eq!(checks.count("192.0.2.1"), 2);

        drop(first);
        assert_eq!(checks.count("192.0.2.1"), 1);
        assert!(checks.enter(Some("192.0.2.1")).is_some());
        drop(second);
        assert_eq!(checks.count("192.0.2.1"), 0);
        assert!(checks.counts.lock().unwrap().is_empty());
    }

    #[test]
    fn ipv6_counts_per_network() {
        let checks = PendingChecks::new(1);
        let _first = checks.enter(Some("2001:db8:1:2::10")).unwrap();
        assert!(checks.enter(Some("2001:db8:1:2:ffff::1")).is_none());
        assert!(checks.enter(Some("2001:db8:1:3::10")).is_some());
        assert_eq!(checks.count("2001:db8:1:2::99"), 1);
        assert_eq!(
            checks
                .counts
                .lock()
                .unwrap()
                .keys()
                .next()
                .map(String::as_str),
            Some("2001:db8:1:2::/64")
        );
    }

    #[test]
    fn unknown_address_and_zero_cap_admit_all() {
        let checks = PendingChecks::new(1);
        let guards: Vec<_> = (0..5).map(|_| checks.enter(None).unwrap()).collect();
        assert_eq!(guards.len(), 5);
        assert!(checks.counts.lock().unwrap().is_empty());

        let unlimited = PendingChecks::new(0);
        let guards: Vec<_> = (0..5)
            .map(|_| unlimited.enter(Some("192.0.2.1")).unwrap())
            .collect();
        assert_eq!(guards.len(), 5);
        assert_eq!(unlimited.count("192.0.2.1"), 0);
    }
}
