// axe-core, injected into the page as it is served, checking the WCAG 2.0/2.1/2.2 A and AA rules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { ALLOWED } from '../a11y-allowlist.mjs';
import { snap, assertNoErrors, assertNoHorizontalScroll } from './browser.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on the page; returns the violations not in the allow-list, one entry per rule. */
export async function axeViolations(page, name) {
  // evaluate (rather than a <script> tag) so that a Content-Security-Policy cannot block axe
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    WCAG_TAGS,
  );
  const out = [];
  for (const v of results.violations) {
    const nodes = v.nodes.filter(
      (n) => !ALLOWED.some((a) => a.rule === v.id && a.page.test(name) && (!a.selector || n.target.join(' ') === a.selector)),
    );
    if (nodes.length) out.push({ ...v, nodes });
  }
  return out;
}

/** Human-readable report of violations. */
export function formatViolations(name, url, violations) {
  const lines = [`${violations.length} accessibility rule(s) violated on ${name} (${url}):`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help}  (${v.helpUrl})`);
    for (const n of v.nodes) {
      lines.push(`    at ${n.target.join(' ')}`);
      lines.push(`       ${n.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      for (const s of (n.failureSummary || '').split('\n').filter(Boolean)) lines.push(`       ${s.trim()}`);
    }
  }
  return lines.join('\n');
}

/** axe's WCAG A/AA rules, then Reflow (WCAG 1.4.10, which axe cannot test): no sideways scrolling at 320 CSS px. */
export async function checkPage(page, name) {
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
