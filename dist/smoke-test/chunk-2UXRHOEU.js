import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{h as m}from"./chunk-MI33X4AU.js";import{p as o}from"./chunk-NBRPWJYU.js";import"./chunk-IZNETSHJ.js";import"./chunk-QXMWJTFN.js";import"./chunk-XSQEBEOT.js";import"./chunk-LW5EPLFO.js";function r(e){let a=o(e);return new m().heading(`Smoke tests: ${e.failed?"failed":"passed"}`,2).paragraph(`${e.passed} passed, ${e.failed} failed, ${e.total} in all`).table(a.header,a.rows)}export{r as smokeSummary};
//# sourceMappingURL=chunk-2UXRHOEU.js.map
