import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k,l}from"./chunk-ENNU7HSQ.js";import"./chunk-XUASHFNN.js";import"./chunk-IT7ICFST.js";import"./chunk-TR32BYMF.js";import"./chunk-VCFXCLK6.js";export{i as ANALYSIS_INPUTS,e as bound,j as buildAnalysis,h as comparisonCheck,c as deploymentPodMatcher,f as describeLimit,g as judgeComparison,k as outcome,d as parseLimit,b as promDuration,l as recordFailures,a as renderTemplate};
//# sourceMappingURL=chunk-D3IHUFQJ.js.map
