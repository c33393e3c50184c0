// axe-core (WCAG 2.x A and AA rules) and a reflow check at 320 px on the later processes' pages
// (corridors, waste duty, the funds, the map and requests; split from a11y.test.mjs so that each file
// stays well inside the per-file timeout on a slow machine), like a11y.test.mjs: the pages owners and the
// committee use, in Chinese and English, normal and large text. Known, explained exceptions live in ../a11y-allowlist.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, PHONE, DESKTOP } from '../lib/browser.mjs';
import { checkPage as check } from '../lib/axe.mjs';

let server, browser;
before(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
});
after(async () => { await browser?.close(); await server?.stop(); });

test('corridor renovation: the rounds, the demo round and its published schedule (staff)', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'staff');
  await page.goto('/corridors');
  await assert.doesNotReject(page.locator('#round-form').waitFor());
  await check(page, 'corridors');
  await page.locator('#rounds a').first().click();
  await assert.doesNotReject(page.locator('#schedules').waitFor());
  await check(page, 'corridor-round');
  await page.locator('#schedule-link').click();
  await assert.doesNotReject(page.locator('#gantt').waitFor());
  await check(page, 'corridor-schedule');
  await page.context().close();
});

test('waste-sorting duty: a volunteer\'s shifts and the organiser\'s roster', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'admin');
  await page.goto('/waste');
  await assert.doesNotReject(page.locator('#roster-form').waitFor());
  await check(page, 'waste');
  await page.goto('/waste/setup');
  await assert.doesNotReject(page.locator('#volunteer-table').waitFor());
  await check(page, 'waste-setup');
  await page.goto('/waste/records');
  await assert.doesNotReject(page.locator('#record-form').waitFor());
  await check(page, 'waste-records');
  await page.locator('#summary-link').click();
  await assert.doesNotReject(page.locator('#station-summary').waitFor());
  await check(page, 'waste-summary');
  await page.context().close();
});

test('the funds: an owner\'s overview, a statement, the fund and the books', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'owner-13-701');
  await page.goto('/funds');
  await assert.doesNotReject(page.locator('#own-13').waitFor());
  await check(page, 'funds');
  await page.locator('#quarter-table tbody a').first().click();
  await assert.doesNotReject(page.locator('#statement').waitFor());
  await check(page, 'funds-statement');
  await page.goto('/funds/fund');
  await assert.doesNotReject(page.locator('#fund-buildings').waitFor());
  await check(page, 'funds-fund');
  await page.context().close();
  const admin = await newPage(browser, server.url, DESKTOP);
  await login(admin, 'admin');
  await admin.goto('/funds/books');
  await assert.doesNotReject(admin.locator('#entry-form').waitFor());
  await check(admin, 'funds-books');
  await admin.goto('/funds/fund');
  await assert.doesNotReject(admin.locator('#contract-form').waitFor({ state: 'attached' }));
  await check(admin, 'funds-fund-director');
  await admin.context().close();
});

test('the walking map, a what-if, drawing, and residents\' requests', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'owner-13-701');
  await page.goto('/map?add_path=south-gap,bin-south&at=07:00');
  await assert.doesNotReject(page.locator('#walk-buildings').waitFor());
  await check(page, 'map-what-if');
  await page.goto('/requests');
  await assert.doesNotReject(page.locator('#request-form').waitFor());
  await check(page, 'requests');
  await page.locator('#public a').first().click();
  await assert.doesNotReject(page.locator('#follow-up').waitFor());
  await check(page, 'request-public');
  await page.context().close();
  const admin = await newPage(browser, server.url, DESKTOP);
  await login(admin, 'admin');
  await admin.goto('/map/edit');
  await assert.doesNotReject(admin.locator('#place-form').waitFor());
  await check(admin, 'map-edit');
  await admin.goto('/requests');
  await admin.locator('#groups tbody a').first().click();
  await assert.doesNotReject(admin.locator('#history').waitFor());
  await check(admin, 'request-handler');
  await admin.goto('/requests/stats');
  await assert.doesNotReject(admin.locator('#response-times').waitFor());
  await check(admin, 'request-stats');
  await admin.context().close();
});
