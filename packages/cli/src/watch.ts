import { type FSWatcher, watch } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files whose change may change a connector; editors' backup and swap files are not among them. */
const SOURCE_FILE = /^[^.~#].*\.(?:[cm]?[jt]sx?|json)$/;

/** Watches the folders of a connector's loaded files and calls back, debounced, when a source changes. */
export interface SourceWatcher {
  /** Watches the folder of each file (a `file:` URL or a path) and each folder given; idempotent. */
  add(fileOrDirs: Iterable<string>): void;
  close(): void;
}

/** Options of {@link createSourceWatcher}. */
export interface WatchOptions {
  /** Quiet time after the last change before `onChange` runs. */
  debounceMs?: number;
  onChange: (file: string) => void;
}

/**
 * Folders are watched rather than files, so an editor that saves by renaming a new file over
 * the old one is still seen. Anything inside node_modules or dist is ignored: packages are not
 * edited there, and a build writing dist must not trigger a reload loop.
 */
export function createSourceWatcher({ debounceMs = 100, onChange }: WatchOptions): SourceWatcher {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let lastFile = '';
  const changed = (file: string) => {
    lastFile = file;
    clearTimeout(timer);
    timer = setTimeout(() => onChange(lastFile), debounceMs);
  };
  return {
    add(items) {
      for (const item of items) {
        const path = item.startsWith('file:') ? fileURLToPath(item.split('?')[0] ?? item) : item;
        const dir = item.startsWith('file:') ? dirname(path) : path;
        if (watchers.has(dir) || isIgnored(dir)) continue;
        try {
          const watcher = watch(dir, (_event, name) => {
            if (name && SOURCE_FILE.test(name)) changed(join(dir, name));
          });
          watcher.on('error', () => {
            watcher.close();
            watchers.delete(dir);
          });
          watchers.set(dir, watcher);
        } catch {
          // A folder that disappeared between loading and watching; the next reload re-adds it.
        }
      }
    },
    close() {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function isIgnored(dir: string): boolean {
  const parts = dir.split(sep);
  return parts.includes('node_modules') || parts.includes('dist');
}
