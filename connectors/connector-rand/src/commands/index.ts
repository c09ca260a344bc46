// The wire name is `Number`; the constant has another name because `Number` would shadow the global.
export { RandomNumber as Number } from './number.js';
