import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d}from"./chunk-YJKW2PG2.js";import"./chunk-WMASQQEQ.js";export{d as checkImagePolicy,b as formatImageReference,c as imageName,a as parseImageReference};
//# sourceMappingURL=chunk-SV3665E3.js.map
