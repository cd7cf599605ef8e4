// One server under test (the app or the bare Socket.IO baseline) plus its load-generator
// processes: W workers each holding one sender socket and a share of the idle sockets, and one
// worker for the staff socket that measures latency. The same fleet shape runs against both.
// The app may also run as several instances on one store (PostgreSQL + Redis, bench/scale-out.ts):
// the senders and idle sockets stay on the first, the staff socket moves between them.
import type { ChildProcess } from 'node:child_process';
import { request } from './ipc.ts';
import { freePort, startChild, vmRssKb, waitUntil, type Child } from './processes.ts';
import type { LiveDemo } from './demo-data.ts';

export type LiveKind = 'app' | 'bare';

export interface FleetOptions {
  /** App instances on the demo's store; more than one needs its PostgreSQL and `redisUrl`. */
  instances?: number;
  /** REDIS_URL of the instances. */
  redisUrl?: string;
}

interface Instance {
  url: string;
  server: Child;
}

async function startServer(kind: LiveKind, demo: LiveDemo | null, redisUrl?: string): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const script = kind === 'app' ? 'bench/lib/app-server.ts' : 'bench/bare-socketio.ts';
  const server = await startChild({
    // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each server under test, for `node --cpu-prof`'s tools.
    args: [
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
      script,
    ],
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DATA_DIR: demo?.dataDir ?? '',
      LOG_LEVEL: 'warn',
      // A few sender sockets stand in for hundreds of tenants: not a flood to refuse.
      LIVE_EVENT_LIMIT: '100000',
      ...(demo?.databaseUrl && { DATABASE_URL: demo.databaseUrl }),
      ...(redisUrl && { REDIS_URL: redisUrl }),
    },
    ready: 'listening',
    ipc: true,
  });
  return { url, server };
}

export class Fleet {
  private workers: Child[] = [];
  private staffWorker: Child | null = null;
  idleConnected = 0;

  private constructor(
    readonly kind: LiveKind,
    private readonly instances: Instance[],
    readonly demo: LiveDemo | null,
  ) {}

  /** The first instance: the senders' and idle sockets' server. */
  get url(): string {
    return this.instances[0]!.url;
  }

  get server(): Child {
    return this.instances[0]!.server;
  }

  static async start(
    kind: LiveKind,
    demo: LiveDemo | null,
    workerCount: number,
    options: FleetOptions = {},
  ): Promise<Fleet> {
    const instances: Instance[] = [];
    try {
      // One after the other: the first applies pending migrations before the next opens the store.
      for (let i = 0; i < (options.instances ?? 1); i++)
        instances.push(await startServer(kind, demo, options.redisUrl));
    } catch (error) {
      await Promise.all(instances.map(({ server }) => server.stop()));
      throw error;
    }
    const fleet = new Fleet(kind, instances, demo);
    const spawnWorker = () =>
      startChild({ args: ['--import', 'tsx', 'bench/lib/socket-worker.ts'], ready: 'ready', ipc: true });
    fleet.workers = await Promise.all(Array.from({ length: workerCount }, spawnWorker));
    fleet.staffWorker = await spawnWorker();
    return fleet;
  }

  get senderCount(): number {
    return this.workers.length;
  }

  private connectOn(worker: Child, role: string, count: number, cookies: string[], url = this.url) {
    return request<{ connected: number }>(worker.process, 'connect', {
      url,
      origin: url,
      role,
      count,
      cookies: this.kind === 'app' ? cookies : [],
    });
  }

  /** The staff socket and one sender socket per worker. */
  async connectActive(): Promise<void> {
    const demo = this.demo;
    await this.connectOn(this.staffWorker!, 'staff', 1, demo ? [demo.staffCookie] : []);
    await Promise.all(
      this.workers.map((worker, i) =>
        this.connectOn(worker, 'sender', 1, demo ? [demo.senderCookies[i]!] : []),
      ),
    );
  }

