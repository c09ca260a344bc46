import { defineCommand, param } from '@connector-proxy/core';

/** Answers with the message it was given, word for word as the Python example connector. */
export const Example = defineCommand({
  description: 'Echo a message back, to check that the proxy and a diagram are wired up.',
  params: {
    message: param.str('The message to echo'),
  },
  result: {
    description: 'The message, in the sentence the Python example connector answers with',
    schema: {
      type: 'object',
      required: ['connector_response'],
      properties: { connector_response: { type: 'string' } },
    },
  },
  errors: {},
  run({ message }) {
    return {
      body: { connector_response: `You passed the example connector: '${message}'. Have a good day!` },
      mimetype: 'application/json',
    };
  },
});
