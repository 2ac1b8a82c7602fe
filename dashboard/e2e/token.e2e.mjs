#!/usr/bin/env node
// The token prompt against rtmon with outputs.sse.token set (tests/integration/dashboard_e2e.sh).
// Environment: DASH_URL (the page, no token), TOKEN (the right one), CHROMIUM.
// Missing token: a clear 401 prompt, not "reconnecting" forever; a wrong one: "refused"; the right
// one connects; a ?token= link connects and the token leaves the address bar.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const DASH_URL = process.env.DASH_URL;
const TOKEN = process.env.TOKEN;
if (!DASH_URL || !TOKEN) throw new Error('DASH_URL and TOKEN are required');
const T = 15000;
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

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rtmon-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const state = (p) => p.getAttribute('[data-testid=conn-state]', 'data-state');
try {
  const page = await ctx.newPage();
  await check('no token: a 401 prompt that says a token is needed (not "reconnecting" forever)', async () => {
    await page.goto(DASH_URL);
    await page.waitForSelector('[data-testid=token-prompt]', { timeout: T });
    assert.match(await page.textContent('[data-testid=token-prompt]'), /needs an access token \(HTTP 401\)/);
    assert.equal(await state(page), 'unauthorized');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'token-input');
  });
  await check('a wrong token: "refused"', async () => {
    await page.fill('[data-testid=token-input]', 'wrong-token');
    await page.press('[data-testid=token-input]', 'Enter');
    await page.waitForFunction(() => /refused the access token/.test(document.querySelector('[data-testid=token-prompt]')?.textContent ?? ''), null, { timeout: T });
    assert.equal(await state(page), 'unauthorized');
  });
  await check('the right token connects; it never appears in the address bar', async () => {
    await page.fill('[data-testid=token-input]', TOKEN);
    await page.click('[data-testid=token-submit]');
    await page.waitForSelector('[data-testid=conn-state][data-state=open]', { timeout: T });
    assert.equal(await page.$('[data-testid=token-prompt]'), null);
    assert.ok(!page.url().includes(TOKEN), page.url());
    // a reload keeps it for the tab (sessionStorage)
    await page.reload();
    await page.waitForSelector('[data-testid=conn-state][data-state=open]', { timeout: T });
    assert.ok(!page.url().includes(TOKEN));
  });
  await check('a ?token= link connects and the token leaves the address bar', async () => {
    const p2 = await ctx.newPage();
    await p2.goto(`${DASH_URL}?token=${encodeURIComponent(TOKEN)}`);
    await p2.waitForSelector('[data-testid=conn-state][data-state=open]', { timeout: T });
    assert.ok(!p2.url().includes(TOKEN), p2.url());
    await p2.close();
  });
} finally {
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`token: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
