/** docker-modem's request module (lib/http.js, a copy of an old follow-redirects): the part we set. */
declare module 'docker-modem/lib/http.js' {
  const http: { maxRedirects: number };
  export default http;
}
