// Summarises a V8 .cpuprofile (from BENCH_PROFILE=1): top functions by self time, and self time by
// package / Tessera folder. node bench/profile-top.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg, skipArg] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
const skipUs = Number(skipArg ?? 0) * 1e6;
let clock = 0;
let idle = 0;
for (let i = 0; i < profile.samples.length; i++) {
  clock += dt[i] ?? 0;
  if (clock < skipUs) continue;
  if (byId.get(profile.samples[i]).callFrame.functionName === '(idle)') {
    idle += dt[i] ?? 0;
    continue;
  }
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fns = new Map();
const groups = new Map();
const group = (url) => {
  if (!url) return '(native / V8)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const src = /dist\/src\/([^/]+)/.exec(url);
  if (src) return `tessera:${src[1]}`;
  return url.startsWith('node:') ? `node:${url.slice(5).split('/')[0]}` : url.replace(/^file:\/\//, '');
};
for (const [id, us] of self) {
  const { callFrame: cf } = byId.get(id);
  const key = `${cf.functionName || '(anonymous)'} ${cf.url ? cf.url.replace(/^.*node_modules\//, '').replace(/^.*dist\//, '') + ':' + (cf.lineNumber + 1) : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const g = group(cf.url);
  groups.set(g, (groups.get(g) ?? 0) + us);
}
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5) + '%';
const top = Number(topArg ?? 25);
console.log(
  `busy ${(total / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s (after skipping ${skipUs / 1e6} s); percentages of busy time`,
);
console.log('\nself time by function:');
for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
console.log('\nself time by package / folder:');
for (const [k, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
