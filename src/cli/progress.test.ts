import { afterEach, describe, expect, it, vi } from 'vitest';
import { PLAIN_LINE_INTERVAL_MS, ProgressLine, formatDuration } from './progress';

afterEach(() => {
  vi.useRealTimers();
});

describe('ProgressLine', () => {
  it('estimates time left from this session only', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = new ProgressLine({ write: (text) => lines.push(text) }, 10, 4, () => now);
    now = 30_000;
    progress.update({ done: 6, best: { validationAccuracy: 0.9, testAccuracy: 0.85 } });
    expect(lines).toEqual(['trials 6/10 | best val 90.00% test 85.00% | elapsed 30s | ~1m00s left\n']);
  });

  it('prints plain lines per trial, not per epoch', () => {
    const lines: string[] = [];
    const progress = new ProgressLine({ write: (text) => lines.push(text) }, 3, 0, () => 0);
    progress.update({ running: { trial: 0, epoch: 0, epochs: 2, fraction: 0.25 } });
    progress.update({ running: { trial: 0, epoch: 1, epochs: 2, fraction: 0.75 } });
    progress.update({ done: 1, running: undefined });
    expect(lines).toEqual([
      'trials 0/3 | best: none yet | elapsed 0s | time left unknown | trial 0 epoch 1/2 (25%)\n',
      'trials 1/3 | best: none yet | elapsed 0s | ~0s left\n',
    ]);
  });

  it('shows rungs and epochs spent', () => {
    const lines: string[] = [];
    const progress = new ProgressLine({ write: (text) => lines.push(text) }, 3, 0, () => 0);
    progress.update({ epochs: { spent: 0, full: 6 }, running: { trial: 0, epoch: 0, epochs: 1, fraction: 0.5, rung: 0 } });
    progress.update({ epochs: { spent: 1, full: 6 }, running: { trial: 0, epoch: 1, epochs: 2, fraction: 0.75, rung: 1 } });
    expect(lines).toEqual([
      'trials 0/3 | best: none yet | elapsed 0s | time left unknown | epochs 0/6 of full training | trial 0 rung 0 epoch 1/1 (50%)\n',
      'trials 0/3 | best: none yet | elapsed 0s | time left unknown | epochs 1/6 of full training | trial 0 rung 1 epoch 2/2 (75%)\n',
    ]);
  });

  it('estimates time left from planned epochs', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = new ProgressLine({ write: (text) => lines.push(text) }, 4, 0, () => now);
    progress.update({ epochs: { spent: 0, planned: 6, full: 8 } });
    now = 20_000;
    progress.update({ epochs: { spent: 2, planned: 6, full: 8 } });
    expect(lines.at(-1)).toBe('trials 0/4 | best: none yet | elapsed 20s | ~40s left | epochs 2/6 planned (8 for full training)\n');
  });

  it('counts only epochs of this session', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = new ProgressLine({ write: (text) => lines.push(text) }, 4, 1, () => now);
    progress.update({ epochs: { spent: 3, planned: 6, full: 8 } });
    expect(lines.at(-1)).toContain('time left unknown');
    now = 10_000;
    progress.update({ epochs: { spent: 4, planned: 6, full: 8 } });
    expect(lines.at(-1)).toContain('~20s left');
  });

  it('prints a plain line when quiet for 30 s', () => {
    vi.useFakeTimers();
    let now = 0;
    const lines: string[] = [];
    const progress = new ProgressLine({ write: (text) => lines.push(text) }, 3, 0, () => now);
    progress.update({ running: { trial: 0, epoch: 0, epochs: 2, fraction: 0.1 } });
    expect(lines).toHaveLength(1);

    now = PLAIN_LINE_INTERVAL_MS - 1000;
    vi.advanceTimersByTime(PLAIN_LINE_INTERVAL_MS - 1000);
    expect(lines).toHaveLength(1);
    now = PLAIN_LINE_INTERVAL_MS;
    vi.advanceTimersByTime(1000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('trials 0/3 | best: none yet | elapsed 30s | time left unknown | trial 0 epoch 1/2 (10%)\n');
    progress.finish();
    now = 3 * PLAIN_LINE_INTERVAL_MS;
    vi.advanceTimersByTime(2 * PLAIN_LINE_INTERVAL_MS);
    expect(lines).toHaveLength(2);
  });

  it('prints a plain line per finished rung', () => {
    const lines: string[] = [];
    const progress = new ProgressLine({ write: (text) => lines.push(text) }, 3, 0, () => 0);
    progress.update({ epochs: { spent: 0, planned: 4, full: 6 } });
    progress.update({ epochs: { spent: 1, planned: 4, full: 6 } });
    progress.update({ epochs: { spent: 1, planned: 4, full: 6 } });
    expect(lines).toHaveLength(2);
  });

  it('redraws in place on a terminal', () => {
    const lines: string[] = [];
    const progress = new ProgressLine({ write: (text) => lines.push(text), isTTY: true, columns: 20 }, 3, 0, () => 0);
    progress.update({ done: 1 });
    progress.finish();
    expect(lines[0].startsWith('\r\x1b[2K')).toBe(true);
    expect(lines[0].length).toBe('\r\x1b[2K'.length + 19);
    expect(lines.at(-1)).toBe('\n');
  });

  it('ignores a terminal width of 0', () => {
    const lines: string[] = [];
    const progress = new ProgressLine({ write: (text) => lines.push(text), isTTY: true, columns: 0 }, 3, 0, () => 0);
    progress.update({ done: 1 });
    progress.finish();
    expect(lines[0]).toBe('\r\x1b[2Ktrials 1/3 | best: none yet | elapsed 0s | ~0s left');
  });

  it.each([
    [0, '0s'],
    [59_400, '59s'],
    [187_000, '3m07s'],
    [3_720_000, '1h02m'],
  ])('formatDuration(%d) is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
