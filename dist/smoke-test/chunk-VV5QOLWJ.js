import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{h as m}from"./chunk-VLTPI7YL.js";import{p as o}from"./chunk-UT3ZEWI5.js";import"./chunk-XERDP72T.js";import"./chunk-B2I2TDCR.js";import"./chunk-FAOV3VTF.js";import"./chunk-E5WKYWFN.js";function r(e){let a=o(e);return new m().heading(`Smoke tests: ${e.failed?"failed":"passed"}`,2).paragraph(`${e.passed} passed, ${e.failed} failed, ${e.total} in all`).table(a.header,a.rows)}export{r as smokeSummary};
//# sourceMappingURL=chunk-VV5QOLWJ.js.map
