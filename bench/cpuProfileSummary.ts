// Where a V8 CPU profile's time, or an allocation profile's bytes, went, as text: self figures by
// function, by file and by package, what each project function causes (the nearest frame of our own
// code above every sample), inclusive figures of our functions, and bottom-up callers of the hottest
// functions. Reads .cpuprofile and .heapprofile files as written by `bench/conversationBenchmark.ts
// --cpu-prof` (the measured rounds only), or a .cpuprofile of `node --cpu-prof`.
//
//   node --import tsx bench/cpuProfileSummary.ts bench/results/cpuprofiles/desk-sqlite.cpuprofile
//   node --import tsx bench/cpuProfileSummary.ts FILE --per 2000      # figures per turn (2,000 turns)
//   node --import tsx bench/cpuProfileSummary.ts FILE --callers 'structuredClone|stringify'
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

/** A .cpuprofile: a flat node list, and samples (node ids) with the time between them. */
interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: CallFrame; readonly children?: readonly number[] }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A .heapprofile (V8's sampling heap profiler): a tree, and sampled allocations with their sizes. */
interface HeapNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: readonly HeapNode[];
}
interface HeapProfile {
  readonly head: HeapNode;
  readonly samples: readonly { readonly size: number; readonly nodeId: number }[];
}

/** Either profile as one shape: call-tree nodes with a weight each (µs of CPU or bytes allocated). */
interface Weighted {
  readonly callFrames: Map<number, CallFrame>;
  readonly parentOf: Map<number, number>;
  readonly self: Map<number, number>;
  readonly kind: 'cpu' | 'allocations';
  readonly header: string;
}

function fromCpuProfile(profile: CpuProfile): Weighted {
  const callFrames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // A sample lasts until the next one: timeDeltas[i + 1] (µs); the last gets the mean.
  const meanUs = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? meanUs));
  }
  return {
    callFrames,
    parentOf,
    self,
    kind: 'cpu',
    header: `${profile.samples.length} samples, ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s profiled`,
  };
}

function fromHeapProfile(profile: HeapProfile): Weighted {
  const callFrames = new Map<number, CallFrame>();
  const parentOf = new Map<number, number>();
  const self = new Map<number, number>();
  const visit = (node: HeapNode) => {
    callFrames.set(node.id, node.callFrame);
    for (const child of node.children) {
      parentOf.set(child.id, node.id);
      visit(child);
    }
  };
  visit(profile.head);
  for (const sample of profile.samples) self.set(sample.nodeId, (self.get(sample.nodeId) ?? 0) + sample.size);
  return { callFrames, parentOf, self, kind: 'allocations', header: `${profile.samples.length} sampled allocations` };
}

const USAGE = `Usage: node --import tsx bench/cpuProfileSummary.ts FILE.cpuprofile|FILE.heapprofile [options]
  --per N          divide every figure by N (e.g. the turns profiled) and print ms per unit
  --top N          rows per table (default 25)
  --callers REGEX  bottom-up callers of the functions whose name or file matches (default: the 8 hottest)
  --depth N        caller frames shown per chain (default 6)
  --inclusive REGEX  inclusive figures of every function (ours or not) whose name or file matches
  --help`;

/** V8's pseudo-frames: not JavaScript, but where the time went all the same (GC, native code, idle). */
const IDLE = '(idle)';
const PROJECT_ROOT = process.cwd() + sep;

interface Frame {
  readonly name: string;
  readonly file: string;
  /** 'ours' for the project's own code (not node_modules), else the package, 'node' or a pseudo-frame. */
  readonly owner: string;
  readonly key: string;
}

