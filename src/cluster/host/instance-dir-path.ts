import { LivemigError } from '../../errors.js';
import { checkUuid } from '../validate.js';

/** Where a server's instance directory lives and which server it is. */
export interface InstanceDirArgs {
  /** config.nova.instancesPath (nova.conf instances_path), e.g. /var/lib/nova/instances. */
  instancesPath: string;
  uuid: string;
}

const safeRoot = /^(\/[A-Za-z0-9._-]+)+$/;

/**
 * The ONE way an instance directory path is built: `<instancesPath>/<uuid>`, with the root held to
 * plain absolute path segments (no `..`, no `/` alone) and the uuid to the strict UUID pattern, so
 * `rm -rf` can never be pointed anywhere else.
 */
export function instanceDirPath({ instancesPath, uuid }: InstanceDirArgs): string {
  const root = instancesPath.replace(/\/+$/, '');
  if (!safeRoot.test(root) || root.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new LivemigError('unsafe_argument', `refusing instances path ${JSON.stringify(instancesPath)}`, {
      hint: 'nova.instancesPath must be a plain absolute path such as /var/lib/nova/instances.',
    });
  }
  return `${root}/${checkUuid(uuid)}`;
}
