import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-5KJIMAU2.js";import"./chunk-C3HX2ZDR.js";import"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";export{a as WORKLOAD_KINDS,d as parseRelease,c as releaseSchema,e as serializeRelease,b as workloadSchema};
//# sourceMappingURL=chunk-YG4AET6Z.js.map
