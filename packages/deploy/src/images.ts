import { ConfigurationError } from '@upgrade-actions/common';
import {
  checkImagePolicy,
  imageName,
  parseImageReference,
  type ImageOverrides,
  type ImagePolicy,
} from '@upgrade-actions/images';

export { parseImageOverrides, type ImageOverrides } from '@upgrade-actions/images';

/** The override for `image` (its canonical name and the reference to use), or undefined when none names it. */
export function overrideFor(
  image: string,
  overrides: ImageOverrides,
): { name: string; ref: string } | undefined {
  if (overrides.size === 0) return undefined;
  let name: string;
  try {
    name = imageName(parseImageReference(image));
  } catch {
    return undefined; // an image we cannot parse is the server's to judge, not ours to replace
  }
  const ref = overrides.get(name);
  return ref === undefined ? undefined : { name, ref };
}

/** The production policy over every image a deploy would run; all violations in one error. */
export function enforceImagePolicy(images: string[], policy: ImagePolicy): void {
  const violations = checkImagePolicy([...new Set(images)], policy);
  if (violations.length === 0) return;
  const input = violations.every((v) => v.rule === 'missing-digest') ? 'require-digest' : 'forbid-latest';
  throw new ConfigurationError(`${input}: ${violations.map((v) => v.message).join('; ')}`);
}
