// Browser tests of BankID on the same device, the billing details, sessions on several
// browsers, and how pages recover when the server cannot be reached or fails.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Portal,
  field,
  firstPasswordPattern,
  loginCodePattern,
  luhnCheckDigit,
  randomPersonnummer,
  uniqueEmail,
} from './support.mjs';

const portal = new Portal();
let baseUrl;

before(async () => {
  await portal.start();
  ({ baseUrl } = portal);
});

after(() => portal.stop());

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** Launch link for a desktop browser: the BankID program returns to the browser by itself. */
const desktopLaunchLink = new RegExp(`^bankid:///\\?autostarttoken=(${uuid})&redirect=null$`);
/** Launch link for a phone's browser, through BankID's app link. */
const phoneLaunchLink = new RegExp(`^https://app\\.bankid\\.com/\\?autostarttoken=(${uuid})&redirect=null$`);
/** A phone browser's User-Agent. The API picks the launch link by the "Mobi" in it. */
const phoneUserAgent =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';
/** Safari's User-Agent on an iPhone. */
const iphoneSafariUserAgent =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
/** Launch link for Safari on an iPhone: the BankID app opens the page's address when done. */
const iphoneLaunchLink = new RegExp(`^https://app\\.bankid\\.com/\\?autostarttoken=(${uuid})&redirect=([^&]+)$`);

/** Asserts that `text` contains `personnummer` in none of its usual written forms. */
function assertNoPersonnummer(text, personnummer, where) {
  const forms = [
    personnummer,
    personnummer.slice(2),
    `${personnummer.slice(0, 8)}-${personnummer.slice(8)}`,
    `${personnummer.slice(2, 8)}-${personnummer.slice(8)}`,
  ];
  for (const form of forms) {
    assert.ok(!text.includes(form), `${where} contains the personnummer: ${text}`);
  }
}

/** Opens the page's BankID launch link in the virtual app, and returns the link and the order. */
async function openLaunchLink(page, linkPattern) {
  const link = page.getByRole('link', { name: 'Öppna BankID-appen' });
  const href = await link.getAttribute('href');
  assert.match(href, linkPattern);
  const [, autoStartToken] = href.match(linkPattern);
  const order = await portal.virtualApp('open-auto-start', { autoStartToken });
  return { href, order };
}

const swedishPersonnummer = randomPersonnummer();

