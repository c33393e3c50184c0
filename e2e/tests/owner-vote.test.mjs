// An owner votes on a phone: logs in, opens the open compound-wide matter, approves, keeps the
// receipt; coming back shows the ballot as cast and the published receipts list carries it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  launch, newPage, login, openMatter, snap, api, assertNoErrors, assertNoHorizontalScroll, PHONE, MATTERS,
} from '../lib/browser.mjs';

let server, browser;
before(async () => { [server, browser] = await Promise.all([startServer(), launch()]); });
after(async () => { await browser?.close(); await server?.stop(); });

test('owner-13-701 votes approve on a phone and gets a receipt; a second visit shows the vote', async (t) => {
  const page = await newPage(browser, server.url, PHONE);
  const owner = await api(server.url, 'owner-13-701');
  let id, receipt, before;

  await t.test('logs in on the phone and sees the matters', async () => {
    await login(page, 'owner-13-701');
    await assert.doesNotReject(page.locator('.card h3 a', { hasText: MATTERS.eVoting }).waitFor());
    for (const title of Object.values(MATTERS)) {
      assert.equal(await page.locator('.card h3 a', { hasText: title }).count(), 1, `a card for ${title}`);
    }
    await assertNoHorizontalScroll(page);
    await snap(page, 'owner-home-phone');
  });

  await t.test('opens the open matter and sees a ballot for unit 13-701', async () => {
    id = await openMatter(page, MATTERS.eVoting);
    await assert.doesNotReject(page.locator('h1', { hasText: MATTERS.eVoting }).waitFor());
    assert.match(await page.locator('.badge').first().innerText(), /投票中/);
    const form = page.locator(`form[action="/matters/${id}/vote"]`);
    assert.equal(await form.count(), 1, 'one ballot form');
    assert.match(await form.locator('legend').innerText(), /13-701/);
    for (const v of ['approve', 'oppose', 'abstain']) {
      assert.equal(await form.locator(`input[type=radio][name=choice][value=${v}]`).count(), 1, `radio ${v}`);
    }
    assert.ok((await page.locator('.bar').count()) >= 2, 'turnout bars (area and headcount)');
    await assertNoHorizontalScroll(page);
    await snap(page, 'owner-matter-open-phone');
    before = await owner.turnout(id);
  });

  await t.test('taps 同意 and submits; the receipt is shown', async () => {
    const form = page.locator(`form[action="/matters/${id}/vote"]`);
    await form.locator('label.choice', { hasText: '同意' }).tap();
    assert.ok(await form.locator('input[value=approve]').isChecked(), 'tapping the label checks 同意');
    await Promise.all([
      page.waitForURL(`**/matters/${id}/vote`),
      form.getByLabel('我已核对表决意见').check().then(() => form.getByRole('button', { name: '提交表决票' }).tap()),
    ]);
    await assert.doesNotReject(page.getByRole('heading', { name: '表决票已记录' }).waitFor());
    receipt = (await page.locator('#receipt').innerText()).trim();
    assert.match(receipt, /^\S{6,}$/, `a receipt code, got ${JSON.stringify(receipt)}`);
    assert.match(await page.locator('main').innerText(), /13-701/);
    await assertNoHorizontalScroll(page);
    await snap(page, 'owner-voted-phone');
  });

  await t.test('the turnout counts one more owner, and only one', async () => {
    const after = await owner.turnout(id);
    assert.equal(after.participating.owners, before.participating.owners + 1);
    assert.ok(Number(after.participating.area) > Number(before.participating.area), 'participating area rises');
  });

  await t.test('a second visit shows the unit as voted, with the same receipt, and no second ballot', async () => {
    await page.goto(`/matters/${id}`);
    const voted = page.locator('main p.ok', { hasText: '已投票' });
    await assert.doesNotReject(voted.waitFor());
    assert.match(await voted.innerText(), /13-701/);
    assert.equal((await voted.locator('.receipt').innerText()).trim(), receipt);
    const canChange = (await owner.get(`/matters/${id}`)).body.allow_change;
    if (!canChange) {
      assert.equal(await page.locator(`form[action="/matters/${id}/vote"]`).count(), 0, 'no ballot form after voting');
    }
    await assertNoHorizontalScroll(page);
    await snap(page, 'owner-matter-voted-phone');
  });

  await t.test('home now lists the vote under what they have done, not under what still needs them', async () => {
    await page.goto('/');
    const done = page.locator(`#done a[href="/matters/${id}"]`);
    assert.equal(await done.count(), 1, 'one entry for this vote');
    assert.match(await done.innerText(), /^已投票（13-701）：/);
    assert.equal(await page.locator(`#tasks a[href="/matters/${id}"]`).count(), 0, 'no longer a task');
    await assertNoHorizontalScroll(page);
    await snap(page, 'owner-home-done-phone');
  });

  await t.test('the published receipts list carries the receipt', async () => {
    await page.goto(`/matters/${id}/receipts`);
    assert.ok((await page.locator('main').innerText()).includes(receipt), 'receipt listed');
    await snap(page, 'owner-receipts-phone');
  });

  assertNoErrors(page);
  await page.context().close();
});
