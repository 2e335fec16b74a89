// Registers bin/ts-loader.js, so `node --import ./scripts/register-ts.mjs x.ts`
// runs a TypeScript script of this repository without a build step.
import { register } from 'node:module';

register('../bin/ts-loader.js', import.meta.url);
