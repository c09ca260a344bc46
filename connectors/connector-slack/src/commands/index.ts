export { PostMessage } from './post-message.js';
