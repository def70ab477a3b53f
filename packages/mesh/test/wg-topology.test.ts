// spec/MESH.md §13: WireGuard mesh topology — parsing, schema, validation, pairs.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrsOverlap, parseCidr } from '../src/wg/cidr.js';
import { findDuplicateJsonMembers } from '../src/wg/json-keys.js';
import {
  MAX_TOPOLOGY_BYTES,
  pairsOf,
  parseTopology,
  TOPOLOGY_ERROR_REASONS,
  TopologyError,
  validateTopology,
  type Topology,
} from '../src/wg/topology.js';
import type { StorageTier } from '../src/directory/record.js';

// WireGuard public keys made with node:crypto (X25519, raw 32 bytes, base64), as `wg pubkey` prints them.
const K1 = 'ZHlG44RyXsAbXwlO941im9I31ssmT0+TK+6hYzz6k2I=';
const K2 = 'WfpdpKlfA3b5TSnJlVV3WnrGoDyjMD3nGGxt7VdC8wI=';
const K3 = 'WX2+CA5ClmsMunADfwawVBsuroEB3Sm4PReIjQOiglk=';
const K4 = 'bZVq+mHPtNproBaCeWsoOiUdBoRrT/i5OBozX0VSTRg=';

// The example of spec/MESH.md §13.1, in both forms.
const EXAMPLE_YAML = `# a two-tier mesh: hubs peer with everyone, edges only with hubs
version: 1
tiers:
  core:
    peers: [core, edge]
    keyStorage: pkcs11
  edge:
    peers: [core]
nodes:
  hub-1:
    tier: core
    publicKey: ${K1}
    endpoint: 192.0.2.10:51820
    addresses: [10.100.0.1/24, fd10::1/64]
    allowedIps: [10.100.0.1/32, fd10::1/128]
  hub-2:
    tier: core
    publicKey: ${K2}
    endpoint: "[2001:db8::20]:51820"
    addresses: [10.100.0.2/24, fd10::2/64]
    allowedIps: [10.100.0.2/32, fd10::2/128, 10.20.0.0/16]
  edge-1:
    tier: edge
    publicKey: ${K3}
    endpoint: edge-1.example.net:51820
    addresses: [10.100.0.11/24]
    allowedIps: [10.100.0.11/32, 192.168.11.0/24]
  edge-2:
    tier: edge
    publicKey: ${K4}
    addresses: [10.100.0.12/24]
    allowedIps: [10.100.0.12/32, 192.168.12.0/24]
    keyStorage: pkcs11
peerings: derived
`;

const EXAMPLE_JSON = `{
  "version": 1,
  "tiers": {
    "core": { "peers": ["core", "edge"], "keyStorage": "pkcs11" },
    "edge": { "peers": ["core"] }
  },
  "nodes": {
    "hub-1": { "tier": "core", "publicKey": "${K1}", "endpoint": "192.0.2.10:51820",
               "addresses": ["10.100.0.1/24", "fd10::1/64"], "allowedIps": ["10.100.0.1/32", "fd10::1/128"] },
    "hub-2": { "tier": "core", "publicKey": "${K2}", "endpoint": "[2001:db8::20]:51820",
               "addresses": ["10.100.0.2/24", "fd10::2/64"], "allowedIps": ["10.100.0.2/32", "fd10::2/128", "10.20.0.0/16"] },
    "edge-1": { "tier": "edge", "publicKey": "${K3}", "endpoint": "edge-1.example.net:51820",
                "addresses": ["10.100.0.11/24"], "allowedIps": ["10.100.0.11/32", "192.168.11.0/24"] },
    "edge-2": { "tier": "edge", "publicKey": "${K4}",
                "addresses": ["10.100.0.12/24"], "allowedIps": ["10.100.0.12/32", "192.168.12.0/24"], "keyStorage": "pkcs11" }
  },
  "peerings": "derived"
}`;

// A mutable copy of the example as plain data, for the error cases.
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
function example(): Doc {
  return JSON.parse(EXAMPLE_JSON) as Doc;
}

/** What a problem looks like to a user: reason, path, message. */
function shape(e: TopologyError): [string, string, string] {
  return [e.reason, e.path, e.message];
}

/** Runs the document through JSON text: parse (schema) and validate; every problem found. */
function problemsOf(doc: Doc, storageTiers?: Map<string, StorageTier>): [string, string, string][] {
  let t: Topology;
  try {
    t = parseTopology(JSON.stringify(doc), { format: 'json' });
  } catch (e) {
    expect(e).toBeInstanceOf(TopologyError);
    return (e as TopologyError).problems.map(shape);
  }
  return validateTopology(t, storageTiers === undefined ? {} : { storageTiers }).map(shape);
}

function thrown(f: () => unknown): TopologyError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TopologyError);
    return e as TopologyError;
  }
  throw new Error('expected a TopologyError');
}

const DERIVED_PAIRS = [
  ['edge-1', 'hub-1'],
  ['edge-1', 'hub-2'],
  ['edge-2', 'hub-1'],
  ['edge-2', 'hub-2'],
  ['hub-1', 'hub-2'],
];

