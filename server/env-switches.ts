// On/off options that also come from the environment (KUBEWARS_ROOM, KUBEWARS_TLS). Commander turns such a flag
// on whenever its variable is set, whatever the value, so KUBEWARS_ROOM=false would open a room: read the value
// here first, as a person means it.

const ON = new Set(['1', 'true', 'yes', 'on']);
const OFF = new Set(['0', 'false', 'no', 'off', '']);

/**
 * Removes the switches set to an "off" value from `env`, so the flag stays off; returns a usage error for a
 * value that is neither on nor off.
 */
export function settleSwitches(env: NodeJS.ProcessEnv, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value === undefined) continue;
    const meant = value.trim().toLowerCase();
    if (OFF.has(meant)) delete env[name];
    else if (!ON.has(meant)) return `${name}=${value} is neither on nor off: set it to true or false.`;
  }
  return undefined;
}
