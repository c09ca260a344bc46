import { checkForErrors } from './backend.js';
import { isDict, loadsLikePython } from './python-json.js';

/** What Arena's callback route makes of a body it accepted past authentication and mimetype. */
export type CallbackRead =
  | { kind: 'invalid'; code: 'invalid_callback_body' | 'unexpected_workflow_exception'; message: string }
  | {
      kind: 'completed';
      /** What the task's result variable gets: `command_response.body`, JSON-decoded when it is JSON text. */
      stored: unknown;
      /** The envelope's error as Arena's `check_for_errors` reads it (status 200), when there is one. */
      error: { errorCode: string; message: string; status: number; transient: boolean } | undefined;
      /** The body parsed as JSON. */
      content: Record<string, unknown>;
    };

/**
 * Reads a callback body as `ServiceTaskService.complete_waiting_callback` does: errors first (an
 * error that a boundary event catches goes on to the body), then `command_response.body`, which
 * must be present also on failure. The kit's endpoint then answers as if a boundary event caught
 * the error; without one Arena answers 400 unexpected_workflow_exception and the task fails.
 */
export function readCallback(text: string): CallbackRead {
  const loaded = loadsLikePython(text || '{}');
  if (!loaded.ok)
    return {
      kind: 'invalid',
      code: 'invalid_callback_body',
      message: `The callback body is not JSON: ${loaded.problem}`,
    };
  const content = loaded.value ?? {};
  if (!isDict(content))
    return { kind: 'invalid', code: 'invalid_callback_body', message: 'The callback body must be a JSON object.' };
  const checked = checkForErrors(content, 200);
  if (checked?.kind === 'crash') {
    const message = `Reading the callback raises ${checked.exception}: ${checked.message}`;
    return { kind: 'invalid', code: 'unexpected_workflow_exception', message };
  }
  const response = content.command_response;
  if (!isDict(response) || !Object.hasOwn(response, 'body')) {
    return {
      kind: 'invalid',
      code: 'invalid_callback_body',
      message: 'Service task callbacks must provide a command_response.body value.',
    };
  }
  let stored = response.body;
  if (typeof stored === 'string' && response.mimetype === 'application/json') {
    const decoded = loadsLikePython(stored);
    if (decoded.ok) stored = decoded.value;
  }
  return { kind: 'completed', stored, error: checked?.failure, content };
}