  /** Closes the staff socket and opens it again on instance `index` (0: the senders' own). */
  async moveStaffTo(index: number): Promise<void> {
    const instance = this.instances[index];
    if (!instance) throw new Error(`no instance ${index}`);
    const demo = this.demo;
    await request(this.staffWorker!.process, 'close');
    await this.connectOn(this.staffWorker!, 'staff', 1, demo ? [demo.staffCookie] : [], instance.url);
  }

  /** Grows the idle sockets to `total`, spread evenly over the workers. */
  async connectIdleTo(total: number): Promise<void> {
    const more = total - this.idleConnected;
    if (more <= 0) return;
    const share = Math.ceil(more / this.workers.length);
    await Promise.all(
      this.workers.map((worker, i) => {
        const count = Math.max(0, Math.min(share, more - i * share));
        // Each socket its own session of the neighbour, like 5,000 phones would have.
        const offset = this.idleConnected + i * share;
        const cookies = this.demo ? this.demo.idleCookies.slice(offset, offset + count) : [];
        return count > 0 ? this.connectOn(worker, 'idle', count, cookies) : Promise.resolve(null);
      }),
    );
    this.idleConnected = total;
  }

  /** Server RSS in kB, read from /proc after a full GC in the server, and the heap it reported. */
  async serverMemory(): Promise<{ rssKb: number; heapKb: number }> {
    const { heapUsed } = await request<{ heapUsed: number }>(this.server.process, 'gc');
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { rssKb: vmRssKb(this.server.pid), heapKb: heapUsed / 1024 };
  }

  /**
   * Sends `perSecond` messages in total for `durationMs`; answers the staff-side latencies and how
   * many acks did not come within 30 s (an overloaded server is a result, not a crash of the bench).
   */
  async sendAndMeasure(
    runId: string,
    perSecond: number,
    durationMs: number,
  ): Promise<{ latencies: number[]; unacked: number }> {
    const ticketIds = this.demo?.senderTicketIds ?? ['bare-ticket'];
    const results = await Promise.all(
      this.workers.map((worker, i) =>
        request<{ sent: number; acked: number; errors: string[] }>(worker.process, 'send', {
          ticketIds: [ticketIds[i % ticketIds.length]],
          perSecond: perSecond / this.workers.length,
          durationMs,
          runId,
        }),
      ),
    );
    const acked = results.reduce((sum, r) => sum + r.acked, 0);
    const unacked = results.reduce((sum, r) => sum + r.sent, 0) - acked;
    const errors = [...new Set(results.flatMap((r) => r.errors))].filter((code) => code !== 'ack_timeout');
    if (errors.length > 0) throw new Error(`${this.kind}: message.send failed: ${errors.join(', ')}`);
    const staff = this.staffWorker!.process;
    await waitUntil(
      async () => (await request<number>(staff, 'latencies', { runId, peek: true })) >= acked,
      30_000,
      `${this.kind}: staff receiving ${acked} messages`,
    );
    return { latencies: await request<number[]>(staff, 'latencies', { runId }), unacked };
  }

  /** Bare server only: store each message in one durable commit before relaying it, or not. */
  async setDurable(on: boolean): Promise<void> {
    await request(this.server.process, 'durable', { on });
  }

  /** How many idle sockets got the notice titled `title`, and when the last one did. */
  async broadcastStatus(title: string): Promise<{ count: number; last: number | null }> {
    const answers = await Promise.all(
      this.workers.map((worker) =>
        request<{ count: number; last: number | null }>(worker.process, 'broadcastStatus', { title }),
      ),
    );
    const lasts = answers.flatMap((a) => (a.last === null ? [] : [a.last]));
    return {
      count: answers.reduce((sum, a) => sum + a.count, 0),
      last: lasts.length > 0 ? Math.max(...lasts) : null,
    };
  }

  get serverProcess(): ChildProcess {
    return this.server.process;
  }

  async stop(): Promise<void> {
    const children = this.staffWorker ? [...this.workers, this.staffWorker] : this.workers;
    await Promise.all(children.map((child) => child.stop()));
    await Promise.all(this.instances.map(({ server }) => server.stop()));
  }
}
