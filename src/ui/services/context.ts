// React context that hands the studio facade to components, so they call
// its actions without importing tfjs, idb or workers.
import { createContext, useContext } from 'react';
import type { Studio } from './studio';

export const StudioContext = createContext<Studio | null>(null);

/** Returns the studio facade; throws when a component renders outside StudioContext. */
export function useStudio(): Studio {
  const studio = useContext(StudioContext);
  if (studio === null) throw new Error('useStudio needs a StudioContext provider around the app');
  return studio;
}
