// Residents'-committee staff on a phone: find an owner's account, bind a co-owner checked in person,
// make them the unit's voter and a volunteer; accessibility checked on each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, snap, assertNoErrors, assertNoHorizontalScroll, PHONE } from '../lib/browser.mjs';
import { axeViolations, formatViolations } from '../lib/axe.mjs';

let server, browser, page;
before(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
  page = await newPage(browser, server.url, PHONE);
  await login(page, 'staff');
});
after(async () => { await browser?.close(); await server?.stop(); });

async function accessible(name) {
  await page.waitForLoadState('load');
  await snap(page, `accounts-${name}`);
  const violations = await axeViolations(page, name);
  assert.equal(violations.length, 0, formatViolations(name, page.url(), violations));
  await page.setViewportSize({ width: 320, height: 720 });
  try {
    await assertNoHorizontalScroll(page, `WCAG 1.4.10 Reflow: ${name} at 320 px`);
  } finally {
    await page.setViewportSize(PHONE.viewport);
  }
  assertNoErrors(page);
}

test('staff find an account by unit and open it', async () => {
  await page.goto('/');
  await Promise.all([page.waitForURL('**/accounts'), page.getByRole('link', { name: '账户与房屋' }).click()]);
  await accessible('list');
  await page.getByLabel('姓名、登录名、手机号或房号').fill('13-701');
  await Promise.all([page.waitForURL('**/accounts?q=13-701'), page.getByRole('button', { name: '查找' }).click()]);
  await Promise.all([page.waitForURL('**/accounts/*'), page.getByRole('link', { name: '陈桂英' }).click()]);
  assert.match(await page.locator('main').innerText(), /13-701 · 业主 · 投票人/);
  await accessible('account');
});

test('the password page', async () => {
  await page.goto('/');
  await Promise.all([page.waitForURL('**/password'), page.getByRole('link', { name: '修改密码' }).click()]);
  await page.getByLabel('现在的密码').fill('wrong');
  await page.getByLabel('新密码（至少8位）').fill('new-secret-1');
  await page.getByLabel('再输一次新密码').fill('new-secret-1');
  await page.getByRole('button', { name: '修改密码' }).click();
  await assert.doesNotReject(page.getByRole('alert').filter({ hasText: '当前密码不正确' }).waitFor());
  await accessible('password');
});

test('a co-owner checked in person is bound, named voter and made a volunteer', async () => {
  // 1-301 is registered to 韩德明 and 宋慧 (the demo is deterministic); the demo account is 韩德明's
  const unit = { no: '1-301', second: '宋慧' };
  const second = unit.second;
  await page.goto('/accounts');
  const form = page.locator('form[action="/accounts"][method="post"]');
  await form.getByLabel('姓名（与房产登记一致）').fill(second);
  await form.getByLabel('登录名', { exact: true }).fill('e2e-co-owner');
  await form.getByLabel('房号（可选，如 13-701）').fill(unit.no);
  await form.getByLabel('核验了什么').fill('房产证、身份证');
  await form.getByRole('button', { name: '开户' }).click();
  await assert.doesNotReject(page.getByRole('status').filter({ hasText: '临时密码' }).waitFor());
  await accessible('temporary-password');
  await Promise.all([page.waitForURL('**/accounts/*'), page.getByRole('link', { name: '返回' }).click()]);
  await Promise.all([page.waitForURL('**saved=1'), page.getByRole('button', { name: `指定为投票人 ${unit.no}` }).click()]);
  assert.match(await page.locator('main').innerText(), new RegExp(`${unit.no} · 业主 · 投票人`));
  await page.getByLabel('志愿者').check();
  await Promise.all([page.waitForURL('**saved=1'), page.getByRole('button', { name: '保存职务' }).click()]);
  assert.match(await page.locator('dl.facts').innerText(), /志愿者/);
  await accessible('account-saved');
});
