export { releaseSchema, workloadSchema, WORKLOAD_KINDS, type Release, type ReleaseWorkload } from './schema';
export { parseRelease, serializeRelease } from './parse';