describe('valid topologies', () => {
  it('the JSON and YAML forms of the example parse to the same topology, which is valid', () => {
    const fromJson = parseTopology(EXAMPLE_JSON, { format: 'json' });
    const fromYaml = parseTopology(EXAMPLE_YAML, { format: 'yaml' });
    expect(fromYaml).toEqual(fromJson);
    expect(Object.keys(fromJson.nodes)).toEqual(['hub-1', 'hub-2', 'edge-1', 'edge-2']);
    expect(fromJson.tiers.edge).toEqual({ peers: ['core'], keyStorage: 'passphrase-file' }); // default filled in
    expect(fromJson.nodes['hub-2']).toEqual({
      tier: 'core',
      publicKey: K2,
      endpoint: '[2001:db8::20]:51820',
      addresses: ['10.100.0.2/24', 'fd10::2/64'],
      allowedIps: ['10.100.0.2/32', 'fd10::2/128', '10.20.0.0/16'],
    });
    expect(Object.isFrozen(fromJson) && Object.isFrozen(fromJson.nodes) && Object.isFrozen(fromJson.nodes['hub-1']!.allowedIps)).toBe(true);
    expect(validateTopology(fromJson)).toEqual([]);
    expect(validateTopology(fromYaml)).toEqual([]);
    // UTF-8 bytes are accepted as well as text.
    expect(parseTopology(new TextEncoder().encode(EXAMPLE_YAML), { format: 'yaml' })).toEqual(fromJson);
  });

  it('derived peerings: every pair whose tiers list each other (core-core, core-edge; not edge-edge)', () => {
    expect(pairsOf(parseTopology(EXAMPLE_YAML, { format: 'yaml' }))).toEqual(DERIVED_PAIRS);
  });

  it('explicit pairs and per-node lists give the same pairs, ordered by name', () => {
    const pairs = example();
    pairs.peerings = [
      ['hub-2', 'hub-1'],
      ['hub-1', 'edge-1'],
    ];
    expect(pairsOf(parseTopology(JSON.stringify(pairs), { format: 'json' }))).toEqual([
      ['edge-1', 'hub-1'],
      ['hub-1', 'hub-2'],
    ]);
    const lists = example();
    lists.peerings = { 'hub-1': ['hub-2', 'edge-1'], 'hub-2': ['hub-1'], 'edge-1': ['hub-1'] };
    expect(pairsOf(parseTopology(JSON.stringify(lists), { format: 'json' }))).toEqual([
      ['edge-1', 'hub-1'],
      ['hub-1', 'hub-2'],
    ]);
  });

  it('a topology built in code is validated like a parsed one', () => {
    const doc = example();
    doc.nodes['edge-2'].publicKey = K1;
    expect(validateTopology(doc as Topology).map(shape)).toEqual([
      ['duplicate-public-key', 'nodes.edge-2.publicKey', 'nodes.edge-2.publicKey: same public key as node "hub-1"'],
    ]);
    expect(() => pairsOf(doc as Topology)).toThrow('nodes.edge-2.publicKey: same public key as node "hub-1"');
    expect(pairsOf(example() as Topology)).toEqual(DERIVED_PAIRS);
  });

  it('a node or tier named like an Object.prototype member is only itself', () => {
    const doc = example();
    doc.tiers.constructor = { peers: ['constructor'] };
    doc.nodes.constructor = { tier: 'constructor', publicKey: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', addresses: ['10.9.0.1/32'], allowedIps: ['10.9.0.1/32'] };
    doc.nodes.tostring = { tier: 'constructor', publicKey: 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=', addresses: ['10.9.0.2/32'], allowedIps: ['10.9.0.2/32'] };
    expect(problemsOf(doc)).toEqual([]);
    expect(pairsOf(parseTopology(JSON.stringify(doc), { format: 'json' }))).toContainEqual(['constructor', 'tostring']);
    doc.peerings = { 'hub-1': ['toString'] };
    expect(problemsOf(doc)).toEqual([['schema', 'peerings.hub-1[0]', 'peerings.hub-1[0]: expected a node name (a name of 1 to 64 characters a-z 0-9 - (spec/MESH.md §3))']]);
    doc.peerings = { 'hub-1': ['constructor'] };
    expect(problemsOf(doc)).toEqual([
      ['asymmetric-peering', 'peerings.hub-1[0]', 'peerings.hub-1[0]: node "hub-1" lists "constructor" but peerings.constructor does not list "hub-1"'],
    ]);
  });
});

describe('one test per error reason', () => {
  const covered = new Set<string>();
  const expectOnly = (got: [string, string, string][], want: [string, string, string][]): void => {
    expect(got).toEqual(want);
    for (const [reason] of want) covered.add(reason);
  };

  it('too-large: the size is checked before parsing (bytes, strings, multi-byte text); exactly the limit passes', () => {
    const bytes = thrown(() => parseTopology(new Uint8Array(MAX_TOPOLOGY_BYTES + 1), { format: 'yaml' }));
    expectOnly([shape(bytes)], [['too-large', '', 'topology: 1048577 bytes, at most 1048576']]);
    const long = thrown(() => parseTopology(' '.repeat(MAX_TOPOLOGY_BYTES + 1), { format: 'json' }));
    expect(shape(long)).toEqual(['too-large', '', 'topology: at least 1048577 bytes, at most 1048576']);
    // 524,289 two-byte characters: fewer UTF-16 units than the limit, more UTF-8 bytes.
    const wide = thrown(() => parseTopology('é'.repeat(MAX_TOPOLOGY_BYTES / 2 + 1), { format: 'yaml' }));
    expect(shape(wide)).toEqual(['too-large', '', 'topology: 1048578 bytes, at most 1048576']);
    const exact = EXAMPLE_JSON + ' '.repeat(MAX_TOPOLOGY_BYTES - EXAMPLE_JSON.length);
    expect(Buffer.byteLength(exact)).toBe(MAX_TOPOLOGY_BYTES);
    expect(parseTopology(exact, { format: 'json' })).toEqual(parseTopology(EXAMPLE_JSON, { format: 'json' }));
  });

  it('syntax: text that is not JSON or not YAML (or not UTF-8)', () => {
    const json = thrown(() => parseTopology('{"version": 1,', { format: 'json' }));
    expect([json.reason, json.path]).toEqual(['syntax', '']);
    expect(json.message.startsWith('topology: not JSON: ')).toBe(true);
    const yaml = thrown(() => parseTopology('version: [1\n', { format: 'yaml' }));
    expect([yaml.reason, yaml.path]).toEqual(['syntax', '']);
    expect(yaml.message.startsWith('topology: not YAML: ')).toBe(true);
    const twoDocs = thrown(() => parseTopology('version: 1\n---\nversion: 1\n', { format: 'yaml' }));
    expect(twoDocs.reason).toBe('syntax');
    expectOnly([shape(thrown(() => parseTopology(new Uint8Array([0x7b, 0xff, 0x7d]), { format: 'json' })))], [['syntax', '', 'topology: not UTF-8 text']]);
    // Deep nesting is refused from the lexer's tokens, before the parser (slow on it) runs; 16 levels pass the check.
    const deep: [string, string, string] = ['syntax', '', 'topology: YAML nested more than 16 levels (a topology needs 4)'];
    expect(shape(thrown(() => parseTopology('['.repeat(17), { format: 'yaml' })))).toEqual(deep);
    expect(shape(thrown(() => parseTopology('a:\n' + '- '.repeat(17) + 'x\n', { format: 'yaml' })))).toEqual(deep);
    expect(shape(thrown(() => parseTopology('['.repeat(200_000), { format: 'yaml' })))).toEqual(deep);
    expect(thrown(() => parseTopology(`a: ${'['.repeat(16)}x${']'.repeat(16)}`, { format: 'yaml' })).reason).toBe('schema');
  });

  it('alias-limit: a YAML alias expansion bomb is refused, a few aliases are fine', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, cur] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
      bomb.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const e = thrown(() => parseTopology(bomb.join('\n'), { format: 'yaml' }));
    expectOnly(
      [shape(e)],
      [['alias-limit', '', 'topology: YAML aliases expand beyond the limit of 100 (an alias expansion attack, or a document to write without anchors)']],
    );
    // An anchor used a few times is ordinary YAML.
    const withAlias = EXAMPLE_YAML.replace('  edge:\n    peers: [core]\n', '  edge:\n    peers: &c [core]\n  dmz:\n    peers: *c\n  lab:\n    peers: *c\n');
    expect(parseTopology(withAlias, { format: 'yaml' }).tiers).toEqual({
      core: { peers: ['core', 'edge'], keyStorage: 'pkcs11' },
      edge: { peers: ['core'], keyStorage: 'passphrase-file' },
      dmz: { peers: ['core'], keyStorage: 'passphrase-file' },
      lab: { peers: ['core'], keyStorage: 'passphrase-file' },
    });
  });

  it('duplicate-key: a key twice in one mapping, in JSON and in YAML, at the same path', () => {
    const json = EXAMPLE_JSON.replace('"edge-2": {', '"edge-1": {');
    const j = thrown(() => parseTopology(json, { format: 'json' }));
    const yaml = EXAMPLE_YAML.replace('  edge-2:\n', '  edge-1:\n');
    const y = thrown(() => parseTopology(yaml, { format: 'yaml' }));
    const want: [string, string, string] = ['duplicate-key', 'nodes.edge-1', 'nodes.edge-1: "edge-1" appears twice in this mapping'];
    expectOnly([shape(j)], [want]);
    expect(shape(y)).toEqual(want);
    const inner = thrown(() => parseTopology('{"version": 1, "version": 1, "tiers": {"a": {"peers": [], "peers": []}}}', { format: 'json' }));
    expect(inner.problems.map(shape)).toEqual([
      ['duplicate-key', 'version', 'version: "version" appears twice in this mapping'],
      ['duplicate-key', 'tiers.a.peers', 'tiers.a.peers: "peers" appears twice in this mapping'],
    ]);
    // An escaped spelling of the same name is the same name.
    expect(thrown(() => parseTopology('{"a": 1, "\\u0061": 2}', { format: 'json' })).path).toBe('a');
  });

  it('schema: unknown fields, wrong types, missing fields and bad values are all reported', () => {
    const doc = example();
    doc.mtu = 1420;
    doc.nodes['hub-1'].mtu = 1420;
    doc.nodes['hub-1'].allowedIps = '10.100.0.1/32';
    delete doc.nodes['hub-2'].tier;
    doc.nodes['edge-1'].publicKey = 'not a key';
    doc.nodes['edge-1'].endpoint = '2001:db8::1:51820';
    doc.nodes['edge-2'].addresses = ['10.100.0.12'];
    doc.nodes['edge-2'].allowedIps = ['192.168.12.1/24', 7];
    doc.tiers.edge.keyStorage = 'tpm';
    doc.nodes.Hub = {};
    const problems = problemsOf(doc);
    expectOnly(problems, [
      ['schema', 'mtu', 'mtu: unknown field (expected version, tiers, nodes, peerings)'],
      ['schema', 'tiers.edge.keyStorage', 'tiers.edge.keyStorage: expected one of "passphrase-file", "pkcs11"'],
      ['schema', 'nodes.Hub', 'nodes.Hub: expected a name of 1 to 64 characters a-z 0-9 - (spec/MESH.md §3) as the node name'],
      ['schema', 'nodes.hub-1.mtu', 'nodes.hub-1.mtu: unknown field (expected tier, publicKey, endpoint, addresses, allowedIps, keyStorage)'],
      ['schema', 'nodes.hub-1.allowedIps', 'nodes.hub-1.allowedIps: expected a list, got a string'],
      ['schema', 'nodes.hub-2', 'nodes.hub-2: missing field "tier"'],
      ['schema', 'nodes.edge-1.publicKey', 'nodes.edge-1.publicKey: expected a WireGuard public key: the base64 of 32 bytes, 44 characters (as `wg pubkey` prints)'],
      ['schema', 'nodes.edge-1.endpoint', 'nodes.edge-1.endpoint: expected HOST:PORT (an IPv4 address or DNS name, or [IPv6 address]; port 1-65535)'],
      ['schema', 'nodes.edge-2.addresses[0]', 'nodes.edge-2.addresses[0]: "10.100.0.12" is not ADDRESS/PREFIX (IPv4 or IPv6)'],
      ['schema', 'nodes.edge-2.allowedIps[0]', 'nodes.edge-2.allowedIps[0]: "192.168.12.1/24" has host bits set (the network is 192.168.12.0/24)'],
      ['schema', 'nodes.edge-2.allowedIps[1]', 'nodes.edge-2.allowedIps[1]: expected a string, got a number'],
    ]);
    const e = thrown(() => parseTopology(JSON.stringify(doc), { format: 'json' }));
    expect(e.message).toBe('mtu: unknown field (expected version, tiers, nodes, peerings) (and 10 more problems)');
    expect(e.code).toBe('ERR_INVALID_ARGUMENT');
    expect(problemsOf({ ...example(), version: 2 })).toEqual([['schema', 'version', 'version: unsupported version 2 (expected 1)']]);
    expect(problemsOf({ ...example(), peerings: 'all' })).toEqual([
      ['schema', 'peerings', 'peerings: expected "derived", a list of pairs, or a mapping of node names to peer lists, got "all"'],
    ]);
    expect(problemsOf({ ...example(), peerings: [['hub-1', 'hub-2', 'edge-1']] })).toEqual([
      ['schema', 'peerings[0]', 'peerings[0]: expected a pair of node names [A, B], got a list of 3'],
    ]);
    expect(thrown(() => parseTopology('[]', { format: 'json' })).message).toBe('topology: expected a mapping, got a list');
  });

  it('schema: endpoints and keys (table)', () => {
    const endpoint = (v: string): number => {
      const doc = example();
      doc.nodes['hub-1'].endpoint = v;
      return problemsOf(doc).length;
    };
    for (const good of ['192.0.2.1:51820', '[2001:db8::1]:1', 'wg.example.net:65535', 'localhost:51820', '[::ffff:192.0.2.1]:51820']) expect([good, endpoint(good)]).toEqual([good, 0]);
    for (const bad of ['192.0.2.1', '192.0.2.1:0', '192.0.2.1:65536', '192.0.2.1:051820', '2001:db8::1:51820', '[192.0.2.1]:51820', '300.1.1.1:51820', '-a.example:1', 'a..b:1', '[fe80::1%eth0]:1', ' 192.0.2.1:1']) {
      expect([bad, endpoint(bad)]).toEqual([bad, 1]);
    }
    const key = (v: string): number => {
      const doc = example();
      doc.nodes['hub-1'].publicKey = v;
      return problemsOf(doc).length;
    };
    expect(key(Buffer.alloc(32, 0xa5).toString('base64'))).toBe(0);
    expect(key(Buffer.alloc(31, 1).toString('base64'))).toBe(1); // 31 bytes
    expect(key(Buffer.alloc(33, 1).toString('base64'))).toBe(1); // 33 bytes
    expect(key(K1.slice(0, 42) + 'J=')).toBe(1); // not canonical: the last character carries bits beyond 32 bytes
    expect(key(K1.replace('+', '-'))).toBe(1); // base64url is not what wg prints
  });

  it('unknown-tier: a node of an undefined tier, a tier that lists an undefined tier', () => {
    const doc = example();
    doc.nodes['edge-1'].tier = 'dmz';
    doc.tiers.edge.peers = ['core', 'lab'];
    expectOnly(problemsOf(doc), [
      ['unknown-tier', 'tiers.edge.peers[1]', 'tiers.edge.peers[1]: tier "lab" is not defined'],
      ['unknown-tier', 'nodes.edge-1.tier', 'nodes.edge-1.tier: tier "dmz" is not defined'],
    ]);
  });

  it('asymmetric-tier-peering: a tier lists another that does not list it', () => {
    const doc = example();
    doc.tiers.dmz = { peers: ['core'] };
    expectOnly(problemsOf(doc), [
      ['asymmetric-tier-peering', 'tiers.dmz.peers[0]', 'tiers.dmz.peers[0]: tier "dmz" lists "core" but tiers.core.peers does not list "dmz"'],
    ]);
  });

  it('unknown-node: a pair or a per-node list that names an undefined node', () => {
    const doc = example();
    doc.peerings = [
      ['hub-1', 'hub-2'],
      ['hub-1', 'edge-1'],
      ['edge-2', 'hub-2'],
      ['hub-1', 'db-2'],
    ];
    expectOnly(problemsOf(doc), [['unknown-node', 'peerings[3][1]', 'peerings[3][1]: node "db-2" is not defined']]);
    doc.peerings = { 'hub-1': ['hub-2'], 'hub-2': ['hub-1', 'db-2'], 'db-3': [] };
    expect(problemsOf(doc)).toEqual([
      ['unknown-node', 'peerings.hub-2[1]', 'peerings.hub-2[1]: node "db-2" is not defined'],
      ['unknown-node', 'peerings.db-3', 'peerings.db-3: node "db-3" is not defined'],
    ]);
  });

  it('self-peering: a node paired with itself', () => {
    const doc = example();
    doc.peerings = [['hub-1', 'hub-1']];
    expectOnly(problemsOf(doc), [['self-peering', 'peerings[0]', 'peerings[0]: node "hub-1" cannot peer with itself']]);
    doc.peerings = { 'hub-1': ['hub-1'] };
    expect(problemsOf(doc)).toEqual([['self-peering', 'peerings.hub-1[0]', 'peerings.hub-1[0]: node "hub-1" cannot peer with itself']]);
  });

  it('duplicate-peering: the same pair twice, in either order', () => {
    const doc = example();
    doc.peerings = [
      ['hub-1', 'hub-2'],
      ['hub-1', 'edge-1'],
      ['hub-2', 'hub-1'],
    ];
    expectOnly(problemsOf(doc), [['duplicate-peering', 'peerings[2]', 'peerings[2]: the pair "hub-2", "hub-1" is already peerings[0]']]);
    doc.peerings = { 'hub-1': ['hub-2', 'hub-2'], 'hub-2': ['hub-1'] };
    expect(problemsOf(doc)).toEqual([['duplicate-peering', 'peerings.hub-1[1]', 'peerings.hub-1[1]: "hub-2" is already peerings.hub-1[0]']]);
  });

  it('asymmetric-peering: A lists B, B does not list A (per-node lists)', () => {
    const doc = example();
    doc.peerings = { 'hub-1': ['hub-2', 'edge-1'], 'hub-2': ['hub-1'], 'edge-1': [] };
    expectOnly(problemsOf(doc), [
      ['asymmetric-peering', 'peerings.hub-1[1]', 'peerings.hub-1[1]: node "hub-1" lists "edge-1" but peerings.edge-1 does not list "hub-1"'],
    ]);
    doc.peerings = { 'edge-2': ['hub-2'] }; // hub-2 has no list at all
    expect(problemsOf(doc)).toEqual([
      ['asymmetric-peering', 'peerings.edge-2[0]', 'peerings.edge-2[0]: node "edge-2" lists "hub-2" but peerings.hub-2 does not list "edge-2"'],
    ]);
  });

  it('forbidden-peering: a pair whose tiers may not peer', () => {
    const doc = example();
    doc.peerings = [
      ['hub-1', 'edge-1'],
      ['edge-1', 'edge-2'],
    ];
    expectOnly(problemsOf(doc), [
      ['forbidden-peering', 'peerings[1]', 'peerings[1]: tier "edge" of node "edge-1" may not peer with tier "edge" of node "edge-2"'],
    ]);
    doc.peerings = { 'edge-2': ['edge-1'], 'edge-1': ['edge-2'] };
    expect(problemsOf(doc)).toEqual([
      ['forbidden-peering', 'peerings.edge-1[0]', 'peerings.edge-1[0]: tier "edge" of node "edge-1" may not peer with tier "edge" of node "edge-2"'],
    ]);
  });

  it('duplicate-public-key: two nodes with one WireGuard key', () => {
    const doc = example();
    doc.nodes['edge-2'].publicKey = K1;
    doc.nodes['edge-1'].publicKey = K1;
    expectOnly(problemsOf(doc), [
      ['duplicate-public-key', 'nodes.edge-1.publicKey', 'nodes.edge-1.publicKey: same public key as node "hub-1"'],
      ['duplicate-public-key', 'nodes.edge-2.publicKey', 'nodes.edge-2.publicKey: same public key as node "hub-1"'],
    ]);
  });

  it('duplicate-address: one address (in any spelling, any prefix) on two nodes', () => {
    const doc = example();
    doc.nodes['hub-2'].addresses = ['10.100.0.2/24', 'fd10:0:0:0:0:0:0:1/64'];
    doc.nodes['hub-2'].allowedIps = ['10.100.0.2/32', 'fd10::2/128'];
    doc.nodes['edge-2'].addresses = ['10.100.0.12/24', '10.100.0.1/16'];
    doc.nodes['edge-2'].allowedIps = ['10.100.0.12/32', '192.168.12.0/24'];
    expectOnly(problemsOf(doc), [
      ['duplicate-address', 'nodes.hub-2.addresses[1]', 'nodes.hub-2.addresses[1]: address fd10::1 is also nodes.hub-1.addresses[1]'],
      ['address-outside-allowed-ips', 'nodes.hub-2.addresses[1]', "nodes.hub-2.addresses[1]: address fd10::1 is in none of the node's allowedIps, so its peers would not route it to the node"],
      ['duplicate-address', 'nodes.edge-2.addresses[1]', 'nodes.edge-2.addresses[1]: address 10.100.0.1 is also nodes.hub-1.addresses[0]'],
      ['address-outside-allowed-ips', 'nodes.edge-2.addresses[1]', "nodes.edge-2.addresses[1]: address 10.100.0.1 is in none of the node's allowedIps, so its peers would not route it to the node"],
    ]);
  });

  it('address-outside-allowed-ips: a tunnel address its peers would not route to it', () => {
    const doc = example();
    doc.nodes['edge-1'].addresses = ['10.100.0.13/24'];
    expectOnly(problemsOf(doc), [
      ['address-outside-allowed-ips', 'nodes.edge-1.addresses[0]', "nodes.edge-1.addresses[0]: address 10.100.0.13 is in none of the node's allowedIps, so its peers would not route it to the node"],
    ]);
    // 10.100.0.8/29 (.8-.15) holds .13, and also edge-2's .12: that is an overlap.
    doc.nodes['edge-1'].allowedIps = ['10.100.0.8/29', '192.168.11.0/24'];
    expect(problemsOf(doc)).toEqual([
      ['overlapping-allowed-ips', 'nodes.edge-2.allowedIps[0]', 'nodes.edge-2.allowedIps[0]: 10.100.0.12/32 overlaps 10.100.0.8/29 of node "edge-1" (nodes.edge-1.allowedIps[0])'],
    ]);
    doc.nodes['edge-1'].allowedIps = ['10.100.0.13/32', '192.168.11.0/24'];
    expect(problemsOf(doc)).toEqual([]);
  });

  it('overlapping-allowed-ips: IPv4, reported at the later prefix, naming the earlier; overlaps within one node are not', () => {
    const doc = example();
    doc.nodes['edge-2'].allowedIps = ['10.100.0.12/32', '192.168.12.0/24', '192.168.0.0/16'];
    expectOnly(problemsOf(doc), [
      ['overlapping-allowed-ips', 'nodes.edge-2.allowedIps[2]', 'nodes.edge-2.allowedIps[2]: 192.168.0.0/16 overlaps 192.168.11.0/24 of node "edge-1" (nodes.edge-1.allowedIps[1])'],
    ]);
    doc.nodes['edge-1'].allowedIps = ['10.100.0.11/32', '0.0.0.0/0'];
    expect(problemsOf(doc)).toEqual([
      ['overlapping-allowed-ips', 'nodes.edge-1.allowedIps[1]', 'nodes.edge-1.allowedIps[1]: 0.0.0.0/0 overlaps 10.100.0.1/32 of node "hub-1" (nodes.hub-1.allowedIps[0])'],
      ['overlapping-allowed-ips', 'nodes.edge-1.allowedIps[1]', 'nodes.edge-1.allowedIps[1]: 0.0.0.0/0 overlaps 10.100.0.2/32 of node "hub-2" (nodes.hub-2.allowedIps[0])'],
      ['overlapping-allowed-ips', 'nodes.edge-1.allowedIps[1]', 'nodes.edge-1.allowedIps[1]: 0.0.0.0/0 overlaps 10.20.0.0/16 of node "hub-2" (nodes.hub-2.allowedIps[2])'],
      ['overlapping-allowed-ips', 'nodes.edge-2.allowedIps[0]', 'nodes.edge-2.allowedIps[0]: 10.100.0.12/32 overlaps 0.0.0.0/0 of node "edge-1" (nodes.edge-1.allowedIps[1])'],
      ['overlapping-allowed-ips', 'nodes.edge-2.allowedIps[1]', 'nodes.edge-2.allowedIps[1]: 192.168.12.0/24 overlaps 0.0.0.0/0 of node "edge-1" (nodes.edge-1.allowedIps[1])'],
      ['overlapping-allowed-ips', 'nodes.edge-2.allowedIps[2]', 'nodes.edge-2.allowedIps[2]: 192.168.0.0/16 overlaps 0.0.0.0/0 of node "edge-1" (nodes.edge-1.allowedIps[1])'],
    ]);
  });

  it('overlapping-allowed-ips: IPv6 (every spelling), and the families never overlap each other', () => {
    const doc = example();
    doc.nodes['hub-2'].allowedIps = ['10.100.0.2/32', 'fd10::2/128', 'FD10:0000::/64'];
    expect(problemsOf(doc)).toEqual([
      ['overlapping-allowed-ips', 'nodes.hub-2.allowedIps[2]', 'nodes.hub-2.allowedIps[2]: fd10::/64 overlaps fd10::1/128 of node "hub-1" (nodes.hub-1.allowedIps[1])'],
    ]);
    // ::/0 takes every IPv6 address and no IPv4 one; ::ffff:10.100.0.1 (IPv4-mapped) is an IPv6 address, a separate table in WireGuard.
    doc.nodes['hub-2'].allowedIps = ['10.100.0.2/32', 'fd10::2/128'];
    doc.nodes['edge-1'].allowedIps = ['10.100.0.11/32', '::ffff:10.100.0.1/128', '::ffff:10.100.0.0/120', '2001:db8::/32'];
    doc.nodes['edge-2'].allowedIps = ['10.100.0.12/32', '2001:db9::/32', '2001:db8:ffff:ffff::/64'];
    expect(problemsOf(doc)).toEqual([
      ['overlapping-allowed-ips', 'nodes.edge-2.allowedIps[2]', 'nodes.edge-2.allowedIps[2]: 2001:db8:ffff:ffff::/64 overlaps 2001:db8::/32 of node "edge-1" (nodes.edge-1.allowedIps[3])'],
    ]);
    doc.nodes['edge-2'].allowedIps = ['10.100.0.12/32', '::/0'];
    expect(problemsOf(doc).map((p) => p[2])).toEqual([
      'nodes.edge-2.allowedIps[1]: ::/0 overlaps fd10::1/128 of node "hub-1" (nodes.hub-1.allowedIps[1])',
      'nodes.edge-2.allowedIps[1]: ::/0 overlaps fd10::2/128 of node "hub-2" (nodes.hub-2.allowedIps[1])',
      'nodes.edge-2.allowedIps[1]: ::/0 overlaps ::ffff:10.100.0.1/128 of node "edge-1" (nodes.edge-1.allowedIps[1])',
      'nodes.edge-2.allowedIps[1]: ::/0 overlaps ::ffff:10.100.0.0/120 of node "edge-1" (nodes.edge-1.allowedIps[2])',
      'nodes.edge-2.allowedIps[1]: ::/0 overlaps 2001:db8::/32 of node "edge-1" (nodes.edge-1.allowedIps[3])',
    ]);
  });

  it("key-storage-below-tier: a node's own requirement below its tier's", () => {
    const doc = example();
    doc.nodes['hub-1'].keyStorage = 'passphrase-file';
    expectOnly(problemsOf(doc), [
      ['key-storage-below-tier', 'nodes.hub-1.keyStorage', 'nodes.hub-1.keyStorage: "passphrase-file" is below "pkcs11", which tier "core" requires'],
    ]);
  });

  it("insufficient-key-storage: a node's identity (its record's tier) below what its tier or itself requires", () => {
    const stored = new Map<string, StorageTier>([
      ['hub-1', 'pkcs11'],
      ['hub-2', 'passphrase-file'],
      ['edge-1', 'passphrase-file'],
      ['edge-2', 'passphrase-file'],
    ]);
    expectOnly(problemsOf(example(), stored), [
      ['insufficient-key-storage', 'nodes.hub-2', 'nodes.hub-2: key storage "passphrase-file" is below "pkcs11", required by tier "core"'],
      ['insufficient-key-storage', 'nodes.edge-2', 'nodes.edge-2: key storage "passphrase-file" is below "pkcs11", required by the node'],
    ]);
    // Not known (no record): only a problem where more than the lowest tier is required.
    expect(problemsOf(example(), new Map([['edge-2', 'pkcs11'], ['hub-2', 'pkcs11']]))).toEqual([
      ['insufficient-key-storage', 'nodes.hub-1', 'nodes.hub-1: key storage unknown (no record), "pkcs11" required by tier "core"'],
    ]);
    expect(problemsOf(example(), new Map([['hub-1', 'pkcs11'], ['hub-2', 'pkcs11'], ['edge-2', 'pkcs11']]))).toEqual([]);
    expect(() => validateTopology(parseTopology(EXAMPLE_JSON, { format: 'json' }), { storageTiers: new Map([['hub-1', 'tpm' as StorageTier]]) })).toThrow(
      'storageTiers',
    );
  });

  it('covers every reason of the table', () => {
    expect([...covered].sort()).toEqual([...TOPOLOGY_ERROR_REASONS].sort());
  });
});

