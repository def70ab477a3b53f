/**
 * The workerd worker for the signature test, on the package's `workerd`
 * entry: workerd refuses to compile bytes at run time, so the worker imports
 * `@hybridkem/wasm/hybridkem-signing.wasm` as a module (compiled by workerd
 * at load) and hands it to initSigning, as the README says. POST the
 * published vectors (JSON) and it answers with what it computed.
 * @module
 */
import { initSigning, signatureBackend } from '@hybridkem/wasm';
import signingModule from '@hybridkem/wasm/hybridkem-signing.wasm';
import { runSignatureVectors, type SignatureVector } from './run-signature-vectors.js';

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('ready\n');
    try {
      const ready = await initSigning(signingModule);
      if ((await signatureBackend) !== ready) throw new Error('await signatureBackend resolved to another backend than initSigning');
      const vectors = (await request.json()) as SignatureVector[];
      return Response.json(runSignatureVectors(ready, vectors, 'workerd'));
    } catch (err) {
      const error = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
      return Response.json({ error }, { status: 500 });
    }
  },
};
