// Building projects (lift retrofits): the compound's board on a phone; a building leader records a
// door-to-door visit that others may not, and the log names them; Building 4 goes from consultation
// through its owners' vote to construction in the browser, each refused move answered by the project
// page with what is missing at its top; on English pages what people typed in Chinese is marked
// lang="zh-CN"; axe and 320 px reflow (as in a11y.test.mjs) on the board, a project page (leader and
// owner), a refused move, its vote and the paper ballot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, snap, api, assertNoErrors, assertNoHorizontalScroll, PHONE, DESKTOP } from '../lib/browser.mjs';
import { ALLOWED } from '../a11y-allowlist.mjs';
import { axeViolations, formatViolations } from '../lib/axe.mjs';

let server, browser, projects;
before(async () => {
  [server, browser] = await Promise.all([startServer(), launch()]);
  const { status, body, text } = await (await api(server.url, 'admin')).get('/projects');
  assert.equal(status, 200, `GET /api/v1/projects: ${text}`);
  // building number → its lift project
  projects = Object.fromEntries(body.filter((p) => p.kind === 'lift-retrofit').map((p) => [p.scope.replace(/^building:/, ''), p]));
  assert.ok(projects['4'], `a Building 4 project in ${text}`);
});
after(async () => { await browser?.close(); await server?.stop(); });

/** The demo's board: building → stage label; every other building has none. */
const DEMO_BOARD = { 13: '已投入使用', 12: '规划审批', 4: '意愿征询', 7: '有意向', 18: '有意向', 25: '有意向' };
// a photo of the posted notice (a 2×2 white PNG)
const PHOTO = Buffer.from('89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000000e49444154789c63f80f060c100a0053ba0bf598ac20670000000049454e44ae426082', 'hex');
const BUILDING_4 = ['101', '102', '201', '202', '301', '302', '401', '402', '501', '502', '601', '602', '701', '702'].map((u) => `4-${u}`);

/** The board's cells: [{ building, labels: [stage, date?], cls, href }] */
async function boardCells(page) {
  return page.locator('ul.board > li.cell').evaluateAll((cells) =>
    cells.map((c) => ({
      building: c.querySelector('.b')?.innerText.trim(),
      labels: [...c.querySelectorAll('.s')].map((s) => s.innerText.trim()),
      cls: c.className,
      href: c.querySelector('a')?.getAttribute('href') ?? null,
    })));
}

/** The stance-by-floor table: floor → { support, conditional, undecided, oppose, notVisited } */
async function floors(page) {
  const rows = await page.locator('#floors tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  return Object.fromEntries(rows.map(([floor, support, conditional, undecided, oppose, notVisited]) =>
    [floor, { support: +support, conditional: +conditional, undecided: +undecided, oppose: +oppose, notVisited: +notVisited }]));
}

/** The households listed as still to visit. */
async function toVisit(page) {
  const p = page.locator('main p', { hasText: '尚未走访的住户' });
  if (!(await p.count())) return [];
  return (await p.innerText()).replace(/^[^:：]*[:：]/, '').trim().split(/\s+/).filter(Boolean);
}

/** Today's date in the compound's time zone (Asia/Shanghai, UTC+8 all year), shifted by `days`. */
function shanghaiDate(days = 0) {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}

/** Submits a form by clicking a button and waits for the page it lands on; returns its response. */
async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
  return response;
}

async function stage(page) {
  return (await page.locator('#stage').innerText()).trim();
}

async function missing(page) {
  return page.locator('#missing li').allInnerTexts();
}

/** A refused move's notice: visible at the top of the page, above the stage; returns its items. */
async function refusal(page) {
  const alert = page.getByRole('alert');
  assert.equal(await alert.count(), 1, 'one notice');
  assert.ok(await alert.isVisible(), 'the notice is visible');
  const [box, stageBox] = [await alert.boundingBox(), await page.locator('#stage').boundingBox()];
  assert.ok(box.y < stageBox.y && box.y < page.viewportSize().height, `the notice is at the top: ${JSON.stringify(box)}`);
  return alert.locator('li').allInnerTexts();
}

