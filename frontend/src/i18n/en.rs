//! English texts.

use incert_contract::ErrorCode;
use incert_contract::certification::{ApplicationState, CertificateStatus, ExamPart};

use super::Texts;

pub static TEXTS: Texts = Texts {
    html_lang: "en",

    skip_to_content: "Skip to content",
    main_navigation: "Main menu",
    nav_register: "Register account",
    nav_login: "Log in",
    nav_my_page: "My page",
    nav_log_out: "Log out",
    switch_language: "På svenska",
    loading: "Loading …",
    retry: "Try again",
    cancel: "Cancel",
    back: "Back",
    save: "Save",
    yes: "Yes",
    no: "No",
    optional_field: "Optional",
    network_error: "IncertOnline could not be reached. Check your internet connection and try again.",
    server_error: "IncertOnline ran into an error. Try again in a moment.",
    check_marked_fields: "Correct the marked fields and try again.",
    not_found_title: "Page not found",
    not_found_text: "This address leads to no page of IncertOnline.",

    start_title: "Welcome to IncertOnline",
    start_intro: "In IncertOnline you create your personal account with Incert, log in and follow your certificates and applications.",
    start_register_text: "New to Incert? Create an account before an examination centre enrols you on an exam.",
    start_login_text: "Already have an account? Log in with email and password.",

    register_title: "Register personal account",
    register_intro: "Create a personal account to get certified by Incert.",
    register_existing: "If you have held a certificate from Incert, you already have an account. Enter your details and you will find out.",
    citizenship_label: "Citizenship",
    citizenship_hint: "Choose Swedish or other citizenship",
    citizenship_swedish: "Swedish citizenship",
    citizenship_swedish_hint: "With a Swedish personal identity number",
    citizenship_other: "Other citizenship",
    citizenship_other_hint: "Without a Swedish personal identity number",
    personnummer_label: "Personal identity number",
    personnummer_hint: "Twelve digits, YYYYMMDDNNNN",
    email_label: "Email",
    email_hint: "Enter your email address",
    birth_date_label: "Date of birth",
    birth_date_hint: "Enter your date of birth, YYYY-MM-DD",
    first_name_label: "First name",
    last_name_label: "Last name",
    mobile_label: "Mobile number",
    country_code_label: "Country code",
    continue_button: "Continue",
    create_user_button: "Create user",
    registration_sent_title: "Check your email",
    registration_sent_text,
    spam_folder_hint: "No message in your inbox? Look in the spam folder.",
    go_to_login: "Go to login",

    bankid_heading: "Complete registration with BankID",
    bankid_this_device: "Use BankID on this device",
    bankid_other_device: "Use BankID on another device",
    bankid_open_app: "Open the BankID app",
    bankid_qr_label: "QR code for the BankID app",
    bankid_qr_help: "Start the BankID app on your phone or tablet, tap the QR symbol and point the camera at the code.",
    bankid_starting: "Starting BankID …",
    bankid_cancelled: "The signing was cancelled.",
    bankid_failed: "Signing with BankID failed.",
    bankid_try_again: "Start BankID again",
    bankid_registered_title: "Your account is registered",
    bankid_registered_text: "You have signed with BankID. An email with your first password is on its way to you.",
    bankid_no_account: "No account has your personnummer. Register an account first.",
    bankid_personnummer_mismatch: "The personnummer in BankID differs from the one you entered. Check the personnummer and try again.",
    bankid_login_title: "Log in with BankID",
    bankid_login_intro: "If you have a Swedish personnummer, you can log in with BankID instead of a password and a one-time code.",

    login_title: "Log in",
    login_intro: "Enter your email address as user name, and your password.",
    password_label: "Password",
    login_button: "Log in",
    forgot_password_link: "Forgot your password?",
    no_account_text: "No account yet?",
    code_title: "One-time code",
    code_sent_text,
    code_label: "One-time code",
    code_hint: "Six digits from the email",
    resend_code: "Send a new code",
    resend_wait,
    code_resent: "A new code is on its way. The previous one no longer works.",
    start_over: "Start the login again",

    change_password_title: "Change password",
    first_login_intro: "This is your first login. Replace the one-time password from the email with a password of your own to continue.",
    requirements_title: "Password requirements",
    requirement_length,
    requirement_letter: "Contains at least one letter (a–ö).",
    requirement_digit: "Contains at least one digit.",
    requirement_not_common: "Is not a common or easily guessed password.",
    current_password_label: "Current password",
    current_password_hint: "We ask for the current password to protect your account.",
    new_password_label: "New password",
    new_password_again_label: "New password (again)",
    passwords_differ: "The passwords are not the same.",
    strength_label: "Password strength",
    strength_names: ["Very weak", "Weak", "Fair", "Strong", "Very strong"],
    password_changed_title: "Your password has been changed",
    password_changed_text: "Your account is ready and you can start using IncertOnline.",
    go_to_my_page: "Continue to My page",
    reset_title: "Forgot password",
    reset_intro: "Enter the email address you log in with. We send you a code to choose a new password with.",
    reset_send_code: "Send code",
    reset_code_sent,
    reset_code_label: "Code from the email",
    reset_confirm: "Save new password",
    reset_done: "Your password is changed. Log in with your new password.",

    my_page_title: "My page",
    details_title: "Personal details",
    name_label: "Name",
    email_address_label: "Email address",
    edit_details: "Edit details",
    change_email_link: "Change email address",
    change_email_title: "Change email address",
    change_email_intro: "Your email address is also your username. We send a code to the new address, and the address changes once you have entered the code.",
    new_email_label: "New email address",
    send_code_button: "Send code",
    email_code_sent_text,
    email_code_hint: "Eight digits from the email",
    billing_title: "Billing address",
    invoice_by_email_label: "Invoice by email",
    billing_email_label: "Billing email",
    billing_address_legend: "Postal address for invoices",
    organisation_name_label: "Company name",
    organisation_number_label: "Organisation number",
    reference_label: "Reference",
    street_label: "Street address",
    postal_code_label: "Postal code",
    city_label: "City",
    country_label: "Country",
    no_billing_address: "No postal address given.",
    edit_billing: "Edit billing details",
    sessions_title: "Logged-in devices",
    session_this_device: "This device",
    session_started: "Logged in",
    session_last_used: "Last used",
    session_log_out: "Log out this device",
    log_out_everywhere: "Log out everywhere",

    certificates_title: "Certificates",
    search_label: "Search certificates",
    search_button: "Search",
    group_by_label: "Group by",
    group_none: "No grouping",
    group_technical_area: "Technical area",
    group_status: "Status",
    hits,
    column_number: "No.",
    column_certificate: "Certificate",
    column_status: "Status",
    column_annual_renewal: "Annual renewal",
    column_recertification: "Recertification",
    column_document: "Document",
    download_pdf,
    no_certificates: "No certificates to show.",
    apply_button: "Apply for a new certificate",
    apply_intro: "Choose a technical area and a certificate type to start a certification process.",
    centre_enrolment_note: "When an examination centre enrols you on an exam, a process of the exam's type starts without an application here.",
    apply_title: "Apply for a new certificate",
    technical_area_label: "Technical area",
    certificate_type_label: "Certificate type",
    exam_parts_label: "Parts",
    price_label: "Price",
    price_text,
    confirm_application_title: "Confirm the application",
    send_application: "Send application",
    application_received: "The application is received. You find it under My applications.",
    applications_title: "My applications",
    no_applications: "You have no applications.",
    column_created: "Created",
    withdraw: "Withdraw",

    error_code,
    field_code,
    certificate_status,
    application_state,
    exam_part,
};

