/** Help texts, built from the command list and each command's options. */
import type { OptionSpec, OptionSpecs } from './args';
import type { Command } from './command';
import { COMMANDS } from './commands';
import { CLI_NAME, TOOL } from './tool';

/** Options every command accepts. */
export const HELP_OPTION: OptionSpecs = {
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
};

/** Options accepted before a command. */
export const GLOBAL_OPTIONS: OptionSpecs = {
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
  version: { type: 'boolean', short: 'v', description: 'Show the version' },
};

function optionLabel(name: string, spec: OptionSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  const value = spec.type === 'string' ? ` <${spec.values ? spec.values.join('|') : (spec.valueName ?? 'value')}>` : '';
  return `${short}--${name}${value}`;
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

export function globalHelp(): string {
  const lines = [
    `${CLI_NAME} ${TOOL.version}: check platform manifests with the same engine as the Paved Road VS Code extension.`,
    '',
    `Usage: ${CLI_NAME} <command> [options]`,
    '',
    'Commands:',
    ...table([...COMMANDS.map((c) => [c.name, c.summary] as const), ['help [command]', 'Show the help of a command']]),
    '',
    'Options:',
    ...table(Object.entries(GLOBAL_OPTIONS).map(([name, spec]) => [optionLabel(name, spec), spec.description] as const)),
    '',
    `Run '${CLI_NAME} help <command>' for the options of a command.`,
  ];
  return `${lines.join('\n')}\n`;
}

export function commandHelp(command: Command): string {
  const options = { ...command.options, ...HELP_OPTION };
  const lines = [
    `Usage: ${CLI_NAME} ${command.name} ${command.synopsis}`,
    '',
    command.summary,
    '',
    command.description,
    '',
    'Options:',
    ...table(Object.entries(options).map(([name, spec]) => [optionLabel(name, spec), spec.description] as const)),
  ];
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}
