import { addProjectDomain } from '../../shared/domains/project-domains.js';
import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.addProjectDomain, ({ caller, params, body }) =>
  addProjectDomain(caller, params.id, body),
);
