import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-4VY26OO3.js";import"./chunk-XMS5T2T2.js";import"./chunk-OXK3ITVL.js";export{a as WORKLOAD_KINDS,d as parseRelease,c as releaseSchema,e as serializeRelease,b as workloadSchema};
//# sourceMappingURL=chunk-BIWXJI7H.js.map
