import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{g as m}from"./chunk-DUD46GWZ.js";import{p as o}from"./chunk-3SBRXKQN.js";import"./chunk-XJGYN7HA.js";import"./chunk-MS3OYNCJ.js";import"./chunk-YEKMZ335.js";import"./chunk-JV6P5EAP.js";function r(e){let a=o(e);return new m().heading(`Smoke tests: ${e.failed?"failed":"passed"}`,2).paragraph(`${e.passed} passed, ${e.failed} failed, ${e.total} in all`).table(a.header,a.rows)}export{r as smokeSummary};
//# sourceMappingURL=chunk-LVR6BRLL.js.map
