import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k}from"./chunk-3D3UGSBZ.js";import"./chunk-RCU5MN2B.js";import"./chunk-JKUPCNRI.js";import"./chunk-2UNLCJKS.js";export{i as DeploymentTracker,g as checkStates,a as client,h as createDeployment,e as mergePullRequest,j as repository,f as requiredChecks,d as setDeploymentStatus,c as setLabel,k as upsertPullRequest,b as upsertStickyComment};
//# sourceMappingURL=chunk-QBUPUPLE.js.map
