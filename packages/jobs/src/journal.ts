import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { chmod, type FileHandle, mkdir, open, readdir, readFile, rename, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { decode, encode } from './codec.js';
import { isJob, type Job } from './job.js';

const JOURNAL = 'jobs.journal';
const LOCK = 'lock';
const REQUESTS = 'requests';

interface Pending {
  /** A journal line, or a job whose line is made when the batch is written (naming its request file). */
  text: string | Omit<Job, 'request'>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An append-only file of job snapshots, one JSON line each (`{"put": job}` or `{"del": id}`);
 * the last line for an id wins. Every append is on disk (fdatasync) before it resolves, and
 * appends that arrive while one is being written share the next write (group commit), so a burst
 * of accepts costs a few syncs, not one each. A line cut short by kill -9 is dropped at open.
 *
 * Request bodies (the parameters, secrets included) are not journal lines: those accepted in one
 * write batch share one file under `requests/` (one sync for the batch), deleted as soon as the
 * last of their commands has finished, so no copy of them lingers in the journal until a compaction.
 */
export class Journal {
  private pending: Pending[] = [];
  /** The request file of each job whose request is stored, and the jobs each file still serves. */
  private readonly stored = new Map<string, string>();
  private readonly files = new Map<string, Set<string>>();
  private readonly stale: string[] = [];
  /** Requests to store with the next batch. */
  private readonly queued = new Map<string, Record<string, unknown>>();
  private sequence = 0;
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
    await mkdir(join(dir, REQUESTS), { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    await chmod(join(dir, REQUESTS), 0o700);
    takeLock(dir);
    try {
      const path = join(dir, JOURNAL);
      const { jobs, withRequest } = await readJobs(path, warn);
      const handle = await open(path, 'a', 0o600);
      await handle.chmod(0o600);
      const journal = new Journal(dir, handle);
      await journal.loadRequests(jobs, withRequest, warn);
      return { journal, jobs };
    } catch (error) {
      releaseLock(dir);
      throw error;
    }
  }

  /** Appends a job's current state; its request body goes to its own file the first time. */
  put(job: Job): Promise<void> {
    const { request, ...rest } = job;
    if (request) {
      if (!this.stored.has(job.id)) this.queued.set(job.id, request);
    } else {
      // The command finished: its parameters go once this line is on disk.
      this.queued.delete(job.id);
      this.forget(job.id);
    }
    return this.append(rest);
  }

  /** Appends the removal of jobs. */
  remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      this.queued.delete(id);
      this.forget(id);
    }
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

  /** A job's journal line, naming its request file while it has one. */
  private line(job: Omit<Job, 'request'>): string {
    const file = this.stored.get(job.id);
    return `${encode({ put: file === undefined ? job : { ...job, requestFile: file } })}\n`;
  }

  private forget(id: string): void {
    const file = this.stored.get(id);
    if (file === undefined) return;
    this.stored.delete(id);
    const ids = this.files.get(file);
    ids?.delete(id);
    if (ids?.size === 0) {
      this.files.delete(file);
      this.stale.push(file);
    }
  }

  private append(text: Pending['text']): Promise<void> {
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
      // Every queued request belongs to a job of this batch: all pending lines are in it.
      const requests = [...this.queued];
      this.queued.clear();
      if (requests.length > 0) {
        this.sequence += 1;
        const file = `${Date.now()}-${process.pid}-${this.sequence}.jsonl`;
        const text = requests.map(([id, request]) => `${encode({ id, request })}\n`).join('');
        await writeDurably(join(this.dir, REQUESTS, file), text);
        syncDirectory(join(this.dir, REQUESTS));
        this.files.set(file, new Set(requests.map(([id]) => id)));
        for (const [id] of requests) this.stored.set(id, file);
      }
      const lines = batch.map((b) => (typeof b.text === 'string' ? b.text : this.line(b.text)));
      await this.handle.write(lines.join(''));
      await this.handle.datasync();
      this.linesSinceCompaction += batch.length;
      for (const b of batch) b.resolve();
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
    const stale = this.stale.splice(0);
    await Promise.all(stale.map((file) => unlink(join(this.dir, REQUESTS, file)).catch(() => {})));
  }

  /** Gives each job that still has its request the body from its file; removes files nobody needs. */
  private async loadRequests(jobs: Map<string, Job>, withRequest: Map<string, string>, warn: (line: string) => void) {
    const wanted = new Map<string, Set<string>>();
    for (const [id, file] of withRequest) {
      if (!jobs.has(id)) continue;
      wanted.set(file, (wanted.get(file) ?? new Set()).add(id));
    }
    for (const name of await readdir(join(this.dir, REQUESTS))) {
      const ids = wanted.get(name);
      if (!ids) {
        await unlink(join(this.dir, REQUESTS, name)).catch(() => {});
        continue;
      }
      const found = new Set<string>();
      for (const line of (await readFile(join(this.dir, REQUESTS, name), 'utf8')).split('\n')) {
        if (line === '') continue;
        let entry: unknown;
        try {
          entry = decode(line);
        } catch {
          continue;
        }
        if (typeof entry !== 'object' || entry === null || !('id' in entry) || !('request' in entry)) continue;
        const { id, request } = entry;
        const job = typeof id === 'string' && ids.has(id) ? jobs.get(id) : undefined;
        if (!job || typeof request !== 'object' || request === null || Array.isArray(request)) continue;
        job.request = Object.fromEntries(Object.entries(request));
        found.add(job.id);
        this.stored.set(job.id, name);
      }
      if (found.size > 0) this.files.set(name, found);
      else await unlink(join(this.dir, REQUESTS, name)).catch(() => {});
      for (const id of ids) if (!found.has(id)) warn(`job ${id}: its request cannot be read; the job cannot run again`);
    }
  }

  private async rewrite(jobs: Iterable<Job>): Promise<void> {
    const path = join(this.dir, JOURNAL);
    const temporary = `${path}.tmp`;
    const lines: string[] = [];
    for (const { request, ...rest } of jobs) lines.push(this.line(rest));
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

/** Writes a small file with mode 0600 and syncs it before resolving. */
async function writeDurably(path: string, text: string): Promise<void> {
  const out = await open(path, 'w', 0o600);
  try {
    await out.write(text);
    await out.datasync();
  } finally {
    await out.close();
  }
}

/** Reads every job; drops a last line cut short by a crash so the next append starts a fresh line. */
async function readJobs(
  path: string,
  warn: (line: string) => void,
): Promise<{ jobs: Map<string, Job>; withRequest: Map<string, string> }> {
  const jobs = new Map<string, Job>();
  const withRequest = new Map<string, string>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return { jobs, withRequest };
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
      const stored: Job & { requestFile?: unknown } = record.put;
      const { requestFile, ...job } = stored;
      jobs.set(job.id, job);
      if (typeof requestFile === 'string' && /^[\w.-]+$/.test(requestFile)) withRequest.set(job.id, requestFile);
      else withRequest.delete(job.id);
    } else if ('del' in record && typeof record.del === 'string') {
      jobs.delete(record.del);
      withRequest.delete(record.del);
    } else {
      bad += 1;
    }
  }
  if (bad > 0) warn(`job journal: skipped ${bad} unreadable line${bad > 1 ? 's' : ''}`);
  return { jobs, withRequest };
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
