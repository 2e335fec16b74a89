// Parametric learning-curve families for extrapolating validation accuracy
// over epochs. Each family is increasing in the epoch and bounded above by
// a value in (0, 1), because its parameters are mapped from unconstrained
// reals (sigmoid for the asymptote, exp for rates and gaps).

/** Names of the families, after the curves of Domhan, Springenberg and Hutter (2015). */
export type CurveFamilyName = 'pow3' | 'exp3' | 'log-power' | 'janoschek' | 'weibull' | 'mmf';

export interface CurveFamily {
  name: CurveFamilyName;
  /** Free parameters, all unconstrained reals. */
  parameterCount: number;
  /** Value at `epoch` (1-based, may be fractional) for unconstrained parameters `theta`. */
  evaluate(theta: readonly number[], epoch: number): number;
  /** Starting points for the least-squares fit, from the observed values (epochs 1..n). */
  starts(values: readonly number[]): number[][];
}

function sigmoid(t: number): number {
  return 1 / (1 + Math.exp(-t));
}

function logit(p: number): number {
  const clamped = Math.min(Math.max(p, 1e-4), 1 - 1e-4);
  return Math.log(clamped / (1 - clamped));
}

/** Asymptote and first-epoch gap guesses shared by the starts: the top a little above the last value. */
function guesses(values: readonly number[]): { top: number; gap: number } {
  const last = values[values.length - 1];
  const best = Math.max(...values);
  const top = Math.min(Math.max(best, last) + 0.02, 0.999);
  const gap = Math.max(top - values[0], 1e-3);
  return { top, gap };
}

/** y = top - a * epoch^(-alpha): a power law approaching `top`. */
const pow3: CurveFamily = {
  name: 'pow3',
  parameterCount: 3,
  evaluate: ([t, logA, logAlpha], epoch) => sigmoid(t) - Math.exp(logA) * epoch ** -Math.exp(logAlpha),
  starts(values) {
    const { top, gap } = guesses(values);
    return [0.5, 1.5].map((alpha) => [logit(top), Math.log(gap), Math.log(alpha)]);
  },
};

/** y = top - a * exp(-b * (epoch - 1)): exponential saturation. */
const exp3: CurveFamily = {
  name: 'exp3',
  parameterCount: 3,
  evaluate: ([t, logA, logB], epoch) => sigmoid(t) - Math.exp(logA) * Math.exp(-Math.exp(logB) * (epoch - 1)),
  starts(values) {
    const { top, gap } = guesses(values);
    return [0.3, 1].map((rate) => [logit(top), Math.log(gap), Math.log(rate)]);
  },
};

/** y = top / (1 + (epoch / e^b)^(-k)): the log-power curve, logistic in log(epoch). */
const logPower: CurveFamily = {
  name: 'log-power',
  parameterCount: 3,
  evaluate: ([t, b, logK], epoch) => sigmoid(t) / (1 + (epoch / Math.exp(b)) ** -Math.exp(logK)),
  starts(values) {
    const { top } = guesses(values);
    const first = Math.max(values[0], 1e-3);
    return [0.5, 2].map((k) => {
      // Solve the first value for b: top / (1 + e^(b k)) = first at epoch 1.
      const b = first < top ? Math.log(top / first - 1) / k : -1;
      return [logit(top), b, Math.log(k)];
    });
  },
};

/** Shared shape of the four-parameter families: y = top - gap * decay(kappa, delta, epoch). */
function fourParameterFamily(name: CurveFamilyName, decay: (kappa: number, delta: number, epoch: number) => number): CurveFamily {
  return {
    name,
    parameterCount: 4,
    evaluate: ([t, logGap, logKappa, logDelta], epoch) =>
      sigmoid(t) - Math.exp(logGap) * decay(Math.exp(logKappa), Math.exp(logDelta), epoch),
    starts(values) {
      const { top, gap } = guesses(values);
      return [0.3, 1].map((kappa) => [logit(top), Math.log(gap * 1.5), Math.log(kappa), 0]);
    },
  };
}

/** y = top - gap * exp(-kappa * epoch^delta) (Janoschek). */
const janoschek = fourParameterFamily('janoschek', (kappa, delta, epoch) => Math.exp(-kappa * epoch ** delta));

/** y = top - gap * exp(-(kappa * epoch)^delta) (Weibull). */
const weibull = fourParameterFamily('weibull', (kappa, delta, epoch) => Math.exp(-((kappa * epoch) ** delta)));

/** y = top - gap / (1 + (kappa * epoch)^delta) (Morgan-Mercer-Flodin). */
const mmf = fourParameterFamily('mmf', (kappa, delta, epoch) => 1 / (1 + (kappa * epoch) ** delta));

/** Every family of the ensemble, in a fixed order. */
export const CURVE_FAMILIES: readonly CurveFamily[] = [pow3, exp3, logPower, janoschek, weibull, mmf];
