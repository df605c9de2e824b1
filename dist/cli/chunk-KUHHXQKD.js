import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-AOAJF4SM.js";import"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";export{d as checkImagePolicy,b as formatImageReference,c as imageName,f as imageOverridesProblem,g as imageReferenceProblem,e as parseImageOverrides,a as parseImageReference};
//# sourceMappingURL=chunk-KUHHXQKD.js.map
