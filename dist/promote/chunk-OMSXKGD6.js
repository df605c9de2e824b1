import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k,l}from"./chunk-XH23ETKW.js";import"./chunk-5HFA3NO3.js";import"./chunk-KDTANXRN.js";import"./chunk-36QXCCEX.js";import"./chunk-GHKEP26Q.js";export{i as ANALYSIS_INPUTS,e as bound,j as buildAnalysis,h as comparisonCheck,c as deploymentPodMatcher,f as describeLimit,g as judgeComparison,k as outcome,d as parseLimit,b as promDuration,l as recordFailures,a as renderTemplate};
//# sourceMappingURL=chunk-OMSXKGD6.js.map
