/** Suite names for completions and the man page, from the libraries' tables. */
import { SUITES } from '@hybridkem/core';
import { SIGNATURE_SUITES } from '@hybridkem/signing';

export const KEM_SUITE_NAMES: readonly string[] = SUITES.map((s) => s.name);
export const SIGNATURE_SUITE_NAMES: readonly string[] = SIGNATURE_SUITES.map((s) => s.name);
