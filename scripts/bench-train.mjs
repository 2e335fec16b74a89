// Entry point of `npm run bench:train`: registers the TypeScript loader the
// CLI uses, then runs scripts/bench-train/main.ts and exits with its code.
import { register } from 'node:module';

register('../bin/ts-loader.js', import.meta.url);

const { main } = await import('./bench-train/main.ts');
process.exitCode = await main(process.argv.slice(2));
