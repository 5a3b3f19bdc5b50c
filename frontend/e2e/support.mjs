// Shared harness of the browser tests: a real `incert` server on a fresh SQLite database,
// headless Chromium through playwright-core, mail read from the server's `.eml` files, and
// helpers for the steps that many tests repeat (accounts, login, API calls).
//
// E2E_SERVER_BIN names the server binary (default: target/debug/incert of the repository),
// CHROMIUM the browser (default: /usr/bin/chromium), CHROMEDRIVER its WebDriver server
// (default: /usr/bin/chromedriver). E2E_KEEP_DATA keeps the server's data directory.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const repository = path.resolve(import.meta.dirname, '..', '..');
export const serverBinary =
  process.env.E2E_SERVER_BIN ?? path.join(repository, 'target', 'debug', 'incert');
const webDir = path.join(repository, 'frontend', 'dist');
export const browserBinary = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const driverBinary = process.env.CHROMEDRIVER ?? '/usr/bin/chromedriver';

/** Chromium flags that work as root on a machine without network access. */
export const browserFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PASSWORD = 'Vinter-Sol-2026-e2e';

export const firstPasswordPattern = /(?:engångslösenord är|one-time password is): (\S+)/;
export const loginCodePattern = /^\s*(\d{6})\s*$/m;

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Returns the environment without INCERT_* variables, which the server reads as settings. */
function environmentWithoutIncertSettings() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('INCERT_')),
  );
}

export function uniqueEmail(label) {
  return `${label}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.se`;
}

/** Returns the Luhn check digit of `digits`, as personnummer and organisation numbers use. */
export function luhnCheckDigit(digits) {
  let sum = 0;
  [...digits].forEach((character, index) => {
    const product = Number(character) * (index % 2 === 0 ? 2 : 1);
    sum += Math.floor(product / 10) + (product % 10);
  });
  return (10 - (sum % 10)) % 10;
}

/** Returns a valid 12-digit personnummer with a random date and birth number. */
export function randomPersonnummer() {
  const year = 1940 + Math.floor(Math.random() * 60);
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
  const birthNumber = String(1 + Math.floor(Math.random() * 998)).padStart(3, '0');
  const nine = `${String(year).slice(2)}${month}${day}${birthNumber}`;
  return `${year}${month}${day}${birthNumber}${luhnCheckDigit(nine)}`;
}

/**
 * Returns the input labelled `label` in `scope`. The label may end in the required-field star
 * or in the optional-field marker, "(Frivilligt fält)" or "(Optional)".
 */
