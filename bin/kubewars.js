#!/usr/bin/env node
// Kube Wars runs its TypeScript sources directly: tsx compiles them on load.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli.ts');
