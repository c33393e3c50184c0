// The walking map and residents' requests in the browser: an owner on a phone submits a request
// with a photo and its place tapped on the map, and sees it received; the committee tries the southern shortcut on the map, sees
// who gains how much, and saves the what-if on the vote; drawing on a tablet, a tap places a
// node and two taps on nodes connect them; an owner follows the story's request to the vote and
// the finished path.
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

/** A 2×2 red PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAwMDAAAALAQH/rvx6VwAAAABJRU5ErkJggg==',
  'base64',
);

test('an owner on a phone submits a request with a photo', async () => {
  const owner = await newPage(browser, server.url, PHONE);
  await login(owner, 'owner-13-701');
  await submit(owner, owner.locator('#requests-home-link'));
  const form = owner.locator('#request-form');
  await form.locator('#q-category').selectOption('repairs');
  await form.locator('#q-title').fill('楼道扶手松动');
  await form.locator('#q-text').fill('12号楼三楼扶手晃动，老人上下楼不安全。');
  assert.equal(await form.locator('#q-building').inputValue(), '13', 'their own building first');
  // the place: a tap on Building 12's entrance on the map picks it and its building
  const entrance = form.locator('#walk-map [data-building="12"]').first();
  const id = await entrance.getAttribute('data-id');
  await entrance.scrollIntoViewIfNeeded();
  const box = await entrance.boundingBox();
  await owner.touchscreen.tap(box.x + box.width / 2 + 1, box.y + box.height / 2);
  assert.equal(await form.locator('#q-node').inputValue(), id, 'the nearest place is chosen');
  assert.equal(await form.locator('#q-building').inputValue(), '12', 'and its building');
  assert.match(await form.locator('#picked').innerText(), new RegExp(id));
  await form.locator('#q-photo').setInputFiles({ name: 'rail.png', mimeType: 'image/png', buffer: PNG });
  await assertNoHorizontalScroll(owner);
  const r = await submit(owner, form.locator('#submit-request'));
  assert.equal(r.status(), 200);
  assert.match(new URL(owner.url()).pathname, /^\/requests\/[0-9a-f-]+$/);
  assert.equal(await owner.locator('#request-status').innerText(), '已收到');
  assert.match(await owner.locator('main').innerText(), /物业公司/, 'repairs go to the property company');
  assert.match(await owner.locator('main').innerText(), new RegExp(`12号楼 · ${id}`), 'the place tapped');
  const photo = owner.locator('#request-photo');
  assert.ok(await photo.evaluate((img) => img.complete && img.naturalWidth === 2), 'the photo shows');
  await assertNoHorizontalScroll(owner);
  await snap(owner, 'request-submitted-phone');
  await owner.goto('/requests');
  assert.match(await owner.locator('#mine').innerText(), /楼道扶手松动/);
  assertNoErrors(owner);
  await owner.context().close();
});

test('the committee tries the southern shortcut before deciding, and saves it on the vote', async () => {
  const member = await newPage(browser, server.url, DESKTOP);
  await login(member, 'owner-2-501');
  await submit(member, member.locator('#map-link'));
  const plain = await member.locator('#mean-before').innerText();
  const what = member.locator('#what-if');
  await what.locator('#w-add').fill('south-gap,bin-south');
  await what.locator('#w-at').selectOption('07:00');
  await submit(member, what.locator('#compute'));
  assert.equal(await member.locator('#mean-before').innerText(), plain);
  const gaining = Number(await member.locator('#households-gaining').innerText());
  assert.ok(gaining > 0, `households gain: ${gaining}`);
  assert.ok(Number(await member.locator('#mean-after').innerText()) < Number(plain));
  const row = (await member.locator('#wb-3 td').allInnerTexts()).map(Number);
  // households, now, after, saved, households gaining
  assert.ok(row[2] < row[1] && row[3] > 0 && row[4] === row[0], `Building 3 gains: ${row}`);
  assert.equal(await member.locator('#walk-map line.added').count(), 1, 'the new path is drawn');
  await snap(member, 'map-what-if-shortcut');
  const save = member.locator('#save-scenario');
  await save.locator('#s-title').fill('南侧便道（复核）');
  await save.locator('#s-matter').selectOption({ label: '使用公共收益修建南侧便道' });
  await submit(member, save.locator('button[type=submit]'));
  assert.match(await member.locator('#changes').innerText(), /--add-path south-gap,bin-south/);
  await submit(member, member.locator('#scenario-matter a'));
  assert.match(await member.locator('#related').innerText(), /南侧便道（复核）/, 'the vote shows its map');
  assertNoErrors(member);
  await member.context().close();
});

test('on a tablet, a tap places a node and taps on two nodes connect them', async () => {
  const tablet = await newPage(browser, server.url, { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true });
  await login(tablet, 'admin');
  await tablet.goto('/map/edit');
  const before = await tablet.locator('#map-size').innerText();
  const svg = tablet.locator('#walk-map');
  // an empty spot of the map (no node, path or label under the finger)
  const spot = await svg.evaluate((el) => {
    const b = el.getBoundingClientRect();
    for (let fy = 0.45; fy < 0.9; fy += 0.01) {
      for (let fx = 0.2; fx < 0.8; fx += 0.01) {
        const x = b.left + b.width * fx, y = b.top + b.height * fy;
        if (document.elementFromPoint(x, y) === el) return { x, y };
      }
    }
    return null;
  });
  assert.ok(spot, 'an empty spot on the map');
  await tablet.touchscreen.tap(spot.x, spot.y);
  const lon = Number(await tablet.locator('#p-lon').inputValue());
  const lat = Number(await tablet.locator('#p-lat').inputValue());
  assert.ok(lon > 121.35 && lon < 121.37 && lat > 31.20 && lat < 31.22, `the tap reads as a place in the compound: ${lon}, ${lat}`);
  await tablet.locator('#p-id').fill('tap-junction');
  await submit(tablet, tablet.locator('#place-form button[type=submit]'));
  assert.equal(await tablet.locator('#saved').count(), 1);
  assert.notEqual(await tablet.locator('#map-size').innerText(), before);
  await tablet.locator('#walk-map [data-id="tap-junction"]').tap();
  await tablet.locator('#walk-map [data-id="gate-main"]').tap();
  assert.equal(await tablet.locator('#c-from').inputValue(), 'tap-junction');
  assert.equal(await tablet.locator('#c-to').inputValue(), 'gate-main');
  await submit(tablet, tablet.locator('#connect-form button[type=submit]'));
  assert.match(await tablet.locator('#map-size').innerText(), /135/);
  await snap(tablet, 'map-drawing-tablet');
  assertNoErrors(tablet);
  await tablet.context().close();
});

test('an owner follows the bin-room request to the vote and the finished path', async () => {
  const owner = await newPage(browser, server.url, PHONE);
  await login(owner, 'owner-13-701');
  await owner.goto('/requests');
  await submit(owner, owner.locator('#public li', { hasText: '已办结' }).locator('a').first());
  assert.match(await owner.locator('#request-meeting').innerText(), /楼组长和业主代表会议/);
  assert.equal(await owner.locator('#request-matter').innerText(), '使用公共收益修建南侧便道');
  assert.equal(await owner.locator('#request-spent').innerText(), '38,000.00');
  assert.match(await owner.locator('#request-outcome').innerText(), /南侧便道已建成/);
  assert.equal(await owner.locator('#request-text').count(), 0, 'who wrote what stays with them');
  await snap(owner, 'request-story-phone');
  await submit(owner, owner.locator('.request-scenario').first());
  assert.ok(Number(await owner.locator('#households-gaining').innerText()) > 0);
  await assertNoHorizontalScroll(owner);
  assertNoErrors(owner);
  await owner.context().close();
});
