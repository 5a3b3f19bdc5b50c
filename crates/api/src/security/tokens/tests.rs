use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit as _, Mac as _};
use serde_json::{Value, json};

use super::*;

const KEY: &[u8] = b"test signing key of 32 bytes ok!";
const ISSUER: &str = "https://incert.example";
const AUDIENCE: &str = "incert-api";
const LIFETIME: Duration = Duration::from_secs(900);

fn issuer() -> TokenIssuer {
    TokenIssuer::new(KEY, ISSUER, AUDIENCE, LIFETIME).unwrap()
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_750_000_000, 0).unwrap()
}

fn issue(issuer: &TokenIssuer) -> IssuedToken {
    issuer
        .issue("acc-1", "ses-1", "examiner", TokenScope::Full, now())
        .unwrap()
}

/// Claims of a valid token issued at `now()`, as JSON.
fn valid_claims() -> Value {
    json!({
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "acc-1",
        "sid": "ses-1",
        "role": "examiner",
        "scope": "full",
        "iat": now().timestamp(),
        "exp": now().timestamp() + 900,
        "jti": "5f0c2a4e-8a52-4d7e-9a35-0f6f4a7c1b2d",
    })
}

/// Returns the header that `issue` writes, as JSON.
fn valid_header() -> Value {
    json!({ "alg": "HS256", "typ": "at+jwt", "kid": key_id(KEY) })
}

fn encode_part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

/// Builds a compact JWS by hand. `signing_key` `None` leaves the signature empty.
fn craft(header: &Value, claims: &Value, signing_key: Option<&[u8]>) -> String {
    let message = format!("{}.{}", encode_part(header), encode_part(claims));
    let signature = match signing_key {
        Some(key) => {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
            mac.update(message.as_bytes());
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        }
        None => String::new(),
    };
    format!("{message}.{signature}")
}

fn assert_invalid(result: Result<AccessClaims, TokenError>) {
    assert!(
        matches!(result, Err(TokenError::Invalid)),
        "expected Invalid, got {result:?}"
    );
}

#[test]
fn issue_verify_round_trip() {
    let issuer = issuer();
    let issued = issuer
        .issue(
            "acc-1",
            "ses-1",
            "examiner",
            TokenScope::PasswordChange,
            now(),
        )
        .unwrap();
    let claims = issuer.verify(&issued.token, now()).unwrap();

    assert_eq!(claims.iss, ISSUER);
    assert_eq!(claims.aud, AUDIENCE);
    assert_eq!(claims.sub, "acc-1");
    assert_eq!(claims.sid, "ses-1");
    assert_eq!(claims.role, "examiner");
    assert_eq!(claims.scope, TokenScope::PasswordChange);
    assert_eq!(claims.iat, now().timestamp());
    assert_eq!(claims.exp, now().timestamp() + 900);
    assert_eq!(issued.expires_at.timestamp(), claims.exp);
    let jti = uuid::Uuid::parse_str(&claims.jti).unwrap();
    assert_eq!(jti.get_version_num(), 4);
}

#[test]
fn issued_header_is_pinned() {
    let issued = issue(&issuer());
    let header = jsonwebtoken::decode_header(&issued.token).unwrap();
    assert_eq!(header.alg, Algorithm::HS256);
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));
    assert_eq!(header.kid, Some(key_id(KEY)));
    assert_eq!(key_id(KEY).len(), 16);
    assert!(key_id(KEY).bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn expiry_rounds_down_to_seconds() {
    let issuer = issuer();
    let later = now() + chrono::Duration::milliseconds(999);
    let issued = issuer
        .issue("acc-1", "ses-1", "examiner", TokenScope::Full, later)
        .unwrap();
    assert_eq!(issued.expires_at.timestamp(), now().timestamp() + 900);
    assert_eq!(issued.expires_at.timestamp_subsec_nanos(), 0);
}

#[test]
fn jti_differs_per_token() {
    let issuer = issuer();
    let first = issuer.verify(&issue(&issuer).token, now()).unwrap();
    let second = issuer.verify(&issue(&issuer).token, now()).unwrap();
    assert_ne!(first.jti, second.jti);
}

#[test]
fn crafted_valid_token_accepted() {
    // Checks that `craft` builds what `verify` accepts, so the rejections below test one
    // change each.
    let token = craft(&valid_header(), &valid_claims(), Some(KEY));
    assert!(issuer().verify(&token, now()).is_ok());
}

#[test]
fn tampered_payload_rejected() {
    let issued = issue(&issuer());
    let parts: Vec<&str> = issued.token.split('.').collect();
    let mut claims = valid_claims();
    claims["role"] = json!("admin");
    let tampered = format!("{}.{}.{}", parts[0], encode_part(&claims), parts[2]);
    assert_invalid(issuer().verify(&tampered, now()));
}

#[test]
fn tampered_signature_rejected() {
    let issued = issue(&issuer());
    let (message, signature) = issued.token.rsplit_once('.').unwrap();
    let mut signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    signature[0] ^= 1;
    let tampered = format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature));
    assert_invalid(issuer().verify(&tampered, now()));
}

