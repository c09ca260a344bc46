#!/usr/bin/env node
import { guardAgainstStrayErrors } from './guard.js';
import { processIo } from './io.js';
import { main } from './main.js';

guardAgainstStrayErrors((line) => process.stderr.write(line));
process.exitCode = await main(process.argv.slice(2), processIo());
