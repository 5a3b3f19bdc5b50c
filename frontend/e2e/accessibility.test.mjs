// Accessibility checks in headless Chromium: labels, errors tied to their inputs, live
// regions for status messages, a keyboard-only login and a phone-sized Min Sida.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PASSWORD,
  Portal,
  field,
  firstPasswordPattern,
  loginCodePattern,
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

/**
 * Returns the visible inputs, selects and text areas of the page, each with its accessible
 * label text from `<label>`, `aria-label` or `aria-labelledby`.
 */
function visibleInputLabels(scope) {
  return scope.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea')]
      .filter((element) => element.type !== 'hidden' && element.checkVisibility())
      .map((element) => {
        const fromLabels = [...(element.labels ?? [])].map((label) => label.textContent);
        const fromIds = (element.getAttribute('aria-labelledby') ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .map((id) => document.getElementById(id)?.textContent ?? '');
        const label = [...fromLabels, element.getAttribute('aria-label') ?? '', ...fromIds]
          .join(' ')
          .trim();
        return { input: element.id || element.outerHTML, label };
      }),
  );
}

/** Asserts that the page shows `expectedCount` inputs and that each has a label. */
async function assertInputsLabelled(where, expectedCount) {
  const inputs = await visibleInputLabels(page);
  assert.equal(inputs.length, expectedCount, `${where}: inputs ${JSON.stringify(inputs)}`);
  for (const { input, label } of inputs) {
    assert.notEqual(label, '', `${where}: ${input} has no label`);
  }
}

/**
 * Checks that every visible field error is named by the `aria-describedby` of an input with
 * `aria-invalid="true"`, and every invalid input points at a shown error. Returns the ids of
 * the invalid inputs, sorted.
 */
