import { JSONPath } from 'jsonpath-plus';

/**
 * JSONPath through jsonpath-plus: the most used JavaScript implementation (the syntax SREs know
 * from kubectl's -o jsonpath and from API test tools: `$.items[0].metadata.name`, filters, `..`),
 * maintained, and since v10 evaluating filter expressions in its own sandbox rather than with eval,
 * which matters because paths come from a file in the repository. JSON Pointer would be simpler but
 * has no filters and no `.length`.
 */
export function queryJson(path: string, json: unknown): unknown[] {
  return JSONPath({ path, json: json as object, wrap: true, eval: 'safe' }) as unknown[];
}

/** Validates a path by running it on an empty document; throws with the library's message. */
export function compileJsonPath(path: string): void {
  if (!path.startsWith('$')) throw new Error(`"${path}" is not a JSONPath; start it with $ (e.g. $.status)`);
  try {
    queryJson(path, { probe: [{ a: 1 }] });
  } catch (e) {
    throw new Error(`"${path}" is not a valid JSONPath: ${(e as Error).message}`);
  }
}
