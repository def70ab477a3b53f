/**
 * Shell completions and the man page (issue #14), both generated from the
 * command table: the bash script loads in bash and completes commands,
 * options and option values; zsh and fish scripts name every command; the
 * committed hybridkem.1 is what `hybridkem man` prints now.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawnProcess } from '@hybridkem/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliBuilt, hybridkem, ok, shellQuote } from './helpers.js';

beforeAll(() => cliBuilt());

function bash(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawnProcess('bash', ['-c', script], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('completion', () => {
  it('bash: loads, registers for hybridkem, and completes commands, options and values', async () => {
    const hk = `${shellQuote(process.execPath)} ${shellQuote(CLI)}`;
    const complete = (words: string[]) =>
      `COMP_WORDS=(${words.map(shellQuote).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _hybridkem; echo "${'${COMPREPLY[*]}'}"`;
    const r = await bash(
      [
        `source <(${hk} completion bash)`,
        'complete -p hybridkem',
        complete(['hybridkem', 'se']),
        complete(['hybridkem', 'seal', '--a']),
        complete(['hybridkem', 'seal', '-r', 'x.pub', '--aead', 'aes']),
        complete(['hybridkem', 'keygen', '--suite', 'X-']),
        complete(['hybridkem', 'open', '--pass']),
        complete(['hybridkem', 'completion', '']),
      ].join('\n'),
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'complete -o filenames -F _hybridkem hybridkem',
        'seal',
        '--aead --armor --aad',
        'aes-256-gcm aes-128-gcm',
        'X-Wing',
        '--passphrase-file --passphrase-env',
        'bash zsh fish',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
  });

  it('zsh and fish scripts cover every command; an unknown shell is a usage error', async () => {
    const zsh = await ok(['completion', 'zsh']);
    expect(zsh.split('\n')[0]).toBe('#compdef hybridkem');
    expect(zsh).toContain("'seal:encrypt a file or stream to a KEM public key of any suite'");
    expect(zsh).toContain("'*-r[recipient public key file]:FILE:_files'");
    const fish = await ok(['completion', 'fish']);
    for (const name of ['keygen', 'encapsulate', 'decapsulate', 'seal', 'open', 'sign', 'verify', 'inspect', 'backends', 'vectors', 'completion', 'man']) {
      expect(fish).toContain(`complete -c hybridkem -n '__fish_use_subcommand' -a ${name} -d `);
    }
    expect(fish).toContain("complete -c hybridkem -n '__fish_seen_subcommand_from open' -l identity -s i -r -F -d 'private key file'\n");
    const bad = await hybridkem(['completion', 'tcsh']);
    expect(bad.stderr).toBe('hybridkem: completion: unknown shell "tcsh", expected one of bash, zsh, fish\n');
    expect(bad.code).toBe(2);
  });
});

describe('man page', () => {
  it('hybridkem.1 is current (regenerate with: pnpm --filter @hybridkem/cli man)', async () => {
    const committed = readFileSync(resolve(CLI, '../../hybridkem.1'), 'utf8');
    expect(await ok(['man'])).toBe(committed);
    expect(committed.split('\n').slice(1, 3)).toEqual(['.TH HYBRIDKEM 1 "" "hybridkem" "User Commands"', '.SH NAME']);
    expect(committed).toContain('.SS hybridkem seal\n');
    expect(committed).toContain('.TP\n\\fB\\-r, \\-\\-recipient\\fR \\fIFILE\\fR\nrecipient public key file');
  });
});
