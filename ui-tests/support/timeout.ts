// Starting JupyterLab, a kernel and Chromium takes far longer than jest's 5 s default.
jest.setTimeout(180000);
