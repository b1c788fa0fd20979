/**
 * Where a V8 CPU profile's time went: self time by package (node_modules/<package>, node: internals, or
 * MCart's own code) and by function. Run: `npx tsx bench/profile-summary.ts <file.cpuprofile>`, e.g. on
 * the profile of a bench's server (`BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`).
 * Time in a native call such as `writev` includes the moments the thread was not running (preempted by
 * the process it woke), so on a saturated machine it is wall time, not only CPU.
 */
import { readFileSync } from 'node:fs';

interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile>');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
let busy = 0;
profile.samples?.forEach((id, i) => {
  const frame = byId.get(id)!;
  if (frame.functionName === '(idle)') return;
  const dt = profile.timeDeltas?.[i] ?? 0;
  busy += dt;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1];
  const owner = pkg ?? (frame.url.startsWith('node:') ? 'node:' : frame.url ? 'mcart' : frame.functionName);
  byPackage.set(owner, (byPackage.get(owner) ?? 0) + dt);
  const where = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(apps|bench)\//, '$1/');
  const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + dt);
});
const top = (times: Map<string, number>, count: number) =>
  [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, time]) => `${((100 * time) / busy).toFixed(1).padStart(5)}% ${name}`)
    .join('\n');
console.log(
  `busy ${(busy / 1e6).toFixed(1)} s\nby package:\n${top(byPackage, 20)}\nby function (self):\n${top(byFunction, 40)}`,
);
