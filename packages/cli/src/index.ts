export { UsageError } from './args.js';
export type { Io } from './io.js';
export { processIo } from './io.js';
export { main } from './main.js';
