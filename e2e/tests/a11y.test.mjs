// axe-core (WCAG 2.x A and AA rules) and a reflow check at 320 px on the pages owners and the
// committee use, in Chinese and English, normal and large text. Known, explained exceptions live in ../a11y-allowlist.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, api, PHONE, DESKTOP, MATTERS } from '../lib/browser.mjs';
import { axeViolations, checkPage as check } from '../lib/axe.mjs';

let server, browser, owner, ids;
before(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
  const a = await api(server.url, 'admin');
  ids = { eVoting: await a.matterId(MATTERS.eVoting), lift: await a.matterId(MATTERS.lift) };
  owner = await newPage(browser, server.url, PHONE);
  await login(owner, 'owner-13-701');
});
after(async () => { await browser?.close(); await server?.stop(); });

test('login page', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await page.goto('/login');
  await assert.doesNotReject(page.locator('#login').waitFor());
  await check(page, 'login');
  await page.context().close();
});

test('login page after a failed login (error message shown)', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await page.goto('/login');
  await page.locator('#login').fill('owner-13-701');
  await page.locator('#password').fill('wrong');
  await page.locator('main button[type=submit]').click();
  await assert.doesNotReject(page.locator('[role=alert]').waitFor());
  await check(page, 'login-failed');
  await page.context().close();
});

test('home page (owner)', async () => {
  await owner.goto('/');
  await assert.doesNotReject(owner.locator('.card').first().waitFor());
  await check(owner, 'home');
});

test('open matter page (owner, normal text)', async () => {
  await owner.goto(`/matters/${ids.eVoting}`);
  await assert.doesNotReject(owner.locator(`form[action="/matters/${ids.eVoting}/vote"]`).waitFor());
  assert.equal(await owner.locator('body.large').count(), 0);
  await check(owner, 'matter-open');
});

test('open matter page (owner, large text)', async () => {
  await owner.goto(`/matters/${ids.eVoting}`);
  await Promise.all([owner.waitForURL(`**/matters/${ids.eVoting}`), owner.locator('header nav a', { hasText: '大字模式' }).click()]);
  await assert.doesNotReject(owner.locator('body.large').waitFor({ state: 'attached' }), 'the switch turns on large text');
  const size = await owner.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(size >= 22, `large text is large: ${size}px`);
  await check(owner, 'matter-open-large');
  // back to normal text for the other checks
  await Promise.all([owner.waitForURL(`**/matters/${ids.eVoting}`), owner.locator('header nav a', { hasText: '标准字号' }).click()]);
  assert.equal(await owner.locator('body.large').count(), 0);
});

test('result notice page (closed matter)', async () => {
  await owner.goto(`/matters/${ids.lift}/notice`);
  await assert.doesNotReject(owner.locator('h1', { hasText: '表决结果公告' }).waitFor());
  await check(owner, 'notice');
});

test('closed matter page with its result', async () => {
  await owner.goto(`/matters/${ids.lift}`);
  await assert.doesNotReject(owner.locator('#result').waitFor());
  await check(owner, 'matter-closed');
});

test('matter page in English', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'owner-13-701');
  await page.goto(`/matters/${ids.eVoting}`);
  await Promise.all([page.waitForURL(`**/matters/${ids.eVoting}`), page.locator('header nav a', { hasText: 'English' }).click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await assert.doesNotReject(page.getByRole('button', { name: 'Submit ballot' }).waitFor(), 'the page is in English');
  await check(page, 'matter-open-en');
  await page.context().close();
});

test('paper ballot entry page (staff)', async () => {
  const page = await newPage(browser, server.url, DESKTOP);
  await login(page, 'staff');
  await page.goto(`/matters/${ids.eVoting}/paper`);
  await assert.doesNotReject(page.locator('#unit').waitFor());
  await check(page, 'paper');
  await page.context().close();
});

test('ballot recorded page (owner, after voting)', async () => {
  await owner.goto(`/matters/${ids.eVoting}`);
  const form = owner.locator(`form[action="/matters/${ids.eVoting}/vote"]`);
  await form.locator('input[value=abstain]').check();
  await Promise.all([owner.waitForURL(`**/matters/${ids.eVoting}/vote`), form.getByLabel('我已核对表决意见').check().then(() => form.getByRole('button', { name: '提交表决票' }).click())]);
  await assert.doesNotReject(owner.locator('#receipt').waitFor());
  await check(owner, 'voted');
});

test('error page (no such matter)', async () => {
  const r = await owner.goto('/matters/no-such-matter');
  assert.equal(r.status(), 404);
  await check(owner, 'error-404');
});

test('control: the checker does report a violation', async () => {
  // guards against a check that silently runs no rule: an unlabelled field and an image without alt
  const page = await newPage(browser, server.url, PHONE);
  await page.goto('/login');
  await page.evaluate(() => {
    document.querySelector('main').insertAdjacentHTML('beforeend', '<input type="text" id="e2e-bad"><img id="e2e-img" src="/static/app.css">');
  });
  const found = (await axeViolations(page, 'control')).map((v) => v.id);
  assert.ok(found.includes('label'), `axe reports the unlabelled field: ${found}`);
  assert.ok(found.includes('image-alt'), `axe reports the image without alt: ${found}`);
  await page.context().close();
});

test('my channels page (owner)', async () => {
  await owner.goto('/me/channels');
  await assert.doesNotReject(owner.locator('#channels-form').waitFor());
  await check(owner, 'channels');
});

test('mail relay and bots, and the delivery log (director)', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'admin');
  await page.goto('/settings/reaching');
  await assert.doesNotReject(page.locator('#bot-form').waitFor());
  await check(page, 'reach-settings');
  await page.goto('/deliveries');
  await assert.doesNotReject(page.locator('#delivery-filter').waitFor());
  await check(page, 'deliveries');
  await page.context().close();
});

test('the owners\' committee and its change of term (owner)', async () => {
  await owner.goto('/committee');
  await assert.doesNotReject(owner.locator('#timeline').waitFor());
  await check(owner, 'committee');
});

test('committee meetings (director, with the forms)', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'admin');
  await page.goto('/committee/meetings');
  await assert.doesNotReject(page.locator('#meeting-form').waitFor());
  await check(page, 'committee-meetings');
  await page.context().close();
});

test('candidates, with the nomination and election forms (director), and the printable notice', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'admin');
  await page.goto('/committee/candidates');
  await assert.doesNotReject(page.locator('#election-form').waitFor());
  await check(page, 'committee-candidates');
  await page.goto('/committee/candidates/notice');
  await assert.doesNotReject(page.locator('#notice-candidates').waitFor());
  await check(page, 'committee-candidates-notice');
  await page.context().close();
});

test('the compound\'s meetings and one meeting with its forms (director)', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'admin');
  await page.goto('/meetings');
  await assert.doesNotReject(page.locator('#schedule-form').waitFor());
  await check(page, 'compound-meetings');
  await page.locator('#compound-meetings a').first().click();
  await assert.doesNotReject(page.locator('#resolutions').waitFor());
  await check(page, 'compound-meeting');
  await page.context().close();
});

test('the committee\'s settings (director)', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'admin');
  await page.goto('/committee/settings');
  await assert.doesNotReject(page.locator('#settings-form').waitFor());
  await check(page, 'committee-settings');
  await page.goto('/committee');
  await assert.doesNotReject(page.locator('#group-form').waitFor());
  await check(page, 'committee-director');
  await page.context().close();
});
