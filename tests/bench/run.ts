// `npm run bench`: prints performance figures of the marketplace backend against its targets.
//   1. subdomain flow on the in-process local stack: POST /v1/projects → active, state transitions
//      and Coolify calls per provisioning with 0 and with 500 other applications at Coolify
//   2. custom domains: a transfer's transitions at two durations, time to live on the technical
//      subdomain (transfer vs subdomain order), INWX logins of one domain-sync run with 1,000 domains
//   3. bundle size per Lambda function, bundled as CDK bundles it
//   4. module init time of each bundle relative to a bundle of just its AWS SDK clients
//   5. local function instances: start-up, cold vs warm invocations, peak RSS under 30 provisionings
//   6. the Stripe webhook handler per event: DynamoDB calls and CPU time, fulfilling and replayed
//   7. a satellite's plugin download: DynamoDB calls and handler CPU time per download
// Options: --runs N (subdomain projects and webhook orders, default 5), --reps N (init-time
//          repetitions, default 7), --only flow,domains,bundles,init,instances,webhook (sections to
//          run; init needs bundles and runs them itself; also: download).
// Exits non-zero only when a section crashes, never because a target was missed.

import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { BundleResult } from './bundles.js';
import { kb, median, ms, section, summaryLine, type TargetResult, table } from './format.js';

// Before the local stack's modules load (they are imported dynamically below).
process.env.LOG_LEVEL = 'WARN';
// Lambda runs Node 22; the SDK's notice about Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const TARGET = {
  transitions: 25,
  wallMs: 2000,
  bundleBytes: 250 * 1024,
  /** Functions that carry the official Stripe SDK (issue: Commerce). */
  stripeBundleBytes: 1024 * 1024,
  initRatio: 1.5,
  transferTransitions: 20,
  syncLogins: 1,
  /** A transfer order is live on its technical subdomain as fast as a subdomain order (noise allowed). */
  transferLiveRatio: 1.25,
  /**
   * Stripe webhook per event. Fulfilling: project read, session re-read (Stripe), the paid-order
   * transaction, project read, the execution recorded, and the owner's two mails (project and
   * domains read, a claim each) — 10 at most. A replay of a fulfilled event only reads: 2, no write.
   */
  webhookFulfilCalls: 10,
  webhookReplayCalls: 2,
  /**
   * CPU time of the handler per event, warm (median): fulfilling makes 8 DynamoDB, 1 Stripe, 1-2
   * Step Functions and 2 SES calls; a replay verifies the signature and reads twice.
   */
  webhookFulfilCpuMs: 100,
  webhookReplayCpuMs: 25,
  /** A plugin download (issue 8): the key's marker, then project + license + plugin in one BatchGetItem. */
  downloadCalls: 2,
  /** Handler CPU per warm download (median): two reads and a presigned URL, like a replayed webhook. */
  downloadCpuMs: 25,
};

