export { parseTagVersion, newestPatch, type TagVersion } from './versions';
export { findImages, splitImage, type ImageSite } from './find';
export { applyBumps, type Bump } from './edit';
