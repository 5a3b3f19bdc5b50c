//! Swedish texts, the default language.

use incert_contract::ErrorCode;
use incert_contract::certification::{ApplicationState, CertificateStatus, ExamPart};

use super::Texts;

pub static TEXTS: Texts = Texts {
    html_lang: "sv",

    skip_to_content: "Hoppa till innehållet",
    main_navigation: "Huvudmeny",
    nav_register: "Registrera konto",
    nav_login: "Logga in",
    nav_my_page: "Min Sida",
    nav_log_out: "Logga ut",
    switch_language: "In English",
    loading: "Hämtar …",
    retry: "Försök igen",
    cancel: "Avbryt",
    back: "Tillbaka",
    save: "Spara",
    yes: "Ja",
    no: "Nej",
    optional_field: "Frivilligt fält",
    network_error: "Det gick inte att nå IncertOnline. Kontrollera internetanslutningen och försök igen.",
    server_error: "Ett fel uppstod hos IncertOnline. Försök igen om en stund.",
    check_marked_fields: "Rätta de markerade fälten och försök igen.",
    not_found_title: "Sidan finns inte",
    not_found_text: "Adressen leder inte till någon sida i IncertOnline.",

    start_title: "Välkommen till IncertOnline",
    start_intro: "I IncertOnline skapar du ditt personkonto hos Incert, loggar in och följer dina certifikat och ansökningar.",
    start_register_text: "Ny hos Incert? Skapa ett konto innan ett examinationscenter anmäler dig till ett prov.",
    start_login_text: "Har du redan ett konto? Logga in med e-post och lösenord.",

    register_title: "Registrera personkonto",
    register_intro: "Skapa ett personkonto för att kunna certifiera dig hos Incert.",
    register_existing: "Har du haft ett certifikat hos Incert har du redan ett konto. Fyll i dina uppgifter så ser du om det finns.",
    citizenship_label: "Medborgarskap",
    citizenship_hint: "Välj svenskt eller annat medborgarskap",
    citizenship_swedish: "Svenskt medborgarskap",
    citizenship_swedish_hint: "Med svenskt personnummer",
    citizenship_other: "Annat medborgarskap",
    citizenship_other_hint: "Utan svenskt personnummer",
    personnummer_label: "Personnummer",
    personnummer_hint: "Tolvsiffrigt personnummer, ÅÅÅÅMMDDNNNN",
    email_label: "E-post",
    email_hint: "Ange din e-post",
    birth_date_label: "Födelsedatum",
    birth_date_hint: "Ange ditt födelsedatum, ÅÅÅÅ-MM-DD",
    first_name_label: "Förnamn",
    last_name_label: "Efternamn",
    mobile_label: "Mobilnummer",
    country_code_label: "Landsnummer",
    continue_button: "Fortsätt",
    create_user_button: "Skapa användare",
    registration_sent_title: "Titta i din e-post",
    registration_sent_text,
    spam_folder_hint: "Syns inget brev i inkorgen? Titta i mappen för skräppost.",
    go_to_login: "Gå till inloggningen",

    bankid_heading: "Slutför registreringen med BankID",
    bankid_this_device: "Använd BankID på den här enheten",
    bankid_other_device: "Använd BankID på en annan enhet",
    bankid_open_app: "Öppna BankID-appen",
    bankid_qr_label: "QR-kod för BankID-appen",
    bankid_qr_help: "Starta BankID-appen på mobilen eller surfplattan, tryck på QR-symbolen och rikta kameran mot koden.",
    bankid_starting: "Startar BankID …",
    bankid_cancelled: "Signeringen avbröts.",
    bankid_failed: "Signeringen med BankID misslyckades.",
    bankid_try_again: "Börja om med BankID",
    bankid_registered_title: "Kontot är registrerat",
    bankid_registered_text: "Du har signerat med BankID. Ett e-postmeddelande med ditt första lösenord är på väg till dig.",
    bankid_no_account: "Det finns inget konto med ditt personnummer. Registrera ett konto först.",
    bankid_personnummer_mismatch: "Personnumret i BankID stämmer inte med det du angav. Kontrollera personnumret och försök igen.",
    bankid_login_title: "Logga in med BankID",
    bankid_login_intro: "Har du ett svenskt personnummer kan du logga in med BankID i stället för lösenord och engångskod.",

    login_title: "Logga in",
    login_intro: "Ange din e-postadress som användarnamn och ditt lösenord.",
    password_label: "Lösenord",
    login_button: "Logga in",
    forgot_password_link: "Glömt lösenord?",
    no_account_text: "Saknar du konto?",
    code_title: "Engångskod",
    code_sent_text,
    code_label: "Engångskod",
    code_hint: "Sex siffror från e-postmeddelandet",
    resend_code: "Skicka en ny kod",
    resend_wait,
    code_resent: "En ny kod är skickad. Den förra slutar gälla.",
    start_over: "Logga in från början",

    change_password_title: "Ändra lösenord",
    first_login_intro: "Det här är din första inloggning. Byt engångslösenordet från e-postmeddelandet mot ett eget lösenord för att fortsätta.",
    requirements_title: "Lösenordskrav",
    requirement_length,
    requirement_letter: "Innehåller minst en bokstav (a–ö).",
    requirement_digit: "Innehåller minst en siffra.",
    requirement_not_common: "Är inte ett vanligt eller lättgissat lösenord.",
    current_password_label: "Nuvarande lösenord",
    current_password_hint: "Vi ber om det nuvarande lösenordet för att skydda ditt konto.",
    new_password_label: "Nytt lösenord",
    new_password_again_label: "Nytt lösenord (igen)",
    passwords_differ: "Lösenorden är inte lika.",
    strength_label: "Lösenordets styrka",
    strength_names: [
        "Mycket svagt",
        "Svagt",
        "Godtagbart",
        "Starkt",
        "Mycket starkt",
    ],
    password_changed_title: "Ditt lösenord har ändrats",
    password_changed_text: "Ditt konto är klart och du kan börja använda IncertOnline.",
    go_to_my_page: "Gå vidare till Min Sida",
    reset_title: "Glömt lösenord",
    reset_intro: "Ange e-postadressen du loggar in med. Vi skickar en kod som du använder för att välja ett nytt lösenord.",
    reset_send_code: "Skicka kod",
    reset_code_sent,
    reset_code_label: "Kod från e-postmeddelandet",
    reset_confirm: "Spara nytt lösenord",
    reset_done: "Lösenordet är bytt. Logga in med ditt nya lösenord.",

    my_page_title: "Min Sida",
    details_title: "Personuppgifter",
    name_label: "Namn",
    email_address_label: "E-postadress",
    edit_details: "Ändra uppgifter",
    change_email_link: "Byt e-postadress",
    change_email_title: "Byt e-postadress",
    change_email_intro: "E-postadressen är också ditt användarnamn. Vi skickar en kod till den nya adressen, och adressen byts när du har skrivit in koden.",
    new_email_label: "Ny e-postadress",
    send_code_button: "Skicka kod",
    email_code_sent_text,
    email_code_hint: "Åtta siffror från e-postmeddelandet",
    billing_title: "Faktureringsadress",
    invoice_by_email_label: "Faktura via e-post",
    billing_email_label: "E-postadress (fakturering)",
    billing_address_legend: "Postadress för faktura",
    organisation_name_label: "Företagsnamn",
    organisation_number_label: "Organisationsnummer",
    reference_label: "Referens",
    street_label: "Gatuadress",
    postal_code_label: "Postnummer",
    city_label: "Ort",
    country_label: "Land",
    no_billing_address: "Ingen postadress angiven.",
    edit_billing: "Ändra faktureringsuppgifter",
    sessions_title: "Inloggade enheter",
    session_this_device: "Den här enheten",
    session_started: "Inloggad",
    session_last_used: "Senast använd",
    session_log_out: "Logga ut enheten",
    log_out_everywhere: "Logga ut överallt",

    certificates_title: "Certifikat",
    search_label: "Sök certifikat",
    search_button: "Sök",
    group_by_label: "Gruppera på",
    group_none: "Ingen gruppering",
    group_technical_area: "Teknikområde",
    group_status: "Status",
    hits,
    column_number: "Nr",
    column_certificate: "Certifikat",
    column_status: "Status",
    column_annual_renewal: "Årlig förlängning",
    column_recertification: "Omcertifiering",
    column_document: "Dokument",
    download_pdf,
    no_certificates: "Inga certifikat att visa.",
    apply_button: "Ansök om nytt certifikat",
    apply_intro: "Välj teknikområde och certifikatstyp för att starta en certifieringsprocess.",
    centre_enrolment_note: "Anmäler ett examinationscenter dig till ett prov startar en process av provets typ utan att du ansöker här.",
    apply_title: "Ansök om nytt certifikat",
    technical_area_label: "Teknikområde",
    certificate_type_label: "Certifikatstyp",
    exam_parts_label: "Moment",
    price_label: "Pris",
    price_text,
    confirm_application_title: "Bekräfta ansökan",
    send_application: "Skicka ansökan",
    application_received: "Ansökan är mottagen. Du ser den under Mina ansökningar.",
    applications_title: "Mina ansökningar",
    no_applications: "Du har inga ansökningar.",
    column_created: "Skapad",
    withdraw: "Återkalla",

    error_code,
    field_code,
    certificate_status,
    application_state,
    exam_part,
};

