/**
 * A JSON client for a real server process (see {@link startServer} in `cliProcess.ts`), for the tests that must
 * run the server out of process (kill -9, backups of a live gallery) and so cannot use `app.inject()`. It keeps
 * the bearer token of its last login, and reads the server's address on every call because those tests restart
 * the server on a new port.
 */
export class ServerClient {
  /** The bearer token sent with every call; empty for none. */
  token = '';

  /**
   * @param url The current server's base URL, read on every call.
   * @param timeoutMs How long one call may take before it fails the test rather than hang it.
   */
  constructor(
    private readonly _url: () => string,
    private readonly _timeoutMs = 10_000
  ) {}

  /** One request with a JSON body (if any) and the token. */
  call(method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(`${this._url()}${url}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this._timeoutMs)
    });
  }

  /** Logs in with a password and keeps the token. @throws {Error} with the server's answer when it is refused. */
  async login(username: string, password: string): Promise<string> {
    this.token = '';
    const response = await this.call('POST', '/api/auth/login', { username, password });
    if (response.status !== 200) {
      throw new Error(`login as ${username}: ${response.status} ${await response.text()}`);
    }
    this.token = ((await response.json()) as { token: string }).token;
    return this.token;
  }
}
