import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metrics, processRegistry } from '../../src/metrics/metrics.js';

/** Issue #17 item 1: the Grafana dashboard and docs/operations.md name only metrics that exist. */
describe('#17.1 docs/grafana/tessera-dashboard.json and docs/operations.md', () => {
  const metrics = new Metrics();
  const exported = new Set(
    [...metrics.registry.getMetricsAsArray(), ...processRegistry().getMetricsAsArray()].map((m) => m.name),
  );
  const known = (name: string) =>
    exported.has(name) || exported.has(name.replace(/_(bucket|count|sum)$/, ''));

  it('every metric a panel queries is exported', () => {
    const dashboard = JSON.parse(
      readFileSync(join(process.cwd(), 'docs/grafana/tessera-dashboard.json'), 'utf8'),
    ) as {
      panels: { targets: { expr: string }[] }[];
    };
    const names = dashboard.panels
      .flatMap((p) => p.targets.map((t) => t.expr))
      .flatMap((expr) => expr.match(/\b(tessera|process|nodejs)_[a-z0-9_]+/g) ?? []);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((n) => !known(n))).toEqual([]);
  });

  it('docs/operations.md documents every tessera_ metric', () => {
    const doc = readFileSync(join(process.cwd(), 'docs/operations.md'), 'utf8');
    const ours = [...exported].filter((n) => n.startsWith('tessera_'));
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.filter((n) => !doc.includes(`\`${n}\``))).toEqual([]);
  });
});
