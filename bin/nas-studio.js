#!/usr/bin/env node
// Entry point of `npx nas-studio`: registers the TypeScript loader, then runs
// the CLI from src/cli and exits with its code (0 success, 1 failure, 2 bad input).
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./ts-loader.js', import.meta.url);

const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
