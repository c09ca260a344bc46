// One line per command file; the export name is the command's wire name (__NAME__/Greet).
export { Greet } from './greet.js';
