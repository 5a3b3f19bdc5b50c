#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on unexpected errors"
)]

use proptest::prelude::*;

use super::*;

fn violations(password: &str) -> Vec<PasswordViolation> {
    PasswordPolicy::default().violations(password)
}

#[test]
fn policy_limits_are_product_rules() {
    let policy = PasswordPolicy::default();
    assert_eq!(policy.min_chars(), 8);
    assert_eq!(policy.max_chars(), 200);
}

#[test]
fn acceptable_passwords_have_no_violations() {
    for password in [
        "kanelbulle7",
        "kvrmtsb1",
        "Ölandsbro9",
        "åäöåäö12",
        "ÅÄÖ räksmörgås 1",
        "пароль123",
        "😀😀😀😀😀😀a1",
        " leading1",
        "trailing1 ",
    ] {
        assert_eq!(violations(password), [], "password {password:?}");
    }
}

#[test]
fn length_counts_chars_not_bytes() {
    // Seven characters but 22 bytes.
    assert_eq!(violations("😀😀😀😀😀a1"), [PasswordViolation::TooShort]);
    assert_eq!(violations("åäöåäö1"), [PasswordViolation::TooShort]);
    assert_eq!(violations("abcdef1"), [PasswordViolation::TooShort]);
    assert_eq!(violations("kvrmtsb1"), []);
}

#[test]
fn length_limit_is_200_chars() {
    let at_limit = format!("a1{}", "x".repeat(198));
    assert_eq!(at_limit.chars().count(), 200);
    assert_eq!(violations(&at_limit), []);

    let over_limit = format!("{at_limit}x");
    assert_eq!(violations(&over_limit), [PasswordViolation::TooLong]);

    let emoji_at_limit = format!("a1{}", "😀".repeat(198));
    assert_eq!(violations(&emoji_at_limit), []);
    let emoji_over_limit = format!("{emoji_at_limit}😀");
    assert_eq!(violations(&emoji_over_limit), [PasswordViolation::TooLong]);
}

#[test]
fn letter_rule_accepts_unicode_letters() {
    assert_eq!(violations("39572846"), [PasswordViolation::MissingLetter]);
    assert_eq!(violations("3957284å"), []);
    assert_eq!(violations("3957284Ö"), []);
    assert_eq!(violations("3957284ß"), []);
    assert_eq!(violations("3957284λ"), []);
    assert_eq!(violations("3957284!"), [PasswordViolation::MissingLetter]);
    assert_eq!(violations("3957284😀"), [PasswordViolation::MissingLetter]);
}

#[test]
fn digit_rule_accepts_unicode_numbers() {
    assert_eq!(violations("kvrmtsbh"), [PasswordViolation::MissingDigit]);
    assert_eq!(violations("räksmörgås"), [PasswordViolation::MissingDigit]);
    assert_eq!(violations("kvrmtsb٣"), []);
    assert_eq!(violations("kvrmtsb²"), []);
    assert_eq!(violations("kvrmtsb!"), [PasswordViolation::MissingDigit]);
}

#[test]
fn all_broken_rules_reported() {
    assert_eq!(
        violations(""),
        [
            PasswordViolation::TooShort,
            PasswordViolation::MissingLetter,
            PasswordViolation::MissingDigit
        ]
    );
    assert_eq!(
        violations("!!!"),
        [
            PasswordViolation::TooShort,
            PasswordViolation::MissingLetter,
            PasswordViolation::MissingDigit
        ]
    );
    assert_eq!(
        violations(&"!".repeat(201)),
        [
            PasswordViolation::TooLong,
            PasswordViolation::MissingLetter,
            PasswordViolation::MissingDigit
        ]
    );
    assert_eq!(
        violations("abc"),
        [PasswordViolation::TooShort, PasswordViolation::MissingDigit]
    );
}

#[test]
fn common_passwords_rejected_ignoring_case() {
    for password in [
        "password1",
        "Password1",
        "PASSWORD123",
        "qwerty123",
        "1q2w3e4r",
        "sommar2024",
        "Sommar2024",
        "Sommar2024!",
        "Lösenord123",
        "LÖSENORD1",
        "losenord2025",
        "Hammarby1",
        "Incert2026",
    ] {
        assert_eq!(
            violations(password),
            [PasswordViolation::TooCommon],
            "password {password:?}"
        );
    }
    assert_eq!(violations("sommar2024 vid sjön"), []);
}

