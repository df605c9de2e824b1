export { contextFromEnv, type BuildContext } from './context';
export {
  parseTagRule,
  evaluateRule,
  computeTags,
  parseSemver,
  sanitizeTag,
  type TagRule,
  type TagResult,
} from './tag-rules';
export {
  parsePlatforms,
  normalizePlatform,
  platformSlug,
  platformString,
  DEFAULT_PLATFORMS,
} from './platforms';
export { parseRunners, buildMatrix, DEFAULT_RUNNERS, type MatrixEntry } from './matrix';
export { ociAnnotations } from './annotations';
export { mergeIndex, parseDigests, type MergeOptions, type MergeResult } from './merge';
