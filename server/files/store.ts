import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Content-addressed blob storage under `$DATA_DIR/files/ab/cd/<sha256>`, outside any public
 * folder: files are served only by routes that checked who may see them.
 */
export class FileStore {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('invalid content hash');
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  /** Stores the bytes (idempotent: the same content is written once) and returns its hash. */
  async put(bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    if (!existsSync(target)) {
      await mkdir(dirname(target), { recursive: true });
      // A unique temporary name: two uploads of the same content at once must not share one.
      const temporary = `${target}.${randomUUID()}.tmp`;
      await writeFile(temporary, bytes, { flush: true });
      await rename(temporary, target);
    }
    return { sha256, size: bytes.byteLength };
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }
}
