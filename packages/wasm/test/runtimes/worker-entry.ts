/**
 * The workerd worker: POST the vectors (JSON) and it answers with the summary
 * of running them. Bundled with the `workerd` export condition; the .wasm the
 * package imports stays a module of its own, listed in the config.
 * @module
 */
import { backend } from './backend.js';
import { runVectors, type Answer } from './run-vectors.js';

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('ready\n');
    try {
      const answers = (await request.json()) as Answer[];
      return Response.json(runVectors(await backend, answers, 'workerd'));
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
      return Response.json({ error }, { status: 500 });
    }
  },
};
