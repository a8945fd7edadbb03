/**
 * Positions from js-yaml's event stream: the parser that read a document's
 * value already knows where every scalar is, so a finding can be placed
 * without parsing the document again. Gives the same ranges as the `yaml`
 * reference (a unit test compares them on every path of real manifests) and
 * answers `undefined` where it would not be sure (block scalars, aliases,
 * complex keys): the caller then asks `yaml`.
 */
import { EVENT_ID, SCALAR_STYLE, getScalarValue } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import type { PathSegment, Range } from '../findings';
import { lineStartsOf, positionIn } from './offsets';

type Position = Range['start'];

/** Index of the event after the node that starts at `i`. */
function skip(events: readonly Event[], i: number): number {
  const ev = events[i];
  if (!ev || (ev.type !== EVENT_ID.MAPPING && ev.type !== EVENT_ID.SEQUENCE)) return i + 1;
  let depth = 0;
  for (let j = i; j < events.length; j++) {
    const t = (events[j] as Event).type;
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) depth++;
    else if (t === EVENT_ID.POP && --depth === 0) return j + 1;
  }
  return events.length;
}

export function eventLocator(text: string, events: readonly Event[]): (path: readonly PathSegment[], target: 'key' | 'value') => Range | undefined {
  let lineStarts: number[] | undefined;
  const positionAt = (offset: number): Position => positionIn((lineStarts ??= lineStartsOf(text)), offset);
  /** The range `yaml` gives a scalar: quotes included; undefined for block scalars. */
  const scalarRange = (ev: ScalarEvent): Range | undefined => {
    if (ev.style === SCALAR_STYLE.LITERAL_BLOCK || ev.style === SCALAR_STYLE.FOLDED_BLOCK) return undefined;
    const quoted = ev.style === SCALAR_STYLE.SINGLE_QUOTED || ev.style === SCALAR_STYLE.DOUBLE_QUOTED;
    if (ev.anchorStart >= 0 || ev.tagStart >= 0) return undefined;
    // an empty node (`- ` with nothing after the dash) has no position in the text (-1): `yaml` places it
    if (ev.valueStart < 0 || ev.valueEnd < ev.valueStart) return undefined;
    return { start: positionAt(quoted ? ev.valueStart - 1 : ev.valueStart), end: positionAt(quoted ? ev.valueEnd + 1 : ev.valueEnd) };
  };
  /** A collection's first key or item, as `yaml`'s locate points at it. */
  const firstOf = (i: number): Range | undefined => {
    const first = events[i + 1];
    if (!first || first.type === EVENT_ID.POP) return undefined;
    return first.type === EVENT_ID.SCALAR ? scalarRange(first) : undefined;
  };

  return (path, target) => {
    let i = events[0]?.type === EVENT_ID.DOCUMENT ? 1 : 0;
    let best: Range | undefined;
    for (let p = 0; p < path.length; p++) {
      const segment = path[p] as PathSegment;
      const last = p === path.length - 1;
      const node = events[i];
      if (!node) return best;
      if (node.type === EVENT_ID.MAPPING) {
        let j = i + 1;
        let found = -1;
        let keyEv: ScalarEvent | undefined;
        while (j < events.length && (events[j] as Event).type !== EVENT_ID.POP) {
          const k = events[j] as Event;
          if (k.type !== EVENT_ID.SCALAR) return undefined; // a complex key: let yaml answer
          const valueAt = j + 1;
          if (getScalarValue(text, k) === String(segment)) {
            found = valueAt;
            keyEv = k;
            break;
          }
          j = skip(events, valueAt);
        }
        if (found < 0 || !keyEv) return best;
        const keyRange = scalarRange(keyEv);
        if (!keyRange) return undefined;
        if (last) {
          if (target === 'key') return keyRange;
          const v = events[found];
          if (!v || v.type === EVENT_ID.ALIAS) return undefined;
          if (v.type === EVENT_ID.MAPPING || v.type === EVENT_ID.SEQUENCE) return keyRange;
          if (v.type !== EVENT_ID.SCALAR) return undefined;
          // an empty value: `yaml` puts the finding on the key
          if (v.valueStart === v.valueEnd && v.style === SCALAR_STYLE.PLAIN) return keyRange;
          return scalarRange(v);
        }
        best = keyRange;
        i = found;
      } else if (node.type === EVENT_ID.SEQUENCE) {
        if (typeof segment !== 'number') return best;
        let j = i + 1;
        for (let n = 0; n < segment; n++) {
          if ((events[j])?.type === EVENT_ID.POP || j >= events.length) return best;
          j = skip(events, j);
        }
        const item = events[j];
        if (!item || item.type === EVENT_ID.POP) return best;
        let itemRange: Range | undefined;
        if (item.type === EVENT_ID.SCALAR) itemRange = scalarRange(item);
        else if (item.type === EVENT_ID.MAPPING || item.type === EVENT_ID.SEQUENCE) itemRange = firstOf(j);
        if (!itemRange) return undefined;
        if (last) return itemRange;
        best = itemRange;
        i = j;
      } else {
        return best;
      }
    }
    if (path.length === 0) {
      const root = events[i];
      return root && (root.type === EVENT_ID.MAPPING || root.type === EVENT_ID.SEQUENCE) ? firstOf(i) : undefined;
    }
    return best;
  };
}
