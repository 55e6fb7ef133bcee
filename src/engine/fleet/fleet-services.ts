/** A host that did not answer, with the reason a user can act on. */
export interface UnreachableHost {
  host: string;
  error: string;
}

/** A host that answered, far slower than the fleet's median (probe-hosts.ts). */
export interface SlowHost {
  host: string;
  elapsedMs: number;
  medianMs: number;
}