async function invalidInputsWithTiedErrors(where) {
  const report = await page.evaluate(() => {
    const describedIds = (element) =>
      (element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    const invalid = [...document.querySelectorAll('[aria-invalid="true"]')];
    const errors = [...document.querySelectorAll('.field-error')].filter((error) =>
      error.checkVisibility(),
    );
    return {
      errors: errors.map((error) => ({
        id: error.id,
        text: error.textContent.trim(),
        describes: invalid.filter((input) => describedIds(input).includes(error.id)).length,
      })),
      invalid: invalid.map((input) => ({
        id: input.id,
        errorTexts: describedIds(input)
          .map((id) => document.getElementById(id))
          .filter((element) => element?.classList.contains('field-error'))
          .map((element) => element.textContent.trim()),
      })),
    };
  });
  for (const error of report.errors) {
    assert.notEqual(error.id, '', `${where}: the error "${error.text}" has no id`);
    assert.ok(error.describes > 0, `${where}: no invalid input names the error "${error.text}"`);
  }
  for (const input of report.invalid) {
    assert.ok(
      input.errorTexts.some((text) => text !== ''),
      `${where}: ${input.id} is invalid but describes no error`,
    );
  }
  return report.invalid.map((input) => input.id).sort();
}

const person = {
  email: uniqueEmail('accessible'),
  password: null,
};

test('inputs labelled on registration and login', async () => {
  await page.goto(`${baseUrl}/registrera`);
  await page.getByRole('heading', { name: 'Registrera personkonto' }).waitFor();
  await assertInputsLabelled('registration start', 2);

  await page.getByLabel('Svenskt medborgarskap').check();
  await assertInputsLabelled('Swedish registration', 3);
  await field(page, 'Personnummer').fill('199001011234');
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await field(page, 'Förnamn').waitFor();
  // Radios, personnummer, names, email, calling code and mobile number.
  await assertInputsLabelled('Swedish registration details', 8);

  await page.getByLabel('Annat medborgarskap').check();
  await field(page, 'E-post').fill(person.email);
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await field(page, 'Födelsedatum').waitFor();
  // Radios, email, birth date, names, calling code and mobile number.
  await assertInputsLabelled('other registration details', 8);

  await page.goto(`${baseUrl}/logga-in`);
  await page.getByRole('heading', { name: 'Logga in', exact: true }).waitFor();
  await assertInputsLabelled('login', 2);
  portal.assertNoPageErrors();
});

test('registration errors tied to fields', async () => {
  await page.goto(`${baseUrl}/registrera`);
  await page.getByLabel('Annat medborgarskap').check();
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await page.locator('#register-email-error').waitFor();
  assert.deepEqual(await invalidInputsWithTiedErrors('empty email'), ['register-email']);

  await field(page, 'E-post').fill(person.email);
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await field(page, 'Mobilnummer').fill('12');
  await page.getByRole('button', { name: 'Skapa användare' }).click();
  await page.locator('#register-first-name-error').waitFor();
  assert.deepEqual(await invalidInputsWithTiedErrors('empty details'), [
    'register-birth-date',
    'register-first-name',
    'register-last-name',
    'register-mobile',
  ]);

  // The corrected form creates the account that the later tests log in with.
  await field(page, 'Födelsedatum').fill('1990-02-03');
  await field(page, 'Förnamn').fill('Tilda');
  await field(page, 'Efternamn').fill('Tangent');
  await field(page, 'Mobilnummer').fill('');
  await page.getByRole('button', { name: 'Skapa användare' }).click();
  await page.getByRole('heading', { name: 'Titta i din e-post' }).waitFor();
  assert.deepEqual(await invalidInputsWithTiedErrors('sent'), []);
  portal.assertNoPageErrors();
});

test('status messages in polite live regions', async () => {
  const [, firstPassword] = await portal.waitForMail(person.email, firstPasswordPattern);
  person.password = firstPassword;

  // A login with BankID: the status region stays in place while its text changes, so that
  // screen readers announce each change.
  await page.goto(`${baseUrl}/logga-in`);
  await page.getByRole('button', { name: 'Använd BankID på en annan enhet' }).click();
  const status = page.locator('#bankid-status');
  await page.getByRole('img', { name: 'QR-kod för BankID-appen' }).waitFor();
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  const region = await status.elementHandle();
  const pendingText = await status.innerText();
  await page.getByRole('button', { name: 'Avbryt' }).click();
  await page.getByRole('button', { name: 'Börja om med BankID' }).waitFor();
  assert.ok(await region.evaluate((element) => element.isConnected), 'the status region was replaced');
  assert.notEqual(await region.innerText(), pendingText);
  await region.dispose();

  // The Engångskod step: its message that the code was sent.
  const code = await portal.logInUpToCode(page, person.email, person.password);
  await assertInputsLabelled('login code', 1);
  const sent = page.getByText(`Vi har skickat en engångskod till ${person.email}.`, { exact: false });
  const inLiveRegion = await sent.evaluate(
    (element) => element.closest('[aria-live="polite"], [role="status"]') !== null,
  );
  assert.ok(inLiveRegion, 'the code-sent message is not in a polite live region');

  // The first login continues to the password change, whose inputs the next test checks.
  await field(page, 'Engångskod').fill(code);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.getByRole('heading', { name: 'Ändra lösenord' }).waitFor();
  portal.assertNoPageErrors();
});

test('password change labelled with tied errors', async () => {
  await page.getByRole('heading', { name: 'Ändra lösenord' }).waitFor();
  await assertInputsLabelled('password change', 3);

  await field(page, 'Nuvarande lösenord').fill('Fel-lösenord-1');
  await field(page, 'Nytt lösenord').fill(PASSWORD);
  await field(page, 'Nytt lösenord (igen)').fill(`${PASSWORD}x`);
  await page.locator('#password-again-error').waitFor();
  assert.deepEqual(await invalidInputsWithTiedErrors('passwords differ'), ['password-again']);

  await field(page, 'Nytt lösenord (igen)').fill(PASSWORD);
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.locator('#password-current-error').waitFor();
  assert.deepEqual(await invalidInputsWithTiedErrors('wrong current password'), ['password-current']);

  await field(page, 'Nuvarande lösenord').fill(person.password);
  await page.getByRole('button', { name: 'Spara' }).click();
  await page.getByRole('heading', { name: 'Ditt lösenord har ändrats' }).waitFor();
  person.password = PASSWORD;
  await page.getByRole('button', { name: 'Logga ut', exact: true }).click();
  await page.getByRole('heading', { name: 'Välkommen till IncertOnline' }).waitFor();
  portal.assertNoPageErrors();
});

/** Returns the id, or else the text, of the element that has the keyboard focus. */
function focused() {
  return page.evaluate(() => {
    const element = document.activeElement;
    return element?.id || element?.textContent?.trim() || element?.tagName;
  });
}

/** Presses Tab until the element `id` has the focus, at most `limit` times. */
async function tabTo(id, limit = 15) {
  const visited = [];
  for (let presses = 0; presses < limit; presses += 1) {
    await page.keyboard.press('Tab');
    const current = await focused();
    if (current === id) return;
    visited.push(current);
  }
  assert.fail(`Tab did not reach #${id}; it visited ${JSON.stringify(visited)}`);
}

test('login with the keyboard only', async () => {
  await page.goto(`${baseUrl}/logga-in`);
  await page.getByRole('heading', { name: 'Logga in', exact: true }).waitFor();

  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'Hoppa till innehållet');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'main');

  await tabTo('login-email');
  await page.keyboard.type(person.email);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'login-password');
  await page.keyboard.type(person.password);
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'Engångskod' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'login-code');
  const [, code] = await portal.waitForMail(person.email, loginCodePattern);
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  portal.assertNoPageErrors();
});

