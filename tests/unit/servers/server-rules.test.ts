import { describe, expect, it } from 'vitest';
import { fieldsNeedingAdmin, serverChangeConflicts } from '../../../shared/servers/server-rules.js';

const server = {
  id: 's1',
  name: 'fsn1-01',
  status: 'active' as const,
  isAcceptingNew: true,
  projectCount: 7,
  maxProjects: 20,
};

describe('serverChangeConflicts', () => {
  it('refuses maxProjects below the projects on the server, and accepts it equal', () => {
    expect(serverChangeConflicts(server, { maxProjects: 6 })).toEqual([
      { path: 'maxProjects', message: expect.stringContaining('7 projects run on fsn1-01') },
    ]);
    expect(serverChangeConflicts(server, { maxProjects: 7 })).toEqual([]);
  });

  it('refuses retiring a server with projects, naming how many', () => {
    expect(serverChangeConflicts(server, { status: 'retired' })).toEqual([
      { path: 'status', message: expect.stringContaining('7 projects would be orphaned') },
    ]);
    expect(serverChangeConflicts({ ...server, projectCount: 0 }, { status: 'retired' })).toEqual([]);
  });

  it('lets maintenance, offline and closing happen with projects on it', () => {
    expect(serverChangeConflicts(server, { status: 'maintenance', isAcceptingNew: false })).toEqual([]);
    expect(serverChangeConflicts(server, { status: 'offline' })).toEqual([]);
  });

  it('names every conflicting field at once', () => {
    expect(serverChangeConflicts(server, { status: 'retired', maxProjects: 1 }).map((e) => e.path)).toEqual([
      'maxProjects',
      'status',
    ]);
  });
});

describe('fieldsNeedingAdmin', () => {
  it('leaves staff isAcceptingNew only', () => {
    expect(fieldsNeedingAdmin({ isAcceptingNew: false })).toEqual([]);
    expect(
      fieldsNeedingAdmin({ isAcceptingNew: true, maxProjects: 30, status: 'offline' }).map((e) => e.path),
    ).toEqual(['maxProjects', 'status']);
  });
});
