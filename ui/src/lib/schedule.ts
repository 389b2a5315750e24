// The schedule picker's mechanics: the presets a person picks, built into and read back from
// the 5-field crontab the engine stores. Anything else is "custom" and edited as crontab text.
// What a schedule means in words is the engine's to say (`describe_schedule`).

export type Preset = 'nightly' | 'weekdays' | 'weekly' | 'hourly' | 'custom';

export interface SchedulePick {
  preset: Preset;
  /** "HH:MM", for the presets that run at a time of day. */
  time: string;
  /** 0 = Sunday … 6 = Saturday, for `weekly`. */
  weekday: number;
  /** The crontab text, for `custom`. */
  custom: string;
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export const PRESETS: { value: Preset; label: string }[] = [
  { value: 'nightly', label: 'Every night' },
  { value: 'weekdays', label: 'Weekdays' },
  { value: 'weekly', label: 'Once a week' },
  { value: 'hourly', label: 'Every hour' },
  { value: 'custom', label: 'Custom (crontab)' },
];

export const hasTime = (preset: Preset) => preset !== 'hourly' && preset !== 'custom';

function splitTime(time: string): [number, number] | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? [h, min] : null;
}

/** The crontab a pick stands for. A missing time falls back to 2:00, the engine's default. */
export function toCron(pick: SchedulePick): string {
  if (pick.preset === 'custom') return pick.custom;
  if (pick.preset === 'hourly') return '0 * * * *';
  const [h, m] = splitTime(pick.time) ?? [2, 0];
  switch (pick.preset) {
    case 'nightly':
      return `${m} ${h} * * *`;
    case 'weekdays':
      return `${m} ${h} * * 1-5`;
    case 'weekly':
      return `${m} ${h} * * ${pick.weekday}`;
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The preset a crontab matches, or `custom` with the text as it is. Only an exact match counts
 * ("0 2 * * 7" stays custom), so `toCron(fromCron(x)) === x` always holds and the picker never
 * rewrites a schedule the person did not touch.
 */
export function fromCron(expr: string): SchedulePick {
  const pick = presetOf(expr);
  return toCron(pick) === expr ? pick : { ...pick, preset: 'custom', custom: expr };
}

function presetOf(expr: string): SchedulePick {
  const custom: SchedulePick = { preset: 'custom', time: '02:00', weekday: 1, custom: expr };
  const f = expr.trim().split(/\s+/);
  if (f.length !== 5) return custom;
  const [min, hour, dom, month, dow] = f;
  if (dom !== '*' || month !== '*') return custom;
  const num = (s: string, max: number) => (/^\d{1,2}$/.test(s) && Number(s) <= max ? Number(s) : null);
  if (min === '0' && hour === '*' && dow === '*') return { ...custom, preset: 'hourly' };
  const m = num(min, 59);
  const h = num(hour, 23);
  if (m === null || h === null) return custom;
  const time = `${pad(h)}:${pad(m)}`;
  if (dow === '*') return { ...custom, preset: 'nightly', time };
  if (dow === '1-5') return { ...custom, preset: 'weekdays', time };
  const day = num(dow, 7);
  if (day !== null) return { ...custom, preset: 'weekly', time, weekday: day % 7 };
  return custom;
}
