/**
 * Every path Synapse routes to logging in or registering an account, as the regexes of its
 * own servlets (`synapse/rest/client/login.py`, `register.py`, `login_token_request.py`, Synapse
 * 1.163) and the single sign-on pages of its worker endpoint table (`docs/workers.md`). A login
 * rate limit that matched only `/(r0|v3)/(login|register)` was bypassed through `api/v1`,
 * `unstable` and the other registration endpoints; a test checks every servlet of those modules
 * against this list with the real Synapse and real nginx.
 *
 * Token refresh (`/refresh`) is left out on purpose: clients call it routinely, and it needs a
 * valid refresh token already.
 */
export const LOGIN_PATH_PATTERNS: readonly string[] = [
  '^/_matrix/client/(api/v1|r0|v3|unstable)/login$',
  '^/_matrix/client/(api/v1|r0|v3|unstable)/login/(cas|sso)/redirect$',
  '^/_matrix/client/(r0|v3)/login/sso/redirect/(?P<idp_id>[A-Za-z0-9_.~-]+)$',
  '^/_matrix/client/(api/v1|r0|v3|unstable)/login/cas/ticket$',
  '^/_matrix/client/v1/login/get_token$',
  '^/_matrix/client/unstable/org.matrix.msc3882/login/token$',
  '^/_matrix/client/(r0|v3|unstable)/register$',
  '^/_matrix/client/(r0|v3|unstable)/register/available$',
  '^/_matrix/client/(r0|v3|unstable)/register/email/requestToken$',
  '^/_matrix/client/(r0|v3|unstable)/register/msisdn/requestToken$',
  '^/_matrix/client/(v1|unstable)/register/m.login.registration_token/validity$',
  '^/_matrix/client/unstable/registration/(?P<medium>[^/]*)/submit_token$',
  '^/_synapse/client/pick_username',
  '^/_synapse/client/sso_register$',
]

/**
 * One nginx (PCRE) regex matching every path of {@link LOGIN_PATH_PATTERNS}, written compactly:
 * any path below the login, registration and single sign-on prefixes. It is wider than the
 * list (a trailing slash, an unknown sub-path), never narrower, so no variant escapes the limit.
 */
export const LOGIN_PATHS_REGEX =
  '^(/_matrix/client/(api/v1|r0|v3|v1|unstable)/(login|register|registration)(/|$)|/_matrix/client/unstable/org\\.matrix\\.msc3882/login/|/_synapse/client/(pick_username|sso_register)(/|$))'
