// Stops the test command early, with the install command, when Debian's
// Chromium is missing: the browser tests never download a browser.
import { accessSync, constants } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
try {
  accessSync(path, constants.X_OK);
} catch {
  console.error(
    `Chromium was not found at ${path}. The browser tests drive Debian's Chromium.\n` +
      'Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n' +
      'or set CHROMIUM_PATH to another Chromium executable.',
  );
  process.exit(1);
}
