//! Person certificates: validity, annual renewal (årlig förlängning), recertification
//! (omcertifiering), the status shown to the holder, reminders, certificate numbers and the
//! state of a certification application.
//!
//! Date rules, all of them inclusive:
//!
//! - "Issue date + N years" keeps month and day. A certificate issued on 29 February gets
//!   28 February in years that are not leap years, and 29 February again in leap years.
//! - `valid_until` is the issue date + the validity in years, and it is the last valid day, as
//!   printed on the certificate ("Giltigt till 2031-12-04"). The certificate is expired from
//!   the day after.
//! - A renewal or recertification due date is the last day on which the holder is on time.
//!   Renewal is required from the day after the renewal due date.
//!
//! The functions take `today`, the current date in Europe/Stockholm, from the caller.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests;

/// Minimum certificate validity accepted in [`CertificateRules`], in years.
pub const MIN_VALIDITY_YEARS: u32 = 1;

/// Maximum certificate validity accepted in [`CertificateRules`], in years.
pub const MAX_VALIDITY_YEARS: u32 = 10;

/// How many days before the renewal due date an attestation of professional activity is
/// accepted at the earliest. An earlier attestation is rejected so that one attestation
/// cannot count for two years.
///
/// NOTE: the certification body's rules set no such limit. 90 days is a chosen value that
/// covers the default reminder lead of 60 days with a margin.
pub const ATTESTATION_EARLY_DAYS: u64 = 90;

/// Default time between a reminder and its due date: 60 days, about 8 weeks.
pub const DEFAULT_REMINDER_LEAD: Days = Days::new(60);

/// Error in a certificate type's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CertificateRulesError {
    #[error(
        "certificate validity must be {MIN_VALIDITY_YEARS} to {MAX_VALIDITY_YEARS} years, got {0}"
    )]
    ValidityOutOfRange(u32),
    #[error(
        "recertification interval must be 1 year up to the validity of {validity_years} years, \
         got {recertification_years}"
    )]
    RecertificationOutOfRange {
        recertification_years: u32,
        validity_years: u32,
    },
}

impl CertificateRulesError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::ValidityOutOfRange(_) => "certificate_rules_validity_out_of_range",
            Self::RecertificationOutOfRange { .. } => {
                "certificate_rules_recertification_out_of_range"
            }
        }
    }
}

/// Validity and renewal rules of one certificate type, as set in the certificate catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "StoredRules")]
pub struct CertificateRules {
    validity_years: u32,
    annual_renewal: bool,
    recertification_years: Option<u32>,
}

/// Unchecked form of [`CertificateRules`], used only to deserialize.
#[derive(Deserialize)]
struct StoredRules {
    validity_years: u32,
    annual_renewal: bool,
    recertification_years: Option<u32>,
}

impl TryFrom<StoredRules> for CertificateRules {
    type Error = CertificateRulesError;

    fn try_from(stored: StoredRules) -> Result<Self, Self::Error> {
        Self::new(
            stored.validity_years,
            stored.annual_renewal,
            stored.recertification_years,
        )
    }
}

impl CertificateRules {
    /// Checks and builds the rules. The validity must be 1 to 10 years. A recertification
    /// interval, when set, must be 1 year up to the validity. Without one, recertification is
    /// due when the validity ends.
    pub fn new(
        validity_years: u32,
        annual_renewal: bool,
        recertification_years: Option<u32>,
    ) -> Result<Self, CertificateRulesError> {
        if !(MIN_VALIDITY_YEARS..=MAX_VALIDITY_YEARS).contains(&validity_years) {
            return Err(CertificateRulesError::ValidityOutOfRange(validity_years));
        }
        if let Some(years) = recertification_years
            && !(1..=validity_years).contains(&years)
        {
            return Err(CertificateRulesError::RecertificationOutOfRange {
                recertification_years: years,
                validity_years,
            });
        }
        Ok(Self {
            validity_years,
            annual_renewal,
            recertification_years,
        })
    }

    pub fn validity_years(&self) -> u32 {
        self.validity_years
    }

    /// Returns whether the holder must register an attestation of professional activity
    /// every year.
    pub fn annual_renewal(&self) -> bool {
        self.annual_renewal
    }

    /// Years from issue to recertification: the catalogue's interval, or else the validity.
    pub fn recertification_years(&self) -> u32 {
        self.recertification_years.unwrap_or(self.validity_years)
    }
}

