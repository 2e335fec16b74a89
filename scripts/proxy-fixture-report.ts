// Formats the rank correlation of each zero-cost proxy in the MNIST
// architecture fixture with trained accuracy, as a Markdown table.
import { kendall, spearman } from '../src/core/bench/correlation';
import type { ProxyName } from '../src/core/run/types';
import type { Fixture, FixtureArchitecture } from './proxy-fixture';

const PROXIES: ProxyName[] = ['synflow', 'naswot', 'snip', 'grad_norm', 'params', 'flops'];
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

  const rows = correlationRows(all).filter((row) => !Number.isNaN(row.spearmanValidation));
  const best = rows.reduce<Row | undefined>((top, row) => (top === undefined || row.spearmanValidation > top.spearmanValidation ? row : top), undefined);
  if (best !== undefined) {
    const verdict = best.spearmanValidation >= TARGET_SPEARMAN ? 'meets' : 'misses';
    lines.push(
      `Best proxy by Spearman with validation accuracy: ${best.proxy} at ${format(best.spearmanValidation)}, ` +
        `which ${verdict} the target of ${TARGET_SPEARMAN}.`,
    );
  }
  const accuracies = all.map((entry) => entry.validationAccuracy);
  lines.push(
    `Validation accuracy ranges from ${format(Math.min(...accuracies))} to ${format(Math.max(...accuracies))}; ` +
      `fixture complete: ${fixture.complete}.`,
    '',
  );
  return lines.join('\n');
}
