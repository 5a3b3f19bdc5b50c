//! String codes of the BankID RP API: collect status, hint codes, error codes and risk levels.
//!
//! BankID may add hint codes, error codes and risk levels at any time, so each code type has an
//! `Unknown` variant that keeps the received string instead of failing to parse.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares an enum of known wire strings plus `Unknown(String)`, with string conversions and
/// serde support.
macro_rules! wire_code {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )*
            /// A code this crate does not know, kept as received.
            Unknown(String),
        }

        impl $name {
            /// Every known code, in declaration order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),*];

            /// Returns the code as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(code) => code,
                }
            }

            /// Parses a wire string. Strings that are not a known code become `Unknown`.
            pub fn parse(code: &str) -> Self {
                match code {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = String::deserialize(deserializer)?;
                Ok(Self::parse(&code))
            }
        }
    };
}

/// Status of an order as returned by `collect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CollectStatus {
    /// The order is in progress; `hintCode` shows what the user is doing.
    Pending,
    /// The order ended without a result; `hintCode` gives the reason.
    Failed,
    /// The user identified or signed; `completionData` contains the result.
    Complete,
}

impl CollectStatus {
    /// Returns the status as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Failed => "failed",
            Self::Complete => "complete",
        }
    }
}

wire_code! {
    /// Hint code of a pending or failed order.
    pub enum HintCode {
        /// Pending: the order is created but no BankID app has fetched it yet.
        OutstandingTransaction => "outstandingTransaction",
        /// Pending: the order is created but no BankID app has fetched it yet.
        NoClient => "noClient",
        /// Pending: a BankID app fetched the order (QR code scanned or app started).
        Started => "started",
        /// Pending: the user is asked to scan a machine-readable travel document.
        UserMrtd => "userMrtd",
        /// Pending: the user is asked to confirm the phone call (phone orders).
        UserCallConfirm => "userCallConfirm",
        /// Pending: the user is asked to enter the security code.
        UserSign => "userSign",
        /// Failed: the order expired before the user finished.
        ExpiredTransaction => "expiredTransaction",
        /// Failed: the user's BankID is blocked, revoked or too old.
        CertificateErr => "certificateErr",
        /// Failed: the user cancelled in the BankID app.
        UserCancel => "userCancel",
        /// Failed: BankID cancelled the order because a new order for the same user arrived.
        Cancelled => "cancelled",
        /// Failed: no BankID app fetched the order in time.
        StartFailed => "startFailed",
        /// Failed: the user declined the phone call confirmation (phone orders).
        UserDeclinedCall => "userDeclinedCall",
        /// Failed: the user's BankID app does not support the order's requirements.
        NotSupportedByUserApp => "notSupportedByUserApp",
        /// Failed: BankID blocked the order because of its risk assessment.
        TransactionRiskBlocked => "transactionRiskBlocked",
    }
}

wire_code! {
    /// `errorCode` of an error response.
    pub enum ErrorCode {
        /// HTTP 400: an order for the same personal number is already in progress.
        AlreadyInProgress => "alreadyInProgress",
        /// HTTP 400: a parameter is missing or invalid, or the order does not exist.
        InvalidParameters => "invalidParameters",
        /// HTTP 401: the relying party may not use the requested service.
        Unauthorized => "unauthorized",
        /// HTTP 404: the URL does not exist.
        NotFound => "notFound",
        /// HTTP 405: the method is not POST.
        MethodNotAllowed => "methodNotAllowed",
        /// HTTP 408: BankID timed out while reading the request.
        RequestTimeout => "requestTimeout",
        /// HTTP 415: the `Content-Type` is not `application/json`.
        UnsupportedMediaType => "unsupportedMediaType",
        /// HTTP 500: an internal error at BankID.
        InternalError => "internalError",
        /// HTTP 503: BankID is under maintenance.
        Maintenance => "maintenance",
    }
}

impl ErrorCode {
    /// Returns the HTTP status BankID sends with this code; 400 for unknown codes.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::AlreadyInProgress | Self::InvalidParameters | Self::Unknown(_) => 400,
            Self::Unauthorized => 401,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::RequestTimeout => 408,
            Self::UnsupportedMediaType => 415,
            Self::InternalError => 500,
            Self::Maintenance => 503,
        }
    }

    /// Returns whether sending the same request again may succeed (HTTP 408, 500 and 503).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::RequestTimeout | Self::InternalError | Self::Maintenance
        )
    }
}

wire_code! {
    /// Risk level in `completionData.risk`, returned when the order asked for `returnRisk`.
    pub enum RiskLevel {
        Low => "low",
        Moderate => "moderate",
        High => "high",
    }
}
