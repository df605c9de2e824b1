import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j}from"./chunk-V5DVCEU3.js";import"./chunk-JANAGAUM.js";import"./chunk-4Q3NUP6F.js";import"./chunk-RV6OVCN4.js";export{f as WORKLOAD_KINDS,a as apiPreflight,b as clientSideApply,h as deploy,e as enforceImagePolicy,j as kubeconfigSource,d as overrideFor,c as parseImageOverrides,g as prepareManifests,i as releaseNamespace};
//# sourceMappingURL=chunk-QF4RC2RN.js.map
