/**
 * The pre-commit hook Paved Road installs: a POSIX sh script that runs the hook
 * it replaced (if any), then `node <cli> check --staged`. It fails open: without
 * the CLI or node it says so and lets the commit through.
 */

/** The line that marks a hook as Paved Road's; a hook without it is never overwritten or removed. */
export const HOOK_MARKER = '# paved-road pre-commit hook (managed; do not edit)';

/** Where the pre-commit hook found at install time is kept (next to the hook), and run from. */
export const CHAINED_HOOK_NAME = 'pre-commit.paved-road-chained';

/** Environment variable that overrides the CLI path written in the hook. */
export const CLI_OVERRIDE_VARIABLE = 'PAVED_ROAD_CLI';

export interface HookScriptOptions {
  /** Absolute path of the Paved Road CLI script (the extension's `dist/cli.js`). */
  command: string;
  /** Absolute path of the node executable to run it with; default (or when it is gone): `node` on PATH. */
  node?: string;
}

/** Quotes `value` for sh: one single-quoted word. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The inverse of `shQuote` for a word made of single-quoted parts and `\'`; undefined for anything else. */
export function shUnquote(word: string): string | undefined {
  if (!/^(?:'[^']*'|\\')*$/.test(word)) return undefined;
  return word.replace(/'([^']*)'|\\'/g, (_m, quoted: string | undefined) => quoted ?? "'");
}

/** The hook script. */
export function hookScript(options: HookScriptOptions): string {
  return `#!/bin/sh
${HOOK_MARKER}
#
# Checks the staged files with Paved Road before each commit. Installed by
# 'paved-road hook install' or 'Paved Road: Install Pre-commit Hook'; remove it with
# 'paved-road hook uninstall' or 'Paved Road: Uninstall Pre-commit Hook', which puts
# back the pre-commit hook that was here before, if any.
# Skip the check for one commit: git commit --no-verify
# Use another CLI: ${CLI_OVERRIDE_VARIABLE}=/path/to/cli.js git commit ...

paved_road_cli=${shQuote(options.command)}
paved_road_node=${shQuote(options.node ?? '')}

# 1. The pre-commit hook that was here before Paved Road's (moved aside to
#    ${CHAINED_HOOK_NAME}) runs first, with the same arguments and stdin;
#    if it fails, the commit stops with its exit code. A shell script is run with
#    $0 set to this hook's path, as git ran it: wrappers such as husky's find their
#    files from $0. Like git, a hook that is not executable is not run.
paved_road_chained=$(dirname -- "$0")/${CHAINED_HOOK_NAME}
if [ -f "$paved_road_chained" ] && [ -x "$paved_road_chained" ]; then
  paved_road_line=
  IFS= read -r paved_road_line < "$paved_road_chained" || :
  paved_road_interp=
  paved_road_arg=
  paved_road_shebang() {
    paved_road_interp=\${1-}
    paved_road_arg=\${2-}
    if [ "$paved_road_interp" = /usr/bin/env ] || [ "$paved_road_interp" = /bin/env ]; then
      paved_road_interp=\${2-}
      paved_road_arg=\${3-}
    fi
  }
  case $paved_road_line in
    '#!'*)
      set -f
      # shellcheck disable=SC2086 # split the #! line into words
      paved_road_shebang \${paved_road_line#??}
      set +f
      ;;
  esac
  case $paved_road_arg in
    -*) ;;
    *) paved_road_arg= ;;
  esac
  case \${paved_road_interp##*/} in
    sh | dash | ash | bash | ksh | mksh | zsh)
      # shellcheck disable=SC2016,SC2086 # $1 is expanded by the inner shell; the #! option is one word or none
      "$paved_road_interp" $paved_road_arg -c 'paved_road_hook=$1; shift; . "$paved_road_hook"' "$0" "$paved_road_chained" "$@"
      ;;
    *)
      "$paved_road_chained" "$@"
      ;;
  esac
  paved_road_status=$?
  if [ "$paved_road_status" -ne 0 ]; then
    exit "$paved_road_status"
  fi
fi

# 2. The Paved Road check of the staged files. Without the CLI or node the commit
#    goes ahead (fail open), with a message.
paved_road_cli=\${${CLI_OVERRIDE_VARIABLE}:-$paved_road_cli}
if [ ! -f "$paved_road_cli" ]; then
  printf '%s\n' "paved-road: the pre-commit check is skipped: $paved_road_cli not found (reinstall with 'Paved Road: Install Pre-commit Hook' or 'paved-road hook install')" >&2
  exit 0
fi
if [ -z "$paved_road_node" ] || [ ! -x "$paved_road_node" ]; then
  paved_road_node=$(command -v node 2>/dev/null) || paved_road_node=
fi
if [ -z "$paved_road_node" ]; then
  printf '%s\n' "paved-road: the pre-commit check is skipped: node not found (install Node.js 20 or later, or put it on PATH)" >&2
  exit 0
fi
"$paved_road_node" "$paved_road_cli" check --staged "$@"
paved_road_status=$?
if [ "$paved_road_status" -eq 1 ]; then
  printf '%s\n' "paved-road: commit blocked: the staged files do not pass the Paved Road check. Fix them and 'git add' the fix, or commit anyway with 'git commit --no-verify'." >&2
elif [ "$paved_road_status" -ne 0 ]; then
  printf '%s\n' "paved-road: commit blocked: the Paved Road check failed (exit code $paved_road_status). Commit anyway with 'git commit --no-verify'." >&2
fi
exit "$paved_road_status"
`;
}

/** Whether `text` is a hook Paved Road installed (it has the marker line). */
export function isPavedRoadHook(text: string): boolean {
  return text.split('\n').some((line) => line.replace(/\r$/, '') === HOOK_MARKER);
}

/** The CLI path and node executable written in a Paved Road hook. */
export function parseHookScript(text: string): { command?: string; node?: string } {
  const value = (name: string): string | undefined => {
    const match = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
    return match ? shUnquote(match[1] as string) : undefined;
  };
  const command = value('paved_road_cli');
  const node = value('paved_road_node');
  return { ...(command ? { command } : {}), ...(node ? { node } : {}) };
}
