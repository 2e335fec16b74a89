#!/usr/bin/env node
// Entry point of the performance-estimation report: registers the CLI's
// TypeScript loader, then runs scripts/performance-estimation.ts with the
// arguments. `node scripts/estimation-report.mjs --help` lists them.
import { register } from 'node:module';

register('../bin/ts-loader.js', import.meta.url);
const { main } = await import('./performance-estimation.ts');
process.exitCode = main(process.argv.slice(2));