#[test]
fn wrong_key_rejected() {
    let other = TokenIssuer::new(
        b"another signing key of 32 bytes!",
        ISSUER,
        AUDIENCE,
        LIFETIME,
    )
    .unwrap();
    assert_invalid(issuer().verify(&issue(&other).token, now()));

    // Same kid as the server's key but signed with another key.
    let forged = craft(
        &valid_header(),
        &valid_claims(),
        Some(b"another signing key of 32 bytes!"),
    );
    assert_invalid(issuer().verify(&forged, now()));
}

#[test]
fn alg_none_rejected() {
    for alg in ["none", "None", "NONE"] {
        let mut header = valid_header();
        header["alg"] = json!(alg);
        assert_invalid(issuer().verify(&craft(&header, &valid_claims(), None), now()));
        assert_invalid(issuer().verify(&craft(&header, &valid_claims(), Some(KEY)), now()));
    }
}

#[test]
fn rs256_header_rejected() {
    // The classic confusion attack: an RS256 header with an HMAC signature made with the key.
    let mut header = valid_header();
    header["alg"] = json!("RS256");
    assert_invalid(issuer().verify(&craft(&header, &valid_claims(), Some(KEY)), now()));
}

#[test]
fn other_hmac_alg_rejected() {
    let mut header = Header::new(Algorithm::HS512);
    header.typ = Some("at+jwt".to_owned());
    header.kid = Some(key_id(KEY));
    let token = jsonwebtoken::encode(
        &header,
        &valid_claims(),
        &EncodingKey::from_secret(KEY).unwrap(),
    )
    .unwrap();
    assert_invalid(issuer().verify(&token, now()));
}

#[test]
fn other_typ_rejected() {
    for typ in [json!("JWT"), json!("jwt"), json!("at+jwt2"), Value::Null] {
        let mut header = valid_header();
        header["typ"] = typ.clone();
        let token = craft(&header, &valid_claims(), Some(KEY));
        assert!(
            matches!(issuer().verify(&token, now()), Err(TokenError::Invalid)),
            "typ {typ}"
        );
    }
    let mut header = valid_header();
    header.as_object_mut().unwrap().remove("typ");
    assert_invalid(issuer().verify(&craft(&header, &valid_claims(), Some(KEY)), now()));
}

#[test]
fn media_type_typ_accepted() {
    let mut header = valid_header();
    header["typ"] = json!("application/at+jwt");
    let token = craft(&header, &valid_claims(), Some(KEY));
    assert!(issuer().verify(&token, now()).is_ok());
}

#[test]
fn other_kid_rejected() {
    let mut header = valid_header();
    header["kid"] = json!("0000000000000000");
    assert_invalid(issuer().verify(&craft(&header, &valid_claims(), Some(KEY)), now()));

    header.as_object_mut().unwrap().remove("kid");
    assert_invalid(issuer().verify(&craft(&header, &valid_claims(), Some(KEY)), now()));
}