#[test]
fn block_list_entries_pass_other_rules() {
    let entries: Vec<&str> = COMMON_PASSWORDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .collect();
    assert!(entries.len() > 3_000, "only {} entries", entries.len());

    for entry in &entries {
        assert_eq!(*entry, entry.to_lowercase(), "entry {entry:?}");
        assert!(!entry.trim().is_empty(), "blank entry");
        assert_eq!(
            violations(entry),
            [PasswordViolation::TooCommon],
            "entry {entry:?}"
        );
    }
    let mut sorted = entries.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), entries.len(), "duplicate entries");
}

#[test]
fn accept_keeps_password_unchanged() {
    let policy = PasswordPolicy::default();
    for typed in [" Mellanslag 1 ", "BlandadeVERSALER9", "Ölandsbro9\t"] {
        let password = policy.accept(typed.to_owned()).unwrap();
        assert_eq!(password.expose_secret(), typed);
    }
    let long = format!("a1{}", "Z".repeat(198));
    let password = policy.accept(long.clone()).unwrap();
    assert_eq!(password.expose_secret(), long);
}

#[test]
fn accept_lists_every_violation() {
    let error = PasswordPolicy::default()
        .accept("abc".to_owned())
        .unwrap_err();
    assert_eq!(
        error.violations(),
        [PasswordViolation::TooShort, PasswordViolation::MissingDigit]
    );
    assert_eq!(
        error.to_string(),
        "password rejected: password_too_short, password_missing_digit"
    );
}

#[test]
fn password_debug_is_redacted() {
    let password = PasswordPolicy::default()
        .accept("hemlisar99".to_owned())
        .unwrap();
    let debug = format!("{password:?}");
    assert_eq!(debug, "Password(<redacted>)");
}

#[test]
fn check_reports_rules_and_strength() {
    let policy = PasswordPolicy::default();

    let weak = policy.check("password1", &[]);
    assert!(!weak.is_acceptable());
    assert_eq!(weak.violations, [PasswordViolation::TooCommon]);
    assert!(weak.strength.score <= 1, "score {}", weak.strength.score);
    assert!(weak.strength.warning.is_some());

    let strong = policy.check("Kanelbulle med 3 torra ekollon", &[]);
    assert!(strong.is_acceptable());
    assert_eq!(strong.strength.score, 4);
    assert_eq!(strong.strength.warning, None);
}

#[test]
fn strength_uses_user_inputs() {
    let without = estimate_strength("Svensson1980x", &[]);
    let with = estimate_strength("Svensson1980x", &["Anna", "Svensson", "anna@example.se"]);
    assert!(
        with.score < without.score,
        "with inputs {} and without {}",
        with.score,
        without.score
    );
}

#[test]
fn personal_words_are_found() {
    let personal = ["Anna", "Svensson-Öberg", "anna.svensson@example.se"];
    assert!(contains_personal_data("sommar-SVENSSON-2026", &personal));
    assert!(contains_personal_data("Öberg2026kaffe", &personal));
    // Words under four characters and the email domain do not count.
    assert!(!contains_personal_data(
        "Eva-example-2026",
        &["Eva", "eva@example.se"]
    ));
    let report = PasswordPolicy::default().check("Svensson-Hus-2026", &personal);
    assert!(
        report
            .violations
            .contains(&PasswordViolation::ContainsPersonalData)
    );
}

#[test]
fn strength_rates_first_100_chars() {
    let long = format!("{}{}", "Qx7!".repeat(25), "ab".repeat(50));
    assert_eq!(long.chars().count(), 200);
    let prefix: String = long.chars().take(100).collect();
    assert_eq!(
        estimate_strength(&long, &[]),
        estimate_strength(&prefix, &[])
    );
}

#[test]
fn strength_of_empty_password_is_zero() {
    assert_eq!(estimate_strength("", &[]).score, 0);
}

#[test]
fn prefix_chars_cuts_at_char_boundary() {
    assert_eq!(prefix_chars("åäö", 2), "åä");
    assert_eq!(prefix_chars("åäö", 3), "åäö");
    assert_eq!(prefix_chars("åäö", 10), "åäö");
    assert_eq!(prefix_chars("😀a", 1), "😀");
    assert_eq!(prefix_chars("", 0), "");
}

