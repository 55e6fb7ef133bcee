/**
 * Seeded randomness for the world: every "random" choice (uuids, dirty-rate noise, request ids)
 * comes from here so a lab run with the same seed and clock is reproducible.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** Lower-case hex string of `length` digits. */
  hex(length: number): string;
  /** A version-4 shaped uuid. */
  uuid(): string;
}

/** mulberry32: small, fast and good enough for simulation noise. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (length: number): string => {
    let out = '';
    // Eight hex digits per 32-bit draw.
    while (out.length < length)
      out += Math.floor(next() * 4294967296)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, length);
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    hex,
    uuid: () => {
      const variant = '89ab'[Math.floor(next() * 4)];
      return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
    },
  };
}

/** A child generator whose stream depends only on the parent seed and a label. */
export function deriveRng(seed: number, label: string): Rng {
  let hash = seed >>> 0;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 16777619) >>> 0;
  return createRng(hash);
}
