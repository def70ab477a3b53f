/**
 * Duplicate member names in JSON text (spec/MESH.md §13.2). JSON.parse keeps
 * the last of two equal names silently (RFC 8259 §4 only says names SHOULD
 * be unique), so a topology in which a node is defined twice would lose one
 * definition without a word. This scanner runs after JSON.parse accepted the
 * text, so it may assume valid JSON and only track strings and nesting.
 * @module
 */

/** One duplicate member: its path (as in TopologyError paths) and the name. */
export interface DuplicateMember {
  readonly path: readonly (string | number)[];
  readonly name: string;
}

interface Frame {
  readonly kind: 'object' | 'array';
  readonly keys: Set<string> | undefined;
  /** Index of the next element (arrays) or the current member name (objects). */
  index: number;
  key: string | undefined;
  expectKey: boolean;
}

/** Every member name that appears twice in one object, in document order. `text` must be valid JSON. */
export function findDuplicateJsonMembers(text: string): DuplicateMember[] {
  const found: DuplicateMember[] = [];
  const stack: Frame[] = [];
  // The path of the innermost object itself (its own current member left out).
  const objectPath = (): (string | number)[] => {
    const path: (string | number)[] = [];
    for (const f of stack.slice(0, -1)) {
      if (f.kind === 'array') path.push(f.index);
      else if (f.key !== undefined) path.push(f.key);
    }
    return path;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.expectKey) {
        const name = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys!.has(name)) found.push(Object.freeze({ path: Object.freeze([...objectPath(), name]), name }));
        top.keys!.add(name);
        top.key = name;
        top.expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push({ kind: c === '{' ? 'object' : 'array', keys: c === '{' ? new Set() : undefined, index: 0, key: undefined, expectKey: c === '{' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack.at(-1)!;
      if (top.kind === 'array') top.index++;
      else top.expectKey = true;
    }
    i++;
  }
  return found;
}
