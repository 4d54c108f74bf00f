import { notebookEnvironment, runnableCells, type INotebook } from '../src';

/* What a revision records to be reproducible, and which cells health reports are about. */

function notebook(metadata: Record<string, unknown>, cells: INotebook['cells']): INotebook {
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}

const code = (source: string | string[], id?: string) => ({
  cell_type: 'code' as const,
  ...(id ? { id } : {}),
  metadata: {},
  execution_count: null,
  source,
  outputs: []
});

it('reads kernel, language and version from the metadata and packages from the code cells', () => {
  const nb = notebook(
    {
      kernelspec: { name: 'ir', display_name: 'R', language: 'R' },
      language_info: { name: 'R', version: '4.3.1' }
    },
    [
      { cell_type: 'markdown', metadata: {}, source: 'import not_code' },
      code(['library(ggplot2)\n', 'require("dplyr")']),
      code('!pip install -U pandas==2.2 -r requirements.txt')
    ]
  );
  expect(notebookEnvironment(nb)).toEqual({
    kernelName: 'ir',
    language: 'R',
    languageVersion: '4.3.1',
    packages: ['ggplot2', 'dplyr', 'pandas']
  });
});

it('falls back to kernelspec.language and says null for what the metadata lacks or holds as non-text', () => {
  expect(
    notebookEnvironment(notebook({ kernelspec: { name: ' ', display_name: 'x', language: 'julia' } }, []))
  ).toEqual({ kernelName: null, language: 'julia', languageVersion: null, packages: [] });
  expect(
    notebookEnvironment(notebook({ language_info: { name: 'python', version: 3.11 } }, [code('using Plots')]))
  ).toEqual({ kernelName: null, language: 'python', languageVersion: null, packages: ['Plots'] });
});

it('lists the non-blank code cells in order with their ids, null where nbformat 4.4 has none', () => {
  const nb = notebook({}, [
    code('x = 1', 'a'),
    { cell_type: 'markdown', metadata: {}, source: 'text' },
    code('  \n'),
    code(['y = ', 'x + 1'])
  ]);
  expect(runnableCells(nb)).toEqual([
    { id: 'a', source: 'x = 1' },
    { id: null, source: 'y = x + 1' }
  ]);
});
