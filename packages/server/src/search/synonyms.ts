import { indexTokens } from './indexTokens';

/**
 * Words that mean the same thing in data-science notebooks, so that "chart" finds a notebook that says "plot" and
 * "map" finds one built on geopandas. Each line is one group; a query word matching any entry also searches for the
 * others. Kept small and general on purpose: it is vocabulary, not tuning for particular notebooks.
 */
const GROUPS: readonly string[] = [
  'plot, plotting, chart, graph, visualize, visualise, visualization, visualisation, figure, draw, diagram',
  'map, maps, mapping, geographic, geospatial, spatial, geopandas, folium, choropleth, cartopy',
  'location, locations, coordinates, latitude, longitude, geometry, spatial',
  'merge, join, joins, combine, concat, concatenate',
  'statistics, statistical, statistically, stats, scipy stats, hypothesis, significance',
  'test, ttest, t test, hypothesis test',
  'compare, comparison, versus, difference',
  'group, groups, sample, samples',
  'forecast, forecasting, predict, prediction, predictions',
  'regression, regressions, fit, fitting, least squares, ols',
  'logistic, logit, binary outcome',
  'outlier, outliers, robust',
  'smooth, smoothing, smoother, lowess, loess',
  'histogram, histograms, hist, distribution',
  'cluster, clusters, clustering, kmeans, k means, unsupervised',
  'classify, classification, classifier, classifiers',
  'neural network, neural networks, neural net, deep learning, keras, tensorflow, pytorch',
  'train, training, fit, learn, learning',
  'dataframe, dataframes, data frame, pandas, table, tables',
  'csv, read csv, spreadsheet, tabular',
  'date, dates, datetime, timestamp, timestamps',
  'time series, timeseries, temporal, tsa',
  'seasonal, seasonality, deseasonalize, decomposition, stl',
  'trend, trends, detrend, detrending',
  'dimensionality reduction, pca, principal component, principal components',
  'missing, nan, null, impute, imputation',
  'clip, crop, cut, mask',
  'image, images, picture, photo',
  'text, nlp, natural language, language model',
  'summary, summarize, summarise, describe, descriptive',
  'count, counts, poisson, negative binomial',
  'interactive, widget, widgets, leaflet'
];

const SYNONYMS: ReadonlyMap<string, readonly string[][]> = (() => {
  const index = new Map<string, string[][]>();
  for (const line of GROUPS) {
    const entries = line.split(',').map(entry => indexTokens(entry));
    for (const entry of entries) {
      const key = entry.join(' ');
      const others = index.get(key) ?? [];
      for (const other of entries) {
        if (other.join(' ') !== key && !others.some(known => known.join(' ') === other.join(' '))) {
          others.push(other);
        }
      }
      index.set(key, others);
    }
  }
  return index;
})();

/** The synonyms of a word or phrase (as index tokens), each as index tokens; none for an unknown word. */
export function synonymsOf(tokens: readonly string[]): readonly string[][] {
  return SYNONYMS.get(tokens.join(' ')) ?? [];
}
