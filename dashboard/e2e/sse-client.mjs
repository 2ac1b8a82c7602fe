// A minimal SSE reader (node:http) used by the end-to-end test as the ground truth of what the
// server sent: collects every "alert" event (id, data) on a URL.
import http from 'node:http';
import https from 'node:https';

export function readSse(url, onEvent) {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  let req;
  const done = new Promise((resolve, reject) => {
    req = mod.get(u, { headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE ${url}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buf = '';
      let ev = { id: '', event: 'message', data: [] };
      res.on('data', (chunk) => {
        buf += chunk;
        let nl;
        while ((nl = buf.search(/\r\n|\n|\r/)) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + (buf.startsWith('\r\n', nl) ? 2 : 1));
          if (line === '') {
            if (ev.data.length > 0) onEvent({ id: ev.id, event: ev.event, data: ev.data.join('\n') });
            ev = { id: ev.id, event: 'message', data: [] };
            continue;
          }
          if (line.startsWith(':')) continue;
          const c = line.indexOf(':');
          const field = c < 0 ? line : line.slice(0, c);
          let value = c < 0 ? '' : line.slice(c + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'id') ev.id = value;
          else if (field === 'event') ev.event = value;
          else if (field === 'data') ev.data.push(value);
        }
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  return { done, close: () => req.destroy() };
}