/** Text nodes with Chinese characters: how many sit in a lang="zh-CN" element, and those that do not. */
async function chineseText(page) {
  return page.evaluate(() => {
    const han = /\p{Script=Han}/u;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let marked = 0;
    const unmarked = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!han.test(n.data)) continue;
      if (n.parentElement.closest('[lang]')?.getAttribute('lang') === 'zh-CN') marked += 1;
      else unmarked.push(`<${n.parentElement.tagName.toLowerCase()}> ${n.data.trim().slice(0, 40)}`);
    }
    return { marked, unmarked };
  });
}

async function postJson(token, path, body) {
  const r = await fetch(`${server.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: r.status, text: await r.text() };
}

test('the board on a phone shows all 33 buildings with the stage each lift has reached', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'owner-13-701'); // an owner of another building: everyone sees the board
  await Promise.all([page.waitForURL('**/projects'), page.locator('main a[href="/projects"]').click()]); // from the home page
  await assert.doesNotReject(page.locator('ul.board').waitFor());
  const cells = await boardCells(page);
  assert.equal(cells.length, 33, `33 cells: ${JSON.stringify(cells)}`);
  assert.deepEqual(cells.map((c) => c.building).sort((a, b) => a - b), Array.from({ length: 33 }, (_, i) => String(i + 1)), 'one cell per building, 1–33');
  for (const c of cells) {
    const want = DEMO_BOARD[c.building] ?? '暂无项目';
    assert.equal(c.labels[0], want, `Building ${c.building}: ${JSON.stringify(c)}`);
    if (DEMO_BOARD[c.building]) {
      assert.equal(c.href, `/projects/${projects[c.building].id}`, `Building ${c.building} links to its project`);
    } else {
      assert.equal(c.href, null, `Building ${c.building} has no project to link to`);
    }
  }
  const by = Object.fromEntries(cells.map((c) => [c.building, c]));
  assert.match(by['12'].labels[1] ?? '', /^\d{4}-06-01$/, `Building 12 shows its June start: ${JSON.stringify(by['12'])}`);
  assert.equal(by['12'].labels[1], projects['12'].planned_start, 'the board and the API agree on the start date');
  assert.equal(cells.filter((c) => c.labels[0] === '暂无项目').length, 27);
  // each stage has its own look (the cell's class names the stage)
  assert.match(by['13'].cls, /in-operation/);
  assert.match(by['4'].cls, /consultation/);
  await assertNoHorizontalScroll(page);
  await snap(page, 'projects-board-phone');
  assertNoErrors(page);
  await page.context().close();
});

test('a building leader records a door-to-door visit; other leaders and plain owners cannot', async (t) => {
  const page = await newPage(browser, server.url, PHONE);
  const p4 = projects['4'].id;
  let floorsBefore;
  const note = '担心费用，想知道补贴多少';
  const answer = '政府补贴40%，上限28万元';

  await t.test("the leader's home leads to the next household to visit, and the form starts on it", async () => {
    await login(page, 'owner-4-201');
    await page.goto('/');
    const task = page.locator('a', { hasText: '下一户走访' });
    assert.equal(await task.count(), 1, 'one visiting task: their own building');
    const unit = (await task.innerText()).match(/(\d+-\d+)/)[1];
    await Promise.all([page.waitForURL(`**/projects/${p4}?unit=${unit}*`), task.tap()]);
    assert.equal(await page.locator('#v-unit').inputValue(), unit, 'the form is on that household');
    assert.equal(await page.locator('#visit-saved').count(), 0);
    // a wide table says on a phone that it scrolls sideways, and does
    const region = page.locator('.scroll', { has: page.locator('#floors') });
    assert.ok(await page.locator('.scroll-hint').first().isVisible(), 'the hint shows on a phone');
    assert.ok(await region.evaluate((e) => e.scrollWidth > e.clientWidth), 'the table scrolls inside its region');
    await snap(page, 'projects-leader-next-visit-phone');
  });

  await t.test("Building 4's leader opens the project from the board and sees the visit form", async () => {
    await page.goto('/projects');
    await Promise.all([page.waitForURL(`**/projects/${p4}`), page.locator('ul.board li.cell a', { has: page.locator('.b', { hasText: /^4$/ }) }).click()]);
    assert.equal(await stage(page), '意愿征询');
    await assert.doesNotReject(page.locator('#visit-form').waitFor());
    assert.equal(await page.locator('#next-stage').count(), 1, 'the leader may move the stage');
    floorsBefore = await floors(page);
    assert.deepEqual(floorsBefore['3'], { support: 0, conditional: 0, undecided: 0, oppose: 0, notVisited: 2 }, JSON.stringify(floorsBefore));
    assert.ok((await toVisit(page)).includes('4-302'), `4-302 is still to visit: ${await toVisit(page)}`);
    assert.equal(await page.locator('#visits tbody tr', { has: page.locator('td', { hasText: /^4-302$/ }) }).count(), 0);
  });

  await t.test('records a visit to 4-302: support, for the cost, with what was said and answered', async () => {
    const form = page.locator('#visit-form');
    await form.locator('#v-unit').selectOption('4-302');
    await form.locator('label.choice', { hasText: '支持' }).filter({ hasNotText: '有条件' }).tap();
    assert.ok(await form.locator('input[name=stance][value=support]').isChecked(), 'tapping the label picks 支持');
    await form.locator('label.choice', { hasText: '费用负担' }).tap();
    await form.locator('#v-note').fill(note);
    await form.locator('#v-answer').fill(answer);
    await snap(page, 'projects-visit-filled-phone');
    await submit(page, form.locator('button[type=submit]'));
    assert.equal(new URL(page.url()).pathname, `/projects/${p4}`, 'back on the project page');
    assert.match(await page.locator('#visit-saved').innerText(), /已记录走访：\s*4-302/, 'the page confirms the visit');
    assert.notEqual(await page.locator('#v-unit').inputValue(), '4-302', 'the form moved on');
  });

  await t.test('the visit is in the log, the floor counts it and 4-302 is no longer to visit', async () => {
    const row = page.locator('#visits tbody tr', { has: page.locator('td', { hasText: /^4-302$/ }) });
    assert.equal(await row.count(), 1, 'one log row for 4-302');
    const cells = await row.locator('td').allInnerTexts();
    const [date, unit, visitor, stance, reasons, said, answered] = cells.map((s) => s.trim());
    assert.equal(date, shanghaiDate(), `dated today: ${cells}`);
    assert.equal(unit, '4-302');
    const me = (await page.locator('header .who').innerText()).trim();
    assert.equal(visitor, `${me}（楼组长）`, 'the visitor is the leader, by name and role');
    assert.doesNotMatch(await page.locator('#visits').innerText(), /owner-\d/, 'no login in the log');
    assert.equal(stance, '支持');
    assert.equal(reasons, '费用负担');
    assert.equal(said, note);
    assert.equal(answered, answer);
    const after = await floors(page);
    assert.deepEqual(after['3'], { support: 1, conditional: 0, undecided: 0, oppose: 0, notVisited: 1 }, `floor 3 after: ${JSON.stringify(after['3'])}`);
    for (const f of Object.keys(floorsBefore).filter((f) => f !== '3')) assert.deepEqual(after[f], floorsBefore[f], `floor ${f} unchanged`);
    const left = await toVisit(page);
    assert.ok(!left.includes('4-302'), `4-302 left the list: ${left}`);
    assert.ok(left.includes('4-301'), `its neighbour 4-301 is still to visit: ${left}`);
    await assertNoHorizontalScroll(page);
    await snap(page, 'projects-visit-recorded-phone');
    assertNoErrors(page);
    await page.context().close();
  });

  await t.test("Building 1's leader reads Building 4's project but may not work on it", async () => {
    const other = await newPage(browser, server.url, PHONE);
    await login(other, 'owner-1-201');
    const r = await other.goto(`/projects/${p4}`);
    assert.equal(r.status(), 200, 'every building learns from the others');
    assert.equal(await other.locator('#visit-form').count(), 0);
    assert.equal(await other.locator('#visits').count(), 0, 'not the door-to-door log');
    assert.equal(await other.locator('#shares').count(), 0, 'nor each household\'s share');
    // nor may they log a visit there through the API
    const { token } = await api(server.url, 'owner-1-201');
    const r2 = await postJson(token, `/projects/${p4}/visits`, { unit: '4-301', stance: 'oppose' });
    assert.equal(r2.status, 403, `POST visits as Building 1's leader: ${r2.status} ${r2.text}`);
    assertNoErrors(other);
    await other.context().close();
  });

  await t.test('an owner of Building 4 sees the project and their share, but no forms', async () => {
    const owner = await newPage(browser, server.url, PHONE);
    await login(owner, 'owner-4-702');
    const r = await owner.goto(`/projects/${p4}`);
    assert.equal(r.status(), 200);
    assert.equal(await stage(owner), '意愿征询');
    const mine = (await owner.locator('#my-share').innerText()).trim();
    assert.match(mine, /4-702/);
    const inTable = (await owner.locator('#shares tbody tr', { has: owner.locator('td', { hasText: /^4-702$/ }) }).locator('td').nth(2).innerText()).trim();
    assert.match(inTable, /^\d{1,3}(,\d{3})*\.\d\d$/);
    assert.ok(mine.includes(inTable), `#my-share (${mine}) is the table's ${inTable}`);
    assert.equal(await owner.locator('#shares tr.ok').count(), 1, 'their own row is marked');
    for (const sel of ['#visit-form', '#next-stage', '#scheme_notice_date', 'form[action$="/facts"]', 'form[action$="/costing"]']) {
      assert.equal(await owner.locator(sel).count(), 0, `no ${sel} for an owner`);
    }
    // who was visited and what they said stays with the committee, staff and the building's leader
    assert.equal(await owner.locator('#visits').count(), 0, 'the owner sees stances by floor, not the log');
    await assertNoHorizontalScroll(owner);
    await snap(owner, 'projects-owner-phone');
    assertNoErrors(owner);
    await owner.context().close();
  });
});

