import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as i,b as s,c}from"./chunk-VI7HHJWK.js";import{a as n}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import{a as r}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";import f from"node:path";var h=`upgrade-actions merge-check --base REF [--head REF] [options]

Merges HEAD into BASE in git's object store (git merge-tree --write-tree, git >= 2.38): no checkout,
the work tree and index are not touched. Lists every conflicting file with git's reason and the line
of the first conflict marker; after a clean merge, parses YAML/JSON files changed on both sides.
Missing commits are fetched from the remote (deepening a shallow clone until the merge base appears).

Options:
  --base REF             branch, tag or commit merged into (required), e.g. origin/main
  --head REF             branch, tag or commit to merge (default: HEAD)
  -C, --dir DIR          the repository (default: the current folder)
  --remote NAME          where missing commits are fetched from (default: origin)
  --fetch-depth N        first fetch depth in a shallow clone, doubled on each deepening (default: 50)
  --no-manifests         skip the YAML/JSON check
  --no-fail              exit 0 even when the merge conflicts
  --json                 print the result as JSON instead of a table

Exit codes: 0 clean, 2 textually clean but a YAML/JSON file is broken, 3 git conflicts,
1 an error (a ref that does not exist, not a git repository): as api-check, 1 is never a verdict.`,u={name:"merge-check",summary:"Check that a branch merges cleanly into its base, without a checkout",usage:h,flags:{"working-directory":"--dir",remote:"--remote","fetch-depth":"--fetch-depth"},async run(t){let{values:e}=n({args:t.argv,allowPositionals:!1,options:{base:{type:"string"},head:{type:"string",default:"HEAD"},dir:{type:"string",short:"C",default:"."},remote:{type:"string",default:"origin"},"fetch-depth":{type:"string",default:"50"},"no-manifests":{type:"boolean",default:!1},"no-fail":{type:"boolean",default:!1},json:{type:"boolean",default:!1}}},h);if(e.base===void 0)throw new r("--base is required: the branch, tag or commit to merge into (e.g. origin/main)");let a=Number(e["fetch-depth"]);if(!/^\d+$/.test(e["fetch-depth"])||a<1)throw new r(`--fetch-depth must be a whole number of at least 1, got "${e["fetch-depth"]}"`);let o=await i({cwd:f.resolve(t.cwd,e.dir),base:e.base,head:e.head,checkManifests:!e["no-manifests"],fetch:{remote:e.remote,depth:a},logger:t.logger});return t.stdout(e.json?JSON.stringify(o,null,2)+`
`:c(o)),e["no-fail"]?0:d(o)}};function d(t){return t.conflicted?t.files.some(e=>!s(e.reason))?3:2:0}export{u as mergeCheckCommand,d as mergeExitCode};
//# sourceMappingURL=chunk-M34TPNRJ.js.map
