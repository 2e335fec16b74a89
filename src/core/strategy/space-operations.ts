// The real space functions of src/core/space bundled as SpaceOperations,
// neighbours included, for strategy definitions whose context carries no
// spaceOperations.
import {
  countArchitectures,
  crossoverArchitectures,
  hashArchitecture,
  mutateArchitecture,
  neighbourArchitectures,
  sampleArchitecture,
} from '../space';
import type { SpaceOperations } from './types';

/** The functions of src/core/space, neighbourArchitectures included. */
export const SPACE_OPERATIONS_WITH_NEIGHBOURS: SpaceOperations = {
  countArchitectures,
  sampleArchitecture,
  mutateArchitecture,
  crossoverArchitectures,
  hashArchitecture,
  neighbourArchitectures,
};
