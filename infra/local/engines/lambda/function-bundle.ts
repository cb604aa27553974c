import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER } from '../../../esm-require-banner.js';
import { REPO_ROOT } from '../../repo-root.js';

// A function's code as Lambda gets it: one ESM bundle by esbuild with the settings CDK uses
// (infra/constructs/marketplace-function.ts; the AWS SDK stays external, as the runtime provides
// it), here with the instance's side of the local runtime (instance-main.ts) bundled in. A worker
// starts from plain JavaScript, without a TypeScript loader: cold starts stay short.
//
// Each runtime bundles into a directory of its own, removed when it stops. Given a shared
// directory instead (the tests: one for the whole run), a bundle is built once and reused by every
// runtime — by every test file — for as long as none of its input files (esbuild's metafile:
// sources and node_modules) has changed since; a changed one (watch mode) means a new build.

const INSTANCE_MAIN = resolve(REPO_ROOT, 'infra/local/engines/lambda/instance-main.ts');
/** Below the repository, so the external AWS SDK resolves from its node_modules. */
const CACHE = join(REPO_ROOT, '.cache', 'local-functions');

export class FunctionBundles {
  private readonly dir: string;
  private readonly bundles = new Map<string, Promise<string>>();

  /** `sharedDir`: bundles are reused from there, and left there on `remove()`. */
  constructor(private readonly sharedDir?: string) {
    removeOrphans();
    this.dir = sharedDir ?? join(CACHE, `${process.pid}-${randomBytes(4).toString('hex')}`);
  }

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
    if (!this.sharedDir) rmSync(this.dir, { recursive: true, force: true });
  }

  private async build(entry: string): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    const outfile = join(this.dir, `${entry.replaceAll(/[^\w-]+/g, '_')}.mjs`);
    const url = pathToFileURL(outfile).href;
    if (!this.sharedDir) {
      await bundleTo(entry, outfile);
      return url;
    }
    const inputsFile = `${outfile}.inputs.json`;
    if (unchanged(inputsFile)) return url;
    // Written aside and renamed: a runtime of another test file reads a whole bundle or none.
    const tmp = `${outfile}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    const inputs = await bundleTo(entry, tmp);
    renameSync(tmp, outfile);
    writeFileSync(`${inputsFile}.tmp${process.pid}`, JSON.stringify(inputs));
    renameSync(`${inputsFile}.tmp${process.pid}`, inputsFile);
    return url;
  }
}

/** Each input file of a bundle (absolute path) with its mtime and size when it was bundled. */
type Inputs = Record<string, [mtimeMs: number, size: number]>;

/** Bundles the function at `entry` into `outfile`; returns its input files. */
async function bundleTo(entry: string, outfile: string): Promise<Inputs> {
  const handlerPath = resolve(REPO_ROOT, 'functions', `${entry}.ts`);
  const result = await build({
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
    absWorkingDir: REPO_ROOT,
    metafile: true,
  });
  const inputs: Inputs = {};
  for (const path of Object.keys(result.metafile.inputs)) {
    if (path.startsWith('<')) continue; // <stdin>: the entry above, from the handler and INSTANCE_MAIN
    const file = resolve(REPO_ROOT, path);
    const { mtimeMs, size } = statSync(file);
    inputs[file] = [mtimeMs, size];
  }
  return inputs;
}

/** Whether the bundle these inputs were recorded for is there and none of them changed since. */
function unchanged(inputsFile: string): boolean {
  try {
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8')) as Inputs;
    return Object.entries(inputs).every(([file, [mtimeMs, size]]) => {
      const now = statSync(file);
      return now.mtimeMs === mtimeMs && now.size === size;
    });
  } catch {
    return false; // not built yet, or an input is gone
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
