// Corridor renovation in the browser: the residents' committee opens a call; Building 4's leader
// submits a plan on a phone; a reviewer scores it; the residents' committee recommends the
// best-value schedule; the director adopts it; an owner reads the published schedule and why
// their building is where it is. The demo's 33-plan round shows both schedules side by side.
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

test('a corridor round: submitted, scored, recommended, adopted and published', async (t) => {
  const staff = await newPage(browser, server.url, DESKTOP);
  const leader = await newPage(browser, server.url, PHONE);
  const admin = await newPage(browser, server.url, DESKTOP);
  let roundUrl;

  await t.test('the demo round shows both schedules side by side with every building\'s reason', async () => {
    await login(admin, 'admin');
    await admin.goto('/');
    await submit(admin, admin.locator('#corridors-link'));
    await submit(admin, admin.locator('#rounds a').first());
    assert.equal(await admin.locator('#plans-table tbody tr').count(), 33);
    assert.equal(await admin.locator('#schedules .card').count(), 2);
    await admin.locator('#explanations summary').click();
    assert.match(await admin.locator('#why-7 + dd').innerText(), /\d/);
    await snap(admin, 'corridors-demo');
  });

  await t.test('the residents\' committee opens a call', async () => {
    await login(staff, 'staff');
    await staff.goto('/corridors');
    const form = staff.locator('#round-form');
    await form.locator('#r-title').fill('二期楼道粉刷');
    await form.locator('#r-deadline').fill(day(14));
    await submit(staff, form.locator('button[type=submit]'));
    roundUrl = new URL(staff.url()).pathname;
    assert.match(await staff.locator('#stage').innerText(), /征集中/);
  });

  await t.test('Building 4\'s leader submits a plan on a phone', async () => {
    await login(leader, 'owner-4-201');
    await leader.goto(roundUrl);
    const form = leader.locator('#plan-form');
    await form.getByLabel('照明').check();
    await form.locator('#p-desc').fill('墙面起皮，声控灯坏了三盏。');
    await form.locator('#p-cost').fill('60000');
    await form.locator('#p-sig').fill('10');
    await submit(leader, form.locator('button[type=submit]'));
    assert.match(await leader.locator('#b-4').innerText(), /60,000\.00/);
    await assertNoHorizontalScroll(leader);
    await snap(leader, 'corridor-plan-phone');
  });

  await t.test('a reviewer scores it and recommends the best-value schedule', async () => {
    await staff.goto(roundUrl);
    const form = staff.locator('#marks-form');
    await form.locator('select[name=building]').selectOption('4');
    const marks = form.locator('input[name=mark]');
    for (let i = 0; i < await marks.count(); i++) await marks.nth(i).fill('8');
    await submit(staff, form.locator('button[type=submit]'));
    assert.equal((await staff.locator('#b-4 .score').innerText()).trim(), '8.00');
    const rec = staff.locator('#recommend-form');
    await rec.getByLabel('总等待最少').check();
    await rec.locator('#rec-reason').fill('只有一份方案');
    await submit(staff, rec.locator('button[type=submit]'));
    assert.match(await staff.locator('#recommended').innerText(), /总等待最少/);
  });

  await t.test('the director adopts it; an owner reads the published schedule', async () => {
    await admin.goto(roundUrl);
    await submit(admin, admin.locator('#adopt-form button'));
    assert.match(await admin.locator('#stage').innerText(), /业委会已决定/);
    assert.match(await admin.locator('#decision').innerText(), /三日内公告/);
    await admin.locator('#posted-day').fill(day(0));
    await submit(admin, admin.locator('#posted-form button'));
    assert.equal(await admin.locator('#posted-on').innerText(), day(0));
    const owner = await newPage(browser, server.url, PHONE);
    await login(owner, 'owner-4-102');
    await owner.goto(roundUrl);
    await submit(owner, owner.locator('#schedule-link'));
    assert.equal(await owner.locator('#gantt svg').count(), 1);
    assert.match(await owner.locator('#schedule-why').innerText(), /4/);
    await assertNoHorizontalScroll(owner);
    await snap(owner, 'corridor-schedule-phone');
    assertNoErrors(owner);
    assertNoErrors(admin);
    assertNoErrors(staff);
    assertNoErrors(leader);
  });
});
