#!/usr/bin/env node
// Development stand-in for rtmon's listener (same wire format): GET /events (SSE: id / event: alert /
// data, Last-Event-ID resume from a ring, keep-alive comments), /api/alerts?limit=N, /metrics
// (Prometheus text), /healthz, the built dashboard from --dist, and POST /trigger to emit alerts
// (answers "EXPECT <rule_id> <pid>" lines). Usage: node e2e/fixture-server.mjs --dist dist [--port 0] [--seed 40]
// Binds 127.0.0.1 only. Not used by the real end-to-end test (tests/integration/dashboard_e2e.sh).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { makeAlert, seed } from './fixtures.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, v, i, all) => (v.startsWith('--') ? [...acc, [v.slice(2), all[i + 1]]] : acc), []),
);
const dist = path.resolve(args.dist ?? 'dist');
const port = Number(args.port ?? 0);
const RING = 1024;
const ring = [];
const clients = new Set();
const started = Date.now();
const counters = { exec: 0, fork: 0, exit: 0, connect: 0, mmap: 0, mprotect: 0, memfd_create: 0, ptrace: 0 };
const byRule = {};

function publish(a) {
  ring.push(a);
  if (ring.length > RING) ring.shift();
  byRule[a.rule_id] = (byRule[a.rule_id] ?? 0) + 1;
  const frame = `id: ${a.id}\nevent: alert\ndata: ${JSON.stringify(a)}\n\n`;
  for (const c of clients) c.write(frame);
}

for (const a of seed(Date.now(), Number(args.seed ?? 0), 25)) publish(a);

// event counters move like a busy host
setInterval(() => {
  counters.exec += 3 + Math.floor(Math.random() * 5);
  counters.fork += 4 + Math.floor(Math.random() * 6);
  counters.exit += 4 + Math.floor(Math.random() * 6);
  counters.connect += 10 + Math.floor(Math.random() * 20);
  counters.mmap += 30 + Math.floor(Math.random() * 40);
  counters.mprotect += 8 + Math.floor(Math.random() * 10);
}, 500).unref();

function metrics() {
  const l = [];
  l.push('# HELP rtmon_events_total Events received from the kernel, by type.', '# TYPE rtmon_events_total counter');
  for (const [t, v] of Object.entries(counters)) l.push(`rtmon_events_total{type="${t}"} ${v}`);
  l.push('# TYPE rtmon_alerts_total counter');
  for (const [r, v] of Object.entries(byRule)) l.push(`rtmon_alerts_total{rule="${r}"} ${v}`);
  l.push('# TYPE rtmon_drops_total counter', 'rtmon_drops_total{cause="ringbuf"} 0');
  l.push('# TYPE rtmon_ringbuf_fill_ratio gauge', `rtmon_ringbuf_fill_ratio ${(Math.random() * 0.05).toFixed(4)}`);
  l.push('# TYPE rtmon_processes gauge', 'rtmon_processes 412');
  l.push('# TYPE rtmon_uptime_seconds gauge', `rtmon_uptime_seconds ${((Date.now() - started) / 1000 + 3725).toFixed(0)}`);
  return l.join('\n') + '\n';
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };

function serveStatic(req, res, pathname) {
  const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = path.resolve(dist, rel);
  if (!file.startsWith(dist + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found\n');
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}

function trigger(res, scenario) {
  const now = Date.now();
  const lines = [];
  const emit = (a) => {
    publish(a);
    lines.push(`EXPECT ${a.rule_id} ${a.event.pid}`);
  };
  const pid = 20000 + Math.floor(Math.random() * 10000);
  if (scenario === 'more') {
    emit(makeAlert('suspicious_exec', now, { pid, container: null }));
  } else {
    emit(makeAlert('memfd', now, { pid, container: null, comm: '<i>rtmon</i>' }));
    emit(makeAlert('reverse_shell', now, { pid: pid + 1, container: null, comm: 'sh' }));
    emit(makeAlert('suspicious_exec', now, { pid: pid + 2 }));
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(lines.join('\n') + '\n');
}

const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (req.method === 'POST' && u.pathname === '/trigger') return trigger(res, u.searchParams.get('scenario') ?? 'default');
  if (req.method !== 'GET') {
    res.writeHead(405);
    return res.end();
  }
  switch (u.pathname) {
    case '/events': {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write('retry: 1000\n\n');
      const last = req.headers['last-event-id'];
      if (last) {
        const i = ring.findIndex((a) => a.id === last);
        for (const a of i >= 0 ? ring.slice(i + 1) : []) res.write(`id: ${a.id}\nevent: alert\ndata: ${JSON.stringify(a)}\n\n`);
      }
      clients.add(res);
      const ka = setInterval(() => res.write(': keep-alive\n\n'), 5000);
      req.on('close', () => {
        clearInterval(ka);
        clients.delete(res);
      });
      return;
    }
    case '/api/alerts': {
      const limit = Math.max(1, Math.min(RING, Number(u.searchParams.get('limit') ?? 100)));
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(ring.slice(-limit)));
    }
    case '/metrics':
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      return res.end(metrics());
    case '/healthz':
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"status":"ok"}\n');
    default:
      return serveStatic(req, res, u.pathname);
  }
});
server.listen(port, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
const stop = () => {
  for (const c of clients) c.end();
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
