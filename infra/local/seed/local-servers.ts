import type { Server } from '../../../shared/servers/servers-table.js';

/** The two servers the local Coolify simulator has (seeded once; their project counts persist). */
export function servers(now: string): Server[] {
  return [
    {
      id: 'srv-fsn1-01',
      name: 'fsn1-01',
      coolifyUuid: 'coolify-srv-fsn1-01',
      ipAddress: '203.0.113.10',
      sshPort: 22,
      status: 'active',
      isAcceptingNew: true,
      projectCount: 0,
      maxProjects: 20,
      hetznerServerType: 'cx32',
      hetznerLocation: 'fsn1',
      createdAt: now,
      updatedAt: now,
    },
    {
      id: 'srv-nbg1-02',
      name: 'nbg1-02',
      coolifyUuid: 'coolify-srv-nbg1-02',
      ipAddress: '203.0.113.11',
      sshPort: 22,
      status: 'active',
      isAcceptingNew: true,
      projectCount: 0,
      maxProjects: 20,
      hetznerServerType: 'cx32',
      hetznerLocation: 'nbg1',
      createdAt: now,
      updatedAt: now,
    },
  ];
}
