// Worker threads start from plain JavaScript: register tsx's loader, then load
// the TypeScript worker (works under tsx and vitest alike). faultline's CLI
// bundle starts its own bundled worker instead (parallel.ts, build/cli.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
