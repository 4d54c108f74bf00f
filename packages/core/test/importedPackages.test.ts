import { importedPackages, notebookSearchText, parseNotebook } from '../src';
import { readFixture } from './fixtures';

describe('importedPackages', () => {
  it('reads Python imports: top-level names, aliases, lists, relative imports skipped', () => {
    const code = [
      'import numpy as np, scipy.stats',
      'from matplotlib import pyplot as plt',
      'from sklearn.linear_model import LinearRegression',
      'from . import local_helper',
      '    import os; import sys',
      '# import commented_out'
    ].join('\n');
    expect(importedPackages(code)).toEqual(['numpy', 'scipy', 'matplotlib', 'sklearn', 'os', 'sys']);
  });

  it('reads pip installs, dropping options, versions and URLs', () => {
    const code = [
      '%pip install -q geopandas==0.14 "folium>=0.15"',
      '!pip install -U scikit-learn -r requirements.txt git+https://example.org/x.git',
      '!python -m pip install xarray[io]'
    ].join('\n');
    expect(importedPackages(code)).toEqual(['geopandas', 'folium', 'scikit-learn', 'xarray']);
  });

  it('reads R library and require calls, Julia using, and JavaScript require', () => {
    const code = [
      'library(ggplot2)',
      'suppressMessages(require("dplyr"))',
      "if (!requireNamespace('sf')) stop()",
      'using DataFrames, Plots.PlotMeasures',
      'using CSV: read',
      "const fs = require('node:fs')"
    ].join('\n');
    expect(importedPackages(code)).toEqual(['ggplot2', 'dplyr', 'sf', 'DataFrames', 'Plots', 'CSV', 'node:fs']);
  });

  it('finds nothing in code without imports', () => {
    expect(importedPackages('x = 1\nprint("import this")')).toEqual([]);
  });
});

describe('notebookSearchText packages and language', () => {
  it('gives an R notebook its language and the packages it loads', () => {
    const nb = parseNotebook(readFixture('irkernel/Display.ipynb'));
    const text = notebookSearchText(nb);
    expect(text.language.split(' ')).toContain('r');
    expect(text.packages).toContain('IRdisplay');
  });
});
