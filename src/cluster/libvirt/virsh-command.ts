/** virsh as a RemoteCommand (the default URI of root: qemu:///system). */
import type { RemoteCommand } from '../../ssh/types.js';

/** `virsh <args…>`; arguments must already be validated by the caller. */
export function virshCommand(...args: string[]): RemoteCommand {
  return { program: 'virsh', args };
}
