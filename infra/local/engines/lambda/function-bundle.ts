import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER } from '../../../esm-require-banner.js';
import { REPO_ROOT } from '../../repo-root.js';

// A function's code as Lambda gets it: one ESM bundle by esbuild with the settings CDK uses
// (infra/constructs/marketplace-function.ts; the AWS SDK stays external, as the runtime provides
// it), here with the instance's side of the local runtime (instance-main.ts) bundled in. A worker
// starts from plain JavaScript, without a TypeScript loader: cold starts stay short.

const INSTANCE_MAIN = resolve(REPO_ROOT, 'infra/local/engines/lambda/instance-main.ts');
/** Below the repository, so the external AWS SDK resolves from its node_modules. */
const CACHE = join(REPO_ROOT, '.cache', 'local-functions');

export class FunctionBundles {
  private readonly dir = join(CACHE, `${process.pid}-${randomBytes(4).toString('hex')}`);

  constructor() {
    removeOrphans();
  }
  private readonly bundles = new Map<string, Promise<string>>();

  /** The bundle's file URL; built once per entry and runtime. */
  bundle(entry: string): Promise<string> {
    let pending = this.bundles.get(entry);
    if (!pending) {
      pending = this.build(entry);
      this.bundles.set(entry, pending);
      pending.catch(() => this.bundles.delete(entry));
    }
    return pending;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async build(entry: string): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    const outfile = join(this.dir, `${entry.replaceAll(/[^\w-]+/g, '_')}.mjs`);
    const handlerPath = resolve(REPO_ROOT, 'functions', `${entry}.ts`);
    await build({
      stdin: {
        contents: [
          `import { handler } from ${JSON.stringify(handlerPath)};`,
          `import { serve } from ${JSON.stringify(INSTANCE_MAIN)};`,
          'serve(handler);',
        ].join('\n'),
        resolveDir: REPO_ROOT,
        loader: 'ts',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*'],
      banner: { js: ESM_REQUIRE_BANNER },
      tsconfig: join(REPO_ROOT, 'tsconfig.json'),
      logLevel: 'silent',
    });
    return pathToFileURL(outfile).href;
  }
}

/** Bundles of runtimes that were killed (their process is gone) never got removed: remove them now. */
function removeOrphans(): void {
  let names: string[];
  try {
    names = readdirSync(CACHE);
  } catch {
    return; // no cache yet
  }
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid))
      rmSync(join(CACHE, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, but not ours
  }
}
