/**
 * A vitest setup file (`setupFiles: ['@hybridkem/core/testing/setup']`):
 * after each test file, every process group it started with spawnProcess and
 * did not stop (a test that failed or timed out first) is stopped.
 * @module
 */
import { afterAll } from 'vitest';
import { stopAllProcesses } from './processes.js';

afterAll(() => stopAllProcesses());
