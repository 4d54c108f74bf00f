// A real OpenID Connect provider for the login test (oidc-provider is ESM-only, so it runs as a child process).
// Its development login form accepts any username; it prints "ready <issuer>" once it listens on 127.0.0.1.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const redirectUri = process.env.OIDC_REDIRECT_URI;
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'gallery',
      client_secret: 'gallery-secret',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code']
    }
  ],
  cookies: { keys: ['oidc-test-cookie-key'] },
  claims: { openid: ['sub'], profile: ['preferred_username'], email: ['email'] },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, preferred_username: id, email: `${id}@example.org` })
  })
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