fn registration_sent_text(email: &str) -> String {
    format!(
        "Unless {email} already had an account, it has one now. A one-time password is on its way \
         to the address. Use it the first time you log in, then choose a password of your own."
    )
}

fn code_sent_text(email: &str) -> String {
    format!(
        "We sent a one-time code to {email}. The code is valid for ten minutes. Enter it below \
         to complete the login."
    )
}

fn email_code_sent_text(email: &str, minutes: u32) -> String {
    format!(
        "We have sent a code to {email}. The code is valid for {minutes} minutes. Enter it \
         below to change your email address."
    )
}

fn resend_wait(seconds: u64) -> String {
    format!("You can ask for a new code in {seconds} s.")
}

fn requirement_length(min: u32, max: u32) -> String {
    format!("Is at least {min} and at most {max} characters long.")
}

fn reset_code_sent(minutes: u32) -> String {
    format!(
        "If the address has an account, a code is on its way there. It is valid for {minutes} minutes."
    )
}

fn hits(count: u32) -> String {
    match count {
        1 => "1 result".to_owned(),
        _ => format!("{count} results"),
    }
}

fn download_pdf(number: &str) -> String {
    format!("Download {number} as PDF")
}

fn price_text(amount_sek: u32, demo: bool) -> String {
    if demo {
        format!("SEK {amount_sek} excl. VAT (sample price)")
    } else {
        format!("SEK {amount_sek} excl. VAT")
    }
}

