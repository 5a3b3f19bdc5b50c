#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

use proptest::prelude::*;

use super::*;

fn parse(input: &str) -> Result<Email, EmailError> {
    Email::parse(input)
}

#[test]
fn valid_addresses_accepted() {
    let cases = [
        ("anna.svensson@example.se", "anna.svensson@example.se"),
        ("  Anna.Svensson@Example.SE \n", "Anna.Svensson@example.se"),
        ("anna+kurs@example.se", "anna+kurs@example.se"),
        ("a@b.se", "a@b.se"),
        ("o'brien@example.co.uk", "o'brien@example.co.uk"),
        (
            "x_y-z!#$%&*/=?^`{|}~@sub.example.se",
            "x_y-z!#$%&*/=?^`{|}~@sub.example.se",
        ),
        ("test.person@incert.se", "test.person@incert.se"),
        ("åsa@example.se", "åsa@example.se"),
        ("user@xn--rksmrgs-5wao1o.se", "user@räksmörgås.se"),
        ("user@RÄKSMÖRGÅS.SE", "user@räksmörgås.se"),
        ("user@mail-1.example.se", "user@mail-1.example.se"),
    ];
    for (input, stored) in cases {
        let email = parse(input).unwrap();
        assert_eq!(email.as_str(), stored, "input {input:?}");
    }
}

#[test]
fn invalid_addresses_rejected() {
    let cases = [
        ("", EmailError::Empty),
        ("   ", EmailError::Empty),
        ("anna.example.se", EmailError::MissingAt),
        ("anna@svensson@example.se", EmailError::MultipleAt),
        ("@example.se", EmailError::EmptyLocalPart),
        ("anna@", EmailError::EmptyDomain),
        ("anna svensson@example.se", EmailError::Whitespace),
        ("anna@example .se", EmailError::Whitespace),
        ("anna\u{a0}svensson@example.se", EmailError::Whitespace),
        ("anna\n@example.se", EmailError::ControlCharacter),
        (
            "anna@example.se\r\nBcc: x@example.se",
            EmailError::ControlCharacter,
        ),
        ("anna\u{0}@example.se", EmailError::ControlCharacter),
        ("anna..svensson@example.se", EmailError::ConsecutiveDots),
        ("anna@example..se", EmailError::ConsecutiveDots),
        (".anna@example.se", EmailError::InvalidLocalPart),
        ("anna.@example.se", EmailError::InvalidLocalPart),
        ("\"anna\"@example.se", EmailError::InvalidLocalPart),
        ("anna(kurs)@example.se", EmailError::InvalidLocalPart),
        ("an,na@example.se", EmailError::InvalidLocalPart),
        ("anna<x>@example.se", EmailError::InvalidLocalPart),
        ("anna@localhost", EmailError::DomainMissingDot),
        ("anna@se", EmailError::DomainMissingDot),
        ("anna@.example.se", EmailError::InvalidDomain),
        ("anna@example.se.", EmailError::InvalidDomain),
        ("anna@-example.se", EmailError::InvalidDomain),
        ("anna@example-.se", EmailError::InvalidDomain),
        ("anna@exa_mple.se", EmailError::InvalidDomain),
        ("anna@exa!mple.se", EmailError::InvalidDomain),
        ("anna@[127.0.0.1]", EmailError::InvalidDomain),
        ("anna@127.0.0.1", EmailError::InvalidDomain),
        ("anna@example.123", EmailError::InvalidDomain),
        ("anna@xn--invalid-.se", EmailError::InvalidDomain),
    ];
    for (input, expected) in cases {
        assert_eq!(parse(input), Err(expected), "input {input:?}");
    }
}

#[test]
fn length_limits_enforced() {
    let local_64 = "a".repeat(64);
    assert!(parse(&format!("{local_64}@example.se")).is_ok());
    assert_eq!(
        parse(&format!("{local_64}a@example.se")),
        Err(EmailError::LocalPartTooLong)
    );

    // Four labels of 60 characters and ".se" make a domain of 246 bytes.
    let domain = format!("{0}.{0}.{0}.{0}.se", "d".repeat(60));
    assert_eq!(domain.len(), 246);
    let at_limit = format!("{}@{domain}", "a".repeat(7));
    assert_eq!(at_limit.len(), 254);
    assert!(parse(&at_limit).is_ok());
    let over_limit = format!("{}@{domain}", "a".repeat(8));
    assert_eq!(parse(&over_limit), Err(EmailError::TooLong));

    let label_64 = format!("anna@{}.se", "d".repeat(64));
    assert_eq!(parse(&label_64), Err(EmailError::InvalidDomain));
    assert_eq!(parse(&"a".repeat(5000)), Err(EmailError::TooLong));
}

#[test]
fn length_counts_ascii_domain() {
    // Each label takes 13 bytes in UTF-8 and 18 in punycode (xn--rksmrgs-5wao1o).
    let domain = format!("{}se", "räksmörgås.".repeat(13));
    let input = format!("{}@{domain}", "a".repeat(10));
    assert_eq!(input.len(), 195);
    assert_eq!(parse(&input), Err(EmailError::TooLong));

    let shorter = format!("{}@{domain}", "a".repeat(4));
    let email = parse(&shorter).unwrap();
    assert_eq!(email.to_ascii().len(), 254);
}

