import { json, type SimResponse } from '../types.js';
import type { SimEnvironment, SimProject } from './model.js';
import type { Route } from './routes.js';
import { type CoolifyStore, newUuid } from './store.js';
import { type Body, checkType, hasErrors, unknownFields, validationFailed } from './validation.js';

// Projects and their environments (ProjectController): a new project gets a `production` environment.

export function projectRoutes(store: CoolifyStore): Route[] {
  const { state } = store;

  function createEnvironment(project: SimProject, name: string): SimEnvironment {
    const env: SimEnvironment = {
      id: store.nextId(),
      uuid: newUuid(),
      name,
      project_id: project.id,
      description: null,
      created_at: store.now(),
      updated_at: store.now(),
    };
    state.environments.push(env);
    return env;
  }

  function createProject(body: Body): SimResponse {
    const errors = unknownFields(body, new Set(['name', 'description']));
    checkType(errors, body, 'name', 'string', true);
    checkType(errors, body, 'description', 'string', false, true);
    if (hasErrors(errors)) return validationFailed(errors);
    const project: SimProject = {
      id: store.nextId(),
      uuid: newUuid(),
      name: body.name as string,
      description: (body.description as string | undefined) ?? null,
      created_at: store.now(),
      updated_at: store.now(),
    };
    state.projects.push(project);
    createEnvironment(project, 'production'); // Project::booted()
    store.save();
    return json(201, { uuid: project.uuid });
  }

  function createEnvironmentRoute(projectUuid: string, body: Body): SimResponse {
    const errors = unknownFields(body, new Set(['name']));
    checkType(errors, body, 'name', 'string', true);
    if (hasErrors(errors)) return validationFailed(errors);
    const project = store.findProject(projectUuid);
    if (!project) return json(404, { message: 'Project not found.' });
    const name = body.name as string;
    if (state.environments.some((e) => e.project_id === project.id && e.name === name)) {
      return json(409, { message: 'Environment with this name already exists.' });
    }
    const env = createEnvironment(project, name);
    store.save();
    return json(201, { uuid: env.uuid });
  }

  /** Like ProjectController: only a project without resources can be deleted. */
  function deleteProject(project: SimProject): SimResponse {
    const envIds = new Set(state.environments.filter((e) => e.project_id === project.id).map((e) => e.id));
    if (state.applications.some((a) => envIds.has(a.environment_id))) {
      return json(400, { message: 'Project has resources, so it cannot be deleted.' });
    }
    state.environments = state.environments.filter((e) => !envIds.has(e.id));
    state.projects = state.projects.filter((p) => p !== project);
    store.save();
    return json(200, { message: 'Project deleted.' });
  }

  const environmentsOf = (project: SimProject) =>
    state.environments.filter((e) => e.project_id === project.id).map(environmentView);

  return [
    ['GET', '/projects', () => json(200, state.projects.map(projectView))],
    ['POST', '/projects', (_p, _r, body) => createProject(body)],
    [
      'DELETE',
      '/projects/{uuid}',
      (p) => {
        const project = store.findProject(p.uuid!);
        if (!project) return json(404, { message: 'Project not found.' });
        return deleteProject(project);
      },
    ],
    [
      'GET',
      '/projects/{uuid}',
      (p) => {
        const project = store.findProject(p.uuid!);
        if (!project) return json(404, { message: 'Project not found.' });
        return json(200, { ...projectView(project), environments: environmentsOf(project) });
      },
    ],
    [
      'GET',
      '/projects/{uuid}/environments',
      (p) => {
        const project = store.findProject(p.uuid!);
        if (!project) return json(404, { message: 'Project not found.' });
        return json(200, environmentsOf(project));
      },
    ],
    ['POST', '/projects/{uuid}/environments', (p, _r, body) => createEnvironmentRoute(p.uuid!, body)],
    // Registered after `/environments`, which this pattern would otherwise swallow.
    [
      'GET',
      '/projects/{uuid}/{env}',
      (p) => {
        const project = store.findProject(p.uuid!);
        if (!project) return json(404, { message: 'Project not found.' });
        const env = state.environments.find(
          (e) => e.project_id === project.id && (e.name === p.env || e.uuid === p.env),
        );
        if (!env) return json(404, { message: 'Environment not found.' });
        return json(200, environmentView(env));
      },
    ],
  ];
}

function projectView(p: SimProject) {
  return { id: p.id, uuid: p.uuid, name: p.name, description: p.description };
}

function environmentView(e: SimEnvironment) {
  return { ...e };
}
