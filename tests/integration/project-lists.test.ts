import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/local-stack.js';
import type { ProjectStatus } from '../../shared/projects/project-status.js';
import { logItem, type Project, projectItem } from '../../shared/projects/projects-table.js';
import { api, startTestStack } from './support/api.js';

// Paged lists: GET /v1/projects (own projects, optionally by status; staff: all in a status) and
// GET /v1/projects/{id}/logs. Projects are stored directly (as the repositories store them), so
// that statuses and order are exactly as the test needs them.

type ListBody = { items: { id: string; status: string }[]; nextCursor: string | null };
type Problem = { status: number; errors: { path: string; message: string }[] };

let stack: LocalStack;
let call: ReturnType<typeof api>['call'];
let owner: string;
let other: string;
let staff: string;
const OWNER = 'liste@example.com';
const OTHER = 'andere@example.com';
/** The owner's projects, newest first. */
const ownerProjects: Project[] = [];

function project(ownerEmail: string, status: ProjectStatus, minute: number): Project {
  const at = `2025-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  return {
    id: randomUUID(),
    name: `Projekt ${minute}`,
    slug: `projekt-${minute}-${randomUUID().slice(0, 6)}`,
    projectType: 'business_directory',
    status,
    paymentMethod: 'invoice',
    billingEmail: ownerEmail,
    ownerEmail,
    locale: 'de',
    isDemo: false,
    previewProtection: false,
    provisioningRetryCount: 0,
    createdAt: at,
    updatedAt: at,
  };
}

async function store(items: Record<string, unknown>[]): Promise<void> {
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamoEndpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
  );
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await doc.send(new BatchWriteCommand({ RequestItems: { [stack.tableName]: batch } }));
  }
  doc.destroy();
}

beforeAll(async () => {
  stack = await startTestStack();
  call = api(stack).call;
  owner = await stack.token(OWNER, 'customer');
  other = await stack.token(OTHER, 'customer');
  staff = await stack.token('staff@vrs.gmbh', 'staff');
  // Newest first: active, suspended, active, active, suspended.
  const statuses: ProjectStatus[] = ['suspended', 'active', 'active', 'suspended', 'active'];
  ownerProjects.push(...statuses.map((s, i) => project(OWNER, s, i)).reverse());
  const others = [project(OTHER, 'active', 10), project(OTHER, 'active', 11), project(OTHER, 'active', 12)];
  const logs = [ownerProjects[0]!, ownerProjects[1]!].flatMap((p) =>
    [1, 2, 3].map((n) =>
      logItem({
        projectId: p.id,
        action: `step_${n}`,
        triggeredBy: 'system',
        createdAt: `2025-03-01T11:0${n}:00.000Z`,
      }),
    ),
  );
  await store([...ownerProjects.map(projectItem), ...others.map(projectItem), ...logs]);
});
afterAll(async () => {
  await stack?.stop();
});

const list = (path: string, token = owner) => call<ListBody>('GET', path, { token });
const forged = Buffer.from('{"pk":"x"}').toString('base64url');

describe('list cursors', () => {
  it('a forged cursor is a 400 naming the cursor, on the project list and on a log', async () => {
    const id = ownerProjects[0]!.id;
    for (const path of [`/v1/projects?cursor=${forged}`, `/v1/projects/${id}/logs?cursor=${forged}`]) {
      const res = await call<Problem>('GET', path, { token: owner });
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual([{ path: 'cursor', message: 'invalid cursor' }]);
    }
  });

  it('a cursor works only for the list it came from, unaltered', async () => {
    const first = await list('/v1/projects?limit=2');
    expect(first.status).toBe(200);
    const cursor = first.body.nextCursor!;
    expect(cursor).toEqual(expect.any(String));
    expect((await list(`/v1/projects?limit=2&cursor=${cursor}`)).status).toBe(200);

    const altered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    const replays = [
      list(`/v1/projects?limit=2&cursor=${altered}`),
      list(`/v1/projects?limit=2&cursor=${cursor}`, other), // another owner's list
      list(`/v1/projects?limit=2&status=active&cursor=${cursor}`, staff), // staff list by status
      list(`/v1/projects/${ownerProjects[0]!.id}/logs?cursor=${cursor}`),
    ];
    for (const res of await Promise.all(replays)) {
      expect(res.status).toBe(400);
      expect((res.body as unknown as Problem).errors[0]?.path).toBe('cursor');
    }

    const logs = await list(`/v1/projects/${ownerProjects[0]!.id}/logs?limit=1`);
    expect(logs.body.nextCursor).toEqual(expect.any(String));
    const otherLog = await list(`/v1/projects/${ownerProjects[1]!.id}/logs?cursor=${logs.body.nextCursor}`);
    expect(otherLog.status).toBe(400);
  });
});

/** Follows nextCursor from `path` to the end; every page as it came. */
async function allPages(path: string, token = owner): Promise<ListBody[]> {
  const pages: ListBody[] = [];
  let cursor: string | null = null;
  do {
    const res = await list(`${path}${cursor ? `&cursor=${cursor}` : ''}`, token);
    expect(res.status).toBe(200);
    pages.push(res.body);
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 20);
  return pages;
}

describe('own projects by status', () => {
  const suspended = () => ownerProjects.filter((p) => p.status === 'suspended').map((p) => p.id);

  it('fills the page with projects in that status, however they lie among the others', async () => {
    const res = await list('/v1/projects?status=suspended&limit=2');
    expect(res.status).toBe(200);
    expect(res.body.items.map((p) => p.id)).toEqual(suspended());
    expect(res.body.nextCursor).toBeNull();
  });

  it('pages through a filtered list without empty pages, each project once', async () => {
    const pages = await allPages('/v1/projects?status=suspended&limit=1');
    expect(pages.map((p) => p.items.length)).toEqual([1, 1]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(suspended());
  });

  it('pages through the whole list the same way, the last page without a cursor', async () => {
    const pages = await allPages('/v1/projects?limit=1');
    expect(pages.map((p) => p.items.length)).toEqual([1, 1, 1, 1, 1]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    expect(pages.flatMap((p) => p.items.map((i) => i.id))).toEqual(ownerProjects.map((p) => p.id));
  });

  it('keeps pages full when the matches lie far apart (more than one read of the table)', async () => {
    const MANY = 'viele@example.com';
    const manyProjects = [
      ...[0, 1, 2].map((i) => project(MANY, 'suspended', i)),
      ...Array.from({ length: 130 }, (_, i) => ({
        ...project(MANY, 'active', 0),
        createdAt: `2025-03-02T10:00:00.${String(i).padStart(3, '0')}Z`,
      })),
    ];
    await store(manyProjects.map(projectItem));
    const token = await stack.token(MANY, 'customer');
    const pages = await allPages('/v1/projects?status=suspended&limit=2', token);
    expect(pages.map((p) => p.items.map((i) => i.status))).toEqual([
      ['suspended', 'suspended'],
      ['suspended'],
    ]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
  });

  it('does not take the cursor of the unfiltered list for a filtered one', async () => {
    const first = await list('/v1/projects?limit=1');
    const res = await list(`/v1/projects?status=suspended&limit=1&cursor=${first.body.nextCursor}`);
    expect(res.status).toBe(400);
  });
});
