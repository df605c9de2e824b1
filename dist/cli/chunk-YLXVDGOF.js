import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as R}from"./chunk-TO4ALRY6.js";import{a as n}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";var g=`upgrade-actions build-matrix matrix|merge [options]

matrix: prints the build matrix (JSON for strategy.matrix), the tags and the OCI labels.
merge:  builds one image index from per-platform digests through the registry API (no docker) and pushes
        it under every tag; prints image@digest. See docs/build-matrix.md.

Options:
  --image NAME        image name without tag (repeatable; merge reads the digests from the first)
  --tag RULE          tag rule in docker/metadata-action's syntax (repeatable; default type=sha)
  --platform P        platform (repeatable; default linux/amd64 and linux/arm64)
  --digest D          merge: a per-platform digest sha256:\u2026 (repeatable)
  --runner P=LABEL    matrix: the runner of a platform (repeatable)
  --ref REF           the git ref the tag rules read (default $GITHUB_REF)
  --sha SHA           the commit the tag rules read (default $GITHUB_SHA, else git rev-parse HEAD)
  --allow-latest      let a rule yield latest (refused by default)
  --json              print the result as JSON

Credentials for merge come from REGISTRY_USERNAME and REGISTRY_PASSWORD, else ~/.docker/config.json.

Exit codes: 0 done, 1 an error (bad option, bad rule, a platform missing, a registry refusing).`;async function T(t){let{execFile:r}=await import("node:child_process"),{promisify:i}=await import("node:util");try{return(await i(r)("git",["rev-parse","HEAD"],{cwd:t})).stdout.trim()}catch{return""}}var $={name:"build-matrix",summary:"Compute a multi-arch build matrix and tags, or merge per-platform digests into one index",usage:g,async run(t){let{values:r,positionals:i}=R({args:t.argv,allowPositionals:!0,options:{image:{type:"string",multiple:!0,default:[]},tag:{type:"string",multiple:!0,default:[]},platform:{type:"string",multiple:!0,default:[]},digest:{type:"string",multiple:!0,default:[]},runner:{type:"string",multiple:!0,default:[]},ref:{type:"string"},sha:{type:"string"},"allow-latest":{type:"boolean",default:!1},json:{type:"boolean",default:!1}}},g),u=i[0];if(i.length!==1||u!=="matrix"&&u!=="merge")throw new n(`give matrix or merge

${g}`);if(r.image.length===0)throw new n(`--image: give at least one image name

${g}`);let s=await import("./chunk-LITRVE3R.js"),{parseImageReference:h}=await import("./chunk-KUHHXQKD.js"),d=s.parsePlatforms(r.platform,"--platform"),o=r.image.map(a=>{let e=h(a,"--image");if(e.tag||e.digest)throw new n(`--image: "${a}" has a tag or digest; give the name alone`);return`${e.registry}/${e.repository}`}),p=s.contextFromEnv(t.env),y={...p,ref:r.ref??p.ref,sha:r.sha??(p.sha||await T(t.cwd))},S=r.tag.length>0?r.tag:["type=sha"],v=a=>{try{return a()}catch(e){throw e instanceof n?new n(e.message.replace(/^tags:/,"--tag:")):e}},{tags:w,version:b}=v(()=>s.computeTags(S,y,!r["allow-latest"])),E=s.ociAnnotations(y,b);if(u==="matrix"){let a=s.buildMatrix(d,s.parseRunners(r.runner,d,"--runner"),o[0].split("/").pop()),e=o.flatMap(m=>w.map(c=>`${m}:${c}`));return r.json?t.stdout(JSON.stringify({matrix:a,tags:e,version:b,annotations:E},null,2)+`
`):t.stdout([JSON.stringify(a),...e].join(`
`)+`
`),0}let x=s.parseDigests(r.digest,"--digest"),{RegistryClient:A,dockerConfigCredentials:C}=await import("./chunk-E3UDZ4LL.js"),f=new Map;for(let a of o){let e=h(a).registry;if(f.has(e))continue;let m=t.env.REGISTRY_USERNAME,c=m?{username:m,password:t.env.REGISTRY_PASSWORD??""}:await C(e,t.env);f.set(e,new A({registry:e,credentials:c,logger:t.logger}))}let l=await s.mergeIndex({images:o,tags:w,digests:x,platforms:d,annotations:E,client:a=>f.get(a),logger:t.logger});return r.json?t.stdout(JSON.stringify({digest:l.digest,references:l.references,platforms:l.platforms},null,2)+`
`):t.stdout(l.references.join(`
`)+`
`),0}};export{$ as buildMatrixCommand};
//# sourceMappingURL=chunk-YLXVDGOF.js.map
