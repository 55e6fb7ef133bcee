/** virsh's size formatting (`vshPrettyCapacity`): `%.3f` with the largest unit that keeps it >= 1. */
export function formatVirshSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(3)} ${units[unit]}`;
}

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;
