// Paper ballots are double-entered by two residents'-committee staff in separate browsers: a
// matching pair counts, a differing pair is held for review and does not count until the
// committee director decides it from the paper.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, snap, api, assertNoErrors, DESKTOP, MATTERS } from '../lib/browser.mjs';

let server, browser, staff, staff2, watcher, id;
before(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
  [staff, staff2] = await Promise.all([newPage(browser, server.url, DESKTOP), newPage(browser, server.url, DESKTOP)]);
  await Promise.all([login(staff, 'staff'), login(staff2, 'staff2')]);
  watcher = await api(server.url, 'admin');
  id = await watcher.matterId(MATTERS.eVoting);
});
after(async () => { await browser?.close(); await server?.stop(); });

/** Enters one paper ballot on the paper page; answers the #outcome text, or null and the page's alert when refused. */
async function submit(page, unit, choice) {
  await page.goto(`/matters/${id}/paper`);
  const form = page.locator(`main form[action="/matters/${id}/paper"]`);
  await form.locator('#unit').fill(unit);
  await form.locator(`input[name=choice][value=${choice}]`).check();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/matters/${id}/paper`)),
    form.getByRole('button', { name: '录入', exact: true }).click(),
  ]);
  await page.waitForLoadState('load');
  const outcome = page.locator('#outcome');
  if (await outcome.count()) return { status: response.status(), outcome: (await outcome.innerText()).trim() };
  return { status: response.status(), outcome: null, alert: (await page.locator('[role=alert]').allInnerTexts()).join(' ') };
}

/** Enters one paper ballot that must be accepted; answers the #outcome text. */
async function enter(page, unit, choice) {
  const r = await submit(page, unit, choice);
  assert.ok(r.outcome !== null, `entering ${unit} was refused (${r.status}): ${r.alert}`);
  return r.outcome;
}

const mismatchRow = (page, unit) => page.locator('#mismatches tbody tr', { has: page.locator('td', { hasText: unit }) });

test('staff reach the paper entry page from the matter page', async () => {
  await staff.goto(`/matters/${id}`);
  const link = staff.locator(`a[href="/matters/${id}/paper"]`);
  await assert.doesNotReject(link.waitFor());
  await Promise.all([staff.waitForURL(`**/matters/${id}/paper`), link.click()]);
  await assert.doesNotReject(staff.locator('#unit').waitFor());
  await snap(staff, 'staff-paper-entry');
});

test('a matching double entry counts the ballot: turnout rises by one owner', async () => {
  const t0 = await watcher.turnout(id);
  const first = await enter(staff, '7-101', 'approve');
  assert.match(first, /7-101/);
  assert.match(first, /第一次录入已保存/, `first entry: ${first}`);
  assert.equal((await watcher.turnout(id)).participating.owners, t0.participating.owners, 'one entry does not count');

  const second = await enter(staff2, '7-101', 'approve');
  assert.match(second, /两次录入一致，已计票/, `second entry: ${second}`);
  await snap(staff2, 'staff2-paper-counted');
  const t1 = await watcher.turnout(id);
  assert.equal(t1.participating.owners, t0.participating.owners + 1, 'the matching pair counts one owner');
  assert.equal(await mismatchRow(staff2, '7-101').count(), 0);
});

test('the same staff member entering twice is refused and does not count the ballot', async () => {
  const t0 = await watcher.turnout(id);
  assert.match(await enter(staff, '7-201', 'oppose'), /第一次录入已保存/);
  const again = await submit(staff, '7-201', 'oppose');
  assert.equal(again.outcome, null, `a second entry by the same person must be refused, got: ${again.outcome}`);
  assert.equal(again.status, 409);
  assert.match(again.alert, /someone else|另一|其他/, `the refusal says why: ${again.alert}`);
  await snap(staff, 'staff-paper-same-person-refused');
  assert.equal((await watcher.turnout(id)).participating.owners, t0.participating.owners);
  // a different staff member may still make the second entry
  assert.match(await enter(staff2, '7-201', 'oppose'), /已计票/);
  assert.equal((await watcher.turnout(id)).participating.owners, t0.participating.owners + 1);
});

test('a differing double entry is held for review and not counted', async () => {
  const t0 = await watcher.turnout(id);
  const first = await enter(staff, '7-102', 'approve');
  assert.match(first, /第一次录入已保存/, `first entry: ${first}`);
  const second = await enter(staff2, '7-102', 'oppose');
  assert.match(second, /两次录入不一致，已暂缓计票，等待复核/, `second entry: ${second}`);
  await assert.doesNotReject(mismatchRow(staff2, '7-102').waitFor(), '7-102 listed in #mismatches');
  await snap(staff2, 'staff2-paper-mismatch');
  assert.equal((await watcher.turnout(id)).participating.owners, t0.participating.owners, 'a held ballot does not count');

  // the other staff member sees it held too
  await staff.goto(`/matters/${id}/paper`);
  await assert.doesNotReject(mismatchRow(staff, '7-102').waitFor());
});

test('the director decides the held ballot from the paper; then it counts', async () => {
  const admin = await newPage(browser, server.url, DESKTOP);
  await login(admin, 'admin');
  const t0 = await watcher.turnout(id);
  await admin.goto(`/matters/${id}/paper`);
  const row = mismatchRow(admin, '7-102');
  await assert.doesNotReject(row.waitFor());
  await row.locator('select[name=choice]').selectOption('oppose');
  const [resolved] = await Promise.all([
    admin.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/matters/${id}/paper/resolve`)),
    row.getByRole('button', { name: '按纸质原件确认' }).click(),
  ]);
  assert.ok(resolved.status() < 400, `resolving answered ${resolved.status()}`);
  await admin.waitForLoadState('load');
  await snap(admin, 'admin-paper-resolved');
  await admin.goto(`/matters/${id}/paper`);
  assert.equal(await mismatchRow(admin, '7-102').count(), 0, '7-102 no longer awaits review');
  assert.equal((await watcher.turnout(id)).participating.owners, t0.participating.owners + 1, 'the decided ballot counts');
  assertNoErrors(admin);
  await admin.context().close();
});

test('no JavaScript errors in the staff browsers', () => {
  assertNoErrors(staff);
  assertNoErrors(staff2);
});