fn registration_sent_text(email: &str) -> String {
    format!(
        "Om {email} inte redan har ett konto är det nu skapat. Ett engångslösenord är på väg \
         till adressen. Använd det första gången du loggar in, sedan väljer du ett eget lösenord."
    )
}

fn code_sent_text(email: &str) -> String {
    format!(
        "Vi har skickat en engångskod till {email}. Koden gäller i tio minuter. Skriv in den \
         nedan för att slutföra inloggningen."
    )
}

fn email_code_sent_text(email: &str, minutes: u32) -> String {
    format!(
        "Vi har skickat en kod till {email}. Koden gäller i {minutes} minuter. Skriv in den \
         nedan för att byta e-postadress."
    )
}

fn resend_wait(seconds: u64) -> String {
    format!("Du kan be om en ny kod om {seconds} s.")
}

fn requirement_length(min: u32, max: u32) -> String {
    format!("Är minst {min} och högst {max} tecken långt.")
}

fn reset_code_sent(minutes: u32) -> String {
    format!(
        "Finns det ett konto med adressen har vi skickat en kod dit. Koden gäller i {minutes} minuter."
    )
}

fn hits(count: u32) -> String {
    match count {
        1 => "1 träff".to_owned(),
        _ => format!("{count} träffar"),
    }
}