export function field(scope, label) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}(\\s*\\*|\\s*\\((Frivilligt fält|Optional)\\))?$`));
}

/**
 * One server with its data directory and one browser, shared by the tests of a file. The
 * first page, `page`, opens with the browser; `newPage` opens more in separate contexts,
 * which have their own cookies like separate browsers.
 */
export class Portal {
  dataDir;
  baseUrl;
  browser;
  context;
  page;
  #server;
  #serverEnvironment;
  #serverLog;
  #pageErrors = [];
  #usedMails = new Set();

  async start() {
    this.dataDir = await mkdtemp(path.join(tmpdir(), 'incert-e2e-'));
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.#serverLog = createWriteStream(path.join(this.dataDir, 'server.log'));
    this.#serverEnvironment = {
      ...environmentWithoutIncertSettings(),
      INCERT_LISTEN: `127.0.0.1:${port}`,
      INCERT_DATA_DIR: this.dataDir,
      INCERT_PUBLIC_URL: this.baseUrl,
      INCERT_WEB_DIR: webDir,
      INCERT_MAIL_TRANSPORT: 'file',
      INCERT_MAIL_POLL_INTERVAL_MS: '100',
      INCERT_LOG_FILTER: 'warn',
    };
    await this.startServer();

    this.browser = await chromium.launch({
      executablePath: browserBinary,
      args: browserFlags,
    });
    this.context = await this.browser.newContext({ acceptDownloads: true });
    this.page = await this.context.newPage();
    this.watch(this.page);
  }

  async stop() {
    await this.browser?.close();
    await this.stopServer();
    this.#serverLog?.end();
    if (process.env.E2E_KEEP_DATA) {
      console.log(`kept the server's data directory ${this.dataDir}`);
    } else if (this.dataDir) {
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }

  /** Starts the server on the port and data directory of this portal, and waits until /healthz responds. */
  async startServer() {
    assert.equal(this.#server, undefined, 'the server is already running');
    const server = spawn(serverBinary, ['serve'], {
      cwd: this.dataDir,
      env: this.#serverEnvironment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout.pipe(this.#serverLog, { end: false });
    server.stderr.pipe(this.#serverLog, { end: false });
    server.on('exit', (code, signal) => this.#serverLog.write(`server exited: ${code ?? signal}\n`));
    this.#server = server;
    await this.#waitForServer(30000);
  }

  /** Stops the server and waits for it to exit, so that requests to it fail. */
  async stopServer() {
    const server = this.#server;
    this.#server = undefined;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
  }

  async #waitForServer(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.baseUrl}/healthz`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await sleep(100);
    }
    throw new Error(`the server did not respond to ${this.baseUrl}/healthz within ${timeoutMs} ms`);
  }

  /** Opens a page in a new browser context, with `options` such as a user agent or viewport. */
  async newPage(options = {}) {
    const context = await this.browser.newContext(options);
    const page = await context.newPage();
    this.watch(page);
    return page;
  }

  /** Records the uncaught errors of `page`, which `assertNoPageErrors` reports. */
  watch(page) {
    page.on('pageerror', (error) => this.#pageErrors.push(String(error)));
  }

  assertNoPageErrors() {
    const errors = this.#pageErrors;
    this.#pageErrors = [];
    assert.deepEqual(errors, [], 'the page threw errors');
  }

  /** Waits for an unread mail to `address` whose text matches `pattern`, and returns the match. */
  async waitForMail(address, pattern, timeoutMs = 15000) {
    const mailDir = path.join(this.dataDir, 'mail');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const names = await readdir(mailDir).catch(() => []);
      for (const name of names.filter((file) => file.endsWith('.eml')).sort()) {
        if (this.#usedMails.has(name)) continue;
        const text = await readFile(path.join(mailDir, name), 'utf8');
        const match = text.match(pattern);
        if (text.includes(address) && match) {
          this.#usedMails.add(name);
          return match;
        }
      }
      await sleep(100);
    }
    throw new Error(`no mail to ${address} matching ${pattern} within ${timeoutMs} ms`);
  }

  /** Sends a JSON request to the API with `token`, and returns the response. */
  async api(method, pathname, token, body) {
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${this.baseUrl}${pathname}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /**
   * Logs `email` in through the API with `password` and the emailed code, and returns the
   * access token, which is restricted to the password change while the first password lasts.
   */
  async apiLogIn(email, password) {
    const login = await this.api('POST', '/api/v1/auth/login', null, { email, password });
    assert.equal(login.status, 200, await login.clone().text());
    const { challenge_id: challengeId } = await login.json();
    const [, code] = await this.waitForMail(email, loginCodePattern);
    const tokens = await this.api('POST', `/api/v1/auth/login/${challengeId}/code`, null, { code });
    assert.equal(tokens.status, 200, await tokens.clone().text());
    return (await tokens.json()).access_token;
  }

  /**
   * Replaces the emailed first password of `email` with `newPassword` through the API, and
   * returns a full access token.
   */
  async replaceFirstPassword(email, firstPassword, newPassword) {
    const restricted = await this.apiLogIn(email, firstPassword);
    const changed = await this.api('PUT', '/api/v1/me/password', restricted, {
      current_password: firstPassword,
      new_password: newPassword,
    });
    assert.equal(changed.status, 200, await changed.clone().text());
    return (await changed.json()).access_token;
  }

  /**
   * Registers a person of other citizenship through the API and sets the password to
   * `PASSWORD`, so that the account is ready for a login in the browser. The account has no
   * open session afterwards.
   */
  async createPerson(label, firstName = 'Test', lastName = 'Person') {
    const email = uniqueEmail(label);
    const registered = await this.api('POST', '/api/v1/registrations/other', null, {
      email,
      birth_date: '1985-05-17',
      first_name: firstName,
      last_name: lastName,
    });
    assert.ok(registered.ok, `registration failed: ${registered.status} ${await registered.text()}`);
    const [, firstPassword] = await this.waitForMail(email, firstPasswordPattern);
    const token = await this.replaceFirstPassword(email, firstPassword, PASSWORD);

    // The password change opened a session. Ending it leaves the browsers' sessions the only
    // ones that Min Sida lists.
    const listed = await this.api('GET', '/api/v1/me/sessions', token);
    assert.equal(listed.status, 200, await listed.clone().text());
    for (const session of await listed.json()) {
      const revoked = await this.api('DELETE', `/api/v1/me/sessions/${session.id}`, token);
      assert.equal(revoked.status, 204, await revoked.clone().text());
    }
    return { email, password: PASSWORD, firstName, lastName };
  }

  /** Creates an administrator with `incert create-staff`, and returns a full access token. */
  async signedInAdministrator() {
    const email = uniqueEmail('administrator');
    const created = spawn(
      serverBinary,
      ['create-staff', '--email', email, '--first-name', 'Ada', '--last-name', 'Admin', '--role', 'administrator'],
      { cwd: this.dataDir, env: this.#serverEnvironment, stdio: 'ignore' },
    );
    const [exitCode] = await once(created, 'exit');
    assert.equal(exitCode, 0, 'incert create-staff failed');
    const [, firstPassword] = await this.waitForMail(email, firstPasswordPattern);
    return this.replaceFirstPassword(email, firstPassword, `${PASSWORD}-staff`);
  }

  /** Logs in on `page` with email and password and returns the login code from the mail. */
  async logInUpToCode(page, email, password) {
    await page.goto(`${this.baseUrl}/logga-in`);
    await field(page, 'E-post').fill(email);
    await field(page, 'Lösenord').fill(password);
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.getByRole('heading', { name: 'Engångskod' }).waitFor();
    const [, code] = await this.waitForMail(email, loginCodePattern);
    return code;
  }

  /** Logs `person` in on `page` with password and emailed code, up to Min Sida. */
  async logIn(page, person) {
    const code = await this.logInUpToCode(page, person.email, person.password);
    await field(page, 'Engångskod').fill(code);
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.getByRole('heading', { name: 'Min Sida' }).waitFor();
  }

  /**
   * Sends `body` to the BankID simulator's virtual app, which acts as the person's BankID
   * app, at `action` (such as `open-auto-start` or `orders/{orderRef}/approve`), and returns
   * the order as the app shows it.
   */
  async virtualApp(action, body = {}) {
    const response = await fetch(`${this.baseUrl}/bankid-sim/app/api/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${action}: ${await response.clone().text()}`);
    return response.json();
  }
}
