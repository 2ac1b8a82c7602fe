#!/usr/bin/env node
// End-to-end test of the built dashboard in headless Debian Chromium (playwright-core).
// Environment:
//   DASH_URL    page URL (the dashboard served by the same origin as /events)
//   EVENTS_URL  the SSE URL, read here too as the ground truth (default: DASH_URL's origin + /events)
//   TRIGGER     shell command that makes the server raise alerts; prints "EXPECT <rule_id> <pid>"
//               (required) and "MAYBE <rule_id> <pid>" (checked when the server raised it) lines
//   TRIGGER2    a second, smaller trigger, run while the stream is paused
//   OUT_DIR     where the screenshots go
//   CHROMIUM    browser binary (default /usr/bin/chromium)
// Exit 0 = pass; prints one "ok"/"not ok" line per check and "N passed, N failed".
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { readSse } from './sse-client.mjs';

const DASH_URL = process.env.DASH_URL;
if (!DASH_URL) throw new Error('DASH_URL is required');
const EVENTS_URL = process.env.EVENTS_URL ?? new URL('/events', DASH_URL).toString();
const OUT_DIR = process.env.OUT_DIR ?? path.resolve('e2e/out');
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 20000);
fs.mkdirSync(OUT_DIR, { recursive: true });

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

function runTrigger(cmd) {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`trigger failed (${r.status}): ${r.stderr}`);
  const want = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^(EXPECT|MAYBE) (\S+) (\d+)$/.exec(line.trim());
    if (m) want.push({ required: m[1] === 'EXPECT', rule: m[2], pid: Number(m[3]) });
  }
  if (!want.some((w) => w.required)) throw new Error(`trigger printed no EXPECT line: ${r.stdout}`);
  return want;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, fn, timeout = TIMEOUT) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// ---- ground truth: every alert the server sends on /events ----
const truth = [];
const sse = readSse(EVENTS_URL, (ev) => {
  if (ev.event !== 'alert') return;
  const a = JSON.parse(ev.data);
  assert.equal(a.id, ev.id, 'SSE id: is the alert id');
  truth.push(a);
});
sse.done.catch((e) => console.log(`# SSE reader: ${e.message}`));
const findTruth = (rule, pid) => truth.find((a) => a.rule_id === rule && a.event && a.event.pid === pid);

