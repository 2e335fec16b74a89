import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFeasibility, validateRunConfig } from '../core/run/config';

const EXAMPLES = new URL('../../examples/', import.meta.url);
const files = readdirSync(EXAMPLES).filter((name) => name.endsWith('.json'));

describe('example run configurations', () => {
  it('exist', () => {
    expect(files).toContain('mnist-demo.json');
    expect(files).toContain('nb201-local.json');
  });

  it.each(files)('%s validates and is feasible', (name) => {
    const config = validateRunConfig(JSON.parse(readFileSync(new URL(name, EXAMPLES), 'utf8')));
    expect(checkFeasibility(config)).toBeUndefined();
  });
});
