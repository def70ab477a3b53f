/** The in-process distribution (spec/MESH.md §7.5): the shared contract, hubs and URLs. */
import { describe, expect, it } from 'vitest';
import { connectDistribution, createMemoryDistribution, DistributionError, parseNatsUrl } from '../src/distribution/index.js';
import { distributionContract } from './support/distribution-contract.js';

describe('memory distribution', () => {
  distributionContract(async () => createMemoryDistribution({ redeliveryDelayMs: 200 }), 200);

  it('memory:NAME shares one hub within the process; memory: makes a new one', async () => {
    const a = await connectDistribution('memory:shared-test');
    const b = await connectDistribution('memory:shared-test');
    const c = await connectDistribution('memory:');
    try {
      expect(a.kind).toBe('memory');
      await a.directory.put('node', 'n', new Uint8Array([1]));
      expect((await b.directory.get('node', 'n'))?.bytes).toEqual(new Uint8Array([1]));
      expect(await c.directory.get('node', 'n')).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('a closed distribution refuses work', async () => {
    const d = createMemoryDistribution();
    await d.close();
    await expect(d.publish('n', new Uint8Array([1]), '00'.repeat(16))).rejects.toBeInstanceOf(DistributionError);
  });
});

describe('connectDistribution URLs', () => {
  it('parses nats:// lists and refuses anything else', async () => {
    expect(parseNatsUrl('nats://127.0.0.1:4222')).toEqual(['nats://127.0.0.1:4222']);
    expect(parseNatsUrl('nats://127.0.0.1:1,nats://127.0.0.1:2,localhost:3')).toEqual(['nats://127.0.0.1:1', 'nats://127.0.0.1:2', 'nats://localhost:3']);
    for (const bad of ['nats://', 'nats://host', 'nats://h:0', 'nats://h:70000', 'nats://a b:1', 'http://h:1']) {
      expect(() => parseNatsUrl(bad), bad).toThrow(DistributionError);
    }
    await expect(connectDistribution('redis://h:1')).rejects.toMatchObject({ failure: 'url' });
    await expect(connectDistribution('memory:no/slash')).rejects.toMatchObject({ failure: 'url' });
  });
});
