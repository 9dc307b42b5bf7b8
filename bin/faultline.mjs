#!/usr/bin/env node
// Entry point: faultline is written in TypeScript and run through tsx's loader,
// so there is no build step to forget and stack traces point at the .ts sources.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
