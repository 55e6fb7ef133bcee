/** A host that did not answer, with the reason a user can act on. */
export interface UnreachableHost {
  host: string;
  error: string;
}
