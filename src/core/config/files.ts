/** Names of the platform config file. Dependency-free, so the editor can match files without loading the engine. */
export const CONFIG_FILE_NAMES = ['.paved-road.yaml', '.paved-road.yml'] as const;

/** True for a path whose file name is `.paved-road.yaml` or `.paved-road.yml`. */
export function isConfigFile(path: string): boolean {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return (CONFIG_FILE_NAMES as readonly string[]).includes(slash < 0 ? path : path.slice(slash + 1));
}