fn error_code(code: ErrorCode) -> Option<&'static str> {
    Some(match code {
        ErrorCode::ValidationFailed | ErrorCode::InvalidJson => {
            "Correct the marked fields and try again."
        }
        ErrorCode::InvalidCredentials => "Wrong email address or password.",
        ErrorCode::InitialPasswordExpired => {
            "The one-time password has expired. Choose Forgot your password to get a new one."
        }
        ErrorCode::AuthenticationRequired
        | ErrorCode::TokenExpired
        | ErrorCode::InvalidRefreshToken => "You are logged out. Log in again to continue.",
        ErrorCode::PasswordChangeRequired => "Replace your one-time password first.",
        ErrorCode::InvalidLoginCode => "The code is wrong. Check the digits and try again.",
        ErrorCode::LoginChallengeEnded => {
            "The code no longer works. Start the login again to get a new code."
        }
        ErrorCode::ResendTooEarly => "Wait a moment before asking for a new code.",
        ErrorCode::EmailTaken => "Another account already uses this email address.",
        ErrorCode::BankIdAlreadyInProgress => {
            "BankID already has a signing in progress for you. Complete or cancel it in the app first."
        }
        ErrorCode::Forbidden => "Your account is not allowed to do this.",
        ErrorCode::ApplicationAlreadyOpen => {
            "You already have an open application for this certificate type."
        }
        ErrorCode::ApplicationTransitionNotAllowed => {
            "The application cannot be changed in its current state."
        }
        ErrorCode::NotFound => "What you asked for does not exist.",
        ErrorCode::RateLimited => "Too many attempts. Wait a moment and try again.",
        ErrorCode::ServiceUnavailable | ErrorCode::InternalError => {
            "IncertOnline ran into an error. Try again in a moment."
        }
        _ => return None,
    })
}

