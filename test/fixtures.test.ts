import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(repo, '../shared/fixtures');
const copies = [
  ['reference-commands.json', 'reference-commands.json'],
  ['xmltodict/samples.json', 'xmltodict-samples.json'],
] as const;

test('the golden data copied from shared/fixtures is the same as its source', (t) => {
  if (!existsSync(shared)) {
    if (process.env.CI) throw new Error(`CI must have the steering fixtures beside the clone: ${shared}`);
    t.skip(`SKIPPED LOUDLY: no ${shared} beside this clone, so the copies cannot be compared`);
    return;
  }
  for (const [source, copy] of copies) {
    const expected = JSON.parse(readFileSync(join(shared, source), 'utf8'));
    const actual = JSON.parse(readFileSync(join(repo, 'fixtures/python-reference', copy), 'utf8'));
    assert.deepEqual(actual, expected, `fixtures/python-reference/${copy} differs from shared/fixtures/${source}`);
  }
});
