import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k}from"./chunk-3IZQISNK.js";import"./chunk-DMNZKJDM.js";import"./chunk-BBADV4IF.js";import"./chunk-BGWCMEFG.js";export{h as DeployProgress,f as WORKLOAD_KINDS,a as apiPreflight,b as clientSideApply,i as deploy,e as enforceImagePolicy,k as kubeconfigSource,d as overrideFor,c as parseImageOverrides,g as prepareManifests,j as releaseNamespace};
//# sourceMappingURL=chunk-TD7BMPWY.js.map
