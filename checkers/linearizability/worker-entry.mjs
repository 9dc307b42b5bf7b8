// Worker threads start from plain JavaScript: register tsx's loader, then load
// the TypeScript worker (works under bin/faultline.mjs, tsx and vitest alike).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
