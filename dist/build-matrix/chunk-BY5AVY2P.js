import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q}from"./chunk-QRBALNN2.js";import"./chunk-4WBNV63G.js";export{j as ACCEPT_ANY,i as DOCKER_LIST,h as DOCKER_MANIFEST,g as OCI_INDEX,f as OCI_MANIFEST,p as RegistryClient,d as RegistryError,b as SHA256_DIGEST,q as dockerConfigCredentials,m as formatPlatform,l as isImageManifest,k as isIndex,e as isUnknown,a as parseChallenge,n as registryBaseUrl,o as retryAfterMs,c as sha256Digest};
//# sourceMappingURL=chunk-BY5AVY2P.js.map
