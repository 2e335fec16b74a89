// Run-page fields of the zero-cost proxy, as text, and their conversion to
// and from RunConfig.estimation.proxy. The keep fraction is parsed but not
// checked here: validateRunConfig names the invalid field.
import type { EstimationConfig, ProxyConfig, ProxyName } from '../../core/run/types';
import { parseNumber } from '../common/fields';

export interface ProxyFormValues {
  /** Proxy to compute, or 'none' for no proxy. */
  name: 'none' | ProxyName;
  mode: ProxyConfig['mode'];
  keepFraction: string;
}

/** Keep fraction shown while the proxy is off or in record mode, so switching to filter starts from it. */
const DEFAULT_KEEP_FRACTION = 0.5;

/** Fills the fields from a run's estimation settings; without a proxy they show 'none'. */
export function estimationToProxyForm(estimation: EstimationConfig | undefined): ProxyFormValues {
  const proxy = estimation?.proxy;
  return {
    name: proxy?.name ?? 'none',
    mode: proxy?.mode ?? 'record',
    keepFraction: String(proxy?.mode === 'filter' ? proxy.keepFraction : DEFAULT_KEEP_FRACTION),
  };
}

/**
 * Returns `estimation` with `proxy` set from the fields (removed for 'none')
 * and every other setting kept. Record mode stores keepFraction 1, because
 * it trains every candidate. Returns undefined when nothing is left.
 */
export function applyProxyForm(estimation: EstimationConfig | undefined, form: ProxyFormValues): EstimationConfig | undefined {
  const result: EstimationConfig = { ...estimation };
  delete result.proxy;
  if (form.name !== 'none') {
    result.proxy = {
      name: form.name,
      mode: form.mode,
      keepFraction: form.mode === 'filter' ? parseNumber(form.keepFraction) : 1,
    };
  }
  return Object.keys(result).length === 0 ? undefined : result;
}
