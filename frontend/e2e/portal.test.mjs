// End-to-end tests of the web app in headless Chromium, against a real `incert` server on a
// fresh SQLite database. Mail goes to `.eml` files under the server's data directory, where
// the tests read passwords and codes. support.mjs starts both and names the settings.
//
// Run with `node --test e2e/` from `frontend/` after `make web` and a build of the server.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  PASSWORD,
  Portal,
  browserBinary,
  browserFlags,
  driverBinary,
  field as labelledField,
  firstPasswordPattern,
  freePort,
  randomPersonnummer,
  uniqueEmail,
} from './support.mjs';

const portal = new Portal();
let baseUrl;
let page;

before(async () => {
  await portal.start();
  ({ baseUrl, page } = portal);
});

after(() => portal.stop());

/** Returns the input labelled `label` on the shared page. */
function field(label) {
  return labelledField(page, label);
}

function assertNoPageErrors() {
  portal.assertNoPageErrors();
}

function waitForMail(address, pattern, timeoutMs) {
  return portal.waitForMail(address, pattern, timeoutMs);
}

function logInUpToCode(email, password) {
  return portal.logInUpToCode(page, email, password);
}

function api(method, pathname, token, body) {
  return portal.api(method, pathname, token, body);
}

function signedInAdministrator() {
  return portal.signedInAdministrator();
}

const person = { email: uniqueEmail('other'), firstName: 'Test', lastName: 'Person' };

