#!/usr/bin/env node
// One view of a cluster (tests/integration/aggregate_dashboard.sh): the dashboard served by rtmond --aggregate,
// fed by three rtmond nodes. Environment: DASH_URL (the aggregator's page), TOKEN (its outputs.sse.token),
// EXPECT (JSON {host: alert id} of the alert each node raised for one process), CHROMIUM, OUT_DIR.
// Checks: rows from all three hosts with the exact ids; a host column; the host filter keeps one host (and
// the URL says so); clearing it brings all back.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const DASH_URL = process.env.DASH_URL;
const TOKEN = process.env.TOKEN;
const EXPECT = JSON.parse(process.env.EXPECT ?? '{}');
const OUT_DIR = process.env.OUT_DIR ?? os.tmpdir();
if (!DASH_URL || !TOKEN || Object.keys(EXPECT).length < 2) throw new Error('DASH_URL, TOKEN and EXPECT are required');
const T = 20000;
let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 6).join('\n  ')}`);
  }
}
const hosts = Object.keys(EXPECT).sort();
const rowSel = (h) => `tr[data-testid=alert-row][data-host="${h}"][data-id="${EXPECT[h]}"]`;

fs.mkdirSync(OUT_DIR, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rtmon-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1440, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const errors = [];
try {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await check('alerts from every node, with their own host and id', async () => {
    await page.goto(`${DASH_URL}?token=${encodeURIComponent(TOKEN)}`);
    await page.waitForSelector('[data-testid=conn-state][data-state=open]', { timeout: T });
    for (const h of hosts) await page.waitForSelector(rowSel(h), { timeout: T });
    for (const h of hosts) {
      const cell = await page.textContent(`${rowSel(h)} td[data-col=host]`);
      assert.equal(cell?.trim(), h);
    }
  });
  await check('a host column and a host filter listing every host', async () => {
    assert.ok(await page.$('th[data-col=host]'), 'no host column');
    const opts = await page.$$eval('[data-testid=host-filter] option', (os) => os.map((o) => o.value));
    for (const h of hosts) assert.ok(opts.includes(h), `host filter lacks ${h}: ${opts}`);
    await page.screenshot({ path: path.join(OUT_DIR, 'aggregate-all-hosts.png'), fullPage: false });
  });
  const pick = hosts[1];
  await check(`the host filter keeps ${pick} only, and the URL says so`, async () => {
    await page.selectOption('[data-testid=host-filter]', pick);
    await page.waitForFunction(
      (h) => {
        const rows = [...document.querySelectorAll('tr[data-testid=alert-row], tr[data-testid=summary-row]')];
        return rows.length > 0 && rows.every((r) => r.querySelector('td[data-col=host]')?.textContent?.trim() === h);
      },
      pick,
      { timeout: T },
    );
    assert.ok(await page.$(rowSel(pick)), `${pick}'s alert is not shown`);
    for (const h of hosts) if (h !== pick) assert.equal(await page.$(rowSel(h)), null, `${h}'s alert still shown`);
    assert.match(page.url(), new RegExp(`host=${pick}`));
    await page.screenshot({ path: path.join(OUT_DIR, 'aggregate-one-host.png'), fullPage: false });
  });
  await check('clearing the filter shows every host again', async () => {
    await page.selectOption('[data-testid=host-filter]', '');
    for (const h of hosts) await page.waitForSelector(rowSel(h), { timeout: T });
  });
  await check('no page errors', async () => {
    assert.deepEqual(errors, []);
  });
} finally {
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`aggregate dashboard: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
