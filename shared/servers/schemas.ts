import * as z from 'zod';
import { singleLine } from '../platform/http/common-schemas.js';
import { SELECTION_STRATEGIES, SERVER_STATUSES } from './server-selection.js';

export const serverIdParam = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'must be a server id' }),
});

const ipv4 = z.ipv4({ error: 'must be an IPv4 address' });
const maxProjects = z.number().int().min(1).max(10_000);

export const addServerRequest = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lowercase letters, digits and hyphens' }),
  coolifyUuid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be the server uuid Coolify shows' }),
  ipAddress: ipv4,
  maxProjects,
  hetznerType: singleLine(1, 40).optional(),
  location: singleLine(1, 40).optional(),
});

export const changeServerRequest = z
  .strictObject({
    isAcceptingNew: z.boolean().optional(),
    maxProjects: maxProjects.optional(),
    status: z.enum(SERVER_STATUSES).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    error: 'give at least one of isAcceptingNew, maxProjects, status',
  });

export const serverView = z.object({
  id: z.string(),
  name: z.string(),
  coolifyUuid: z.string(),
  ipAddress: z.string(),
  status: z.enum(SERVER_STATUSES),
  isAcceptingNew: z.boolean(),
  maxProjects: z.number().int(),
  projectCount: z.number().int(),
  hetznerType: z.string().optional(),
  location: z.string().optional(),
});

export const serverSelectionRequest = z.strictObject({ strategy: z.enum(SELECTION_STRATEGIES) });

export const serverSelectionView = z.object({
  strategy: z.enum(SELECTION_STRATEGIES),
  roundRobinCounter: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
