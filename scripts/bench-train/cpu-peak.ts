// The theoretical float32 peak of the machine's cores, from the CPU flags:
// an estimate to set the measured GFLOP/s against, not a measurement.

export interface CpuPeak {
  cores: number;
  /** Clock the kernel reports, in GHz (the base clock on most virtual machines). */
  gigahertz: number;
  /** float32 lanes of the widest vector FMA the flags announce. */
  fmaLanes: number;
  gflops: number;
  /** The assumption behind the number, for the report. */
  assumption: string;
}

/** FMA units per core assumed for every x86 core: two, as on recent Intel and AMD server cores. */
const FMA_UNITS_PER_CORE = 2;

/**
 * Returns cores x clock x FMA units x lanes x 2 FLOPs. `flags` is the flags
 * line of /proc/cpuinfo: avx512f gives 16 lanes, fma with avx2 gives 8,
 * otherwise SSE's 4 lanes are assumed (and the peak is halved for
 * lack of FMA, one multiply and one add per cycle).
 */
export function theoreticalPeak(cores: number, megahertz: number, flags: string): CpuPeak {
  const set = new Set(flags.split(/\s+/));
  const hasFma = set.has('fma');
  const fmaLanes = set.has('avx512f') ? 16 : set.has('avx2') && hasFma ? 8 : 4;
  const flopsPerLane = hasFma ? 2 : 1;
  const gigahertz = megahertz / 1000;
  const gflops = cores * gigahertz * FMA_UNITS_PER_CORE * fmaLanes * flopsPerLane;
  const assumption =
    `${cores} cores x ${gigahertz.toFixed(2)} GHz x ${FMA_UNITS_PER_CORE} FMA units x ${fmaLanes} float32 lanes x ${flopsPerLane} FLOPs ` +
    `(assumed: ${FMA_UNITS_PER_CORE} vector FMA units per core at the reported clock, no turbo)`;
  return { cores, gigahertz, fmaLanes, gflops, assumption };
}
