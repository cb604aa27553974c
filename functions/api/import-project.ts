import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { importProject } from '../../shared/projects/import-project.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.importProject, ({ caller, body }) => importProject(caller, body));