test('Building 4 goes from consultation through its owners\' vote to construction', async (t) => {
  const p4 = projects['4'].id;
  const staff = await newPage(browser, server.url, DESKTOP);
  let matterId;

  await t.test('staff moves it to the scheme notice', async () => {
    await login(staff, 'staff');
    await staff.goto(`/projects/${p4}`);
    assert.equal(await stage(staff), '意愿征询');
    assert.match(await staff.locator('#next-stage').innerText(), /方案公示/);
    assert.equal(await staff.locator('#missing').count(), 0, 'nothing is missing: Building 4 has visits');
    await submit(staff, staff.locator('#next-stage'));
    assert.equal(await stage(staff), '方案公示');
  });

  await t.test('the vote is refused while the scheme is not posted, and #missing says so', async () => {
    assert.match(await staff.locator('#next-stage').innerText(), /业主表决/);
    assert.deepEqual(await missing(staff), ['方案尚未公示']);
    const refused = await submit(staff, staff.locator('#next-stage'));
    assert.equal(refused.status(), 409, 'the move is refused');
    // the answer is the project page itself, with what is missing at its top
    assert.equal(await stage(staff), '方案公示', 'still at the scheme notice');
    assert.deepEqual(await refusal(staff), ['方案尚未公示']);
    assert.deepEqual(await missing(staff), ['方案尚未公示']);
    assert.equal(await staff.locator(`main a[href^="/matters/"]`).count(), 0, 'no vote yet');
    await snap(staff, 'projects-b4-missing-scheme');
  });

  await t.test('a posting date before the stage was entered is refused, naming both dates', async () => {
    await staff.locator('#scheme_notice_date').fill(shanghaiDate(-5));
    await staff.locator('#scheme_notice_photo').setInputFiles({ name: '公示.png', mimeType: 'image/png', buffer: PHOTO });
    const r = await submit(staff, staff.locator('#scheme-notice-form button[type=submit]'));
    assert.equal(r.status(), 422);
    assert.match((await refusal(staff)).join(' '), /早于项目进入方案公示阶段的日期/);
  });

  await t.test('a scheme posted only 5 days ago is not yet enough: the days left are named', async () => {
    // as the days passing would have it: the stage was entered a month ago
    server.enteredStageDaysAgo(p4, 'scheme-notice', 31);
    // straight from the refusal's page: its forms work as on the project page
    await staff.locator('#scheme_notice_date').fill(shanghaiDate(-5));
    await staff.locator('#scheme_notice_photo').setInputFiles({ name: '公示.png', mimeType: 'image/png', buffer: PHOTO });
    await submit(staff, staff.locator('#scheme-notice-form button[type=submit]'));
    assert.equal(await staff.locator('#scheme_notice_date').inputValue(), shanghaiDate(-5));
    const m = await missing(staff);
    assert.equal(m.length, 1, JSON.stringify(m));
    // counted in calendar days, a last day on a weekend moving to the next working day: 12 or more
    const left = Number(/还需 (\d+) 天/.exec(m[0])?.[1]);
    assert.match(m[0], /公示 10 天.*征求意见 7 天/, m[0]);
    assert.ok(left >= 12 && left <= 16, m[0]);
  });

  await t.test('the scheme notice dated 30 days ago is saved and nothing is missing for the vote', async () => {
    // 10 + 7 calendar days, each last day moved off rest days: 30 days leave room for any holiday
    const posted = shanghaiDate(-30);
    await staff.locator('#scheme_notice_date').fill(posted);
    await staff.locator('#scheme_notice_photo').setInputFiles({ name: '公示.png', mimeType: 'image/png', buffer: PHOTO });
    await submit(staff, staff.locator('#scheme-notice-form button[type=submit]'));
    assert.equal(new URL(staff.url()).pathname, `/projects/${p4}`);
    assert.equal(await staff.locator('#scheme_notice_date').inputValue(), posted, 'the date is kept');
    assert.equal(await staff.locator('#missing').count(), 0, `nothing missing: ${await missing(staff)}`);
  });

  await t.test('moving to the vote drafts the vote and links it', async () => {
    await submit(staff, staff.locator('#next-stage'));
    assert.equal(await stage(staff), '业主表决');
    const link = staff.locator('main a[href^="/matters/"]', { hasText: '业主表决' });
    assert.equal(await link.count(), 1, 'the vote link');
    matterId = (await link.getAttribute('href')).split('/').pop();
    const { body } = await (await api(server.url, 'staff')).get(`/projects/${p4}`);
    assert.equal(body.stage, 'vote');
    assert.equal(body.matter_id, matterId, 'the page links the project\'s matter');
    await snap(staff, 'projects-b4-vote-stage');
  });

  await t.test('the director opens the vote from the matter page', async () => {
    const admin = await newPage(browser, server.url, DESKTOP);
    await login(admin, 'admin');
    await admin.goto(`/matters/${matterId}`);
    const m = await (await api(server.url, 'admin')).get(`/matters/${matterId}`);
    assert.equal(m.body.matter, 'alteration');
    assert.equal(m.body.scope, 'building:4');
    assert.match(m.body.status, /^(draft|notice)$/);
    if (m.body.status === 'draft') await submit(admin, admin.getByRole('button', { name: /公示/ }));
    // the vote's window first: owners must know until when they may vote
    const lastDay = new Date(Date.now() + 14 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    await admin.locator('#window_end').fill(lastDay);
    await submit(admin, admin.getByRole('button', { name: /设定或延长投票期/ }));
    assert.match(await admin.locator('main').innerText(), new RegExp(`– ${lastDay}`));
    await submit(admin, admin.getByRole('button', { name: /开始投票/ }));
    assert.match(await admin.locator('.badge').first().innerText(), /投票中/);
    assertNoErrors(admin);
    await admin.context().close();
  });

  await t.test('owner-4-701 follows the vote link, sees their share 41,699.19 and approves on a phone', async () => {
    const owner = await newPage(browser, server.url, PHONE);
    await login(owner, 'owner-4-701');
    await owner.goto(`/projects/${p4}`);
    await Promise.all([owner.waitForURL(`**/matters/${matterId}`), owner.locator('main a[href^="/matters/"]', { hasText: '业主表决' }).click()]);
    const share = owner.locator('#my-share');
    await assert.doesNotReject(share.waitFor());
    assert.match(await share.innerText(), /4-701[\s\S]*41,699\.19/);
    const form = owner.locator(`form[action="/matters/${matterId}/vote"]`);
    assert.equal(await form.count(), 1, 'a ballot for 4-701');
    await snap(owner, 'projects-b4-owner-ballot-phone');
    await form.locator('label.choice', { hasText: '同意' }).tap();
    await Promise.all([
      owner.waitForURL(`**/matters/${matterId}/vote`),
      form.getByLabel('我已核对表决意见').check().then(() => form.getByRole('button', { name: '提交表决票' }).tap()),
    ]);
    await assert.doesNotReject(owner.getByRole('heading', { name: '表决票已记录' }).waitFor());
    assert.match((await owner.locator('#receipt').innerText()).trim(), /^\S{6,}$/);
    await assertNoHorizontalScroll(owner);
    assertNoErrors(owner);
    await owner.context().close();
  });

  await t.test("the other 13 owners vote through the API (4-101 opposes)", async () => {
    await Promise.all(BUILDING_4.filter((u) => u !== '4-701').map(async (unit) => {
      const { token } = await api(server.url, `owner-${unit}`);
      const r = await postJson(token, `/matters/${matterId}/ballots`, { unit, choice: unit === '4-101' ? 'oppose' : 'approve' });
      assert.equal(r.status, 201, `ballot for ${unit}: ${r.status} ${r.text}`);
    }));
    const turnout = await (await api(server.url, 'admin')).turnout(matterId);
    assert.equal(turnout.participating.owners, 14, JSON.stringify(turnout));
  });

  await t.test('the director closes the vote in the browser: passed', async () => {
    const admin = await newPage(browser, server.url, DESKTOP);
    await login(admin, 'admin');
    await admin.goto(`/matters/${matterId}`);
    await Promise.all([admin.waitForURL(`**/matters/${matterId}/notice`), admin.getByLabel(/我确认结束投票/).check().then(() => admin.locator('#close-vote').click())]);
    const notice = await admin.locator('main').innerText();
    assert.match(notice, /表决结果[:：]\s*通过/);
    assert.match(notice, /共 14 人/, 'the whole of Building 4 is the scope');
    assert.match(notice, /实际 13 人/, '13 approve');
    assert.match(notice, /反对 1 人/, '4-101 opposes');
    await snap(admin, 'projects-b4-result-notice');
    assertNoErrors(admin);
    await admin.context().close();
  });

  await t.test('staff moves it to approvals; construction still needs the planning approval and start report', async () => {
    await staff.goto(`/projects/${p4}`);
    assert.equal(await stage(staff), '业主表决');
    assert.match(await staff.locator('#next-stage').innerText(), /规划审批/);
    assert.equal(await staff.locator('#missing').count(), 0, `nothing missing after a passed vote: ${await missing(staff)}`);
    await submit(staff, staff.locator('#next-stage'));
    assert.equal(await stage(staff), '规划审批');
    assert.match(await staff.locator('#next-stage').innerText(), /施工/);
    assert.deepEqual(await missing(staff), ['尚未取得规划许可', '开工报告尚未备案']);
    await snap(staff, 'projects-b4-approvals-missing');
  });

  await t.test('refused while missing; with both milestones ticked and saved it moves to construction', async () => {
    const refused = await submit(staff, staff.locator('#next-stage'));
    assert.equal(refused.status(), 409, 'the move is refused');
    assert.equal(await stage(staff), '规划审批', 'a refused move does not move');
    assert.deepEqual(await refusal(staff), ['尚未取得规划许可', '开工报告尚未备案']);
    await snap(staff, 'projects-b4-construction-refused');
    const facts = staff.locator('form[action$="/facts"]');
    await facts.locator('input[name=planning_approved]').check();
    await facts.locator('input[name=start_report_filed]').check();
    await submit(staff, facts.locator('button[type=submit]'));
    assert.ok(await staff.locator('input[name=planning_approved]').isChecked(), 'planning approval kept');
    assert.ok(await staff.locator('input[name=start_report_filed]').isChecked(), 'start report kept');
    assert.ok(!(await staff.locator('input[name=completion_accepted]').isChecked()), 'the others untouched');
    assert.equal(await staff.locator('#missing').count(), 0, `nothing missing: ${await missing(staff)}`);
    await submit(staff, staff.locator('#next-stage'));
    assert.equal(await stage(staff), '施工');
    assert.match(await staff.locator('ol.steps li.current').innerText(), /施工/);
    // acceptance comes next and needs nothing; operation afterwards will ask for the acceptance
    assert.match(await staff.locator('#next-stage').innerText(), /竣工验收/);
    await snap(staff, 'projects-b4-construction');
    const { body } = await (await api(server.url, 'staff')).get(`/projects/${p4}`);
    assert.equal(body.stage, 'construction');
  });

  await t.test('the board shows Building 4 at construction', async () => {
    const page = await newPage(browser, server.url, PHONE);
    await login(page, 'owner-13-701');
    await page.goto('/projects');
    const cells = await boardCells(page);
    const b4 = cells.find((c) => c.building === '4');
    assert.equal(b4.labels[0], '施工', JSON.stringify(b4));
    assert.match(b4.cls, /construction/);
    for (const c of cells.filter((c) => c.building !== '4')) assert.equal(c.labels[0], DEMO_BOARD[c.building] ?? '暂无项目', `Building ${c.building} unchanged`);
    await snap(page, 'projects-board-b4-construction-phone');
    assertNoErrors(page);
    await page.context().close();
  });

  assertNoErrors(staff);
  await staff.context().close();
});

test('in English, a refused move is explained in English and Chinese user text is marked zh-CN', async (t) => {
  const page = await newPage(browser, server.url, PHONE);
  const p12 = projects['12'].id;
  await login(page, 'owner-12-201'); // Building 12's leader; the project is at approvals
  await page.goto(`/projects/${p12}`);
  await Promise.all([page.waitForURL(`**/projects/${p12}`), page.locator('header nav a', { hasText: 'English' }).click()]);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');

  await t.test('the refused move lists, in English, what construction still needs', async () => {
    const needed = await missing(page);
    assert.ok(needed.length > 0, 'something is missing for construction');
    const refused = await submit(page, page.locator('#next-stage'));
    assert.equal(refused.status(), 409);
    assert.equal(await stage(page), 'approvals');
    const items = await refusal(page);
    assert.deepEqual(items, needed, 'the notice lists what the page lists as missing');
    for (const i of items) assert.match(i, /^[\x20-\x7e]+$/, `in English: ${i}`);
    assert.match(await page.getByRole('alert').innerText(), /The stage was not changed/);
    await check(page, 'project-refused-en');
  });

  await t.test('no Chinese text is left for an English voice', async () => {
    const p13 = projects['13'];
    const leader13 = await newPage(browser, server.url, PHONE);
    await login(leader13, 'owner-13-201');
    await leader13.goto(`/projects/${p13.id}`);
    await Promise.all([leader13.waitForURL(`**/projects/${p13.id}`), leader13.locator('header nav a', { hasText: 'English' }).click()]);
    const pages = [
      [page, `/projects/${p12}`],
      [leader13, `/projects/${p13.id}`], // visits with what owners said, costs, documents
      [leader13, '/projects'],
      [leader13, '/'],
      [leader13, `/matters/${p13.matter_id}`],
      [leader13, `/matters/${p13.matter_id}/notice`],
      [leader13, `/projects/${p13.id}/scheme-notice`],
    ];
    for (const [p, path] of pages) {
      await p.goto(path);
      assert.equal(await p.locator('html').getAttribute('lang'), 'en', path);
      const { marked, unmarked } = await chineseText(p);
      assert.deepEqual(unmarked, [], `${path}: Chinese read with an English voice`);
      assert.ok(marked > 0, `${path} shows something typed in Chinese (${marked})`);
    }
    await snap(leader13, 'projects-b13-en');
    assertNoErrors(leader13);
    await leader13.context().close();
  });
  await page.context().close();
});

/** As a11y.test.mjs: axe's WCAG A/AA rules, then Reflow (WCAG 1.4.10): no sideways scrolling at 320 CSS px. */
async function check(page, name) {
  await page.waitForLoadState('load');
  await snap(page, `a11y-${name}`);
  const violations = await axeViolations(page, name);
  if (violations.length) {
    const report = formatViolations(name, page.url(), violations);
    console.log(report);
    assert.fail(report);
  }
  if (!ALLOWED.some((a) => a.rule === 'reflow' && a.page.test(name))) {
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 320, height: 720 });
    try {
      await assertNoHorizontalScroll(page, `WCAG 1.4.10 Reflow: ${name} at 320 px`);
    } finally {
      await page.setViewportSize(viewport);
    }
  }
  assertNoErrors(page);
}

