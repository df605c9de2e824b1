import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{b as r,c as d}from"./chunk-5ETMXZMS.js";import"./chunk-6DBWNISG.js";import"./chunk-RMEVMFW2.js";import"./chunk-RCU5MN2B.js";import"./chunk-AOAJF4SM.js";import{p as l,q as c}from"./chunk-GBKO62EQ.js";import"./chunk-VI7HHJWK.js";import{a as o}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";import{writeFileSync as g}from"node:fs";import p from"node:path";var m=`upgrade-actions patch-sweep [options] [GLOB...]

Finds the image references in manifests, Helm values and kustomizations (default: every .yaml/.yml file
under --dir), asks each registry once per repository for its tags, and reports the newest patch release of
each within the same major.minor (variants such as -alpine kept, pre-releases never). Prints the bumps as
JSON; with --write, edits the files in place (nothing else in them changes). Registry credentials come
from ~/.docker/config.json ($DOCKER_CONFIG). The action does the same and opens one pull request.

  -C, --dir DIR          the checkout to sweep (default: the current directory)
      --include PATTERN  only images matching it (* wildcards, e.g. ghcr.io/acme/*; repeatable)
      --exclude PATTERN  leave images matching it alone (repeatable)
      --pin-digest       also pin each bumped reference to its new tag's digest
      --write            edit the files in place`,k={name:"patch-sweep",summary:"Find newer patch releases of the images in manifests; report them, or write them in place",usage:m,flags:{include:"--include",exclude:"--exclude","working-directory":"--dir",paths:"GLOB"},async run(t){let{values:e,positionals:u}=o({args:t.argv,allowPositionals:!0,options:{dir:{type:"string",short:"C"},include:{type:"string",multiple:!0},exclude:{type:"string",multiple:!0},"pin-digest":{type:"boolean",default:!1},write:{type:"boolean",default:!1}}},m);r(e.include??[],"--include"),r(e.exclude??[],"--exclude");let a=p.resolve(t.cwd,e.dir??"."),s=t.logger,n=await d({root:a,paths:u,include:e.include??[],exclude:e.exclude??[],pinDigest:e["pin-digest"]??!1,client:async i=>new l({registry:i,credentials:await c(i,t.env),logger:s}),logger:s});if(e.write){for(let[i,f]of n.files)g(p.join(a,i),f);s.info(`${n.files.size} file(s) written`)}return t.stdout(JSON.stringify(n.updates)+`
`),0}};export{k as patchSweepCommand};
//# sourceMappingURL=chunk-SE2TOZFU.js.map
