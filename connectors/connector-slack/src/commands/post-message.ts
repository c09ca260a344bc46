import { defineCommand, param } from '@connector-proxy/core';
import { blocks, token } from '../params.js';
import { services } from '../services.js';
import { callSlack, SLACK_MESSAGE_FAILED } from '../slack.js';

/** The Python connector's `PostMessage`, plus replies in threads and Block Kit blocks. */
export const PostMessage = defineCommand({
  description: "Post a message to a Slack channel (chat.postMessage); the body is Slack's answer as JSON text.",
  services,
  params: {
    token,
    channel: param.str('Channel ID (C0123…), or a channel name such as #general'),
    message: param.str('The text (Slack mrkdwn); with blocks, the fallback text of notifications'),
    thread_ts: param.str('Reply in a thread: the ts of the message that starts it').optional(),
    blocks,
  },
  result: {
    description: "Slack's chat.postMessage answer as JSON text (json.loads it): ok, channel, ts, message.",
    schema: { type: 'string', contentMediaType: 'application/json' },
  },
  errors: {
    [SLACK_MESSAGE_FAILED]:
      "Slack refused the message (ok: false; the message is Slack's, http_status 400 or Slack's own) or its answer was not JSON.",
    ConnectionError: 'Slack could not be reached (http_status 502).',
  },
  async run({ token, channel, message, thread_ts, blocks }, context) {
    const payload: Record<string, unknown> = { channel, text: message };
    if (thread_ts) payload.thread_ts = thread_ts;
    if (blocks !== undefined) payload.blocks = blocks;
    const url = new URL(`${context.config.API_URL}/chat.postMessage`);
    context.log(`will post to channel ${channel}${thread_ts ? ` in thread ${thread_ts}` : ''}`);
    return callSlack({ url, token, payload }, context);
  },
});