/// Error from computing or loading certificate dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CertificateDatesError {
    #[error("certificate dates fall outside the supported calendar range")]
    OutOfRange,
    #[error(
        "certificate dates are inconsistent: valid_until, recertification_due and \
         annual_renewal_due must fall after issued_on and no later than valid_until"
    )]
    Inconsistent,
}

impl CertificateDatesError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OutOfRange => "certificate_dates_out_of_range",
            Self::Inconsistent => "certificate_dates_inconsistent",
        }
    }
}

/// Reason an attestation of professional activity was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AttestationError {
    #[error("this certificate type has no annual renewal, so it takes no attestation")]
    NoAnnualRenewal,
    #[error(
        "the certificate was valid until {valid_until}, so the holder needs a new certification"
    )]
    AfterExpiry { valid_until: NaiveDate },
    #[error(
        "no renewal is left before the validity ends on {valid_until}, so the holder needs \
         recertification instead"
    )]
    NoRenewalRemaining { valid_until: NaiveDate },
    #[error(
        "attestation is more than {ATTESTATION_EARLY_DAYS} days before the renewal due date. \
         The earliest accepted date is {earliest}"
    )]
    TooEarly { earliest: NaiveDate },
}

impl AttestationError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoAnnualRenewal => "attestation_not_applicable",
            Self::AfterExpiry { .. } => "attestation_after_expiry",
            Self::NoRenewalRemaining { .. } => "attestation_no_renewal_remaining",
            Self::TooEarly { .. } => "attestation_too_early",
        }
    }
}

/// Key dates of one issued certificate. Every date is inclusive: the last day that is still
/// on time. Every date after `issued_on` is no later than `valid_until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "StoredDates")]
pub struct CertificateDates {
    issued_on: NaiveDate,
    valid_until: NaiveDate,
    annual_renewal_due: Option<NaiveDate>,
    recertification_due: NaiveDate,
}

/// Unchecked form of [`CertificateDates`], used only to deserialize.
#[derive(Deserialize)]
struct StoredDates {
    issued_on: NaiveDate,
    valid_until: NaiveDate,
    annual_renewal_due: Option<NaiveDate>,
    recertification_due: NaiveDate,
}

impl TryFrom<StoredDates> for CertificateDates {
    type Error = CertificateDatesError;

    fn try_from(stored: StoredDates) -> Result<Self, Self::Error> {
        Self::from_parts(
            stored.issued_on,
            stored.valid_until,
            stored.annual_renewal_due,
            stored.recertification_due,
        )
    }
}

impl CertificateDates {
    /// Computes the dates of a certificate issued on `issued_on` under `rules`. The first
    /// renewal is due on the first anniversary of the issue date, which is `valid_until` when
    /// the validity is one year.
    pub fn at_issue(
        rules: &CertificateRules,
        issued_on: NaiveDate,
    ) -> Result<Self, CertificateDatesError> {
        let valid_until =
            add_years(issued_on, rules.validity_years).ok_or(CertificateDatesError::OutOfRange)?;
        let recertification_due = add_years(issued_on, rules.recertification_years())
            .ok_or(CertificateDatesError::OutOfRange)?;
        let annual_renewal_due = if rules.annual_renewal {
            Some(add_years(issued_on, 1).ok_or(CertificateDatesError::OutOfRange)?)
        } else {
            None
        };
        Ok(Self {
            issued_on,
            valid_until,
            annual_renewal_due,
            recertification_due,
        })
    }

    /// Builds dates loaded from storage. Each date after `issued_on` must fall after it and
    /// no later than `valid_until`. Dates that are not anniversaries of the issue date are
    /// accepted, so a due date that staff moved by hand loads unchanged.
    pub fn from_parts(
        issued_on: NaiveDate,
        valid_until: NaiveDate,
        annual_renewal_due: Option<NaiveDate>,
        recertification_due: NaiveDate,
    ) -> Result<Self, CertificateDatesError> {
        let in_validity = |date: NaiveDate| issued_on < date && date <= valid_until;
        let consistent = in_validity(valid_until)
            && in_validity(recertification_due)
            && annual_renewal_due.is_none_or(in_validity);
        if !consistent {
            return Err(CertificateDatesError::Inconsistent);
        }
        Ok(Self {
            issued_on,
            valid_until,
            annual_renewal_due,
            recertification_due,
        })
    }