#[test]
fn violation_codes_match_serde() {
    let all = [
        PasswordViolation::TooShort,
        PasswordViolation::TooLong,
        PasswordViolation::MissingLetter,
        PasswordViolation::MissingDigit,
        PasswordViolation::TooCommon,
    ];
    for violation in all {
        let json = serde_json::to_string(&violation).unwrap();
        assert_eq!(json, format!("\"{}\"", violation.code()));
        assert!(violation.code().starts_with("password_"));
    }
}

#[test]
fn feedback_codes_match_serde() {
    use zxcvbn::feedback::{Suggestion, Warning};

    let warnings = [
        Warning::StraightRowsOfKeysAreEasyToGuess,
        Warning::ShortKeyboardPatternsAreEasyToGuess,
        Warning::RepeatsLikeAaaAreEasyToGuess,
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess,
        Warning::ThisIsATop10Password,
        Warning::ThisIsATop100Password,
        Warning::ThisIsACommonPassword,
        Warning::ThisIsSimilarToACommonlyUsedPassword,
        Warning::SequencesLikeAbcAreEasyToGuess,
        Warning::RecentYearsAreEasyToGuess,
        Warning::AWordByItselfIsEasyToGuess,
        Warning::DatesAreOftenEasyToGuess,
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess,
        Warning::CommonNamesAndSurnamesAreEasyToGuess,
    ];
    let mut warning_codes = Vec::new();
    for warning in warnings {
        let ours = StrengthWarning::from(warning);
        let json = serde_json::to_string(&ours).unwrap();
        assert_eq!(json, format!("\"{}\"", ours.code()));
        warning_codes.push(ours.code());
    }
    warning_codes.sort_unstable();
    warning_codes.dedup();
    assert_eq!(warning_codes.len(), warnings.len());

    let suggestions = [
        Suggestion::UseAFewWordsAvoidCommonPhrases,
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters,
        Suggestion::AddAnotherWordOrTwo,
        Suggestion::CapitalizationDoesntHelpVeryMuch,
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase,
        Suggestion::ReversedWordsArentMuchHarderToGuess,
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch,
        Suggestion::UseALongerKeyboardPatternWithMoreTurns,
        Suggestion::AvoidRepeatedWordsAndCharacters,
        Suggestion::AvoidSequences,
        Suggestion::AvoidRecentYears,
        Suggestion::AvoidYearsThatAreAssociatedWithYou,
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou,
    ];
    let mut suggestion_codes = Vec::new();
    for suggestion in suggestions {
        let ours = StrengthSuggestion::from(suggestion);
        let json = serde_json::to_string(&ours).unwrap();
        assert_eq!(json, format!("\"{}\"", ours.code()));
        suggestion_codes.push(ours.code());
    }
    suggestion_codes.sort_unstable();
    suggestion_codes.dedup();
    assert_eq!(suggestion_codes.len(), suggestions.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn check_never_panics(
        password in any::<String>(),
        inputs in proptest::collection::vec(any::<String>(), 0..4),
    ) {
        let input_refs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let report = PasswordPolicy::default().check(&password, &input_refs);
        prop_assert!(report.strength.score <= 4);
    }

    #[test]
    fn violations_match_rules(password in any::<String>()) {
        let found = violations(&password);
        let length = password.chars().count();
        prop_assert_eq!(found.contains(&PasswordViolation::TooShort), length < 8);
        prop_assert_eq!(found.contains(&PasswordViolation::TooLong), length > 200);
        prop_assert_eq!(
            found.contains(&PasswordViolation::MissingLetter),
            !password.chars().any(char::is_alphabetic)
        );
        prop_assert_eq!(
            found.contains(&PasswordViolation::MissingDigit),
            !password.chars().any(char::is_numeric)
        );
    }
}

#[test]
fn passwords_on_zxcvbn_lists_are_too_common() {
    let policy = PasswordPolicy::default();
    for password in ["password1234567", "12345678a", "qwerty123456789"] {
        let violations = policy.violations(password);
        assert!(
            violations.contains(&PasswordViolation::TooCommon),
            "{password}: {violations:?}"
        );
    }
    for password in [
        "Räksmörgås-7-Kvällsdopp",
        "Kylmedel-Vinter-2031",
        "Ett-nytt-lösen-42",
    ] {
        assert_eq!(policy.violations(password), Vec::new(), "{password}");
    }
}
