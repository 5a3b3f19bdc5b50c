//! The texts of the emails the portal sends, in Swedish and English.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Stockholm;

use crate::i18n::Language;

/// Subject and plain-text body of one email.
#[derive(Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub body: String,
}

impl std::fmt::Debug for Letter {
    // The body may hold a one-time code or password.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Letter")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Longest line of an email body in UTF-8 bytes. lettre sends a body unencoded (8bit) only
/// when every line is shorter than 76 bytes; short lines also read well in every mail program.
const LINE_WIDTH: usize = 74;

impl Letter {
    pub(crate) fn new(subject: impl Into<String>, body: &str) -> Self {
        Self {
            subject: subject.into(),
            body: wrap(body, LINE_WIDTH),
        }
    }
}

/// Breaks each line longer than `width` UTF-8 bytes at spaces. A single word longer than
/// `width`, such as a link, stays whole on its own line.
pub fn wrap(text: &str, width: usize) -> String {
    let mut wrapped = String::with_capacity(text.len() + text.len() / width);
    for line in text.split('\n') {
        let mut length = 0;
        for (index, word) in line.split(' ').enumerate() {
            let word_length = word.len();
            if index > 0 && length + 1 + word_length > width {
                wrapped.push('\n');
                length = 0;
            } else if index > 0 {
                wrapped.push(' ');
                length += 1;
            }
            wrapped.push_str(word);
            length += word_length;
        }
        wrapped.push('\n');
    }
    wrapped.pop();
    wrapped
}

/// Formats a time for people in Sweden, such as `2026-12-11 14:05`.
fn local_time(time: DateTime<Utc>) -> String {
    time.with_timezone(&Stockholm)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Writes the welcome email with the first-time password.
pub fn welcome(
    language: Language,
    first_name: &str,
    email: &str,
    initial_password: &str,
    valid_until: DateTime<Utc>,
    public_url: &str,
) -> Letter {
    let valid_until = local_time(valid_until);
    match language {
        Language::Swedish => Letter::new(
            "Välkommen till IncertOnline".to_owned(),
            &format!(
                "Hej {first_name},\n\n\
                 Ett personkonto har skapats åt dig i IncertOnline. Ditt användarnamn är din \
                 e-postadress, {email}.\n\n\
                 Ditt engångslösenord är: {initial_password}\n\n\
                 Engångslösenordet gäller till {valid_until} (svensk tid) och kan bara användas \
                 för den första inloggningen. Efter inloggningen väljer du ett eget lösenord.\n\n\
                 Logga in här: {public_url}/logga-in\n\n\
                 Har du inte registrerat dig kan du bortse från det här meddelandet.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            "Welcome to IncertOnline".to_owned(),
            &format!(
                "Hello {first_name},\n\n\
                 A personal account has been created for you in IncertOnline. Your username is \
                 your email address, {email}.\n\n\
                 Your one-time password is: {initial_password}\n\n\
                 The one-time password is valid until {valid_until} (Swedish time) and works only \
                 for the first login. After logging in you choose a password of your own.\n\n\
                 Log in here: {public_url}/logga-in\n\n\
                 If you did not register, you can ignore this message.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the notice sent instead of a welcome email when someone registers with an address
/// that already has an account.
pub fn already_registered(language: Language, email: &str, public_url: &str) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            "Försök att registrera ett konto med din e-postadress".to_owned(),
            &format!(
                "Hej,\n\n\
                 Någon, kanske du själv, försökte just registrera ett nytt personkonto i \
                 IncertOnline med e-postadressen {email}. Det finns redan ett konto med den \
                 adressen, så inget nytt konto skapades.\n\n\
                 Logga in: {public_url}/logga-in\n\
                 Har du glömt lösenordet kan du välja ett nytt här: {public_url}/glomt-losenord\n\n\
                 Var det inte du behöver du inte göra något.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            "Attempt to register an account with your email address".to_owned(),
            &format!(
                "Hello,\n\n\
                 Someone, perhaps you, just tried to register a new personal account in \
                 IncertOnline with the email address {email}. An account with that address \
                 already exists, so no new account was created.\n\n\
                 Log in: {public_url}/logga-in\n\
                 If you have forgotten your password, choose a new one here: \
                 {public_url}/glomt-losenord\n\n\
                 If it was not you, you need not do anything.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the email with the one-time code of a login. The code stays out of the subject, because the outbox keeps
/// subjects after it erases a sent message's body.
pub fn login_code(language: Language, email: &str, code: &str) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            "Din engångskod till IncertOnline".to_owned(),
            &format!(
                "Du eller någon som utger sig för att vara du har begärt att logga in i \
                 IncertOnline som {email}. Använd den här koden för att slutföra inloggningen:\n\n\
                 {code}\n\n\
                 Koden är giltig i tio minuter och kan bara användas en gång.\n\n\
                 Hittar du inte våra meddelanden i inkorgen, titta i mappen för skräppost.\n\n\
                 Har du inte försökt logga in kan du bortse från meddelandet, men byt gärna \
                 lösenord: den som begärde koden kände till ditt lösenord.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            "Your IncertOnline one-time code".to_owned(),
            &format!(
                "You, or someone claiming to be you, asked to log in to IncertOnline as \
                 {email}. Use this code to finish logging in:\n\n\
                 {code}\n\n\
                 The code is valid for ten minutes and works only once.\n\n\
                 If you cannot find our messages in your inbox, look in your spam folder.\n\n\
                 If you did not try to log in, you can ignore this message, but consider \
                 changing your password: whoever asked for the code knew it.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the notice that the password of the account was changed.
pub fn password_changed(
    language: Language,
    email: &str,
    changed_at: DateTime<Utc>,
    public_url: &str,
) -> Letter {
    let changed_at = local_time(changed_at);
    match language {
        Language::Swedish => Letter::new(
            "Ditt lösenord har ändrats".to_owned(),
            &format!(
                "Hej,\n\n\
                 Lösenordet för ditt konto {email} i IncertOnline ändrades {changed_at} (svensk \
                 tid). Dina andra inloggningar har avslutats.\n\n\
                 Var det inte du som ändrade lösenordet? Välj ett nytt lösenord direkt: \
                 {public_url}/glomt-losenord och kontakta INCERT.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            "Your password has been changed".to_owned(),
            &format!(
                "Hello,\n\n\
                 The password of your IncertOnline account {email} was changed at {changed_at} \
                 (Swedish time). Your other sessions have been ended.\n\n\
                 Was it not you who changed the password? Choose a new password at once: \
                 {public_url}/glomt-losenord and contact INCERT.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the email with a password-reset code.
pub fn reset_code(language: Language, email: &str, code: &str, valid_minutes: u32) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            "Återställ ditt lösenord i IncertOnline".to_owned(),
            &format!(
                "Hej,\n\n\
                 Någon, förhoppningsvis du, har bett om att få välja ett nytt lösenord för \
                 kontot {email} i IncertOnline. Ange den här koden tillsammans med ditt nya \
                 lösenord:\n\n\
                 {code}\n\n\
                 Koden gäller i {valid_minutes} minuter och kan bara användas en gång. När \
                 lösenordet är bytt avslutas alla inloggningar på kontot.\n\n\
                 Har du inte bett om det här kan du bortse från meddelandet; ditt lösenord \
                 ändras inte.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            "Reset your IncertOnline password".to_owned(),
            &format!(
                "Hello,\n\n\
                 Someone, hopefully you, asked to choose a new password for the account \
                 {email} in IncertOnline. Enter this code together with your new password:\n\n\
                 {code}\n\n\
                 The code is valid for {valid_minutes} minutes and works only once. Once the \
                 password is changed, every session of the account is ended.\n\n\
                 If you did not ask for this, you can ignore this message; your password stays \
                 as it is.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the email with the code that confirms a new login address.
pub fn email_change_code(
    language: Language,
    new_email: &str,
    code: &str,
    valid_minutes: u32,
) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            "Bekräfta din nya e-postadress i IncertOnline".to_owned(),
            &format!(
                "Hej,\n\n\
                 Du har bett om att byta e-postadressen för ditt konto i IncertOnline till \
                 {new_email}. Ange den här koden på Min Sida för att bekräfta bytet:\n\n\
                 {code}\n\n\
                 Koden gäller i {valid_minutes} minuter. Tills bytet är bekräftat loggar du in \
                 med din gamla adress.\n\n\
                 Har du inte bett om det här kan du bortse från meddelandet.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            "Confirm your new email address in IncertOnline".to_owned(),
            &format!(
                "Hello,\n\n\
                 You asked to change the email address of your IncertOnline account to \
                 {new_email}. Enter this code on My page to confirm the change:\n\n\
                 {code}\n\n\
                 The code is valid for {valid_minutes} minutes. Until the change is confirmed \
                 you log in with your old address.\n\n\
                 If you did not ask for this, you can ignore this message.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

/// Writes the notice sent to the old address once the login address has changed.
pub fn email_changed(language: Language, old_email: &str, new_email: &str) -> Letter {
    match language {
        Language::Swedish => Letter::new(
            "Din e-postadress i IncertOnline har ändrats".to_owned(),
            &format!(
                "Hej,\n\n\
                 E-postadressen för ditt konto i IncertOnline har ändrats från {old_email} till \
                 {new_email}. Du loggar in med den nya adressen från och med nu.\n\n\
                 Var det inte du som gjorde ändringen? Kontakta INCERT direkt.\n\n\
                 Med vänliga hälsningar\nINCERT\n"
            ),
        ),
        Language::English => Letter::new(
            "Your IncertOnline email address has changed".to_owned(),
            &format!(
                "Hello,\n\n\
                 The email address of your IncertOnline account has changed from {old_email} \
                 to {new_email}. From now on you log in with the new address.\n\n\
                 Was it not you who made the change? Contact INCERT at once.\n\n\
                 Kind regards\nINCERT\n"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_long_lines_at_spaces() {
        let text = "ett två tre fyra\n\nfem";
        assert_eq!(wrap(text, 8), "ett två\ntre fyra\n\nfem");
        assert_eq!(wrap(text, 7), "ett\ntvå\ntre\nfyra\n\nfem");
        assert_eq!(
            wrap("https://example.se/a-very-long-link", 10),
            "https://example.se/a-very-long-link"
        );
    }

    #[test]
    fn letters_fit_the_line_width() {
        let until = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let letters = [
            welcome(
                Language::Swedish,
                "Test",
                "test.person@example.se",
                "Abc123Def456Ghj7",
                until,
                "http://127.0.0.1:8080",
            ),
            welcome(
                Language::English,
                "Test",
                "test.person@example.se",
                "Abc123Def456Ghj7",
                until,
                "http://127.0.0.1:8080",
            ),
            login_code(Language::Swedish, "test.person@example.se", "123456"),
            reset_code(Language::English, "test.person@example.se", "12345678", 30),
        ];
        for letter in letters {
            for line in letter.body.lines() {
                assert!(line.len() <= LINE_WIDTH, "{line}");
            }
        }
    }
}