function frameOf(callFrame: CallFrame): Frame {
  const name = callFrame.functionName || '(anonymous)';
  let file = callFrame.url;
  if (file.startsWith('file://')) file = fileURLToPath(file);
  let owner: string;
  if (!file) owner = name.startsWith('(') ? name : 'v8';
  else if (file.startsWith('node:')) owner = 'node';
  else {
    const modules = file.lastIndexOf(`node_modules${sep}`);
    if (modules >= 0) {
      const parts = file.slice(modules + 'node_modules'.length + 1).split(sep);
      owner = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    } else owner = 'ours';
  }
  if (file.startsWith(PROJECT_ROOT)) file = relative(PROJECT_ROOT, file);
  const at = file ? `${file}:${callFrame.lineNumber + 1}` : '';
  return { name, file: file || owner, owner, key: at ? `${name} ${at}` : name };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      per: { type: 'string', default: '1' },
      top: { type: 'string', default: '25' },
      callers: { type: 'string' },
      depth: { type: 'string', default: '6' },
      inclusive: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 1);
  }
  const per = Number(values.per);
  const top = Number(values.top);
  const depth = Number(values.depth);
  const parsed = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile | HeapProfile;
  const { callFrames, parentOf, self, kind, header } = 'head' in parsed ? fromHeapProfile(parsed) : fromCpuProfile(parsed);
  const frames = new Map<number, Frame>([...callFrames].map(([id, callFrame]) => [id, frameOf(callFrame)]));

  let busy = 0;
  let idle = 0;
  for (const [id, weight] of self) {
    if (frames.get(id)!.name === IDLE) idle += weight;
    else busy += weight;
  }

  // CPU in ms (from µs), allocations in kB (from bytes); both optionally per unit (per turn).
  const scale = 1000 * per;
  const measure = kind === 'cpu' ? 'ms' : 'kB allocated';
  const unit = per === 1 ? measure : `${measure} per unit, ${per} units`;
  const amount = (weight: number) => (weight / scale).toFixed(per === 1 ? 0 : 3).padStart(10);
  const pct = (weight: number) => `${((100 * weight) / busy).toFixed(1).padStart(5)} %`;
  const table = (title: string, totals: Map<string, number>) => {
    console.log(`\n${title} (${unit}, share of the total)`);
    for (const [key, weight] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${amount(weight)} ${pct(weight)}  ${key}`);
  };
  const add = (into: Map<string, number>, key: string, weight: number) => into.set(key, (into.get(key) ?? 0) + weight);

  console.log(`${positionals[0]}: ${header}`);
  if (kind === 'cpu')
    console.log(`busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s${per === 1 ? '' : `; busy per unit ${(busy / scale).toFixed(3)} ms`}`);
  else console.log(`${(busy / 1e6).toFixed(1)} MB allocated${per === 1 ? '' : `; per unit ${(busy / scale).toFixed(1)} kB`}`);

  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byOwner = new Map<string, number>();
  // Each sample charged to the deepest frame of our own code on its stack: what each of our
  // functions costs, libraries it calls included (a sample with none of ours: '(outside our code)').
  const byOurFrame = new Map<string, number>();
  for (const [id, weight] of self) {
    const frame = frames.get(id)!;
    if (frame.name === IDLE) continue;
    add(byFunction, frame.key, weight);
    add(byFile, frame.file, weight);
    add(byOwner, frame.owner, weight);
    let at: number | undefined = id;
    while (at !== undefined && frames.get(at)!.owner !== 'ours') at = parentOf.get(at);
    add(byOurFrame, at === undefined ? '(outside our code)' : frames.get(at)!.key, weight);
  }
  table('Self, by package', byOwner);
  table('Self, by file', byFile);
  table('Self, by function', byFunction);
  table('Charged to the nearest frame of our own code', byOurFrame);

  // Inclusive figures: each sample counted once per function on its stack.
  const inclusiveOf = (include: (frame: Frame) => boolean) => {
    const inclusive = new Map<string, number>();
    for (const [id, weight] of self) {
      if (frames.get(id)!.name === IDLE) continue;
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
        const frame = frames.get(at)!;
        if (include(frame) && !seen.has(frame.key)) {
          seen.add(frame.key);
          add(inclusive, frame.key, weight);
        }
      }
    }
    return inclusive;
  };
  table(
    'Inclusive, our own functions',
    inclusiveOf((frame) => frame.owner === 'ours'),
  );
  if (values.inclusive) {
    const matching = new RegExp(values.inclusive);
    table(
      `Inclusive, functions matching /${values.inclusive}/`,
      inclusiveOf((frame) => matching.test(frame.key)),
    );
  }

  // Bottom-up: for the chosen functions, the caller chains their self time came through.
  const pattern = values.callers ? new RegExp(values.callers) : undefined;
  const chosen = pattern
    ? new Set([...byFunction.keys()].filter((key) => pattern.test(key)))
    : new Set(
        [...byFunction]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([key]) => key),
      );
  for (const key of [...chosen].sort((a, b) => (byFunction.get(b) ?? 0) - (byFunction.get(a) ?? 0))) {
    const chains = new Map<string, number>();
    for (const [id, weight] of self) {
      if (frames.get(id)!.key !== key) continue;
      const callers: string[] = [];
      for (let at = parentOf.get(id); at !== undefined && callers.length < depth; at = parentOf.get(at)) {
        const frame = frames.get(at)!;
        if (frame.name === '(root)') break;
        callers.push(`${frame.name} (${frame.owner === 'ours' ? frame.file.split(sep).at(-1) : frame.owner})`);
      }
      add(chains, callers.join(' < ') || '(no caller)', weight);
    }
    table(`Bottom-up: ${key} — ${amount(byFunction.get(key) ?? 0).trim()} ${unit} self, called through`, chains);
  }
}

// Piped into `head`, stop quietly once the reader has had enough.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
main();
