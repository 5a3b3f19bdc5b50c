//! BankID's recommended user messages for the state of an order, in the app's locales.
//!
//! BankID numbers its recommended messages (RFA1 to RFA23) and names the one to show for each
//! status and hint code of a collect response. The API sends the hint code with the message
//! it chose, but the message is in the language of the request. The app chooses the message
//! again from the hint code, so that the text follows a language switch.
//!
//! The texts are in the locale files under `bankid_message`, worded as the API's own texts
//! in the `incert-bankid` crate. The page compares the API's message with them (see
//! [`BankIdMessage::has_text`]), so a text changed on one side only makes the page show the
//! API's message in the language of the request again.

use incert_contract::bankid::{BankIdDevice, BankIdOrderStatus};
use leptos_i18n::Locale as _;

use crate::i18n::{Locale, td_string};

/// A recommended user message that follows from an order's status and hint code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankIdMessage {
    /// Open the BankID app.
    Rfa1,
    /// The action was stopped before it finished.
    Rfa3,
    /// The person cancelled in the app.
    Rfa6,
    /// The app did not respond in time.
    Rfa8,
    /// Continue in the app with the security code.
    Rfa9,
    /// The app is starting.
    Rfa13,
    /// Looking for a BankID on this computer, or on another device.
    Rfa14A,
    /// Looking for a BankID on this phone or tablet, or on another device.
    Rfa14B,
    /// Looking for a BankID on the computer that scanned the QR code.
    Rfa15A,
    /// Looking for a BankID on the phone or tablet that scanned the QR code.
    Rfa15B,
    /// The BankID is blocked or too old.
    Rfa16,
    /// The app could not be started on this device.
    Rfa17A,
    /// The QR code could not be read.
    Rfa17B,
    /// An identification or signing is under way.
    Rfa21,
    /// An unexpected error.
    Rfa22,
    /// Scan a passport or national identity card.
    Rfa23,
}

impl BankIdMessage {
    /// Every message, in BankID's numbering order.
    pub const ALL: [Self; 16] = [
        Self::Rfa1,
        Self::Rfa3,
        Self::Rfa6,
        Self::Rfa8,
        Self::Rfa9,
        Self::Rfa13,
        Self::Rfa14A,
        Self::Rfa14B,
        Self::Rfa15A,
        Self::Rfa15B,
        Self::Rfa16,
        Self::Rfa17A,
        Self::Rfa17B,
        Self::Rfa21,
        Self::Rfa22,
        Self::Rfa23,
    ];

    /// Chooses the message for an order in `status` with BankID's `hint_code`, or `None` for
    /// a completed order. This is the choice that `Rfa::for_collect` in the `incert-bankid`
    /// crate makes:
    ///
    /// | status, hint code | message |
    /// |---|---|
    /// | pending `outstandingTransaction` | RFA13 on this device, RFA1 with a QR code |
    /// | pending `noClient` | RFA1 |
    /// | pending `started` | RFA14 on this device, RFA15 with a QR code; A on a computer, B on a phone or tablet |
    /// | pending `userSign` | RFA9 |
    /// | pending `userMrtd` | RFA23 |
    /// | pending, any other or no hint code | RFA21 |
    /// | failed `expiredTransaction` | RFA8 |
    /// | failed `certificateErr` | RFA16 |
    /// | failed `userCancel` or `userDeclinedCall` | RFA6 |
    /// | failed `cancelled` | RFA3 |
    /// | failed `startFailed` | RFA17A on this device, RFA17B with a QR code |
    /// | failed, any other or no hint code | RFA22 |
    /// | cancelled through the portal | RFA3 |
    ///
    /// `mobile` is true when the page runs on a phone or tablet.
    pub fn for_order(
        status: BankIdOrderStatus,
        hint_code: Option<&str>,
        device: BankIdDevice,
        mobile: bool,
    ) -> Option<Self> {
        let this_device = device == BankIdDevice::ThisDevice;
        let message = match status {
            BankIdOrderStatus::Complete => return None,
            BankIdOrderStatus::Cancelled => Self::Rfa3,
            BankIdOrderStatus::Pending => match hint_code {
                Some("outstandingTransaction") if this_device => Self::Rfa13,
                Some("outstandingTransaction" | "noClient") => Self::Rfa1,
                Some("started") => match (this_device, mobile) {
                    (true, false) => Self::Rfa14A,
                    (true, true) => Self::Rfa14B,
                    (false, false) => Self::Rfa15A,
                    (false, true) => Self::Rfa15B,
                },
                Some("userSign") => Self::Rfa9,
                Some("userMrtd") => Self::Rfa23,
                _ => Self::Rfa21,
            },
            BankIdOrderStatus::Failed => match hint_code {
                Some("expiredTransaction") => Self::Rfa8,
                Some("certificateErr") => Self::Rfa16,
                Some("userCancel" | "userDeclinedCall") => Self::Rfa6,
                Some("cancelled") => Self::Rfa3,
                Some("startFailed") if this_device => Self::Rfa17A,
                Some("startFailed") => Self::Rfa17B,
                _ => Self::Rfa22,
            },
        };
        Some(message)
    }

    /// Returns the message's text in `locale`.
    pub fn text(self, locale: Locale) -> &'static str {
        match self {
            Self::Rfa1 => td_string!(locale, bankid_message.rfa1),
            Self::Rfa3 => td_string!(locale, bankid_message.rfa3),
            Self::Rfa6 => td_string!(locale, bankid_message.rfa6),
            Self::Rfa8 => td_string!(locale, bankid_message.rfa8),
            Self::Rfa9 => td_string!(locale, bankid_message.rfa9),
            Self::Rfa13 => td_string!(locale, bankid_message.rfa13),
            Self::Rfa14A => td_string!(locale, bankid_message.rfa14a),
            Self::Rfa14B => td_string!(locale, bankid_message.rfa14b),
            Self::Rfa15A => td_string!(locale, bankid_message.rfa15a),
            Self::Rfa15B => td_string!(locale, bankid_message.rfa15b),
            Self::Rfa16 => td_string!(locale, bankid_message.rfa16),
            Self::Rfa17A => td_string!(locale, bankid_message.rfa17a),
            Self::Rfa17B => td_string!(locale, bankid_message.rfa17b),
            Self::Rfa21 => td_string!(locale, bankid_message.rfa21),
            Self::Rfa22 => td_string!(locale, bankid_message.rfa22),
            Self::Rfa23 => td_string!(locale, bankid_message.rfa23),
        }
    }

    /// Returns whether `text` is this message in one of the app's locales.
    pub fn has_text(self, text: &str) -> bool {
        Locale::get_all()
            .iter()
            .any(|locale| self.text(*locale) == text)
    }
}
