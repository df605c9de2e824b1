import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k,l}from"./chunk-C2GTXDGC.js";import"./chunk-YDI3OZMW.js";import"./chunk-OCMMCFY3.js";import"./chunk-UXHZJRX3.js";import"./chunk-SHOF3NNR.js";export{i as ANALYSIS_INPUTS,e as bound,j as buildAnalysis,h as comparisonCheck,c as deploymentPodMatcher,f as describeLimit,g as judgeComparison,k as outcome,d as parseLimit,b as promDuration,l as recordFailures,a as renderTemplate};
//# sourceMappingURL=chunk-LYWWBHCY.js.map