describe('CIDR overlap against an address-enumeration oracle', () => {
  // The oracle knows only the definition: an address belongs to A/P when its first P bits equal A's.
  const bitsOf = (value: number, width: number): string => value.toString(2).padStart(width, '0');
  const member = (addrBits: string, netBits: string, prefix: number): boolean => addrBits.slice(0, prefix) === netBits.slice(0, prefix);

  it('IPv4 prefixes /23-/32 inside 10.0.0.0/23 (512 addresses enumerated)', () => {
    const arb = fc.record({ host: fc.integer({ min: 0, max: 511 }), prefix: fc.integer({ min: 23, max: 32 }) });
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const text = (x: { host: number; prefix: number }): string => `10.0.${x.host >> 8}.${x.host & 255}/${x.prefix}`;
        const ca = parseCidr(text(a))!;
        const cb = parseCidr(text(b))!;
        const full = (host: number): string => bitsOf(10, 8) + bitsOf(0, 8) + bitsOf(host, 16);
        let oracle = false;
        for (let v = 0; v < 512 && !oracle; v++) oracle = member(full(v), full(a.host), a.prefix) && member(full(v), full(b.host), b.prefix);
        expect(cidrsOverlap(ca, cb)).toBe(oracle);
        expect(cidrsOverlap(cb, ca)).toBe(oracle);
      }),
      { numRuns: 400 },
    );
  });

  it('IPv6 prefixes /119-/128 inside fd00::/119, written compressed or in full', () => {
    const arb = fc.record({ host: fc.integer({ min: 0, max: 511 }), prefix: fc.integer({ min: 119, max: 128 }), full: fc.boolean() });
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const text = (x: { host: number; prefix: number; full: boolean }): string =>
          x.full ? `fd00:0000:0000:0000:0000:0000:0000:${x.host.toString(16).padStart(4, '0')}/${x.prefix}` : `fd00::${x.host.toString(16)}/${x.prefix}`;
        const ca = parseCidr(text(a))!;
        const cb = parseCidr(text(b))!;
        const full = (host: number): string => bitsOf(0xfd00, 16) + '0'.repeat(96) + bitsOf(host, 16);
        let oracle = false;
        for (let v = 0; v < 512 && !oracle; v++) oracle = member(full(v), full(a.host), a.prefix) && member(full(v), full(b.host), b.prefix);
        expect(cidrsOverlap(ca, cb)).toBe(oracle);
      }),
      { numRuns: 400 },
    );
  });

  it('parses the forms it should and refuses the rest', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, address: 0x0a010203n, network: 0x0a000000n, prefix: 8 });
    expect(parseCidr('::ffff:1.2.3.4/96')).toEqual({ family: 6, address: 0xffff01020304n, network: 0xffff00000000n, prefix: 96 });
    expect(parseCidr('2001:db8::1/128')!.address).toBe(0x20010db8000000000000000000000001n);
    expect(parseCidr('1::/16')!.network).toBe(1n << 112n);
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 4, address: 0n, network: 0n, prefix: 0 });
    for (const bad of ['10.0.0.1', '10.0.0.1/33', '10.0.0.01/8', '10.0.0.1/08', '10.0.0.1/-1', '10.0.0.1/ 8', '::1/129', 'fe80::1%eth0/64', '10.0.0.1/8/8', 'x/8', '/8']) {
      expect([bad, parseCidr(bad)]).toEqual([bad, undefined]);
    }
  });
});

