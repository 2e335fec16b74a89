// Runs a TypeScript script of this repository with Node, through the same
// module hooks as the CLI (bin/ts-loader.js): `node scripts/run-ts.mjs FILE.ts [args]`.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const [file, ...rest] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node scripts/run-ts.mjs FILE.ts [args]: name the script to run');
  process.exit(2);
}
register('../bin/ts-loader.js', import.meta.url);
process.argv = [process.argv[0], file, ...rest];
await import(pathToFileURL(file).href);
