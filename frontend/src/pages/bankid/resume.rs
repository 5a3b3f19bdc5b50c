//! The BankID order that this tab follows on this device, kept in `sessionStorage` so that
//! the page can follow it again after a reload.
//!
//! Safari on iOS reloads the page when the BankID app returns to it (see [`super::launch`]),
//! which clears the app's memory but keeps the tab's `sessionStorage`. Other tabs and
//! browsers cannot read the entry, and it is removed when the order ends or the person
//! leaves the BankID step.

use super::BankIdPurpose;

/// Key in `sessionStorage` of the order: `login:<order id>` or `registration:<order id>`.
const STORAGE_KEY: &str = "incert.bankid_order";

/// Remembers `order_id` as the order of `purpose` that this tab follows.
pub fn remember_order(purpose: BankIdPurpose, order_id: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(STORAGE_KEY, &format!("{}:{order_id}", prefix(purpose)));
    }
}

/// Forgets the order that this tab follows.
pub fn forget_order() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// Returns the id of the order of `purpose` that this tab followed before the page loaded.
pub fn remembered_order(purpose: BankIdPurpose) -> Option<String> {
    let stored = session_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    let order_id = stored.strip_prefix(prefix(purpose))?.strip_prefix(':')?;
    (!order_id.is_empty()).then(|| order_id.to_owned())
}

fn prefix(purpose: BankIdPurpose) -> &'static str {
    match purpose {
        BankIdPurpose::Registration => "registration",
        BankIdPurpose::Login => "login",
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}
