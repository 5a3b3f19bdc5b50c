//! Password rules set by the product owner, a block list of common passwords and a strength
//! estimate for the UI.
//!
//! The rules count Unicode scalar values (`char`s), so `å` and a single-code-point emoji such
//! as `😀` each count as one character. A password is never trimmed, truncated or
//! case-folded: the bytes that pass the policy are the bytes that get hashed.

use std::fmt;

use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests;

/// Common passwords that meet the other rules, lower-case, one per line; `#` starts a comment.
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Maximum number of characters that zxcvbn rates. zxcvbn 3.1.1 itself rates only the first
/// 100, and the cap here keeps the cost bounded if a later version stops doing so.
const STRENGTH_MAX_CHARS: usize = 100;

/// Maximum number of user inputs passed to zxcvbn, and maximum characters of each.
const MAX_USER_INPUTS: usize = 16;
const USER_INPUT_MAX_CHARS: usize = 100;

/// A rule that a password breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PasswordViolation {
    #[serde(rename = "password_too_short")]
    TooShort,
    #[serde(rename = "password_too_long")]
    TooLong,
    #[serde(rename = "password_missing_letter")]
    MissingLetter,
    #[serde(rename = "password_missing_digit")]
    MissingDigit,
    #[serde(rename = "password_too_common")]
    TooCommon,
    /// The password contains the person's name or the name part of their email address.
    #[serde(rename = "password_contains_personal_data")]
    ContainsPersonalData,
}

impl PasswordViolation {
    /// Returns the stable machine code of the broken rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TooShort => "password_too_short",
            Self::TooLong => "password_too_long",
            Self::MissingLetter => "password_missing_letter",
            Self::MissingDigit => "password_missing_digit",
            Self::TooCommon => "password_too_common",
            Self::ContainsPersonalData => "password_contains_personal_data",
        }
    }
}

impl fmt::Display for PasswordViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = match self {
            Self::TooShort => "password is shorter than the minimum length",
            Self::TooLong => "password is longer than the maximum length",
            Self::MissingLetter => "password contains no letter",
            Self::MissingDigit => "password contains no digit",
            Self::TooCommon => "password is on the list of common passwords",
            Self::ContainsPersonalData => "password contains the person's name or email address",
        };
        f.write_str(message)
    }
}

/// Error returned when a password breaks one or more rules. It lists every broken rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("password rejected: {}", codes_joined(.violations))]
pub struct PasswordRejected {
    violations: Vec<PasswordViolation>,
}

impl PasswordRejected {
    /// Returns the broken rules in a fixed order: length, letter, digit, block list.
    pub fn violations(&self) -> &[PasswordViolation] {
        &self.violations
    }
}

fn codes_joined(violations: &[PasswordViolation]) -> String {
    let codes: Vec<&str> = violations.iter().map(PasswordViolation::code).collect();
    codes.join(", ")
}

/// A password that passed [`PasswordPolicy::accept`].
///
/// The value is a secret: `Debug` prints a placeholder, and the type implements neither
/// `Display`, `Clone` nor `Serialize`. Read it only to hash it, with
/// [`Password::expose_secret`].
pub struct Password(String);

impl Password {
    /// Returns the password exactly as the user typed it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// Explanation of why zxcvbn rates a password weak, as a stable code for UI translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrengthWarning {
    StraightRowsOfKeys,
    ShortKeyboardPatterns,
    RepeatedCharacters,
    RepeatedPatterns,
    Top10Password,
    Top100Password,
    CommonPassword,
    SimilarToCommonPassword,
    Sequences,
    RecentYears,
    SingleWord,
    Dates,
    NamesAlone,
    CommonNames,
}

