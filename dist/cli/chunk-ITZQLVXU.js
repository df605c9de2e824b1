import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-AZPI2DGV.js";import"./chunk-RFACM5MS.js";import"./chunk-2UNLCJKS.js";export{d as checkImagePolicy,b as formatImageReference,c as imageName,a as parseImageReference};
//# sourceMappingURL=chunk-ITZQLVXU.js.map