fn download_pdf(number: &str) -> String {
    format!("Ladda ner {number} som PDF")
}

fn price_text(amount_sek: u32, demo: bool) -> String {
    if demo {
        format!("{amount_sek} kr exkl. moms (exempelpris)")
    } else {
        format!("{amount_sek} kr exkl. moms")
    }
}

fn error_code(code: ErrorCode) -> Option<&'static str> {
    Some(match code {
        ErrorCode::ValidationFailed | ErrorCode::InvalidJson => {
            "Rätta de markerade fälten och försök igen."
        }
        ErrorCode::InvalidCredentials => "Fel e-postadress eller lösenord.",
        ErrorCode::InitialPasswordExpired => {
            "Engångslösenordet har slutat gälla. Välj Glömt lösenord för att få ett nytt."
        }
        ErrorCode::AuthenticationRequired
        | ErrorCode::TokenExpired
        | ErrorCode::InvalidRefreshToken => "Du är utloggad. Logga in igen för att fortsätta.",
        ErrorCode::PasswordChangeRequired => "Byt ditt engångslösenord först.",
        ErrorCode::InvalidLoginCode => "Koden stämmer inte. Kontrollera siffrorna och försök igen.",
        ErrorCode::LoginChallengeEnded => {
            "Koden gäller inte längre. Logga in från början för att få en ny kod."
        }
        ErrorCode::ResendTooEarly => "Vänta en stund innan du ber om en ny kod.",
        ErrorCode::EmailTaken => "E-postadressen används redan av ett annat konto.",
        ErrorCode::BankIdAlreadyInProgress => {
            "BankID har redan en pågående signering för dig. Slutför eller avbryt den i appen först."
        }
        ErrorCode::Forbidden => "Ditt konto saknar behörighet för det här.",
        ErrorCode::ApplicationAlreadyOpen => {
            "Du har redan en pågående ansökan om den här certifikatstypen."
        }
        ErrorCode::ApplicationTransitionNotAllowed => {
            "Ansökan kan inte ändras i sitt nuvarande läge."
        }
        ErrorCode::NotFound => "Det du sökte finns inte.",
        ErrorCode::RateLimited => "För många försök. Vänta en stund och försök igen.",
        ErrorCode::ServiceUnavailable | ErrorCode::InternalError => {
            "Ett fel uppstod hos IncertOnline. Försök igen om en stund."
        }
        _ => return None,
    })
}

