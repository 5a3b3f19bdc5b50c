#![allow(clippy::unwrap_used, reason = "tests fail loudly on unexpected errors")]

use proptest::prelude::*;

use super::*;

fn e164(input: &str) -> String {
    MobileNumber::parse(input).unwrap().as_e164().to_owned()
}

#[test]
fn swedish_forms_give_same_e164() {
    for input in [
        "070-123 45 67",
        "0701234567",
        "070 123 45 67",
        "070-1234567",
        "+46 70 123 45 67",
        "+46701234567",
        "+46 (0)70-123 45 67",
        "+460701234567",
        "0046 70 123 45 67",
        "(070) 123 45 67",
        "  070-123 45 67\n",
    ] {
        assert_eq!(e164(input), "+46701234567", "input {input:?}");
    }
}

#[test]
fn swedish_mobile_has_display_forms() {
    let number = MobileNumber::parse("070-123 45 67").unwrap();
    assert_eq!(number.format_international(), "+46 70 123 45 67");
    assert_eq!(number.format_national(), "070-123 45 67");
    assert_eq!(number.country_calling_code(), 46);
    assert!(number.is_mobile());
}

#[test]
fn swedish_landline_accepted() {
    for input in [
        "08-480 022 00",
        "0848002200",
        "+46 8 480 022 00",
        "+46 0848002200",
    ] {
        assert_eq!(e164(input), "+46848002200", "input {input:?}");
    }
    let number = MobileNumber::parse("08-480 022 00").unwrap();
    assert!(!number.is_mobile());
}

#[test]
fn foreign_numbers_need_country_code() {
    let norwegian = MobileNumber::parse("+47 412 34 567").unwrap();
    assert_eq!(norwegian.as_e164(), "+4741234567");
    assert_eq!(norwegian.country_calling_code(), 47);
    assert!(norwegian.is_mobile());

    let finnish = MobileNumber::parse("+358 40 1234567").unwrap();
    assert_eq!(finnish.as_e164(), "+358401234567");
    assert_eq!(finnish.country_calling_code(), 358);
    assert!(finnish.is_mobile());

    assert_eq!(e164("00358 40 1234567"), "+358401234567");
    assert_eq!(e164("+45 20 12 34 56"), "+4520123456");
    assert_eq!(e164("+1 650-253-0000"), "+16502530000");
}

#[test]
fn invalid_numbers_rejected() {
    for input in [
        "070-123 45 6",
        "12345",
        "+46 70",
        "0701234567890123",
        "+999 123456789",
        "+46 00 000 00 00",
        "---",
        "()",
        "+",
        "0",
        "1234567890123456789012345678901234567890123",
    ] {
        assert_eq!(
            MobileNumber::parse(input),
            Err(MobileNumberError::Invalid),
            "input {input:?}"
        );
    }
}

#[test]
fn letters_and_symbols_rejected() {
    for input in [
        "070-FLOWERS",
        "0800 FLOWERS",
        "070.123.45.67",
        "070/1234567",
        "+46+70 123 45 67",
        "++46 70 123 45 67",
        "070 123 45 67 ext 5",
        "070-123 45 67;ext=5",
        "tel:+46-70-123-45-67",
        "070\t123 45 67",
        "０７０１２３４５６７",
        "070-123 45 67#",
    ] {
        assert_eq!(
            MobileNumber::parse(input),
            Err(MobileNumberError::InvalidCharacters),
            "input {input:?}"
        );
    }
}

#[test]
fn empty_input_rejected() {
    assert_eq!(MobileNumber::parse(""), Err(MobileNumberError::Empty));
    assert_eq!(MobileNumber::parse("  "), Err(MobileNumberError::Empty));
}

#[test]
fn masked_form_keeps_code_and_last_digits() {
    let number = MobileNumber::parse("070-123 45 67").unwrap();
    assert_eq!(number.masked(), "+46*******67");
    assert_eq!(format!("{number:?}"), "MobileNumber(\"+46*******67\")");
    let finnish = MobileNumber::parse("+358 40 1234567").unwrap();
    assert_eq!(finnish.masked(), "+358*******67");
}

#[test]
fn serde_uses_e164() {
    let number = MobileNumber::parse("070-123 45 67").unwrap();
    let json = serde_json::to_string(&number).unwrap();
    assert_eq!(json, "\"+46701234567\"");
    let read: MobileNumber = serde_json::from_str(&json).unwrap();
    assert_eq!(read, number);
    assert!(serde_json::from_str::<MobileNumber>("\"070-FLOWERS\"").is_err());
}

#[test]
fn error_codes_unique_and_prefixed() {
    let codes = [
        MobileNumberError::Empty.code(),
        MobileNumberError::InvalidCharacters.code(),
        MobileNumberError::Invalid.code(),
    ];
    assert_eq!(
        codes,
        [
            "mobile_empty",
            "mobile_invalid_characters",
            "mobile_invalid"
        ]
    );
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(input in any::<String>()) {
        let _ = MobileNumber::parse(&input);
    }

    #[test]
    fn number_like_input_never_panics(input in "\\+?[0-9 ()-]{0,40}") {
        if let Ok(number) = MobileNumber::parse(&input) {
            let reparsed = MobileNumber::parse(number.as_e164());
            prop_assert_eq!(reparsed, Ok(number.clone()));
            let _ = number.masked();
        }
    }

    #[test]
    fn digit_strings_never_panic(input in "(\\+|00)?[0-9]{0,17}") {
        if let Ok(number) = MobileNumber::parse(&input) {
            let reparsed = MobileNumber::parse(number.as_e164());
            prop_assert_eq!(reparsed, Ok(number.clone()));
        }
    }
}

#[test]
fn number_whose_e164_does_not_parse_back_is_rejected() {
    // Found by the property test above: the E.164 form phonenumber 0.3.10 writes for this
    // Italian number is not itself a valid number.
    assert_eq!(
        MobileNumber::parse("+3900060000"),
        Err(MobileNumberError::Invalid)
    );
}
