import levenshtein from 'fast-levenshtein'

/** Farther than this many edits, a command is not offered as a suggestion. */
const MAX_DISTANCE = 4

/**
 * The command id closest to what was typed. `words` is the first word and the words after it, so
 * `topic create` is compared as "topic:create" (one edit from topics:create), not just "topic".
 */
export function closestCommand(words: string[], commandIds: string[]): string | undefined {
  let best: {id: string; distance: number} | undefined
  for (let count = 1; count <= Math.min(words.length, 3); count++) {
    const typed = words.slice(0, count).join(':')
    for (const id of commandIds) {
      const distance = levenshtein.get(typed, id)
      if (!best || distance < best.distance) best = {id, distance}
    }
  }
  return best && best.distance <= MAX_DISTANCE ? best.id : undefined
}
