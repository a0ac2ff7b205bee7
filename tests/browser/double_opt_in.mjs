// The double opt-in as a person does it, in headless Debian chromium against the real optin
// binary that run.sh started: form → mail → confirm page → confirmed → unsubscribe → done.
// Environment: OPTIN_BASE_URL, OPTIN_MAIL_DIR, OPTIN_ADMIN_TOKEN, SCREENSHOT_DIR.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.OPTIN_BASE_URL;
const mailDir = process.env.OPTIN_MAIL_DIR;
const adminToken = process.env.OPTIN_ADMIN_TOKEN;
const shots = process.env.SCREENSHOT_DIR;
const email = 'browser.test@example.org';

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

async function waitFor(what, fn, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The confirmation link from the newest .eml (file names follow the random Message-ID, so go by
// modification time; quoted-printable soft breaks and =3D undone).
function confirmLinkFromMail() {
  const files = readdirSync(mailDir).filter((f) => f.endsWith('.eml'))
    .map((f) => ({ f, t: statSync(join(mailDir, f)).mtimeMs })).sort((a, b) => a.t - b.t);
  if (files.length === 0) return null;
  const raw = readFileSync(join(mailDir, files.at(-1).f), 'utf8');
  const text = raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
  const match = text.match(/https?:\/\/[^\s"<>]+\/confirm\?token=[A-Za-z0-9_-]+/);
  return match ? match[0] : null;
}

async function expectText(page, text) {
  const body = await page.locator('body').innerText();
  if (!body.includes(text)) fail(`page ${page.url().split('?')[0]} lacks "${text}"`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, name), fullPage: true });
}

const started = Date.now();
const profile = mkdtempSync(join(tmpdir(), 'optin-chromium-'));
mkdirSync(shots, { recursive: true });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 800, height: 640 },
  locale: 'de-DE',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());

  // 1. The signup form of the default list (German).
  const form = await page.goto(`${base}/form/newsletter`);
  if (form.status() !== 200) fail(`GET /form/newsletter answered ${form.status()}`);
  await expectText(page, 'E-Mail-Adresse');
  // The honeypot sits off-screen (not display:none, which some bots detect).
  const honeypotOnScreen = await page.locator('#website').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.right > 0 && r.bottom > 0 && r.left < window.innerWidth && r.width > 1;
  });
  if (honeypotOnScreen) fail('the honeypot field is on screen');
  await page.fill('#email', email);
  await page.fill('#name', 'Browser Test');
  await shot(page, '1-form.png');
  await Promise.all([page.waitForURL(/\/subscribed/), page.click('button[type=submit]')]);
  await expectText(page, 'Bitte prüfen Sie Ihr Postfach');

  // 2. The confirmation mail and its link: a page with a button that changes nothing yet.
  const link = await waitFor('the confirmation mail', confirmLinkFromMail);
  if (!link.startsWith(base)) fail(`confirmation link does not start with ${base}`);
  await page.goto(link);
  await expectText(page, 'Anmeldung bestätigen');
  await shot(page, '2-confirm.png');
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  await page.waitForFunction(() => document.body.innerText.includes('Ihre Anmeldung ist bestätigt'));
  await shot(page, '3-confirmed.png');

  // 3. The unsubscribe link, as CleverReach gets it.
  const admin = await fetch(`${base}/admin/subscribers?email=${encodeURIComponent(email)}`, {
    headers: { Authorization: `Bearer ${adminToken}` },
  });
  if (admin.status !== 200) fail(`GET /admin/subscribers answered ${admin.status}`);
  const doc = await admin.json();
  if (doc.subscriptions[0].status !== 'confirmed') fail(`status is ${doc.subscriptions[0].status}, not confirmed`);
  await page.goto(doc.subscriptions[0].unsubscribe_url);
  await expectText(page, 'Jetzt abmelden');
  await shot(page, '4-unsubscribe.png');
  await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  await page.waitForFunction(() => document.body.innerText.includes('Sie sind abgemeldet'));
  await shot(page, '5-unsubscribed.png');

  const after = await (await fetch(`${base}/admin/subscribers?email=${encodeURIComponent(email)}`, {
    headers: { Authorization: `Bearer ${adminToken}` },
  })).json();
  if (after.subscriptions[0].status !== 'unsubscribed') fail(`status is ${after.subscriptions[0].status} after unsubscribing`);
  console.log(`browser double opt-in passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
