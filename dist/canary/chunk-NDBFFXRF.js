import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k}from"./chunk-SJRB52Y6.js";import"./chunk-JJUMKGEF.js";import"./chunk-BGWCMEFG.js";export{i as DeploymentTracker,g as checkStates,a as client,h as createDeployment,e as mergePullRequest,j as repository,f as requiredChecks,d as setDeploymentStatus,c as setLabel,k as upsertPullRequest,b as upsertStickyComment};
//# sourceMappingURL=chunk-NDBFFXRF.js.map
