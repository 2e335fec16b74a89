// Test fixture for strategies on the real space module: where the
// NAS-Bench-201 table lives and how to parse it, its space, and a driver
// that runs a strategy on any preset space with made-up results.
import { parseBenchmarkTable, type BenchmarkTable } from '../evaluators/tabular';
import { hashArchitecture, PRESET_SPACES } from '../space';
import type { Architecture, SearchSpace } from '../space/types';
import type { Observation, Strategy } from './types';

/** Location of the NAS-Bench-201 table, which stays beside the checkout instead of in it. */
export const NB201_CSV_URL = new URL('../../../../shared/data/nb201/nb201-cifar.csv', import.meta.url);

/** Parses the NAS-Bench-201 CSV with the 12-epoch validation column as signal and the 200-epoch test column as report. */
export function nb201Table(csvText: string, dataset: 'cifar10' | 'cifar100'): BenchmarkTable {
  return parseBenchmarkTable(csvText, { signal: `${dataset}_valid_12ep`, report: `${dataset}_test_200ep` });
}

/** The preset with NAS-Bench-201's own skeleton. */
export const NB201_SPACE = PRESET_SPACES.find((preset) => preset.id === 'cell-nb201')?.space as SearchSpace;

/**
 * Asks `batch` architectures `rounds` times, telling each batch back as done
 * with made-up accuracies and costs, and returns every proposal in order.
 */
export async function proposeInSpace(strategy: Strategy, space: SearchSpace, rounds = 8, batch = 4): Promise<Architecture[]> {
  const proposals: Architecture[] = [];
  for (let round = 0; round < rounds; round++) {
    const archs = await strategy.ask(batch);
    const observations: Observation[] = archs.map((arch) => {
      const index = proposals.length;
      proposals.push(arch);
      const hash = hashArchitecture(space, arch);
      return { index, arch, hash, status: 'done', validationAccuracy: (index % 7) / 7, cost: index % 5, feasible: true };
    });
    await strategy.tell(observations);
  }
  return proposals;
}