    pub fn issued_on(&self) -> NaiveDate {
        self.issued_on
    }

    /// Last valid day, as printed on the certificate.
    pub fn valid_until(&self) -> NaiveDate {
        self.valid_until
    }

    /// Last day on which the next attestation of professional activity is on time, or `None`
    /// for a certificate type without annual renewal. Equal to `valid_until` once no renewal
    /// is left before the validity ends.
    pub fn annual_renewal_due(&self) -> Option<NaiveDate> {
        self.annual_renewal_due
    }

    /// Last day on which the holder is on time with a new certification.
    pub fn recertification_due(&self) -> NaiveDate {
        self.recertification_due
    }

    /// Records an attestation of professional activity registered on `attested_on` and
    /// returns the new renewal due date.
    ///
    /// The due date moves to the next anniversary of the issue date after the previous due
    /// date, whatever the attestation date. A late attestation therefore does not extend the
    /// following year, and a holder who is two years behind needs two attestations. The due
    /// date never moves past `valid_until`. An attestation is accepted from
    /// [`ATTESTATION_EARLY_DAYS`] days before the due date (and not before issue) through
    /// `valid_until`. On error the dates are left unchanged.
    pub fn record_attestation(
        &mut self,
        attested_on: NaiveDate,
    ) -> Result<NaiveDate, AttestationError> {
        let due = self
            .annual_renewal_due
            .ok_or(AttestationError::NoAnnualRenewal)?;
        if attested_on > self.valid_until {
            return Err(AttestationError::AfterExpiry {
                valid_until: self.valid_until,
            });
        }
        if due >= self.valid_until {
            return Err(AttestationError::NoRenewalRemaining {
                valid_until: self.valid_until,
            });
        }

        let earliest = due
            .checked_sub_days(Days::new(ATTESTATION_EARLY_DAYS))
            .unwrap_or(NaiveDate::MIN)
            .max(self.issued_on);
        if attested_on < earliest {
            return Err(AttestationError::TooEarly { earliest });
        }

        // An anniversary past the calendar range is also past `valid_until`.
        let next_due = next_anniversary(self.issued_on, due)
            .map_or(self.valid_until, |anniversary| {
                anniversary.min(self.valid_until)
            });
        self.annual_renewal_due = Some(next_due);
        Ok(next_due)
    }

    /// Computes the status shown to the holder on `today`.
    ///
    /// A withdrawal on or before `today` wins over everything, then a replacement by a
    /// recertification on or before `today`. Next, the certificate is expired after
    /// `valid_until`, and renewal is required after the renewal due date. The recertification
    /// due date does not change the status.
    ///
    /// NOTE: dates before `issued_on` also give [`CertificateStatus::Valid`], because the
    /// status has no value for a certificate that is not yet issued.
    pub fn status(
        &self,
        withdrawn_on: Option<NaiveDate>,
        replaced_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> CertificateStatus {
        if withdrawn_on.is_some_and(|withdrawn| withdrawn <= today) {
            return CertificateStatus::Withdrawn;
        }
        if replaced_on.is_some_and(|replaced| replaced <= today) {
            return CertificateStatus::Replaced;
        }
        if today > self.valid_until {
            return CertificateStatus::Expired;
        }
        if self.annual_renewal_due.is_some_and(|due| today > due) {
            return CertificateStatus::RenewalRequired;
        }
        CertificateStatus::Valid
    }

    /// Lists the reminders to send on `today`, `lead` ahead of each due date.
    ///
    /// A reminder is due from its send date through its due date, both included, because the
    /// holder is still on time on the due date. A daily job that stores each sent
    /// (certificate, kind, due date) therefore sends each reminder once, even after missed
    /// days. No renewal reminder is listed once the renewal due date has reached
    /// `valid_until`, since recertification replaces that renewal. The caller skips withdrawn
    /// certificates.
    pub fn due_reminders(&self, lead: Days, today: NaiveDate) -> Vec<Reminder> {
        let renewal = self
            .annual_renewal_due
            .filter(|due| *due < self.valid_until)
            .map(|due| Reminder::ahead_of(ReminderKind::RenewalDue, due, lead));
        let recertification = Some(Reminder::ahead_of(
            ReminderKind::RecertificationDue,
            self.recertification_due,
            lead,
        ));
        [renewal, recertification]
            .into_iter()
            .flatten()
            .filter(|reminder| reminder.send_on <= today && today <= reminder.due_on)
            .collect()
    }
}

/// Adds whole years, keeping month and day. 29 February becomes 28 February in a year that is
/// not a leap year. Returns `None` past the calendar range.
fn add_years(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    let months = years.checked_mul(12)?;
    date.checked_add_months(Months::new(months))
}

/// Returns the first anniversary of `issued_on` after `after`, which must not be before
/// `issued_on`.
fn next_anniversary(issued_on: NaiveDate, after: NaiveDate) -> Option<NaiveDate> {
    let years = u32::try_from(after.year() - issued_on.year()).ok()?;
    let same_year = add_years(issued_on, years)?;
    if same_year > after {
        return Some(same_year);
    }
    add_years(issued_on, years.checked_add(1)?)
}

/// Status of a certificate as shown to the holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    /// An attestation of professional activity is overdue, so the certificate is not active.
    RenewalRequired,
    Expired,
    /// Withdrawn by the certification body.
    Withdrawn,
    /// Replaced by the certificate of a recertification.
    Replaced,
}

