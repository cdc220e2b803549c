// A real OpenID Connect provider (oidc-provider, pinned in package-lock.json) for the
// end-to-end tests: tests/e2e/test_identity_provider.py starts it as a process on loopback.
//
//   node provider.mjs CONFIG.json
//
// CONFIG.json:
//   port                      listens on 127.0.0.1 at this port; the issuer is http://127.0.0.1:PORT
//   keys_file                 {"keys": [private JWKs], "signing_kid": "..."}; all of them are
//                             published at /jwks, access tokens are signed with signing_kid
//   audience                  the `aud` of access tokens (the services' JWT_AUDIENCE)
//   service_client            {"client_id", "client_secret", "roles", "token_ttl_seconds"}:
//                             a confidential client for the client-credentials grant, its
//                             tokens short-lived when a test wants to see them renewed
//   user_client               {"client_id", "redirect_uri"}: a public client, code flow + PKCE
//   user_token_ttl_seconds    lifetime of users' access tokens
//   users                     {"login": {claims added to the user's access token}}
//
// Keys are read once, at start: the provider builds its key store when it is constructed and
// has no way to swap it afterwards, so a test rotates or withdraws keys by rewriting the keys
// file and restarting this process on the same port. Restarting is also what an outage looks
// like from the services, and the tokens issued before stay valid (they are JWTs, checked
// only against the published keys), so nothing else needs to survive a restart.
//
// Users sign in through the provider's own development login and consent pages
// (devInteractions: any password; the login must be one of `users`), in a genuine
// authorization-code flow with PKCE; their access tokens are RFC 9068 JWTs for the resource
// `urn:ctxh:api` (resourceIndicators), carrying the user's claims from `users`.
//
// Each token issued is logged as one line `issued <grant_type> <client_id> <sub>` on stdout,
// so that a test can count how often the reporting service asked for its token.

import { readFileSync } from 'node:fs';

import Provider, { errors } from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { keys, signing_kid: signingKid } = JSON.parse(readFileSync(config.keys_file, 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const RESOURCE = 'urn:ctxh:api';
const RESOURCE_SCOPES = 'sensitive:read';
const service = config.service_client;
const users = config.users;

function account(id) {
  if (!Object.hasOwn(users, id)) return undefined;
  const { name } = users[id];
  return {
    accountId: id,
    async claims() {
      return { sub: id, name, preferred_username: id };
    },
  };
}

const provider = new Provider(issuer, {
  jwks: { keys },
  clients: [
    {
      client_id: service.client_id,
      client_secret: service.client_secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      // The reporting service sends its id and secret in the form body.
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: config.user_client.client_id,
      application_type: 'native',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [config.user_client.redirect_uri],
      token_endpoint_auth_method: 'none',
    },
  ],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  cookies: { keys: ['ctxh-e2e-identity-cookies'] },
  findAccount: (_ctx, id) => account(id),
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: false },
    revocation: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      // The code flow asks for `openid` too: issue the access token for the resource anyway.
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator !== RESOURCE) throw new errors.InvalidTarget();
        return {
          audience: config.audience,
          scope: RESOURCE_SCOPES,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256', kid: signingKid } },
        };
      },
    },
  },
  ttl: {
    AccessToken: () => config.user_token_ttl_seconds,
    ClientCredentials: () => service.token_ttl_seconds,
    Grant: () => 3600,
    IdToken: () => 600,
    Interaction: () => 600,
    Session: () => 3600,
  },
  extraTokenClaims: async (_ctx, token) => {
    if (token.kind === 'ClientCredentials') return { roles: service.roles };
    if (token.kind === 'AccessToken' && Object.hasOwn(users, token.accountId)) {
      const { name, ...claims } = users[token.accountId];
      return { ...claims, name };
    }
    return undefined;
  },
});

provider.on('grant.success', (ctx) => {
  const { client, params, entities } = ctx.oidc;
  const sub = entities.AccessToken?.accountId ?? client.clientId;
  console.log(`issued ${params.grant_type} ${client.clientId} ${sub}`);
});
provider.on('server_error', (_ctx, error) => console.error('server_error', error));

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${issuer} signing with ${signingKid}`);
});
