import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,e as c,f as d,g as e,h as f,i as g,j as h,k as i,l as j,m as k}from"./chunk-ZEF3VW2X.js";import"./chunk-MM63VJOD.js";import"./chunk-KDTANXRN.js";import"./chunk-GHKEP26Q.js";export{h as DeployProgress,f as WORKLOAD_KINDS,a as apiPreflight,b as clientSideApply,i as deploy,e as enforceImagePolicy,k as kubeconfigSource,d as overrideFor,c as parseImageOverrides,g as prepareManifests,j as releaseNamespace};
//# sourceMappingURL=chunk-Z5GNIWQW.js.map
