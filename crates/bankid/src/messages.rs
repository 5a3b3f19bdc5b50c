//! BankID's recommended user messages (RFA1 to RFA23) in Swedish and English, and the choice of
//! message for a collect result or an error.
//!
//! BankID numbers the messages and specifies when to show each one. The texts here are this project's
//! own wording of each message's meaning. RFA7, RFA10, RFA11 and RFA12 are retired and missing.

use serde::{Serialize, Serializer};

use crate::codes::{CollectStatus, ErrorCode, HintCode};
use crate::error::BankIdError;
use crate::launch::DeviceKind;

/// Language of a user message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Swedish,
    English,
}

/// Channel through which the user's BankID app receives the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StartMethod {
    /// The user scans an animated QR code with the app on another device.
    QrCode,
    /// The page opened a launch link with the `autoStartToken` on the same device.
    AutoStart,
}

/// A recommended user message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rfa {
    Rfa1,
    Rfa2,
    Rfa3,
    Rfa4,
    Rfa5,
    Rfa6,
    Rfa8,
    Rfa9,
    Rfa13,
    Rfa14A,
    Rfa14B,
    Rfa15A,
    Rfa15B,
    Rfa16,
    Rfa17A,
    Rfa17B,
    Rfa18,
    Rfa19,
    Rfa20,
    Rfa21,
    Rfa22,
    Rfa23,
}

impl Rfa {
    /// Every message, in BankID's numbering order.
    pub const ALL: [Self; 22] = [
        Self::Rfa1,
        Self::Rfa2,
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
        Self::Rfa18,
        Self::Rfa19,
        Self::Rfa20,
        Self::Rfa21,
        Self::Rfa22,
        Self::Rfa23,
    ];

