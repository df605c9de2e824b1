export { apiCheck, type ApiCheckOptions, type ApiCheckResult } from './check';
export { scanText, splitDocuments, type ScanOptions, type ScanStats } from './fast-scan';
export { parseObjects } from './full-parse';
export { emptyDocument, type ManifestObject } from './objects';
export { ManifestError } from './errors';
export { replacementAt, servedAt, type Replacement } from './advice';
export {
  defaultTable,
  buildTable,
  lookup,
  servedRange,
  gvkOf,
  latestKubernetes,
  type ServedRange,
  type ApiLifecycle,
  type LifecycleTable,
} from './table';
export {
  judge,
  findingsFor,
  countFindings,
  fails,
  notServed,
  exitCodeFor,
  parseComponentVersions,
  targetFor,
  type Finding,
  type FindingStatus,
  type FailOn,
  type Targets,
} from './verdict';
export { parseMinor, requireMinor, formatMinor, compareMinor, minorsBehind, type Minor } from './versions';
export { versionSkewWarning, MAX_MINORS_BEHIND } from './policy';
export {
  findingMessage,
  textTable,
  tableRows,
  TABLE_HEADER,
  toJson,
  location,
  describeApi,
  plural,
  replacementAdvice,
  summaryLine,
  type JsonFinding,
} from './report';
export { toSarif, ruleId, SARIF_SCHEMA } from './sarif';
export { expandPaths, type Source } from './sources';
export {
  readLiveObjects,
  readHelmReleases,
  decodeHelmRelease,
  serverVersion,
  HELM_RELEASES,
  LIVE_COLLECTIONS,
  LAST_APPLIED,
  type ClusterApi,
} from './cluster';
export { clusterApiOf, httpClusterApi } from './cluster-http';
