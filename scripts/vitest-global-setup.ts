import { execFileSync } from 'node:child_process';

// Builds public/data/mnist.bin before the unit tests, because the engine's
// tests read the real digits from it.
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-mnist.mjs'], { stdio: 'inherit' });
}
