import { describe, expect, it } from 'vitest';
import { REDACTED, redactEnvString, redactSecrets } from './redact';

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
