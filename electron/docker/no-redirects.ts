// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the package's types bundler (build:types) reads only files it reaches; this brings the declaration of docker-modem's request module along
/// <reference path="./docker-modem-http.d.ts" />
import modemHttp from 'docker-modem/lib/http.js';

/**
 * dockerode's transport (docker-modem) follows redirects, to any host the Location names, on a fresh
 * request nobody handles errors of. dockerd answers 301 when a request path holds `..` or `//`
 * (Go's path cleaning), and an image name goes into the path as is: `../../version` made the app
 * resolve a host named `version` and die of the unhandled 'error' event. The Docker API
 * never redirects a well-formed request, so none is followed: the request fails with an error instead.
 * Image names are also checked against Docker's reference grammar (shared/image-reference.ts).
 */
modemHttp.maxRedirects = 0;

export const DOCKER_REDIRECTS_FOLLOWED = modemHttp.maxRedirects;