fn field_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "required" => "Fältet måste fyllas i.",
        "email_empty" => "Ange en e-postadress.",
        "email_missing_at" => "E-postadressen saknar @.",
        "email_whitespace" => "E-postadressen får inte innehålla mellanslag.",
        "email_domain_missing_dot" | "email_invalid_domain" | "email_empty_domain" => {
            "Domänen efter @ är ogiltig."
        }
        "name_empty" => "Ange ett namn.",
        "name_too_long" => "Namnet är för långt.",
        "name_invalid_characters" => "Namnet innehåller otillåtna tecken.",
        "mobile_invalid" | "mobile_invalid_characters" => "Mobilnumret är ogiltigt.",
        "birth_date_invalid" => "Ange datumet som ÅÅÅÅ-MM-DD.",
        "birth_date_out_of_range" => "Födelsedatumet är inte rimligt.",
        "personnummer_empty" => "Ange ditt personnummer.",
        "personnummer_invalid_format" => "Ange personnumret med tolv siffror, ÅÅÅÅMMDDNNNN.",
        "personnummer_invalid_date" => "Personnumret innehåller ett ogiltigt datum.",
        "personnummer_invalid_checksum" => {
            "Personnumret är ogiltigt. Kontrollera den sista siffran."
        }
        "password_too_short" => "Lösenordet är för kort.",
        "password_too_long" => "Lösenordet är för långt.",
        "password_missing_letter" => "Lösenordet måste innehålla en bokstav.",
        "password_missing_digit" => "Lösenordet måste innehålla en siffra.",
        "password_contains_personal_data" => {
            "Lösenordet får inte innehålla ditt namn eller din e-postadress."
        }
        "password_too_common" => "Lösenordet är för vanligt. Välj ett annat.",
        "password_unchanged" => "Det nya lösenordet måste skilja sig från det nuvarande.",
        "login_code_format" => "Koden består av sex siffror.",
        "reset_code_invalid" => "Koden stämmer inte eller har slutat gälla.",
        "personnummer_invalid_century" => "Årtalet i personnumret är inte rimligt.",
        "personnummer_future_birth_date" => "Personnumret har ett födelsedatum i framtiden.",
        "personnummer_birth_number_zero" => "Födelsenumret i personnumret kan inte vara 000.",
        "personnummer_organisation_number" => {
            "Det här är ett organisationsnummer. Ange ditt personnummer."
        }
        "personnummer_interim_not_allowed" | "personnummer_unknown_birth_date_not_allowed" => {
            "Den här typen av nummer kan inte användas här. Ange ditt personnummer."
        }
        "email_multiple_at" => "E-postadressen får bara innehålla ett @.",
        "email_empty_local_part" => "Det saknas något före @.",
        "email_control_character" => "E-postadressen innehåller otillåtna tecken.",
        "email_consecutive_dots" => "E-postadressen får inte ha två punkter i rad.",
        "email_too_long" => "E-postadressen är för lång.",
        "email_local_part_too_long" => "Delen före @ är för lång.",
        "email_invalid_local_part" | "email_local_part_not_ascii" => {
            "Delen före @ innehåller tecken som inte kan användas."
        }
        "email_unchanged" => "Det är redan din e-postadress.",
        "mobile_empty" => "Ange ett mobilnummer eller lämna fältet tomt.",
        "current_password_incorrect" => "Det nuvarande lösenordet stämmer inte.",
        "reset_code_format" => "Koden består av åtta siffror.",
        "email_change_code_invalid" => "Koden stämmer inte eller har slutat gälla.",
        "organisation_number_invalid_format" => "Ange organisationsnumret med tio siffror.",
        "organisation_number_invalid_checksum" => {
            "Organisationsnumret är ogiltigt. Kontrollera den sista siffran."
        }
        "postal_code_invalid_swedish" => "Ange ett svenskt postnummer med fem siffror.",
        "postal_code_invalid" => "Postnumret är ogiltigt.",
        "country_invalid" => "Landet är ogiltigt.",
        "text_too_long" => "Texten är för lång.",
        "text_invalid_characters" => "Texten innehåller otillåtna tecken.",
        "certificate_type_unknown" => "Certifikatstypen finns inte.",
        "certificate_type_retired" => "Det går inte längre att ansöka om den här certifikatstypen.",
        "certificate_type_for_companies" => "Den här certifikatstypen är bara för företag.",
        "search_too_long" => "Söktexten är för lång.",
        _ => return None,
    })
}

fn certificate_status(status: CertificateStatus) -> &'static str {
    match status {
        CertificateStatus::Valid => "Giltig",
        CertificateStatus::RenewalRequired => "Förlängning krävs",
        CertificateStatus::Expired => "Utgången",
        CertificateStatus::Withdrawn => "Indragen",
    }
}

fn application_state(state: ApplicationState) -> &'static str {
    match state {
        ApplicationState::Received => "Mottagen",
        ApplicationState::InReview => "Under handläggning",
        ApplicationState::AwaitingExam => "Väntar på prov",
        ApplicationState::Approved => "Godkänd",
        ApplicationState::Rejected => "Avslagen",
        ApplicationState::Withdrawn => "Återkallad",
    }
}

fn exam_part(part: ExamPart) -> &'static str {
    match part {
        ExamPart::Theory => "Teoriprov",
        ExamPart::Practical => "Praktiskt prov",
        ExamPart::CourseAttestation => "Kursintyg",
        ExamPart::DocumentReview => "Granskning av handlingar",
    }
}
