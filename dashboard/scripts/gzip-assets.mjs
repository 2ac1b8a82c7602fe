// Writes NAME.gz next to each compressible file of the build (dist/), with Node's zlib, for rtmon
// to send on Accept-Encoding: gzip. Keeps a .gz only when it is smaller.
import { readdirSync, readFileSync, statSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|txt|map)$/i;

export function gzipTree(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) {
      out.push(...gzipTree(p));
      continue;
    }
    if (!COMPRESSIBLE.test(name)) continue;
    const raw = readFileSync(p);
    const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
    if (gz.length < raw.length) {
      writeFileSync(`${p}.gz`, gz);
      out.push({ file: p, raw: raw.length, gz: gz.length });
    } else if (existsSync(`${p}.gz`)) {
      unlinkSync(`${p}.gz`);
    }
  }
  return out;
}

const dir = process.argv[2] ?? 'dist';
for (const f of gzipTree(dir)) console.log(`gzip ${f.file}: ${f.raw} -> ${f.gz} bytes`);
