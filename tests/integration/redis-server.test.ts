import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisMissing, startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * The throwaway Redis the cross-instance tests start for themselves (tests/helpers/redis-server.ts):
 * it answers on its own port, keeps nothing on disk, and is gone after stop().
 */
const gate = skipWithout('Redis', redisMissing());

/** Sends inline commands over RESP and collects the replies until `expected` of them arrived. */
function ask(port: number, commands: string[], expected: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      const lines = received.split('\r\n').filter(Boolean);
      if (lines.length >= expected) {
        socket.end();
        resolve(lines);
      }
    });
    socket.write(commands.map((command) => `${command}\r\n`).join(''));
  });
}

describe.skipIf(gate.skip)(`throwaway Redis${gate.label}`, () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await startRedisServer();
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('answers on its own port and persists nothing', async () => {
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const commands = ['PING', 'SET portier ok', 'GET portier', 'CONFIG GET appendonly', 'CONFIG GET save'];
    // Non-empty reply lines; `save` is the empty string ($0 and an empty line).
    expect(await ask(server.port, commands, 13)).toEqual([
      ...['+PONG', '+OK', '$2', 'ok'],
      ...['*2', '$10', 'appendonly', '$2', 'no'],
      ...['*2', '$4', 'save', '$0'],
    ]);
  });

  it('is gone after stop()', async () => {
    const { port } = server;
    await server.stop();
    await expect(ask(port, ['PING'], 1)).rejects.toThrow(/ECONNREFUSED/);
  });
});
