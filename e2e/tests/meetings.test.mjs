// The compound's meetings on a phone: the director (an attendee) corrects last month's joint
// meeting's draft minutes and locks them, records a resolution and follows it to the vote it led
// to; an owner reads the outcome.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, snap, api, assertNoErrors, assertNoHorizontalScroll, PHONE, MATTERS } from '../lib/browser.mjs';

let server, browser;
before(async () => { [server, browser] = await Promise.all([startServer(), launch()]); });
after(async () => { await browser?.close(); await server?.stop(); });

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
  return response;
}

const day = (offset) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

test('a joint meeting\'s resolution followed to its outcome', async (t) => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'admin');
  const pathId = await (await api(server.url, 'admin')).matterId(MATTERS.path);

  await t.test('the list shows what is still open, the overdue one flagged', async () => {
    await page.goto('/meetings');
    const open = page.locator('#open-resolutions li');
    assert.equal(await open.count(), 2);
    assert.equal(await page.locator('#open-resolutions li.late').count(), 1);
    await assertNoHorizontalScroll(page);
    await snap(page, 'compound-meetings-phone');
  });

  await t.test('an attendee corrects the draft minutes, then they are locked', async () => {
    await submit(page, page.locator('#compound-meetings a', { hasText: '三方联席会议' }));
    assert.match(await page.locator('#minutes-status').innerText(), /草稿/);
    await page.locator('#x-body').fill('第一项应为“延长至 21:00，周末至 22:00”。');
    await submit(page, page.locator('#correction-form button'));
    assert.match(await page.locator('#minutes-status').innerText(), /已更正/);
    assert.match(await page.locator('#corrections').innerText(), /周末至 22:00/);
    await submit(page, page.locator('#lock-form button'));
    assert.match(await page.locator('#minutes-status').innerText(), /已定稿/);
    assert.equal(await page.locator('#correction-form').count(), 0, 'final: no more corrections');
  });

  await t.test('a resolution is recorded and followed to the vote it led to', async () => {
    await page.locator('#add-resolution summary').click();
    const form = page.locator('#resolution-form');
    await form.locator('#r-body').fill('南侧便道方案提交业主大会表决');
    await form.locator('#r-assignee').fill('业委会主任');
    await form.locator('#r-due').fill(day(7));
    await submit(page, form.locator('button'));
    const card = page.locator('#resolutions li', { hasText: '南侧便道方案提交业主大会表决' });
    assert.match(await card.locator('.res-status').innerText(), /进行中/);
    await card.locator('summary').click();
    await card.locator('select[name=status]').selectOption('done');
    await card.locator('input[name=note]').fill('已开始投票');
    await card.locator('input[name=matter_id]').fill(pathId);
    await submit(page, card.locator('button[type=submit]'));
    const done = page.locator('#resolutions li', { hasText: '南侧便道方案提交业主大会表决' });
    assert.match(await done.locator('.res-status').innerText(), /已完成/);
    assert.equal(await done.locator(`a[href="/matters/${pathId}"]`).count(), 1);
    await snap(page, 'resolution-followed-phone');
  });

  await t.test('an owner reads the outcome and cannot change it', async () => {
    const owner = await newPage(browser, server.url, PHONE);
    await login(owner, 'owner-13-701');
    await owner.goto('/meetings');
    await submit(owner, owner.locator('#compound-meetings a', { hasText: '三方联席会议' }));
    const done = owner.locator('#resolutions li', { hasText: '南侧便道方案提交业主大会表决' });
    assert.match(await done.innerText(), /已开始投票/);
    assert.equal(await owner.locator('#resolution-form, #minutes-form, #lock-form').count(), 0);
    assertNoErrors(owner);
    assertNoErrors(page);
  });
});
