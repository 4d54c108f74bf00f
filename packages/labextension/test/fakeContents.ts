/** A Jupyter contents manager over a folder tree in memory: what the copy flows read and write, and nothing else. */
import type { INotebook } from '@notebook-gallery/core';
import { ServerConnection, type Contents } from '@jupyterlab/services';

export class FakeContents {
  /** Notebooks by path (relative to the Jupyter root), as saved. */
  readonly files = new Map<string, INotebook>();
  readonly folders = new Set<string>(['']);
  /** Paths saved, in order. */
  readonly saved: string[] = [];

  /** The notebooks in `folder`, by name. */
  notebooksIn(folder: string): string[] {
    return [...this.files.keys()].filter(path => parent(path) === folder).map(name);
  }

  readonly manager = {
    get: async (path: string, options: Contents.IFetchOptions = {}): Promise<Contents.IModel> => {
      if (this.folders.has(path)) {
        const names = [...this.files.keys(), ...this.folders].filter(item => item !== path && parent(item) === path);
        return model(path, 'directory', options.content ? names.map(item => model(item, 'file', null)) : null);
      }
      const notebook = this.files.get(path);
      if (!notebook) {
        throw new ServerConnection.ResponseError({ status: 404 } as Response, `No such file: ${path}`);
      }
      return model(path, 'notebook', options.content === false ? null : structuredClone(notebook));
    },
    save: async (path: string, options: Partial<Contents.IModel> = {}): Promise<Contents.IModel> => {
      if (options.type === 'directory') {
        this.folders.add(path);
      } else {
        this.files.set(path, structuredClone(options.content as INotebook));
        this.saved.push(path);
      }
      return model(path, options.type ?? 'file', null);
    }
  } as unknown as Contents.IManager;
}

function parent(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

function name(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function model(path: string, type: string, content: unknown): Contents.IModel {
  return { path, name: name(path), type, content } as Contents.IModel;
}
