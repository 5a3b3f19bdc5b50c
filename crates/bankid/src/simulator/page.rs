//! The HTML page of the virtual app, in Swedish (default) or English (`?lang=en`). It has no
//! external assets and talks to the JSON API next to it (`./app/api/…` relative to the page).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::Simulator;

#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    lang: Option<String>,
    /// Prefills the autostart field and opens the order when the page loads, so that a launch
    /// link can point at the page.
    autostarttoken: Option<String>,
}

/// Texts of the page in one language.
struct PageTexts {
    lang: &'static str,
    other_lang: &'static str,
    other_lang_name: &'static str,
    title: &'static str,
    warning: &'static str,
    open_heading: &'static str,
    auto_start_label: &'static str,
    open_button: &'static str,
    qr_label: &'static str,
    scan_button: &'static str,
    phone_label: &'static str,
    phone_button: &'static str,
    order_heading: &'static str,
    no_order: &'static str,
    identity_heading: &'static str,
    personal_number_label: &'static str,
    given_name_label: &'static str,
    surname_label: &'static str,
    sign_button: &'static str,
    approve_button: &'static str,
    cancel_button: &'static str,
    fail_label: &'static str,
    fail_button: &'static str,
    status_label: &'static str,
    text_label: &'static str,
    required_label: &'static str,
}

const SWEDISH: PageTexts = PageTexts {
    lang: "sv",
    other_lang: "en",
    other_lang_name: "English",
    title: "BankID-simulator – virtuell app",
    warning: "Endast för utveckling och test. Inget här är en riktig BankID-identifiering.",
    open_heading: "Öppna en order",
    auto_start_label: "Autostarttoken",
    open_button: "Öppna",
    qr_label: "QR-kodens innehåll (bankid.…)",
    scan_button: "Skanna",
    phone_label: "Personnummer för telefonorder",
    phone_button: "Öppna telefonorder",
    order_heading: "Order",
    no_order: "Ingen order är öppen.",
    identity_heading: "Identitet",
    personal_number_label: "Personnummer",
    given_name_label: "Förnamn",
    surname_label: "Efternamn",
    sign_button: "Ange säkerhetskod",
    approve_button: "Godkänn",
    cancel_button: "Avbryt",
    fail_label: "Misslyckas med hintkod",
    fail_button: "Misslyckas",
    status_label: "Status",
    text_label: "Text att godkänna",
    required_label: "Kräver personnummer",
};

const ENGLISH: PageTexts = PageTexts {
    lang: "en",
    other_lang: "sv",
    other_lang_name: "Svenska",
    title: "BankID simulator – virtual app",
    warning: "For development and tests only. Nothing here is a real BankID identification.",
    open_heading: "Open an order",
    auto_start_label: "Autostart token",
    open_button: "Open",
    qr_label: "QR code content (bankid.…)",
    scan_button: "Scan",
    phone_label: "Personal number for a phone order",
    phone_button: "Open phone order",
    order_heading: "Order",
    no_order: "No order is open.",
    identity_heading: "Identity",
    personal_number_label: "Personal number",
    given_name_label: "Given name",
    surname_label: "Surname",
    sign_button: "Enter security code",
    approve_button: "Approve",
    cancel_button: "Cancel",
    fail_label: "Fail with hint code",
    fail_button: "Fail",
    status_label: "Status",
    text_label: "Text to approve",
    required_label: "Requires personal number",
};

/// Hint codes offered in the page's failure list.
const FAILURE_HINTS: [&str; 7] = [
    "certificateErr",
    "startFailed",
    "expiredTransaction",
    "userDeclinedCall",
    "notSupportedByUserApp",
    "transactionRiskBlocked",
    "cancelled",
];

