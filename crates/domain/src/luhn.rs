//! The Luhn check digit used by Swedish personnummer and organisation numbers.

/// Computes the check digit for digit values 0 to 9, weighting them 2, 1, 2, … from the left,
/// as for the nine digits before the check digit of a personnummer or organisation number.
pub(crate) fn check_digit(digits: impl IntoIterator<Item = u8>) -> u8 {
    let sum: u32 = digits
        .into_iter()
        .zip([2u8, 1].into_iter().cycle())
        .map(|(value, weight)| {
            let product = u32::from(value) * u32::from(weight);
            product / 10 + product % 10
        })
        .sum();
    u8::try_from((10 - sum % 10) % 10).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::check_digit;

    #[test]
    fn check_digit_of_known_numbers() {
        // 811218-9876 is a common example personnummer; 556074-3089 an organisation number.
        assert_eq!(check_digit([8, 1, 1, 2, 1, 8, 9, 8, 7]), 6);
        assert_eq!(check_digit([5, 5, 6, 0, 7, 4, 3, 0, 8]), 9);
    }
}
