import { describe, expect, it } from 'vitest';
import { attributesV0, attributesV1, parseAttributes, type Attribute } from '../src/common/attributes';
import { toJson } from '../src/common/json';
import { parseResources, resourcesToString, resourcesV0, resourcesV1, withDefaultResources, type Resource } from '../src/common/resources';

describe('resources (--resources)', () => {
  const parsed = parseResources('cpus:2;mem:1024;disk:4096;ports:[31000-31099]') as Resource[];

  it('parses the simple string into v1 Resource JSON', () => {
    expect(toJson(resourcesV1(parsed))).toBe(
      '[{"name":"cpus","type":"SCALAR","scalar":{"value":2.0}},{"name":"mem","type":"SCALAR","scalar":{"value":1024.0}},' +
        '{"name":"disk","type":"SCALAR","scalar":{"value":4096.0}},{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31099}]}}]',
    );
    expect(toJson(resourcesV1(parsed.slice(0, 1), { withRole: true }))).toBe('[{"name":"cpus","type":"SCALAR","scalar":{"value":2.0},"role":"*"}]');
  });

  it('renders the v0 object in the recorded key order', () => {
    expect(toJson(resourcesV0(parsed))).toBe('{"disk":4096.0,"mem":1024.0,"gpus":0.0,"cpus":2.0,"ports":"[31000-31099]"}');
  });

  it('prints as Mesos logs it', () => {
    expect(resourcesToString(parsed)).toBe('cpus:2; mem:1024; disk:4096; ports:[31000-31099]');
  });

  it('handles roles, sets, several ranges, fractions and JSON', () => {
    const r = parseResources('cpus(web):0.5;ports:[1-2, 5-9];names:{a,b}') as Resource[];
    expect(r.map((x) => [x.name, x.role, x.type])).toEqual([
      ['cpus', 'web', 'SCALAR'],
      ['ports', '*', 'RANGES'],
      ['names', '*', 'SET'],
    ]);
    expect(resourcesV0(r).ports).toBe('[1-2, 5-9]');
    const json = parseResources('[{"name":"cpus","type":"SCALAR","scalar":{"value":3}}]') as Resource[];
    expect(json[0]!.scalar).toBe(3);
    expect(parseResources('cpus:x')).toBeInstanceOf(Error);
  });

  it('fills in what the agent auto-detects', () => {
    const r = withDefaultResources(parseResources('cpus:1') as Resource[], '/');
    expect(r.map((x) => x.name)).toEqual(['cpus', 'mem', 'disk', 'ports']);
    expect(resourcesV0(r).ports).toBe('[31000-32000]');
  });
});

describe('attributes (--attributes)', () => {
  it('parses rack:r1;zone:a;level:3 into v0 and v1 forms (docs/mesos/api.md §7.3)', () => {
    const a = parseAttributes('rack:r1;zone:a;level:3') as Attribute[];
    expect(toJson(attributesV0(a))).toBe('{"rack":"r1","zone":"a","level":3.0}');
    expect(toJson(attributesV1(a)[2]!)).toBe('{"name":"level","type":"SCALAR","scalar":{"value":3.0}}');
    expect(toJson(attributesV1(a)[0]!)).toBe('{"name":"rack","type":"TEXT","text":{"value":"r1"}}');
  });
});
