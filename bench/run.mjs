// `npm run bench`: every benchmark, printing figures and ratios to their targets.
// Benchmarks are measurements, not tests: they never fail the build.
import { benchActivation } from './activation.mjs';

await benchActivation();
