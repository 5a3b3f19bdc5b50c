//! Swedish and English texts of error responses. The codes are the contract; these texts are
//! for people reading raw responses and may be reworded.

use incert_contract::ErrorCode;

use crate::i18n::Language;

/// Returns the title and detail of a problem response.
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
        ErrorCode::RequestTimeout => (
            (
                "Tidsgränsen överskreds",
                "Innehållet kom inte fram i tid. Försök igen.",
            ),
            (
                "Request timeout",
                "The body did not arrive in time. Try again.",
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
        ErrorCode::InvalidCredentials => (
            (
                "Fel e-post eller lösenord",
                "E-postadressen eller lösenordet är fel.",
            ),
            (
                "Wrong email or password",
                "The email address or the password is wrong.",
            ),
        ),
        ErrorCode::InitialPasswordExpired => (
            (
                "Engångslösenordet har gått ut",
                "Engångslösenordet från e-postmeddelandet gäller inte längre. Välj Glömt lösenord för att få en kod och välja ett nytt lösenord.",
            ),
            (
                "One-time password expired",
                "The one-time password from the email is no longer valid. Choose Forgot password to get a code and set a new password.",
            ),
        ),
        ErrorCode::AuthenticationRequired => (
            (
                "Inloggning krävs",
                "Logga in och skicka åtkomsttoken i Authorization-huvudet.",
            ),
            (
                "Authentication required",
                "Log in and send the access token in the Authorization header.",
            ),
        ),
        ErrorCode::TokenExpired => (
            (
                "Sessionen har gått ut",
                "Åtkomsttoken har gått ut. Förnya den eller logga in igen.",
            ),
            (
                "Session expired",
                "The access token has expired. Refresh it or log in again.",
            ),
        ),
        ErrorCode::InvalidRefreshToken => (
            (
                "Ogiltig session",
                "Sessionen är ogiltig eller har avslutats. Logga in igen.",
            ),
            (
                "Invalid session",
                "The session is invalid or has ended. Log in again.",
            ),
        ),
        ErrorCode::PasswordChangeRequired => (
            (
                "Byt lösenord först",
                "Du måste byta ditt engångslösenord innan du kan fortsätta.",
            ),
            (
                "Change your password first",
                "You must replace your one-time password before you continue.",
            ),
        ),
        ErrorCode::InvalidLoginCode => (
            (
                "Fel engångskod",
                "Engångskoden är fel. Kontrollera koden i e-postmeddelandet.",
            ),
            (
                "Wrong one-time code",
                "The one-time code is wrong. Check the code in the email.",
            ),
        ),
        ErrorCode::LoginChallengeEnded => (
            (
                "Inloggningen har avbrutits",
                "Engångskoden gäller inte längre. Logga in igen för att få en ny kod.",
            ),
            (
                "Login ended",
                "The one-time code is no longer valid. Log in again to get a new code.",
            ),
        ),
        ErrorCode::ResendTooEarly => (
            (
                "Vänta lite",
                "En ny kod kan skickas först efter den tid som Retry-After anger.",
            ),
            (
                "Please wait",
                "A new code can be sent only after the time given in Retry-After.",
            ),
        ),
        ErrorCode::BankIdAlreadyInProgress => (
            (
                "BankID används redan",
                "Det pågår redan en BankID-åtgärd för ditt personnummer. Avsluta den i BankID-appen och försök igen.",
            ),
            (
                "BankID already in use",
                "A BankID action is already in progress for your personal identity number. Finish it in the BankID app and try again.",
            ),
        ),
        ErrorCode::BankIdOrderNotComplete => (
            (
                "BankID-inloggningen är inte klar",
                "BankID-ordern är inte slutförd ännu. Hämta orderns status tills den är complete och hämta sedan token.",
            ),
            (
                "BankID login not complete",
                "The BankID order is not complete yet. Poll the order's status until it is complete, then fetch the tokens.",
            ),
        ),
        ErrorCode::EmailTaken => (
            (
                "Adressen används redan",
                "E-postadressen hör redan till ett annat konto.",
            ),
            (
                "Address already in use",
                "The email address already belongs to another account.",
            ),
        ),
        ErrorCode::Forbidden => (
            (
                "Åtkomst nekad",
                "Din roll ger inte behörighet till den här åtgärden.",
            ),
            ("Forbidden", "Your role does not allow this operation."),
        ),
        ErrorCode::CertificateAlreadyHeld => (
            (
                "Du har redan certifikatet",
                "Du har redan ett giltigt certifikat av den här typen. Ansök om omcertifiering av det i stället.",
            ),
            (
                "Certificate already held",
                "You already hold a current certificate of this type. Apply for its recertification instead.",
            ),
        ),
        ErrorCode::ApplicationAlreadyOpen => (
            (
                "Ansökan finns redan",
                "Du har redan en öppen ansökan om den här certifikatstypen.",
            ),
            (
                "Application already open",
                "You already have an open application for this certificate type.",
            ),
        ),
        ErrorCode::ApplicationTransitionNotAllowed => (
            (
                "Åtgärden är inte möjlig",
                "Ansökans status tillåter inte den här åtgärden.",
            ),
            (
                "Operation not possible",
                "The application's state does not allow this operation.",
            ),
        ),
        ErrorCode::ExamNotPassed => (
            (
                "Provet är inte godkänt",
                "Ansökan kan godkännas först när varje provdel har ett godkänt resultat.",
            ),
            (
                "Exam not passed",
                "The application can be approved only when every exam part has a passed result.",
            ),
        ),
        ErrorCode::CertificateWithdrawn => (
            (
                "Certifikatet är indraget",
                "Ett indraget certifikat kan inte ändras.",
            ),
            (
                "Certificate withdrawn",
                "A withdrawn certificate cannot be changed.",
            ),
        ),
        ErrorCode::CertificateReplaced => (
            (
                "Certifikatet är ersatt",
                "Certifikatet har ersatts vid en omcertifiering. Använd det nya certifikatet.",
            ),
            (
                "Certificate replaced",
                "A recertification has replaced this certificate. Use the new certificate.",
            ),
        ),
        ErrorCode::SelfAttestationNotAllowed => (
            (
                "Eget intyg är inte tillåtet",
                "Ingen kan intyga sin egen yrkesaktivitet. Intyget ska registreras av någon annan, till exempel arbetsgivarens certifikatsadministratör.",
            ),
            (
                "Self-attestation not allowed",
                "Nobody can attest their own professional activity. Someone else, such as the employer's certificate administrator, must register the attestation.",
            ),
        ),
        ErrorCode::SelfDecisionNotAllowed => (
            (
                "Jäv",
                "Du kan inte besluta om din egen ansökan eller ditt eget certifikat. En annan handläggare måste göra det.",
            ),
            (
                "Conflict of interest",
                "You cannot decide your own application or certificate. Another case officer must do it.",
            ),
        ),
        ErrorCode::CandidateWithoutAccount => (
            (
                "Kandidaten saknar konto",
                "Personen har inget personkonto i IncertOnline. Be personen registrera ett konto och anmäl sedan igen.",
            ),
            (
                "Candidate has no account",
                "The person has no personal account at IncertOnline. Ask the person to register an account, then send the enrolment again.",
            ),
        ),
        ErrorCode::AlreadyEnrolled => (
            (
                "Redan anmäld",
                "Kandidaten är redan anmäld till provtillfället.",
            ),
            (
                "Already enrolled",
                "The candidate is already enrolled on this exam session.",
            ),
        ),
        ErrorCode::EnrolledElsewhere => (
            (
                "Anmäld till ett annat provtillfälle",
                "Kandidaten är anmäld till ett annat provtillfälle för certifikatstypen som ännu saknar resultat.",
            ),
            (
                "Enrolled on another session",
                "The candidate is enrolled on another exam session for this certificate type that has no results yet.",
            ),
        ),
        ErrorCode::ExamSessionFull => (
            (
                "Provtillfället är fullt",
                "Alla platser på provtillfället är tagna.",
            ),
            (
                "Exam session full",
                "Every seat of this exam session is taken.",
            ),
        ),
        ErrorCode::ExamSessionClosed => (
            (
                "Provtillfället är stängt",
                "Certifikattypen för provtillfället har avvecklats, så inga fler kan anmälas.",
            ),
            (
                "Exam session closed",
                "The certificate type of this exam session is retired, so no more candidates can be enrolled.",
            ),
        ),
        ErrorCode::IdempotencyKeyReused => (
            (
                "Nyckeln är redan använd",
                "Idempotency-Key har redan använts för en annan begäran. Använd en ny nyckel.",
            ),
            (
                "Key already used",
                "The Idempotency-Key was already used for another request. Use a new key.",
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
        "invalid_value" => (
            "Fältet har ett ogiltigt värde.",
            "This field has an invalid value.",
        ),
        "duplicate_field" => (
            "Fältet förekommer mer än en gång.",
            "This field appears more than once.",
        ),
        "invalid_type" => (
            "Fältet har fel typ av värde.",
            "This field has a value of the wrong type.",
        ),
        "null_character" => (
            "Fältet innehåller ett otillåtet nolltecken (U+0000).",
            "This field contains a forbidden null character (U+0000).",
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
        "password_contains_personal_data" => (
            "Lösenordet får inte innehålla ditt namn eller din e-postadress.",
            "The password must not contain your name or email address.",
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
        "email_empty" => ("Ange din e-postadress.", "Enter your email address."),
        "email_missing_at" => (
            "E-postadressen saknar @.",
            "The email address is missing an @.",
        ),
        "email_multiple_at" => (
            "E-postadressen får bara innehålla ett @.",
            "The email address may contain only one @.",
        ),
        "email_empty_local_part" => (
            "Något saknas före @ i e-postadressen.",
            "Something is missing before the @ in the email address.",
        ),
        "email_empty_domain" => (
            "Domänen saknas efter @ i e-postadressen.",
            "The domain after the @ in the email address is missing.",
        ),
        "email_whitespace" => (
            "E-postadressen får inte innehålla mellanslag.",
            "The email address must not contain spaces.",
        ),
        "email_control_character" => (
            "E-postadressen innehåller otillåtna tecken.",
            "The email address contains characters that are not allowed.",
        ),
        "email_consecutive_dots" => (
            "E-postadressen får inte innehålla två punkter i rad.",
            "The email address must not contain two dots in a row.",
        ),
        "email_too_long" => (
            "E-postadressen är för lång.",
            "The email address is too long.",
        ),
        "email_local_part_too_long" => (
            "Delen före @ i e-postadressen är för lång.",
            "The part before the @ in the email address is too long.",
        ),
        "email_invalid_local_part" => (
            "Delen före @ i e-postadressen är ogiltig.",
            "The part before the @ in the email address is invalid.",
        ),
        "email_invalid_domain" => (
            "Domänen i e-postadressen är ogiltig.",
            "The domain of the email address is invalid.",
        ),
        "email_domain_missing_dot" => (
            "Domänen i e-postadressen saknar punkt, till exempel exempel.se.",
            "The domain of the email address has no dot, as in example.com.",
        ),
        "mobile_empty" => (
            "Ange ett mobilnummer eller lämna fältet tomt.",
            "Enter a mobile number or leave the field empty.",
        ),
        "mobile_invalid_characters" => (
            "Mobilnumret får bara innehålla siffror, mellanslag, bindestreck och ett inledande +.",
            "The mobile number may contain only digits, spaces, hyphens and a leading +.",
        ),
        "mobile_invalid" => (
            "Mobilnumret är inte ett giltigt telefonnummer.",
            "The mobile number is not a valid phone number.",
        ),
        "birth_date_invalid" => (
            "Ange födelsedatum som ÅÅÅÅ-MM-DD.",
            "Enter the date of birth as YYYY-MM-DD.",
        ),
        "birth_date_out_of_range" => (
            "Födelsedatumet är inte rimligt.",
            "The date of birth is not plausible.",
        ),
        "name_empty" => ("Fältet måste fyllas i.", "This field is required."),
        "name_too_long" => (
            "Namnet får vara högst 100 tecken.",
            "The name may be at most 100 characters.",
        ),
        "name_invalid_characters" => (
            "Namnet innehåller otillåtna tecken.",
            "The name contains characters that are not allowed.",
        ),
        "current_password_incorrect" => (
            "Nuvarande lösenord är fel.",
            "The current password is wrong.",
        ),
        "password_unchanged" => (
            "Det nya lösenordet måste skilja sig från det nuvarande.",
            "The new password must differ from the current one.",
        ),
        "reset_code_format" => (
            "Återställningskoden består av åtta siffror.",
            "The reset code is eight digits.",
        ),
        "reset_code_invalid" => (
            "Koden är fel eller har gått ut. Begär en ny kod om det behövs.",
            "The code is wrong or has expired. Request a new code if needed.",
        ),
        "email_change_code_invalid" => (
            "Koden är fel eller har gått ut. Begär en ny kod om det behövs.",
            "The code is wrong or has expired. Request a new code if needed.",
        ),
        "email_local_part_not_ascii" => (
            "Delen före @ får bara innehålla tecken utan accenter (a–z, 0–9 och . _ - +), annars kan e-post inte levereras.",
            "The part before the @ may contain only unaccented characters (a–z, 0–9 and . _ - +), or mail cannot be delivered.",
        ),
        "email_unchanged" => (
            "Det här är redan din e-postadress.",
            "This is already your email address.",
        ),
        "organisation_number_invalid_format" => (
            "Ange organisationsnumret med tio siffror, NNNNNN-NNNN.",
            "Enter the organisation number as ten digits, NNNNNN-NNNN.",
        ),
        "organisation_number_invalid_checksum" => (
            "Organisationsnumrets kontrollsiffra stämmer inte.",
            "The check digit of the organisation number does not match.",
        ),
        "postal_code_invalid_swedish" => (
            "Ett svenskt postnummer består av fem siffror, till exempel 111 22.",
            "A Swedish postal code is five digits, such as 111 22.",
        ),
        "postal_code_invalid" => ("Postnumret är ogiltigt.", "The postal code is invalid."),
        "country_invalid" => (
            "Ange landet som en landskod med två bokstäver, till exempel SE.",
            "Enter the country as a two-letter country code, such as SE.",
        ),
        "text_too_long" => (
            "Texten får vara högst 200 tecken.",
            "The text may be at most 200 characters.",
        ),
        "text_invalid_characters" => (
            "Texten innehåller otillåtna tecken.",
            "The text contains characters that are not allowed.",
        ),
        "login_code_format" => (
            "Engångskoden består av sex siffror.",
            "The one-time code is six digits.",
        ),
        // Examination centres: session lists, sessions, enrolments and results.
        "number_invalid" => ("Ange ett heltal från 1.", "Enter a whole number from 1."),
        "per_page_out_of_range" => (
            "Ange mellan 1 och 100 per sida.",
            "Enter between 1 and 100 per page.",
        ),
        "date_invalid" => (
            "Ange datumet som ÅÅÅÅ-MM-DD.",
            "Enter the date as YYYY-MM-DD.",
        ),
        "date_range_invalid" => (
            "Slutdatumet ligger före startdatumet.",
            "The end date is before the start date.",
        ),
        "date_time_out_of_range" => (
            "Tidpunkten måste ligga efter år 2000 och högst tre år framåt.",
            "The time must be after the year 2000 and at most three years ahead.",
        ),
        "date_time_invalid" => (
            "Ange tidpunkten enligt RFC 3339, till exempel 2027-03-15T09:00:00+01:00.",
            "Enter the time in RFC 3339 format, such as 2027-03-15T09:00:00+01:00.",
        ),
        "seats_out_of_range" => (
            "Antalet platser måste vara mellan 1 och 500.",
            "The number of seats must be between 1 and 500.",
        ),
        "certificate_type_unknown" => (
            "Det finns ingen certifikatstyp med den koden.",
            "No certificate type has this code.",
        ),
        "certificate_type_retired" => (
            "Certifikattypen tar inte längre emot ansökningar.",
            "This certificate type no longer takes applications.",
        ),
        "certificate_type_for_companies" => (
            "Företagscertifikat söks inte med ett personkonto. Kontakta INCERT.",
            "Company certificates are not applied for with a personal account. Contact INCERT.",
        ),
        "certificate_not_found" => (
            "Du har inget certifikat med det numret.",
            "You have no certificate with this number.",
        ),
        "certificate_of_another_type" => (
            "Certifikatet är av en annan typ än ansökan.",
            "The certificate is of another type than the application.",
        ),
        "certificate_withdrawn" => ("Certifikatet är indraget.", "The certificate is withdrawn."),
        "certificate_replaced" => (
            "Certifikatet har redan ersatts vid en omcertifiering.",
            "A recertification has already replaced the certificate.",
        ),
        "certificate_number_invalid_format" => (
            "Certifikatnumret ska se ut som INC-2026-000001.",
            "A certificate number looks like INC-2026-000001.",
        ),
        "search_too_long" => (
            "Söktexten får vara högst 100 tecken.",
            "The search text may be at most 100 characters.",
        ),
        "date_in_future" => (
            "Datumet får inte ligga i framtiden.",
            "The date must not be in the future.",
        ),
        "date_before_application" => (
            "Datumet får inte ligga före ansökan.",
            "The date must not be before the application.",
        ),
        "date_before_issue" => (
            "Datumet får inte ligga före utfärdandet.",
            "The date must not be before the issue date.",
        ),
        "date_out_of_range" => (
            "Datumet ligger utanför det tillåtna intervallet.",
            "The date is out of range.",
        ),
        "reason_too_long" => (
            "Motiveringen får vara högst 2 000 tecken.",
            "The reason may be at most 2,000 characters.",
        ),
        "attestation_not_applicable" => (
            "Certifikattypen har ingen årlig förlängning.",
            "This certificate type has no annual renewal.",
        ),
        "attestation_after_expiry" => (
            "Certifikatet har gått ut. Innehavaren behöver certifieras på nytt.",
            "The certificate has expired. The holder needs a new certification.",
        ),
        "attestation_no_renewal_remaining" => (
            "Ingen förlängning återstår före giltighetens slut. Innehavaren behöver omcertifieras.",
            "No renewal remains before the validity ends. The holder needs recertification.",
        ),
        "attestation_too_early" => (
            "Intyget är för tidigt. Det kan registreras tidigast 90 dagar före förlängningsdatumet.",
            "The attestation is too early. It can be registered at the earliest 90 days before the renewal date.",
        ),
        "attestation_already_recorded" => (
            "Ett intyg för det här året registrerades samtidigt. Hämta certifikatet på nytt.",
            "An attestation for this year was recorded at the same time. Fetch the certificate again.",
        ),
        "certificate_type_code_invalid" => (
            "Koden ska vara 2–20 tecken: versaler A–Z, siffror och bindestreck.",
            "The code must be 2–20 characters: capital letters A–Z, digits and hyphens.",
        ),
        "certificate_type_code_taken" => (
            "Det finns redan en certifikatstyp med den koden.",
            "A certificate type with this code already exists.",
        ),
        "name_invalid" => (
            "Namnet får vara högst 200 tecken utan styrtecken.",
            "The name may be at most 200 characters without control characters.",
        ),
        "technical_area_unknown" => (
            "Det finns inget teknikområde med den koden.",
            "No technical area has this code.",
        ),
        "price_out_of_range" => ("Priset är för stort.", "The price is too large."),
        "certificate_rules_validity_out_of_range" => (
            "Giltighetstiden ska vara 1–10 år.",
            "The validity must be 1 to 10 years.",
        ),
        "certificate_rules_recertification_out_of_range" => (
            "Omcertifiering ska ske efter 1 år och senast när giltigheten slutar.",
            "Recertification must be due after 1 year at the earliest and no later than the end of validity.",
        ),
        "account_not_found" => (
            "Det finns inget konto med det id:t.",
            "No account has this id.",
        ),
        "certificate_type_not_examined_by_centre" => (
            "Certifikattypen har inget prov som ett provcenter håller.",
            "The certificate type has no exam that an examination centre holds.",
        ),
        "not_allowed_with_personnummer" => (
            "Ange antingen personnummer eller e-postadress och födelsedatum, inte båda.",
            "Give either a personal identity number or an email address and date of birth, not both.",
        ),
        "idempotency_key_invalid" => (
            "Idempotency-Key ska bestå av 1–255 synliga ASCII-tecken.",
            "The Idempotency-Key must be 1–255 visible ASCII characters.",
        ),
        "exam_part_not_examined_by_centre" => (
            "Provcenter rapporterar inte resultat för den här provdelen av certifikatstypen.",
            "Examination centres do not report results for this exam part of the certificate type.",
        ),
        "exam_part_duplicate" => (
            "Provdelen finns redan i rapporten.",
            "The exam part is already in the report.",
        ),
        "score_above_max_score" => (
            "Poängen är högre än maxpoängen.",
            "The score is higher than the maximum score.",
        ),
        "max_score_out_of_range" => (
            "Maxpoängen måste vara mellan 1 och 10 000.",
            "The maximum score must be between 1 and 10,000.",
        ),
        "taken_on_before_session" => (
            "Provdagen ligger före provtillfällets dag.",
            "The exam day is before the day of the exam session.",
        ),
        "taken_on_in_future" => (
            "Provdagen ligger i framtiden.",
            "The exam day is in the future.",
        ),
        "absent_requires_failed" => (
            "En frånvarande kandidat ska ha resultatet underkänd.",
            "An absent candidate must have the outcome failed.",
        ),
        "absent_without_score" => (
            "En frånvarande kandidat kan inte ha poäng.",
            "An absent candidate cannot have a score.",
        ),
        "centre_name_taken" => (
            "Ett annat provcenter har redan det namnet.",
            "Another examination centre already has this name.",
        ),
        _ => ("Värdet är ogiltigt.", "The value is invalid."),
    };
    language.pick(swedish, english)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the domain rules produce, so a code without its own message shows up here.
    const DOMAIN_CODES: &[&str] = &[
        "password_too_short",
        "password_too_long",
        "password_missing_letter",
        "password_missing_digit",
        "password_too_common",
        "password_contains_personal_data",
        "personnummer_empty",
        "personnummer_invalid_format",
        "personnummer_invalid_century",
        "personnummer_invalid_date",
        "personnummer_future_birth_date",
        "personnummer_birth_number_zero",
        "personnummer_invalid_checksum",
        "personnummer_organisation_number",
        "personnummer_interim_not_allowed",
        "personnummer_unknown_birth_date_not_allowed",
        "email_empty",
        "email_missing_at",
        "email_multiple_at",
        "email_empty_local_part",
        "email_empty_domain",
        "email_whitespace",
        "email_control_character",
        "email_consecutive_dots",
        "email_too_long",
        "email_local_part_too_long",
        "email_invalid_local_part",
        "email_invalid_domain",
        "email_domain_missing_dot",
        "mobile_empty",
        "mobile_invalid_characters",
        "mobile_invalid",
        "certificate_rules_validity_out_of_range",
        "certificate_rules_recertification_out_of_range",
        "attestation_not_applicable",
        "attestation_after_expiry",
        "attestation_no_renewal_remaining",
        "attestation_too_early",
        "certificate_number_invalid_format",
    ];

    /// Every code of the examination centres' API.
    const CENTRE_CODES: &[&str] = &[
        "number_invalid",
        "per_page_out_of_range",
        "date_invalid",
        "date_range_invalid",
        "date_time_invalid",
        "date_time_out_of_range",
        "seats_out_of_range",
        "certificate_type_unknown",
        "certificate_type_retired",
        "certificate_type_not_examined_by_centre",
        "not_allowed_with_personnummer",
        "idempotency_key_invalid",
        "exam_part_not_examined_by_centre",
        "exam_part_duplicate",
        "score_above_max_score",
        "max_score_out_of_range",
        "taken_on_before_session",
        "taken_on_in_future",
        "absent_requires_failed",
        "absent_without_score",
        "centre_name_taken",
        "null_character",
        "invalid_value",
        "duplicate_field",
        "date_before_issue",
        "date_before_application",
    ];

    #[test]
    fn every_domain_code_has_its_own_message() {
        let fallback = field_message("no_such_code", Language::Swedish);
        for code in DOMAIN_CODES.iter().chain(CENTRE_CODES) {
            for language in [Language::Swedish, Language::English] {
                let message = field_message(code, language);
                assert_ne!(message, fallback, "{code}");
                assert_ne!(
                    message,
                    field_message("no_such_code", Language::English),
                    "{code}"
                );
            }
        }
    }
}
