// Loads public/data/mnist.bin from disk for Node (tests, CLI). Kept apart
// from mnist.ts so browser bundles never import node:fs.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { NasError } from '../../core/errors';
import { decodeMnist, type ImageDataset } from './mnist';

/** Default location of the asset, relative to this file. */
const DEFAULT_PATH = fileURLToPath(new URL('../../../public/data/mnist.bin', import.meta.url));

/**
 * Reads and decodes the MNIST asset. Throws NasError('not_found') when the
 * file is missing, and decodeMnist's error when it is corrupt.
 */
export async function loadMnistNode(path: string = DEFAULT_PATH): Promise<ImageDataset> {
  let file: Buffer;
  try {
    file = await readFile(path);
  } catch (error) {
    throw new NasError('not_found', `MNIST asset ${path} could not be read: run \`npm run data\` to build it`, {
      cause: error,
    });
  }
  // Copy into an ArrayBuffer of its own: a Buffer may be a view of a larger pool.
  const buffer = file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
  return decodeMnist(buffer);
}
