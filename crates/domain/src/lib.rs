//! Domain rules of IncertOnline with no I/O: identity numbers, passwords, names, email
//! addresses, mobile numbers, organisation numbers and the life cycle of certificates and
//! applications. Every value type here can only hold valid data.
//!
//! The crate never reads the clock: functions that depend on the date take `today`, which the
//! caller computes in Europe/Stockholm. It builds for `wasm32-unknown-unknown` so that the web
//! frontend can run the same checks while the user types.
//!
//! Every error enum, and `PasswordViolation`, has a `code()` method that returns a stable
//! snake_case machine code for API responses and UI translations.

pub mod certificate;
pub mod email;
mod luhn;
pub mod mobile;
pub mod name;
pub mod organisation;
pub mod password;
pub mod personnummer;

pub use certificate::{
    ApplicationState, AttestationError, CertificateDates, CertificateDatesError, CertificateNumber,
    CertificateNumberError, CertificateRules, CertificateRulesError, CertificateStatus, Reminder,
    ReminderKind, TransitionError,
};
pub use email::{Email, EmailError};
pub use mobile::{MobileNumber, MobileNumberError};
pub use name::{NameError, PersonName};
pub use organisation::{OrganisationNumber, OrganisationNumberError, PostalCode, PostalCodeError};
pub use password::{
    Password, PasswordPolicy, PasswordRejected, PasswordReport, PasswordStrength,
    PasswordViolation, StrengthSuggestion, StrengthWarning, estimate_strength,
};
pub use personnummer::{
    BirthDate, LegalSex, ParseOptions, Personnummer, PersonnummerError, PersonnummerKind,
};
