// Decode + LUT + encode of one 2048x1024 8-bit grayscale label mask, per PNG codec: the measurement
// behind the choice of src/apply/png.ts. fast-png and pngjs are not dependencies: this script
// measures them when they can be imported (`npm install --no-save fast-png pngjs`), else says so.
// usage: node bench/png-codecs.mjs <mask.png> [runs]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2];
const runs = Number(process.argv[3] ?? 10);
if (!file) throw new Error('usage: node bench/png-codecs.mjs <mask.png> [runs]');
const bytes = readFileSync(file);
const lut = new Uint8Array(256).map((_, i) => (i * 7) % 34);
const palette = new Uint8Array(768).map((_, i) => (i * 37) & 0xff);
const require = createRequire(path.join(process.env.CODEC_MODULES ?? process.cwd(), 'x.js'));
const optional = (name) => { try { return require(name); } catch { return null; } };

const own = await import(pathToFileURL(path.join(here, '..', 'dist', 'apply', 'png.js')).href);
const codecs = {
  'labelmap png.ts (node:zlib)': () => {
    const img = own.decodePng(bytes);
    const { rows, pixelAt } = own.allocateRows(img.width, img.height, 8);
    for (let y = 0; y < img.height; y++) {
      const s = y * img.width, d = pixelAt(y);
      for (let x = 0; x < img.width; x++) rows[d + x] = lut[img.data[s + x]];
    }
    return own.encodePng(img.width, img.height, 8, rows, palette).length;
  },
};
const fastPng = optional('fast-png');
if (fastPng) codecs['fast-png (pako)'] = () => {
  const img = fastPng.decode(bytes);
  const out = new Uint8Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = lut[img.data[i]];
  const pal = []; for (let i = 0; i < 256; i++) pal.push([palette[3 * i], palette[3 * i + 1], palette[3 * i + 2]]);
  return fastPng.encode({ width: img.width, height: img.height, data: out, depth: 8, channels: 1, palette: pal }).length;
};
const pngjs = optional('pngjs');
if (pngjs) codecs['pngjs (node:zlib; writes gray, no palette)'] = () => {
  const img = pngjs.PNG.sync.read(bytes); // RGBA out
  const out = new pngjs.PNG({ width: img.width, height: img.height, colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false });
  const data = Buffer.alloc(img.width * img.height);
  for (let i = 0; i < data.length; i++) data[i] = lut[img.data[4 * i]];
  out.data = data;
  return pngjs.PNG.sync.write(out, { colorType: 0, inputColorType: 0, bitDepth: 8, inputHasAlpha: false }).length;
};
const rows = [];
for (const [name, f] of Object.entries(codecs)) {
  const times = [];
  let size = 0;
  for (let i = 0; i < runs; i++) { const t = performance.now(); size = f(); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  rows.push(`| ${name} | ${times[0].toFixed(1)} | ${times[Math.floor(times.length / 2)].toFixed(1)} | ${size} |`);
}
if (!fastPng) rows.push('| fast-png | not installed | | |');
if (!pngjs) rows.push('| pngjs | not installed | | |');
console.log(`PNG codecs: decode + LUT + encode of ${path.basename(file)} (${bytes.length} bytes), ${runs} runs, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
console.log('| codec | min ms | median ms | output bytes |\n| --- | ---: | ---: | ---: |\n' + rows.join('\n'));
