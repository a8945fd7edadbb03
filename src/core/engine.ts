/**
 * The engine as the editor uses it, built as its own bundle (dist/engine.js)
 * and loaded on first use, so activating the extension does not pay for
 * parsing and validation libraries (yaml, ajv, zod) before they are needed.
 */
export { loadConfig } from './config';
export { validateText, manifestKind } from './validate';
