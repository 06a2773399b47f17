// A container's file system in memory: the image's tree plus the pod's volumes mounted over it, each mount either
// a directory the volume keeps (emptyDir, a claim's data) or one built afresh on every visit from the API object
// (ConfigMap, Secret, downward API), so an edited ConfigMap shows up in the files as the kubelet makes it.

export interface FileNode {
  type: 'file';
  data: Buffer;
  mode: number;
  mtime: number;
}
export interface DirNode {
  type: 'dir';
  entries: Map<string, FsNode>;
  mode: number;
  mtime: number;
}
export type FsNode = FileNode | DirNode;

export const dir = (mtime: number, mode = 0o755): DirNode => ({
  type: 'dir',
  entries: new Map(),
  mode,
  mtime,
});
export const file = (data: string | Buffer, mtime: number, mode = 0o644): FileNode => ({
  type: 'file',
  data: Buffer.from(data),
  mode,
  mtime,
});

/** Puts `node` at `path` below `root`, making the directories on the way (building image and volume trees). */
export function placeNode(root: DirNode, path: string, node: FsNode, now: number): void {
  const parts = path.split('/').filter(Boolean);
  let at = root;
  for (const part of parts.slice(0, -1)) {
    let next = at.entries.get(part);
    if (!next || next.type !== 'dir') {
      next = dir(now);
      at.entries.set(part, next);
    }
    at = next;
  }
  at.entries.set(parts[parts.length - 1] ?? '', node);
}

export interface Mount {
  /** Absolute, normalized. */
  path: string;
  /** The mounted tree as it is now (a fresh one for projected volumes). */
  root(): FsNode;
  readOnly: boolean;
}

/** A failure worded as busybox tools print it after their own name, e.g. "can't open '/x': No such file or directory". */
export class FsError extends Error {
  constructor(
    readonly code: 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EROFS' | 'EEXIST' | 'ENOTEMPTY',
    readonly path: string,
  ) {
    super(
      {
        ENOENT: 'No such file or directory',
        ENOTDIR: 'Not a directory',
        EISDIR: 'Is a directory',
        EROFS: 'Read-only file system',
        EEXIST: 'File exists',
        ENOTEMPTY: 'Directory not empty',
      }[code],
    );
  }
}

/** `path` made absolute against `cwd`, with `.`, `..` and repeated slashes resolved. */
export function normalizePath(path: string, cwd = '/'): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

const parentOf = (path: string) => normalizePath(`${path}/..`);
const baseName = (path: string) => path.split('/').filter(Boolean).pop() ?? '';

export class FileSystem {
  private readonly mounts: Mount[] = [];

  constructor(
    private readonly root: DirNode,
    private readonly now: () => number,
  ) {}

  mount(mount: Mount): void {
    this.mounts.push(mount);
    // Deepest first, so /a/b wins over /a.
    this.mounts.sort((a, b) => b.path.length - a.path.length);
  }

  private mountFor(path: string): Mount | undefined {
    return this.mounts.find((m) => path === m.path || path.startsWith(m.path === '/' ? '/' : `${m.path}/`));
  }

  /** The node at `path`, or undefined. */
  lookup(path: string): FsNode | undefined {
    const mount = this.mountFor(path);
    let node: FsNode = mount ? mount.root() : this.root;
    const rest = mount ? path.slice(mount.path.length) : path;
    for (const part of rest.split('/').filter(Boolean)) {
      if (node.type !== 'dir') return undefined;
      const next = node.entries.get(part);
      if (!next) {
        // A mount point whose parent directories the image lacks still appears in its parent listing.
        return this.mountBelow(path) ? dir(this.now()) : undefined;
      }
      node = next;
    }
    return node;
  }

  private mountBelow(path: string): boolean {
    return this.mounts.some((m) => m.path.startsWith(`${path}/`));
  }

  /** Names in a directory, including mount points directly inside it. */
  list(path: string): string[] {
    const node = this.lookup(path);
    if (!node) throw new FsError('ENOENT', path);
    if (node.type !== 'dir') throw new FsError('ENOTDIR', path);
    const names = new Set(node.entries.keys());
    for (const m of this.mounts) {
      if (m.path !== path && parentOf(m.path) === path) names.add(baseName(m.path));
      else if (m.path.startsWith(`${path === '/' ? '' : path}/`) && m.path !== path) {
        const child = m.path.slice(path === '/' ? 1 : path.length + 1).split('/')[0];
        if (child) names.add(child);
      }
    }
    return [...names].sort();
  }

  read(path: string): Buffer {
    const node = this.lookup(path);
    if (!node) throw new FsError('ENOENT', path);
    if (node.type === 'dir') throw new FsError('EISDIR', path);
    return node.data;
  }

  private writable(path: string): void {
    const mount = this.mountFor(path);
    if (mount?.readOnly) throw new FsError('EROFS', path);
  }

  /** The directory a new entry of `path` goes into, created on the way in the image tree or the mount. */
  private parentDir(path: string): DirNode {
    const parent = this.lookup(parentOf(path));
    if (!parent) throw new FsError('ENOENT', path);
    if (parent.type !== 'dir') throw new FsError('ENOTDIR', path);
    return parent;
  }

  write(path: string, data: string | Buffer, append = false): void {
    this.writable(path);
    const existing = this.lookup(path);
    if (existing?.type === 'dir') throw new FsError('EISDIR', path);
    const bytes = Buffer.from(data);
    if (existing) {
      existing.data = append ? Buffer.concat([existing.data, bytes]) : bytes;
      existing.mtime = this.now();
      return;
    }
    this.parentDir(path).entries.set(baseName(path), file(bytes, this.now()));
  }

  /** Sets the time, or creates an empty file (touch). */
  touch(path: string): void {
    const existing = this.lookup(path);
    if (existing) {
      this.writable(path);
      existing.mtime = this.now();
      return;
    }
    this.write(path, '');
  }

  mkdir(path: string, parents = false): void {
    const existing = this.lookup(path);
    if (existing) {
      if (parents && existing.type === 'dir') return;
      throw new FsError('EEXIST', path);
    }
    this.writable(path);
    if (parents && path !== '/' && !this.lookup(parentOf(path))) this.mkdir(parentOf(path), true);
    this.parentDir(path).entries.set(baseName(path), dir(this.now()));
  }

  remove(path: string, recursive = false): void {
    const node = this.lookup(path);
    if (!node) throw new FsError('ENOENT', path);
    this.writable(path);
    if (node.type === 'dir' && !recursive) throw new FsError('EISDIR', path);
    const parent = this.lookup(parentOf(path));
    if (parent?.type === 'dir') parent.entries.delete(baseName(path));
  }

  isDir(path: string): boolean {
    return this.lookup(path)?.type === 'dir';
  }
}
