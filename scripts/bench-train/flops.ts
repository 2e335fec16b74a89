// The FLOP estimate of bench:train, in a module without Node imports, so
// the Chromium page (page.ts through measure.ts) can load it.

/** Estimated training FLOPs per image: the backward pass costs about twice the forward pass. */
export function trainingFlopsPerImage(forwardMacs: number): number {
  return 3 * forwardMacs * 2;
}
