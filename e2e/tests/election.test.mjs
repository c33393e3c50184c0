// The committee's election in the browser: an owner nominates themself on a phone; the director
// drafts the election from the eligible candidates (an even number of seats is refused with the
// rule), posts its notice and opens it; the owner ticks the names they approve; the director
// closes it and the result notice names each candidate's counts and the rule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, snap, assertNoErrors, assertNoHorizontalScroll, PHONE, DESKTOP } from '../lib/browser.mjs';

let server, browser;
before(async () => { [server, browser] = await Promise.all([startServer(), launch()]); });
after(async () => { await browser?.close(); await server?.stop(); });

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
  return response;
}

const day = (offset) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);

test('a nomination, then the election counted and posted', async (t) => {
  const owner = await newPage(browser, server.url, PHONE);
  const admin = await newPage(browser, server.url, DESKTOP);
  let id;

  await t.test('an owner nominates themself and sees the eligibility check', async () => {
    await login(owner, 'owner-13-701');
    await owner.goto('/committee');
    await submit(owner, owner.locator('#candidates-link'));
    assert.match(await owner.locator('#candidates').innerText(), /物业服务企业/, 'the barred nominee says why');
    const form = owner.locator('#nominate-form');
    assert.notEqual(await form.locator('#c-name').inputValue(), '', 'their own name is offered');
    assert.equal(await form.locator('#c-unit').inputValue(), '13-701');
    await form.locator('#c-prof').fill('建筑设计师');
    await form.getByLabel('已签署履职承诺书').check();
    await form.locator('#c-statement').fill('愿意参与楼道粉刷和加装电梯的协调。');
    await submit(owner, form.getByRole('button', { name: '提名候选人' }));
    const mine = owner.locator('#candidates > li', { hasText: '13-701' });
    assert.match(await mine.innerText(), /自荐/);
    assert.match(await mine.innerText(), /符合候选人条件/);
    await assertNoHorizontalScroll(owner);
    await snap(owner, 'candidates-phone');
  });

  await t.test('the director drafts the election: eight seats refused, seven drafted', async () => {
    await login(admin, 'admin');
    await admin.goto('/committee/candidates');
    const form = admin.locator('#election-form');
    await form.locator('#e-title').fill('第六届业主委员会选举');
    await form.locator('#e-seats').fill('8');
    await form.locator('#e-alternates').fill('1');
    await form.locator('#e-to').fill(day(20));
    await submit(admin, form.getByRole('button', { name: '组织选举' }));
    assert.match(await admin.locator('#refused').innerText(), /7 或 9/);
    const again = admin.locator('#election-form');
    await again.locator('#e-title').fill('第六届业主委员会选举');
    await again.locator('#e-seats').fill('7');
    await again.locator('#e-alternates').fill('1');
    await again.locator('#e-to').fill(day(20));
    await submit(admin, again.getByRole('button', { name: '组织选举' }));
    id = new URL(admin.url()).pathname.split('/').pop();
    assert.equal(await admin.locator('#slate li').count(), 10, 'nine of the demo and the new owner');
    await submit(admin, admin.locator(`form[action="/matters/${id}/notice"] button`));
    // as the days passing would: the notice has stood its seven days
    server.sql('UPDATE matters SET notice_at = ? WHERE id = ?', Date.now() - 8 * 86_400_000, id);
    await admin.goto(`/matters/${id}`);
    await submit(admin, admin.locator(`form[action="/matters/${id}/open"] button`));
  });

  let approved;
  await t.test('the owner ticks the names they approve', async () => {
    await owner.goto(`/matters/${id}`);
    const form = owner.locator(`form[action="/matters/${id}/vote"]`);
    const boxes = form.locator('input[name=approve]');
    assert.equal(await boxes.count(), 10);
    approved = [];
    for (const i of [0, 2, 9]) { await boxes.nth(i).check(); approved.push(await boxes.nth(i).getAttribute('value')); }
    await form.getByLabel('我已核对表决意见').check();
    await submit(owner, form.getByRole('button', { name: '提交表决票' }));
    await assert.doesNotReject(owner.getByRole('heading', { name: '表决票已记录' }).waitFor());
    await snap(owner, 'election-ballot-phone');
  });

  await t.test('the director closes it and the result notice counts by the rule', async () => {
    // three quarters of the other units return paper ballots approving the first seven names,
    // written beside the server as a second process would (the count itself is tested over HTTP)
    const names = await admin.locator('#slate li').allInnerTexts();
    server.sql(
      "INSERT INTO ballots (compound_id, matter_id, unit_no, choice, channel, receipt, cast_at, entered_by, approvals) " +
      "SELECT compound_id, matter_id, unit_no, 'approve', 'paper', 'E2E-' || unit_no, ?, 'e2e', ? FROM roll_entries " +
      "WHERE matter_id = ? AND unit_no <> '13-701' AND (CAST(substr(unit_no, 1, instr(unit_no, '-') - 1) AS INTEGER) % 4) <> 0",
      Date.now(), names.slice(0, 7).join(';'), id);
    server.endWindow(id);
    await admin.goto(`/matters/${id}`);
    await admin.getByLabel(/我确认结束投票/).check();
    await submit(admin, admin.locator('#close-vote'));
    assert.match(admin.url(), new RegExp(`/committee/elections/${id}$`));
    assert.match(await admin.locator('#participation').innerText(), /达到三分之二/);
    const elected = await admin.locator('#elected').innerText();
    for (const n of names.slice(0, 7)) assert.ok(elected.includes(n), `${n} elected: ${elected}`);
    assert.equal(await admin.locator('#counts tbody tr').count(), 10);
    assert.match(await admin.locator('#count-rule').innerText(), /三分之二以上/);
    assert.match(await admin.locator('#explanation').innerText(), /\d/);
    await snap(admin, 'election-result');
    // every owner reads the same notice
    await owner.goto(`/committee/elections/${id}`);
    assert.equal(await owner.locator('#elected').innerText(), elected);
    assertNoErrors(owner);
  });

  await t.test('the change of term runs to the filing, every deadline shown, and the new committee takes office', async () => {
    await submit(admin, admin.locator('#seat-form button'));
    assert.match(admin.url(), /\/committee/);
    assert.equal(await admin.locator('#incoming li').count() >= 7, true, 'the elected are the incoming committee');
    assert.match(await admin.locator('#step-election').innerText(), /已于/, 'the election step recorded on the day it closed');
    // the steps still open are recorded on the page, each with its deadline shown
    for (const step of ['group', 'handover', 'list-posted', 'filing']) {
      const card = admin.locator(`#step-${step}`);
      assert.match(await card.innerText(), /期限/);
      await card.locator('input[type=date]').fill(day(0));
      await submit(admin, card.locator('button[type=submit]'));
      if (step !== 'filing') assert.match(await admin.locator(`#step-${step}`).innerText(), /已于/, `${step} done`);
    }
    // filed: the page is the new committee's, its own change of term years ahead
    assert.match(await admin.locator('#step-report').innerText(), /未完成，剩余/);
    assert.equal(await admin.locator('#seats').innerText(), '7', 'filed: the new committee of seven is in office');
    assert.doesNotMatch(await admin.locator('#findings').innerText(), /7 或 9/, 'no longer even');
    assert.match(await admin.locator('#findings').innerText(), /主任/, 'the new committee is still to choose its director');
    await snap(admin, 'committee-new-term');
    assertNoErrors(admin);
  });
});