impl CertificateStatus {
    /// Returns the stable machine code of the status.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::RenewalRequired => "renewal_required",
            Self::Expired => "expired",
            Self::Withdrawn => "withdrawn",
            Self::Replaced => "replaced",
        }
    }

    pub fn label_sv(&self) -> &'static str {
        match self {
            Self::Valid => "Giltig",
            Self::RenewalRequired => "Förlängning krävs",
            Self::Expired => "Utgången",
            Self::Withdrawn => "Indragen",
            Self::Replaced => "Ersatt",
        }
    }

    pub fn label_en(&self) -> &'static str {
        match self {
            Self::Valid => "Valid",
            Self::RenewalRequired => "Renewal required",
            Self::Expired => "Expired",
            Self::Withdrawn => "Withdrawn",
            Self::Replaced => "Replaced",
        }
    }
}

/// Subject of a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// Annual renewal: an attestation of professional activity is due.
    RenewalDue,
    /// A new certification is due before the validity ends.
    RecertificationDue,
}

impl ReminderKind {
    /// Returns the stable machine code of the kind.
    pub fn code(&self) -> &'static str {
        match self {
            Self::RenewalDue => "renewal_due",
            Self::RecertificationDue => "recertification_due",
        }
    }
}

/// A reminder to send to the holder from `send_on` about a date due on `due_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reminder {
    pub kind: ReminderKind,
    pub due_on: NaiveDate,
    pub send_on: NaiveDate,
}

impl Reminder {
    fn ahead_of(kind: ReminderKind, due_on: NaiveDate, lead: Days) -> Self {
        let send_on = due_on.checked_sub_days(lead).unwrap_or(NaiveDate::MIN);
        Self {
            kind,
            due_on,
            send_on,
        }
    }
}

/// Prefix of every certificate number.
const CERTIFICATE_NUMBER_PREFIX: &str = "INC";

/// Highest sequence number within one issue year.
pub const MAX_CERTIFICATE_SEQUENCE: u32 = 999_999;

/// Error in a certificate number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CertificateNumberError {
    #[error("certificate number must look like INC-2026-000123")]
    InvalidFormat,
    #[error("certificate number year must be 1000 to 9999")]
    YearOutOfRange,
    #[error("certificate number sequence must be 1 to {MAX_CERTIFICATE_SEQUENCE}")]
    SequenceOutOfRange,
}

impl CertificateNumberError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidFormat => "certificate_number_invalid_format",
            Self::YearOutOfRange => "certificate_number_year_out_of_range",
            Self::SequenceOutOfRange => "certificate_number_sequence_out_of_range",
        }
    }
}

/// A certificate number `INC-YYYY-NNNNNN`: the prefix `INC`, the four-digit issue year and a
/// sequence number within that year, zero-padded to six digits, from 1 to 999999. Because the
/// width is fixed, numbers sort by year and then sequence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CertificateNumber(String);

