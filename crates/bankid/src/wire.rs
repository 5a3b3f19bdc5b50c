//! JSON bodies of the order requests as they travel on the wire.
//!
//! The client builds them from the typed requests in [`crate::model`], checking BankID's limits
//! first. The simulator parses them and validates every field itself, so all fields are optional
//! strings here.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use incert_domain::{Personnummer, PersonnummerKind};
use serde::{Deserialize, Serialize};

use crate::error::RequestError;
use crate::model::{
    AuthRequest, CallInitiator, DeviceData, PhoneAuthRequest, PhoneSignRequest, Requirement,
    SignRequest, UserVisibleDataFormat,
};

/// Maximum length of `userVisibleData` and `userNonVisibleData`, in characters after base64
/// encoding (BankID RP API v6.0).
pub const MAX_ENCODED_DATA_LENGTH: usize = 1500;

/// Maximum length of `returnUrl` in characters (BankID RP API v6.0).
pub const MAX_RETURN_URL_LENGTH: usize = 512;

/// Body of `auth`, `sign`, `phone/auth` and `phone/sign`. Each endpoint uses a subset.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrderBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_initiator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<RequirementBody>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_visible_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_visible_data_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_non_visible_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_risk: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web: Option<WebBody>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<AppBody>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RequirementBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_code: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrtd: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_reader: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_policies: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_number: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WebBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referring_domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_identifier: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_identifier: Option<String>,
    #[serde(default, rename = "deviceOS", skip_serializing_if = "Option::is_none")]
    pub device_os: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_model_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_identifier: Option<String>,
}

/// Body of `collect` and `cancel`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OrderRefBody {
    #[serde(default)]
    pub order_ref: Option<String>,
}

/// Body of an error response.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ErrorBody {
    pub error_code: crate::codes::ErrorCode,
    #[serde(default)]
    pub details: String,
}

impl AuthRequest {
    pub(crate) fn to_body(&self) -> Result<OrderBody, RequestError> {
        let visible = self.user_visible_data.as_deref();
        let mut body = common_body(
            self.requirement.as_ref(),
            visible,
            self.user_visible_data_format,
            self.user_non_visible_data.as_deref(),
        )?;
        body.end_user_ip = Some(self.end_user_ip.to_string());
        body.return_url = encode_return_url(self.return_url.as_deref())?;
        body.return_risk = self.return_risk.then_some(true);
        set_device(&mut body, self.device.as_ref());
        Ok(body)
    }
}

impl SignRequest {
    pub(crate) fn to_body(&self) -> Result<OrderBody, RequestError> {
        let mut body = common_body(
            self.requirement.as_ref(),
            Some(&self.user_visible_data),
            self.user_visible_data_format,
            self.user_non_visible_data.as_deref(),
        )?;
        body.end_user_ip = Some(self.end_user_ip.to_string());
        body.return_url = encode_return_url(self.return_url.as_deref())?;
        body.return_risk = self.return_risk.then_some(true);
        set_device(&mut body, self.device.as_ref());
        Ok(body)
    }
}

impl PhoneAuthRequest {
    pub(crate) fn to_body(&self) -> Result<OrderBody, RequestError> {
        let mut body = common_body(
            self.requirement.as_ref(),
            self.user_visible_data.as_deref(),
            self.user_visible_data_format,
            self.user_non_visible_data.as_deref(),
        )?;
        body.personal_number = Some(personal_number_for_bankid(&self.personal_number)?);
        body.call_initiator = Some(self.call_initiator.as_str().to_owned());
        Ok(body)
    }
}

impl PhoneSignRequest {
    pub(crate) fn to_body(&self) -> Result<OrderBody, RequestError> {
        let mut body = common_body(
            self.requirement.as_ref(),
            Some(&self.user_visible_data),
            self.user_visible_data_format,
            self.user_non_visible_data.as_deref(),
        )?;
        body.personal_number = Some(personal_number_for_bankid(&self.personal_number)?);
        body.call_initiator = Some(self.call_initiator.as_str().to_owned());
        Ok(body)
    }
}

