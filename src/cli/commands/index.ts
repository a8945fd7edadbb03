/** Every CLI command, in the order the help lists them. A new command is one module added here. */
import type { Command } from '../command';
import { checkCommand } from './check';
import { hookCommand } from './hook';
import { validateCommand } from './validate';

export const COMMANDS: readonly Command[] = [validateCommand, checkCommand, hookCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
