/**
 * The workerd worker on `@hybridkem/wasm/lite`: workerd refuses to compile
 * bytes at run time, so the worker imports `@hybridkem/wasm/hybridkem.wasm`
 * as a module (compiled by workerd at load) and hands it to initWasm. POST
 * the vectors (JSON) and it answers with the summary of running them.
 * @module
 */
import { backend, initWasm } from '@hybridkem/wasm/lite';
import wasmModule from '@hybridkem/wasm/hybridkem.wasm';
import { runVectors, type Answer } from './run-vectors.js';

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('ready\n');
    try {
      const ready = await initWasm(wasmModule);
      if (ready !== backend) throw new Error('initWasm() resolved to another backend');
      const answers = (await request.json()) as Answer[];
      return Response.json(runVectors(ready, answers, 'workerd (lite)'));
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
      return Response.json({ error }, { status: 500 });
    }
  },
};
