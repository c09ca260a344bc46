import { CommandError, defineCommand, ErrorCode, isPlainObject, param } from '@connector-proxy/core';
import { services } from '../services.js';
import { callSlack, SLACK_MESSAGE_FAILED } from '../slack.js';

/** The Python connector's `PostMessage`, plus replies in threads and Block Kit blocks. */
export const PostMessage = defineCommand({
  description: "Post a message to a Slack channel (chat.postMessage); the body is Slack's answer as JSON text.",
  services,
  params: {
    token: param.str('Slack token (xoxb-… bot token or xoxp-… user token)').secret(),
    channel: param.str('Channel ID (C0123…), or a channel name such as #general'),
    message: param.str('The text (Slack mrkdwn); with blocks, the fallback text of notifications'),
    thread_ts: param.str('Reply in a thread: the ts of the message that starts it').optional(),
    blocks: param.any('Block Kit blocks: a list of block objects, or the JSON text of one').optional(),
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
    // The token goes into a header: a line break or a control character there could never be sent.
    if (!HEADER_SAFE.test(token)) throw invalid('token must be printable text without spaces or line breaks');
    const payload: Record<string, unknown> = { channel, text: message };
    if (thread_ts) payload.thread_ts = thread_ts;
    if (blocks !== undefined) payload.blocks = toBlocks(blocks);
    const url = new URL(`${context.config.API_URL}/chat.postMessage`);
    context.log(`will post to channel ${channel}${thread_ts ? ` in thread ${thread_ts}` : ''}`);
    return callSlack({ url, token, payload }, context);
  },
});

const HEADER_SAFE = /^[!-~]+$/;

/** `blocks` as Slack wants it: a list of objects; JSON text (as Block Kit Builder gives it) is read first. */
function toBlocks(value: unknown): unknown[] {
  let blocks = value;
  if (typeof value === 'string') {
    try {
      blocks = JSON.parse(value);
    } catch {
      throw invalid('blocks is text but not JSON: give a list of block objects or its JSON text');
    }
  }
  if (!Array.isArray(blocks)) throw invalid('blocks must be a list of block objects');
  const bad = blocks.findIndex((block) => !isPlainObject(block) || typeof block.type !== 'string');
  if (bad >= 0) throw invalid(`blocks[${bad}] must be an object with a "type", such as {"type": "section", ...}`);
  return blocks;
}

function invalid(problem: string): CommandError {
  return new CommandError(ErrorCode.InvalidParameters, `invalid parameters: ${problem}`, { httpStatus: 400 });
}
