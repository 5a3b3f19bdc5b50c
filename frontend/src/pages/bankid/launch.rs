//! The link that opens the BankID app on the device that shows the page, and where the app
//! returns when the person is done.
//!
//! The API builds the link for the kind of device that the request's User-Agent names, with
//! `redirect=null`. On a phone, BankID's app link `https://app.bankid.com/` then starts the
//! app, and the `redirect` parameter names the address the app opens when the order ends.
//! On Android the app goes back to the browser by itself when it closes, and an address
//! would open a new tab, so the link keeps `null` there. On iOS the app opens the address
//! in Safari, whichever browser started it. The page therefore passes its own address only
//! from Safari on iOS, and keeps the order in `sessionStorage` (see [`super::resume`]) so
//! that the page picks it up again when Safari reloads it.
//!
//! Sources: BankID's sample web client (github.com/BankID/SampleCode, `client/README.md` and
//! `OpenMobileApp.jsx`) passes the return address and names Safari on iOS. The launcher of
//! ActiveLogin.Authentication (`BankIdLauncher.cs`) keeps `null` on Android, after BankID's
//! guidelines, and expects Safari on iOS to reload the page on the return.
//!
//! NOTE: no real phone has run this. The browser tests only send an iPhone's User-Agent.

/// Start of BankID's app link, the form of launch link the API gives phones and tablets.
const APP_LINK: &str = "https://app.bankid.com/";

/// Tokens in the User-Agent of iOS browsers other than Safari. The BankID app would open
/// the return address in Safari, away from the tab that follows the order.
const OTHER_IOS_BROWSERS: [&str; 6] = ["CriOS", "FxiOS", "EdgiOS", "OPiOS", "OPT/", "GSA/"];

/// Returns the address the BankID app should open when the person is done, or `None` when
/// the link should keep `redirect=null`: `page_address` for Safari on an iPhone, iPad or
/// iPod touch, `None` elsewhere.
///
/// NOTE: an iPad whose Safari requests desktop sites sends a Mac User-Agent without "Mobi".
/// The API then gives it the desktop link, so the person switches back by hand there.
pub fn return_address(user_agent: &str, page_address: &str) -> Option<String> {
    let ios = ["iPhone", "iPad", "iPod"]
        .iter()
        .any(|device| user_agent.contains(device));
    let safari = user_agent.contains("Safari/")
        && !OTHER_IOS_BROWSERS
            .iter()
            .any(|browser| user_agent.contains(browser));
    (ios && safari).then(|| page_address.to_owned())
}

/// Returns `link` with its `redirect` parameter set to `return_address`, percent-encoded.
/// A link that is not BankID's app link is returned unchanged, because the desktop program
/// returns to the browser by itself.
pub fn with_return_address(link: &str, return_address: &str) -> String {
    let Some(query) = link
        .strip_prefix(APP_LINK)
        .and_then(|rest| rest.strip_prefix('?'))
    else {
        return link.to_owned();
    };
    let encoded = String::from(js_sys::encode_uri_component(return_address));
    let parameters: Vec<String> = query
        .split('&')
        .filter(|parameter| !parameter.starts_with("redirect="))
        .map(str::to_owned)
        .chain([format!("redirect={encoded}")])
        .collect();
    format!("{APP_LINK}?{}", parameters.join("&"))
}

/// Returns the launch link to show for the API's `link` on this page.
pub fn launch_link_for_page(link: &str) -> String {
    let page_address = web_sys::window()
        .and_then(|window| window.location().href().ok())
        .unwrap_or_default();
    match return_address(&user_agent(), &page_address) {
        Some(address) => with_return_address(link, &address),
        None => link.to_owned(),
    }
}

/// Returns the browser's User-Agent, or an empty text when it cannot be read.
pub fn user_agent() -> String {
    web_sys::window()
        .and_then(|window| window.navigator().user_agent().ok())
        .unwrap_or_default()
}
