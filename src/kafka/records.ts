/**
 * Records shaped like the seed's three RDS tables (pinterest_data, geolocation_data, user_data),
 * generated from a seeded PRNG so a run can be repeated.
 */
export type RecordKind = 'pin' | 'geo' | 'user'
export const RECORD_KINDS: RecordKind[] = ['pin', 'geo', 'user']
/** One post: a record of each kind. */
export type PostRecords = Record<RecordKind, Record<string, unknown>>

/** mulberry32: tiny, fast, good enough for test data. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const CATEGORIES = [
  'art',
  'beauty',
  'christmas',
  'diy-and-crafts',
  'education',
  'event-planning',
  'finance',
  'home-decor',
  'mens-fashion',
  'quotes',
  'tattoos',
  'travel',
  'vehicles',
]
const WORDS = [
  'simple',
  'easy',
  'cozy',
  'bright',
  'minimal',
  'vintage',
  'rustic',
  'modern',
  'ideas',
  'tips',
  'inspiration',
  'guide',
  'projects',
  'decor',
  'outfits',
  'quotes',
]
const FIRST = ['Alexandra', 'Brian', 'Chloe', 'Daniel', 'Emily', 'Farah', 'George', 'Hana', 'Isaac', 'Julia', 'Kwame', 'Lena']
const LAST = ['Adams', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jones', 'Khan', 'Lopez']
const COUNTRIES = [
  'Afghanistan',
  'Albania',
  'Argentina',
  'Australia',
  'Brazil',
  'Canada',
  'France',
  'India',
  'Japan',
  'Kenya',
  'Mexico',
  'Norway',
  'United Kingdom',
]

function pick<T>(random: () => number, items: T[]): T {
  return items[Math.floor(random() * items.length)]
}

function hex(random: () => number, length: number): string {
  return Array.from({length}, () => Math.floor(random() * 16).toString(16)).join('')
}

function isoDate(random: () => number, fromYear: number, toYear: number): string {
  const from = Date.UTC(fromYear, 0, 1)
  const to = Date.UTC(toYear, 11, 31)
  return new Date(from + Math.floor(random() * (to - from))).toISOString().replace('.000Z', '')
}

/** One record of each table for the same post index, as the seed's posting loop sent them. */
export function generateRecords(random: () => number, index: number): PostRecords {
  const category = pick(random, CATEGORIES)
  const title = `${pick(random, WORDS)} ${category.replaceAll('-', ' ')} ${pick(random, WORDS)}`
  const variant = '89ab'[Math.floor(random() * 4)]
  const uuid = `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${variant}${hex(random, 3)}-${hex(random, 12)}`
  const followers = Math.floor(random() * 500_000)
  return {
    pin: {
      index,
      unique_id: uuid,
      title: title[0].toUpperCase() + title.slice(1),
      description: `Find ${title} for every budget — "quotes", tabs\tand unicode ✓ included.`,
      poster_name: `${pick(random, FIRST)} ${pick(random, LAST)}`,
      follower_count: followers >= 1000 ? `${Math.floor(followers / 1000)}k` : String(followers),
      tag_list: Array.from({length: 3}, () => pick(random, WORDS)).join(','),
      is_image_or_video: random() < 0.85 ? 'image' : 'video',
      image_src: `https://i.pinimg.com/originals/${hex(random, 2)}/${hex(random, 2)}/${hex(random, 32)}.jpg`,
      downloaded: 1,
      save_location: `Local save in /data/${category}`,
      category,
    },
    geo: {
      ind: index,
      timestamp: isoDate(random, 2018, 2022),
      latitude: Number((random() * 180 - 90).toFixed(4)),
      longitude: Number((random() * 360 - 180).toFixed(4)),
      country: pick(random, COUNTRIES),
    },
    user: {
      ind: index,
      first_name: pick(random, FIRST),
      last_name: pick(random, LAST),
      age: 18 + Math.floor(random() * 50),
      date_joined: isoDate(random, 2015, 2017),
    },
  }
}
