import { join } from 'node:path';
import { createHost, writeConnector } from './fixtures.js';

/** A host folder with connectors/connector-demo: commands that succeed, fail and answer the legacy way. */
export function createDemoHost(): string {
  const root = createHost();
  writeConnector(join(root, 'connectors/connector-demo'), {
    name: 'demo',
    commands: {
      Echo: `{
        description: 'Echo the parameters and the task data back, to see what a command receives.',
        params: {
          message: param.str('What to echo'),
          count: param.int('How many times').default(1),
          tags: param.any('Anything JSON').optional(),
          loud: param.bool().optional(),
        },
        run(params, { log, taskData }) {
          log('echoing');
          return { body: { ...params, taskData } };
        },
      }`,
      Fail: `{
        params: {},
        run() {
          throw new CommandError('DemoFailed', 'it failed on purpose', { httpStatus: 502 });
        },
      }`,
      Legacy: `{
        params: {},
        run: () => ({ response: '{"legacy":true}', status: 201, mimetype: 'application/json' }),
      }`,
    },
  });
  return root;
}
