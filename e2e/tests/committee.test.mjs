// The committee on a phone: its even seats flagged and its change of term's deadlines shown; the
// director records a meeting that lacks its quorum (it cannot decide: no decision form), then a
// quorate one whose decision five of eight members sign.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, snap, assertNoErrors, assertNoHorizontalScroll, PHONE } from '../lib/browser.mjs';

let server, browser;
before(async () => { [server, browser] = await Promise.all([startServer(), launch()]); });
after(async () => { await browser?.close(); await server?.stop(); });

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
  return response;
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // Shanghai

test('the committee, its change of term, and a meeting without its quorum', async (t) => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'admin');

  await t.test('the committee page flags eight seats and shows the timeline', async () => {
    await page.goto('/');
    await submit(page, page.locator('#committee-link'));
    assert.equal(await page.locator('#seats').innerText(), '8');
    assert.match(await page.locator('#findings').innerText(), /7 或 9/);
    assert.match(await page.locator('#step-report').innerText(), /已于/);
    await assertNoHorizontalScroll(page);
    await snap(page, 'committee-phone');
  });

  await t.test('four of eight present: recorded, not quorate, nothing to decide', async () => {
    await submit(page, page.locator('#meetings-link'));
    await page.locator('#held-on').fill(today());
    const boxes = page.locator('#meeting-form input[name=attendee]');
    for (let i = 0; i < 4; i++) await boxes.nth(i).check();
    await submit(page, page.locator('#meeting-form button[type=submit]'));
    const card = page.locator('#meetings > li').first();
    assert.match(await card.innerText(), /未达到法定人数/);
    assert.equal(await card.locator('form[action$="/decisions"]').count(), 0, 'no decision form');
    await snap(page, 'meeting-no-quorum-phone');
  });

  await t.test('five present: a decision signed by five of eight is adopted, to be posted in 3 days', async () => {
    await page.locator('#held-on').fill(today());
    const boxes = page.locator('#meeting-form input[name=attendee]');
    for (let i = 0; i < 5; i++) await boxes.nth(i).check();
    await submit(page, page.locator('#meeting-form button[type=submit]'));
    const quorate = page.locator('#meetings > li', { hasText: '达到法定人数，可以作出决定' }).first();
    await quorate.locator('summary').click();
    await quorate.locator('input[name=title]').fill('更换3号楼单元门禁');
    const signs = quorate.locator('input[name=signed]');
    for (let i = 0; i < 5; i++) await signs.nth(i).check();
    await submit(page, quorate.locator('form[action$="/decisions"] button[type=submit]'));
    const d = page.locator('.decision', { hasText: '更换3号楼单元门禁' });
    assert.match(await d.innerText(), /通过 \(5\/8\)/);
    assert.match(await d.innerText(), /公告期限/);
    await assertNoHorizontalScroll(page);
    assertNoErrors(page);
  });
});
