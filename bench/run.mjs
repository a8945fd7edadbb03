// `npm run bench`: every benchmark, printing figures and ratios to their targets.
// Benchmarks are measurements, not tests: they never fail the build.
//   activation (real VS Code) · edit → diagnostics latency on 3,000 documents (real VS Code)
//   · validation throughput against yaml-language-server and the floor (npm run bench:validate)
import { spawnSync } from 'node:child_process';
import { benchActivation } from './activation.mjs';
import { benchEditLatency } from './edit-latency.mjs';

await benchActivation();
await benchEditLatency();
spawnSync('node', ['bench/validate/run.mjs'], { stdio: 'inherit' });
