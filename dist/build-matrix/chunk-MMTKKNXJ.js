import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-GLWBUTUJ.js";import"./chunk-4WBNV63G.js";export{d as checkImagePolicy,b as formatImageReference,c as imageName,a as parseImageReference};
//# sourceMappingURL=chunk-MMTKKNXJ.js.map
