/** The nova CLI as a RemoteCommand: every nova operation builds its argv through here. */
import type { RemoteCommand } from '../../ssh/types.js';

/** `nova <args…>`; arguments must already be validated by the caller. */
export function novaCommand(...args: string[]): RemoteCommand {
  return { program: 'nova', args };
}
