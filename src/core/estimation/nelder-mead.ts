// Derivative-free minimisation by the Nelder-Mead simplex method, used to
// fit the parametric learning-curve families by least squares. Plain numbers,
// no randomness, so a fit is reproducible.

export interface NelderMeadOptions {
  /** Maximum objective evaluations; default 200 per dimension. */
  maxEvaluations?: number;
  /** Stop when the objective values of the simplex differ by less than this; default 1e-12. */
  tolerance?: number;
  /** Edge length of the initial simplex along each axis; default 0.5. */
  step?: number;
}

export interface Minimum {
  point: number[];
  value: number;
  evaluations: number;
}

/**
 * Minimises `objective` from `start` with the standard coefficients
 * (reflection 1, expansion 2, contraction 0.5, shrink 0.5). A non-finite
 * objective value counts as +Infinity, so the simplex moves away from it.
 */
export function nelderMead(objective: (point: number[]) => number, start: readonly number[], options: NelderMeadOptions = {}): Minimum {
  const dimension = start.length;
  const maxEvaluations = options.maxEvaluations ?? 200 * dimension;
  const tolerance = options.tolerance ?? 1e-12;
  const step = options.step ?? 0.5;
  let evaluations = 0;
  const evaluate = (point: number[]): number => {
    evaluations++;
    const value = objective(point);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };

  const simplex: { point: number[]; value: number }[] = [];
  simplex.push({ point: [...start], value: evaluate([...start]) });
  for (let axis = 0; axis < dimension; axis++) {
    const point = [...start];
    point[axis] += step;
    simplex.push({ point, value: evaluate(point) });
  }

  while (evaluations < maxEvaluations) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0];
    const worst = simplex[dimension];
    if (Number.isFinite(worst.value) && worst.value - best.value <= tolerance) break;

    // Centroid of every vertex but the worst.
    const centroid = new Array<number>(dimension).fill(0);
    for (let v = 0; v < dimension; v++) {
      for (let i = 0; i < dimension; i++) centroid[i] += simplex[v].point[i] / dimension;
    }
    const along = (factor: number): number[] => centroid.map((c, i) => c + factor * (worst.point[i] - c));

    const reflected = along(-1);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(-2);
      const expandedValue = evaluate(expanded);
      simplex[dimension] = expandedValue < reflectedValue ? { point: expanded, value: expandedValue } : { point: reflected, value: reflectedValue };
      continue;
    }
    if (reflectedValue < simplex[dimension - 1].value) {
      simplex[dimension] = { point: reflected, value: reflectedValue };
      continue;
    }
    const outside = reflectedValue < worst.value;
    const contracted = along(outside ? -0.5 : 0.5);
    const contractedValue = evaluate(contracted);
    if (contractedValue < Math.min(reflectedValue, worst.value)) {
      simplex[dimension] = { point: contracted, value: contractedValue };
      continue;
    }
    // Shrink every vertex towards the best one.
    for (let v = 1; v <= dimension; v++) {
      const point = simplex[v].point.map((x, i) => best.point[i] + 0.5 * (x - best.point[i]));
      simplex[v] = { point, value: evaluate(point) };
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return { point: simplex[0].point, value: simplex[0].value, evaluations };
}