test('accessibility: the board', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'owner-13-701');
  await page.goto('/projects');
  await assert.doesNotReject(page.locator('ul.board').waitFor());
  await check(page, 'projects-board');
  await page.context().close();
});

test('accessibility: a project page as its building leader (every form, what is missing)', async () => {
  // Building 12 is at approvals: its page lists what construction still needs
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'owner-12-201');
  await page.goto(`/projects/${projects['12'].id}`);
  await assert.doesNotReject(page.locator('#visit-form').waitFor());
  assert.ok((await page.locator('#missing li').count()) > 0, 'something is missing for construction');
  assert.equal(await page.locator('#next-stage').count(), 1);
  // open the folded forms so that axe checks them too
  await page.locator('main details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
  await check(page, 'project-leader');
  await page.context().close();
});

test('accessibility: a project page as an owner of the building', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'owner-4-702');
  await page.goto(`/projects/${projects['4'].id}`);
  await assert.doesNotReject(page.locator('#my-share').waitFor());
  await check(page, 'project-owner');
  await page.context().close();
});

test('accessibility: a project\'s vote page with the owner\'s share (closed vote)', async () => {
  const page = await newPage(browser, server.url, PHONE);
  await login(page, 'owner-12-701');
  assert.ok(projects['12'].matter_id, 'Building 12 has held its vote');
  await page.goto(`/matters/${projects['12'].matter_id}`);
  await assert.doesNotReject(page.locator('#my-share').waitFor());
  assert.match(await page.locator('#my-share').innerText(), /12-701:\s*\d{1,3}(,\d{3})*\.\d\d/);
  await check(page, 'project-vote');
  await page.context().close();
});

test('accessibility: the printable paper ballot with every unit\'s share', async () => {
  const page = await newPage(browser, server.url, DESKTOP);
  await login(page, 'staff');
  const r = await page.goto(`/projects/${projects['4'].id}/ballot`);
  assert.equal(r.status(), 200);
  const rows = await page.locator('main table tbody tr').count();
  assert.equal(rows, 14, 'one row per Building 4 unit');
  assert.ok((await page.locator('main').innerText()).includes('41,699.19'), '4-701\'s share is printed');
  assert.equal(await page.locator('.qr svg').count(), 1, 'a QR code');
  await check(page, 'project-ballot');
  await page.context().close();
});
