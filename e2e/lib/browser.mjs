// Headless Chromium (Debian's /usr/bin/chromium through playwright-core), page helpers,
// screenshots under e2e/artifacts/ and a small client for the JSON API.
import { chromium, devices } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import assert from 'node:assert/strict';

export const ARTIFACTS = resolve(import.meta.dirname, '..', 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** A phone: 390×844, touch, mobile user agent (Playwright's iPhone 13 profile driven by Chromium). */
export const PHONE = (() => {
  const { defaultBrowserType, ...d } = devices['iPhone 13'];
  return { ...d, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
})();
export const DESKTOP = { viewport: { width: 1280, height: 900 } };

/**
 * A new browser context (its own cookies) with the page's own JavaScript errors collected:
 * `page.errors` lists uncaught exceptions and console errors; `assertNoErrors(page)` checks it.
 */
export async function newPage(browser, baseURL, options = PHONE) {
  const context = await browser.newContext({ ...options, baseURL, locale: 'zh-CN' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    // failed loads are reported below with their address
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.errors.push(`console.error: ${m.text()}`);
  });
  page.on('response', (r) => {
    // sub-resources (styles, scripts, images) that fail; the browser's own favicon probe is not the app's
    const u = new URL(r.url());
    if (r.status() >= 400 && r.request().resourceType() !== 'document' && u.pathname !== '/favicon.ico') {
      page.errors.push(`${r.status()} for ${r.request().resourceType()} ${u.pathname}`);
    }
  });
  return page;
}

export function assertNoErrors(page) {
  assert.deepEqual(page.errors, [], `JavaScript errors on ${page.url()}`);
}

/** Logs in through the real form; ends on the home page. */
export async function login(page, name, password = 'demo') {
  await page.goto('/login');
  await page.locator('#login').fill(name);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/'),
    page.locator('main form[action="/login"] button[type=submit]').click(),
  ]);
}

/** Opens a matter from the home page by clicking its card's link; returns its id. */
export async function openMatter(page, title) {
  await page.goto('/');
  const link = page.locator('.card h3 a', { hasText: title });
  await assert.doesNotReject(link.waitFor(), `no card for matter ${title} on the home page`);
  await Promise.all([page.waitForURL(/\/matters\/[^/]+$/), link.click()]);
  return new URL(page.url()).pathname.split('/').pop();
}

/**
 * Full-page screenshot into e2e/artifacts/NAME.png. A screenshot is an artifact, not a check: when
 * Chromium cannot capture the full page (it happens on a loaded machine), it tries once more, then
 * takes the viewport.
 */
export async function snap(page, name) {
  const path = resolve(ARTIFACTS, `${name}.png`);
  try {
    await page.screenshot({ path, fullPage: true });
  } catch {
    await new Promise((r) => setTimeout(r, 500));
    try {
      await page.screenshot({ path, fullPage: true });
    } catch (e) {
      console.warn(`snap ${name}: full page failed (${e.message.split('\n')[0]}); taking the viewport`);
      await page.screenshot({ path });
    }
  }
  return path;
}

/** Fails when the page scrolls sideways (something wider than the phone's screen). */
export async function assertNoHorizontalScroll(page, what = page.url()) {
  const wide = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= vw) return null;
    // the innermost elements that stick out, or whose own text (a long unbreakable word) does
    const wide = (e) => e.getBoundingClientRect().right > vw + 1 || e.scrollWidth > e.clientWidth + 1;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((e) => getComputedStyle(e).display !== 'inline' && wide(e) && ![...e.children].some(wide))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : ''}: ${JSON.stringify(e.textContent.trim().slice(0, 80))}`);
    return { vw, scrollWidth: document.documentElement.scrollWidth, culprits };
  });
  assert.equal(wide, null, `${what} scrolls sideways: ${JSON.stringify(wide)}`);
}

/** The JSON API, with a bearer token. */
export async function api(baseURL, login, password = 'demo') {
  const r = await fetch(`${baseURL}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  assert.equal(r.status, 200, `POST /api/v1/session as ${login}: ${r.status} ${await r.clone().text()}`);
  const { token } = await r.json();
  assert.ok(token, 'session answered no token');
  const get = async (path) => {
    const res = await fetch(`${baseURL}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    let body;
    try { body = JSON.parse(text); } catch { body = text; }
    return { status: res.status, body, text };
  };
  return {
    token,
    get,
    async matterId(title) {
      const { status, body } = await get('/matters');
      assert.equal(status, 200);
      const m = body.find((x) => x.title === title);
      assert.ok(m, `no matter titled ${title} in ${JSON.stringify(body.map((x) => x.title))}`);
      return m.id;
    },
    async turnout(id) {
      const { status, body, text } = await get(`/matters/${id}/turnout`);
      assert.equal(status, 200, `turnout: ${text}`);
      return body;
    },
  };
}

/** The demo's matters. */
export const MATTERS = {
  lift: '13号楼加装电梯',
  eVoting: '在业主大会议事规则中采用电子投票',
  path: '使用公共收益开通北侧停车场围墙通道',
};