#[test]
fn idn_domain_has_both_forms() {
    let email = parse("Anna@Räksmörgås.SE").unwrap();
    assert_eq!(email.local_part(), "Anna");
    assert_eq!(email.domain(), "räksmörgås.se");
    assert_eq!(email.ascii_domain(), "xn--rksmrgs-5wao1o.se");
    assert_eq!(email.to_ascii(), "Anna@xn--rksmrgs-5wao1o.se");
    assert!(!email.requires_smtputf8());

    let unicode_local = parse("åsa@example.se").unwrap();
    assert!(unicode_local.requires_smtputf8());
}

#[test]
fn normalized_key_ignores_case_only() {
    let mixed = parse("Anna.Svensson@Example.SE").unwrap();
    let lower = parse("anna.svensson@example.se").unwrap();
    assert_ne!(mixed, lower);
    assert_eq!(mixed.normalized_key(), lower.normalized_key());
    assert_eq!(mixed.normalized_key(), "anna.svensson@example.se");

    let tagged = parse("anna.svensson+kurs@example.se").unwrap();
    assert_ne!(tagged.normalized_key(), lower.normalized_key());
    let undotted = parse("annasvensson@example.se").unwrap();
    assert_ne!(undotted.normalized_key(), lower.normalized_key());

    let swedish = parse("ÅSA@RÄKSMÖRGÅS.SE").unwrap();
    assert_eq!(swedish.normalized_key(), "åsa@räksmörgås.se");
    let punycode = parse("åsa@xn--rksmrgs-5wao1o.se").unwrap();
    assert_eq!(punycode.normalized_key(), swedish.normalized_key());
}

#[test]
fn masked_form_hides_local_part() {
    let email = parse("anna.svensson@example.se").unwrap();
    assert_eq!(email.masked(), "a***@example.se");
    assert_eq!(format!("{email:?}"), "Email(\"a***@example.se\")");
    assert_eq!(parse("Åsa@example.se").unwrap().masked(), "Å***@example.se");
    assert_eq!(parse("a@example.se").unwrap().masked(), "a***@example.se");
}

#[test]
fn serde_round_trip_validates() {
    let email = parse("Anna@Example.SE").unwrap();
    let json = serde_json::to_string(&email).unwrap();
    assert_eq!(json, "\"Anna@example.se\"");
    let read: Email = serde_json::from_str(&json).unwrap();
    assert_eq!(read, email);
    assert!(serde_json::from_str::<Email>("\"anna@localhost\"").is_err());
    assert!(serde_json::from_str::<Email>("\"\"").is_err());
}

#[test]
fn error_codes_unique_and_prefixed() {
    let errors = [
        EmailError::Empty,
        EmailError::TooLong,
        EmailError::LocalPartTooLong,
        EmailError::ControlCharacter,
        EmailError::Whitespace,
        EmailError::MissingAt,
        EmailError::MultipleAt,
        EmailError::EmptyLocalPart,
        EmailError::EmptyDomain,
        EmailError::ConsecutiveDots,
        EmailError::InvalidLocalPart,
        EmailError::InvalidDomain,
        EmailError::DomainMissingDot,
    ];
    let mut codes: Vec<&str> = errors.iter().map(EmailError::code).collect();
    for code in &codes {
        assert!(code.starts_with("email_"), "code {code}");
    }
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), errors.len());
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(input in any::<String>()) {
        if let Ok(email) = parse(&input) {
            let _ = email.masked();
            let _ = email.normalized_key();
            let _ = email.to_ascii();
        }
    }

    #[test]
    fn address_like_input_never_panics(input in "[a-zA-Z0-9.@+åäöÅÄÖ_ -]{0,40}") {
        if let Ok(email) = parse(&input) {
            prop_assert_eq!(email.as_str().matches('@').count(), 1);
            let reparsed = parse(email.as_str());
            prop_assert_eq!(reparsed, Ok(email.clone()));
            let from_ascii = parse(&email.to_ascii()).unwrap();
            prop_assert_eq!(from_ascii.normalized_key(), email.normalized_key());
        }
    }

    #[test]
    fn generated_addresses_accepted(
        local in "[a-zA-Z0-9_%+-]{1,20}(\\.[a-zA-Z0-9_%+-]{1,10}){0,2}",
        labels in proptest::collection::vec("[a-z0-9]{1,6}(-[a-z0-9]{1,6})?", 1..4),
        top_level in "[a-z]{2,6}",
    ) {
        let domain = format!("{}.{top_level}", labels.join("."));
        let input = format!("{local}@{domain}");
        let email = parse(&input).unwrap();
        prop_assert_eq!(email.local_part(), local.as_str());
        prop_assert_eq!(email.domain(), domain.as_str());
    }
}
