/**
 * The CLI's name and version. The version comes from package.json at build
 * time (esbuild inlines the JSON fields that are imported, nothing else).
 */
import { name, publisher, version } from '../../package.json';
import type { ToolInfo } from '../core/report';

export const CLI_NAME = 'paved-road';

export const TOOL: ToolInfo = {
  name: CLI_NAME,
  version,
  informationUri: `https://marketplace.visualstudio.com/items?itemName=${publisher}.${name}`, // the extension's listing; the CLI ships inside it
};
