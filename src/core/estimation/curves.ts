// Learning-curve extrapolation: an ensemble of parametric families fitted by
// least squares to a partial validation-accuracy curve, weighted by fit
// quality, with a predictive distribution of the accuracy at a later epoch.
import { ValidationError } from '../errors';
import { normalCdf } from '../strategy/gaussian-process';
import { CURVE_FAMILIES, type CurveFamily, type CurveFamilyName } from './curve-families';
import { nelderMead } from './nelder-mead';

export type { CurveFamilyName } from './curve-families';

export interface CurveFitOptions {
  /**
   * Smallest residual standard deviation assumed, in accuracy units; default
   * 0.01. Set it near the measurement noise of the validation split, e.g.
   * sqrt(p (1 - p) / validationSize).
   */
  noiseFloor?: number;
}

/** One family fitted to the observed curve. */
export interface CurveMember {
  family: CurveFamilyName;
  /** Unconstrained parameters of the least-squares fit. */
  parameters: number[];
  /** Free parameters of the family; a fit to this many points or fewer is not identified by the data. */
  parameterCount: number;
  /** Residual variance of the fit, floored at noiseFloor^2. */
  residualVariance: number;
  /** Weight in the ensemble; the weights sum to 1. */
  weight: number;
}

/** Predictive distribution of the accuracy at one epoch. */
export interface CurvePrediction {
  /** Mixture mean, in [0, 1]. */
  mean: number;
  /** Mixture standard deviation: residual noise, horizon growth and spread between members. */
  std: number;
  /** Per member: its mean and standard deviation at that epoch, and its weight. */
  members: { family: CurveFamilyName; mean: number; std: number; weight: number }[];
}

/** Weight of the pull towards the starting point, relative to the squared residuals; keeps fits with fewer points than parameters well defined. */
const RIDGE = 1e-6;

/**
 * An ensemble of increasing parametric curves (pow3, exp3, log-power,
 * Janoschek, Weibull, MMF) fitted to validation accuracies at epochs 1..n,
 * after Domhan, Springenberg and Hutter (2015), "Speeding up automatic
 * hyperparameter optimization of deep neural networks by extrapolation of
 * learning curves".
 *
 * Departures from the paper: each family is a single least-squares fit
 * (Nelder-Mead from two starts) instead of MCMC samples of its posterior.
 * Members are weighted by the Bayesian information criterion of their fit
 * instead of sampled weights. The predictive distribution at epoch T is a
 * mixture of one normal per member, centred on the member's value at T.
 * Its variance is the residual variance times 1 + (T - n) / n, a heuristic
 * stand-in for the parameter uncertainty that grows with the horizon. A
 * member fitted to no more points than it has parameters also gets
 * ((T - n) * slope / 2)^2, where slope is the mean rise per observed epoch,
 * because the data do not pin down where such a curve levels off. The
 * residual variance is at least maxDrop^2 / 2 for the largest drop between
 * consecutive epochs, because the expected curve never decreases.
 */
export class CurveEnsemble {
  readonly members: readonly CurveMember[];
  /** Observed epochs the ensemble was fitted to. */
  readonly observedEpochs: number;
  /** Mean rise per epoch over the observed curve, at least 0. */
  readonly averageSlope: number;

  private constructor(members: CurveMember[], observedEpochs: number, averageSlope: number) {
    this.members = members;
    this.observedEpochs = observedEpochs;
    this.averageSlope = averageSlope;
  }

  /**
   * Fits every family to `values`, the validation accuracies of epochs
   * 1..n in order. Throws ValidationError when fewer than 2 values are given
   * or a value is outside [0, 1].
   */
  static fit(values: readonly number[], options: CurveFitOptions = {}): CurveEnsemble {
    validateCurve(values);
    const n = values.length;
    let maxDrop = 0;
    for (let i = 1; i < n; i++) maxDrop = Math.max(maxDrop, values[i - 1] - values[i]);
    const noiseFloor = Math.max(options.noiseFloor ?? 0.01, maxDrop / Math.SQRT2);
    const fits = CURVE_FAMILIES.map((family) => fitFamily(family, values, noiseFloor));

    // BIC weights, -0.5 n log(variance) - 0.5 k log(n), normalised in log space.
    const logWeights = fits.map((fit) => -0.5 * n * Math.log(fit.residualVariance) - 0.5 * fit.parameterCount * Math.log(n));
    const top = Math.max(...logWeights);
    const raw = logWeights.map((value) => Math.exp(value - top));
    const total = raw.reduce((sum, value) => sum + value, 0);
    const members = fits.map((fit, i) => ({
      family: fit.family,
      parameters: fit.parameters,
      parameterCount: fit.parameterCount,
      residualVariance: fit.residualVariance,
      weight: raw[i] / total,
    }));
    const averageSlope = Math.max(0, (values[n - 1] - values[0]) / (n - 1));
    return new CurveEnsemble(members, n, averageSlope);
  }

