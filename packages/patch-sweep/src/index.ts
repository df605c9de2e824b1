export { parseTagVersion, newestPatch, type TagVersion } from './versions';
export { findImages, splitImage, type ImageSite } from './find';
export { applyBumps, type Bump } from './edit';
export { sweep, checkPatterns, SweepError, type SweepOptions, type SweepResult, type Update } from './sweep';
export {
  PULL_REQUEST_MARKER,
  UPDATE_HEADER,
  commitMessage,
  pullRequestBody,
  pullRequestTitle,
  toText,
  updateRows,
} from './report';
export { publish, type PublishOptions, type Published } from './publish';
