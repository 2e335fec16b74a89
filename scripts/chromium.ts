// Launch options for Debian's Chromium, shared by Vitest's browser project
// and Playwright. Nothing here downloads a browser: the path is fixed, and
// CHROMIUM_PATH overrides it.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumLaunchOptions() {
  return {
    executablePath: CHROMIUM_PATH,
    args: [
      '--enable-unsafe-webgpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-sandbox',
      '--disable-quic',
    ],
  };
}
