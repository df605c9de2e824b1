import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{g as m}from"./chunk-LUBNVXKK.js";import{n as o}from"./chunk-EBUSN3AY.js";import"./chunk-WBS52KD5.js";import"./chunk-JBBOZ5PJ.js";import"./chunk-Z53N7CF2.js";function r(e){let a=o(e);return new m().heading(`Smoke tests: ${e.failed?"failed":"passed"}`,2).paragraph(`${e.passed} passed, ${e.failed} failed, ${e.total} in all`).table(a.header,a.rows)}export{r as smokeSummary};
//# sourceMappingURL=chunk-PQ7VJUQ2.js.map
