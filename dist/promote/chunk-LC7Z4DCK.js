import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k,l,m}from"./chunk-3PP7VO37.js";import"./chunk-XUASHFNN.js";import"./chunk-IT7ICFST.js";import"./chunk-TR32BYMF.js";import"./chunk-VCFXCLK6.js";export{i as ANALYSIS_INPUTS,l as UNREACHABLE_LIMIT,e as bound,j as buildAnalysis,h as comparisonCheck,c as deploymentPodMatcher,f as describeLimit,g as judgeComparison,k as outcome,d as parseLimit,b as promDuration,m as recordFailures,a as renderTemplate};
//# sourceMappingURL=chunk-LC7Z4DCK.js.map