    /// Returns BankID's identifier, for example `RFA14A`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Rfa1 => "RFA1",
            Self::Rfa2 => "RFA2",
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
            Self::Rfa18 => "RFA18",
            Self::Rfa19 => "RFA19",
            Self::Rfa20 => "RFA20",
            Self::Rfa21 => "RFA21",
            Self::Rfa22 => "RFA22",
            Self::Rfa23 => "RFA23",
        }
    }

    /// Returns the message text in `language`.
    pub fn text(self, language: Language) -> &'static str {
        let (swedish, english) = self.texts();
        match language {
            Language::Swedish => swedish,
            Language::English => english,
        }
    }

    /// Returns the Swedish and the English text.
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            Self::Rfa1 => ("Öppna BankID-appen.", "Open the BankID app."),
            Self::Rfa2 => (
                "BankID-appen verkar inte vara installerad. Kontakta din bank för att skaffa BankID.",
                "The BankID app does not seem to be installed. Contact your bank to get BankID.",
            ),
            Self::Rfa3 => (
                "Åtgärden avbröts innan den var klar. Försök igen.",
                "The action was stopped before it finished. Please try again.",
            ),
            Self::Rfa4 => (
                "Det pågår redan en identifiering eller underskrift för det här personnumret. Försök igen om en stund.",
                "An identification or signing for this personal identity number is already under way. Please try again in a moment.",
            ),
            Self::Rfa5 => (
                "Ett tekniskt fel uppstod. Försök igen om en stund.",
                "A technical error occurred. Please try again in a moment.",
            ),
            Self::Rfa6 => ("Du avbröt åtgärden.", "You cancelled the action."),
            Self::Rfa8 => (
                "BankID-appen svarade inte i tid. Kontrollera att appen är igång och att enheten är ansluten till internet. Saknar du ett giltigt BankID kan du skaffa ett hos din bank. Försök sedan igen.",
                "The BankID app did not answer in time. Check that the app is running and that the device is connected to the internet. If you lack a valid BankID, you can get one from your bank. Then try again.",
            ),
            Self::Rfa9 => (
                "Fortsätt i BankID-appen. Ange din säkerhetskod och välj Identifiera eller Skriv under.",
                "Continue in the BankID app. Enter your security code and choose Identify or Sign.",
            ),
            Self::Rfa13 => ("BankID-appen startas …", "Starting the BankID app …"),
            Self::Rfa14A => (
                "Letar efter BankID, vänta en stund … Hittas inget BankID efter några sekunder finns det troligen inget BankID på den här datorn som går att använda här. Har du ett BankID-kort sätter du in det i kortläsaren. Har du BankID på en annan enhet kan du öppna BankID-appen där. Saknar du BankID kan du skaffa ett hos din bank.",
                "Looking for a BankID, please wait … If none is found within a few seconds, this computer probably has no BankID that can be used here. If you have a BankID card, insert it into the card reader. If your BankID is on another device, open the BankID app there. If you have no BankID, you can get one from your bank.",
            ),
            Self::Rfa14B => (
                "Letar efter BankID, vänta en stund … Hittas inget BankID efter några sekunder finns det troligen inget BankID på den här enheten som går att använda här. Har du BankID på en annan enhet kan du öppna BankID-appen där. Saknar du BankID kan du skaffa ett hos din bank.",
                "Looking for a BankID, please wait … If none is found within a few seconds, this device probably has no BankID that can be used here. If your BankID is on another device, open the BankID app there. If you have no BankID, you can get one from your bank.",
            ),
            Self::Rfa15A => (
                "Letar efter BankID, vänta en stund … Hittas inget BankID efter några sekunder finns det troligen inget BankID på den här datorn som går att använda här. Har du ett BankID-kort sätter du in det i kortläsaren. Saknar du BankID kan du skaffa ett hos din bank.",
                "Looking for a BankID, please wait … If none is found within a few seconds, this computer probably has no BankID that can be used here. If you have a BankID card, insert it into the card reader. If you have no BankID, you can get one from your bank.",
            ),
            Self::Rfa15B => (
                "Letar efter BankID, vänta en stund … Hittas inget BankID efter några sekunder finns det troligen inget BankID på den här enheten som går att använda här. Saknar du BankID kan du skaffa ett hos din bank.",
                "Looking for a BankID, please wait … If none is found within a few seconds, this device probably has no BankID that can be used here. If you have no BankID, you can get one from your bank.",
            ),
            Self::Rfa16 => (
                "Ditt BankID går inte att använda eftersom det är spärrat eller för gammalt. Välj ett annat BankID eller skaffa ett nytt hos din bank.",
                "This BankID cannot be used because it is blocked or too old. Choose another BankID or get a new one from your bank.",
            ),
            Self::Rfa17A => (
                "BankID-appen hittades inte på din dator eller telefon. Installera appen från din appbutik eller från install.bankid.com och skaffa ett BankID hos din bank.",
                "The BankID app was not found on your computer or phone. Install it from your app store or from install.bankid.com, and get a BankID from your bank.",
            ),
            Self::Rfa17B => (
                "QR-koden kunde inte läsas. Öppna BankID-appen, skanna QR-koden igen och se till att appen är uppdaterad. Saknar du appen installerar du den från din appbutik eller från install.bankid.com och skaffar ett BankID hos din bank.",
                "The QR code could not be read. Open the BankID app, scan the QR code again and make sure the app is up to date. If you do not have the app, install it from your app store or from install.bankid.com and get a BankID from your bank.",
            ),
            Self::Rfa18 => ("Öppna BankID-appen", "Open the BankID app"),
            Self::Rfa19 => (
                "Vill du använda BankID på den här datorn eller Mobilt BankID?",
                "Do you want to use BankID on this computer or Mobile BankID?",
            ),
            Self::Rfa20 => (
                "Vill du använda BankID på den här enheten eller på en annan enhet?",
                "Do you want to use BankID on this device or on another device?",
            ),
            Self::Rfa21 => (
                "En identifiering eller underskrift är på gång.",
                "An identification or signing is under way.",
            ),
            Self::Rfa22 => (
                "Ett oväntat fel uppstod. Försök igen.",
                "An unexpected error occurred. Please try again.",
            ),
            Self::Rfa23 => (
                "Skanna ditt pass eller ditt nationella id-kort med BankID-appen.",
                "Scan your passport or national identity card with the BankID app.",
            ),
        }
    }

    /// Chooses the message for a collect result, or `None` for a completed order.
    ///
    /// The mapping follows BankID's guidelines for the RP API v6.0:
    ///
    /// | status, hint code | message |
    /// |---|---|
    /// | pending `outstandingTransaction` | RFA13 with autostart, RFA1 with a QR code |
    /// | pending `noClient` | RFA1 |
    /// | pending `started` | RFA14 with autostart, RFA15 with a QR code; A on desktops, B on mobile devices |
    /// | pending `userSign` | RFA9 |
    /// | pending `userMrtd` | RFA23 |
    /// | pending, any other or no hint code | RFA21 |
    /// | failed `expiredTransaction` | RFA8 |
    /// | failed `certificateErr` | RFA16 |
    /// | failed `userCancel` | RFA6 |
    /// | failed `cancelled` | RFA3 |
    /// | failed `startFailed` | RFA17A with autostart, RFA17B with a QR code |
    /// | failed, any other or no hint code | RFA22 |
    ///
    /// `started` uses RFA15, which does not point to another device, for QR codes because the
    /// user is already on another device. BankID names no message for the phone hint codes, so
    /// `userCallConfirm` gets RFA21, `userDeclinedCall` gets RFA6 (the user declined) and
    /// `notSupportedByUserApp` and `transactionRiskBlocked` get RFA22.
    pub fn for_collect(
        status: CollectStatus,
        hint_code: Option<&HintCode>,
        start: StartMethod,
        device: DeviceKind,
    ) -> Option<Self> {
        match status {
            CollectStatus::Complete => None,
            CollectStatus::Pending => Some(Self::for_pending(hint_code, start, device)),
            CollectStatus::Failed => Some(Self::for_failed(hint_code, start)),
        }
    }

    fn for_pending(hint_code: Option<&HintCode>, start: StartMethod, device: DeviceKind) -> Self {
        match (hint_code, start, device) {
            (Some(HintCode::OutstandingTransaction), StartMethod::AutoStart, _) => Self::Rfa13,
            (Some(HintCode::OutstandingTransaction | HintCode::NoClient), _, _) => Self::Rfa1,
            (Some(HintCode::Started), StartMethod::AutoStart, DeviceKind::Desktop) => Self::Rfa14A,
            (Some(HintCode::Started), StartMethod::AutoStart, DeviceKind::Mobile) => Self::Rfa14B,
            (Some(HintCode::Started), StartMethod::QrCode, DeviceKind::Desktop) => Self::Rfa15A,
            (Some(HintCode::Started), StartMethod::QrCode, DeviceKind::Mobile) => Self::Rfa15B,
            (Some(HintCode::UserSign), _, _) => Self::Rfa9,
            (Some(HintCode::UserMrtd), _, _) => Self::Rfa23,
            _ => Self::Rfa21,
        }
    }

    fn for_failed(hint_code: Option<&HintCode>, start: StartMethod) -> Self {
        match (hint_code, start) {
            (Some(HintCode::ExpiredTransaction), _) => Self::Rfa8,
            (Some(HintCode::CertificateErr), _) => Self::Rfa16,
            (Some(HintCode::UserCancel | HintCode::UserDeclinedCall), _) => Self::Rfa6,
            (Some(HintCode::Cancelled), _) => Self::Rfa3,
            (Some(HintCode::StartFailed), StartMethod::AutoStart) => Self::Rfa17A,
            (Some(HintCode::StartFailed), StartMethod::QrCode) => Self::Rfa17B,
            _ => Self::Rfa22,
        }
    }

    /// Chooses the message for an error response: RFA4 for `alreadyInProgress`, RFA5 for
    /// `requestTimeout`, `internalError` and `maintenance`, RFA22 for every other code.
    pub fn for_error_code(code: &ErrorCode) -> Self {
        match code {
            ErrorCode::AlreadyInProgress => Self::Rfa4,
            ErrorCode::RequestTimeout | ErrorCode::InternalError | ErrorCode::Maintenance => {
                Self::Rfa5
            }
            _ => Self::Rfa22,
        }
    }

    /// Chooses the message for a failed client call. Errors without a BankID error code
    /// (timeouts, broken connections, unexpected bodies, invalid requests) get RFA5, because
    /// the user can do nothing about them but try again later.
    pub fn for_error(error: &BankIdError) -> Self {
        error.error_code().map_or(Self::Rfa5, Self::for_error_code)
    }
}