  /** Predicts the accuracy at `epoch` (1-based; beyond the observed epochs to extrapolate). */
  predict(epoch: number): CurvePrediction {
    const remaining = Math.max(0, epoch - this.observedEpochs);
    const horizon = 1 + remaining / this.observedEpochs;
    const members = this.members.map((member) => {
      const value = familyByName(member.family).evaluate(member.parameters, epoch);
      const unidentified = this.observedEpochs <= member.parameterCount ? ((remaining * this.averageSlope) / 2) ** 2 : 0;
      return {
        family: member.family,
        mean: Math.min(Math.max(value, 0), 1),
        std: Math.sqrt(member.residualVariance * horizon + unidentified),
        weight: member.weight,
      };
    });
    let mean = 0;
    for (const member of members) mean += member.weight * member.mean;
    // Law of total variance over the mixture.
    let variance = 0;
    for (const member of members) variance += member.weight * (member.std ** 2 + (member.mean - mean) ** 2);
    return { mean, std: Math.sqrt(variance), members };
  }

  /** Probability, in [0, 1], that the accuracy at `epoch` is below `threshold` under the mixture. */
  probabilityBelow(epoch: number, threshold: number): number {
    let probability = 0;
    for (const member of this.predict(epoch).members) {
      probability += member.weight * normalCdf((threshold - member.mean) / member.std);
    }
    return Math.min(Math.max(probability, 0), 1);
  }
}

/**
 * Fits the ensemble to `values` (validation accuracies of epochs 1..n) and
 * returns the probability that the accuracy at `finalEpoch` is below
 * `threshold`. Throws ValidationError as CurveEnsemble.fit does.
 */
export function probabilityBelow(values: readonly number[], finalEpoch: number, threshold: number, options?: CurveFitOptions): number {
  return CurveEnsemble.fit(values, options).probabilityBelow(finalEpoch, threshold);
}

function validateCurve(values: readonly number[]): void {
  if (values.length < 2) {
    throw new ValidationError('curve', values, `a learning curve needs at least 2 epochs to extrapolate, got ${values.length}: observe more epochs first`);
  }
  values.forEach((value, index) => {
    if (!(value >= 0 && value <= 1)) {
      throw new ValidationError(`curve[${index}]`, value, `curve[${index}] must be an accuracy in [0, 1], got ${value}`);
    }
  });
}

function familyByName(name: CurveFamilyName): CurveFamily {
  return CURVE_FAMILIES.find((family) => family.name === name) as CurveFamily;
}

interface FamilyFit {
  family: CurveFamilyName;
  parameterCount: number;
  parameters: number[];
  residualVariance: number;
}

/** Least-squares fit of one family from each of its starts; keeps the best. */
function fitFamily(family: CurveFamily, values: readonly number[], noiseFloor: number): FamilyFit {
  let best: { point: number[]; squares: number; objective: number } | null = null;
  for (const start of family.starts(values)) {
    const squaredResiduals = (theta: readonly number[]): number => {
      let sum = 0;
      for (let i = 0; i < values.length; i++) sum += (family.evaluate(theta, i + 1) - values[i]) ** 2;
      return sum;
    };
    const objective = (theta: number[]): number => {
      let ridge = 0;
      for (let i = 0; i < theta.length; i++) ridge += (theta[i] - start[i]) ** 2;
      return squaredResiduals(theta) + RIDGE * ridge;
    };
    const minimum = nelderMead(objective, start, { maxEvaluations: 300 * family.parameterCount });
    if (best === null || minimum.value < best.objective) {
      best = { point: minimum.point, squares: squaredResiduals(minimum.point), objective: minimum.value };
    }
  }
  const fit = best as { point: number[]; squares: number };
  const squares = Number.isFinite(fit.squares) ? fit.squares : Number.MAX_VALUE;
  return {
    family: family.name,
    parameterCount: family.parameterCount,
    parameters: fit.point,
    residualVariance: Math.max(squares / values.length, noiseFloor ** 2),
  };
}
