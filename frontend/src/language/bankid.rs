//! BankID's recommended user messages for the state of an order, in the app's locales.
//!
//! BankID numbers its recommended messages (RFA1 to RFA23). The API chooses the message for
//! an order and sends its text in the language of the request with its number in
//! `message_code`. The app shows its own text for that number, so that the text follows a
//! language switch. The texts are in the locale files under `bankid_message`.

use crate::i18n::{Locale, td_string};

/// A recommended user message that the API can send for an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankIdMessage {
    /// Open the BankID app.
    Rfa1,
    /// The action was stopped before it finished.
    Rfa3,
    /// An identification or signing for the personnummer is already under way.
    Rfa4,
    /// A technical error.
    Rfa5,
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
    pub const ALL: [Self; 18] = [
        Self::Rfa1,
        Self::Rfa3,
        Self::Rfa4,
        Self::Rfa5,
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

    /// Returns BankID's number of the message, such as `RFA6`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Rfa1 => "RFA1",
            Self::Rfa3 => "RFA3",
            Self::Rfa4 => "RFA4",
            Self::Rfa5 => "RFA5",
            Self::Rfa6 => "RFA6",
            Self::Rfa8 => "RFA8",
            Self::Rfa9 => "RFA9",
            Self::Rfa13 => "RFA13",
            Self::Rfa14A => "RFA14A",
            Self::Rfa14B => "RFA14B",
            Self::Rfa15A => "RFA15A",
            Self::Rfa15B => "RFA15B",
            Self::Rfa16 => "RFA16",
            Self::Rfa17A => "RFA17A",
            Self::Rfa17B => "RFA17B",
            Self::Rfa21 => "RFA21",
            Self::Rfa22 => "RFA22",
            Self::Rfa23 => "RFA23",
        }
    }

    /// Finds the message with BankID's number `code`, or `None` for a number the app has no
    /// text for.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|message| message.code() == code)
    }

    /// Returns the message's text in `locale`.
    pub fn text(self, locale: Locale) -> &'static str {
        match self {
            Self::Rfa1 => td_string!(locale, bankid_message.rfa1),
            Self::Rfa3 => td_string!(locale, bankid_message.rfa3),
            Self::Rfa4 => td_string!(locale, bankid_message.rfa4),
            Self::Rfa5 => td_string!(locale, bankid_message.rfa5),
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
}