interface Args {
  runs: number;
  reps: number;
  only: Set<string>;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    runs: 5,
    reps: 7,
    only: new Set(['flow', 'domains', 'bundles', 'init', 'instances', 'webhook', 'download']),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    const count = (name: string) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer`);
      return n;
    };
    if (flag === '--runs') args.runs = count('--runs');
    else if (flag === '--reps') args.reps = count('--reps');
    else if (flag === '--only') args.only = new Set(value().split(',').filter(Boolean));
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: npm run bench -- [--runs N] [--reps N] [--only flow,domains,bundles,init,instances,webhook,download]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');

const targets: TargetResult[] = [];
const crashes: string[] = [];

async function guarded(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.log(`\n!! ${name} crashed: ${message}`);
    crashes.push(name);
  }
}

async function flowSection(args: Args): Promise<void> {
  section(`1. Subdomain flow (${args.runs} runs, local stack in-process)`);
  const { runSubdomainFlow } = await import('./subdomain-flow.js');
  const { startupMs, runs, coolify } = await runSubdomainFlow({
    runs: args.runs,
    pollIntervalMs: 20,
    timeoutMs: 30_000,
  });
  console.log(`  local stack started in ${ms(startupMs)}; waitMs 0, retryIntervalMs 0, deployDurationMs 0\n`);

  const machineTransitions = (run: (typeof runs)[number], machine: string) =>
    run.executions.filter((e) => e.machine === machine).reduce((sum, e) => sum + e.stateTransitions, 0);
  const repeated = (run: (typeof runs)[number]) =>
    run.executions
      .flatMap((e) => Object.entries(e.entered).filter(([, n]) => n > 1))
      .map(([state, n]) => `${state}×${n}`)
      .join(', ') || '-';
  console.log(
    table(
      [
        'run',
        'subdomain',
        'status',
        'POST→active',
        'polls',
        'provision',
        'deploy',
        'transitions',
        'states entered >1×',
      ],
      runs.map((r) => [
        String(r.run),
        r.subdomain,
        r.finalStatus,
        r.wallMs === null ? 'n/a' : ms(r.wallMs),
        String(r.polls),
        String(machineTransitions(r, 'provision-subdomain')),
        String(machineTransitions(r, 'deploy-project')),
        String(r.transitions),
        repeated(r),
      ]),
      ['right', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
    ),
  );
  for (const r of runs) {
    if (r.problem) console.log(`  run ${r.run}: ${r.problem}`);
    const unfinished = r.executions.filter((e) => e.status !== 'SUCCEEDED');
    for (const e of unfinished) console.log(`  run ${r.run}: execution ${e.name} is ${e.status}`);
    if (r.projectId && r.executions.length !== 2) {
      console.log(`  run ${r.run}: expected 2 executions, found ${r.executions.length}`);
    }
  }

  const ok = runs.filter((r) => r.wallMs !== null);
  const wall = median(ok.map((r) => r.wallMs!));
  const transitions = median(runs.map((r) => r.transitions));
  const maxTransitions = Math.max(...runs.map((r) => r.transitions));
  const allActive = ok.length === runs.length;
  console.log(
    `\n  median: POST→active ${ms(wall)} (target ≤ ${ms(TARGET.wallMs)}), ` +
      `transitions ${transitions} (target ≤ ${TARGET.transitions}); ${ok.length}/${runs.length} runs reached active`,
  );
  console.log('  (run 1 includes loading the handler modules into the local stack)');
  const cost = (c: (typeof coolify)[number]) =>
    `${c.calls} calls (${c.listedItems} list items) with ${c.otherApps} other apps`;
  console.log(`  Coolify per provisioning: ${coolify.map(cost).join(' vs ')}`);
  const [alone, inFleet] = coolify;
  targets.push({
    name: 'Coolify calls per provisioning independent of the fleet size',
    pass: !!alone && !!inFleet && alone.calls === inFleet.calls && alone.listedItems === inFleet.listedItems,
    detail: coolify.map(cost).join(' vs '),
  });
  targets.push({
    name: `subdomain flow state transitions ≤ ${TARGET.transitions}`,
    pass: allActive && transitions <= TARGET.transitions,
    detail:
      `median ${transitions}, max ${maxTransitions}, ` +
      `${runs.filter((r) => r.transitions <= TARGET.transitions).length}/${runs.length} runs within` +
      (allActive ? '' : `; only ${ok.length}/${runs.length} runs reached active`),
  });
  targets.push({
    name: `subdomain flow POST→active ≤ ${TARGET.wallMs / 1000} s`,
    pass: allActive && wall <= TARGET.wallMs,
    detail:
      `median ${ms(wall)}, ` +
      `${ok.filter((r) => r.wallMs! <= TARGET.wallMs).length}/${runs.length} runs within` +
      (allActive ? '' : `; only ${ok.length}/${runs.length} runs reached active`),
  });
}

async function domainSection(): Promise<void> {
  section('2. Custom domains (transfer, domain-sync)');
  const { runDomainBench } = await import('./domain-flow.js');
  const r = await runDomainBench();
  console.log(
    table(
      ['transfer takes', 'attach-domain transitions', 'order → domain live'],
      r.transfers.map((t) => [`${t.transferSeconds} s`, String(t.transitions), ms(t.wallMs)]),
      ['right', 'right', 'right'],
    ),
  );
  console.log('  (the wait is a task token: no transitions while the registry works, whatever it takes)\n');
  for (const l of r.liveOnSubdomain) {
    console.log(
      `  ${l.kind} order → live on its (technical) subdomain: median ${ms(l.medianMs)} (${l.samples.map((x) => ms(x)).join(', ')})`,
    );
  }
  const s = r.sync;
  console.log(
    `  domain-sync with ${s.domains} domains waiting: ${s.logins} INWX login(s), ${s.listCalls} domain.list pages, ${ms(s.wallMs)}`,
  );
  const counts = r.transfers.map((t) => t.transitions);
  targets.push({
    name: `transfer transitions ≤ ${TARGET.transferTransitions}, independent of its duration`,
    pass: counts.every((c) => c <= TARGET.transferTransitions) && new Set(counts).size === 1,
    detail: r.transfers.map((t) => `${t.transitions} at ${t.transferSeconds} s`).join(', '),
  });
  targets.push({
    name: `INWX logins per domain-sync run = ${TARGET.syncLogins}`,
    pass: s.logins === TARGET.syncLogins,
    detail: `${s.logins} with ${s.domains} domains waiting`,
  });
  const [sub, transfer] = r.liveOnSubdomain;
  targets.push({
    name: 'transfer order live on its subdomain as fast as a subdomain order',
    pass: !!sub && !!transfer && transfer.medianMs <= sub.medianMs * TARGET.transferLiveRatio,
    detail: `transfer ${ms(transfer?.medianMs ?? Number.NaN)} vs subdomain ${ms(sub?.medianMs ?? Number.NaN)} (≤ ${TARGET.transferLiveRatio}×)`,
  });
}

async function bundleSection(): Promise<BundleResult> {
  section('3. Bundle size per function (esbuild like CDK: esm, node22, minify, @aws-sdk/* external)');
  const { bundleAll, OUT_DIR, REPO_ROOT } = await import('./bundles.js');
  const bundles = await bundleAll();
  const usesStripe = (f: (typeof bundles.functions)[number]) =>
    f.composition.some((c) => c.name === 'stripe');
  const budget = (f: (typeof bundles.functions)[number]) =>
    usesStripe(f) ? TARGET.stripeBundleBytes : TARGET.bundleBytes;
  console.log(
    `  ${bundles.functions.length} functions bundled in ${ms(bundles.buildMs)} to ${OUT_DIR.slice(REPO_ROOT.length + 1)}/\n`,
  );
  console.log(
    table(
      ['function', 'bytes', 'size', 'target', 'AWS SDK packages (external)'],
      bundles.functions.map((f) => [
        f.entry,
        String(f.bytes),
        kb(f.bytes),
        `${f.bytes <= budget(f) ? 'ok' : 'OVER'}${usesStripe(f) ? ' (Stripe: 1 MB)' : ''}`,
        f.sdkImports.map((p) => p.replace('@aws-sdk/', '')).join(', ') || '-',
      ]),
      ['left', 'right', 'right', 'left', 'left'],
    ),
  );
  for (const w of bundles.warnings) console.log(`  warning: ${w}`);
  const over = bundles.functions.filter((f) => f.bytes > budget(f));
  const plain = bundles.functions.filter((f) => !usesStripe(f));
  const stripeOnes = bundles.functions.filter(usesStripe);
  const largest = plain.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const smallest = bundles.functions.reduce((a, b) => (b.bytes < a.bytes ? b : a));
  console.log(
    `\n  largest ${largest.entry} ${kb(largest.bytes)}, smallest ${smallest.entry} ${kb(smallest.bytes)}`,
  );
  console.log('\n  what the bytes are (top 12 sources by their largest share of any bundle):\n');
  const groups = new Map<string, number[]>();
  for (const f of bundles.functions) {
    for (const c of f.composition) groups.set(c.name, [...(groups.get(c.name) ?? []), c.bytes]);
  }
  console.log(
    table(
      ['source', 'in bundles', 'min', 'max'],
      [...groups]
        .sort((a, b) => Math.max(...b[1]) - Math.max(...a[1]))
        .slice(0, 12)
        .map(([name, sizes]) => [
          name,
          `${sizes.length}/${bundles.functions.length}`,
          kb(Math.min(...sizes)),
          kb(Math.max(...sizes)),
        ]),
    ),
  );
  targets.push({
    name: `bundle size ≤ ${TARGET.bundleBytes / 1024} KB (1 KB = 1024 B) per function without Stripe`,
    pass: plain.every((f) => f.bytes <= TARGET.bundleBytes),
    detail:
      `${plain.filter((f) => f.bytes <= TARGET.bundleBytes).length}/${plain.length} within; ` +
      `largest ${largest.entry} ${kb(largest.bytes)}, smallest ${smallest.entry} ${kb(smallest.bytes)}`,
  });
  targets.push({
    name: `bundle size ≤ ${TARGET.stripeBundleBytes / 1024} KB per function with the Stripe SDK`,
    pass: stripeOnes.every((f) => f.bytes <= TARGET.stripeBundleBytes),
    detail: stripeOnes.map((f) => `${f.entry} ${kb(f.bytes)}`).join(', ') || 'none',
  });
  if (over.length) console.log(`  over budget: ${over.map((f) => f.entry).join(', ')}`);
  return bundles;
}

async function initSection(bundles: BundleResult, args: Args): Promise<void> {
  section(`4. Init time: function bundle vs. reference of its SDK clients (${args.reps} reps)`);
  const { measureInitTimes } = await import('./init-time.js');
  console.log('  reference bundles (imports + client construction only):');
  for (const ref of bundles.references.values()) console.log(`    ${ref.key}: ${kb(ref.bytes)}`);
  console.log('  each figure: median of `await import(bundle)` in a fresh node process, interleaved;');
  console.log(
    '  the verdict is on wall time; CPU time (user+sys) is shown as it is less sensitive to other load',
  );
  console.log(
    `  load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${cpus().length} CPUs\n`,
  );
  const started = performance.now();
  const figures = await measureInitTimes(bundles, args.reps, (done, total) => {
    if (process.stderr.isTTY) process.stderr.write(`\r  measuring ${done}/${total}`);
  });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  console.log(
    table(
      [
        'function',
        'function',
        'reference',
        'ratio',
        'target',
        'cpu fn',
        'cpu ref',
        'cpu ratio',
        'reference clients',
      ],
      figures.map((f) => [
        f.entry,
        ms(f.functionMs, 1),
        ms(f.referenceMs, 1),
        ratio(f.ratio),
        f.error ? 'ERROR' : f.ratio <= TARGET.initRatio ? 'ok' : 'OVER',
        ms(f.functionCpuMs, 1),
        ms(f.referenceCpuMs, 1),
        ratio(f.cpuRatio),
        f.referenceKey +
          (bundles.functions.find((b) => b.entry === f.entry)?.sdkPackages.length
            ? ''
            : ' (baseline: no SDK client)'),
      ]),
      ['left', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'left'],
    ),
  );
  for (const f of figures) if (f.error) console.log(`  ${f.entry}: import failed: ${f.error}`);
  console.log(
    `\n  measured in ${ms(performance.now() - started)}; load average after: ` +
      loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
  );

  const measured = figures.filter((f) => !f.error && Number.isFinite(f.ratio));
  const within = measured.filter((f) => f.ratio <= TARGET.initRatio);
  const worst = measured.reduce<(typeof measured)[number] | undefined>(
    (a, b) => (!a || b.ratio > a.ratio ? b : a),
    undefined,
  );
  const failed = figures.length - measured.length;
  const worstCpu = measured.reduce<(typeof measured)[number] | undefined>(
    (a, b) => (!a || b.cpuRatio > a.cpuRatio ? b : a),
    undefined,
  );
  targets.push({
    name: `init time ratio ≤ ${TARGET.initRatio} per function`,
    pass: failed === 0 && within.length === figures.length,
    detail:
      `${within.length}/${figures.length} within; median ratio ${median(measured.map((f) => f.ratio)).toFixed(2)}` +
      (worst ? `, worst ${worst.entry} ${worst.ratio.toFixed(2)}` : '') +
      (worstCpu ? ` (CPU time: worst ${worstCpu.entry} ${worstCpu.cpuRatio.toFixed(2)})` : '') +
      (failed ? `; ${failed} could not be imported` : ''),
  });
}

async function instancesSection(): Promise<void> {
  section('5. Local function instances (worker threads, one invocation each at a time)');
  const { runInstances } = await import('./local-instances.js');
  const r = await runInstances(30);
  console.log(`  local stack started in ${ms(r.startupMs)}\n`);
  console.log(
    table(
      ['GET', 'cold (bundle + instance + init)', 'warm (median of 10)'],
      r.invocations.map((i) => [i.path, ms(i.coldMs), ms(i.warmMs)]),
      ['left', 'right', 'right'],
    ),
  );
  const c = r.concurrent;
  console.log(
    `\n  ${c.projects} provisionings at once: ${c.active}/${c.projects} active in ${ms(c.wallMs)}, ` +
      `peak RSS ${c.peakRssMb.toFixed(0)} MB, peak ${c.peakInstances} function instances`,
  );
}

async function webhookSection(args: Args): Promise<void> {
  section(`6. Stripe webhook handler per event (${args.runs} paid orders, warm function process)`);
  const { runWebhookBench } = await import('./stripe-webhook.js');
  const { events } = await runWebhookBench(args.runs);
  const ops = (byOperation: Record<string, number>) =>
    Object.entries(byOperation)
      .map(([op, n]) => `${op}×${n}`)
      .join(', ') || '-';
  console.log(
    table(
      ['event', 'run', 'HTTP', 'DynamoDB calls', 'writes', 'CPU', 'wall', 'operations'],
      events.map((e) => [
        e.kind === 'fulfil' ? 'completed (fulfils)' : 'completed (replayed)',
        String(e.run),
        String(e.status),
        String(e.dynamoCalls),
        String(e.writes),
        ms(e.cpuMs, 1),
        ms(e.wallMs, 1),
        ops(e.byOperation),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    ),
  );
  console.log(
    '  (DynamoDB calls counted on a proxy only the handler uses; CPU = user+sys of the process that runs only the handler)',
  );
  const of = (kind: 'fulfil' | 'replay') => events.filter((e) => e.kind === kind);
  const fulfil = of('fulfil');
  const replay = of('replay');
  const maxCalls = (list: typeof events) => Math.max(...list.map((e) => e.dynamoCalls));
  const cpu = (list: typeof events) => median(list.map((e) => e.cpuMs));
  console.log(
    `\n  median CPU: fulfilling ${ms(cpu(fulfil), 1)}, replayed ${ms(cpu(replay), 1)}; ` +
      `DynamoDB calls: fulfilling ≤ ${maxCalls(fulfil)}, replayed ≤ ${maxCalls(replay)}`,
  );
  targets.push({
    name: `webhook: a fulfilling checkout.session.completed ≤ ${TARGET.webhookFulfilCalls} DynamoDB calls`,
    pass: fulfil.every((e) => e.status === 200 && e.dynamoCalls <= TARGET.webhookFulfilCalls),
    detail: `max ${maxCalls(fulfil)} (${ops(fulfil[0]?.byOperation ?? {})})`,
  });
  targets.push({
    name: `webhook: a replayed event ≤ ${TARGET.webhookReplayCalls} DynamoDB calls, no writes`,
    pass: replay.every(
      (e) => e.status === 200 && e.dynamoCalls <= TARGET.webhookReplayCalls && e.writes === 0,
    ),
    detail: `max ${maxCalls(replay)}, writes ${Math.max(...replay.map((e) => e.writes))}`,
  });
  targets.push({
    name: `webhook CPU time per event ≤ ${TARGET.webhookFulfilCpuMs} ms fulfilling, ≤ ${TARGET.webhookReplayCpuMs} ms replayed (median, warm)`,
    pass: cpu(fulfil) <= TARGET.webhookFulfilCpuMs && cpu(replay) <= TARGET.webhookReplayCpuMs,
    detail: `fulfilling ${ms(cpu(fulfil), 1)}, replayed ${ms(cpu(replay), 1)}`,
  });
}

async function downloadSection(args: Args): Promise<void> {
  const downloads = Math.max(args.runs, 5) * 2;
  section(`7. Satellite plugin download (${downloads} downloads of one plugin, one function process)`);
  const { runDownloadBench } = await import('./satellite-download.js');
  const { figures } = await runDownloadBench(downloads);
  const ops = (byOperation: Record<string, number>) =>
    Object.entries(byOperation)
      .map(([op, n]) => `${op}×${n}`)
      .join(', ') || '-';
  console.log(
    table(
      ['download', 'HTTP', 'DynamoDB calls', 'CPU', 'wall', 'operations'],
      figures.map((f) => [
        f.call === 1 ? '1 (cold)' : String(f.call),
        String(f.status),
        String(f.dynamoCalls),
        ms(f.cpuMs, 1),
        ms(f.wallMs, 1),
        ops(f.byOperation),
      ]),
      ['right', 'right', 'right', 'right', 'right', 'left'],
    ),
  );
  console.log(
    "  (the first download also reads the plugin's versions, kept for a minute while its latestVersion stays)",
  );
  const warm = figures.slice(1);
  const maxWarm = Math.max(...warm.map((f) => f.dynamoCalls));
  const cpu = median(warm.map((f) => f.cpuMs));
  targets.push({
    name: `download: ≤ ${TARGET.downloadCalls} DynamoDB calls per download (warm)`,
    pass: warm.every((f) => f.status === 200 && f.dynamoCalls <= TARGET.downloadCalls),
    detail: `max ${maxWarm} warm (${ops(warm[0]?.byOperation ?? {})}), ${figures[0]?.dynamoCalls ?? 'n/a'} on the cold first one`,
  });
  targets.push({
    name: `download: handler CPU ≤ ${TARGET.downloadCpuMs} ms per call (median, warm)`,
    pass: cpu <= TARGET.downloadCpuMs,
    detail: `median ${ms(cpu, 1)}; cold first call ${ms(figures[0]?.cpuMs ?? Number.NaN, 1)}`,
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  console.log(`VRS Marketplace benchmarks (node ${process.version}, ${process.platform}/${process.arch})`);

  if (args.only.has('flow')) await guarded('subdomain flow', () => flowSection(args));
  if (args.only.has('domains')) await guarded('custom domains', () => domainSection());
  let bundles: BundleResult | undefined;
  if (args.only.has('bundles') || args.only.has('init')) {
    await guarded('bundle size', async () => {
      bundles = await bundleSection();
    });
  }
  if (args.only.has('init') && bundles) await guarded('init time', () => initSection(bundles!, args));
  if (args.only.has('instances')) await guarded('function instances', () => instancesSection());
  if (args.only.has('webhook')) await guarded('stripe webhook', () => webhookSection(args));
  if (args.only.has('download')) await guarded('satellite download', () => downloadSection(args));

  section('Summary');
  for (const t of targets) console.log(`  ${summaryLine(t)}`);
  for (const c of crashes) console.log(`  CRASH ${c}`);
  console.log(`  total ${ms(performance.now() - started)}`);
}

main().then(
  // Exit explicitly: keep-alive sockets of the in-process handlers' SDK clients may linger.
  () => process.exit(crashes.length ? 1 : 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