impl CertificateNumber {
    /// Builds the number of the `sequence`th certificate issued in `year`.
    pub fn format(year: i32, sequence: u32) -> Result<Self, CertificateNumberError> {
        if !(1000..=9999).contains(&year) {
            return Err(CertificateNumberError::YearOutOfRange);
        }
        if !(1..=MAX_CERTIFICATE_SEQUENCE).contains(&sequence) {
            return Err(CertificateNumberError::SequenceOutOfRange);
        }
        Ok(Self(format!(
            "{CERTIFICATE_NUMBER_PREFIX}-{year}-{sequence:06}"
        )))
    }

    /// Parses a number as typed. Surrounding whitespace is trimmed and the prefix may be in
    /// lower case. The year must be four digits and the sequence six.
    pub fn parse(input: &str) -> Result<Self, CertificateNumberError> {
        let mut parts = input.trim().split('-');
        let (Some(prefix), Some(year), Some(sequence), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CertificateNumberError::InvalidFormat);
        };
        let all_digits = |text: &str, length: usize| {
            text.len() == length && text.bytes().all(|byte| byte.is_ascii_digit())
        };
        if !prefix.eq_ignore_ascii_case(CERTIFICATE_NUMBER_PREFIX)
            || !all_digits(year, 4)
            || !all_digits(sequence, 6)
        {
            return Err(CertificateNumberError::InvalidFormat);
        }
        let year = year
            .parse()
            .map_err(|_| CertificateNumberError::InvalidFormat)?;
        let sequence = sequence
            .parse()
            .map_err(|_| CertificateNumberError::InvalidFormat)?;
        Self::format(year, sequence)
    }

    /// Issue year.
    pub fn year(&self) -> i32 {
        self.0
            .get(4..8)
            .and_then(|year| year.parse().ok())
            .unwrap_or_default()
    }

    /// Sequence number within the issue year.
    pub fn sequence(&self) -> u32 {
        self.0
            .get(9..)
            .and_then(|sequence| sequence.parse().ok())
            .unwrap_or_default()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CertificateNumber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl TryFrom<String> for CertificateNumber {
    type Error = CertificateNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CertificateNumber> for String {
    fn from(number: CertificateNumber) -> Self {
        number.0
    }
}

/// State of a certification application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    Received,
    InReview,
    AwaitingExam,
    Approved,
    Rejected,
    /// Withdrawn by the applicant before a decision.
    Withdrawn,
}

/// A state change that the application workflow does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("application cannot move from {} to {}", .from.code(), .to.code())]
pub struct TransitionError {
    pub from: ApplicationState,
    pub to: ApplicationState,
}

impl TransitionError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        "application_transition_not_allowed"
    }
}

impl ApplicationState {
    /// Returns the stable machine code of the state.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InReview => "in_review",
            Self::AwaitingExam => "awaiting_exam",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn label_sv(&self) -> &'static str {
        match self {
            Self::Received => "Ansökan mottagen",
            Self::InReview => "Under handläggning",
            Self::AwaitingExam => "Väntar på prov",
            Self::Approved => "Godkänd",
            Self::Rejected => "Avslagen",
            Self::Withdrawn => "Återkallad",
        }
    }

    pub fn label_en(&self) -> &'static str {
        match self {
            Self::Received => "Application received",
            Self::InReview => "In review",
            Self::AwaitingExam => "Awaiting exam",
            Self::Approved => "Approved",
            Self::Rejected => "Rejected",
            Self::Withdrawn => "Withdrawn",
        }
    }

    /// Returns whether the application still awaits a decision or the applicant's withdrawal.
    pub fn is_open(&self) -> bool {
        matches!(self, Self::Received | Self::InReview | Self::AwaitingExam)
    }

    /// Returns whether the workflow allows a move from this state to `to`. Only an
    /// application in review can be decided, and only an open one can be withdrawn. Staying
    /// in the same state is not a move.
    pub fn can_transition_to(&self, to: Self) -> bool {
        use ApplicationState::{Approved, AwaitingExam, InReview, Received, Rejected, Withdrawn};

        match (*self, to) {
            (Received, InReview | AwaitingExam) => true,
            (InReview, AwaitingExam | Approved | Rejected) => true,
            (AwaitingExam, InReview) => true,
            (from, Withdrawn) => from.is_open(),
            _ => false,
        }
    }

    /// Moves the application to `to`, or returns the rejected move.
    pub fn transition(self, to: Self) -> Result<Self, TransitionError> {
        if self.can_transition_to(to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }
}
