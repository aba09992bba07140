/**
 * The load source in a process of its own (forked by bench:events), so that its CPU is not counted as
 * the app's. Shape from argv as JSON; driven over the IPC channel: `{ rate, churn?, roundRobin? }` sets the rate,
 * `{ ask: 'stats' }` and `{ ask: 'transitions', from }` are answered with the same `ask`.
 */
import { startLoadSource } from './source';

type Message = { rate: number; churn?: number; roundRobin?: boolean } | { ask: 'stats' } | { ask: 'transitions'; from: number } | { ask: 'close' };

async function main(): Promise<void> {
  const source = await startLoadSource(JSON.parse(process.argv[2] ?? '{}'));
  const send = (message: unknown) => process.send?.(message);
  process.on('message', (message: Message) => {
    if ('rate' in message) source.setRate(message.rate, message.churn, message.roundRobin);
    else if (message.ask === 'stats') send({ ask: 'stats', value: source.stats() });
    else if (message.ask === 'transitions') send({ ask: 'transitions', value: source.updates(message.from) });
    else if (message.ask === 'close') void source.close().then(() => process.exit(0));
  });
  // The parent gone (the bench crashed): nothing is left listening.
  process.on('disconnect', () => void source.close().then(() => process.exit(0)));
  send({ ask: 'url', value: source.url });
}

main().catch((err: unknown) => {
  console.error(`load source: ${(err as Error).message}`);
  process.exit(1);
});
