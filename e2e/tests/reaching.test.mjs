// Reaching people on a phone: an owner chooses how they are reached (a wrong address comes back
// marked), takes a calendar address shown once; the director opens Building 4's vote and the
// owner's email arrives at a real SMTP server and their notice on every page; staff read the
// delivery log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp.mjs';
import { launch, newPage, login, snap, assertNoErrors, assertNoHorizontalScroll, PHONE } from '../lib/browser.mjs';

let server, browser, sink;
before(async () => {
  sink = await startSmtpSink();
  [server, browser] = await Promise.all([startServer({ args: ['--smtp-relay', sink.addr] }), launch()]);
});
after(async () => { await browser?.close(); await server?.stop(); sink?.stop(); });

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
  return response;
}

test('an owner chooses channels, the director opens a vote, the email and the notice arrive', async (t) => {
  const owner = await newPage(browser, server.url, PHONE);
  await login(owner, 'owner-4-101');

  await t.test('my channels: the demo address, a refusal marks the field, a save is confirmed', async () => {
    await owner.goto('/');
    await submit(owner, owner.locator('#channels-link'));
    assert.equal(new URL(owner.url()).pathname, '/me/channels');
    assert.equal(await owner.locator('#email').inputValue(), 'owner-4-101@example.org');
    assert.ok(await owner.locator('#by-email').isChecked());
    // the browser lets a dotless domain through; the server does not
    await owner.locator('#email').fill('wang@example');
    const r = await submit(owner, owner.locator('#channels-form button[type=submit]'));
    assert.equal(r.status(), 422);
    assert.equal(await owner.locator('#email').getAttribute('aria-invalid'), 'true');
    assert.match(await owner.locator('#refused').innerText(), /email/);
    await owner.locator('#email').fill('owner-4-101@example.org');
    await owner.locator('#quiet-from').fill('');
    await owner.locator('#quiet-to').fill('');
    await submit(owner, owner.locator('#channels-form button[type=submit]'));
    await assert.doesNotReject(owner.locator('#channels-saved').waitFor());
    await assertNoHorizontalScroll(owner);
    await snap(owner, 'channels-phone');
  });

  await t.test('a calendar address is shown once and serves a feed', async () => {
    await submit(owner, owner.locator('#calendar-new'));
    const url = await owner.locator('#feed-url').inputValue();
    assert.match(url, /\/calendar\.ics\?key=[0-9a-f]{64}$/);
    const feed = await owner.request.get(url.replace(/^http:\/\/127\.0\.0\.1:8080/, server.url));
    assert.equal(feed.status(), 200);
    assert.match(feed.headers()['content-type'], /^text\/calendar/);
    assert.match(await feed.text(), /^BEGIN:VCALENDAR\r\n/);
    await owner.goto('/me/channels');
    assert.equal(await owner.locator('#feed-url').count(), 0, 'not shown again');
    await assert.doesNotReject(owner.locator('#calendar-active').waitFor());
  });

  await t.test('the director opens Building 4\'s vote; the email reaches the SMTP server', async () => {
    const director = await newPage(browser, server.url, PHONE);
    await login(director, 'admin');
    await director.goto('/');
    await submit(director, director.locator('main a', { hasText: '4号楼楼道粉刷方案' }).first());
    await submit(director, director.locator('form[action$="/open"] button'));
    const mail = await sink.waitFor('owner-4-101@example.org');
    assert.match(mail.subject, /4号楼楼道粉刷方案/);
    assert.match(mail.text, /4-101/);
    assert.match(mail.message_id, /^<[0-9a-f-]{36}@gongzhi>$/);
    assert.equal(sink.messages().filter((m) => m.rcpt_tos.includes('owner-4-101@example.org')).length, 1, 'once');
    await director.context().close();
  });

  await t.test('the notice is counted on every page and listed', async () => {
    await owner.goto('/');
    await assert.doesNotReject(owner.locator('#unread').waitFor());
    await submit(owner, owner.locator('#notices-link'));
    assert.match(await owner.locator('#notices').innerText(), /4号楼楼道粉刷方案/);
    assertNoErrors(owner);
  });

  await t.test('staff read the delivery log', async () => {
    const staff = await newPage(browser, server.url, PHONE);
    await login(staff, 'staff');
    await staff.goto('/deliveries?status=sent');
    assert.match(await staff.locator('#deliveries').innerText(), /owner-4-101@example\.org/);
    await snap(staff, 'deliveries-phone');
    await staff.context().close();
  });
});
