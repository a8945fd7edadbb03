/**
 * Lazy access to the engine bundle (dist/engine.js, built from src/core/engine.ts).
 * Activation loads only the thin adapters; the first validation loads the engine.
 */
import type * as Engine from '../core/engine';

export type EngineApi = typeof Engine;

let loaded: EngineApi | undefined;
let loadMs = 0;

export function engine(): EngineApi {
  if (!loaded) {
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, loaded on first use (esbuild leaves it external)
    loaded = require('./engine.js') as EngineApi;
    loadMs = performance.now() - started;
  }
  return loaded;
}

/** How long loading the engine took (0 until it is loaded). */
export function engineLoadMs(): number {
  return loadMs;
}
