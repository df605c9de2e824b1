import { z } from 'zod';

/**
 * The release descriptor, version "v1": what `deploy` changed, handed to health-probe, smoke-test,
 * canary, promote and rollback as one JSON output, so that rollback knows exactly what to undo.
 */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

const revision = z.number().int().min(0).nullable();

export const workloadSchema = z.strictObject({
  kind: z.enum(WORKLOAD_KINDS),
  name: z.string().min(1),
  namespace: z.string().min(1),
  /** The revision running before the deploy (null: the workload did not exist). */
  revisionBefore: revision,
  /** The revision the deploy produced (null: not known yet, e.g. the rollout never started). */
  revisionAfter: revision,
  changeCause: z.string().optional(),
  /** Container name → image reference, as applied. */
  images: z.record(z.string(), z.string()).optional(),
});

export const releaseSchema = z.strictObject({
  version: z.literal('v1'),
  cluster: z
    .strictObject({
      context: z.string().optional(),
      server: z.string().optional(),
      kubernetesVersion: z.string().optional(),
    })
    .default({}),
  namespace: z.string().min(1),
  /** Image name → full reference, ideally with a digest (`ghcr.io/acme/app@sha256:…`). */
  images: z.record(z.string(), z.string()).default({}),
  workloads: z.array(workloadSchema),
  createdAt: z.string().optional(),
  source: z
    .strictObject({
      repository: z.string().optional(),
      sha: z.string().optional(),
      pullRequest: z.number().int().optional(),
      runId: z.string().optional(),
    })
    .optional(),
});

export type Release = z.infer<typeof releaseSchema>;
export type ReleaseWorkload = z.infer<typeof workloadSchema>;
