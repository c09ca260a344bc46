// One line per command file; the export name is the command's wire name ({{name}}/Greet).
export { Greet } from './greet.js';
