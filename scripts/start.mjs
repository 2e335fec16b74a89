// `npm start`: installs the dependencies when node_modules is missing or older
// than package-lock.json, builds the MNIST asset, then starts the studio's
// development server. Extra arguments go to Vite (e.g. `npm start -- --host`).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const installedMarker = 'node_modules/.package-lock.json';
const needsInstall =
  !existsSync(installedMarker) || statSync('package-lock.json').mtimeMs > statSync(installedMarker).mtimeMs;
if (needsInstall) {
  console.info('[start] installing dependencies with npm ci');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
run(process.execPath, ['scripts/build-mnist.mjs']);
run('npx', ['vite', ...process.argv.slice(2)]);