/**
 * Asserts that the page is no wider than the window, so that it does not scroll sideways. The
 * failure lists the innermost elements past the window's right edge, which may include
 * elements that a scroll container clips.
 */
async function assertNoHorizontalScroll(scope, where) {
  const { overflow, elements } = await scope.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const outside = [...document.body.querySelectorAll('*')].filter(
      (element) => element.getBoundingClientRect().right > width + 0.5,
    );
    const innermost = outside.filter((element) => !outside.some((other) => other !== element && element.contains(other)));
    return {
      overflow: document.documentElement.scrollWidth - width,
      elements: innermost.slice(0, 5).map((element) => element.outerHTML.slice(0, 120)),
    };
  });
  assert.equal(overflow, 0, `${where} scrolls sideways by ${overflow} px: ${elements.join('\n')}`);
}

test('Min Sida fits a phone screen', async () => {
  const phone = await portal.newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
  await portal.logIn(phone, person);

  // Long values that a narrow layout must wrap.
  const billing = phone.getByRole('region', { name: 'Faktureringsadress' });
  await billing.getByRole('link', { name: 'Ändra faktureringsuppgifter' }).click();
  await field(phone, 'Företagsnamn').waitFor();
  await phone.getByLabel('Faktura via e-post').check();
  await field(phone, 'E-postadress (fakturering)').fill('leverantorsreskontra.avdelningen.for.fakturor@example.se');
  await field(phone, 'Företagsnamn').fill('Kyl- och Värmepumpsinstallationsföretaget i Norrland Aktiebolag');
  await field(phone, 'Gatuadress').fill('Långa Industrivägen 123');
  await field(phone, 'Postnummer').fill('111 22');
  await field(phone, 'Ort').fill('Stockholm');
  await assertNoHorizontalScroll(phone, 'the billing form');
  await phone.getByRole('button', { name: 'Spara' }).click();
  await phone.getByRole('heading', { name: 'Min Sida' }).waitFor();

  await phone.getByRole('link', { name: 'Ansök om nytt certifikat' }).click();
  await phone.getByRole('group', { name: 'Teknikområde' }).getByRole('radio').first().check();
  await phone.getByRole('group', { name: 'Certifikatstyp' }).getByRole('radio').first().check();
  await phone.getByRole('button', { name: 'Fortsätt' }).click();
  await phone.getByRole('button', { name: 'Skicka ansökan' }).click();
  await phone.getByText('Ansökan är mottagen.').waitFor();
  await phone.getByRole('link', { name: 'Gå vidare till Min Sida' }).click();

  await phone.locator('table.applications tbody tr').waitFor();
  await billing.getByText('leverantorsreskontra', { exact: false }).waitFor();
  await phone.getByRole('region', { name: 'Inloggade enheter' }).locator('ul.sessions > li').first().waitFor();
  await assertNoHorizontalScroll(phone, 'Min Sida');
  await phone.context().close();
  portal.assertNoPageErrors();
});
