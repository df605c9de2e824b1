export { parseImageReference, formatImageReference, imageName, type ImageReference } from './reference';
export { checkImagePolicy, type ImagePolicy, type PolicyViolation } from './policy';
export {
  parseImageOverrides,
  imageOverridesProblem,
  imageReferenceProblem,
  type ImageOverrides,
} from './overrides';