test('other citizenship through first application', async () => {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('heading', { name: 'Välkommen till IncertOnline' }).waitFor();
  await page.getByRole('main').getByRole('link', { name: 'Registrera konto' }).click();

  await page.getByRole('heading', { name: 'Registrera personkonto' }).waitFor();
  await page.getByLabel('Annat medborgarskap').check();
  await field('E-post').fill(person.email);
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await field('Födelsedatum').fill('1980-01-01');
  await field('Förnamn').fill(person.firstName);
  await field('Efternamn').fill(person.lastName);
  await page.getByRole('button', { name: 'Skapa användare' }).click();
  await page.getByRole('heading', { name: 'Titta i din e-post' }).waitFor();
  const [, firstPassword] = await waitForMail(person.email, firstPasswordPattern);

  await page.getByRole('link', { name: 'Gå till inloggningen' }).click();
  const code = await logInUpToCode(person.email, firstPassword);
  await field('Engångskod').fill(code);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();

  await page.getByRole('heading', { name: 'Ändra lösenord' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/andra-losenord');
  await page.getByText('Innehåller minst en siffra.').waitFor();
  await field('Nuvarande lösenord').fill(firstPassword);
  await field('Nytt lösenord').fill(PASSWORD);
  await page.locator('meter#password-strength').waitFor();
  await field('Nytt lösenord (igen)').fill(PASSWORD);
  await page.getByRole('button', { name: 'Spara' }).click();

  await page.getByRole('heading', { name: 'Ditt lösenord har ändrats' }).waitFor();
  await page.getByRole('link', { name: 'Gå vidare till Min Sida' }).click();
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  await assert.doesNotReject(
    page.locator('#details-name', { hasText: 'Test Person' }).waitFor(),
  );

  await page.getByRole('link', { name: 'Ansök om nytt certifikat' }).click();
  await page.getByRole('heading', { name: 'Ansök om nytt certifikat' }).waitFor();
  const areas = page.getByRole('group', { name: 'Teknikområde' }).getByRole('radio');
  await areas.first().check();
  const types = page.getByRole('group', { name: 'Certifikatstyp' }).getByRole('radio');
  await types.first().check();
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await page.getByRole('heading', { name: 'Bekräfta ansökan' }).waitFor();
  await page.getByRole('button', { name: 'Skicka ansökan' }).click();
  await page.getByText('Ansökan är mottagen.').waitFor();

  await page.getByRole('link', { name: 'Gå vidare till Min Sida' }).click();
  const applications = page.locator('table.applications');
  await applications.locator('td.state', { hasText: 'Mottagen' }).waitFor();
  assert.equal(await applications.locator('tbody tr').count(), 1);
  assertNoPageErrors();
});

test('wrong code shown next to field', async () => {
  const code = await logInUpToCode(person.email, PASSWORD);
  const wrong = code === '000000' ? '111111' : '000000';

  const codeInput = field('Engångskod');
  await codeInput.fill(wrong);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();

  const message = page.locator('#login-code-error');
  await message.waitFor();
  assert.match(await message.innerText(), /Koden stämmer inte/);
  assert.equal(await codeInput.getAttribute('aria-invalid'), 'true');
  assert.match(await codeInput.getAttribute('aria-describedby'), /\blogin-code-error\b/);

  await codeInput.fill(code);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  assertNoPageErrors();
});

test('reload keeps the session', async () => {
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();

  await page.reload();

  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  await page.locator('#details-email', { hasText: person.email }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/min-sida');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  assert.doesNotMatch(stored, /eyJ|refresh|token/i, 'a token was stored in web storage');
  assertNoPageErrors();
});

test('language switch survives reload', async () => {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('heading', { name: 'Välkommen till IncertOnline' }).waitFor();

  await page.getByRole('button', { name: 'In English' }).click();

  await page.getByRole('heading', { name: 'Welcome to IncertOnline' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.reload();
  await page.getByRole('heading', { name: 'Welcome to IncertOnline' }).waitFor();
  await page.getByRole('link', { name: 'My page' }).click();
  await page.getByRole('heading', { name: 'My page' }).waitFor();
  await page.getByRole('heading', { name: 'My applications' }).waitFor();
  await page.locator('table.applications td.state', { hasText: 'Received' }).waitFor();
  await page.getByText('No certificates to show.').waitFor();

  await page.getByRole('button', { name: 'På svenska' }).click();
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('incert.language')), 'sv');
  assertNoPageErrors();
});

/**
 * Collects the QR code data of the BankID order polls whose path matches `pattern`, and
 * returns the list with a function that stops collecting.
 */
function collectQrCodes(pattern) {
  const qrCodes = [];
  const onResponse = async (response) => {
    if (!pattern.test(new URL(response.url()).pathname)) return;
    const body = await response.json().catch(() => null);
    if (body?.qr_data) qrCodes.push(body.qr_data);
  };
  page.on('response', onResponse);
  return { qrCodes, stop: () => page.off('response', onResponse) };
}

/**
 * Waits for the page's status region and the QR code, then approves the order in the BankID
 * simulator's virtual app by scanning the newest QR code, as `personalNumber` when given.
 */
async function approveShownQrCode(qrCodes, personalNumber) {
  const qr = page.getByRole('img', { name: 'QR-kod för BankID-appen' });
  await qr.waitFor();
  const status = page.locator('#bankid-status');
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  const deadline = Date.now() + 10000;
  while (qrCodes.length === 0 && Date.now() < deadline) await sleep(100);
  assert.ok(qrCodes.length > 0, 'the page polled no QR code data');

  const app = `${baseUrl}/bankid-sim/app/api`;
  const scanned = await fetch(`${app}/scan-qr-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ qrCode: qrCodes.at(-1) }),
  });
  assert.equal(scanned.status, 200, await scanned.clone().text());
  const { orderRef } = await scanned.json();
  const approved = await fetch(`${app}/orders/${orderRef}/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(personalNumber ? { personalNumber } : {}),
  });
  assert.equal(approved.status, 200, await approved.clone().text());
}

const swedishPersonnummer = randomPersonnummer();

test('BankID registration on another device', async () => {
  const email = uniqueEmail('swedish');
  const { qrCodes, stop } = collectQrCodes(/\/api\/v1\/registrations\/swedish\/[^/]+$/);
  // The register link is shown only to visitors, so this test logs out first.
  await page.getByRole('button', { name: 'Logga ut', exact: true }).click();
  await page.getByRole('heading', { name: 'Välkommen till IncertOnline' }).waitFor();

  await page.goto(`${baseUrl}/registrera`);
  await page.getByLabel('Svenskt medborgarskap').check();
  await field('Personnummer').fill(swedishPersonnummer);
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await field('Förnamn').fill('Svea');
  await field('Efternamn').fill('Bank');
  await field('E-post').fill(email);
  await page.getByRole('button', { name: 'Använd BankID på en annan enhet' }).click();

  await approveShownQrCode(qrCodes);

  await page.getByRole('heading', { name: 'Kontot är registrerat' }).waitFor();
  const [, firstPassword] = await waitForMail(email, firstPasswordPattern);
  assert.ok(firstPassword.length >= 8);
  stop();
  assertNoPageErrors();
});

test('BankID login on another device', async () => {
  const { qrCodes, stop } = collectQrCodes(/\/api\/v1\/auth\/bankid\/[^/]+$/);
  await page.goto(`${baseUrl}/logga-in`);
  await page.getByRole('heading', { name: 'Logga in med BankID' }).waitFor();
  await page.getByRole('button', { name: 'Använd BankID på en annan enhet' }).click();

  await approveShownQrCode(qrCodes, swedishPersonnummer);

  // The account registered above still has its emailed first password, so the session is
  // restricted to changing it.
  await page.getByRole('heading', { name: 'Ändra lösenord' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/andra-losenord');
  stop();
  await page.getByRole('button', { name: 'Logga ut', exact: true }).click();
  await page.getByRole('heading', { name: 'Välkommen till IncertOnline' }).waitFor();
  assertNoPageErrors();
});

test('approved application shows as certificate', async () => {
  const administrator = await signedInAdministrator();
  const typeCode = `E2E-DOC-${Date.now() % 100000}`;
  const created = await api('POST', '/api/v1/admin/certificate-types', administrator, {
    code: typeCode,
    technical_area: 'refrigerants',
    name_sv: 'Testcertifikat för webben',
    name_en: 'Web test certificate',
    holder_kind: 'person',
    exam_parts: ['document_review'],
    validity_years: 5,
    annual_renewal: true,
    price_sek: 1200,
  });
  assert.equal(created.status, 201, await created.clone().text());

  const code = await logInUpToCode(person.email, PASSWORD);
  await field('Engångskod').fill(code);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  await page.getByRole('link', { name: 'Ansök om nytt certifikat' }).click();
  await page.getByRole('group', { name: 'Teknikområde' }).getByRole('radio').first().waitFor();
  await page.getByRole('radio', { name: 'Köldmedier', exact: true }).check();
  await page.getByLabel(/^Testcertifikat för webben/).check();
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await page.getByRole('button', { name: 'Skicka ansökan' }).click();
  await page.getByText('Ansökan är mottagen.').waitFor();

  const listed = await api(
    'GET',
    `/api/v1/admin/applications?certificate_type=${typeCode}&state=received`,
    administrator,
  );
  assert.equal(listed.status, 200, await listed.clone().text());
  const { items } = await listed.json();
  assert.equal(items.length, 1);
  const approved = await api(
    'POST',
    `/api/v1/admin/applications/${items[0].application.id}/approve`,
    administrator,
    {},
  );
  assert.equal(approved.status, 201, await approved.clone().text());
  const { number } = await approved.json();

  await page.getByRole('link', { name: 'Gå vidare till Min Sida' }).click();
  const table = page.locator('table.certificates');
  const row = table.locator('tbody tr', { hasText: number });
  await row.waitFor();
  assert.match(await row.innerText(), /Testcertifikat för webben/);
  assert.match(await row.innerText(), /Giltig/);
  await page.locator('table.applications td.state', { hasText: 'Godkänd' }).waitFor();

  await field('Gruppera på').selectOption('status');
  await page.getByRole('heading', { name: 'Giltig', level: 3 }).waitFor();
  await page.getByLabel('Sök certifikat').fill('no-such-certificate');
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
  await page.getByText('Inga certifikat att visa.').waitFor();
  await page.getByLabel('Sök certifikat').fill(number);
  await page.getByRole('button', { name: 'Sök', exact: true }).click();
  await row.waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Ladda ner ${number} som PDF` }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${number}.pdf`);
  const saved = await readFile(await download.path());
  assert.equal(saved.subarray(0, 5).toString('latin1'), '%PDF-');
  assertNoPageErrors();
});

test('email change with emailed code', async () => {
  await page.goto(`${baseUrl}/min-sida`);
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  await page.getByRole('link', { name: 'Byt e-postadress' }).click();
  await page.getByRole('heading', { name: 'Byt e-postadress' }).waitFor();
  const newEmail = uniqueEmail('moved');

  await field('Ny e-postadress').fill(newEmail);
  await field('Nuvarande lösenord').fill('Fel-lösenord-1');
  await page.getByRole('button', { name: 'Skicka kod' }).click();
  const passwordError = page.locator('#email-password-error');
  await passwordError.waitFor();
  assert.equal(await passwordError.innerText(), 'Det nuvarande lösenordet stämmer inte.');

  await field('Nuvarande lösenord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Skicka kod' }).click();
  const [, code] = await waitForMail(newEmail, /^\s*(\d{8})\s*$/m);
  await field('Engångskod').fill(code);
  await page.getByRole('button', { name: 'Spara' }).click();

  await page.locator('#details-email', { hasText: newEmail }).waitFor();
  person.email = newEmail;
  assertNoPageErrors();
});

test('forgotten password replaced with emailed code', async () => {
  await page.getByRole('button', { name: 'Logga ut', exact: true }).click();
  await page.getByRole('heading', { name: 'Välkommen till IncertOnline' }).waitFor();
  await page.goto(`${baseUrl}/logga-in`);
  await page.getByRole('link', { name: 'Glömt lösenord?' }).click();
  await page.getByRole('heading', { name: 'Glömt lösenord' }).waitFor();
  await field('E-post').fill(person.email);
  await page.getByRole('button', { name: 'Skicka kod' }).click();
  const [, code] = await waitForMail(person.email, /^\s*(\d{8})\s*$/m);

  const newPassword = 'Host-Regn-2027-e2e';
  await field('Kod från e-postmeddelandet').fill(code);
  await field('Nytt lösenord').fill(newPassword);
  await page.locator('meter#password-strength').waitFor();
  await field('Nytt lösenord (igen)').fill(`${newPassword}x`);
  await page.getByText('Lösenorden är inte lika.').waitFor();
  await field('Nytt lösenord (igen)').fill(newPassword);
  await page.getByRole('button', { name: 'Spara nytt lösenord' }).click();
  await page.getByText('Lösenordet är bytt. Logga in med ditt nya lösenord.').waitFor();

  const loginCode = await logInUpToCode(person.email, newPassword);
  await field('Engångskod').fill(loginCode);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  assertNoPageErrors();
});

/** Sends a WebDriver command to chromedriver at `driverUrl` and returns its `value`. */
async function webDriver(driverUrl, method, pathname, body) {
  const response = await fetch(`${driverUrl}${pathname}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reply = await response.json();
  assert.equal(response.status, 200, `${method} ${pathname}: ${JSON.stringify(reply)}`);
  return reply.value;
}

/**
 * Polls the text of the first element matching `selector` until it equals `expected`, and
 * returns the WebDriver id of that element.
 */
async function waitForWebDriverText(driverUrl, sessionId, selector, expected) {
  // The key of a web element reference, fixed by the W3C WebDriver standard.
  const elementKey = 'element-6066-11e4-a52e-4f735466cecf';
  const deadline = Date.now() + 15000;
  let text;
  while (Date.now() < deadline) {
    const found = await webDriver(driverUrl, 'POST', `/session/${sessionId}/elements`, {
      using: 'css selector',
      value: selector,
    });
    if (found.length > 0) {
      text = await webDriver(driverUrl, 'GET', `/session/${sessionId}/element/${found[0][elementKey]}/text`);
      if (text === expected) return found[0][elementKey];
    }
    await sleep(100);
  }
  assert.equal(text, expected, `text of ${selector}`);
}

test('start page through chromedriver', async () => {
  const port = await freePort();
  const driverUrl = `http://127.0.0.1:${port}`;
  const profile = await mkdtemp(path.join(tmpdir(), 'incert-e2e-profile-'));
  const driver = spawn(driverBinary, [`--port=${port}`], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 15000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      ready = await fetch(`${driverUrl}/status`)
        .then((response) => response.json())
        .then((status) => status.value.ready === true)
        .catch(() => false);
      if (!ready) await sleep(100);
    }
    assert.ok(ready, `chromedriver did not start on ${driverUrl}`);

    const { sessionId } = await webDriver(driverUrl, 'POST', '/session', {
      capabilities: {
        alwaysMatch: {
          'goog:chromeOptions': {
            binary: browserBinary,
            args: ['--headless', ...browserFlags, `--user-data-dir=${profile}`],
          },
        },
      },
    });
    try {
      // A fresh profile has no stored language, so the app starts in Swedish.
      await webDriver(driverUrl, 'POST', `/session/${sessionId}/url`, { url: `${baseUrl}/` });
      await waitForWebDriverText(driverUrl, sessionId, 'main h1', 'Välkommen till IncertOnline');

      const switchButton = await waitForWebDriverText(
        driverUrl,
        sessionId,
        'button.language-switch',
        'In English',
      );
      await webDriver(driverUrl, 'POST', `/session/${sessionId}/element/${switchButton}/click`, {});
      await waitForWebDriverText(driverUrl, sessionId, 'main h1', 'Welcome to IncertOnline');
    } finally {
      await webDriver(driverUrl, 'DELETE', `/session/${sessionId}`);
    }
  } finally {
    driver.kill('SIGTERM');
    await rm(profile, { recursive: true, force: true });
  }
});
