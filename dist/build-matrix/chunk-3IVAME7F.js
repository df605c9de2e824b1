import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-CUMEJGN5.js";import"./chunk-ZLQ7JPTY.js";export{d as checkImagePolicy,b as formatImageReference,c as imageName,a as parseImageReference};
//# sourceMappingURL=chunk-3IVAME7F.js.map
