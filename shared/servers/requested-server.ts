import { ForbiddenError, ValidationError } from '../platform/errors.js';
import { type Caller, isStaff } from '../platform/http/auth.js';
import { getServer } from './servers-table.js';

/**
 * `serverId` on an order (POST /v1/projects): staff place one order on a given server, bypassing
 * the selection strategy but not its capacity (ReserveServer still takes a slot there, or fails
 * with "no free server" for staff to fix and retry). Customers and resellers: 403.
 */
export async function checkRequestedServer(caller: Caller, serverId: string): Promise<void> {
  if (!isStaff(caller))
    throw new ForbiddenError('Only staff can choose the server of an order.', [
      { path: 'serverId', message: 'only staff and admins may set it' },
    ]);
  const server = await getServer(serverId);
  if (!server || server.status === 'retired')
    throw new ValidationError(`No server ${serverId} to place the order on.`, [
      { path: 'serverId', message: server ? 'the server is retired' : 'no such server' },
    ]);
}
