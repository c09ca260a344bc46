import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { chmod, type FileHandle, mkdir, open, readFile, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { decode, encode } from './codec.js';
import { isJob, type Job } from './job.js';

const JOURNAL = 'jobs.journal';
const LOCK = 'lock';

/**
 * An append-only file of job snapshots, one JSON line each (`{"put": job}` or `{"del": id}`);
 * the last line for an id wins. Every append is on disk (fdatasync) before it resolves, and
 * appends that arrive while one is being written share the next write (group commit), so a burst
 * of accepts costs a few syncs, not one each. A line cut short by kill -9 is dropped at open.
 */
export class Journal {
  private pending: { text: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private closed = false;
  /** Lines appended since the file was last rewritten. */
  linesSinceCompaction = 0;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle,
  ) {}

  /** Opens (or creates) the journal in `dir`, owned by this process; returns it with the jobs it holds. */
  static async open(dir: string, warn: (line: string) => void): Promise<{ journal: Journal; jobs: Map<string, Job> }> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    takeLock(dir);
    try {
      const path = join(dir, JOURNAL);
      const jobs = await readJobs(path, warn);
      const handle = await open(path, 'a', 0o600);
      await handle.chmod(0o600);
      const journal = new Journal(dir, handle);
      return { journal, jobs };
    } catch (error) {
      releaseLock(dir);
      throw error;
    }
  }

  /** Appends a job's current state. */
  put(job: Job): Promise<void> {
    return this.append(`${encode({ put: job })}\n`);
  }

  /** Appends the removal of jobs. */
  remove(ids: readonly string[]): Promise<void> {
    return this.append(ids.map((id) => `${encode({ del: id })}\n`).join(''));
  }

  /** Rewrites the file as one line per job in `snapshot()` (taken when the rewrite starts). */
  compact(snapshot: () => Iterable<Job>): Promise<void> {
    const done = this.chain.then(() => this.rewrite(snapshot()));
    this.chain = done.catch(() => {});
    return done;
  }

  /** Waits for pending writes, then closes the file and gives up the folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    await this.handle.close();
    releaseLock(this.dir);
  }

  private append(text: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the job journal is closed'));
    const written = new Promise<void>((resolve, reject) => this.pending.push({ text, resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      this.chain = this.chain.then(() => this.writePending());
    }
    return written;
  }

  private async writePending(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      await this.handle.write(batch.map((b) => b.text).join(''));
      await this.handle.datasync();
      this.linesSinceCompaction += batch.length;
      for (const b of batch) b.resolve();
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  }

  private async rewrite(jobs: Iterable<Job>): Promise<void> {
    const path = join(this.dir, JOURNAL);
    const temporary = `${path}.tmp`;
    const lines: string[] = [];
    for (const job of jobs) lines.push(`${encode({ put: job })}\n`);
    const out = await open(temporary, 'w', 0o600);
    try {
      await out.chmod(0o600);
      await out.write(lines.join(''));
      await out.datasync();
    } finally {
      await out.close();
    }
    await rename(temporary, path);
    syncDirectory(this.dir);
    const previous = this.handle;
    this.handle = await open(path, 'a', 0o600);
    await previous.close();
    this.linesSinceCompaction = lines.length;
  }
}

/** Reads every job; drops a last line cut short by a crash so the next append starts a fresh line. */
async function readJobs(path: string, warn: (line: string) => void): Promise<Map<string, Job>> {
  const jobs = new Map<string, Job>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return jobs;
    throw error;
  }
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) {
    warn(`job journal: dropped an incomplete last line (${text.length - end} bytes, written when the proxy stopped)`);
    await truncate(path, Buffer.byteLength(text.slice(0, end)));
  }
  let bad = 0;
  for (const line of text.slice(0, end).split('\n')) {
    if (line === '') continue;
    let record: unknown;
    try {
      record = decode(line);
    } catch {
      bad += 1;
      continue;
    }
    if (typeof record !== 'object' || record === null) {
      bad += 1;
    } else if ('put' in record && isJob(record.put)) {
      jobs.set(record.put.id, record.put);
    } else if ('del' in record && typeof record.del === 'string') {
      jobs.delete(record.del);
    } else {
      bad += 1;
    }
  }
  if (bad > 0) warn(`job journal: skipped ${bad} unreadable line${bad > 1 ? 's' : ''}`);
  return jobs;
}

/** One process per folder: a second proxy on the same journal would corrupt it. */
function takeLock(dir: string): void {
  const path = join(dir, LOCK);
  for (let tries = 0; tries < 2; tries += 1) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return;
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `the job folder ${dir} is in use by process ${pid}: give each proxy its own CONNECTOR_PROXY_DATA_DIR, or share jobs through CONNECTOR_PROXY_JOBS=redis://…`,
      );
    }
    // Left by a proxy that was killed: take it over.
    unlinkQuietly(path);
  }
  throw new Error(`cannot lock the job folder ${dir}`);
}

function releaseLock(dir: string): void {
  unlinkQuietly(join(dir, LOCK));
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/** Makes a rename durable: on Linux a directory is fsynced through a read-only descriptor. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every platform can fsync a directory; the rename itself is atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