impl StrengthWarning {
    /// Returns the stable code, the same string that serde writes.
    pub fn code(&self) -> &'static str {
        match self {
            Self::StraightRowsOfKeys => "straight_rows_of_keys",
            Self::ShortKeyboardPatterns => "short_keyboard_patterns",
            Self::RepeatedCharacters => "repeated_characters",
            Self::RepeatedPatterns => "repeated_patterns",
            Self::Top10Password => "top10_password",
            Self::Top100Password => "top100_password",
            Self::CommonPassword => "common_password",
            Self::SimilarToCommonPassword => "similar_to_common_password",
            Self::Sequences => "sequences",
            Self::RecentYears => "recent_years",
            Self::SingleWord => "single_word",
            Self::Dates => "dates",
            Self::NamesAlone => "names_alone",
            Self::CommonNames => "common_names",
        }
    }
}

/// Advice from zxcvbn on choosing a stronger password, as a stable code for UI translations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrengthSuggestion {
    UseFewWordsAvoidCommonPhrases,
    NoNeedForSymbolsDigitsOrUppercase,
    AddAnotherWord,
    CapitalizationDoesNotHelp,
    AllUppercaseDoesNotHelp,
    ReversedWordsDoNotHelp,
    PredictableSubstitutionsDoNotHelp,
    UseLongerKeyboardPattern,
    AvoidRepeatedWordsAndCharacters,
    AvoidSequences,
    AvoidRecentYears,
    AvoidPersonalYears,
    AvoidPersonalDatesAndYears,
}

impl StrengthSuggestion {
    /// Returns the stable code, the same string that serde writes.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UseFewWordsAvoidCommonPhrases => "use_few_words_avoid_common_phrases",
            Self::NoNeedForSymbolsDigitsOrUppercase => "no_need_for_symbols_digits_or_uppercase",
            Self::AddAnotherWord => "add_another_word",
            Self::CapitalizationDoesNotHelp => "capitalization_does_not_help",
            Self::AllUppercaseDoesNotHelp => "all_uppercase_does_not_help",
            Self::ReversedWordsDoNotHelp => "reversed_words_do_not_help",
            Self::PredictableSubstitutionsDoNotHelp => "predictable_substitutions_do_not_help",
            Self::UseLongerKeyboardPattern => "use_longer_keyboard_pattern",
            Self::AvoidRepeatedWordsAndCharacters => "avoid_repeated_words_and_characters",
            Self::AvoidSequences => "avoid_sequences",
            Self::AvoidRecentYears => "avoid_recent_years",
            Self::AvoidPersonalYears => "avoid_personal_years",
            Self::AvoidPersonalDatesAndYears => "avoid_personal_dates_and_years",
        }
    }
}

/// zxcvbn's strength estimate: a score from 0 (guessed in at most 10^3 tries) to 4 (more than
/// 10^10 tries), with feedback that zxcvbn gives for scores up to 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordStrength {
    pub score: u8,
    pub warning: Option<StrengthWarning>,
    pub suggestions: Vec<StrengthSuggestion>,
}

/// Result of [`PasswordPolicy::check`]: every broken rule and the strength estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordReport {
    pub violations: Vec<PasswordViolation>,
    pub strength: PasswordStrength,
}

impl PasswordReport {
    /// Returns whether the password meets every rule. The strength score does not count.
    pub fn is_acceptable(&self) -> bool {
        self.violations.is_empty()
    }
}

/// The product owner's password rules: 8 to 200 characters, at least one letter, at least one
/// digit, and not on the bundled list of common passwords.
///
/// A letter is any `char` for which `char::is_alphabetic` holds, so `å`, `ä`, `ö` and letters
/// of other scripts count. A digit is any `char` for which `char::is_numeric` holds: `0` to
/// `9`, and also digits of other scripts such as `٣` and number characters such as `²`. The
/// block list comparison ignores case; no other rule changes the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    min_chars: usize,
    max_chars: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_chars: 8,
            max_chars: 200,
        }
    }
}