pub(crate) async fn app_page(
    simulator: web::Data<Simulator>,
    query: web::Query<PageQuery>,
) -> HttpResponse {
    let texts = match query.lang.as_deref() {
        Some("en") => &ENGLISH,
        _ => &SWEDISH,
    };
    let default_user = &simulator.config().default_user;
    let html = render(
        texts,
        &default_user.personal_number.to_long(),
        &default_user.given_name,
        &default_user.surname,
        query.autostarttoken.as_deref().unwrap_or(""),
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'"))
        .body(html)
}

fn render(
    texts: &PageTexts,
    personal_number: &str,
    given_name: &str,
    surname: &str,
    auto_start_token: &str,
) -> String {
    let failure_options: String = FAILURE_HINTS
        .iter()
        .map(|hint| format!("<option>{hint}</option>"))
        .collect();
    let mut html = TEMPLATE.to_owned();
    let replacements = [
        ("{lang}", texts.lang),
        ("{other_lang}", texts.other_lang),
        ("{other_lang_name}", texts.other_lang_name),
        ("{title}", texts.title),
        ("{warning}", texts.warning),
        ("{open_heading}", texts.open_heading),
        ("{auto_start_label}", texts.auto_start_label),
        ("{open_button}", texts.open_button),
        ("{qr_label}", texts.qr_label),
        ("{scan_button}", texts.scan_button),
        ("{phone_label}", texts.phone_label),
        ("{phone_button}", texts.phone_button),
        ("{order_heading}", texts.order_heading),
        ("{no_order}", texts.no_order),
        ("{identity_heading}", texts.identity_heading),
        ("{personal_number_label}", texts.personal_number_label),
        ("{given_name_label}", texts.given_name_label),
        ("{surname_label}", texts.surname_label),
        ("{sign_button}", texts.sign_button),
        ("{approve_button}", texts.approve_button),
        ("{cancel_button}", texts.cancel_button),
        ("{fail_label}", texts.fail_label),
        ("{fail_button}", texts.fail_button),
        ("{status_label}", texts.status_label),
        ("{text_label}", texts.text_label),
        ("{required_label}", texts.required_label),
        ("{failure_options}", &failure_options),
    ];
    for (placeholder, value) in replacements {
        html = html.replace(placeholder, value);
    }
    // User-controlled values go last and escaped, so they cannot inject placeholders or markup.
    html.replace("{personal_number}", &escape_html(personal_number))
        .replace("{given_name}", &escape_html(given_name))
        .replace("{surname}", &escape_html(surname))
        .replace("{auto_start_token}", &escape_html(auto_start_token))
}

fn escape_html(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            '{' => escaped.push_str("&#123;"),
            other => escaped.push(other),
        }
    }
    escaped
}

const TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 1rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; }
h2 { font-size: 1.1rem; margin-top: 1.5rem; }
.warning { background: #fff4ce; border: 1px solid #c9a400; padding: .5rem; }
label { display: block; margin-top: .5rem; }
input, select { width: 100%; padding: .4rem; box-sizing: border-box; }
button { margin-top: .5rem; padding: .4rem .8rem; }
#order { border: 1px solid #999; padding: .5rem; white-space: pre-wrap; }
#message { color: #a00000; min-height: 1.2rem; }
</style>
</head>
<body>
<p><a href="?lang={other_lang}" lang="{other_lang}">{other_lang_name}</a></p>
<h1>{title}</h1>
<p class="warning">{warning}</p>

<h2>{open_heading}</h2>
<label for="autoStartToken">{auto_start_label}</label>
<input id="autoStartToken" value="{auto_start_token}" autocomplete="off">
<button id="openAutoStart" type="button">{open_button}</button>
<label for="qrCode">{qr_label}</label>
<input id="qrCode" autocomplete="off">
<button id="scanQrCode" type="button">{scan_button}</button>
<label for="phoneNumber">{phone_label}</label>
<input id="phoneNumber" autocomplete="off">
<button id="openPhone" type="button">{phone_button}</button>

<h2>{order_heading}</h2>
<p id="message" role="alert"></p>
<div id="order">{no_order}</div>

<h2>{identity_heading}</h2>
<label for="personalNumber">{personal_number_label}</label>
<input id="personalNumber" value="{personal_number}">
<label for="givenName">{given_name_label}</label>
<input id="givenName" value="{given_name}">
<label for="surname">{surname_label}</label>
<input id="surname" value="{surname}">
<button id="startSigning" type="button">{sign_button}</button>
<button id="approve" type="button">{approve_button}</button>
<button id="cancel" type="button">{cancel_button}</button>
<label for="failHint">{fail_label}</label>
<select id="failHint">{failure_options}</select>
<button id="fail" type="button">{fail_button}</button>

<script>
(function () {
  var api = location.pathname.replace(/\/$/, '') + '/api/';
  var orderRef = null;
  var labels = { status: '{status_label}', text: '{text_label}', required: '{required_label}' };

  function value(id) { return document.getElementById(id).value.trim(); }

  function show(order) {
    orderRef = order.orderRef;
    var lines = [
      'orderRef: ' + order.orderRef + ' (' + order.kind + ')',
      labels.status + ': ' + order.status + (order.hintCode ? ' / ' + order.hintCode : '')
    ];
    if (order.requiredPersonalNumber) { lines.push(labels.required + ': ' + order.requiredPersonalNumber); }
    if (order.userVisibleText) { lines.push(labels.text + ':\n' + order.userVisibleText); }
    document.getElementById('order').textContent = lines.join('\n');
  }

  function call(path, body) {
    document.getElementById('message').textContent = '';
    return fetch(api + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.message || response.statusText); }
        show(data);
      });
    }).catch(function (error) {
      document.getElementById('message').textContent = error.message;
    });
  }

  function identity() {
    return { personalNumber: value('personalNumber'), givenName: value('givenName'), surname: value('surname') };
  }

  function onOrder(action, body) {
    if (!orderRef) { return; }
    call('orders/' + encodeURIComponent(orderRef) + '/' + action, body);
  }

  document.getElementById('openAutoStart').onclick = function () { call('open-auto-start', { autoStartToken: value('autoStartToken') }); };
  document.getElementById('scanQrCode').onclick = function () { call('scan-qr-code', { qrCode: value('qrCode') }); };
  document.getElementById('openPhone').onclick = function () { call('open-phone-order', { personalNumber: value('phoneNumber') }); };
  document.getElementById('startSigning').onclick = function () { onOrder('start-signing', identity()); };
  document.getElementById('approve').onclick = function () { onOrder('approve', identity()); };
  document.getElementById('cancel').onclick = function () { onOrder('cancel', {}); };
  document.getElementById('fail').onclick = function () { onOrder('fail', { hintCode: value('failHint') }); };

  // A link with ?autostarttoken=… opens the order at once, as the real app does.
  if (value('autoStartToken')) { call('open-auto-start', { autoStartToken: value('autoStartToken') }); }
})();
</script>
</body>
</html>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_renders_both_languages() {
        let swedish = render(&SWEDISH, "198112189876", "Tess", "Testsson", "");
        assert!(swedish.contains("<html lang=\"sv\">"));
        assert!(swedish.contains("Godkänn"));
        let english = render(&ENGLISH, "198112189876", "Tess", "Testsson", "");
        assert!(english.contains("<html lang=\"en\">"));
        assert!(english.contains("Approve"));
        assert!(!english.contains("{approve_button}"));
    }

    #[test]
    fn page_escapes_query_values() {
        let html = render(&ENGLISH, "1", "a", "b", "\"><script>{title}");
        assert!(html.contains("&quot;&gt;&lt;script&gt;&#123;title}"));
        assert!(!html.contains("\"><script>"));
    }

    #[test]
    fn page_has_no_external_assets() {
        let html = render(&SWEDISH, "1", "a", "b", "");
        assert!(!html.contains("http://"));
        assert!(!html.contains("https://"));
        assert!(!html.contains(" src="));
    }
}
