export { Example } from './example.js';
