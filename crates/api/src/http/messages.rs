//! Swedish and English texts of error answers. The codes are the contract; these texts are
//! for people reading raw answers and may be reworded.

use incert_contract::ErrorCode;

use crate::i18n::Language;

/// Returns the title and detail of a problem answer.
pub fn problem_text(code: ErrorCode, language: Language) -> (&'static str, &'static str) {
    let (swedish, english) = match code {
        ErrorCode::ValidationFailed => (
            (
                "Ogiltiga uppgifter",
                "En eller flera uppgifter är ogiltiga. Se errors för varje fält.",
            ),
            (
                "Invalid data",
                "One or more fields are invalid. See errors for each field.",
            ),
        ),
        ErrorCode::InvalidJson => (
            (
                "Ogiltig JSON",
                "Innehållet kunde inte läsas som JSON av rätt form.",
            ),
            (
                "Invalid JSON",
                "The body could not be read as JSON of the expected shape.",
            ),
        ),
        ErrorCode::UnsupportedMediaType => (
            (
                "Fel innehållstyp",
                "Skicka innehållet som application/json.",
            ),
            (
                "Unsupported media type",
                "Send the body as application/json.",
            ),
        ),
        ErrorCode::PayloadTooLarge => (
            (
                "För stort innehåll",
                "Innehållet är större än vad tjänsten tar emot.",
            ),
            (
                "Payload too large",
                "The body is larger than the service accepts.",
            ),
        ),
        ErrorCode::NotFound => (
            (
                "Hittades inte",
                "Det finns ingen resurs på den här adressen.",
            ),
            ("Not found", "There is no resource at this address."),
        ),
        ErrorCode::MethodNotAllowed => (
            (
                "Metoden stöds inte",
                "Adressen finns men inte med den här HTTP-metoden.",
            ),
            (
                "Method not allowed",
                "The address exists but not with this HTTP method.",
            ),
        ),
        ErrorCode::RateLimited => (
            (
                "För många försök",
                "Vänta den tid som Retry-After anger och försök igen.",
            ),
            (
                "Too many requests",
                "Wait for the time given in Retry-After and try again.",
            ),
        ),
        ErrorCode::ServiceUnavailable => (
            (
                "Tjänsten är inte tillgänglig",
                "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
            ),
            (
                "Service unavailable",
                "The service is temporarily unavailable. Try again shortly.",
            ),
        ),
        ErrorCode::InternalError | ErrorCode::Unknown => (
            (
                "Internt fel",
                "Något gick fel hos oss. Ange request_id om du kontaktar supporten.",
            ),
            (
                "Internal error",
                "Something went wrong on our side. Quote request_id if you contact support.",
            ),
        ),
    };
    match language {
        Language::Swedish => swedish,
        Language::English => english,
    }
}

/// Returns the explanation of a field error code.
pub fn field_message(code: &str, language: Language) -> &'static str {
    let (swedish, english) = match code {
        "required" => ("Fältet måste fyllas i.", "This field is required."),
        "unknown_field" => ("Fältet är okänt.", "This field is not recognised."),
        "invalid_type" => (
            "Fältet har fel typ av värde.",
            "This field has a value of the wrong type.",
        ),
        "invalid_syntax" => (
            "Innehållet är inte korrekt JSON.",
            "The body is not well-formed JSON.",
        ),
        "password_too_short" => (
            "Lösenordet måste vara minst 8 tecken långt.",
            "The password must be at least 8 characters long.",
        ),
        "password_too_long" => (
            "Lösenordet får vara högst 200 tecken långt.",
            "The password must be at most 200 characters long.",
        ),
        "password_missing_letter" => (
            "Lösenordet måste innehålla minst en bokstav (a–ö).",
            "The password must contain at least one letter.",
        ),
        "password_missing_digit" => (
            "Lösenordet måste innehålla minst en siffra.",
            "The password must contain at least one digit.",
        ),
        "password_too_common" => (
            "Lösenordet är för vanligt. Välj ett annat.",
            "The password is too common. Choose another one.",
        ),
        "personnummer_empty" => (
            "Ange ditt personnummer.",
            "Enter your personal identity number.",
        ),
        "personnummer_invalid_format" => (
            "Ange personnumret med 12 siffror, ÅÅÅÅMMDDNNNN.",
            "Enter the personal identity number as 12 digits, YYYYMMDDNNNN.",
        ),
        "personnummer_invalid_century" => (
            "Personnumret har ett ogiltigt århundrade.",
            "The personal identity number has an invalid century.",
        ),
        "personnummer_invalid_date" => (
            "Personnumret innehåller inget giltigt datum.",
            "The personal identity number does not contain a valid date.",
        ),
        "personnummer_future_birth_date" => (
            "Födelsedatumet i personnumret ligger i framtiden.",
            "The birth date in the personal identity number is in the future.",
        ),
        "personnummer_birth_number_zero" => (
            "Personnumret har ett ogiltigt födelsenummer (000).",
            "The personal identity number has an invalid birth number (000).",
        ),
        "personnummer_invalid_checksum" => (
            "Kontrollsiffran stämmer inte. Kontrollera att du har skrivit rätt.",
            "The check digit does not match. Check the number for typing errors.",
        ),
        "personnummer_organisation_number" => (
            "Det här är ett organisationsnummer, inte ett personnummer.",
            "This is an organisation number, not a personal identity number.",
        ),
        "personnummer_interim_not_allowed" => (
            "Interimsnummer kan inte användas här.",
            "Interim numbers cannot be used here.",
        ),
        "personnummer_unknown_birth_date_not_allowed" => (
            "Samordningsnummer utan känt födelsedatum kan inte användas här.",
            "Coordination numbers without a known birth date cannot be used here.",
        ),
        _ => ("Värdet är ogiltigt.", "The value is invalid."),
    };
    language.pick(swedish, english)
}
