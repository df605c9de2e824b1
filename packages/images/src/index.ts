export { parseImageReference, formatImageReference, imageName, type ImageReference } from './reference';
export { checkImagePolicy, type ImagePolicy, type PolicyViolation } from './policy';
