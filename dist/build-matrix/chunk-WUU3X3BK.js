import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-NVMGT5YB.js";import"./chunk-JXQ4UQC4.js";export{d as checkImagePolicy,b as formatImageReference,c as imageName,f as imageOverridesProblem,g as imageReferenceProblem,e as parseImageOverrides,a as parseImageReference};
//# sourceMappingURL=chunk-WUU3X3BK.js.map
