// Waste-sorting duty in the browser: the organiser builds today and tomorrow's roster; a volunteer
// on a phone sees their shifts, checks in at today's, and asks another volunteer to take a later
// one, who accepts it on their phone; an owner reads when and where to drop off.
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

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

test('a volunteer checks in and swaps a shift', async (t) => {
  const organiser = await newPage(browser, server.url, DESKTOP);
  let roster;

  await t.test('the organiser builds today and tomorrow\'s roster', async () => {
    await login(organiser, 'staff');
    await organiser.goto('/waste');
    const form = organiser.locator('#roster-form');
    await form.locator('#w-first').fill(today());
    await form.locator('#w-days').fill('2');
    await submit(organiser, form.locator('button[type=submit]'));
    assert.match(await organiser.locator('#roster-summary').innerText(), /8\/8/);
    roster = (await (await api(server.url, 'staff')).get('/waste/roster')).body;
  });

  let volunteer;
  await t.test('the volunteer on today\'s shift checks in on a phone', async () => {
    const [shift, [who]] = Object.entries(roster.assignments).find(([s]) => s.includes(`/${today()}/`));
    volunteer = await newPage(browser, server.url, PHONE);
    await login(volunteer, who);
    await volunteer.goto('/waste');
    const card = volunteer.locator(`#my-shifts li[data-shift="${shift}"]`);
    await submit(volunteer, card.getByRole('button', { name: '签到' }));
    assert.match(await volunteer.locator(`#my-shifts li[data-shift="${shift}"] .status`).innerText(), /已签到/);
    await assertNoHorizontalScroll(volunteer);
    await snap(volunteer, 'waste-my-shifts-phone');
  });

  await t.test('a volunteer asks another to take tomorrow\'s shift, who accepts', async () => {
    const [shift, [who]] = Object.entries(roster.assignments).find(([s]) => !s.includes(`/${today()}/`));
    const giver = await newPage(browser, server.url, PHONE);
    await login(giver, who);
    await giver.goto('/waste');
    const card = giver.locator(`#my-shifts li[data-shift="${shift}"]`);
    await card.locator('summary').click();
    const select = card.locator('select[name=to]');
    const to = await select.inputValue();
    await submit(giver, card.getByRole('button', { name: '请人代班' }));
    const taker = await newPage(browser, server.url, PHONE);
    await login(taker, to);
    await taker.goto('/waste');
    const offer = taker.locator('#offers li', { hasText: shift });
    await submit(taker, offer.getByRole('button', { name: '接受' }));
    assert.equal(await taker.locator(`#my-shifts li[data-shift="${shift}"]`).count(), 1, 'the shift is theirs now');
    const after = (await (await api(server.url, 'staff')).get('/waste/roster')).body;
    assert.deepEqual(after.assignments[shift], [to]);
    assertNoErrors(taker);
    assertNoErrors(giver);
    assertNoErrors(volunteer);
  });

  await t.test('a volunteer asks for cover and a free volunteer takes it on a phone', async () => {
    const staff = await api(server.url, 'staff');
    const now = (await staff.get('/waste/roster')).body;
    const on = new Set(Object.values(now.assignments).flat());
    const [shift, [who]] = Object.entries(now.assignments).find(([s, vs]) => !s.includes(`/${today()}/`) && vs.length === 1);
    const asker = await newPage(browser, server.url, PHONE);
    await login(asker, who);
    await asker.goto('/waste');
    await submit(asker, asker.locator(`#my-shifts li[data-shift="${shift}"]`).getByRole('button', { name: '找人代班' }));
    assert.equal(await asker.locator(`#my-shifts li[data-shift="${shift}"] .cover-asked`).count(), 1);
    // someone free for any window and on no shift of these two days is among those asked
    const vols = (await staff.get('/waste/volunteers')).body;
    let taker;
    for (const v of vols.filter((v) => v.has_account && v.weekly[0] === '*' && !on.has(v.id))) {
      const covers = (await (await api(server.url, v.id)).get('/waste/covers')).body;
      if (covers.some((c) => c.shift === shift && c.for_me)) { taker = v.id; break; }
    }
    assert.ok(taker, 'a volunteer free for the shift');
    const page = await newPage(browser, server.url, PHONE);
    await login(page, taker);
    await page.goto('/waste');
    await submit(page, page.locator('#covers li').first().getByRole('button', { name: '我来接班' }));
    assert.equal(await page.locator(`#my-shifts li[data-shift="${shift}"]`).count(), 1, 'the shift is theirs now');
    const after = (await staff.get('/waste/roster')).body;
    assert.deepEqual(after.assignments[shift], [taker]);
    await assertNoHorizontalScroll(page);
    assertNoErrors(page);
    assertNoErrors(asker);
  });

  await t.test('a supervisor logs what they saw at a station, and it is in the records and the month', async () => {
    const [, [who]] = Object.entries(roster.assignments)[0];
    const page = await newPage(browser, server.url, PHONE);
    await login(page, who);
    await page.goto('/waste');
    await submit(page, page.locator('#records-link'));
    const form = page.locator('#record-form');
    await form.locator('#r-station').selectOption('south');
    await form.locator('#r-window').selectOption('18:00');
    await form.locator('#r-building').fill('21');
    await form.getByLabel('非投放时段投放').check();
    await form.locator('#r-count').fill('4');
    await form.locator('#r-note').fill('晚上八点后仍有人投放');
    await submit(page, form.getByRole('button', { name: '保存记录' }));
    assert.match(await page.locator('#saved').innerText(), /./);
    assert.match(await page.locator('#record-table tbody tr').first().innerText(), /晚上八点后仍有人投放/);
    assert.equal(await page.locator('#chart-station svg').count(), 1);
    await assertNoHorizontalScroll(page);
    await snap(page, 'waste-records-phone');
    await submit(page, page.locator('#summary-link'));
    assert.match(await page.locator('main').innerText(), /南区投放点/);
    assertNoErrors(page);
  });

  await t.test('an owner reads when and where to drop off, and what goes in which bin', async () => {
    const owner = await newPage(browser, server.url, PHONE);
    await login(owner, 'owner-13-701');
    await owner.goto('/');
    await submit(owner, owner.locator('#waste-link'));
    assert.match(await owner.locator('#stations').innerText(), /07:00–09:00/);
    assert.match(await owner.locator('#bins').innerText(), /湿垃圾/);
    assert.equal(await owner.locator('#roster-form').count(), 0);
    await assertNoHorizontalScroll(owner);
    assertNoErrors(owner);
  });
});
