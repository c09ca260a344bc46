export { LlmRequest } from './llm-request.js';