/** Waits for the required expectations; the optional ones get a short grace period. */
async function resolveExpectations(want) {
  const got = [];
  for (const w of want.filter((x) => x.required)) got.push({ ...w, alert: await waitFor(`server alert ${w.rule} pid ${w.pid}`, () => findTruth(w.rule, w.pid)) });
  const graceEnd = Date.now() + 3000;
  for (const w of want.filter((x) => !x.required)) {
    while (!findTruth(w.rule, w.pid) && Date.now() < graceEnd) await sleep(100);
    const a = findTruth(w.rule, w.pid);
    if (a) got.push({ ...w, alert: a });
    else console.log(`# note: the server raised no ${w.rule} for pid ${w.pid} (optional probe)`);
  }
  return got;
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rtmon-chromium-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  timezoneId: process.env.E2E_TZ ?? "Asia/Kolkata", // not UTC: local times must follow the viewer
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const consoleErrors = [];
try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(DASH_URL);

  await check('connection state becomes "connected"', async () => {
    await page.waitForSelector('[data-testid=conn-state][data-state=open]', { timeout: TIMEOUT });
    assert.match(await page.textContent('[data-testid=conn-state]'), /connected/);
  });

  const want = runTrigger(process.env.TRIGGER ?? 'true');
  const got = await resolveExpectations(want);
  console.log(`# alerts raised: ${got.map((g) => `${g.rule}/${g.pid}`).join(' ')}`);

  // a process may raise several alerts of one rule (e.g. connect and exec): the row is found by the alert id
  const rowSel = (g) => `[data-testid=alert-row][data-id="${g.alert.id}"]`;
  const dups = got.filter((g) => truth.filter((a) => a.rule_id === g.rule && a.event?.pid === g.pid).length > 1);
  for (const g of dups) console.log(`# note: ${g.rule}/${g.pid} raised ${truth.filter((a) => a.rule_id === g.rule && a.event?.pid === g.pid).map((a) => a.event.type).join(',')}`);
  await check('stream shows a row per raised alert with the exact rule id and pid', async () => {
    for (const g of got) {
      const row = await page.waitForSelector(rowSel(g), { timeout: TIMEOUT });
      assert.equal(await row.getAttribute('data-rule'), g.rule);
      assert.equal(await row.getAttribute('data-pid'), String(g.pid));
      assert.equal((await row.$eval('[data-col=rule]', (e) => e.textContent)).trim(), g.rule);
      assert.equal((await row.$eval('[data-col=pid]', (e) => e.textContent)).trim(), String(g.pid));
    }
  });

  await check('attacker-controlled text renders as text, never HTML', async () => {
    const odd = got.find((g) => /[<>]/.test(g.alert.event.comm ?? ''));
    if (!odd) throw new Error('no alert with markup in comm was raised (the trigger should set one)');
    const row = await page.$(rowSel(odd));
    assert.ok((await row.textContent()).includes(odd.alert.event.comm), 'literal comm shown');
    assert.equal(await row.$$eval('i, img, b, script', (els) => els.length), 0, 'no element from the alert text');
  });

  await check('heatmap: cells add up to the alerts in the window, the rows hold the raised alerts', async () => {
    await sleep(400);
    const snap = await page.evaluate(() => {
      const cells = [...document.querySelectorAll('[data-testid=heat-cell]')];
      const rows = Object.fromEntries([...document.querySelectorAll('[data-testid=heat-row]')].map((r) => [r.getAttribute('data-row'), Number(r.getAttribute('data-total'))]));
      return {
        sum: cells.reduce((s, c) => s + Number(c.getAttribute('data-count')), 0),
        shown: Number(document.querySelector('[data-testid=heatmap-total]').textContent.match(/\d+/)[0]),
        total: Number(document.querySelector('[data-testid=total-alerts] b').textContent),
        rows,
      };
    });
    assert.ok(snap.sum > 0, 'some cells are non-zero');
    assert.equal(snap.sum, snap.shown);
    assert.ok(snap.shown <= snap.total);
    const perRow = {};
    for (const g of got) {
      const c = g.alert.container;
      const label = !c ? 'host' : c.pod ? (c.namespace ? `${c.namespace}/${c.pod}` : c.pod) : (c.name ?? c.id.slice(0, 12));
      perRow[label] = (perRow[label] ?? 0) + 1;
    }
    for (const [label, n] of Object.entries(perRow)) assert.ok((snap.rows[label] ?? 0) >= n, `row ${label} holds >= ${n} (has ${snap.rows[label]})`);
  });

  for (const [rule, title] of [['reverse_shell', 'reverse shell'], ['injection_attempt', 'injection']]) {
    const mine = got.filter((g) => g.rule === rule);
    if (mine.length === 0) continue;
    await check(`${title} panel: count matches the stream, latest list has pid ${mine.map((g) => g.pid).join(',')}`, async () => {
      const snap = await page.evaluate((r) => ({
        count: Number(document.querySelector(`[data-testid=panel-${r}] [data-testid=panel-count]`).textContent),
        rows: document.querySelectorAll(`[data-testid=alert-row][data-rule=${r}]`).length,
        capped: document.querySelectorAll('[data-testid=alert-row]').length >= 500,
        pids: [...document.querySelectorAll(`[data-testid=panel-${r}] [data-testid=panel-item]`)].map((e) => Number(e.getAttribute('data-pid'))),
      }), rule);
      assert.ok(snap.count >= mine.length);
      // the panel counts attacks (one per incident), the table rows are alerts
      if (!snap.capped) assert.ok(snap.count <= snap.rows && snap.count > 0, `count ${snap.count} rows ${snap.rows}`);
      for (const g of mine) assert.ok(snap.pids.includes(g.pid), `pid ${g.pid} in ${snap.pids}`);
    });
  }

  await check('U+202E in a process name is shown as a visible escape in the row', async () => {
    const rlo = got.find((g) => (g.alert.event.comm ?? '').includes('\u202e'));
    if (!rlo) throw new Error('no alert with U+202E in comm was raised (the trigger should set one)');
    const row = await page.waitForSelector(rowSel(rlo), { timeout: TIMEOUT });
    const text = await row.textContent();
    assert.ok(!text.includes('\u202e'), 'no raw U+202E in the row');
    assert.ok(text.includes('e2e\\u202eexe'), `escaped name in the row: ${text}`);
  });

  await check('an incident with its timeline: the commands run after the alert, state closed', async () => {
    const g = got.find((x) => (x.alert.event.comm ?? '').includes('\u202e'));
    const incId = g?.alert.incident_id;
    if (!incId) throw new Error('the alert has no incident_id');
    const upd = await waitFor(`closed incident update of ${incId}`, () =>
      truth.find((a) => a.kind === 'incident' && a.incident_id === incId && a.incident?.state === 'closed'), 30000);
    const item = await page.waitForSelector(`[data-testid=incident-item][data-incident="${incId}"][data-state=closed]`, { timeout: TIMEOUT });
    await item.click();
    await page.waitForSelector(`[data-testid=incident-detail][data-incident="${incId}"]`, { timeout: TIMEOUT });
    const entries = await page.$$eval('[data-testid=incident-timeline] [data-testid=timeline-entry]', (els) => els.map((e) => e.textContent));
    assert.equal(entries.length, upd.incident.timeline.length);
    assert.ok(entries.some((t) => t.includes('rtmon-e2e-step1')), `step1 command with args in ${entries.join(' | ')}`);
    assert.ok(!entries.join('').includes('\u202e'));
    // the incident lists the alert it raised; a row of the stream carries its incident
    assert.ok((await page.textContent('[data-testid=incident-detail]')).includes(g.alert.id));
    assert.equal(await page.getAttribute(rowSel(g), 'data-incident'), incId);
    await page.screenshot({ path: path.join(OUT_DIR, 'dashboard-incident.png') });
  });

  const pick = got.find((g) => g.rule === 'injection_attempt') ?? got[0];
  const expectedChain = [...(pick.alert.lineage ?? [])].reverse().map((l) => l.pid).concat([pick.pid]);
  await check(`detail drawer shows the full alert JSON of ${pick.rule}/${pick.pid}`, async () => {
    await page.click(rowSel(pick));
    await page.waitForSelector('[data-testid=drawer]');
    const json = JSON.parse(await page.textContent('[data-testid=drawer] [data-testid=alert-json]'));
    assert.deepEqual(json, pick.alert);
    await page.screenshot({ path: path.join(OUT_DIR, 'dashboard-drawer.png') });
  });
  await check(`lineage view: root first down to the acting process (${expectedChain.join(' > ')})`, async () => {
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=drawer]', { state: 'detached' });
    const nodes = await page.$$eval('[data-testid=lineage-panel] [data-testid=lineage-node]', (els) =>
      els.map((e) => ({ pid: Number(e.getAttribute('data-pid')), actor: e.getAttribute('data-actor') === 'true', text: e.textContent })),
    );
    assert.deepEqual(nodes.map((n) => n.pid), expectedChain);
    assert.deepEqual(nodes.map((n) => n.actor), expectedChain.map((_, i) => i === expectedChain.length - 1));
    assert.ok(nodes[nodes.length - 1].text.includes(pick.alert.event.comm));
    if (expectedChain.length < 2) throw new Error('the alert carries no ancestor');
  });

  await check('rule filter shows only that rule', async () => {
    await page.selectOption('select[aria-label=rule]', pick.rule);
    const rules = await page.$$eval('[data-testid=alert-row]', (els) => els.map((e) => e.getAttribute('data-rule')));
    assert.ok(rules.length > 0);
    assert.deepEqual([...new Set(rules)], [pick.rule]);
    await page.fill('input[aria-label=search]', String(pick.pid));
    const pids = await page.$$eval('[data-testid=alert-row]', (els) => els.map((e) => e.getAttribute('data-pid')));
    assert.ok(pids.includes(String(pick.pid)));
    await page.click('button:has-text("clear")');
    assert.equal(await page.inputValue('select[aria-label=rule]'), '');
  });

  await check('sortable columns: severity descending puts the most severe first; the order goes into the URL', async () => {
    await page.click('[data-testid=sort-severity]');
    const sevs = await page.$$eval('[data-testid=alert-row] .sev, [data-testid=summary-row] .sev', (els) => els.map((e) => e.textContent?.trim()));
    const rank = ['info', 'low', 'medium', 'high', 'critical'];
    const r = sevs.map((x) => rank.indexOf(x ?? ''));
    assert.ok(r.length > 1, `rows: ${sevs}`);
    for (let i = 1; i < r.length; i++) assert.ok(r[i - 1] >= r[i], `severity order broken at ${i}: ${sevs.slice(0, i + 1)}`);
    assert.equal(await page.getAttribute('th[data-col=severity]', 'aria-sort'), 'descending');
    assert.ok(decodeURIComponent(new URL(page.url()).hash).includes('sort=severity:desc'));
    await page.click('[data-testid=sort-time]'); // back to newest first
    assert.equal(await page.getAttribute('th[data-col=time]', 'aria-sort'), 'descending');
  });

  await check('search finds MITRE ids; times show the local date and the age', async () => {
    const mitre = Array.isArray(pick.alert.mitre) ? pick.alert.mitre[0] : null;
    if (mitre) {
      await page.fill('input[aria-label=search]', mitre.toLowerCase());
      const rules = await page.$$eval('[data-testid=alert-row]', (els) => els.map((e) => e.getAttribute('data-id')));
      assert.ok(rules.includes(pick.alert.id), `search ${mitre} finds ${pick.alert.id}`);
    }
    await page.fill('input[aria-label=search]', String(pick.pid)); // the row, however many others arrived
    const cell = await page.textContent(`${rowSel(pick)} td.time`);
    const want = await page.evaluate((ts) => {
      const d = new Date(Date.parse(ts));
      const p = (n) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, pick.alert.timestamp);
    assert.ok(cell.startsWith(want), `time cell ${cell} starts with ${want}`);
    assert.match(cell, /(just now|\d+ (s|min|h|d) ago)$/);
    await page.fill('input[aria-label=search]', '');
  });

  await check('Copy JSON puts the alert on the clipboard; Export NDJSON downloads the filtered alerts', async () => {
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(DASH_URL).origin });
    await page.fill('input[aria-label=search]', String(pick.pid));
    await page.click(rowSel(pick));
    await page.click('[data-testid=drawer] [data-testid=copy-json]');
    await page.waitForFunction(() => document.querySelector('[data-testid=copy-status]')?.textContent === 'copied', null, { timeout: TIMEOUT });
    const clip = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(clip.id, pick.alert.id);
    assert.equal(clip.event.pid, pick.pid);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=drawer]', { state: 'detached' });
    await page.fill('input[aria-label=search]', '');
    await page.selectOption('select[aria-label=rule]', pick.rule);
    const shown = Number(/^(\d+)/.exec(await page.textContent('[data-testid=stream-count]'))[1]);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')]);
    assert.match(dl.suggestedFilename(), /^rtmon-alerts-\d{8}-\d{6}\.ndjson$/);
    const lines = fs.readFileSync(await dl.path(), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.length >= shown && lines.length > 0, `${lines.length} lines, ${shown} shown`);
    assert.deepEqual([...new Set(lines.map((a) => a.rule_id))], [pick.rule]);
    assert.ok(lines.some((a) => a.id === pick.alert.id));
    console.log(`# export: ${lines.length} ${pick.rule} alerts in ${dl.suggestedFilename()}`);
    await page.selectOption('select[aria-label=rule]', '');
  });

  await check('counts over time: a row per raised rule with at least its alerts; by severity and by host', async () => {
    for (const rule of [...new Set(got.map((g) => g.rule))]) {
      const n = got.filter((g) => g.rule === rule).length;
      const total = Number(await page.getAttribute(`[data-testid=count-row][data-key="${rule}"]`, 'data-total'));
      assert.ok(total >= n, `${rule}: ${total} >= ${n}`);
    }
    await page.selectOption('[data-testid=counts-by]', 'severity');
    const sevs = await page.$$eval('[data-testid=count-row]', (els) => els.map((e) => e.getAttribute('data-key')));
    for (const g of got) assert.ok(sevs.includes(g.alert.severity), `${g.alert.severity} in ${sevs}`);
    await page.selectOption('[data-testid=counts-by]', 'host');
    const hosts = await page.$$eval('[data-testid=count-row]', (els) => els.map((e) => e.getAttribute('data-key')));
    assert.ok(hosts.includes(pick.alert.host ?? '(unknown host)'), `host ${pick.alert.host} in ${hosts}`);
    await page.selectOption('[data-testid=counts-by]', 'rule');
  });

  if (process.env.TRIGGER2) {
    await check('pause buffers new alerts and counts them; resume shows them', async () => {
      await page.click('[data-testid=pause]');
      const more = await resolveExpectations(runTrigger(process.env.TRIGGER2));
      const req = more[0];
      await page.waitForSelector('[data-testid=pending-count]');
      await waitFor('pending count', () => true);
      await page.waitForFunction(() => /paused · [1-9]/.test(document.querySelector('[data-testid=pending-count]')?.textContent ?? ''), null, { timeout: TIMEOUT });
      assert.equal(await page.$(rowSel(req)), null, 'not shown while paused');
      await page.click('[data-testid=pause]');
      await page.waitForSelector(rowSel(req), { timeout: TIMEOUT });
      assert.equal(await page.$('[data-testid=pending-count]'), null);
    });
  }

  await check('metrics mini-bars show event rates by type from /metrics', async () => {
    await page.waitForSelector('[data-testid=event-rates] .bar-row', { timeout: 12000 });
    const keys = await page.$$eval('[data-testid=event-rates] .bar-row', (els) => els.map((e) => e.getAttribute('data-key')));
    assert.ok(keys.includes('exec'), `exec among ${keys}`);
    // rates need two polls (3 s apart)
    await page.waitForFunction(() => /\/s total/.test(document.querySelector('[data-testid=metrics] .card-head')?.textContent ?? ''), null, { timeout: 12000 });
  });

  // the main screenshot: the selected alert's lineage, the stream, the panels
  // (the search keeps the row in the 500 shown when other work on the host raises many alerts)
  await page.fill('input[aria-label=search]', String(pick.pid));
  await page.click(rowSel(pick));
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid=drawer]', { state: 'detached' });
  await page.fill('input[aria-label=search]', '');
  await page.screenshot({ path: path.join(OUT_DIR, 'dashboard.png') });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: path.join(OUT_DIR, 'dashboard-1440.png') });

  await check('a reload keeps the history (/api/alerts) and the first alert renders fast', async () => {
    const t0 = Date.now();
    await page.reload({ waitUntil: 'commit' });
    await page.waitForSelector(rowSel(pick), { timeout: TIMEOUT });
    const ms = Date.now() - t0;
    console.log(`# load time: first alert rendered ${ms} ms after reload (target < 500 ms)`);
    const cold = await ctx.newPage();
    const t1 = Date.now();
    await cold.goto(DASH_URL, { waitUntil: 'commit' });
    await cold.waitForSelector('[data-testid=alert-row]', { timeout: TIMEOUT });
    console.log(`# load time: new tab, first alert rendered ${Date.now() - t1} ms`);
    await cold.close();
    // rtmon answers /, the bundle and /api/alerts in under 10 ms each (curl); the rest is the
    // browser's CPU. On a host whose run queue is longer than its cores (parallel test runs), the
    // page gets a fraction of a core and the figure says nothing about the dashboard: then it is
    // printed, and only a hang fails.
    const load = os.loadavg()[0];
    const cores = os.cpus().length;
    const budget = load <= cores ? 500 : 5000;
    if (budget !== 500) console.log(`# load time: not held to 500 ms: load average ${load.toFixed(1)} on ${cores} cores`);
    assert.ok(ms < budget, `first alert after ${ms} ms (budget ${budget} ms, load average ${load.toFixed(1)} on ${cores} cores)`);
  });

  await check('keyboard only: Tab reaches a row, Enter opens the drawer, Tab stays inside it, Escape returns focus to the row', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    if (await page.$('[data-testid=drawer]')) {
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid=drawer]', { state: 'detached' });
    }
    await page.fill('input[aria-label=search]', String(pick.pid));
    await page.focus('input[aria-label=search]');
    let onRow = false;
    const seen = [];
    for (let i = 0; i < 80 && !onRow; i++) {
      await page.keyboard.press('Tab');
      const d = await page.evaluate(() => { const e = document.activeElement; return `${e?.tagName}.${e?.getAttribute('data-testid') ?? e?.getAttribute('aria-label') ?? e?.textContent?.slice(0, 12)}`; });
      seen.push(d);
      onRow = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'alert-row');
    }
    assert.ok(onRow, `Tab never reached an alert row: ${seen.join(' ')}`);
    const rowId = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=drawer]');
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
      const inside = await page.evaluate(() => !!document.activeElement?.closest('[data-testid=drawer]'));
      assert.ok(inside, `focus left the aria-modal drawer after ${i + 1} Tab presses`);
    }
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=drawer]', { state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), rowId);
    await page.fill('input[aria-label=search]', '');
  });

  await check('390 px wide: no horizontal clipping (scrollWidth <= 390)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
    await page.screenshot({ path: path.join(OUT_DIR, 'dashboard-390.png'), fullPage: false });
    console.log(`# 390 px: document scrollWidth ${w}`);
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 392).slice(0, 8).map((e) => `${e.tagName}.${e.className}:${Math.round(e.getBoundingClientRect().right)}`));
    assert.ok(w <= 390, `page is ${w} px wide at 390: ${wide.join(' ')}`);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  await check(`a deep link #alert=ID opens that alert (${pick.rule}/${pick.pid})`, async () => {
    const deep = await ctx.newPage();
    deep.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await deep.goto(`${DASH_URL}#alert=${encodeURIComponent(pick.alert.id)}`);
    await deep.waitForSelector('[data-testid=drawer] [data-testid=alert-json]', { timeout: TIMEOUT });
    const json = JSON.parse(await deep.textContent('[data-testid=drawer] [data-testid=alert-json]'));
    assert.equal(json.id, pick.alert.id);
    // selecting another alert updates the address
    await deep.keyboard.press('Escape');
    assert.ok(decodeURIComponent(new URL(deep.url()).hash).includes(pick.alert.id));
    await deep.close();
  });

  await check('the flood: 2,500 medium alerts after the attacks; after a reload every high and critical alert is still shown', async () => {
    const attacks = truth.filter((a) => (a.severity === 'critical' || a.severity === 'high') && a.kind === 'alert' && !a.summary);
    assert.ok(attacks.some((a) => a.severity === 'critical'), 'no critical alert before the flood');
    const before = truth.length;
    // hidden_exec (medium): 2,500 distinct executions from a dot directory (folding and rate limit are off here)
    // spawned, not spawnSync: the ground-truth SSE reader must keep reading meanwhile
    const flood = await new Promise((resolve) => {
      const c = spawn('python3', ['-c', `
import os, shutil, subprocess, tempfile
d = tempfile.mkdtemp(prefix=".rtmon-flood-", dir="/root")
shutil.copy("/bin/true", d + "/true")
for _ in range(2500):
    subprocess.run([d + "/true"])
shutil.rmtree(d)
`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      c.stderr.on('data', (b) => (stderr += b));
      c.on('close', (status) => resolve({ status, stderr }));
    });
    assert.equal(flood.status, 0, `flood: ${flood.stderr}`);
    await waitFor('2,500 hidden_exec alerts on /events', () => truth.slice(before).filter((a) => a.rule_id === 'hidden_exec').length >= 2500, 120000);
    const fl = await ctx.newPage();
    fl.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await fl.goto(`${DASH_URL}#sev=high,critical`);
    await fl.waitForSelector('[data-testid=alert-row]', { timeout: TIMEOUT });
    const want = attacks.map((a) => a.id);
    let shown = [];
    for (let i = 0; i < 50; i++) {
      shown = await fl.$$eval('[data-testid=alert-row]', (rows) => rows.map((r) => r.getAttribute('data-id')));
      if (want.every((id) => shown.includes(id))) break;
      await sleep(200);
    }
    const missing = want.filter((id) => !shown.includes(id));
    console.log(`# flood: ${want.length} high/critical alerts before 2,500 medium ones; ${want.length - missing.length} shown after the reload`);
    assert.deepEqual(missing, [], `lost to the flood: ${missing.join(' ')}`);
    await fl.close();
  });

  await check('no console errors or warnings', async () => {
    assert.deepEqual(consoleErrors, []);
  });
} finally {
  await ctx.close();
  sse.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`screenshots: ${OUT_DIR}/dashboard.png ${OUT_DIR}/dashboard-drawer.png`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
