/** Test doubles that stand where the browser and the server would (fetch, localStorage, the translator), and stored notebooks. */
import type { INotebook, INotebookSummary } from '@notebook-gallery/core';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import { PasswordAuth } from '../src/services/auth/passwordAuth';
import { GalleryClient } from '../src/services/client';

export const SERVER = 'http://127.0.0.1:8765';

/** English "translation": substitutes %1, %2… as JupyterLab's bundle does. */
export const trans = {
  __: (text: string, ...args: unknown[]) => text.replace(/%(\d+)/g, (_, n: string) => String(args[Number(n) - 1])),
  _n: (singular: string, plural: string, count: number, ...args: unknown[]) =>
    (count === 1 ? singular : plural).replace(/%(\d+)/g, (_, n: string) => String([count, ...args][Number(n) - 1]))
} as unknown as TranslationBundle;

/** One request the client sent. */
export interface ISentRequest {
  method: string;
  url: string;
  path: string;
  authorization: string | undefined;
  body: any;
}

/** What a route answers: a status and a JSON body, a raw text body, or a thrown network failure. */
export type Reply = { status: number; body?: unknown; text?: string; statusText?: string } | 'network-error';

/**
 * A scripted gallery server behind the client's injectable `fetch`: each `on()` answers one
 * method and path (first match wins, repeatable), and every request is recorded in `sent`.
 */
export class FakeGallery {
  readonly sent: ISentRequest[] = [];

  on(method: string, path: string, reply: Reply | ((request: ISentRequest) => Reply)): this {
    this._routes.push({ method, path, reply });
    return this;
  }

  /** Requests to `method path`, in order. */
  requests(method: string, path: string): ISentRequest[] {
    return this.sent.filter(request => request.method === method && request.path === path);
  }

  readonly fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const headers = (init.headers ?? {}) as Record<string, string>;
    const request: ISentRequest = {
      method: init.method ?? 'GET',
      url: input,
      path: url.pathname,
      authorization: headers.Authorization,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined
    };
    this.sent.push(request);
    const route = this._routes.find(r => r.method === request.method && r.path === request.path);
    if (!route) {
      throw new Error(`FakeGallery: no route for ${request.method} ${request.path}`);
    }
    const reply = typeof route.reply === 'function' ? route.reply(request) : route.reply;
    if (reply === 'network-error') {
      throw new TypeError('Failed to fetch');
    }
    const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    return {
      ok: reply.status >= 200 && reply.status < 300,
      status: reply.status,
      statusText: reply.statusText ?? '',
      json: async () => JSON.parse(text)
    } as Response;
  };

  private _routes: Array<{ method: string; path: string; reply: Reply | ((request: ISentRequest) => Reply) }> = [];
}

/** `localStorage` without a browser. */
export class MemoryStorage implements Storage {
  get length(): number {
    return this._items.size;
  }
  clear(): void {
    this._items.clear();
  }
  getItem(key: string): string | null {
    return this._items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this._items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this._items.delete(key);
  }
  setItem(key: string, value: string): void {
    this._items.set(key, value);
  }
  private _items = new Map<string, string>();
}

/** A session as the password strategy stores it. */
export function storedSession(token: string, username = 'alice', tokenId: string | null = 'tok-1'): string {
  return JSON.stringify({ token, tokenId, expiresAt: null, user: { username, isAdmin: false } });
}

/** A client over `gallery`, logged in as alice with `session-token` unless `loggedIn` is false. */
export function clientFor(
  gallery: FakeGallery,
  options: { loggedIn?: boolean; storage?: MemoryStorage } = {}
): { client: GalleryClient; storage: MemoryStorage } {
  const storage = options.storage ?? new MemoryStorage();
  if (options.loggedIn !== false) {
    storage.setItem(`notebook-gallery:auth:${SERVER}`, storedSession('session-token'));
  }
  const client = new GalleryClient({
    serverUrl: SERVER,
    trans,
    fetch: gallery.fetch,
    auth: new PasswordAuth({ storage })
  });
  return { client, storage };
}

/** A notebook summary as the server sends it. */
export function summary(overrides: Partial<INotebookSummary> = {}): INotebookSummary {
  return {
    id: 'nb-1',
    title: 'Sales forecast',
    description: '',
    tags: [],
    owner: 'alice',
    ownerKind: 'user',
    visibility: 'private',
    group: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    revision: 'a'.repeat(40),
    revisionNumber: 1,
    parent: null,
    canEdit: true,
    canManage: true,
    runs: 0,
    health: { status: 'unknown', score: null, runs: 0, lastRunAt: null, lastSuccessAt: null },
    environment: { kernelName: 'python3', language: 'python', languageVersion: null, packages: [] },
    stars: 0,
    starred: false,
    views: 0,
    downloads: 0,
    opens: 0,
    trending: 0,
    ...overrides
  };
}

/** Revision SHAs for tests that follow a notebook through versions 1 and 2. */
export const REV1 = '1'.repeat(40);
export const REV2 = '2'.repeat(40);

/** A stripped notebook as the gallery stores it, one code cell per source, with ids a, b, c… */
export function storedNotebook(...sources: string[]): INotebook {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'python' } },
    cells: sources.map((source, index) => ({
      id: String.fromCharCode(97 + index),
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source
    }))
  } as INotebook;
}

/** Resolves once `model` has an answer to its latest search. */
export function listed(model: { status: string; stateChanged: ISignal<any, void> }): Promise<void> {
  return new Promise(resolve => {
    const check = (): void => {
      if (model.status === 'ready') {
        model.stateChanged.disconnect(check);
        resolve();
      }
    };
    model.stateChanged.connect(check);
  });
}

/** Let pending promise callbacks and zero-delay timers run. */
export function settle(ms = 0): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
