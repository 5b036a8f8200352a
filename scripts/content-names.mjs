// Gives the release front end's main JS, main wasm and wasm-split loader
// names that change whenever their bytes do, so the server can let browsers
// keep them for a year (src/platform/http/assets.rs).
//
// cargo-leptos (`--split`) names each file after its bytes, then patches the
// main JS and wasm to import the loader under its new name, and the loader
// to import the main JS: the main files' names no longer cover their bytes,
// and the three name each other, so no file can carry the hash of its own
// final bytes. Instead all three get one hash: the MD5 of the three files
// (main JS, main wasm, loader, in that order) as they read with each of
// their names written with 22 underscores in place of the hash. Any change
// to any of the three gives all three new names. The server checks the
// same recipe before promising a year (`bundle_hash` in assets.rs).
//
// Usage: node scripts/content-names.mjs SITE_ROOT HASH_FILE OUTPUT_NAME
// Rewrites the three files and their .br/.gz copies, and the js/wasm/split
// lines of HASH_FILE. Does nothing for a build without --split or hashing.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [siteRoot, hashFile, output] = process.argv.slice(2);
if (!siteRoot || !hashFile || !output) {
  console.error('usage: node scripts/content-names.mjs SITE_ROOT HASH_FILE OUTPUT_NAME');
  process.exit(2);
}
const pkg = path.join(siteRoot, 'pkg');
const BLANK = '_'.repeat(22);

const hashText = fs.existsSync(hashFile) ? fs.readFileSync(hashFile, 'utf8') : '';
const hashes = Object.fromEntries(
  hashText.split('\n').filter((l) => l.includes(':')).map((l) => l.split(':').map((s) => s.trim())),
);
if (!hashes.js || !hashes.wasm || !hashes.split) {
  console.log('[content-names] no split, hashed build here: nothing to rename');
  process.exit(0);
}

// The three files, each with the name it is referred to by.
const nameOf = (kind, hash) =>
  ({ js: `${output}.${hash}.js`, wasm: `${output}.${hash}.wasm`, split: `__wasm_split.${hash}.js` })[kind];
const KINDS = ['js', 'wasm', 'split'];
const current = Object.fromEntries(KINDS.map((k) => [k, nameOf(k, hashes[k])]));

// Replaces every occurrence of `from` in `buf` (bytes) with `to` (same length).
function replaceAll(buf, from, to) {
  const f = Buffer.from(from);
  const t = Buffer.from(to);
  if (f.length !== t.length) throw new Error(`cannot replace ${from} with ${to}: lengths differ`);
  const out = Buffer.from(buf);
  for (let at = out.indexOf(f); at !== -1; at = out.indexOf(f, at + t.length)) t.copy(out, at);
  return out;
}
const withNames = (buf, names, hash) =>
  KINDS.reduce((b, k) => replaceAll(b, names[k], nameOf(k, hash)), buf);

const blanked = KINDS.map((k) => {
  const file = path.join(pkg, current[k]);
  if (!fs.existsSync(file)) {
    console.error(`[content-names] ${file} is missing: the hash file does not match this site`);
    process.exit(1);
  }
  return withNames(fs.readFileSync(file), current, BLANK);
});

// Nothing else may name these files, or renaming them would break it.
for (const entry of fs.readdirSync(pkg, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || /\.(br|gz)$/.test(entry.name) || Object.values(current).includes(entry.name)) continue;
  const bytes = fs.readFileSync(path.join(entry.parentPath ?? entry.path, entry.name));
  for (const name of Object.values(current)) {
    if (bytes.includes(name)) {
      console.error(`[content-names] ${entry.name} names ${name}; not renaming`);
      process.exit(1);
    }
  }
}

const bundle = createHash('md5').update(Buffer.concat(blanked)).digest('base64url');
const blankNames = Object.fromEntries(KINDS.map((k) => [k, nameOf(k, BLANK)]));
KINDS.forEach((k, i) => {
  const bytes = withNames(blanked[i], blankNames, bundle);
  const target = path.join(pkg, nameOf(k, bundle));
  for (const suffix of ['', '.br', '.gz']) fs.rmSync(path.join(pkg, current[k] + suffix), { force: true });
  fs.writeFileSync(target, bytes);
  // As cargo-leptos's --precompress makes them: brotli at its best, gzip.
  fs.writeFileSync(
    `${target}.br`,
    zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_LGWIN]: 22,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  );
  fs.writeFileSync(`${target}.gz`, zlib.gzipSync(bytes, { level: 9 }));
});

const rewritten = hashText
  .split('\n')
  .map((l) => {
    const key = l.split(':')[0].trim();
    return KINDS.includes(key) ? `${key}: ${bundle}` : l;
  })
  .join('\n');
fs.writeFileSync(hashFile, rewritten);
console.log(`[content-names] main JS, wasm and loader named ${bundle}`);
