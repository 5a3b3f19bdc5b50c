//! Checks of order requests as BankID makes them. Each error is the `details` text of an
//! `invalidParameters` response.

use std::net::IpAddr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use incert_domain::{Personnummer, PersonnummerKind};

use crate::model::CallInitiator;
use crate::wire::{MAX_ENCODED_DATA_LENGTH, MAX_RETURN_URL_LENGTH, OrderBody, RequirementBody};

use super::Endpoint;

/// An order request that passed every check.
#[derive(Debug, Clone)]
pub(crate) struct ValidOrder {
    /// `personalNumber` of a phone order, or `requirement.personalNumber`.
    pub bound_personal_number: Option<Personnummer>,
    pub call_initiator: Option<CallInitiator>,
    pub requires_mrtd: bool,
    /// `userVisibleData` as received (base64).
    pub user_visible_data: Option<String>,
    /// `userVisibleData` decoded.
    pub user_visible_text: Option<String>,
    pub user_visible_data_format: Option<String>,
    pub user_non_visible_data: Option<String>,
    pub return_risk: bool,
}

/// Validates the body of `auth`, `sign`, `phone/auth` or `phone/sign`.
pub(crate) fn validate_order(endpoint: Endpoint, body: OrderBody) -> Result<ValidOrder, String> {
    let is_phone = matches!(endpoint, Endpoint::PhoneAuth | Endpoint::PhoneSign);
    let is_sign = matches!(endpoint, Endpoint::Sign | Endpoint::PhoneSign);

    let mut phone_personal_number = None;
    let mut call_initiator = None;
    if is_phone {
        let number = body
            .personal_number
            .as_deref()
            .ok_or("personalNumber is missing")?;
        phone_personal_number = Some(parse_personal_number(number, "personalNumber")?);
        let initiator = body
            .call_initiator
            .as_deref()
            .ok_or("callInitiator is missing")?;
        call_initiator = Some(
            CallInitiator::parse(initiator).ok_or("callInitiator must be \"user\" or \"RP\"")?,
        );
    } else {
        let ip = body.end_user_ip.as_deref().ok_or("endUserIp is missing")?;
        ip.parse::<IpAddr>()
            .map_err(|_| "endUserIp is not a valid IPv4 or IPv6 address")?;
        if let Some(url) = body.return_url.as_deref() {
            let length = url.chars().count();
            if length == 0 || length > MAX_RETURN_URL_LENGTH {
                return Err(format!(
                    "returnUrl must be 1 to {MAX_RETURN_URL_LENGTH} characters long"
                ));
            }
        }
        if body.web.is_some() && body.app.is_some() {
            return Err("web and app must not both be given".to_owned());
        }
    }

    let requirement = body
        .requirement
        .as_ref()
        .map(validate_requirement)
        .transpose()?
        .unwrap_or_default();

    let user_visible_text = match body.user_visible_data.as_deref() {
        Some(data) => Some(decode_visible_data(data)?),
        None if is_sign => return Err("userVisibleData is missing".to_owned()),
        None => None,
    };
    if let Some(format) = body.user_visible_data_format.as_deref()
        && format != "simpleMarkdownV1"
    {
        return Err("userVisibleDataFormat must be \"simpleMarkdownV1\"".to_owned());
    }
    if let Some(data) = body.user_non_visible_data.as_deref() {
        check_encoded_length("userNonVisibleData", data)?;
        STANDARD
            .decode(data)
            .map_err(|_| "userNonVisibleData is not valid base64")?;
    }

    Ok(ValidOrder {
        bound_personal_number: phone_personal_number.or(requirement.personal_number),
        call_initiator,
        requires_mrtd: requirement.mrtd,
        user_visible_data: body.user_visible_data,
        user_visible_text,
        user_visible_data_format: body.user_visible_data_format,
        user_non_visible_data: body.user_non_visible_data,
        return_risk: !is_phone && body.return_risk.unwrap_or(false),
    })
}

#[derive(Debug, Default)]
struct ValidRequirement {
    personal_number: Option<Personnummer>,
    mrtd: bool,
}

fn validate_requirement(requirement: &RequirementBody) -> Result<ValidRequirement, String> {
    if let Some(reader) = requirement.card_reader.as_deref()
        && !matches!(reader, "class1" | "class2")
    {
        return Err("requirement.cardReader must be \"class1\" or \"class2\"".to_owned());
    }
    for policy in requirement.certificate_policies.iter().flatten() {
        if !is_policy_oid(policy) {
            return Err(format!(
                "requirement.certificatePolicies contains {policy:?}, which is not an OID"
            ));
        }
    }
    let personal_number = requirement
        .personal_number
        .as_deref()
        .map(|number| parse_personal_number(number, "requirement.personalNumber"))
        .transpose()?;
    Ok(ValidRequirement {
        personal_number,
        mrtd: requirement.mrtd.unwrap_or(false),
    })
}

/// Accepts dotted decimal OIDs such as `1.2.752.78.1.5`, optionally ending in `.*`.
fn is_policy_oid(policy: &str) -> bool {
    let body = policy.strip_suffix(".*").unwrap_or(policy);
    !body.is_empty()
        && body
            .split('.')
            .all(|arc| !arc.is_empty() && arc.bytes().all(|b| b.is_ascii_digit()))
}

/// Accepts exactly 12 digits with a valid date and check digit.
fn parse_personal_number(number: &str, field: &str) -> Result<Personnummer, String> {
    let invalid = || format!("{field} must be 12 digits, YYYYMMDDNNNC, with a valid check digit");
    if number.len() != 12 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let parsed = Personnummer::from_canonical(number).map_err(|_| invalid())?;
    if parsed.kind() == PersonnummerKind::Interim {
        return Err(invalid());
    }
    Ok(parsed)
}

fn decode_visible_data(data: &str) -> Result<String, String> {
    check_encoded_length("userVisibleData", data)?;
    let bytes = STANDARD
        .decode(data)
        .map_err(|_| "userVisibleData is not valid base64")?;
    String::from_utf8(bytes).map_err(|_| "userVisibleData is not base64-encoded UTF-8".to_owned())
}

fn check_encoded_length(field: &str, data: &str) -> Result<(), String> {
    if data.is_empty() || data.len() > MAX_ENCODED_DATA_LENGTH {
        return Err(format!(
            "{field} must be 1 to {MAX_ENCODED_DATA_LENGTH} characters long after base64 encoding"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_oids_are_checked() {
        assert!(is_policy_oid("1.2.752.78.1.5"));
        assert!(is_policy_oid("1.2.752.78.*"));
        assert!(!is_policy_oid("1..2"));
        assert!(!is_policy_oid("*"));
        assert!(!is_policy_oid("abc"));
    }

    #[test]
    fn personal_number_needs_twelve_valid_digits() {
        assert!(parse_personal_number("198112189876", "personalNumber").is_ok());
        assert!(parse_personal_number("8112189876", "personalNumber").is_err());
        assert!(parse_personal_number("19811218-9876", "personalNumber").is_err());
        assert!(parse_personal_number("198112189875", "personalNumber").is_err());
    }
}
