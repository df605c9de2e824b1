import { z } from 'zod';

/** Durations as the rest of the suite writes them: 500ms, 5s, 1m. */
const duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h)$|^\d+(\.\d+)?$/, 'expected a duration such as 500ms, 5s or 1m');

const status = z.union([
  z.number().int().min(100).max(599),
  z.string(),
  z.array(z.union([z.number().int(), z.string()])).min(1),
]);

const jsonAssertion = z
  .object({
    path: z.string().startsWith('$', 'a JSONPath starts with $ (e.g. $.status, $.items[0].name)'),
    equals: z.unknown().optional(),
    matches: z.string().optional(),
    exists: z.boolean().optional(),
  })
  .strict()
  .refine((a) => ['equals', 'matches', 'exists'].filter((k) => k in a).length === 1, {
    message: 'give exactly one of equals, matches or exists',
  });

const expectation = z
  .object({
    status: status.optional(),
    /** Header name → regular expression its value must match. */
    headers: z.record(z.string(), z.string()).optional(),
    json: z.array(jsonAssertion).optional(),
    /** A regular expression the body must match. */
    body: z.string().optional(),
    maxLatency: duration.optional(),
  })
  .strict();

const retries = z
  .object({
    attempts: z.number().int().min(1).max(100),
    backoff: duration.optional(),
    maxBackoff: duration.optional(),
  })
  .strict();

const request = z
  .object({
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET or POST')
      .optional(),
    path: z.string().optional(),
    url: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.string().optional(),
    /** A JSON body; sets content-type: application/json unless given. */
    json: z.unknown().optional(),
    timeout: duration.optional(),
  })
  .strict()
  .refine((r) => (r.path === undefined) !== (r.url === undefined), {
    message: 'give either path (joined to baseUrl) or url',
  })
  .refine((r) => r.body === undefined || r.json === undefined, {
    message: 'give either body or json, not both',
  });

const step = z
  .object({
    name: z.string().min(1),
    request,
    expect: expectation.optional(),
    retries: retries.optional(),
    /** Variable name → JSONPath into the response body; setup steps only, for the tests after them. */
    capture: z.record(z.string().regex(/^[A-Za-z_][\w.-]*$/), z.string().startsWith('$')).optional(),
  })
  .strict();

export const smokeFileSchema = z
  .object({
    baseUrl: z.string().optional(),
    variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    parallelism: z.number().int().min(1).max(64).optional(),
    defaults: z
      .object({
        headers: z.record(z.string(), z.string()).optional(),
        timeout: duration.optional(),
        retries: retries.optional(),
      })
      .strict()
      .optional(),
    setup: z.array(step).optional(),
    tests: z.array(step).min(1, 'a smoke test file needs at least one test'),
    teardown: z.array(step).optional(),
  })
  .strict();

export type SmokeFile = z.infer<typeof smokeFileSchema>;
export type SmokeStep = z.infer<typeof step>;
export type Expectation = z.infer<typeof expectation>;
export type JsonAssertion = z.infer<typeof jsonAssertion>;
