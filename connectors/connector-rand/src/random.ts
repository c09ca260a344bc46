import { randomBytes, randomInt } from 'node:crypto';

/** randomInt() refuses a range of 2^48 or more, so larger bounds draw their own bytes. */
const RANDOM_INT_RANGE = 2n ** 48n;

/**
 * A uniformly distributed whole number from 1 to `max` inclusive, from the operating system's
 * CSPRNG. Any size works: below 2^48 it is `crypto.randomInt`; above, rejection sampling over
 * random bytes (a draw outside the range is thrown away, so no value is more likely than another).
 */
export function randomUpTo(max: bigint): bigint {
  if (max < 1n) throw new RangeError(`max must be at least 1, got ${max}`);
  if (max < RANDOM_INT_RANGE) return BigInt(randomInt(1, Number(max) + 1));
  const bits = max.toString(2).length;
  const bytes = Math.ceil(bits / 8);
  // Drop the top bits no value below max can have, so that at least half of the draws are kept.
  const excess = BigInt(bytes * 8 - bits);
  for (;;) {
    const drawn = BigInt(`0x${randomBytes(bytes).toString('hex')}`) >> excess;
    if (drawn < max) return drawn + 1n;
  }
}
