export { Example } from './example.js';
export { Wait } from './wait.js';
