#!/usr/bin/env node
// Thin shim: the real program lives in dist/ (built by `npm run build`).
import { run } from '../dist/main.js';

process.exitCode = await run(process.argv.slice(2));
