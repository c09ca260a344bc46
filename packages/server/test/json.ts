/**
 * Reads a JSON answer for assertions. Typed loosely on purpose: the tests pin its shape with
 * deepEqual and match, which is stricter than a type.
 */
// biome-ignore lint/suspicious/noExplicitAny: the assertions check the shape
export async function readJson(res: Response): Promise<any> {
  return res.json();
}
