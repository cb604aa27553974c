import { describe, expect, it } from 'vitest';
import {
  availableSlots,
  chooseServer,
  type ServerLoad,
  serverCandidates,
} from '../../../shared/servers/server-selection.js';

const server = (name: string, projectCount: number, maxProjects: number, more: Partial<ServerLoad> = {}) => ({
  id: `srv-${name}`,
  name,
  status: 'active' as const,
  isAcceptingNew: true,
  projectCount,
  maxProjects,
  ...more,
});

describe('chooseServer', () => {
  it('picks the server with the most free slots', () => {
    // Prepare
    const servers = [server('fsn1-01', 18, 20), server('fsn1-02', 5, 20), server('nbg1-01', 30, 40)];

    // Act
    const chosen = chooseServer(servers);

    // Assess
    expect(chosen?.name).toBe('fsn1-02'); // 15 free, against 2 and 10
  });

  it('compares free slots, not project counts', () => {
    // Prepare: the big server hosts more projects but has more room left.
    const servers = [server('small', 2, 5), server('big', 20, 50)];

    // Act
    const chosen = chooseServer(servers);

    // Assess
    expect(chosen?.name).toBe('big');
  });

  it.each([
    ['in maintenance', { status: 'maintenance' as const }],
    ['offline', { status: 'offline' as const }],
    ['still being set up', { status: 'provisioning' as const }],
    ['closed to new projects', { isAcceptingNew: false }],
  ])('skips a server that is %s, however empty', (_why, more) => {
    // Prepare
    const servers = [server('empty-but-unusable', 0, 50, more), server('usable', 19, 20)];

    // Act
    const chosen = chooseServer(servers);

    // Assess
    expect(chosen?.name).toBe('usable');
  });

  it('skips full and over-full servers', () => {
    // Prepare
    const servers = [server('full', 20, 20), server('overfull', 23, 20), server('last-slot', 9, 10)];

    // Act
    const chosen = chooseServer(servers);

    // Assess
    expect(chosen?.name).toBe('last-slot');
  });

  it('breaks a tie in free slots by the lower project count, then by name', () => {
    // Prepare: all three have 10 free slots.
    const a = server('fsn1-02', 10, 20);
    const b = server('fsn1-01', 10, 20);
    const c = server('nbg1-01', 5, 15);

    // Act
    const chosen = chooseServer([a, b, c]);

    // Assess
    expect(chosen?.name).toBe('nbg1-01');
    expect(chooseServer([a, b])?.name).toBe('fsn1-01');
  });

  it('chooses the same server whatever order the servers are listed in', () => {
    // Prepare
    const servers = [server('c', 10, 20), server('a', 10, 20), server('b', 10, 20), server('d', 15, 20)];
    const orders = [servers, [...servers].reverse(), [servers[2]!, servers[0]!, servers[3]!, servers[1]!]];

    // Act
    const chosen = orders.map((list) => chooseServer(list)?.name);

    // Assess
    expect(chosen).toEqual(['a', 'a', 'a']);
  });

  it('leaves the caller’s list as it was', () => {
    // Prepare
    const servers = [server('b', 10, 20), server('a', 1, 20)];

    // Act
    chooseServer(servers);

    // Assess
    expect(servers.map((s) => s.name)).toEqual(['b', 'a']);
  });

  it('returns undefined when no server can take a project', () => {
    // Prepare
    const servers = [server('full', 20, 20), server('closed', 0, 20, { isAcceptingNew: false })];

    // Act
    const chosen = chooseServer(servers);

    // Assess
    expect(chosen).toBeUndefined();
    expect(chooseServer([])).toBeUndefined();
  });

  it('returns the caller’s own server object, extra fields included', () => {
    // Prepare
    const servers = [{ ...server('fsn1-01', 1, 20), ipAddress: '203.0.113.10', coolifyUuid: 'k8s0w4c' }];

    // Act
    const chosen = chooseServer(servers);

    // Assess
    expect(chosen).toBe(servers[0]);
    expect(chosen?.ipAddress).toBe('203.0.113.10');
  });
});

describe('availableSlots', () => {
  it('counts the free slots and never goes below zero', () => {
    // Act
    const free = availableSlots({ projectCount: 12, maxProjects: 20 });
    const overfull = availableSlots({ projectCount: 25, maxProjects: 20 });

    // Assess
    expect(free).toBe(8);
    expect(overfull).toBe(0);
  });
});

describe('serverCandidates', () => {
  const fleet = [server('c', 5, 20), server('a', 18, 20), server('b', 0, 20), server('d', 3, 3)];

  it('least-loaded: most free slots first; full servers left out', () => {
    expect(serverCandidates(fleet, 'least-loaded').map((s) => s.name)).toEqual(['b', 'c', 'a']);
  });

  it('round-robin: open servers by name, starting at the ticket and wrapping around', () => {
    expect(serverCandidates(fleet, 'round-robin', 0).map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(serverCandidates(fleet, 'round-robin', 1).map((s) => s.name)).toEqual(['b', 'c', 'a']);
    expect(serverCandidates(fleet, 'round-robin', 5).map((s) => s.name)).toEqual(['c', 'a', 'b']);
  });

  it('round-robin: consecutive tickets spread orders evenly over the open servers', () => {
    const firsts = [0, 1, 2, 3, 4, 5].map((t) => serverCandidates(fleet, 'round-robin', t)[0]!.name);
    expect(firsts).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('leaves out closed, non-active and full servers in both strategies', () => {
    const servers = [
      server('closed', 0, 20, { isAcceptingNew: false }),
      server('maint', 0, 20, { status: 'maintenance' }),
      server('retired', 0, 20, { status: 'retired' }),
      server('full', 20, 20),
    ];
    expect(serverCandidates(servers, 'least-loaded')).toEqual([]);
    expect(serverCandidates(servers, 'round-robin', 7)).toEqual([]);
  });
});
