export { SendEmail } from './send-email.js';
