// Formats the rank correlation of each zero-cost proxy in the MNIST
// architecture fixture with trained accuracy, as a Markdown table, and
// measures how far the stored curves still move at their end.
import { kendall, spearman } from '../src/core/bench/correlation';
import type { CurvePoint, ProxyName } from '../src/core/run/types';
import type { Fixture, FixtureArchitecture } from './proxy-fixture';

const PROXIES: ProxyName[] = ['synflow', 'naswot', 'snip', 'grad_norm', 'params', 'flops'];
const BASELINES = new Set<ProxyName>(['params', 'flops']);
/** Spearman correlation that the best proxy must reach on the whole fixture. */
export const TARGET_SPEARMAN = 0.6;

interface Row {
  proxy: ProxyName;
  /** Architectures with a finite score. */
  count: number;
  spearmanValidation: number;
  kendallValidation: number;
  spearmanTest: number;
  kendallTest: number;
}

/** Convergence measures of one curve, in accuracy points. */
export interface CurveSettling {
  /** Absolute change of validation accuracy from the second-to-last epoch to the last. */
  lastEpoch: number;
  /** Max minus min validation accuracy of the last three epochs, so the change over the last two epochs. */
  lastTwoEpochs: number;
}

/** Measures how much a curve still moves at its end. Returns undefined for a curve of fewer than three epochs. */
export function curveSettling(curve: readonly CurvePoint[]): CurveSettling | undefined {
  if (curve.length < 3) return undefined;
  const last = curve.slice(-3).map((point) => point.validationAccuracy);
  return {
    lastEpoch: Math.abs(last[2] - last[1]) * 100,
    lastTwoEpochs: (Math.max(...last) - Math.min(...last)) * 100,
  };
}

/** Formats `values` (points) as their median and largest, or as 'not measured yet' when empty. */
export function medianAndLargest(values: number[]): string {
  if (values.length === 0) return 'not measured yet';
  const sorted = [...values].sort((x, y) => x - y);
  return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)}, largest ${sorted[sorted.length - 1].toFixed(2)} points`;
}

/**
 * Computes Spearman and Kendall tau-b of each proxy with validation and test
 * accuracy over `architectures`. Architectures whose score was stored as
 * null (not finite) are left out of that proxy's row.
 */
export function correlationRows(architectures: readonly FixtureArchitecture[]): Row[] {
  return PROXIES.map((proxy) => {
    const scored = architectures.filter((entry) => entry.proxies[proxy] !== null);
    const scores = scored.map((entry) => entry.proxies[proxy] as number);
    const validation = scored.map((entry) => entry.validationAccuracy);
    const test = scored.map((entry) => entry.testAccuracy);
    return {
      proxy,
      count: scored.length,
      spearmanValidation: spearman(scores, validation),
      kendallValidation: kendall(scores, validation),
      spearmanTest: spearman(scores, test),
      kendallTest: kendall(scores, test),
    };
  });
}

/** Returns the Markdown report: one table for all architectures, one per space, and the target check. */
export function formatProxyReport(fixture: Fixture): string {
  const lines: string[] = [];
  const all = fixture.architectures;
  const format = (value: number): string => (Number.isNaN(value) ? 'n/a' : value.toFixed(3));
  const table = (title: string, architectures: readonly FixtureArchitecture[]): void => {
    lines.push(`${title} (${architectures.length} architectures)`, '');
    lines.push('| proxy | n | Spearman (val) | Kendall (val) | Spearman (test) | Kendall (test) |');
    lines.push('| --- | --: | --: | --: | --: | --: |');
    for (const row of correlationRows(architectures)) {
      lines.push(
        `| ${row.proxy} | ${row.count} | ${format(row.spearmanValidation)} | ${format(row.kendallValidation)} | ` +
          `${format(row.spearmanTest)} | ${format(row.kendallTest)} |`,
      );
    }
    lines.push('');
  };

  table('All spaces', all);
  for (const spaceId of [...new Set(all.map((entry) => entry.spaceId))]) {
    table(`Space ${spaceId}`, all.filter((entry) => entry.spaceId === spaceId));
  }

  // The target is for zero-cost proxies; params and FLOPs are the baselines they are compared with.
  const rows = correlationRows(all).filter((row) => !BASELINES.has(row.proxy));
  for (const [column, key] of [['validation', 'spearmanValidation'], ['test', 'spearmanTest']] as const) {
    const scored = rows.filter((row) => !Number.isNaN(row[key]));
    const best = scored.reduce<Row | undefined>((top, row) => (top === undefined || row[key] > top[key] ? row : top), undefined);
    if (best === undefined) continue;
    const verdict = best[key] >= TARGET_SPEARMAN ? 'meets' : 'misses';
    lines.push(
      `Best zero-cost proxy by Spearman with ${column} accuracy: ${best.proxy} at ${format(best[key])}, ` +
        `which ${verdict} the target of ${TARGET_SPEARMAN}.`,
    );
  }
  const settling = all.map((entry) => curveSettling(entry.curve)).filter((measure): measure is CurveSettling => measure !== undefined);
  lines.push(
    `Validation accuracy change from the second-to-last epoch to the last: ${medianAndLargest(settling.map((m) => m.lastEpoch))}; ` +
      `max minus min over the last three epochs: ${medianAndLargest(settling.map((m) => m.lastTwoEpochs))}.`,
  );
  const accuracies = all.map((entry) => entry.validationAccuracy);
  lines.push(
    `Validation accuracy ranges from ${format(Math.min(...accuracies))} to ${format(Math.max(...accuracies))}; ` +
      `fixture complete: ${fixture.complete}.`,
    '',
  );
  return lines.join('\n');
}
