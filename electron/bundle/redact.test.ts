import { describe, expect, it } from 'vitest';
import { REDACTED, redactEnvString, Redactor, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('redacts secret-looking NAME=value strings, Mesos { name, value } variables and env objects; leaves the rest', () => {
    expect(redactEnvString('PASSWORD=x')).toBe(`PASSWORD=${REDACTED}`);
    expect(redactEnvString('DB_PASS=a=b')).toBe(`DB_PASS=${REDACTED}`);
    expect(redactEnvString('GITHUB_TOKEN=abc')).toBe(`GITHUB_TOKEN=${REDACTED}`);
    expect(redactEnvString('PATH=/bin')).toBe('PATH=/bin');
    expect(redactEnvString('no equals sign: password')).toBe('no equals sign: password');
    const inspect = { Config: { Env: ['PASSWORD=x', 'HOME=/root'], Labels: { a: 'PASSWORD=y' } } };
    expect(redactSecrets(inspect)).toEqual({ Config: { Env: [`PASSWORD=${REDACTED}`, 'HOME=/root'], Labels: { a: 'PASSWORD=y' } } });
    const mesos = { command: { environment: { variables: [{ name: 'API_KEY', type: 'VALUE', value: 'k' }, { name: 'MODE', value: 'fast' }] } } };
    expect(redactSecrets(mesos)).toEqual({ command: { environment: { variables: [{ name: 'API_KEY', type: 'VALUE', value: REDACTED }, { name: 'MODE', value: 'fast' }] } } });
    expect(redactSecrets({ env: { SECRET: 's', USER: 'me' } })).toEqual({ env: { SECRET: REDACTED, USER: 'me' } });
    expect(inspect.Config.Env[0]).toBe('PASSWORD=x'); // a copy: the input is left alone
  });
});

describe('Redactor', () => {
  it('learns values by name from labels, docker parameters and base64 status data, and replaces them in JSON, text, bytes and NDJSON lines', () => {
    const secret = 'hunter2-abc123';
    const r = new Redactor();
    r.learn({ labels: { labels: [{ key: 'DB_SECRET', value: 'label-secret-1' }, { key: 'io.mesoscope.variant', value: 'plain-variant' }] } });
    r.learn({ container: { docker: { parameters: [{ key: 'env', value: 'API_TOKEN=param-token-9' }, { key: 'env', value: 'MODE=fast' }] } } });
    const inspect = { Config: { Env: [`PASSWORD=${secret}`], Labels: { 'io.mesoscope.session': 'session-1234', SSH_KEY: 'ssh-key-value' } } };
    const data = Buffer.from(JSON.stringify([inspect])).toString('base64');
    const state = { tasks: [{ statuses: [{ state: 'TASK_RUNNING', data }] }] };
    const redacted = r.json(state) as { tasks: Array<{ statuses: Array<{ data: string }> }> };
    const decoded = Buffer.from(redacted.tasks[0]!.statuses[0]!.data, 'base64').toString();
    expect(decoded).toContain(`"PASSWORD=${REDACTED}"`);
    expect(decoded).toContain(`"SSH_KEY":"${REDACTED}"`);
    // Mesoscope's own labels name no secret, and a plain parameter stays.
    expect(decoded).toContain('"io.mesoscope.session":"session-1234"');
    expect(r.json({ cmd: `run --password ${secret} && echo param-token-9`, variant: 'plain-variant' })).toEqual({ cmd: `run --password ${REDACTED} && echo ${REDACTED}`, variant: 'plain-variant' });
    expect(r.text(`label-secret-1 / ssh-key-value / MODE=fast`)).toBe(`${REDACTED} / ${REDACTED} / MODE=fast`);
    expect(r.bytes(Buffer.from(`a ${secret} b ${secret}`)).toString()).toBe(`a ${REDACTED} b ${REDACTED}`);
    expect(JSON.parse(r.line(JSON.stringify({ kind: 'logs', lines: [{ text: `env PASSWORD=${secret}` }] })))).toEqual({ kind: 'logs', lines: [{ text: `env PASSWORD=${REDACTED}` }] });
    expect(r.line(`not json ${secret}`)).toBe(`not json ${REDACTED}`);
    expect(r.size).toBe(4);
  });

  it('replaces short values only by name, never as text (a value of "x" would wreck every log)', () => {
    const r = new Redactor();
    expect(r.json({ Env: ['PASSWORD=x'] })).toEqual({ Env: [`PASSWORD=${REDACTED}`] });
    expect(r.text('x marks the spot')).toBe('x marks the spot');
    expect(r.size).toBe(0);
  });
});