#[test]
fn crit_header_rejected() {
    let mut header = valid_header();
    header["crit"] = json!(["exp"]);
    assert_invalid(issuer().verify(&craft(&header, &valid_claims(), Some(KEY)), now()));
}

#[test]
fn wrong_audience_rejected() {
    let other = TokenIssuer::new(KEY, ISSUER, "another-api", LIFETIME).unwrap();
    assert_invalid(issuer().verify(&issue(&other).token, now()));
}

#[test]
fn wrong_issuer_rejected() {
    let other = TokenIssuer::new(KEY, "https://other.example", AUDIENCE, LIFETIME).unwrap();
    assert_invalid(issuer().verify(&issue(&other).token, now()));
}

#[test]
fn missing_claim_rejected() {
    for claim in ["iss", "aud", "sub", "sid", "role", "scope", "exp", "jti"] {
        let mut claims = valid_claims();
        claims.as_object_mut().unwrap().remove(claim);
        let token = craft(&valid_header(), &claims, Some(KEY));
        assert!(
            matches!(issuer().verify(&token, now()), Err(TokenError::Invalid)),
            "without {claim}"
        );
    }
}

#[test]
fn unknown_scope_rejected() {
    let mut claims = valid_claims();
    claims["scope"] = json!("admin");
    assert_invalid(issuer().verify(&craft(&valid_header(), &claims, Some(KEY)), now()));
}

#[test]
fn malformed_tokens_rejected() {
    for token in ["", "abc", "a.b", "a.b.c", "...", "a.b.c.d"] {
        assert!(
            matches!(issuer().verify(token, now()), Err(TokenError::Invalid)),
            "token {token:?}"
        );
    }
}

#[test]
fn expired_at_exp() {
    let issuer = issuer();
    let issued = issue(&issuer);
    let exp = issued.expires_at;
    assert!(matches!(
        issuer.verify(&issued.token, exp),
        Err(TokenError::Expired)
    ));
    assert!(matches!(
        issuer.verify(&issued.token, exp + chrono::Duration::days(1)),
        Err(TokenError::Expired)
    ));
}

#[test]
fn valid_one_second_before_exp() {
    let issuer = issuer();
    let issued = issue(&issuer);
    let just_before = issued.expires_at - chrono::Duration::seconds(1);
    assert!(issuer.verify(&issued.token, just_before).is_ok());

    // A `now` 1 ms before exp counts as the second before exp.
    let fraction_before = issued.expires_at - chrono::Duration::milliseconds(1);
    assert!(issuer.verify(&issued.token, fraction_before).is_ok());
}

#[test]
fn expired_forged_token_invalid() {
    // A forged token that is also expired reports Invalid, not Expired.
    let mut claims = valid_claims();
    claims["exp"] = json!(now().timestamp() - 10);
    let forged = craft(
        &valid_header(),
        &claims,
        Some(b"another signing key of 32 bytes!"),
    );
    assert_invalid(issuer().verify(&forged, now()));
}

#[test]
fn short_key_rejected() {
    let result = TokenIssuer::new(&KEY[..31], ISSUER, AUDIENCE, LIFETIME);
    assert!(matches!(result, Err(TokenError::Signing(_))));
}

#[test]
fn sub_second_lifetime_rejected() {
    let result = TokenIssuer::new(KEY, ISSUER, AUDIENCE, Duration::from_millis(999));
    assert!(matches!(result, Err(TokenError::Signing(_))));
    assert_eq!(issuer().lifetime(), LIFETIME);
}

#[test]
fn debug_hides_secrets() {
    let issuer = issuer();
    let issued = issue(&issuer);

    let printed = format!("{issued:?}");
    assert!(!printed.contains(&issued.token), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");

    let printed = format!("{issuer:?}");
    assert!(!printed.contains("test signing key"), "{printed}");
    assert!(printed.contains(&key_id(KEY)), "{printed}");
}

#[test]
fn scope_serializes_snake_case() {
    assert_eq!(
        serde_json::to_value(TokenScope::PasswordChange).unwrap(),
        json!("password_change")
    );
    assert_eq!(
        serde_json::to_value(TokenScope::Full).unwrap(),
        json!("full")
    );
}
