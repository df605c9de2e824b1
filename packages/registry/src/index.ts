export {
  RegistryClient,
  registryBaseUrl,
  retryAfterMs,
  type RegistryClientOptions,
  type Manifest,
} from './client';
export { parseChallenge, type Challenge } from './challenge';
export { dockerConfigCredentials, type Credentials } from './credentials';
export { sha256Digest, SHA256_DIGEST } from './digest';
export { RegistryError, isUnknown } from './errors';
export * from './media-types';
export {
  startLocalRegistry,
  REGISTRY_BIN,
  type LocalRegistry,
  type LocalRegistryOptions,
} from './local-registry';
export { pushImage, platformConfig } from './small-image';
/** Where the registry takes its port from; kept here for the callers that start one. */
