// One logger for every layer, tagged by layer (`[engine]`, `[storage]`).
// Debug output is off by default; a warning with the same text is printed
// once per tag, so a loop over many candidates does not flood the console.

export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

let debugEnabled = false;
const warned = new Set<string>();

/** Turns debug output of every logger on or off. */
export function setDebugLogging(enabled: boolean): void {
  debugEnabled = enabled;
}

export function createLogger(tag: string): Logger {
  const prefix = `[${tag}]`;
  return {
    debug(message, ...details) {
      if (debugEnabled) console.info(prefix, message, ...details);
    },
    info(message, ...details) {
      console.info(prefix, message, ...details);
    },
    warn(message, ...details) {
      const key = `${prefix} ${message}`;
      if (warned.has(key)) return;
      warned.add(key);
      console.warn(prefix, message, ...details);
    },
    error(message, ...details) {
      console.error(prefix, message, ...details);
    },
  };
}
