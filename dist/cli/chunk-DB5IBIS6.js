import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{e as r}from"./chunk-WMASQQEQ.js";import{parseArgs as n}from"node:util";function g(e,o){try{return n(e)}catch(s){throw new r(`${s.message}

${o}`)}}export{g as a};
//# sourceMappingURL=chunk-DB5IBIS6.js.map