impl CallInitiator {
    pub(crate) fn parse(value: &str) -> Option<Self> {
        match value {
            "user" => Some(Self::User),
            "RP" => Some(Self::Rp),
            _ => None,
        }
    }
}

/// Builds the fields that every order endpoint shares.
fn common_body(
    requirement: Option<&Requirement>,
    user_visible_data: Option<&str>,
    user_visible_data_format: Option<UserVisibleDataFormat>,
    user_non_visible_data: Option<&[u8]>,
) -> Result<OrderBody, RequestError> {
    let requirement = requirement.map(requirement_body).transpose()?;
    let user_visible_data = user_visible_data
        .map(|text| encode_data("userVisibleData", text.as_bytes()))
        .transpose()?;
    let user_non_visible_data = user_non_visible_data
        .map(|bytes| encode_data("userNonVisibleData", bytes))
        .transpose()?;
    Ok(OrderBody {
        requirement,
        user_visible_data,
        user_visible_data_format: user_visible_data_format.map(|format| format.as_str().to_owned()),
        user_non_visible_data,
        ..OrderBody::default()
    })
}

fn requirement_body(requirement: &Requirement) -> Result<RequirementBody, RequestError> {
    if requirement
        .certificate_policies
        .iter()
        .any(|policy| policy.trim().is_empty())
    {
        return Err(RequestError::Empty {
            field: "requirement.certificatePolicies",
        });
    }
    let personal_number = requirement
        .personal_number
        .as_ref()
        .map(personal_number_for_bankid)
        .transpose()?;
    Ok(RequirementBody {
        pin_code: requirement.pin_code,
        mrtd: requirement.mrtd,
        card_reader: requirement
            .card_reader
            .map(|reader| reader.as_str().to_owned()),
        certificate_policies: (!requirement.certificate_policies.is_empty())
            .then(|| requirement.certificate_policies.clone()),
        personal_number,
    })
}

/// Base64-encodes `bytes` and checks the encoded length against BankID's limit.
fn encode_data(field: &'static str, bytes: &[u8]) -> Result<String, RequestError> {
    if bytes.is_empty() {
        return Err(RequestError::Empty { field });
    }
    let encoded = STANDARD.encode(bytes);
    if encoded.len() > MAX_ENCODED_DATA_LENGTH {
        return Err(RequestError::TooLong {
            field,
            length: encoded.len(),
            max: MAX_ENCODED_DATA_LENGTH,
        });
    }
    Ok(encoded)
}

/// Leaves out an empty return URL, as BankID rejects an empty `returnUrl`.
fn encode_return_url(return_url: Option<&str>) -> Result<Option<String>, RequestError> {
    let Some(url) = return_url.filter(|url| !url.is_empty()) else {
        return Ok(None);
    };
    let length = url.chars().count();
    if length > MAX_RETURN_URL_LENGTH {
        return Err(RequestError::TooLong {
            field: "returnUrl",
            length,
            max: MAX_RETURN_URL_LENGTH,
        });
    }
    Ok(Some(url.to_owned()))
}

fn set_device(body: &mut OrderBody, device: Option<&DeviceData>) {
    match device {
        Some(DeviceData::Web(web)) => {
            body.web = Some(WebBody {
                referring_domain: Some(web.referring_domain.clone()),
                user_agent: Some(web.user_agent.clone()),
                device_identifier: Some(web.device_identifier.clone()),
            });
        }
        Some(DeviceData::App(app)) => {
            body.app = Some(AppBody {
                app_identifier: Some(app.app_identifier.clone()),
                device_os: Some(app.device_os.clone()),
                device_model_name: Some(app.device_model_name.clone()),
                device_identifier: Some(app.device_identifier.clone()),
            });
        }
        None => {}
    }
}

/// Returns the 12-digit form, rejecting interim numbers, which contain a letter and which
/// BankID does not issue.
fn personal_number_for_bankid(number: &Personnummer) -> Result<String, RequestError> {
    if number.kind() == PersonnummerKind::Interim {
        return Err(RequestError::InterimPersonalNumber {
            masked: number.masked(),
        });
    }
    Ok(number.to_long())
}
