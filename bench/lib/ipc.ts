// Request/answer over a child process's IPC channel: the bench coordinates its server and
// load-generator processes this way, so no coordination traffic shares the measured sockets.
import type { ChildProcess } from 'node:child_process';

interface Envelope {
  ipcId: number;
  cmd: string;
  [key: string]: unknown;
}

let nextId = 1;

/** Parent side: send a command to a child and wait for its answer. */
export function request<T>(
  child: ChildProcess,
  cmd: string,
  payload: Record<string, unknown> = {},
): Promise<T> {
  const ipcId = nextId++;
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const answer = message as { ipcId?: number; result?: T; error?: string };
      if (answer.ipcId !== ipcId) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (answer.error !== undefined) reject(new Error(`${cmd}: ${answer.error}`));
      else resolve(answer.result as T);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`${cmd}: process exited with ${code}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ ipcId, cmd, ...payload });
  });
}

export type Handlers = Record<string, (message: Record<string, unknown>) => unknown>;

/** Child side: answer the parent's commands; the process ends when the parent goes away. */
export function serveIpc(handlers: Handlers): void {
  process.on('message', (message: Envelope) => {
    const handler = handlers[message.cmd];
    const reply = (answer: { result?: unknown; error?: string }) =>
      process.send?.({ ipcId: message.ipcId, ...answer });
    if (!handler) {
      reply({ error: `unknown command ${message.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (result) => reply({ result: result ?? null }),
        (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
