import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k}from"./chunk-U6C4NTNE.js";import"./chunk-QELU2EZO.js";import"./chunk-IB5VY63V.js";export{i as DeploymentTracker,g as checkStates,a as client,h as createDeployment,e as mergePullRequest,j as repository,f as requiredChecks,d as setDeploymentStatus,c as setLabel,k as upsertPullRequest,b as upsertStickyComment};
//# sourceMappingURL=chunk-5FO4SZES.js.map
