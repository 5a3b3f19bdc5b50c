//! Logging set-up and the masking of personal data in log lines.

use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, Settings};

/// Installs the global tracing subscriber. `RUST_LOG`, when set, overrides the configured
/// filter. Calling it twice leaves the first subscriber in place.
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.log_filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let _ = match settings.log_format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Masks an email address for logs: the first character of the local part and the domain
/// stay, so `anna.svensson@example.se` becomes `a***@example.se`.
pub fn mask_email(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_email;

    #[test]
    fn mask_email_hides_local_part() {
        assert_eq!(mask_email("anna.svensson@example.se"), "a***@example.se");
        assert_eq!(mask_email("å@exempel.se"), "å***@exempel.se");
        assert_eq!(mask_email("not-an-address"), "***");
        assert_eq!(mask_email("@example.se"), "***@example.se");
    }
}
