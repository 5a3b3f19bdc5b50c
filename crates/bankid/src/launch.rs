//! Links that start the BankID app on the same device as the browser.

/// Kind of device the user's browser runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceKind {
    /// A desktop or laptop computer.
    Desktop,
    /// A phone or tablet.
    Mobile,
}

/// Builds the link that starts the BankID app with `auto_start_token`.
///
/// On mobile devices the link is `https://app.bankid.com/?autostarttoken=…&redirect=…`, and the
/// app opens `return_url` when the user is done (`redirect=null` when there is none). On
/// desktops it is `bankid:///?autostarttoken=…&redirect=null`, because the BankID program
/// returns to the browser by itself.
pub fn launch_link(auto_start_token: &str, device: DeviceKind, return_url: Option<&str>) -> String {
    let token = percent_encode(auto_start_token);
    match device {
        DeviceKind::Mobile => {
            let redirect = return_url
                .filter(|url| !url.is_empty())
                .map_or_else(|| "null".to_owned(), percent_encode);
            format!("https://app.bankid.com/?autostarttoken={token}&redirect={redirect}")
        }
        DeviceKind::Desktop => format!("bankid:///?autostarttoken={token}&redirect=null"),
    }
}

/// Percent-encodes every byte except the RFC 3986 unreserved characters.
fn percent_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "46d7fcfa-bd2f-4a77-8ac0-4b7e19a1e1a3";

    #[test]
    fn mobile_link_encodes_return_url() {
        assert_eq!(
            launch_link(
                TOKEN,
                DeviceKind::Mobile,
                Some("https://incert.example/login?state=a b&x=1#done")
            ),
            format!(
                "https://app.bankid.com/?autostarttoken={TOKEN}&redirect=https%3A%2F%2Fincert.example%2Flogin%3Fstate%3Da%20b%26x%3D1%23done"
            )
        );
    }

    #[test]
    fn mobile_link_without_return_url_uses_null() {
        assert_eq!(
            launch_link(TOKEN, DeviceKind::Mobile, None),
            format!("https://app.bankid.com/?autostarttoken={TOKEN}&redirect=null")
        );
        assert_eq!(
            launch_link(TOKEN, DeviceKind::Mobile, Some("")),
            format!("https://app.bankid.com/?autostarttoken={TOKEN}&redirect=null")
        );
    }

    #[test]
    fn desktop_link_ignores_return_url() {
        assert_eq!(
            launch_link(TOKEN, DeviceKind::Desktop, Some("https://incert.example/")),
            format!("bankid:///?autostarttoken={TOKEN}&redirect=null")
        );
    }

    #[test]
    fn non_ascii_is_encoded_as_utf8() {
        assert_eq!(percent_encode("å/"), "%C3%A5%2F");
    }
}