impl PasswordPolicy {
    /// Returns the minimum length in characters (Unicode scalar values).
    pub fn min_chars(&self) -> usize {
        self.min_chars
    }

    /// Returns the maximum length in characters (Unicode scalar values).
    pub fn max_chars(&self) -> usize {
        self.max_chars
    }

    /// Lists every rule that `password` breaks, in a fixed order: length, letter, digit,
    /// block list. An empty list means the password is acceptable.
    pub fn violations(&self, password: &str) -> Vec<PasswordViolation> {
        let mut violations = Vec::new();

        let length = password.chars().count();
        if length < self.min_chars {
            violations.push(PasswordViolation::TooShort);
        }
        if length > self.max_chars {
            violations.push(PasswordViolation::TooLong);
        }
        if !password.chars().any(char::is_alphabetic) {
            violations.push(PasswordViolation::MissingLetter);
        }
        if !password.chars().any(char::is_numeric) {
            violations.push(PasswordViolation::MissingDigit);
        }
        if is_common_password(password) {
            violations.push(PasswordViolation::TooCommon);
        }

        violations
    }

    /// Checks every rule and estimates the strength, for the UI while the user types.
    ///
    /// `user_inputs` are words that make a password easy to guess for this user, such as the
    /// names and the email address. zxcvbn lowers the score when the password contains them.
    pub fn check(&self, password: &str, user_inputs: &[&str]) -> PasswordReport {
        let mut violations = self.violations(password);
        if contains_personal_data(password, user_inputs) {
            violations.push(PasswordViolation::ContainsPersonalData);
        }
        PasswordReport {
            violations,
            strength: estimate_strength(password, user_inputs),
        }
    }

    /// Accepts a password that meets every rule, or lists the rules that it breaks.
    pub fn accept(&self, password: String) -> Result<Password, PasswordRejected> {
        let violations = self.violations(&password);
        if violations.is_empty() {
            Ok(Password(password))
        } else {
            Err(PasswordRejected { violations })
        }
    }
}

/// Returns whether the password is common: on the bundled block list (ignoring case), or
/// rated at most 1 by zxcvbn because it is, or closely resembles, an entry of zxcvbn's own
/// lists of frequent passwords, which are far longer than the bundled one.
fn is_common_password(password: &str) -> bool {
    let lowered = password.to_lowercase();
    let listed = COMMON_PASSWORDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .any(|line| line == lowered);
    if listed {
        return true;
    }
    let strength = estimate_strength(password, &[]);
    strength.score <= 1
        && matches!(
            strength.warning,
            Some(
                StrengthWarning::Top10Password
                    | StrengthWarning::Top100Password
                    | StrengthWarning::CommonPassword
                    | StrengthWarning::SimilarToCommonPassword
            )
        )
}

/// Shortest word of a name or email address that a password may not contain.
const MIN_PERSONAL_WORD_CHARS: usize = 4;

/// Returns whether the password contains, in any case, a word of four or more letters or
/// digits from `personal`: the person's names and email address. Of an email address only
/// the part before `@` counts, so a common domain does not rule out passwords.
pub fn contains_personal_data(password: &str, personal: &[&str]) -> bool {
    let lowered = password.to_lowercase();
    personal
        .iter()
        .take(MAX_USER_INPUTS)
        .map(|input| input.split('@').next().unwrap_or_default().to_lowercase())
        .any(|input| {
            input
                .split(|character: char| !character.is_alphanumeric())
                .filter(|word| word.chars().count() >= MIN_PERSONAL_WORD_CHARS)
                .any(|word| lowered.contains(word))
        })
}