describe('spec/MESH.md §13', () => {
  const spec = readFileSync(new URL('../../../spec/MESH.md', import.meta.url), 'utf8');
  const section = spec.slice(spec.indexOf('## 13. Topology'), spec.indexOf('## 14.'));

  it('§13.1 shows the example this file tests, and its other two peering forms give the same pairs', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    expect(example).toBe(EXAMPLE_YAML);
    const pairsForm = /`(peerings: \[\[[^`]*)`/.exec(section)![1]!;
    const listsForm = /`(peerings: \{[^`]*)`/.exec(section)![1]!;
    for (const form of [pairsForm, listsForm]) {
      expect(pairsOf(parseTopology(EXAMPLE_YAML.replace('peerings: derived\n', `${form}\n`), { format: 'yaml' }))).toEqual(DERIVED_PAIRS);
    }
  });

  it('§13.4 lists every reason, in the order of the table in the code', () => {
    const table = section.slice(section.indexOf('### 13.4'), section.indexOf('### 13.5'));
    const reasons = [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(reasons).toEqual([...TOPOLOGY_ERROR_REASONS]);
  });
});

describe('duplicate JSON members', () => {
  // A generated tree of objects and arrays, written out by hand so that names may repeat; the oracle is the tree itself.
  type Tree = { obj: [string, Tree][] } | { arr: Tree[] } | { str: string } | { num: number };
  const { tree } = fc.letrec<{ tree: Tree }>((t) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ str: fc.string({ unit: fc.constantFrom('a', '{', '}', '[', ']', ',', ':', '"', '\\', 'é', ' ') }) }),
      fc.record({ num: fc.integer() }),
      fc.record({ obj: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'a\u0000', '{"}', 'a\\'), t('tree')), { maxLength: 4 }) }),
      fc.record({ arr: fc.array(t('tree'), { maxLength: 3 }) }),
    ),
  }));
  const write = (x: Tree): string =>
    'obj' in x ? `{ ${x.obj.map(([k, v]) => `${JSON.stringify(k)} : ${write(v)}`).join(' , ')} }`
    : 'arr' in x ? `[${x.arr.map(write).join(',')}]`
    : 'str' in x ? JSON.stringify(x.str)
    : String(x.num);
  const expected = (x: Tree, path: (string | number)[]): { path: (string | number)[]; name: string }[] => {
    if ('arr' in x) return x.arr.flatMap((v, i) => expected(v, [...path, i]));
    if (!('obj' in x)) return [];
    const out: { path: (string | number)[]; name: string }[] = [];
    const seen = new Set<string>();
    for (const [k, v] of x.obj) {
      if (seen.has(k)) out.push({ path: [...path, k], name: k });
      seen.add(k);
      out.push(...expected(v, [...path, k]));
    }
    return out;
  };

  it('finds exactly the repeated names, with their paths, whatever the strings hold', () => {
    fc.assert(
      fc.property(tree, (x) => {
        const text = write(x);
        JSON.parse(text); // the scanner's precondition
        expect(findDuplicateJsonMembers(text)).toEqual(expected(x, []));
      }),
      { numRuns: 300 },
    );
  });
});
