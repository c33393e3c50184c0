// The committee director watches turnout on the matter page, closes the vote and gets the
// printable result notice with its legal explanation; the API then publishes the tally.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, openMatter, snap, api, assertNoErrors, PHONE, DESKTOP, MATTERS } from '../lib/browser.mjs';

let server, browser;
before(async () => { [server, browser] = await Promise.all([startServer(), launch()]); });
after(async () => { await browser?.close(); await server?.stop(); });

/** The numbers on the matter page's turnout gauges, e.g. [{label, reached}] */
async function gauges(page) {
  return page.locator('main p', { has: page.locator('strong') }).filter({ hasText: '已参与' }).evaluateAll((ps) =>
    ps.map((p) => {
      // figures read as people read them: 52,305.01
      const m = p.innerText.match(/已参与\s*([\d.,]+)[^/]*\/\s*([\d.,]+)/);
      const n = (s) => Number(s?.replaceAll(',', ''));
      return { label: p.querySelector('strong').innerText, reached: n(m?.[1]), total: n(m?.[2]) };
    }));
}

test('the director watches turnout, closes the vote and publishes the result notice', async (t) => {
  const page = await newPage(browser, server.url, DESKTOP);
  const adminApi = await api(server.url, 'admin');
  const id = await adminApi.matterId(MATTERS.path);
  let g0, pageResult;

  await t.test('the tally is not published while voting is open', async () => {
    const r = await adminApi.get(`/matters/${id}/tally`);
    assert.equal(r.status, 409, `tally before closing: ${r.status} ${r.text}`);
  });

  await t.test('the director sees the turnout gauges and the close button', async () => {
    await login(page, 'admin');
    assert.equal(await openMatter(page, MATTERS.path), id);
    g0 = await gauges(page);
    assert.equal(g0.length, 2, `two gauges (area and owners): ${JSON.stringify(g0)}`);
    assert.equal(await page.locator('.bar[role=img]').count(), 2);
    await assert.doesNotReject(page.locator('#close-vote').waitFor());
    assert.equal((await page.locator('#close-vote').innerText()).trim(), '结束投票并公布结果');
    await snap(page, 'director-matter-open');
  });

  await t.test('an owner votes elsewhere; the director sees turnout rise on reload', async () => {
    // an owner on a phone, in their own browser context
    const owner = await newPage(browser, server.url, PHONE);
    await login(owner, 'owner-13-701');
    await owner.goto(`/matters/${id}`);
    const form = owner.locator(`form[action="/matters/${id}/vote"]`);
    await assert.doesNotReject(form.waitFor(), 'owner-13-701 may vote on the path matter');
    await form.locator('input[value=approve]').check();
    await Promise.all([owner.waitForURL(`**/matters/${id}/vote`), form.getByLabel('我已核对表决意见').check().then(() => form.getByRole('button', { name: '提交表决票' }).click())]);
    await assert.doesNotReject(owner.getByRole('heading', { name: '表决票已记录' }).waitFor());
    assertNoErrors(owner);
    await owner.context().close();

    await page.reload();
    const g1 = await gauges(page);
    const owners = (gs) => gs.find((g) => /人数/.test(g.label));
    assert.equal(owners(g1).reached, owners(g0).reached + 1, `owners gauge: ${JSON.stringify(g0)} → ${JSON.stringify(g1)}`);
    const area = (gs) => gs.find((g) => /面积/.test(g.label));
    assert.ok(area(g1).reached > area(g0).reached, 'area gauge rises');
  });

  await t.test('the owners were promised the whole window: the director closes once it has ended', async () => {
    assert.match(await page.locator('main').innerText(), /只能延长，不能缩短/);
    server.endWindow(id);
    await page.goto('/');
    const task = page.locator('#tasks a', { hasText: MATTERS.path });
    await assert.doesNotReject(task.waitFor(), 'the director\'s tasks list the vote ready to close');
    await Promise.all([page.waitForURL(`**/matters/${id}`), task.click()]);
    await assert.doesNotReject(page.locator('#ready-to-close').waitFor());
  });

  await t.test('closing the vote leads to the result notice with its legal explanation', async () => {
    await Promise.all([page.waitForURL(`**/matters/${id}/notice`), page.getByLabel(/我确认结束投票/).check().then(() => page.locator('#close-vote').click())]);
    const main = await page.locator('main').innerText();
    assert.match(main, /表决结果公告/);
    assert.match(main, /表决结果[:：]\s*(通过|未通过)/);
    const explain = await page.locator('.notice-page .explain').last().innerText();
    assert.match(explain, /参与表决/, `explanation: ${explain}`);
    assert.match(explain, /结果/, `explanation: ${explain}`);
    assert.ok(main.includes(MATTERS.path), 'the notice names the matter');
    await snap(page, 'director-result-notice');
  });

  await t.test('an owner reads the published notice on a phone', async () => {
    const owner = await newPage(browser, server.url, PHONE);
    await login(owner, 'owner-13-701');
    await owner.goto(`/matters/${id}/notice`);
    assert.match(await owner.locator('main').innerText(), /表决结果公告[\s\S]*(通过|未通过)/);
    await snap(owner, 'owner-result-notice-phone'); // (its reflow is checked in a11y.test.mjs)
    assertNoErrors(owner);
    await owner.context().close();
  });

  await t.test('the matter page shows the result and no longer offers to close or vote', async () => {
    await page.goto(`/matters/${id}`);
    const result = (await page.locator('#result').innerText()).trim();
    assert.match(result, /^(通过|未通过)$/);
    assert.equal(await page.locator('#close-vote').count(), 0);
    assert.equal(await page.locator(`form[action="/matters/${id}/vote"]`).count(), 0);
    assert.match(await page.locator('.badge').first().innerText(), /已结束/);
    await snap(page, 'director-matter-closed');
    pageResult = result;
  });

  await t.test('the API tally answers 200 with "passed", agreeing with the page', async () => {
    const r = await adminApi.get(`/matters/${id}/tally`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /"passed"/);
    const passedValues = [...r.text.matchAll(/"passed"\s*:\s*(true|false)/g)].map((m) => m[1] === 'true');
    assert.ok(passedValues.length > 0, `a boolean "passed" in ${r.text.slice(0, 500)}`);
    assert.equal(passedValues[0], pageResult === '通过', `API passed=${passedValues[0]}, page says ${pageResult}`);
    const m = await adminApi.get(`/matters/${id}`);
    assert.equal(m.body.status, 'closed');
  });

  assertNoErrors(page);
  await page.context().close();
});
