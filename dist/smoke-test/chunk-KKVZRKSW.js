import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{h as m}from"./chunk-LZT3NZNH.js";import{p as o}from"./chunk-HRMEBO4N.js";import"./chunk-YSAACWSC.js";import"./chunk-3KZIRXFJ.js";import"./chunk-EHZ6K2JN.js";import"./chunk-GGFRNL7H.js";function r(e){let a=o(e);return new m().heading(`Smoke tests: ${e.failed?"failed":"passed"}`,2).paragraph(`${e.passed} passed, ${e.failed} failed, ${e.total} in all`).table(a.header,a.rows)}export{r as smokeSummary};
//# sourceMappingURL=chunk-KKVZRKSW.js.map
