// The request/response log lines of Mesos' HTTP handlers (master http.cpp:1436/1453):
//   HTTP GET for /master/state from 127.0.0.1:38936 with User-Agent='curl/7.88.1'
//   HTTP GET for /master/state from 127.0.0.1:38936: '200 OK' after 3.6649ms
import http from 'node:http';
import { Duration } from '../common/durations';
import type { Logger } from '../logging/glog';
import { STREAMED, type Handler } from './router';

export function logged(logger: Logger, handler: Handler, opts: { response: boolean; source?: string }): Handler {
  const src = opts.source ?? 'http.cpp';
  return async (req) => {
    const started = performance.now();
    const ua = req.headers['user-agent'];
    logger.info(`${src}:1436`, `HTTP ${req.method} for ${req.path} from ${req.remote}${ua ? ` with User-Agent='${ua}'` : ''}`);
    const result = await handler(req);
    if (opts.response && result !== STREAMED) {
      // Six significant digits, as the recorded lines show ('200 OK' after 3.6649ms).
      const took = Duration.ms(Number((performance.now() - started).toPrecision(6)));
      logger.info(
        `${src}:1453`,
        `HTTP ${req.method} for ${req.path} from ${req.remote}: '${result.status} ${http.STATUS_CODES[result.status] ?? ''}' after ${took}`,
      );
    }
    return result;
  };
}
