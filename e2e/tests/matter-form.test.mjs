// The director drafts a matter on a phone: a refused form comes back with what was typed and the
// field marked; the draft is edited and then deleted, each step named by its title.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, newPage, login, snap, assertNoErrors, assertNoHorizontalScroll, PHONE } from '../lib/browser.mjs';

let server, browser;
before(async () => { [server, browser] = await Promise.all([startServer(), launch()]); });
after(async () => { await browser?.close(); await server?.stop(); });

async function submit(page, button) {
  const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
  return response;
}

test('a refused matter form keeps what was typed; a draft is edited and deleted', async (t) => {
  const page = await newPage(browser, server.url, PHONE);
  const title = '更换3号楼单元门禁';
  const body = '门禁老化，拟更换为可刷卡、可人脸识别的门禁，费用从公共收益列支。\n附报价两份。';
  let id;

  await t.test('an end date before the start comes back with the text kept and the end date marked', async () => {
    await login(page, 'admin');
    await page.goto('/matters/new');
    await page.locator('#title').fill(title);
    await page.locator('#body').fill(body);
    await page.locator('#kind').selectOption('other-major');
    await page.locator('#window_start').fill('2027-01-20');
    await page.locator('#window_end').fill('2027-01-10');
    const r = await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(r.status(), 422, 'refused');
    assert.equal(await page.locator('#title').inputValue(), title, 'the title is kept');
    assert.equal(await page.locator('#body').inputValue(), body, 'the text is kept, line breaks and all');
    assert.equal(await page.locator('#kind').inputValue(), 'other-major');
    assert.equal(await page.locator('#window_start').inputValue(), '2027-01-20');
    assert.equal(await page.locator('#window_end').getAttribute('aria-invalid'), 'true', 'the end date is marked');
    assert.equal(await page.locator('#title').getAttribute('aria-invalid'), null, 'the title is not');
    const said = await page.locator('#form-error').innerText();
    assert.ok(said.length > 0 && !/[0-9a-f]{8}-[0-9a-f]{4}/.test(said), `the refusal says why, without an id: ${said}`);
    await assertNoHorizontalScroll(page);
    await snap(page, 'matter-form-refused-phone');
  });

  await t.test('corrected, it is saved as a draft', async () => {
    await page.locator('#window_end').fill('2027-02-03');
    await submit(page, page.locator('main form button[type=submit]'));
    assert.match(new URL(page.url()).pathname, /^\/matters\/[^/]+$/);
    id = new URL(page.url()).pathname.split('/').pop();
    assert.ok((await page.locator('h1').innerText()).includes(title));
    await assert.doesNotReject(page.locator('#edit-draft').waitFor());
  });

  await t.test('the draft is edited: its new title is shown', async () => {
    await submit(page, page.locator('#edit-draft'));
    assert.equal(new URL(page.url()).pathname, `/matters/${id}/edit`);
    assert.equal(await page.locator('#body').inputValue(), body, 'the edit form starts from the draft');
    await page.locator('#title').fill(`${title}（修订）`);
    await submit(page, page.locator('main form button[type=submit]'));
    assert.equal(new URL(page.url()).pathname, `/matters/${id}`);
    assert.ok((await page.locator('h1').innerText()).includes('（修订）'));
    await snap(page, 'matter-draft-edited-phone');
  });

  await t.test('the draft is deleted once confirmed, and is gone', async () => {
    const form = page.locator('#delete-draft');
    await form.locator('input[name=confirm]').check();
    await submit(page, form.locator('button[type=submit]'));
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator(`a[href="/matters/${id}"]`).count(), 0, 'no longer listed');
    const r = await page.goto(`/matters/${id}`);
    assert.equal(r.status(), 404);
    assertNoErrors(page);
    await page.context().close();
  });
});