/// Serializes as the identifier, for example `"RFA9"`.
impl Serialize for Rfa {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use DeviceKind::{Desktop, Mobile};
    use StartMethod::{AutoStart, QrCode};

    #[test]
    fn collect_messages_follow_table() {
        let pending = CollectStatus::Pending;
        let failed = CollectStatus::Failed;
        let unknown = HintCode::parse("someNewHint");
        let cases: Vec<(
            CollectStatus,
            Option<HintCode>,
            StartMethod,
            DeviceKind,
            Rfa,
        )> = vec![
            (
                pending,
                Some(HintCode::OutstandingTransaction),
                AutoStart,
                Desktop,
                Rfa::Rfa13,
            ),
            (
                pending,
                Some(HintCode::OutstandingTransaction),
                AutoStart,
                Mobile,
                Rfa::Rfa13,
            ),
            (
                pending,
                Some(HintCode::OutstandingTransaction),
                QrCode,
                Desktop,
                Rfa::Rfa1,
            ),
            (
                pending,
                Some(HintCode::NoClient),
                AutoStart,
                Mobile,
                Rfa::Rfa1,
            ),
            (
                pending,
                Some(HintCode::NoClient),
                QrCode,
                Desktop,
                Rfa::Rfa1,
            ),
            (
                pending,
                Some(HintCode::Started),
                AutoStart,
                Desktop,
                Rfa::Rfa14A,
            ),
            (
                pending,
                Some(HintCode::Started),
                AutoStart,
                Mobile,
                Rfa::Rfa14B,
            ),
            (
                pending,
                Some(HintCode::Started),
                QrCode,
                Desktop,
                Rfa::Rfa15A,
            ),
            (
                pending,
                Some(HintCode::Started),
                QrCode,
                Mobile,
                Rfa::Rfa15B,
            ),
            (
                pending,
                Some(HintCode::UserSign),
                QrCode,
                Desktop,
                Rfa::Rfa9,
            ),
            (
                pending,
                Some(HintCode::UserMrtd),
                AutoStart,
                Mobile,
                Rfa::Rfa23,
            ),
            (
                pending,
                Some(HintCode::UserCallConfirm),
                QrCode,
                Desktop,
                Rfa::Rfa21,
            ),
            (pending, Some(unknown.clone()), QrCode, Desktop, Rfa::Rfa21),
            (pending, None, AutoStart, Desktop, Rfa::Rfa21),
            (
                failed,
                Some(HintCode::ExpiredTransaction),
                QrCode,
                Desktop,
                Rfa::Rfa8,
            ),
            (
                failed,
                Some(HintCode::CertificateErr),
                AutoStart,
                Mobile,
                Rfa::Rfa16,
            ),
            (
                failed,
                Some(HintCode::UserCancel),
                QrCode,
                Mobile,
                Rfa::Rfa6,
            ),
            (
                failed,
                Some(HintCode::UserDeclinedCall),
                QrCode,
                Desktop,
                Rfa::Rfa6,
            ),
            (
                failed,
                Some(HintCode::Cancelled),
                AutoStart,
                Desktop,
                Rfa::Rfa3,
            ),
            (
                failed,
                Some(HintCode::StartFailed),
                AutoStart,
                Desktop,
                Rfa::Rfa17A,
            ),
            (
                failed,
                Some(HintCode::StartFailed),
                AutoStart,
                Mobile,
                Rfa::Rfa17A,
            ),
            (
                failed,
                Some(HintCode::StartFailed),
                QrCode,
                Desktop,
                Rfa::Rfa17B,
            ),
            (
                failed,
                Some(HintCode::NotSupportedByUserApp),
                QrCode,
                Desktop,
                Rfa::Rfa22,
            ),
            (
                failed,
                Some(HintCode::TransactionRiskBlocked),
                QrCode,
                Desktop,
                Rfa::Rfa22,
            ),
            (failed, Some(unknown), AutoStart, Mobile, Rfa::Rfa22),
            (failed, None, AutoStart, Mobile, Rfa::Rfa22),
        ];
        for (status, hint, start, device, expected) in cases {
            assert_eq!(
                Rfa::for_collect(status, hint.as_ref(), start, device),
                Some(expected),
                "{status:?} {hint:?} {start:?} {device:?}"
            );
        }
    }