fn field_code(code: &str) -> Option<&'static str> {
    Some(match code {
        "required" => "This field is required.",
        "email_empty" => "Enter an email address.",
        "email_missing_at" => "The email address lacks an @.",
        "email_whitespace" => "The email address cannot contain spaces.",
        "email_domain_missing_dot" | "email_invalid_domain" | "email_empty_domain" => {
            "The domain after the @ is invalid."
        }
        "name_empty" => "Enter a name.",
        "name_too_long" => "The name is too long.",
        "name_invalid_characters" => "The name contains characters that are not allowed.",
        "mobile_invalid" | "mobile_invalid_characters" => "The mobile number is invalid.",
        "birth_date_invalid" => "Enter the date as YYYY-MM-DD.",
        "birth_date_out_of_range" => "The date of birth is not plausible.",
        "personnummer_empty" => "Enter your personal identity number.",
        "personnummer_invalid_format" => "Enter the number as twelve digits, YYYYMMDDNNNN.",
        "personnummer_invalid_date" => "The number contains an invalid date.",
        "personnummer_invalid_checksum" => "The number is invalid. Check the last digit.",
        "password_too_short" => "The password is too short.",
        "password_too_long" => "The password is too long.",
        "password_missing_letter" => "The password must contain a letter.",
        "password_missing_digit" => "The password must contain a digit.",
        "password_contains_personal_data" => {
            "The password must not contain your name or email address."
        }
        "password_too_common" => "The password is too common. Choose another one.",
        "password_unchanged" => "The new password must differ from the current one.",
        "login_code_format" => "The code is six digits.",
        "reset_code_invalid" => "The code is wrong or has expired.",
        "personnummer_invalid_century" => "The year in the personnummer is not plausible.",
        "personnummer_future_birth_date" => "The personnummer has a birth date in the future.",
        "personnummer_birth_number_zero" => "The birth number of a personnummer cannot be 000.",
        "personnummer_organisation_number" => {
            "This is an organisation number. Enter your personnummer."
        }
        "personnummer_interim_not_allowed" | "personnummer_unknown_birth_date_not_allowed" => {
            "This kind of number cannot be used here. Enter your personnummer."
        }
        "email_multiple_at" => "The email address can contain only one @.",
        "email_empty_local_part" => "Something is missing before the @.",
        "email_control_character" => "The email address contains characters that are not allowed.",
        "email_consecutive_dots" => "The email address cannot have two dots in a row.",
        "email_too_long" => "The email address is too long.",
        "email_local_part_too_long" => "The part before the @ is too long.",
        "email_invalid_local_part" | "email_local_part_not_ascii" => {
            "The part before the @ contains characters that cannot be used."
        }
        "email_unchanged" => "That is already your email address.",
        "mobile_empty" => "Enter a mobile number or leave the field empty.",
        "current_password_incorrect" => "The current password is incorrect.",
        "reset_code_format" => "The code is eight digits.",
        "email_change_code_invalid" => "The code is incorrect or has expired.",
        "organisation_number_invalid_format" => "Enter the organisation number as ten digits.",
        "organisation_number_invalid_checksum" => {
            "The organisation number is invalid. Check the last digit."
        }
        "postal_code_invalid_swedish" => "Enter a Swedish postal code of five digits.",
        "postal_code_invalid" => "The postal code is invalid.",
        "country_invalid" => "The country is invalid.",
        "text_too_long" => "The text is too long.",
        "text_invalid_characters" => "The text contains characters that are not allowed.",
        "certificate_type_unknown" => "The certificate type does not exist.",
        "certificate_type_retired" => "Applications for this certificate type are closed.",
        "certificate_type_for_companies" => "This certificate type is for companies only.",
        "search_too_long" => "The search text is too long.",
        _ => return None,
    })
}

fn certificate_status(status: CertificateStatus) -> &'static str {
    match status {
        CertificateStatus::Valid => "Valid",
        CertificateStatus::RenewalRequired => "Renewal required",
        CertificateStatus::Expired => "Expired",
        CertificateStatus::Withdrawn => "Withdrawn",
    }
}

fn application_state(state: ApplicationState) -> &'static str {
    match state {
        ApplicationState::Received => "Received",
        ApplicationState::InReview => "In review",
        ApplicationState::AwaitingExam => "Awaiting exam",
        ApplicationState::Approved => "Approved",
        ApplicationState::Rejected => "Rejected",
        ApplicationState::Withdrawn => "Withdrawn",
    }
}

fn exam_part(part: ExamPart) -> &'static str {
    match part {
        ExamPart::Theory => "Theory exam",
        ExamPart::Practical => "Practical exam",
        ExamPart::CourseAttestation => "Course certificate",
        ExamPart::DocumentReview => "Document review",
    }
}