test('BankID registration on this device', async () => {
  const page = await portal.newPage();
  const requestedUrls = [];
  page.on('request', (request) => requestedUrls.push(request.url()));
  const email = uniqueEmail('this-device');

  await page.goto(`${baseUrl}/registrera`);
  await page.getByLabel('Svenskt medborgarskap').check();
  await field(page, 'Personnummer').fill(swedishPersonnummer);
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await field(page, 'Förnamn').fill('Sten');
  await field(page, 'Efternamn').fill('Enhet');
  await field(page, 'E-post').fill(email);
  await page.getByRole('button', { name: 'Använd BankID på den här enheten' }).click();

  const status = page.locator('#bankid-status');
  await status.filter({ hasText: 'BankID-appen startas' }).waitFor();
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  const { href, order } = await openLaunchLink(page, desktopLaunchLink);
  assertNoPersonnummer(href, swedishPersonnummer, 'the launch link');
  assert.equal(order.kind, 'sign');
  // The order names the entered personnummer, so only its holder can sign.
  assert.equal(order.requiredPersonalNumber, swedishPersonnummer);

  // The status follows the order: the app looks for a BankID on this computer, then prompts
  // for the security code.
  await status.filter({ hasText: 'inget BankID på den här datorn' }).waitFor();
  await portal.virtualApp(`orders/${order.orderRef}/start-signing`);
  await status.filter({ hasText: 'Fortsätt i BankID-appen' }).waitFor();
  await portal.virtualApp(`orders/${order.orderRef}/approve`);

  // After the signature, the first password arrives by mail and the person goes on to log in.
  await page.getByRole('heading', { name: 'Kontot är registrerat' }).waitFor();
  assert.match(await status.innerText(), /Ett e-postmeddelande med ditt första lösenord/);
  const [, firstPassword] = await portal.waitForMail(email, firstPasswordPattern);
  assert.ok(firstPassword.length >= 8);
  await page.getByRole('link', { name: 'Gå till inloggningen' }).click();
  await page.getByRole('heading', { name: 'Logga in', exact: true }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/logga-in');

  assertNoPersonnummer(page.url(), swedishPersonnummer, 'the page address');
  for (const url of requestedUrls) assertNoPersonnummer(url, swedishPersonnummer, 'a request address');
  await page.context().close();
  portal.assertNoPageErrors();
});

test('BankID login on this device from a phone', async () => {
  const phone = await portal.newPage({
    userAgent: phoneUserAgent,
    viewport: { width: 375, height: 667 },
    isMobile: true,
    hasTouch: true,
  });
  const requestedUrls = [];
  phone.on('request', (request) => requestedUrls.push(request.url()));

  await phone.goto(`${baseUrl}/logga-in`);
  await phone.getByRole('button', { name: 'Använd BankID på den här enheten' }).click();

  const status = phone.locator('#bankid-status');
  await status.filter({ hasText: 'BankID-appen startas' }).waitFor();
  const { href, order } = await openLaunchLink(phone, phoneLaunchLink);
  assertNoPersonnummer(href, swedishPersonnummer, 'the launch link');
  assert.equal(order.kind, 'auth');
  await status.filter({ hasText: 'inget BankID på den här enheten' }).waitFor();
  await portal.virtualApp(`orders/${order.orderRef}/approve`, { personalNumber: swedishPersonnummer });

  // The account registered above still has its emailed first password, which the first
  // login must replace.
  await phone.getByRole('heading', { name: 'Ändra lösenord' }).waitFor();
  assert.equal(new URL(phone.url()).pathname, '/andra-losenord');
  assertNoPersonnummer(phone.url(), swedishPersonnummer, 'the page address');
  for (const url of requestedUrls) assertNoPersonnummer(url, swedishPersonnummer, 'a request address');
  await phone.context().close();
  portal.assertNoPageErrors();
});

test('BankID on an iPhone returns to the page', async () => {
  const phone = await portal.newPage({
    userAgent: iphoneSafariUserAgent,
    viewport: { width: 375, height: 667 },
    isMobile: true,
    hasTouch: true,
  });
  await phone.goto(`${baseUrl}/logga-in`);
  await phone.getByRole('button', { name: 'Använd BankID på den här enheten' }).click();

  const status = phone.locator('#bankid-status');
  await status.filter({ hasText: 'BankID-appen startas' }).waitFor();
  const { href, order } = await openLaunchLink(phone, iphoneLaunchLink);
  assert.equal(new URL(href).searchParams.get('redirect'), `${baseUrl}/logga-in`);
  assert.equal(order.kind, 'auth');

  // Safari loads the return address again when the BankID app opens it. The page goes on
  // following the same order, and its launch link still returns to the page.
  await phone.goto(`${baseUrl}/logga-in`);
  await status.filter({ hasText: 'inget BankID på den här enheten' }).waitFor();
  assert.equal(await phone.getByRole('button', { name: 'Logga in', exact: true }).count(), 0);
  const reloadedHref = await phone.getByRole('link', { name: 'Öppna BankID-appen' }).getAttribute('href');
  assert.equal(reloadedHref, href);
  await portal.virtualApp(`orders/${order.orderRef}/approve`, { personalNumber: swedishPersonnummer });

  await phone.getByRole('heading', { name: 'Ändra lösenord' }).waitFor();
  assert.equal(new URL(phone.url()).pathname, '/andra-losenord');

  // The order has ended, so a reload of the login page starts afresh.
  await phone.goto(`${baseUrl}/logga-in`);
  await phone.getByRole('button', { name: 'Använd BankID på den här enheten' }).waitFor();
  await phone.context().close();
  portal.assertNoPageErrors();
});

test('BankID status follows language switch', async () => {
  const page = await portal.newPage();
  await page.goto(`${baseUrl}/logga-in`);
  await page.getByRole('button', { name: 'Använd BankID på den här enheten' }).click();

  const status = page.locator('#bankid-status');
  await status.filter({ hasText: 'BankID-appen startas' }).waitFor();
  const { order } = await openLaunchLink(page, desktopLaunchLink);
  await status.filter({ hasText: 'inget BankID på den här datorn' }).waitFor();
  await portal.virtualApp(`orders/${order.orderRef}/cancel`);
  await page.getByRole('button', { name: 'Börja om med BankID' }).waitFor();
  assert.equal(await status.innerText(), 'Du avbröt åtgärden.');

  // The order has ended and the page no longer polls it, so only the app can translate the
  // message.
  await page.getByRole('button', { name: 'In English' }).click();
  await page.getByRole('button', { name: 'Start BankID again' }).waitFor();
  assert.equal(await status.innerText(), 'You cancelled the action.');
  await page.getByRole('button', { name: 'På svenska' }).click();
  await page.getByRole('button', { name: 'Börja om med BankID' }).waitFor();
  assert.equal(await status.innerText(), 'Du avbröt åtgärden.');
  await page.context().close();
  portal.assertNoPageErrors();
});

/** Returns a valid Swedish organisation number, NNNNNN-NNNN, and one with a wrong check digit. */
function organisationNumbers() {
  const nine = `55${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const check = luhnCheckDigit(nine);
  return {
    valid: `${nine.slice(0, 6)}-${nine.slice(6)}${check}`,
    invalid: `${nine.slice(0, 6)}-${nine.slice(6)}${(check + 1) % 10}`,
  };
}

/** Waits until the app has drawn the frame after the one in progress. */
function nextFrames(page) {
  return page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

/**
 * Opens "Ändra faktureringsuppgifter" from Min Sida, then waits for the stored values to load
 * and for two frames, by which the app has put them in the form.
 */
async function openBillingForm(page) {
  const loaded = page.waitForResponse(
    (response) =>
      new URL(response.url()).pathname === '/api/v1/me/billing' &&
      response.request().method() === 'GET',
  );
  await page
    .getByRole('region', { name: 'Faktureringsadress' })
    .getByRole('link', { name: 'Ändra faktureringsuppgifter' })
    .click();
  await page.getByRole('heading', { name: 'Ändra faktureringsuppgifter' }).waitFor();
  assert.equal((await loaded).status(), 200);
  await nextFrames(page);
}

const organisation = organisationNumbers();
let billingPerson;

test('billing errors shown next to fields', async () => {
  const { page } = portal;
  billingPerson = await portal.createPerson('billing');
  await portal.logIn(page, billingPerson);
  const card = page.getByRole('region', { name: 'Faktureringsadress' });
  await card.getByText('Ingen postadress angiven.').waitFor();
  await openBillingForm(page);

  await page.getByLabel('Faktura via e-post').check();
  await field(page, 'E-postadress (fakturering)').fill('faktura@example.se');
  await field(page, 'Företagsnamn').fill('Kyla & Värme AB');
  await field(page, 'Organisationsnummer').fill(organisation.invalid);
  await field(page, 'Gatuadress').fill('Storgatan 1');
  await field(page, 'Postnummer').fill('1234');
  await field(page, 'Ort').fill('Stockholm');
  await page.getByRole('button', { name: 'Spara' }).click();

  const numberInput = field(page, 'Organisationsnummer');
  const numberError = page.locator('#billing-organisation-number-error');
  await numberError.waitFor();
  assert.equal(await numberError.innerText(), 'Organisationsnumret är ogiltigt. Kontrollera den sista siffran.');
  assert.equal(await numberInput.getAttribute('aria-invalid'), 'true');
  assert.match(await numberInput.getAttribute('aria-describedby'), /\bbilling-organisation-number-error\b/);

  const postalInput = field(page, 'Postnummer');
  const postalError = page.locator('#billing-postal-code-error');
  assert.equal(await postalError.innerText(), 'Ange ett svenskt postnummer med fem siffror.');
  assert.equal(await postalInput.getAttribute('aria-invalid'), 'true');
  assert.match(await postalInput.getAttribute('aria-describedby'), /\bbilling-postal-code-error\b/);

  assert.equal(await field(page, 'Ort').getAttribute('aria-invalid'), null);
  await page.getByRole('alert').getByText('Rätta de markerade fälten och försök igen.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/min-sida/fakturering');

  // The messages follow a language switch, since the app translates the API's codes.
  await page.getByRole('button', { name: 'In English' }).click();
  await numberError.getByText('The organisation number is invalid. Check the last digit.').waitFor();
  assert.equal(await postalError.innerText(), 'Enter a Swedish postal code of five digits.');
  await page.getByRole('button', { name: 'På svenska' }).click();
  await numberError.getByText('Organisationsnumret är ogiltigt.', { exact: false }).waitFor();
  portal.assertNoPageErrors();
});

test('billing details kept after reload', async () => {
  const { page } = portal;
  // Typed without separators, which the API adds.
  await field(page, 'Organisationsnummer').fill(organisation.valid.replace('-', ''));
  await field(page, 'Postnummer').fill('11122');
  await page.getByRole('button', { name: 'Spara' }).click();

  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  const card = page.getByRole('region', { name: 'Faktureringsadress' });
  const address = card.locator('address');
  await address.getByText('Storgatan 1').waitFor();

  await page.reload();

  await address.getByText('Storgatan 1').waitFor();
  const lines = await address.innerText();
  assert.match(lines, /Kyla & Värme AB/);
  assert.ok(lines.includes(organisation.valid), `${organisation.valid} missing from ${lines}`);
  assert.match(lines, /111 22 Stockholm/);
  assert.match(await card.innerText(), /Faktura via e-post\s+Ja/);
  assert.match(await card.innerText(), /faktura@example\.se/);

  await openBillingForm(page);
  assert.equal(await field(page, 'Ort').inputValue(), 'Stockholm');
  assert.equal(await field(page, 'Företagsnamn').inputValue(), 'Kyla & Värme AB');
  assert.ok(await page.getByLabel('Faktura via e-post').isChecked());
  portal.assertNoPageErrors();
});

test('server error on save offers retry', async () => {
  const { page } = portal;
  await field(page, 'Ort').fill('Göteborg');
  await field(page, 'Postnummer').fill('411 01');
  await page.route('**/api/v1/me/billing', (route) => {
    if (route.request().method() !== 'PUT') return route.fallback();
    return route.fulfill({
      status: 500,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Internt fel',
        status: 500,
        code: 'internal_error',
      }),
    });
  });
  await page.getByRole('button', { name: 'Spara' }).click();

  const banner = page.getByRole('alert').filter({ hasText: 'Ett fel uppstod hos IncertOnline.' });
  await banner.waitFor();
  const retry = banner.getByRole('button', { name: 'Försök igen' });
  assert.ok(await retry.isVisible());
  assert.equal(new URL(page.url()).pathname, '/min-sida/fakturering');

  await page.unroute('**/api/v1/me/billing');
  await retry.click();
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  await page.getByRole('region', { name: 'Faktureringsadress' }).getByText('Göteborg').waitFor();
  portal.assertNoPageErrors();
});

test('failed load on Min Sida offers retry', async () => {
  const { page } = portal;
  await page.route('**/api/v1/me/billing', (route) => route.abort('connectionrefused'));
  await page.goto(`${baseUrl}/min-sida`);

  const card = page.getByRole('region', { name: 'Faktureringsadress' });
  const failure = card.getByRole('alert');
  await failure.getByText('Det gick inte att nå IncertOnline.', { exact: false }).waitFor();
  await page.locator('#details-name', { hasText: 'Test Person' }).waitFor();

  await page.unroute('**/api/v1/me/billing');
  await failure.getByRole('button', { name: 'Försök igen' }).click();
  await card.locator('address').getByText('Göteborg').waitFor();
  assert.equal(await failure.count(), 0);
  portal.assertNoPageErrors();
});

/**
 * Holds back the responses to the page's GET requests for `pattern` until the returned
 * function is called.
 */
async function holdBackGet(page, pattern) {
  let release;
  const released = new Promise((resolve) => {
    release = resolve;
  });
  await page.route(pattern, async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    await released;
    return route.fallback();
  });
  return release;
}

test('billing form waits for stored details', async () => {
  const { page } = portal;
  const release = await holdBackGet(page, '**/api/v1/me/billing');
  await page
    .getByRole('region', { name: 'Faktureringsadress' })
    .getByRole('link', { name: 'Ändra faktureringsuppgifter' })
    .click();
  await page.getByRole('heading', { name: 'Ändra faktureringsuppgifter' }).waitFor();
  await page.getByText('Hämtar …').waitFor();
  // Nothing can be typed while the details are on their way.
  assert.equal(await page.locator('main input').count(), 0);

  release();
  const city = field(page, 'Ort');
  await city.waitFor();
  assert.equal(await city.inputValue(), 'Göteborg');
  assert.equal(await field(page, 'Företagsnamn').inputValue(), 'Kyla & Värme AB');
  await page.unroute('**/api/v1/me/billing');

  // Invoices by post need an address. The message about the missing address describes the
  // street, postal code and city inputs.
  await page.getByLabel('Faktura via e-post').uncheck();
  for (const label of ['Gatuadress', 'Postnummer', 'Ort']) {
    await field(page, label).fill('');
  }
  await page.getByRole('button', { name: 'Spara' }).click();
  const addressError = page.locator('#billing-address-error');
  await addressError.waitFor();
  assert.equal(
    await addressError.innerText(),
    'Fakturan skickas med post, så ange gatuadress, postnummer och ort.',
  );
  for (const label of ['Gatuadress', 'Postnummer', 'Ort']) {
    const input = field(page, label);
    assert.equal(await input.getAttribute('aria-invalid'), 'true', label);
    assert.match(await input.getAttribute('aria-describedby'), /\bbilling-address-error\b/, label);
  }
  assert.equal(await field(page, 'Referens').getAttribute('aria-invalid'), null);
  assert.equal(new URL(page.url()).pathname, '/min-sida/fakturering');

  await page.getByRole('link', { name: 'Avbryt' }).click();
  await page.getByRole('region', { name: 'Faktureringsadress' }).getByText('Göteborg').waitFor();
  portal.assertNoPageErrors();
});

test('details form waits for stored details', async () => {
  const { page } = portal;
  const release = await holdBackGet(page, '**/api/v1/me');
  await page.getByRole('link', { name: 'Ändra uppgifter' }).click();
  await page.getByRole('heading', { name: 'Ändra uppgifter' }).waitFor();
  // Nothing can be typed while the details are on their way.
  assert.equal(await page.locator('main input').count(), 0);
  await page.getByText('Hämtar …').waitFor();

  release();
  const firstName = field(page, 'Förnamn');
  await firstName.waitFor();
  assert.equal(await firstName.inputValue(), 'Test');
  assert.equal(await field(page, 'Efternamn').inputValue(), 'Person');
  await page.unroute('**/api/v1/me');

  await firstName.fill('Tessa');
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  await page.locator('#details-name', { hasText: 'Tessa Person' }).waitFor();
  portal.assertNoPageErrors();
});

test('login retried after server outage', async () => {
  const person = await portal.createPerson('outage');
  const page = await portal.newPage();
  await page.goto(`${baseUrl}/logga-in`);
  await field(page, 'E-post').fill(person.email);
  await field(page, 'Lösenord').fill(person.password);

  const banner = page.getByRole('alert').filter({ hasText: 'Det gick inte att nå IncertOnline.' });
  const retry = banner.getByRole('button', { name: 'Försök igen' });
  await portal.stopServer();
  try {
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await retry.waitFor();
    assert.ok(await page.getByRole('heading', { name: 'Logga in', exact: true }).isVisible());
  } finally {
    await portal.startServer();
  }

  await retry.click();
  await page.getByRole('heading', { name: 'Engångskod' }).waitFor();
  assert.equal(await banner.count(), 0);
  const [, code] = await portal.waitForMail(person.email, loginCodePattern);
  await field(page, 'Engångskod').fill(code);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  await page.context().close();
  portal.assertNoPageErrors();
});

/** Waits until the page shows the login form, as the page guard does for a visitor. */
async function waitForLoginPage(page) {
  try {
    await page.waitForURL((url) => url.pathname === '/logga-in', { timeout: 10000 });
  } catch {
    const shown = await page.locator('main').innerText();
    assert.fail(`${page.url()} did not lead to the login page, it shows: ${shown}`);
  }
  await page.getByRole('heading', { name: 'Logga in', exact: true }).waitFor();
}

test('revoked session ends other browser', async () => {
  const person = await portal.createPerson('sessions');
  const first = await portal.newPage();
  const second = await portal.newPage();
  await portal.logIn(first, person);
  await portal.logIn(second, person);

  const sessions = second.getByRole('region', { name: 'Inloggade enheter' }).locator('ul.sessions > li');
  await sessions.nth(1).waitFor();
  assert.equal(await sessions.count(), 2);
  assert.equal(await sessions.filter({ hasText: 'Den här enheten.' }).count(), 1);
  await second.getByRole('button', { name: 'Logga ut enheten' }).click();
  await second.getByRole('button', { name: 'Logga ut enheten' }).waitFor({ state: 'detached' });
  assert.equal(await sessions.count(), 1);

  // The first browser still has an access token of the ended session.
  await first.getByRole('link', { name: 'Ändra uppgifter' }).click();
  await waitForLoginPage(first);

  // The second browser's own session goes on.
  await second.reload();
  await second.getByRole('heading', { name: 'Min Sida' }).waitFor();
  await Promise.all([first.context().close(), second.context().close()]);
  portal.assertNoPageErrors();
});

test('log out everywhere ends every session', async () => {
  const person = await portal.createPerson('everywhere');
  const first = await portal.newPage();
  const second = await portal.newPage();
  await portal.logIn(first, person);
  await portal.logIn(second, person);

  await second.getByRole('button', { name: 'Logga ut överallt' }).click();
  await waitForLoginPage(second);

  await first.reload();
  await waitForLoginPage(first);
  await second.reload();
  await waitForLoginPage(second);
  await Promise.all([first.context().close(), second.context().close()]);
  portal.assertNoPageErrors();
});

test('logout not undone by reload', async () => {
  const person = await portal.createPerson('logout');
  const page = await portal.newPage();
  await portal.logIn(page, person);
  const signedInCookies = await page.context().cookies();
  const refreshCookie = signedInCookies.find((cookie) => cookie.name === 'incert_refresh');
  assert.ok(refreshCookie, 'the login set no refresh cookie');
  assert.ok(refreshCookie.httpOnly, 'the refresh cookie is readable by scripts');

  const loggedOut = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/api/v1/auth/logout',
  );
  await page.getByRole('button', { name: 'Logga ut', exact: true }).click();
  await page.getByRole('heading', { name: 'Välkommen till IncertOnline' }).waitFor();
  assert.equal((await loggedOut).status(), 204);
  const remaining = await page.context().cookies();
  assert.equal(remaining.find((cookie) => cookie.name === 'incert_refresh'), undefined);
  await page.reload();
  await page.getByRole('heading', { name: 'Välkommen till IncertOnline' }).waitFor();
  const navigation = page.getByRole('navigation', { name: 'Huvudmeny' });
  await navigation.getByRole('link', { name: 'Logga in' }).waitFor();
  assert.equal(await navigation.getByRole('link', { name: 'Min Sida' }).count(), 0);
  await page.goto(`${baseUrl}/min-sida`);
  await waitForLoginPage(page);

  // The server ended the session too: its refresh cookie, put back, opens nothing.
  const replay = await portal.newPage();
  await replay.context().addCookies(signedInCookies);
  await replay.goto(`${baseUrl}/min-sida`);
  await waitForLoginPage(replay);
  await Promise.all([page.context().close(), replay.context().close()]);
  portal.assertNoPageErrors();
});