    #[test]
    fn complete_order_has_no_message() {
        assert_eq!(
            Rfa::for_collect(CollectStatus::Complete, None, QrCode, Desktop),
            None
        );
    }

    #[test]
    fn error_messages_follow_table() {
        let cases = [
            (ErrorCode::AlreadyInProgress, Rfa::Rfa4),
            (ErrorCode::RequestTimeout, Rfa::Rfa5),
            (ErrorCode::InternalError, Rfa::Rfa5),
            (ErrorCode::Maintenance, Rfa::Rfa5),
            (ErrorCode::InvalidParameters, Rfa::Rfa22),
            (ErrorCode::Unauthorized, Rfa::Rfa22),
            (ErrorCode::NotFound, Rfa::Rfa22),
            (ErrorCode::MethodNotAllowed, Rfa::Rfa22),
            (ErrorCode::UnsupportedMediaType, Rfa::Rfa22),
            (ErrorCode::parse("newError"), Rfa::Rfa22),
        ];
        for (code, expected) in cases {
            assert_eq!(Rfa::for_error_code(&code), expected, "{code}");
        }
    }

    #[test]
    fn client_side_errors_get_rfa5() {
        let error = BankIdError::UnexpectedResponse {
            endpoint: "collect",
            status: 502,
            reason: "not JSON".to_owned(),
        };
        assert_eq!(Rfa::for_error(&error), Rfa::Rfa5);
        let error = BankIdError::Api {
            endpoint: "auth",
            status: 400,
            code: ErrorCode::AlreadyInProgress,
            details: String::new(),
        };
        assert_eq!(Rfa::for_error(&error), Rfa::Rfa4);
    }

    #[test]
    fn every_message_has_both_texts() {
        for rfa in Rfa::ALL {
            let swedish = rfa.text(Language::Swedish);
            let english = rfa.text(Language::English);
            assert!(!swedish.is_empty(), "{}", rfa.code());
            assert!(!english.is_empty(), "{}", rfa.code());
            assert_ne!(swedish, english, "{}", rfa.code());
        }
    }

    #[test]
    fn rfa_serializes_as_code() {
        assert_eq!(
            serde_json::to_string(&Rfa::Rfa14B).ok().as_deref(),
            Some("\"RFA14B\"")
        );
    }
}
