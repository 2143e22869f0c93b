// The pieces of the inventory check: which hosts a play pattern selects, and CIDR membership.
import { describe, expect, it } from 'vitest';
import { inNetwork, patternHosts } from '../../compiler/check-inventory.js';
import { inventory } from '../../dsl/inventory.js';

const inv = inventory('t', {
  vars: {},
  groups: {
    infra: { hosts: { ns: {} } },
    pg: { hosts: { a: {}, b: {}, c: {} } },
    etcd: { hosts: { b: {}, c: {}, d: {} } },
  },
});
const hosts = (p: string) => [...(patternHosts(p, inv) ?? ['(not judged)'])].sort();

describe('inventory check', () => {
  it('resolves host patterns as Ansible does: groups, hosts, unions, exclusions and intersections', () => {
    expect(hosts('pg')).toEqual(['a', 'b', 'c']);
    expect(hosts('all')).toEqual(['a', 'b', 'c', 'd', 'ns']);
    expect(hosts('pg:!b')).toEqual(['a', 'c']);
    expect(hosts('pg:&etcd')).toEqual(['b', 'c']);
    expect(hosts('infra,d')).toEqual(['d', 'ns']);
    expect(hosts('nosuch')).toEqual([]);
    expect(hosts("{{ groups['pg'] }}")).toEqual(['(not judged)']);
    expect(hosts('pg[0]')).toEqual(['(not judged)']);
  });

  it('tells whether an address lies in a network', () => {
    expect(inNetwork('10.213.50.101', '10.213.50.0/24')).toBe(true);
    expect(inNetwork('10.213.51.1', '10.213.50.0/24')).toBe(false);
    expect(inNetwork('10.213.51.1', '10.213.0.0/16')).toBe(true);
    expect(inNetwork('192.168.1.1', '0.0.0.0/0')).toBe(true);
    expect(inNetwork('db1.example.org', '10.0.0.0/8')).toBeUndefined();
    expect(inNetwork('10.0.0.1', '10.0.0.0/33')).toBeUndefined();
  });
});
