#!/usr/bin/env node
// Entry point of the MNIST architecture fixture: registers the CLI's
// TypeScript loader, then runs scripts/proxy-fixture.ts with the arguments.
// `node scripts/make-proxy-fixture.mjs --help` lists them.
import { register } from 'node:module';

register('../bin/ts-loader.js', import.meta.url);
const { main } = await import('./proxy-fixture.ts');
process.exitCode = await main(process.argv.slice(2));
