import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-3YIWAHSR.js";import"./chunk-2QEDE6SL.js";export{d as checkImagePolicy,b as formatImageReference,c as imageName,a as parseImageReference};
//# sourceMappingURL=chunk-Q6RMBIAK.js.map
