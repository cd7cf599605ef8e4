import { afterEach, describe, expect, it, vi } from 'vitest';
import { DrainLoop } from '../../server/lib/drain-loop.ts';

/** An error as node-postgres reports a server that went away (walked by storageConditionOf). */
const unreachable = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('DrainLoop', () => {
  afterEach(() => vi.restoreAllMocks());

  async function drainTimes(loop: DrainLoop, times: number) {
    for (let i = 0; i < times; i++) {
      loop.wake();
      await vi.waitFor(() => expect((loop as unknown as { running: unknown }).running).toBeNull());
    }
  }

  it('says once that the database is unreachable, once that it drains again, and every other fault each time', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const outcomes: (Error | null)[] = [
      unreachable(),
      unreachable(),
      unreachable(),
      null,
      null,
      new Error('bug'),
      new Error('bug'),
    ];
    const loop = new DrainLoop(
      'outbox',
      () => {
        const next = outcomes.shift();
        return next ? Promise.reject(next) : Promise.resolve();
      },
      () => () => undefined,
      60_000,
      false,
    );
    await drainTimes(loop, 7);
    expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([
      'outbox waits: storage unreachable',
      'outbox drains again',
    ]);
    expect(error).toHaveBeenCalledTimes(2);
    expect(error.mock.calls[0]![0]).toBe('outbox drain failed');
  });
});
