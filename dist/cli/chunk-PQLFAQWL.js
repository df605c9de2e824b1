import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-I3QWTGZW.js";import"./chunk-42K7EYZJ.js";import"./chunk-2UNLCJKS.js";export{d as checkImagePolicy,b as formatImageReference,c as imageName,f as imageOverridesProblem,g as imageReferenceProblem,e as parseImageOverrides,a as parseImageReference};
//# sourceMappingURL=chunk-PQLFAQWL.js.map
