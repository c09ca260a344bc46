import { CommandError, defineCommand, param } from '@connector-proxy/core';

/** A sample command to replace with a real one: greets someone by name. */
export const Greet = defineCommand({
  description: 'Greet someone by name.',
  params: {
    name: param.str('Who to greet'),
    greeting: param.str('The word to greet with').default('Hello'),
    times: param.int('How many times to say it').default(1),
    shout: param.bool('Write the greeting in capitals').optional(),
  },
  run({ name, greeting, times, shout }, { log }) {
    if (name.trim() === '') {
      // An expected failure: a stable error code a BPMN error boundary event can catch.
      throw new CommandError('EmptyName', 'name must not be empty', { httpStatus: 400 });
    }
    if (times < 1 || times > 10) {
      throw new CommandError('InvalidTimes', `times must be from 1 to 10, got ${times}`, { httpStatus: 400 });
    }
    log(`greeting ${name} ${times} time(s)`);
    const text = Array.from({ length: times }, () => `${greeting}, ${name}!`).join(' ');
    return { body: { message: shout ? text.toUpperCase() : text } };
  },
});
