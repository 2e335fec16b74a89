// Node module hooks that let the CLI run the TypeScript sources directly:
// resolve extensionless relative imports (the Bundler resolution that
// tsconfig.json uses) to .ts files, and strip types with Vite's Oxc
// transform, which `npm ci` installs with Vite. No build step is needed.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

let transformWithOxc;

function isFile(path) {
  return existsSync(path) && statSync(path).isFile();
}

/** Maps `./x` imported from a .ts module to x.ts or x/index.ts when Node's own rules find nothing. */
export async function resolve(specifier, context, nextResolve) {
  const fromTypeScript = context.parentURL?.endsWith('.ts') ?? false;
  const isRelative = specifier.startsWith('./') || specifier.startsWith('../');
  if (!fromTypeScript || !isRelative) return nextResolve(specifier, context);

  const base = fileURLToPath(new URL(specifier, context.parentURL));
  if (isFile(base)) return nextResolve(specifier, context);
  for (const candidate of [`${base}.ts`, `${base}/index.ts`]) {
    if (isFile(candidate)) return { url: pathToFileURL(candidate).href, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

/** Strips the types of .ts modules and keeps a source map, so stack traces point at the .ts lines. */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);

  transformWithOxc ??= (await import('vite')).transformWithOxc;
  const filename = fileURLToPath(url);
  const code = await readFile(filename, 'utf8');
  const result = await transformWithOxc(code, filename, { lang: 'ts', sourcemap: true });
  const map = Buffer.from(JSON.stringify(result.map)).toString('base64');
  const source = `${result.code}\n//# sourceMappingURL=data:application/json;base64,${map}\n`;
  return { format: 'module', source, shortCircuit: true };
}
