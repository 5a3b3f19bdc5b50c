//! Emails about applications and certificates, in Swedish and English.

use chrono::NaiveDate;

use super::templates::Letter;
use crate::i18n::Language;

/// Writes the notice that an application was approved and its certificate issued.
pub fn application_approved(
    language: Language,
    first_name: &str,
    type_name: &str,
    number: &str,
    valid_until: NaiveDate,
    public_url: &str,
) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            format!("Ditt certifikat {number} är utfärdat"),
            &format!(
                "Hej {first_name},\n\n\
                 Din ansökan om {type_name} är godkänd och certifikatet är utfärdat.\n\n\
                 Certifikatnummer: {number}\n\
                 Giltigt till och med: {valid_until}\n\n\
                 Du ser certifikatet och kan ladda ner det som PDF på Min Sida: \
                 {public_url}/min-sida\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            format!("Your certificate {number} is issued"),
            &format!(
                "Hello {first_name},\n\n\
                 Your application for {type_name} is approved and the certificate is issued.\n\n\
                 Certificate number: {number}\n\
                 Valid until: {valid_until}\n\n\
                 You can see the certificate and download it as a PDF on Min Sida: \
                 {public_url}/min-sida\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the notice that an application was rejected, with the reason.
pub fn application_rejected(
    language: Language,
    first_name: &str,
    type_name: &str,
    reason: &str,
) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            format!("Beslut om din ansökan om {type_name}"),
            &format!(
                "Hej {first_name},\n\n\
                 Din ansökan om {type_name} är avslagen.\n\n\
                 Skäl: {reason}\n\n\
                 Du kan överklaga beslutet skriftligt till INCERT inom två månader.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            format!("Decision on your application for {type_name}"),
            &format!(
                "Hello {first_name},\n\n\
                 Your application for {type_name} is rejected.\n\n\
                 Reason: {reason}\n\n\
                 You may appeal the decision in writing to INCERT within two months.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the notice that a certificate was withdrawn, with the reason.
pub fn certificate_withdrawn(
    language: Language,
    first_name: &str,
    number: &str,
    withdrawn_on: NaiveDate,
    reason: &str,
) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            format!("Ditt certifikat {number} är indraget"),
            &format!(
                "Hej {first_name},\n\n\
                 INCERT har dragit in certifikat {number} från och med {withdrawn_on}.\n\n\
                 Skäl: {reason}\n\n\
                 Du kan överklaga beslutet skriftligt till INCERT inom två månader.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            format!("Your certificate {number} is withdrawn"),
            &format!(
                "Hello {first_name},\n\n\
                 INCERT has withdrawn certificate {number} as of {withdrawn_on}.\n\n\
                 Reason: {reason}\n\n\
                 You may appeal the decision in writing to INCERT within two months.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the reminder that an attestation of professional activity is due.
pub fn renewal_reminder(
    language: Language,
    first_name: &str,
    type_name: &str,
    number: &str,
    due_on: NaiveDate,
) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            format!("Påminnelse: årlig förlängning av certifikat {number}"),
            &format!(
                "Hej {first_name},\n\n\
                 Senast {due_on} behöver ett intyg om yrkesaktivitet registreras för ditt \
                 certifikat {number} ({type_name}). Annars krävs förlängning innan \
                 certifikatet gäller igen.\n\n\
                 Intyget registreras av någon annan än du, till exempel din arbetsgivares \
                 certifikatsadministratör.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            format!("Reminder: annual renewal of certificate {number}"),
            &format!(
                "Hello {first_name},\n\n\
                 By {due_on} an attestation of professional activity must be registered for \
                 your certificate {number} ({type_name}). Otherwise the certificate needs \
                 renewal before it is active again.\n\n\
                 Someone other than you registers the attestation, for example your \
                 employer's certificate administrator.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the reminder that recertification is due.
pub fn recertification_reminder(
    language: Language,
    first_name: &str,
    type_name: &str,
    number: &str,
    due_on: NaiveDate,
) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            format!("Påminnelse: omcertifiering av certifikat {number}"),
            &format!(
                "Hej {first_name},\n\n\
                 Ditt certifikat {number} ({type_name}) behöver omcertifieras senast \
                 {due_on}. Ansök om omcertifiering på Min Sida i god tid, eftersom ett nytt \
                 teoriprov vanligtvis krävs.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            format!("Reminder: recertification of certificate {number}"),
            &format!(
                "Hello {first_name},\n\n\
                 Your certificate {number} ({type_name}) must be recertified by {due_on}. \
                 Apply for recertification on Min Sida in good time, since a new theory exam \
                 is usually required.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_fit_the_line_width_in_both_languages() {
        let day = NaiveDate::from_ymd_opt(2031, 12, 4).unwrap_or_default();
        for language in [Language::Swedish, Language::English] {
            let letters = [
                application_approved(
                    language,
                    "Åsa",
                    "Personcertifikat Kategori I",
                    "INC-2026-000001",
                    day,
                    "https://incert.example",
                ),
                application_rejected(language, "Åsa", "KAT1", "Provet är inte godkänt."),
                certificate_withdrawn(language, "Åsa", "INC-2026-000001", day, "Missbruk."),
                renewal_reminder(language, "Åsa", "KAT1", "INC-2026-000001", day),
                recertification_reminder(language, "Åsa", "KAT1", "INC-2026-000001", day),
            ];
            for letter in letters {
                assert!(letter.body.contains("INCERT"), "{}", letter.subject);
                for line in letter.body.lines() {
                    assert!(line.len() <= 74 || !line.contains(' '), "{line}");
                }
            }
        }
    }

    #[test]
    fn rejection_carries_the_reason() {
        let letter = application_rejected(Language::English, "Sam", "KAT2", "Practical failed.");
        assert!(letter.body.contains("Reason: Practical failed."));
        assert!(letter.body.contains("within two months"));
    }
}
