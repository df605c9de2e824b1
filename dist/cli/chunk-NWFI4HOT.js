import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-QRBHROHW.js";import"./chunk-C3HX2ZDR.js";import"./chunk-42K7EYZJ.js";import"./chunk-2UNLCJKS.js";export{a as WORKLOAD_KINDS,d as parseRelease,c as releaseSchema,e as serializeRelease,b as workloadSchema};
//# sourceMappingURL=chunk-NWFI4HOT.js.map