/// Estimates the strength with zxcvbn on at most the first 100 characters.
///
/// The shortened text is used only for the estimate, and the password itself is not changed.
/// Characters beyond the cap are not rated, so a very long password may score lower than its
/// full text would.
pub fn estimate_strength(password: &str, user_inputs: &[&str]) -> PasswordStrength {
    let estimated_part = prefix_chars(password, STRENGTH_MAX_CHARS);
    let capped_inputs: Vec<&str> = user_inputs
        .iter()
        .map(|input| prefix_chars(input, USER_INPUT_MAX_CHARS))
        .filter(|input| !input.is_empty())
        .take(MAX_USER_INPUTS)
        .collect();

    let entropy = zxcvbn::zxcvbn(estimated_part, &capped_inputs);
    let feedback = entropy.feedback();
    PasswordStrength {
        score: u8::from(entropy.score()),
        warning: feedback
            .and_then(zxcvbn::feedback::Feedback::warning)
            .map(StrengthWarning::from),
        suggestions: feedback
            .map(|feedback| {
                feedback
                    .suggestions()
                    .iter()
                    .copied()
                    .map(StrengthSuggestion::from)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Returns the longest prefix of `text` with at most `max_chars` characters.
fn prefix_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => text.get(..end).unwrap_or(text),
        None => text,
    }
}

impl From<zxcvbn::feedback::Warning> for StrengthWarning {
    fn from(warning: zxcvbn::feedback::Warning) -> Self {
        use zxcvbn::feedback::Warning;
        match warning {
            Warning::StraightRowsOfKeysAreEasyToGuess => Self::StraightRowsOfKeys,
            Warning::ShortKeyboardPatternsAreEasyToGuess => Self::ShortKeyboardPatterns,
            Warning::RepeatsLikeAaaAreEasyToGuess => Self::RepeatedCharacters,
            Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => Self::RepeatedPatterns,
            Warning::ThisIsATop10Password => Self::Top10Password,
            Warning::ThisIsATop100Password => Self::Top100Password,
            Warning::ThisIsACommonPassword => Self::CommonPassword,
            Warning::ThisIsSimilarToACommonlyUsedPassword => Self::SimilarToCommonPassword,
            Warning::SequencesLikeAbcAreEasyToGuess => Self::Sequences,
            Warning::RecentYearsAreEasyToGuess => Self::RecentYears,
            Warning::AWordByItselfIsEasyToGuess => Self::SingleWord,
            Warning::DatesAreOftenEasyToGuess => Self::Dates,
            Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => Self::NamesAlone,
            Warning::CommonNamesAndSurnamesAreEasyToGuess => Self::CommonNames,
        }
    }
}

impl From<zxcvbn::feedback::Suggestion> for StrengthSuggestion {
    fn from(suggestion: zxcvbn::feedback::Suggestion) -> Self {
        use zxcvbn::feedback::Suggestion;
        match suggestion {
            Suggestion::UseAFewWordsAvoidCommonPhrases => Self::UseFewWordsAvoidCommonPhrases,
            Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => {
                Self::NoNeedForSymbolsDigitsOrUppercase
            }
            Suggestion::AddAnotherWordOrTwo => Self::AddAnotherWord,
            Suggestion::CapitalizationDoesntHelpVeryMuch => Self::CapitalizationDoesNotHelp,
            Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => {
                Self::AllUppercaseDoesNotHelp
            }
            Suggestion::ReversedWordsArentMuchHarderToGuess => Self::ReversedWordsDoNotHelp,
            Suggestion::PredictableSubstitutionsDontHelpVeryMuch => {
                Self::PredictableSubstitutionsDoNotHelp
            }
            Suggestion::UseALongerKeyboardPatternWithMoreTurns => Self::UseLongerKeyboardPattern,
            Suggestion::AvoidRepeatedWordsAndCharacters => Self::AvoidRepeatedWordsAndCharacters,
            Suggestion::AvoidSequences => Self::AvoidSequences,
            Suggestion::AvoidRecentYears => Self::AvoidRecentYears,
            Suggestion::AvoidYearsThatAreAssociatedWithYou => Self::AvoidPersonalYears,
            Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => {
                Self::AvoidPersonalDatesAndYears
            }
        }
    }
}
