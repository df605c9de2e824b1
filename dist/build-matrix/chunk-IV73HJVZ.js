import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-F7QZS5Y5.js";import"./chunk-43XONAXD.js";export{d as checkImagePolicy,b as formatImageReference,c as imageName,f as imageOverridesProblem,g as imageReferenceProblem,e as parseImageOverrides,a as parseImageReference};
//# sourceMappingURL=chunk-IV73HJVZ.js.map
