// Income from common property in the browser: an owner on a phone goes from home to the funds,
// sees their own building's figures, opens a posted quarter's statement with their building
// marked, and reads their household's fund balance; a committee member enters a spending linked
// to a vote that has not passed and is refused with the reason, then a cost that is booked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, snap, api, assertNoErrors, assertNoHorizontalScroll, PHONE, DESKTOP } from '../lib/browser.mjs';

let server, browser;
before(async () => { [server, browser] = await Promise.all([startServer(), launch()]); });
after(async () => { await browser?.close(); await server?.stop(); });

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
  return response;
}

test('an owner reads their building\'s statement', async (t) => {
  await t.test('from home to the funds, their building first', async () => {
    const owner = await newPage(browser, server.url, PHONE);
    await login(owner, 'owner-13-701');
    await owner.goto('/');
    await submit(owner, owner.locator('#funds-link'));
    const own = owner.locator('#own-13');
    assert.match(await own.innerText(), /13号楼/);
    assert.equal(await owner.locator('#entry-form').count(), 0, 'owners keep no books');
    assert.equal(await owner.locator('#figure-quarters svg').count(), 1);
    const posted = (await (await api(server.url, 'owner-13-701')).get('/funds')).body.quarters;
    const last = posted[posted.length - 1];
    // their building's line of the latest quarter: three months of lift-car adverts
    const row = own.locator('tbody tr', { hasText: last.quarter });
    assert.match(await row.innerText(), /3600\.00/);
    await assertNoHorizontalScroll(owner);
    await snap(owner, 'funds-owner-phone');

    await submit(owner, row.getByRole('link', { name: last.quarter }));
    assert.equal(await owner.locator('#quarter').innerText(), last.quarter);
    assert.equal(await owner.locator('#s-top-up').innerText(), last.top_up);
    assert.equal(await owner.locator('#s-net').innerText(), last.net);
    const mine = owner.locator('#b-13');
    assert.equal(await mine.getAttribute('aria-current'), 'true');
    assert.match(await mine.innerText(), /3600\.00/);
    assert.match(await owner.locator('#posted-on').innerText(), /^\d{4}-\d{2}-\d{2}$/);
    await snap(owner, 'funds-statement-phone');

    await owner.goto('/funds/fund');
    assert.match(await owner.locator('#h-13-701').innerText(), /13-701/);
    assert.equal(await owner.locator('#fb-13').getAttribute('aria-current'), 'true');
    await assertNoHorizontalScroll(owner);
    assertNoErrors(owner);
  });

  await t.test('a committee member is refused spending on an open vote, and books a cost', async () => {
    const member = await newPage(browser, server.url, DESKTOP);
    await login(member, 'owner-2-501');
    await member.goto('/funds/books');
    const path = await (await api(server.url, 'owner-2-501')).matterId('使用公共收益开通北侧停车场围墙通道');
    const form = member.locator('#entry-form');
    await form.locator('#e-account').selectOption('spending');
    await form.locator('#e-amount').fill('800');
    await form.locator('#e-memo').fill('围墙通道定金');
    await form.locator('#e-link').fill(`matter:${path}`);
    await submit(member, form.getByRole('button', { name: '记账' }));
    assert.match(await member.locator('#refused').innerText(), /只有已通过的表决才能授权支出/);
    const form2 = member.locator('#entry-form');
    await form2.locator('#e-account').selectOption('cost:energy');
    await form2.locator('#e-amount').fill('321.45');
    await form2.locator('#e-memo').fill('道闸电费（测试）');
    await submit(member, form2.getByRole('button', { name: '记账' }));
    assert.match(await member.locator('#saved').innerText(), /./);
    assert.match(await member.locator('#journal-table tbody tr').first().innerText(), /道闸电费（测试）/);
    assertNoErrors(member);
  });
});
