import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as n,b as i}from"./chunk-RADLROES.js";import{a as s}from"./chunk-DB5IBIS6.js";import"./chunk-XO2ADHM3.js";import{e as r}from"./chunk-WMASQQEQ.js";import h from"node:path";var c=`upgrade-actions merge-check --base REF [--head REF] [options]

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

Exit codes: 0 clean, 1 conflicted (or an error).`,g={name:"merge-check",summary:"Check that a branch merges cleanly into its base, without a checkout",usage:c,async run(t){let{values:e}=s({args:t.argv,allowPositionals:!1,options:{base:{type:"string"},head:{type:"string",default:"HEAD"},dir:{type:"string",short:"C",default:"."},remote:{type:"string",default:"origin"},"fetch-depth":{type:"string",default:"50"},"no-manifests":{type:"boolean",default:!1},"no-fail":{type:"boolean",default:!1},json:{type:"boolean",default:!1}}},c);if(e.base===void 0)throw new r("--base is required: the branch, tag or commit to merge into (e.g. origin/main)");let a=Number(e["fetch-depth"]);if(!/^\d+$/.test(e["fetch-depth"])||a<1)throw new r(`--fetch-depth must be a whole number of at least 1, got "${e["fetch-depth"]}"`);let o=await n({cwd:h.resolve(t.cwd,e.dir),base:e.base,head:e.head,checkManifests:!e["no-manifests"],fetch:{remote:e.remote,depth:a},logger:t.logger});return t.stdout(e.json?JSON.stringify(o,null,2)+`
`:i(o)),o.conflicted&&!e["no-fail"]?1:0}};export{g as mergeCheckCommand};
//# sourceMappingURL=chunk-5PQ5TSIL.js.map
