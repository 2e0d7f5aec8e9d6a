// A real OpenID Connect provider for the browser tests (oidc-provider), never for production.
// Any login name is an account: sub = the name, email = <name>@brunssum.example.
// IDP_PORT: port on 127.0.0.1; REDIRECT_URI: the app's /oauth2callback.
import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT || 9400);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'kiss-hub',
    client_secret: 'kiss-hub-secret',
    redirect_uris: [process.env.REDIRECT_URI],
    post_logout_redirect_uris: [process.env.REDIRECT_URI],   // st.logout ends the IdP session too
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() { return { sub: id, email: `${id}@brunssum.example`, name: id }; },
    };
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
});
provider.listen(port, '127.0.0.1', () => console.log(`idp ready on ${port}`));
