import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k}from"./chunk-MWJD6D5C.js";import"./chunk-OJP6PBM4.js";import"./chunk-65WYYRKT.js";export{i as DeploymentTracker,g as checkStates,a as client,h as createDeployment,e as mergePullRequest,j as repository,f as requiredChecks,d as setDeploymentStatus,c as setLabel,k as upsertPullRequest,b as upsertStickyComment};
//# sourceMappingURL=chunk-GCI643TM.js.map
