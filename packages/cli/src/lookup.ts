import type { Registry, Target } from '@connector-proxy/core';
import { UsageError } from './args.js';
import { closest, didYouMean } from './suggest.js';

/** A command that is not there; the message names the closest ones and every known one. */
export class UnknownCommandError extends Error {
  override readonly name = 'UnknownCommandError';
}

/**
 * The command `id` (`connector/Command`) names. A malformed id is a {@link UsageError}, an unknown
 * one an {@link UnknownCommandError}; both suggest the closest ids (case-insensitive edit distance).
 */
export function findTarget(registry: Registry, id: string): Target {
  const known = registry.entries().map((e) => e.id);
  const [connector = '', name = '', ...more] = id.split('/');
  if (connector === '' || name === '' || more.length > 0) {
    // "Example" alone: compare it with the command part of each id.
    const near = registry
      .entries()
      .filter((e) => closest(id, [e.name]).length > 0)
      .map((e) => JSON.stringify(e.id))
      .slice(0, 3);
    const suggestion = near.length > 0 ? `; did you mean ${near.join(' or ')}?` : '';
    throw new UsageError(
      `give the command as <connector>/<Command> (e.g. example/Example), got ${JSON.stringify(id)}${suggestion}`,
    );
  }
  const target = registry.target(connector, name);
  if (target) return target;
  const hint = didYouMean(id, known);
  const list =
    known.length === 0 ? 'no connectors were found here' : `${hint ? 'Known' : 'known'}: ${known.join(', ')}`;
  throw new UnknownCommandError(`there is no command ${JSON.stringify(id)}${hint}${hint ? ' ' : '; '}${list}`);
}

/** Refuses parameters the command does not declare, naming the closest declared ones. */
export function checkParamNames(target: Target, body: Record<string, unknown>): void {
  const declared = Object.keys(target.command.params);
  for (const key of Object.keys(body)) {
    if (Object.hasOwn(target.command.params, key)) continue;
    const hint = didYouMean(key, declared);
    const list = declared.length > 0 ? `${hint ? 'Its' : 'its'} parameters: ${declared.join(', ')}` : 'it takes none';
    throw new UsageError(`${target.id} has no parameter ${JSON.stringify(key)}${hint}${hint ? ' ' : '; '}${list}`);
  }
}
